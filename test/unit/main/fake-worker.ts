/**
 * A stand-in for a trainer Web Worker in Node: runs the real trainer in this thread over an
 * in-memory port and speaks the Worker API (message/error events, postMessage, terminate).
 */
import { memoryPair } from '../../../engine/session/port';
import { startTrainer } from '../../../engine/session/trainer';

export class FakeWorker extends EventTarget {
  terminated = false;
  private readonly host;
  constructor() {
    super();
    const { port, host } = memoryPair();
    startTrainer(port, {
      runtime: 'fake-worker',
      version: 'w',
      sleep: () => new Promise((r) => setTimeout(r, 1)),
    });
    host.onEvent((e) => {
      if (this.terminated) return;
      const m = new Event('message') as Event & { data: unknown };
      m.data = e;
      this.dispatchEvent(m);
    });
    this.host = host;
  }
  postMessage(m: unknown) {
    if (!this.terminated) this.host.send(m as never);
  }
  terminate() {
    if (!this.terminated) this.host.send({ type: 'shutdown' }); // ends the in-thread trainer's loop
    this.terminated = true;
  }
  /** Simulates an uncaught exception in the worker script. */
  fail(message: string) {
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message }));
  }
}
