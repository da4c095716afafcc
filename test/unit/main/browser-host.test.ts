/**
 * The browser host in Node: a fake window (EventTarget) and a fake Worker that runs the real
 * trainer in this thread, so the worker plumbing, the supervisor and the shortcuts are checked
 * without a browser (the real Web Worker is covered by the Playwright suite).
 */
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../engine/session/protocol';
import { FakeWorker } from './fake-worker';
import { createBrowserHost } from '../../../src-renderer/host/browser';
import type { MenuCommand } from '../../../src-renderer/host/host';

function setup() {
  const win = Object.assign(new EventTarget(), { document: { activeElement: null, title: '' } });
  const workers: FakeWorker[] = [];
  const host = createBrowserHost({
    window: win as unknown as Window,
    mac: false,
    createWorker: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    },
  });
  return { win, workers, host };
}

async function until<T>(list: T[], pred: (e: T) => boolean): Promise<T> {
  for (let i = 0; i < 10_000; i++) {
    const e = list.find(pred);
    if (e) return e;
    await new Promise((r) => setTimeout(r, 0));
  }
  throw new Error('never arrived');
}

const key = (k: string, ctrl = false, shift = false) =>
  Object.assign(new Event('keydown', { cancelable: true }), {
    key: k,
    ctrlKey: ctrl,
    metaKey: false,
    shiftKey: shift,
    altKey: false,
  });

describe('browser host', () => {
  it('turns keyboard shortcuts into menu commands', () => {
    const { win, host } = setup();
    const got: MenuCommand[] = [];
    host.onMenuCommand((c) => got.push(c));
    const save = key('s', true);
    win.dispatchEvent(save);
    win.dispatchEvent(key('Z', true, true));
    win.dispatchEvent(key('q'));
    expect(got).toEqual(['file.save', 'edit.redo']);
    expect(save.defaultPrevented).toBe(true);
  });

  it('runs the trainer in a worker: handshake, a full run, and the worker is ended afterwards', async () => {
    const { host, workers } = setup();
    expect(host.kind).toBe('browser');
    const info = await host.trainerInfo();
    expect(info).toMatchObject({ runtime: 'fake-worker', trainerVersion: 'w' });
    expect(workers[0].terminated).toBe(true);
    const events: RunEvent[] = [];
    host.onRunEvent((e) => events.push(e));
    const { runId } = await host.startRun({
      project: {},
      data: { kind: 'bytes', name: 'd.csv', bytes: new Uint8Array(4) },
      options: { backend: 'auto', demo: { epochs: 2, batchesPerEpoch: 2, batchDelayMs: 0 } },
    });
    await until(events, (e) => e.type === 'finished');
    expect(events.filter((e) => 'runId' in e && e.runId === runId).map((e) => e.type)).toEqual([
      'started',
      'batch',
      'batch',
      'epoch',
      'batch',
      'batch',
      'epoch',
      'finished',
    ]);
    expect(workers[1].terminated).toBe(true);
  });

  it('reports a worker error as a crash of its run', async () => {
    const { host, workers } = setup();
    const events: RunEvent[] = [];
    host.onRunEvent((e) => events.push(e));
    const { runId } = await host.startRun({
      project: {},
      data: { kind: 'bytes', name: 'd.csv', bytes: new Uint8Array(4) },
      options: { backend: 'cpu', demo: { epochs: 1000, batchesPerEpoch: 3, batchDelayMs: 1 } },
    });
    await until(events, (e) => e.type === 'batch');
    workers[0].fail('out of memory');
    const crashed = await until(events, (e) => e.type === 'crashed');
    expect(crashed).toMatchObject({ runId, exit: 'error: out of memory' });
    expect(workers[0].terminated).toBe(true);
  });

  it('refuses a run on a file it does not hold, naming the file', async () => {
    const { host } = setup();
    await expect(
      host.startRun({
        project: {},
        data: { kind: 'file', file: { id: 'x', name: 'iris.csv' } },
        options: { backend: 'cpu' },
      }),
    ).rejects.toThrow("'iris.csv' is no longer available");
  });

  it('sets the page title with an edited marker', () => {
    const { host, win } = setup();
    host.setDocumentState({ title: 'model', edited: true });
    expect(win.document.title).toBe('• model — Netloom');
  });
});
