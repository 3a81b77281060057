import { Redis } from 'ioredis';
import type { RedisClient } from './redis';

/** Sockets corked until the end of the current event-loop turn. */
const corked = new WeakSet<object>();

/**
 * Lets every command sent on `redis` from now until the end of this event-loop turn leave in
 * one socket write. Webhook ingest sends two commands per delivery (the snapshot, then the
 * job) and, under load, several deliveries per turn: one write instead of one per command
 * saves a system call each and wakes Redis once, which then also appends to its AOF once.
 *
 * Order is unchanged (the socket keeps the bytes in the order they were written), and nothing
 * waits longer than the turn: the socket is uncorked in this turn's check phase
 * (`setImmediate`), before the event loop polls for I/O again.
 *
 * A Cluster client keeps one connection per node, each behind its own routing; it is left
 * alone and sends its commands as before.
 */
export function coalesceWrites(redis: RedisClient): void {
  if (!(redis instanceof Redis)) return;
  const socket = redis.stream;
  // Not connected yet: ioredis holds commands in its offline queue and writes them on connect.
  if (!socket || !socket.writable || corked.has(socket)) return;
  corked.add(socket);
  socket.cork();
  setImmediate(() => {
    corked.delete(socket);
    socket.uncork();
  });
}
