import { AppError } from '../../src/errors';
import { bearerMatches } from '../../src/http/ops.routes';
import { emailLabels, webhookRejectionReason, wooErrorReason, wooOperation, wooStatus } from '../../src/metrics/labels';

/** Label values come from closed sets: what each failure becomes. */
describe('metric labels', () => {
  it('names webhook rejections by their reason, or by code when there is none', () => {
    expect(webhookRejectionReason(new AppError('invalid_signature', 'x', { reason: 'missing_signature' }))).toBe('missing_signature');
    expect(webhookRejectionReason(new AppError('invalid_signature', 'x'))).toBe('bad_signature');
    expect(webhookRejectionReason({ type: 'entity.too.large' })).toBe('too_large');
    expect(webhookRejectionReason(new AppError('upstream_unavailable', 'x', { reason: 'http_503' }))).toBe('unavailable');
    // A reason outside the webhook's own set never becomes a label value.
    expect(webhookRejectionReason(new AppError('invalid_request', 'x', { reason: 'order 4711' }))).toBe('invalid_request');
    expect(webhookRejectionReason(new Error('redis down'))).toBe('internal');
  });

  it('turns client ops into fixed snake_case operations', () => {
    expect(wooOperation('createCoupon')).toBe('create_coupon');
    expect(wooOperation('listOrdersModifiedAfter')).toBe('list_orders_modified_after');
    expect(wooOperation('coupons/17')).toBe('other');
  });

  it('classifies WooCommerce failures', () => {
    const err = (reason: string) => new AppError('upstream_unavailable', 'x', { reason });
    expect([wooErrorReason(err('timeout')), wooStatus(err('timeout'))]).toEqual(['timeout', 'timeout']);
    expect(wooErrorReason(err('unreachable'))).toBe('network');
    expect([wooErrorReason(err('http_429')), wooStatus(err('http_429'))]).toEqual(['http_429', '4xx']);
    expect(wooErrorReason(err('http_502'))).toBe('http_5xx');
    expect(wooErrorReason(err('http_401'))).toBe('auth');
    expect(wooErrorReason(err('http_404'))).toBe('not_found');
    expect(wooErrorReason(err('http_400'))).toBe('http_4xx');
    expect([wooErrorReason(err('unexpected_body')), wooStatus(err('unexpected_body'))]).toEqual(['invalid_body', '2xx']);
    expect(wooStatus(null)).toBe('2xx');
  });

  it('labels email runs; waits and repeats are not counted', () => {
    expect(emailLabels({ outcome: { kind: 'sent' } })).toEqual({ outcome: 'sent', reason: '' });
    expect(emailLabels({ outcome: { kind: 'skipped', reason: 'unsubscribed' } })).toEqual({ outcome: 'skipped', reason: 'unsubscribed' });
    expect(emailLabels({ outcome: { kind: 'dropped', reason: 'late' } })).toEqual({ outcome: 'skipped', reason: 'expired_late' });
    expect(emailLabels({ outcome: { kind: 'deferred', reason: 'capped', ms: 1 } })).toBeNull();
    expect(emailLabels({ outcome: { kind: 'already_sent' } })).toBeNull();
    expect(emailLabels({ error: new AppError('upstream_unavailable', 'x', { reason: '451' }) })).toEqual({ outcome: 'failed', reason: 'smtp_4xx' });
    expect(emailLabels({ error: new AppError('upstream_unavailable', 'x', { reason: 'ECONNECTION' }) })).toEqual({ outcome: 'failed', reason: 'network' });
  });

  it('accepts only the exact bearer token', () => {
    const token = 'metrics-token-0123456789abcdef';
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
    for (const header of [undefined, '', 'Bearer', `Bearer ${token}0`, `Bearer ${token.slice(1)}`, token, `Basic ${token}`]) {
      expect(bearerMatches(header, token)).toBe(false);
    }
  });
});
