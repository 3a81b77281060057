import type { AddressInfo, Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** One message as the server received it: envelope and raw bytes. */
export interface ReceivedMessage {
  from: string;
  to: string[];
  raw: Buffer;
}

/**
 * A fault for the next message(s): refuse with an SMTP code at RCPT TO or after DATA, or
 * accept the message (250) and then drop the connection.
 */
export type SmtpFault = { code: number; stage?: 'rcpt' | 'data' } | { acceptThenDrop: true };

/**
 * A conversation the server breaks, once, at the first connection or message that reaches the
 * stage. `drop` destroys the socket without a word: instead of the greeting, right after
 * answering EHLO, on MAIL FROM, on RCPT TO, on the first bytes of DATA's content, or once the
 * whole message and its final `.` arrived (kept as received, never answered). `stall` goes
 * silent until the client gives up: no greeting, or no more reading once DATA's content began.
 */
export type SmtpBreak = { drop: 'greeting' | 'ehlo' | 'mail' | 'rcpt' | 'data' | 'dot' } | { stall: 'greeting' | 'data' };

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>` for SMTP_URL. */
  url: string;
  /** Every message accepted so far (also those accepted before a dropped connection, and those a `dot` break kept unanswered). */
  messages: ReceivedMessage[];
  /** Messages whose DATA reached the server, accepted or not (what the wire carried). */
  attempts: number;
  /** The next `count` messages meet `fault`. */
  failNext(count: number, fault: SmtpFault): void;
  /** The next conversation to reach the stage of `brk` breaks there. */
  breakNext(brk: SmtpBreak): void;
  /** Breaks queued and not met yet. */
  readonly breaksLeft: number;
  /** Messages whose DATA arrived and whose answer has not been given yet. */
  inFlight: number;
  /** Holds every answer to DATA until `release()`: messages stay in flight as long as the test needs. */
  hold(): void;
  release(): void;
  /** Parses accepted message `i` (headers, text, html). */
  parsed(i: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

const smtpError = (code: number): Error & { responseCode: number } =>
  Object.assign(new Error(code >= 500 ? 'Mailbox unavailable (injected)' : 'Try again later (injected)'), { responseCode: code });

/**
 * A real SMTP server (nodemailer's `smtp-server`) on 127.0.0.1, a free port, without TLS or
 * authentication, that keeps what it accepts. With `discard` it keeps nothing (benchmarks).
 * With `delayMs` it takes that long (ms, a fixed value or a range) before answering each
 * message's DATA, like a slow relay, so that sends are in flight for a while.
 */
export async function startSmtpSink(opts: { discard?: boolean; delayMs?: number | [number, number] } = {}): Promise<SmtpSink> {
  const delay = (): number =>
    typeof opts.delayMs === 'number' ? opts.delayMs : opts.delayMs ? opts.delayMs[0] + Math.random() * (opts.delayMs[1] - opts.delayMs[0]) : 0;
  const messages: ReceivedMessage[] = [];
  const faults: SmtpFault[] = [];
  const sockets = new Map<number, Socket>();
  const rcptFaults = new Map<string, SmtpFault>();
  const breaks: SmtpBreak[] = [];
  let attempts = 0;
  let inFlight = 0;
  let gate: { opened: Promise<void>; open: () => void } | null = null;

  // A fault belongs to one message: the first of its steps that sees the queue takes it.
  const faultFor = (session: SMTPServerSession): SmtpFault | undefined => {
    if (!rcptFaults.has(session.id) && faults.length > 0) rcptFaults.set(session.id, faults.shift()!);
    return rcptFaults.get(session.id);
  };

  // The queued break, taken when it is for this stage.
  const pendingAt = (stage: string): 'drop' | 'stall' | undefined => {
    const next = breaks[0];
    if (!next) return undefined;
    if ('drop' in next) return next.drop === stage ? 'drop' : undefined;
    return next.stall === stage ? 'stall' : undefined;
  };
  const breakAt = (stage: string): 'drop' | 'stall' | undefined => {
    const kind = pendingAt(stage);
    if (kind) breaks.shift();
    return kind;
  };
  const socketOf = (session: SMTPServerSession) => sockets.get(session.remotePort);

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Room for messages larger than what the sockets between client and server buffer.
    size: 32 * 1024 * 1024,
    onConnect(session, callback) {
      const brk = breakAt('greeting');
      // A stalled greeting never comes; the socket is known once the connection event ran.
      if (brk === 'drop') setImmediate(() => socketOf(session)?.destroy());
      else if (brk !== 'stall') callback();
    },
    onMailFrom(_address, session, callback) {
      if (breakAt('mail')) return socketOf(session)?.destroy();
      rcptFaults.delete(session.id);
      callback();
    },
    onRcptTo(_address, session, callback) {
      if (breakAt('rcpt')) return socketOf(session)?.destroy();
      const fault = faultFor(session);
      if (fault && 'code' in fault && fault.stage === 'rcpt') return callback(smtpError(fault.code));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      const brk = breakAt('data');
      stream.on('data', (chunk: Buffer) => {
        if (!opts.discard) chunks.push(chunk);
        if (brk === 'drop') socketOf(session)?.destroy();
        if (brk === 'stall') {
          // Nothing more is read: the client's writes fill the socket buffers and stop.
          socketOf(session)?.pause();
          stream.pause();
        }
      });
      stream.on('end', async () => {
        if (breakAt('dot')) {
          // The whole message is here; whether a real server had queued it, the client cannot tell.
          messages.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
          attempts += 1;
          return socketOf(session)?.destroy();
        }
        inFlight += 1;
        const ms = delay();
        if (ms > 0) await new Promise((r) => setTimeout(r, ms));
        while (gate) await gate.opened;
        inFlight -= 1;
        attempts += 1;
        const fault = faultFor(session);
        rcptFaults.delete(session.id);
        if (fault && 'code' in fault) return callback(smtpError(fault.code));
        if (!opts.discard) {
          messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks),
          });
        }
        callback(null, 'Queued');
        if (fault && 'acceptThenDrop' in fault) {
          // After the 250 is on the wire: the client saw "accepted", then the line goes dead.
          setTimeout(() => sockets.get(session.remotePort)?.destroy(), 20);
        }
      });
    },
  });
  // A client that dies mid-conversation (a killed worker) resets its connection: a real mail
  // server notes it and carries on, and so does this one (unheard, the error would end the run).
  server.on('error', () => {});
  server.server.on('connection', (socket: Socket) => {
    const port = socket.remotePort ?? 0;
    sockets.set(port, socket);
    socket.once('close', () => sockets.delete(port));
    // No hook sees EHLO: the client's bytes are watched, and the socket goes once the answer is out.
    socket.on('data', (chunk: Buffer) => {
      if (!pendingAt('ehlo') || !/^EHLO /m.test(chunk.toString('latin1'))) return;
      breakAt('ehlo');
      const write = socket.write.bind(socket) as (data: Buffer | string, cb?: () => void) => boolean;
      socket.write = ((data: Buffer | string) => write(data, () => socket.destroy())) as typeof socket.write;
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    get attempts() {
      return attempts;
    },
    failNext(count, fault) {
      for (let i = 0; i < count; i++) faults.push(fault);
    },
    breakNext(brk) {
      breaks.push(brk);
    },
    get breaksLeft() {
      return breaks.length;
    },
    get inFlight() {
      return inFlight;
    },
    hold() {
      if (gate) return;
      let open = () => {};
      const opened = new Promise<void>((resolve) => (open = resolve));
      gate = { opened, open };
    },
    release() {
      const current = gate;
      gate = null;
      current?.open();
    },
    parsed: (i) => simpleParser(messages[i]!.raw),
    async close() {
      gate?.open();
      gate = null;
      for (const socket of sockets.values()) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
