import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import helmet from 'helmet';
import type { Config } from '../config';
import { AppError } from '../errors';
import type { Logger } from '../log';
import { accessLog, authenticate, csrf, errorHandler } from './middleware';

export const CLIENT_DIR = fileURLToPath(new URL('../../dist/client', import.meta.url));

/**
 * The express app: security headers, cookies → principal, CSRF, the API routers
 * mounted under /api, the built client for everything else.
 */
export function createHttpApp(config: Config, log: Logger, routers: Record<string, Router>): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // pdf.js runs in a worker script of our own bundle.
          workerSrc: ["'self'", 'blob:'],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          imgSrc: ["'self'", 'data:', 'blob:'],
          mediaSrc: ["'self'", 'blob:'],
          fontSrc: ["'self'", 'data:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: config.trustProxy ? [] : null,
        },
      },
      crossOriginEmbedderPolicy: false,
      hsts: config.trustProxy,
    }),
  );
  app.use(accessLog(log));
  app.use('/api', express.json({ limit: '256kb' }), authenticate, csrf);
  for (const [mount, router] of Object.entries(routers)) app.use(`/api/${mount}`, router);
  app.use('/api', (req, _res, next) => next(new AppError(404, 'not_found', `no API route ${req.method} ${req.path}`)));

  if (fs.existsSync(path.join(CLIENT_DIR, 'index.html'))) {
    app.use(express.static(CLIENT_DIR, { index: false, maxAge: '1h' }));
    // Client-side routes: every other GET gets the app shell.
    app.get(/^(?!\/(api|socket\.io)\/).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path.join(CLIENT_DIR, 'index.html'));
    });
  } else {
    log.warn({ dir: CLIENT_DIR }, 'client not built (npm run build); serving the API only');
  }
  app.use(errorHandler(log));
  return app;
}
