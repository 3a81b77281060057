import { MaxRetriesPerRequestError } from 'ioredis/built/errors';
import { toAppError } from '../../src/http/error-handler';

/** How unknown errors become answers: Redis out of reach is "try again", anything else internal. */
describe('toAppError', () => {
  it('when ioredis gave up on a command (Redis unreachable), the answer is 503 with Retry-After', () => {
    const err = toAppError(new MaxRetriesPerRequestError(2));
    expect({ code: err.code, status: err.status, retryAfterSeconds: err.retryAfterSeconds }).toEqual({
      code: 'not_ready',
      status: 503,
      retryAfterSeconds: 5,
    });
    expect(err.message).not.toMatch(/maxRetriesPerRequest|ioredis/);
  });

  it('when the connection closed under a command, the answer is 503 too', () => {
    expect(toAppError(new Error('Connection is closed.')).status).toBe(503);
  });

  it.each([
    ['a cluster that lost the node of the slot', new Error('Too many Cluster redirections. Last error: Error: connect ECONNREFUSED 127.0.0.1:7001')],
    ['a cluster with no reachable seed', new Error('None of startup nodes is available')],
    ['a cluster node still marking the master failed', new Error('CLUSTERDOWN The cluster is down')],
    ['a restarted server replaying its AOF', new Error('LOADING Redis is loading the dataset in memory')],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' })],
  ])('%s is a 503 as well', (_case, error) => {
    expect(toAppError(error).status).toBe(503);
  });

  it('any other unknown error is a bare internal 500', () => {
    const err = toAppError(new TypeError('x is undefined'));
    expect({ code: err.code, status: err.status, message: err.message }).toEqual({ code: 'internal', status: 500, message: 'Internal error.' });
  });
});
