import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
export { freePort } from '../../support/net';

/** A child process the suite started, and how to end it. */
export interface Daemon {
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Every daemon still running; killed if the runner exits without teardown (a crash, Ctrl-C). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) signalGroup(child, 'SIGKILL');
});

function signalGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid) signal(-child.pid, sig);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

/**
 * Starts a long-running program with its output in `logFile`. `stop()` sends SIGTERM and waits
 * (SIGKILL after `graceMs`): mariadbd flushes its files on the way out.
 */
export function startDaemon(cmd: string, args: string[], opts: { logFile: string; env?: NodeJS.ProcessEnv; cwd?: string; graceMs?: number }): Daemon {
  const out = openSync(opts.logFile, 'a');
  // Its own process group: `php -S` forks workers that outlive a signal to the parent alone.
  const child = spawn(cmd, args, { stdio: ['ignore', out, out], env: opts.env ?? process.env, cwd: opts.cwd, detached: true });
  closeSync(out);
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));
  return {
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), opts.graceMs ?? 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a command to completion; throws with its output when it fails. */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const result = spawnSync(cmd, args, { encoding: 'utf8', cwd: opts.cwd, env: opts.env ?? process.env });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-5).join(' | ');
    throw new Error(`${cmd} ${args[0] ?? ''} failed (${result.status ?? result.signal}): ${output || result.error?.message}`);
  }
  return result.stdout;
}

/** Polls `check` every 50 ms until it is true; throws `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

