import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Registry } from 'prom-client';
import { AppError } from '../errors';

export interface Readiness {
  /** Resolves with per-part details when Redis and the queues answer; rejects otherwise. */
  check(): Promise<Record<string, unknown>>;
}

/** What `/metrics` renders, and the bearer token it requires (none: open). */
export interface MetricsEndpoint {
  registry: Registry;
  token?: string;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * True when `Authorization` is `Bearer <token>`. Both sides are hashed first, so the
 * constant-time compare sees equal lengths and the timing says nothing about the token.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token)) && given.length > 0;
}

/**
 * `/healthz` (the process is up), `/readyz` (Redis and queues answer), `/robots.txt`, and
 * `/metrics` (Prometheus text, never cached) when `metrics` is given.
 */
export function opsRoutes(deps: { readiness: Readiness; metrics?: MetricsEndpoint }): Router {
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
  const metrics = deps.metrics;
  if (metrics) {
    router.get('/metrics', async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      if (metrics.token !== undefined && !bearerMatches(req.get('authorization'), metrics.token)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="encore-metrics"');
        throw new AppError('unauthorized', 'A valid bearer token is required.');
      }
      const text = await metrics.registry.metrics();
      res.setHeader('Content-Type', metrics.registry.contentType);
      res.send(text);
    });
  }
  return router;
}
