import { z } from 'zod';
import type { OfferEmailService } from '../../domain/offer-email.service';
import type { JobDefinition } from '../job-definition';

/**
 * `offer.email`: sends one offer email when it is due (a delayed job whose id is the offer id).
 * When the customer's frequency cap holds, the same job waits in the delayed set until the cap
 * ends; its outcome string says what happened (`sent`, `skipped:unsubscribed`, …).
 */
export function offerEmailJob(deps: { emails: OfferEmailService }): JobDefinition<'offer.email'> {
  return {
    name: 'offer.email',
    schema: z.object({ offerId: z.string().regex(/^of_[0-9a-z]{1,32}$/, 'must be an offer id') }).strict(),
    async handle({ offerId }, ctx) {
      const outcome = await deps.emails.send(offerId, { lastAttempt: ctx.lastAttempt });
      if (outcome.kind === 'deferred') return ctx.defer(outcome.ms);
      return 'reason' in outcome ? `${outcome.kind}:${outcome.reason}` : outcome.kind;
    },
  };
}
