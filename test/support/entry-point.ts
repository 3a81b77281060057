import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { eventually } from './encore';

/** `src/start.ts` running as its own process. */
export interface EntryPoint {
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with `/readyz`'s JSON once it answers 200; fails if the process exits first. */
  ready(port: number, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, if still running (cleanup after a failed assertion). */
  kill(): void;
}

/** Starts `src/start.ts` through tsx with only `env` (plus PATH). */
export function startEntryPoint(env: Record<string, string>): EntryPoint {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/start.ts'], {
    cwd: resolve(__dirname, '..', '..'),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  let running = true;
  const exited = new Promise<number | null>((done) =>
    child.once('exit', (code) => {
      running = false;
      done(code);
    }),
  );
  return {
    output: () => out,
    ready: (port, timeoutMs = 20_000) =>
      eventually(async () => {
        if (!running) throw new Error(`exited early: ${out}`);
        const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
        return res?.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined;
      }, timeoutMs),
    async stop() {
      if (running) child.kill('SIGTERM');
      return exited;
    },
    kill: () => void (running && child.kill('SIGKILL')),
  };
}
