import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import { REDACT_PATHS } from '@mailroom/config';
import { requestLog } from './request-log';

/** The lines a logger with the apps' redact paths writes, parsed. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ name: 'api', level: 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, stream) };
}

/** Every key path of a logged object, dotted (`req.method`). */
function keyPaths(o: unknown, prefix = ''): string[] {
  if (o === null || typeof o !== 'object') return [];
  return Object.entries(o).flatMap(([k, v]) => [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)]);
}

/** Whether a redact path (`*.password`, `req.headers.authorization`) names this key path. */
const names = (redactPath: string, keyPath: string) => {
  const [r, k] = [redactPath.split('.'), keyPath.split('.')];
  return r.length === k.length && r.every((part, i) => part === '*' || part === k[i]);
};

describe('the request line', () => {
  it('names method, path, status, time, tenant and email, no header, and no key the redact paths name (so it needs no redactor)', async () => {
    const { lines, logger } = capturingLogger();
    const app = express();
    app.use(requestLog(logger));
    app.post('/v1/tenants/:tenantId/emails', (_req, res) => {
      res.locals.emailId = 'em_1';
      res.status(202).json({ id: 'em_1' });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/v1/tenants/acme%20sl/emails?token=abc`, {
        method: 'POST',
        headers: { authorization: 'Bearer secret-platform-key', cookie: 'session=secret-cookie' },
      });
      expect(res.status).toBe(202);
      await res.arrayBuffer();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      server.close();
    }
    const line = lines.find((l) => l.msg === 'request completed');
    expect(line).toMatchObject({
      req: { method: 'POST', path: '/v1/tenants/acme%20sl/emails' },
      res: { status: 202 },
      tenantId: 'acme sl',
      emailId: 'em_1',
    });
    expect(JSON.stringify(line)).not.toMatch(/secret-platform-key|secret-cookie|token=abc/);
    const paths = keyPaths(line);
    expect(paths.filter((p) => REDACT_PATHS.some((r) => names(r, p)))).toEqual([]);
  });

  it('leaves the redaction of every other line in place', () => {
    const { lines, logger } = capturingLogger();
    requestLog(logger);
    logger.info({ smtp: { password: 'hunter2' } }, 'saved');
    expect(lines[0]).toMatchObject({ smtp: { password: '[redacted]' } });
  });
});
