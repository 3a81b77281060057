import { fromUnits } from '../../src/domain/money';
import type { OrderItem } from '../../src/domain/order';
import { attributedUnits, refundedUnits } from '../../src/domain/redemption';

const item = (productId: number, total: string, variationId = 0): OrderItem => ({ productId, variationId, quantity: 1, total });

/** What a redemption attributes to its rule, exactly, in ten-thousandths. */
describe('attributed revenue', () => {
  it('sums the discounted totals of the lines whose product or variation was offered', () => {
    const items = [item(202, '75.65'), item(303, '24.35'), item(500, '10.0001', 202), item(101, '162.60')];
    expect(fromUnits(attributedUnits({ items }, [202]))).toBe('85.6501');
    expect(fromUnits(attributedUnits({ items }, [303, 101]))).toBe('186.95');
  });

  it('is zero when none of the offered products is in the order', () => {
    expect(attributedUnits({ items: [item(101, '162.60')] }, [202])).toBe(0n);
  });

  it('never matches the "no variation" id 0', () => {
    expect(attributedUnits({ items: [item(101, '5.00')] }, [0])).toBe(0n);
  });
});

describe('refunded share', () => {
  const order = (status: string, total: string, refundedTotal: string) => ({ status, total, refundedTotal });
  const revenue = 756_500n; // 75.65

  it.each([
    ['no refund', order('completed', '100.00', '0.00'), '0.00'],
    ['a quarter of the order', order('completed', '100.00', '25.00'), '18.9125'],
    ['a third, rounded half up to a ten-thousandth', order('processing', '3.00', '1.00'), '25.2167'],
    ['refunds beyond the total, capped at everything', order('completed', '100.00', '150.00'), '75.65'],
    ['status refunded, whatever refunds[] says', order('refunded', '100.00', '0.00'), '75.65'],
    ['a cancelled order', order('cancelled', '100.00', '0.00'), '75.65'],
    ['a free order with a refund', order('completed', '0.00', '1.00'), '75.65'],
  ])('%s', (_name, o, expected) => {
    expect(fromUnits(refundedUnits(o, revenue))).toBe(expected);
  });

  it('takes nothing back from nothing', () => {
    expect(refundedUnits(order('refunded', '100.00', '100.00'), 0n)).toBe(0n);
  });
});
