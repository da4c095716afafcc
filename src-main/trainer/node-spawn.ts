/**
 * Starts a trainer as a Node child process (`child_process.fork` of the built trainer entry) —
 * for the command-line tool and the integration tests. Uses the 'advanced' serialization so
 * Uint8Array payloads cross the channel intact.
 */

import { fork } from 'node:child_process';
import type { TrainerHandle } from '../../engine/session/supervisor';

export interface ForkOptions {
  /** Extra environment variables for the child. */
  env?: Record<string, string>;
  /** Forward the child's stderr to ours (default true). */
  inheritStderr?: boolean;
}

/** Forks `entry` (a built trainer module) and returns its handle and pid. */
export function forkTrainer(
  entry: string,
  options: ForkOptions = {},
): TrainerHandle & { pid: number | undefined } {
  const child = fork(entry, [], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', options.inheritStderr === false ? 'ignore' : 'inherit', 'ipc'],
    env: { ...process.env, ...options.env },
  });
  return {
    pid: child.pid,
    post: (command) => {
      if (child.connected) child.send(command);
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    onMessage: (h) => child.on('message', (m) => h(m)),
    onExit: (h) => child.once('exit', (code, signal) => h(signal ?? String(code))),
  };
}
