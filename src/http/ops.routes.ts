import { Router } from 'express';

export interface Readiness {
  /** Resolves with per-part details when Redis and the queues answer; rejects otherwise. */
  check(): Promise<Record<string, unknown>>;
}

/** `/healthz` (the process is up), `/readyz` (Redis and queues answer), `/robots.txt`. */
export function opsRoutes(deps: { readiness: Readiness }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      res.json({ status: 'ready', ...(await deps.readiness.check()) });
    } catch {
      res.status(503).json({ status: 'not_ready' });
    }
  });
  router.get('/robots.txt', (_req, res) => {
    res.type('text/plain').send('User-agent: *\nDisallow: /\n');
  });
  return router;
}
