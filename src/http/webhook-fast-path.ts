import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { setCommonHeaders } from './app';
import { errorBody, reportError } from './error-handler';
import { BODY_LIMIT_BYTES } from './raw-body';
import { logRequest } from './request-log';
import { handleWooWebhook, WEBHOOK_PATH, type WebhookDeps } from './webhook.routes';

/**
 * The node:http request listener in front of the Express app. It answers
 * `POST /webhooks/woocommerce` itself, because Express's per-request cost (about a third of a
 * millisecond of CPU) was the ceiling of webhook ingest; the same logic
 * ({@link handleWooWebhook}), request log line, common headers, body limit and error bodies
 * apply. Every other request, other methods on this path and compressed bodies (which
 * body-parser inflates) go to `app` unchanged.
 */
export function withWebhookFastPath(app: RequestListener, opts: { deps: WebhookDeps; logger: Logger }): RequestListener {
  return (req, res) => {
    if (!isFastPathRequest(req)) {
      app(req, res);
      return;
    }
    void serveWebhook(req, res, opts);
  };
}

function isFastPathRequest(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const url = req.url ?? '';
  const query = url.indexOf('?');
  if ((query === -1 ? url : url.slice(0, query)) !== WEBHOOK_PATH) return false;
  const encoding = req.headers['content-encoding'];
  return encoding === undefined || encoding.trim().toLowerCase() === 'identity';
}

/** A request header as Express's `req.get` gives it: repeated custom headers joined. */
function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

const tooLarge = () => new AppError('payload_too_large', 'The body is larger than 1 MB.');

/** The raw body, at most {@link BODY_LIMIT_BYTES}; a declared or actual larger one is a 413. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  if (Number(req.headers['content-length']) > BODY_LIMIT_BYTES) {
    req.resume(); // discard the bytes so the connection can carry the answer
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) {
        // Chunked bodies carry no length up front: stop keeping bytes once over the limit.
        req.off('data', onData);
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', () => reject(new AppError('invalid_request', 'The body could not be read.')));
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', `${contentType}; charset=utf-8`);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

async function serveWebhook(req: IncomingMessage, res: ServerResponse, opts: { deps: WebhookDeps; logger: Logger }): Promise<void> {
  const reqId = logRequest(opts.logger, { method: req.method, url: req.url, incomingId: headerOf(req, 'x-request-id') }, res);
  setCommonHeaders(res);
  try {
    const body = await readBody(req);
    const answer = await handleWooWebhook(opts.deps, { body, header: (name) => headerOf(req, name) });
    send(res, answer.status, answer.contentType, answer.body);
  } catch (err) {
    opts.deps.observe?.('rejected', err);
    const appError = reportError(opts.logger, err, reqId);
    if (res.headersSent) return;
    if (appError.retryAfterSeconds) res.setHeader('Retry-After', String(appError.retryAfterSeconds));
    send(res, appError.status, 'application/json', JSON.stringify(errorBody(appError)));
  }
}
