/**
 * Node adapters of the trainer port: the same trainer runs in an Electron utilityProcess
 * (`process.parentPort`) and in a Node child process started with `child_process.fork`
 * (`process.send`; the host should fork with `serialization: 'advanced'` so that Uint8Array
 * payloads survive).
 *
 * Invariant: `close()` lets pending outgoing messages flush before the process exits.
 */

import type { TrainerEvent } from './protocol';
import type { TrainerPort } from './port';

/** The part of Electron's `process.parentPort` (a MessagePortMain) the trainer needs. */
interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/** Where this process runs: 'utility-process' (Electron) or 'node-child' (fork). */
export type NodeRuntime = 'utility-process' | 'node-child';

/**
 * Detects how this process was started and returns a port to its parent.
 * @throws Error when the process has no parent channel (started directly, not forked).
 */
export function nodeTrainerPort(proc: NodeJS.Process = process): { port: TrainerPort; runtime: NodeRuntime } {
  const parentPort = (proc as NodeJS.Process & { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return {
      runtime: 'utility-process',
      port: {
        send: (event: TrainerEvent) => parentPort.postMessage(event),
        onCommand: (handler) => parentPort.on('message', (e) => handler(e.data)),
        close: () => setImmediate(() => proc.exit(0)),
      },
    };
  }
  if (typeof proc.send === 'function') {
    // Count sends in flight so that close() exits only after the last event left the process.
    let pending = 0;
    let closing = false;
    const exitWhenFlushed = () => {
      if (closing && pending === 0) proc.exit(0);
    };
    return {
      runtime: 'node-child',
      port: {
        send: (event: TrainerEvent) => {
          if (!proc.connected) return;
          pending++;
          proc.send?.(event, undefined, {}, () => {
            pending--;
            exitWhenFlushed();
          });
        },
        onCommand: (handler) => proc.on('message', (m) => handler(m)),
        close: () => {
          closing = true;
          exitWhenFlushed();
        },
      },
    };
  }
  throw new Error(
    'The Netloom trainer must be started by a host (Electron utilityProcess.fork or Node child_process.fork); ' +
      'it has no parent channel. Use `netloom train` from the command line instead.',
  );
}
