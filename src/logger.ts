import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs. Whatever a call site passes, these paths are censored: logs carry ids and
 * outcomes, never bodies, emails, tokens, signatures or secrets.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'encore' },
      redact: {
        paths: [
          'email',
          '*.email',
          'token',
          '*.token',
          'body',
          '*.body',
          'signature',
          '*.signature',
          'secret',
          '*.secret',
          'req.headers',
          'res.headers',
        ],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
