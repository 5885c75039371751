import fs from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import helmet from 'helmet';
import type { Config } from '../config';
import { AppError } from '../errors';
import type { Logger } from '../log';
import { clientAssets } from './clientAssets';
import { accessLog, authenticate, csrf, errorHandler, refuseContentEncoding, refuseOtherBodies } from './middleware';

/**
 * The express app: security headers, cookies → principal, CSRF, the API routers
 * mounted under /api, the built client for everything else.
 */
export function createHttpApp(config: Config, log: Logger, routers: Record<string, Router>): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const behindProxy = config.trustProxy !== false;
  app.set('trust proxy', config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // pdf.js runs in a worker script of our own bundle.
          workerSrc: ["'self'", 'blob:'],
          // 'self' covers the websocket to this origin (ws: or wss:), and nothing else.
          connectSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          mediaSrc: ["'self'", 'blob:'],
          fontSrc: ["'self'", 'data:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: behindProxy ? [] : null,
        },
      },
      crossOriginEmbedderPolicy: false,
      hsts: behindProxy,
    }),
  );
  app.use(accessLog(log));
  app.use(refuseContentEncoding);
  app.use('/api', refuseOtherBodies, express.json({ limit: '256kb' }), authenticate, csrf);
  for (const [mount, router] of Object.entries(routers)) app.use(`/api/${mount}`, router);
  app.use('/api', (req, _res, next) => next(new AppError(404, 'not_found', `no API route ${req.method} ${req.path}`)));

  const clientDir = config.clientDir;
  if (fs.existsSync(path.join(clientDir, 'index.html'))) {
    app.use('/assets', clientAssets(clientDir));
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
    // Client-side routes: every other GET gets the app shell.
    app.get(/^(?!\/(api|socket\.io)\/).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      // `root`, not a joined path: send refuses paths through dot-folders (e.g. a build under .tmp/).
      res.sendFile('index.html', { root: clientDir });
    });
  } else {
    log.warn({ dir: clientDir }, 'client not built (npm run build); serving the API only');
  }
  app.use(errorHandler(log));
  return app;
}
