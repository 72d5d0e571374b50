import type { CallbackHeaders } from './callback-signature';
import { CallbackAttemptResult, verdictOfStatus } from './callback-response';

const EXCERPT_BYTES = 300;

/** The first bytes of the answer (for the operator), and the rest dropped so the connection is freed. */
async function excerpt(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_BYTES).replace(/\s+/g, ' ').trim();
}

function networkCode(error: unknown): string {
  const e = error as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.cause?.name === 'ConnectTimeoutError') return 'timeout';
  return e?.cause?.code ?? e?.code ?? 'network_error';
}

/** One POST of one callback, bounded by `timeoutMs` (connect, answer and the excerpt read alike). Never throws. */
export async function postCallback(url: string, headers: CallbackHeaders, body: string, timeoutMs: number): Promise<CallbackAttemptResult> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const words = await excerpt(res).catch(() => '');
    return { verdict: verdictOfStatus(res.status), status: res.status, code: `http_${res.status}`, message: words || res.statusText };
  } catch (error) {
    const code = networkCode(error);
    return { verdict: 'retry', code, message: code === 'timeout' ? `no answer within ${timeoutMs} ms` : (error as Error).message };
  }
}
