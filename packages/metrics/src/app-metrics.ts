import type { RequestListener } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Logger } from 'pino';
import { answerMetricsRequest, isMetricsRequest } from './metrics-endpoint';

/**
 * One app instance's metrics: its own prom-client Registry (never the global default one, so the three
 * apps started in one test process keep theirs apart), the default process metrics, and an `app`
 * label on every series. `serve()` puts GET /metrics in front of the app's own handler.
 */
export class AppMetrics {
  readonly registry = new Registry();

  constructor(
    readonly app: string,
    private readonly access: { opsToken: string; logger: Logger },
  ) {
    this.registry.setDefaultLabels({ app });
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Answers GET /metrics (the ops token as a Bearer token, as a Prometheus `authorization` block
   * sends it) before the request reaches `next`, so scrapes never reach the app's request log and the
   * endpoint does not depend on the app's web framework. Everything else goes to `next` untouched.
   */
  serve(next: RequestListener): RequestListener {
    return (req, res) => {
      if (!isMetricsRequest(req)) return next(req, res);
      void answerMetricsRequest(req, res, this.registry, this.access);
    };
  }
}
