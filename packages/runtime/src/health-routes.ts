import { Router } from 'express';
import { checkReadiness, ReadinessCheck } from './readiness';

/**
 * `GET /healthz`, liveness: the process answers, so its event loop runs. No backend is asked: an
 * orchestrator restarts a process that fails it, and restarting cannot fix Redis or the store.
 * `GET /readyz`, readiness: every check answers within a second (503 naming the ones that did not),
 * so a load balancer or a start script sends work only to an app that can do it. A backend in
 * `servesWithout` is one the app does most of its work without: its failure is reported
 * (`degraded`) but leaves the app ready, so a load balancer keeps sending it that work (decision 0058).
 */
export function healthRoutes(
  app: string,
  checks: Record<string, ReadinessCheck>,
  details: () => object = () => ({}),
  servesWithout: readonly string[] = [],
): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.status(200).json({ ok: true, app, ...details() });
  });
  r.get('/readyz', async (_req, res) => {
    const report = await checkReadiness(checks, undefined, servesWithout);
    const degraded = report.degraded.length ? { degraded: report.degraded } : {};
    res.status(report.ok ? 200 : 503).json({ ok: report.ok, app, checks: report.checks, ...degraded });
  });
  return r;
}
