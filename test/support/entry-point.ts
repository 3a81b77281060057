import { startEntryPoint as spawnEntryPoint, untilReady } from './processes';

/** `src/start.ts` running as its own process, seen through the few questions the cluster tests ask. */
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

/** Starts `src/start.ts` through tsx with only `env` (plus PATH and HOME). */
export function startEntryPoint(env: Record<string, string>): EntryPoint {
  const running = spawnEntryPoint(env);
  const alive = () => running.child.exitCode === null && running.child.signalCode === null;
  return {
    output: () => `${running.stdout()}${running.stderr()}`,
    ready: (port, timeoutMs = 20_000) => untilReady(running, `http://127.0.0.1:${port}`, timeoutMs),
    async stop() {
      if (alive()) running.child.kill('SIGTERM');
      return (await running.exited).code;
    },
    kill: () => void (alive() && running.child.kill('SIGKILL')),
  };
}
