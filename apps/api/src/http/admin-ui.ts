import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

export interface AdminUiOptions {
  /** The built app (apps/admin-ui/dist). */
  dir: string;
  /** CSP frame-ancestors source list (UI_FRAME_ANCESTORS), already validated. */
  frameAncestors: string;
}

/** Where `pnpm install` builds the admin screens. */
export function defaultAdminUiDir(): string {
  return path.join(path.dirname(require.resolve('@mailroom/admin-ui/package.json')), 'dist');
}

/**
 * The tenant admin's screens under /ui/: static files, and index.html for every client route
 * (/ui/history, /ui/documents/invoice/42...) so a reload or a link from the platform works. The app
 * runs no inline script and fetches nothing but its own files and /v1, which the CSP states; the
 * token travels in the URL fragment, which no request (and so no log line) carries.
 */
export function adminUiRoutes(options: AdminUiOptions): Router {
  const r = Router();
  const index = path.join(options.dir, 'index.html');
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${options.frameAncestors}`,
  ].join('; ');

  r.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  // Hashed file names never change content: cache them for a year. Everything else revalidates.
  r.use(
    express.static(options.dir, {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      setHeaders: (res, file) => {
        const hashed = path.basename(path.dirname(file)) === 'assets';
        res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  r.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // A missing asset is a 404, never the page: a browser would run HTML as a script otherwise.
    if (req.path.startsWith('/assets/')) return res.status(404).type('text/plain').send('not found');
    if (!fs.existsSync(index)) {
      return res.status(503).type('text/plain').send('The admin screens are not built here: run `pnpm install` (it builds apps/admin-ui).');
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return r;
}
