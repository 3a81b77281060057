import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { logRequest } from '../../src/http/request-log';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('request log line', () => {
  it('carries service, time, reqId, method, path without query or link token, status and ms', async () => {
    const { logger, lines } = capture();
    const res = new ServerResponse(new IncomingMessage(new Socket()));
    const reqId = logRequest(logger, { method: 'GET', url: '/o/secret-token-value?utm=x', incomingId: 'lb-1.a_B' }, res);
    res.statusCode = 302;
    res.emit('finish');
    await settle();
    expect(reqId).toBe('lb-1.a_B');
    expect(res.getHeader('x-request-id')).toBe('lb-1.a_B');
    expect(lines).toEqual([
      { level: 30, time: expect.any(String), service: 'encore', reqId: 'lb-1.a_B', method: 'GET', path: '/o/:token', status: 302, ms: expect.any(Number), msg: 'request' },
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret-token-value');
  });

  it('leaves the redaction of every other line of the same logger in place', async () => {
    const { logger, lines } = capture();
    logRequest(logger, { method: 'POST', url: '/webhooks/woocommerce' }, new ServerResponse(new IncomingMessage(new Socket())));
    logger.info({ email: 'zofia@example.com', order: { email: 'zofia@example.com' }, token: 't0k' }, 'other');
    await settle();
    expect(lines).toEqual([expect.objectContaining({ email: '[redacted]', order: { email: '[redacted]' }, token: '[redacted]', msg: 'other' })]);
  });
});
