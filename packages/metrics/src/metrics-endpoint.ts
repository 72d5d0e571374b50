import type { IncomingMessage, ServerResponse } from 'node:http';
import { safeEqual } from '@mailroom/security';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

export const METRICS_PATH = '/metrics';

export function isMetricsRequest(req: IncomingMessage): boolean {
  return req.method === 'GET' && (req.url ?? '').split('?')[0] === METRICS_PATH;
}

function bearerToken(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m ? m[1] : undefined;
}

function refuse(res: ServerResponse, challenge: string, code: string, message: string): void {
  res.writeHead(401, { 'Content-Type': 'application/json; charset=utf-8', 'WWW-Authenticate': challenge, 'Cache-Control': 'no-store' });
  res.end(JSON.stringify({ error: { code, message } }));
}

/**
 * GET /metrics: the Prometheus text format, for the ops token only (compared in constant time).
 * A platform key or tenant token is refused like no token: metrics are for operators. Scrapes are
 * logged at debug level only, since Prometheus calls every 15 s.
 */
export async function answerMetricsRequest(
  req: IncomingMessage,
  res: ServerResponse,
  registry: Registry,
  access: { opsToken: string; logger: Logger },
): Promise<void> {
  const started = process.hrtime.bigint();
  const token = bearerToken(req);
  if (!token) {
    access.logger.debug({ path: METRICS_PATH, status: 401 }, 'metrics scrape without a token');
    return refuse(
      res,
      'Bearer realm="mailroom metrics"',
      'unauthenticated',
      'GET /metrics takes the ops token: Authorization: Bearer <OPS_TOKEN>',
    );
  }
  if (!safeEqual(token, access.opsToken)) {
    access.logger.debug({ path: METRICS_PATH, status: 401 }, 'metrics scrape with a token that is not the ops token');
    return refuse(
      res,
      'Bearer realm="mailroom metrics", error="invalid_token"',
      'invalid_token',
      'GET /metrics takes the ops token, not a platform key or tenant token',
    );
  }
  try {
    const body = await registry.metrics();
    res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' });
    res.end(body);
    access.logger.debug({ path: METRICS_PATH, status: 200, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'metrics scraped');
  } catch (e) {
    access.logger.error({ err: e, path: METRICS_PATH }, 'could not render the metrics');
    res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: { code: 'internal', message: 'the metrics could not be rendered; it has been logged' } }));
  }
}
