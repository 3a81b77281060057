import type { Transporter } from 'nodemailer';
import type { AppError } from '../../errors';

/**
 * How far one message got towards the mail server. A server accepts a message only with its
 * reply to the `<CRLF>.<CRLF>` that ends DATA, and nodemailer writes that terminator only after
 * the stream of the message has ended (its DATA encoder appends it when its input ends). So as
 * long as no connection read the message to its end, the terminator never left this process
 * and nothing the server did can have accepted it: a greeting timeout, a TLS failure, a reset
 * while saying EHLO, logging in, giving the envelope, or halfway through the content.
 *
 * nodemailer's errors do not say this: a broken socket is `ECONNECTION`, `ESOCKET` or
 * `ETIMEDOUT` with the command `CONN`, whatever the stage. Hence the observation below.
 */
export interface SmtpProgress {
  /**
   * True once a connection read the message stream to its end: the terminator may be on the
   * wire from then on. Set a little early rather than late (buffers between the stream's end
   * and the socket only delay the terminator), and never unset (a message the pool re-queues
   * onto a second connection stays "maybe sent" if the first one read it all).
   */
  endMaybeWritten: boolean;
}

/** Where a message's progress rides along in nodemailer's mail data (copied as given). */
const PROGRESS_KEY = 'encoreSmtpProgress';

/**
 * Makes `transport` record, for every message sent with `withProgress`, when a connection read
 * it to its end. A `stream` plugin adds a last step to the message's stream that lets every
 * byte through and notes its `end` event, which fires only once the consumer (the DATA encoder
 * of a connection) has read everything. A stream destroyed half-read never ends.
 */
export function trackMessageEnd(transport: Transporter): void {
  transport.use('stream', (mail, done) => {
    const progress = (mail.data as Record<string, unknown>)[PROGRESS_KEY] as SmtpProgress | undefined;
    if (progress) {
      mail.message.processFunc((input) => {
        input.once('end', () => {
          progress.endMaybeWritten = true;
        });
        return input;
      });
    }
    done();
  });
}

/** `mail` with a fresh progress record that `trackMessageEnd` keeps up to date. */
export function withProgress<T extends object>(mail: T): { mail: T; progress: SmtpProgress } {
  const progress: SmtpProgress = { endMaybeWritten: false };
  return { mail: { ...mail, [PROGRESS_KEY]: progress }, progress };
}

/** Send errors after which the message's end provably never left this process. */
const unsent = new WeakSet<AppError>();

/** Records that `error` ended a send before any connection read the message to its end. */
export function markUnsent(error: AppError): AppError {
  unsent.add(error);
  return error;
}

/** True when `markUnsent` recorded `error`. */
export const isUnsent = (error: AppError): boolean => unsent.has(error);
