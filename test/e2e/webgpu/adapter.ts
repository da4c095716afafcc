// Does this Chromium give a dedicated Web Worker a WebGPU adapter? The trainer runs in such a
// worker (src-renderer/host/trainer.worker.ts), so that is the place that must have one.
import type { Page } from '@playwright/test';

export interface AdapterProbe {
  /** Adapter info (vendor, architecture, description, fallback flag), or null when none. */
  adapter: { vendor: string; architecture: string; description: string; isFallbackAdapter: boolean } | null;
  /** Why there is no adapter ('' when there is one). */
  reason: string;
}

// Runs inside the worker: the adapter's info, or the reason there is none. A string, because it is
// turned into a blob: script (the page's CSP allows blob: workers).
const WORKER_SOURCE = `
self.onmessage = async () => {
  const gpu = self.navigator.gpu;
  if (!gpu) { postMessage({ adapter: null, reason: 'navigator.gpu is undefined in a Web Worker' }); return; }
  try {
    const a = await gpu.requestAdapter();
    if (!a) { postMessage({ adapter: null, reason: 'navigator.gpu.requestAdapter() returned null' }); return; }
    const i = a.info;
    postMessage({ adapter: { vendor: i.vendor, architecture: i.architecture, description: i.description,
      isFallbackAdapter: i.isFallbackAdapter === true }, reason: '' });
  } catch (e) {
    postMessage({ adapter: null, reason: 'requestAdapter() threw: ' + (e && e.message ? e.message : e) });
  }
};`;

/** Asks a fresh dedicated worker of `page` for a WebGPU adapter (never hangs: 15 s limit). */
export async function adapterInWorker(page: Page): Promise<AdapterProbe> {
  return page.evaluate(
    (source) =>
      new Promise<AdapterProbe>((resolve) => {
        const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
        const worker = new Worker(url);
        const done = (r: AdapterProbe) => {
          clearTimeout(timer);
          worker.terminate();
          URL.revokeObjectURL(url);
          resolve(r);
        };
        const timer = setTimeout(
          () => done({ adapter: null, reason: 'requestAdapter() did not answer within 15 s' }),
          15_000,
        );
        worker.onmessage = (e: MessageEvent<AdapterProbe>) => done(e.data);
        worker.onerror = (e) => done({ adapter: null, reason: `the probe worker failed: ${e.message}` });
        worker.postMessage(null);
      }),
    WORKER_SOURCE,
  );
}
