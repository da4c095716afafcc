/**
 * A tiny typed listener set with replay: values emitted while nobody listens are kept (up to a
 * limit) and delivered to the first subscriber — used for open requests and dropped files that
 * can arrive before the UI has mounted.
 */

import type { Unsubscribe } from './host';

export class ListenerSet<T> {
  private readonly listeners = new Set<(value: T) => void>();
  private readonly backlog: T[] = [];

  constructor(private readonly replayLimit = 0) {}

  emit(value: T): void {
    if (this.listeners.size === 0) {
      if (this.replayLimit > 0) {
        this.backlog.push(value);
        if (this.backlog.length > this.replayLimit) this.backlog.shift();
      }
      return;
    }
    for (const l of [...this.listeners]) l(value);
  }

  subscribe(listener: (value: T) => void): Unsubscribe {
    this.listeners.add(listener);
    for (const v of this.backlog.splice(0)) listener(v);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
