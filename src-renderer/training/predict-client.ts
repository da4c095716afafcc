/**
 * The UI side of ./predict-worker: one worker per window, created on first use; `ask` posts a request
 * and resolves with its reply (matched by id), so the decision map and Predict never block the UI.
 * The worker's failures come back as `{ ok: false, message }`, never as rejections; a worker that
 * cannot start or crashes gives such a reply too.
 */
import type { WorkerReply, WorkerRequest } from './predict-worker';

type Pending = (reply: WorkerReply) => void;
type Body = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function failAll(message: string): void {
  for (const [id, done] of pending) done({ id, ok: false, message });
  pending.clear();
  worker?.terminate();
  worker = null;
}

function theWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./predict-worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (e: MessageEvent<WorkerReply>) => {
    const done = pending.get(e.data.id);
    pending.delete(e.data.id);
    done?.(e.data);
  };
  w.onerror = (e) => failAll(`The prediction worker stopped: ${e.message || 'unknown error'}`);
  worker = w;
  return w;
}

/** Sends one request to the worker; resolves with its reply. */
export function ask<K extends Body['kind']>(
  body: Extract<Body, { kind: K }>,
): Promise<Extract<WorkerReply, { kind: K }> | Extract<WorkerReply, { ok: false }>> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve as Pending);
    try {
      theWorker().postMessage({ ...body, id });
    } catch (err) {
      pending.delete(id);
      resolve({ id, ok: false, message: err instanceof Error ? err.message : String(err) });
    }
  });
}
