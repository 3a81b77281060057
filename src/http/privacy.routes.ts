import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { PrivacyService } from '../domain/privacy.service';
import { parseOrThrow } from '../domain/validation';
import { rawBody } from './raw-body';

const requestSchema = z.object({ email: z.email().max(254) }).strict();

/**
 * `/v1/admin/privacy/export` and `/erase` (signed): the service side of WordPress's
 * personal-data exporter and eraser, for one email address.
 */
export function privacyRoutes(deps: { signed: RequestHandler; privacy: PrivacyService }): Router {
  const router = Router();
  router.use('/v1/admin/privacy', rawBody(), deps.signed);

  router.post('/v1/admin/privacy/export', async (req, res) => {
    const { email } = parseOrThrow(requestSchema, req.body, 'privacy request');
    res.setHeader('Cache-Control', 'private, no-store');
    res.json({ data: await deps.privacy.exportData(email) });
  });

  router.post('/v1/admin/privacy/erase', async (req, res) => {
    const { email } = parseOrThrow(requestSchema, req.body, 'privacy request');
    res.json({ removed: await deps.privacy.erase(email) });
  });
  return router;
}
