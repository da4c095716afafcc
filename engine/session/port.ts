/**
 * The trainer's port: the one thing a trainer knows about the process it runs in. A port sends
 * events to the host and delivers the host's commands (as `unknown`, checked by the trainer).
 *
 * Adapters here are platform-neutral: a Web Worker scope (structural type, no DOM lib) and an
 * in-memory pair for running a trainer in the same thread (tests, CLI without a process).
 * Node adapters (Electron utilityProcess, child_process.fork) live in `port.node.ts`.
 *
 * Invariant: a port delivers commands in the order the host sent them, and `send` never throws
 * for a closed host (messages after close are dropped).
 */

import { queueMicrotask, structuredClone } from './platform';
import type { TrainerCommand, TrainerEvent } from './protocol';

export interface TrainerPort {
  /** Sends one event to the host. */
  send(event: TrainerEvent): void;
  /** Registers the (single) command handler; messages are raw and must be checked. */
  onCommand(handler: (message: unknown) => void): void;
  /** Ends the trainer's side: the worker or process exits. */
  close(): void;
}

/** The part of a dedicated worker's global scope the trainer needs. */
export interface WorkerScopeLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

/** A port over a Web Worker's global scope (`self` inside the worker). */
export function workerPort(scope: WorkerScopeLike): TrainerPort {
  return {
    send: (event) => scope.postMessage(event),
    onCommand: (handler) => scope.addEventListener('message', (e) => handler(e.data)),
    close: () => scope.close(),
  };
}

/** The host's end of an in-memory pair. */
export interface HostEnd {
  send(command: TrainerCommand): void;
  onEvent(handler: (event: TrainerEvent) => void): void;
  /** True once the trainer closed its port. */
  readonly closed: boolean;
}

/**
 * A trainer port and the matching host end, connected in memory. Messages are delivered
 * asynchronously (a microtask later), like real message passing, and structured-cloned so that
 * neither side can share mutable objects with the other.
 */
export function memoryPair(): { port: TrainerPort; host: HostEnd } {
  let commandHandler: ((m: unknown) => void) | null = null;
  const eventHandlers: ((e: TrainerEvent) => void)[] = [];
  let closed = false;
  const port: TrainerPort = {
    send(event) {
      if (closed) return;
      const copy = structuredClone(event);
      queueMicrotask(() => eventHandlers.forEach((h) => h(copy)));
    },
    onCommand(handler) {
      commandHandler = handler;
    },
    close() {
      closed = true;
    },
  };
  const host: HostEnd = {
    send(command) {
      if (closed) return;
      const copy = structuredClone(command);
      queueMicrotask(() => commandHandler?.(copy));
    },
    onEvent(handler) {
      eventHandlers.push(handler);
    },
    get closed() {
      return closed;
    },
  };
  return { port, host };
}
