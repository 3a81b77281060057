import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { HOLDOUT_BUCKETS, holdoutBucket, holdoutGroup } from '../../src/domain/holdout';

const ROOT = resolve(__dirname, '..', '..');
const STORE = 'https://sklep.example.com';
const orderIds = Array.from({ length: 10_000 }, (_, i) => 100_000 + i);

const controlShare = (ruleId: string, holdoutPercent: number) =>
  orderIds.filter((id) => holdoutGroup(STORE, id, { id: ruleId, holdoutPercent }) === 'control').length / orderIds.length;

describe('holdout split', () => {
  it('is the first four bytes of SHA-256("<store>|<order>|<rule>") modulo 10,000', () => {
    const first4 = createHash('sha256').update(`${STORE}|4711|r_toner`).digest().readUInt32BE(0);
    expect(holdoutBucket(STORE, 4711, 'r_toner')).toBe(first4 % HOLDOUT_BUCKETS);
    expect(holdoutBucket(STORE, 4711, 'r_toner')).toBeGreaterThanOrEqual(0);
    expect(holdoutBucket(STORE, 4711, 'r_toner')).toBeLessThan(HOLDOUT_BUCKETS);
  });

  it.each([5, 10, 50])('over 10,000 orders a %d %% holdout holds out that share within ±2 points', (percent) => {
    expect(Math.abs(controlShare('r_toner', percent) - percent / 100)).toBeLessThanOrEqual(0.02);
  });

  it('a holdout of 0 (or none on an old rule) holds out nothing; the boundary bucket is treated', () => {
    expect(controlShare('r_toner', 0)).toBe(0);
    expect(orderIds.every((id) => holdoutGroup(STORE, id, { id: 'r_toner' }) === 'treated')).toBe(true);
    // An order in bucket b is control exactly when b < percent × 100.
    const id = orderIds.find((o) => holdoutBucket(STORE, o, 'r_toner') >= 1)!;
    const bucket = holdoutBucket(STORE, id, 'r_toner');
    expect(holdoutGroup(STORE, id, { id: 'r_toner', holdoutPercent: bucket / 100 })).toBe('treated');
    expect(holdoutGroup(STORE, id, { id: 'r_toner', holdoutPercent: (bucket + 1) / 100 })).toBe('control');
  });

  it('splits each rule independently: control for one rule says nothing about another', () => {
    const inA = orderIds.filter((id) => holdoutGroup(STORE, id, { id: 'r_a', holdoutPercent: 50 }) === 'control');
    const alsoInB = inA.filter((id) => holdoutGroup(STORE, id, { id: 'r_b', holdoutPercent: 50 }) === 'control');
    // Independent halves overlap on about a quarter of all orders (2,500 ± 2 points of 10,000).
    expect(Math.abs(alsoInB.length / orderIds.length - 0.25)).toBeLessThanOrEqual(0.02);
    expect(alsoInB.length).toBeLessThan(inA.length);
  });

  it('depends on the store: another store splits the same orders differently', () => {
    const here = orderIds.map((id) => holdoutGroup(STORE, id, { id: 'r_a', holdoutPercent: 50 }));
    const there = orderIds.map((id) => holdoutGroup('https://other.example.com', id, { id: 'r_a', holdoutPercent: 50 }));
    expect(here).not.toEqual(there);
  });

  it('gives the same groups in another process', () => {
    const sample = orderIds.slice(0, 200);
    const script = `
      const { holdoutGroup } = require('./src/domain/holdout');
      const ids = JSON.parse(process.argv[1]);
      process.stdout.write(JSON.stringify(ids.map((id) => holdoutGroup(${JSON.stringify(STORE)}, id, { id: 'r_toner', holdoutPercent: 33.3 }))));
    `;
    const out = execFileSync(resolve(ROOT, 'node_modules/.bin/tsx'), ['-e', script, JSON.stringify(sample)], { cwd: ROOT, encoding: 'utf8', timeout: 15_000 });
    const here = sample.map((id) => holdoutGroup(STORE, id, { id: 'r_toner', holdoutPercent: 33.3 }));
    expect(JSON.parse(out)).toEqual(here);
    expect(here).toContain('control');
    expect(here).toContain('treated');
  });
});
