/**
 * The single-enqueue row's baseline (issue 9): a bare Express 5 app, the API's own Express, that
 * parses the same JSON body and answers 202 with an id, nothing else. Run as its own process, like the
 * API it is compared with: `node --import tsx bench/support/bare-express.ts` with API_PORT set.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';

// Express is the API's dependency, not the bench's: take the very copy the API runs on.
const express = require(require.resolve('express', { paths: [path.resolve(__dirname, '../../apps/api')] })) as typeof import('express');

const app = express();
app.get('/healthz', (_req, res) => void res.json({ ok: true }));
app.post('/v1/tenants/:tenantId/emails', express.json({ limit: '30mb' }), (req, res) => {
  res.status(202).json({ id: randomUUID(), status: 'queued', to: (req.body as { to?: unknown }).to });
});
const server = app.listen(Number(process.env.API_PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
