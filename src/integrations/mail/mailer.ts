import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { AppError } from '../../errors';
import { isUnsent, markUnsent, trackMessageEnd, withProgress } from './smtp-stage';

/** One email ready to go: addresses, both parts, and the headers Encore sets itself. */
export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** `<id@host>`: deterministic per offer, so a receiving server can spot a duplicate. */
  messageId: string;
  /** Extra headers, used as given (e.g. List-Unsubscribe). */
  headers: Record<string, string>;
  /** A non-personal tag for file names: the offer id. */
  tag: string;
}

export interface Mailer {
  /** Where messages go: an SMTP server or `.eml` files. */
  readonly kind: 'smtp' | 'outbox';
  /**
   * Resolves once the server accepted the message (or the file is written).
   * @throws AppError `upstream_unavailable` when a retry may succeed (4xx, network, timeouts),
   *   `upstream_rejected` when the server refused this message for good (5xx to MAIL, RCPT or DATA)
   */
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  /** `smtp://` or `smtps://` URL; unset writes `.eml` files into `outboxDir`. */
  smtpUrl?: string;
  outboxDir: string;
  /** Most SMTP connections kept open at once (count). */
  maxConnections: number;
  /** Milliseconds to wait for the TCP connection, the greeting, and any socket silence. */
  timeouts?: { connectionMs: number; greetingMs: number; socketMs: number };
}

const DEFAULT_TIMEOUTS = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 30_000 };

/** Network-level failures of nodemailer: nothing was refused, the conversation broke. */
const NETWORK_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE']);
/** Refusals of this message (its envelope or content) rather than of the connection or login. */
const MESSAGE_CODES = new Set(['EENVELOPE', 'EMESSAGE']);

/**
 * Maps a nodemailer error to Encore's one error type. Only a 5xx to this message's envelope or
 * data is permanent; a 5xx to the login (EAUTH) is a configuration problem that must not burn
 * every offer in the queue, so it is retried like a 4xx or a network error.
 */
export function classifySmtpError(err: unknown): AppError {
  const e = err as { code?: string; responseCode?: number; command?: string };
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const label = responseCode ? `SMTP ${responseCode}` : (e.code ?? 'unknown error');
  if (responseCode !== undefined && responseCode >= 500 && MESSAGE_CODES.has(e.code ?? '')) {
    return new AppError('upstream_rejected', `The mail server refused the message (${label}).`, { reason: String(responseCode), cause: err });
  }
  // A message nodemailer cannot even address (no valid recipient) will not improve on retry.
  if (responseCode === undefined && MESSAGE_CODES.has(e.code ?? '')) {
    return new AppError('upstream_rejected', `The message could not be sent (${label}).`, { reason: e.code, cause: err });
  }
  const kind = NETWORK_CODES.has(e.code ?? '') ? 'unreachable' : 'deferred';
  return new AppError('upstream_unavailable', `The mail server is ${kind} (${label}).`, { reason: String(responseCode ?? e.code ?? ''), cause: err });
}

/**
 * True when a send error (as the SMTP mailer threw it) proves the server did not accept the
 * message, so a retry may send it without risking a duplicate:
 * - the server answered with a refusal code (4xx/5xx: to the login, the envelope, or the final
 *   `.` of DATA), or
 * - the conversation broke before the message's final `<CRLF>.<CRLF>` could be written: no
 *   connection, a greeting timeout, a TLS failure, a reset or timeout during EHLO, login,
 *   MAIL FROM, RCPT TO or halfway through the content (see `SmtpProgress`).
 * Only a break after the whole message was written and before its reply was read proves
 * nothing: the server may have queued the message. That, and any error this module did not
 * classify, answers false.
 */
export function neverAccepted(err: unknown): boolean {
  if (!(err instanceof AppError)) return false;
  return isUnsent(err) || (err.reason !== undefined && /^[45]\d\d$/.test(err.reason));
}

/** `2026-11-20T13-05-40-123Z-of_xyz.eml`: sortable by time, no colons (Windows, zip tools). */
const fileName = (now: Date, tag: string) => `${now.toISOString().replace(/[:.]/g, '-')}-${tag.replace(/[^A-Za-z0-9_-]/g, '')}.eml`;

/**
 * Builds the mailer: pooled SMTP with timeouts when `smtpUrl` is set, otherwise a
 * development outbox of `.eml` files (nodemailer's stream transport renders the exact bytes
 * SMTP would have carried).
 */
export function createMailer(opts: MailerOptions): Mailer {
  const toMail = (email: OutgoingEmail) => ({
    from: email.from,
    to: email.to,
    subject: email.subject,
    html: email.html,
    text: email.text,
    messageId: email.messageId,
    headers: Object.fromEntries(Object.entries(email.headers).map(([k, v]) => [k, { prepared: true, value: v }])),
  });

  if (!opts.smtpUrl) {
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    let ready: Promise<unknown> | null = null;
    return {
      kind: 'outbox',
      async send(email) {
        ready ??= mkdir(opts.outboxDir, { recursive: true });
        await ready;
        const info = await transport.sendMail(toMail(email));
        await writeFile(join(opts.outboxDir, fileName(new Date(), email.tag)), info.message as Buffer);
      },
      close: () => transport.close(),
    };
  }

  const t = opts.timeouts ?? DEFAULT_TIMEOUTS;
  const transport = nodemailer.createTransport({
    url: opts.smtpUrl,
    pool: true,
    maxConnections: opts.maxConnections,
    connectionTimeout: t.connectionMs,
    greetingTimeout: t.greetingMs,
    socketTimeout: t.socketMs,
  });
  trackMessageEnd(transport);
  return {
    kind: 'smtp',
    async send(email) {
      const { mail, progress } = withProgress(toMail(email));
      try {
        await transport.sendMail(mail);
      } catch (err) {
        const error = classifySmtpError(err);
        throw progress.endMaybeWritten ? error : markUnsent(error);
      }
    },
    close: () => transport.close(),
  };
}
