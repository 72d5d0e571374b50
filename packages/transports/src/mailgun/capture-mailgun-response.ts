import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';

/**
 * mailgun.js turns every HTTP failure into an `APIError {status, message, details}` and drops the
 * response headers, `Retry-After` included. To still honour it, the answer's status and headers are
 * read from Node's own HTTP diagnostics channels: a request started inside `captureMailgunResponse`
 * is tied to that call's capture through AsyncLocalStorage, so concurrent sends (other tenants, other
 * emails) never see each other's headers. Nothing else is read, and no request is changed.
 */
export interface CapturedResponse {
  status?: number;
  headers?: IncomingHttpHeaders;
}

const current = new AsyncLocalStorage<CapturedResponse>();
const captureOf = new WeakMap<ClientRequest, CapturedResponse>();
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  diagnosticsChannel.subscribe('http.client.request.start', (message) => {
    const capture = current.getStore();
    if (capture) captureOf.set((message as { request: ClientRequest }).request, capture);
  });
  diagnosticsChannel.subscribe('http.client.response.finish', (message) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const capture = captureOf.get(request);
    if (!capture) return;
    capture.status = response.statusCode;
    capture.headers = response.headers;
  });
}

/** Runs one SDK call, recording the status and headers of the last HTTP answer it received into `capture`. */
export function captureMailgunResponse<T>(capture: CapturedResponse, call: () => Promise<T>): Promise<T> {
  listen();
  return current.run(capture, call);
}
