import { throttledRedisErrorLog } from '../../src/storage/redis';

/** What an outage of Redis writes to the log: one line now and then, never a stack. */
describe('throttledRedisErrorLog', () => {
  it('logs the first error as one line without a stack, then at most one per interval with the count it held back', async () => {
    const lines: Record<string, unknown>[] = [];
    const onError = throttledRedisErrorLog((fields) => lines.push(fields), 50);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379\n    at TCPConnectWrap'), { code: 'ECONNREFUSED' });
    onError(refused);
    onError(refused);
    onError(refused);
    expect(lines).toEqual([{ error: 'Error', code: 'ECONNREFUSED', reason: 'connect ECONNREFUSED 127.0.0.1:6379', suppressed: 0 }]);
    await new Promise((r) => setTimeout(r, 60));
    onError(new Error('write EPIPE'));
    expect(lines[1]).toEqual({ error: 'Error', code: undefined, reason: 'write EPIPE', suppressed: 2 });
    expect(JSON.stringify(lines)).not.toMatch(/\n|\bat /);
  });
});
