import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** A child process with its output collected and its exit as a promise. */
export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Collects a child's output and exit. */
export function track(child: ChildProcess): Running {
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** `src/start.ts` through tsx, with only the environment given (plus PATH and HOME). */
export function startEntryPoint(env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/start.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(child);
}

/** The last `chars` of a process's output, for failure messages. */
export const tail = (running: Running, chars = 2_000): string => `${running.stdout()}\n${running.stderr()}`.slice(-chars);

/** Resolves once `/readyz` answers 200, or fails when the process exits first or after `timeoutMs`. */
export async function untilReady(running: Running, url: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (running.child.exitCode !== null) throw new Error(`exited early: ${running.stderr()}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) return (await res.json()) as Record<string, unknown>;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`not ready in time: ${running.stdout()} ${running.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves once the process printed `text` on stdout, or fails when it exits first or after `timeoutMs`. */
export async function untilPrinted(running: Running, text: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!running.stdout().includes(text)) {
    if (running.child.exitCode !== null) throw new Error(`exited before printing "${text}": ${tail(running)}`);
    if (Date.now() > deadline) throw new Error(`did not print "${text}" within ${timeoutMs} ms: ${tail(running)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves with the process exit, or fails after `ms`. */
export async function exitWithin(running: Running, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms: ${running.stdout()} ${running.stderr()}`)), ms);
  });
  try {
    return await Promise.race([running.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** SIGKILLs the process unless it already exited, and waits for the exit. */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
}
