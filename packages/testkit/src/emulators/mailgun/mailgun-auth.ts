import type { NextFunction, Request, Response } from 'express';

/**
 * Mailgun's HTTP Basic auth: user `api`, password the API key. A wrong key, a missing header, and a
 * key of the other region all get the same answer: 401 with the text body `Forbidden` (contracts §2.1).
 */
export function basicApiKeyOf(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0 || decoded.slice(0, colon) !== 'api') return undefined;
  return decoded.slice(colon + 1);
}

export function answerForbidden(res: Response): void {
  res.status(401).type('text/plain').send('Forbidden');
}

/** Express middleware: refuses unless the exact key is one of this account's; stores the key used. */
export function requireApiKey(keys: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const key = basicApiKeyOf(req);
    if (key === undefined || !keys.includes(key)) return answerForbidden(res);
    res.locals.apiKey = key;
    next();
  };
}
