/**
 * The desktop host's run routing: CPU and 'auto' runs go to the main process (utility-process
 * trainer) through the preload API; 'webgpu' runs train in a renderer Web Worker (here a fake
 * worker running the real trainer) and their events and controls go through the same host calls.
 */
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../engine/session/protocol';
import type { PreloadApi } from '../../../src-main/preload/api';
import { createElectronHost } from '../../../src-renderer/host/electron';
import type { StartRunRequest } from '../../../src-renderer/host/host';
import { FakeWorker } from './fake-worker';

function fakeApi() {
  const calls: string[] = [];
  const api = {
    appVersion: '0.1.0',
    startRun: async (r: StartRunRequest) => (
      calls.push(`main:start:${r.options.backend}`),
      { runId: 'main-1' }
    ),
    controlRun: async (id: string, action: string) => void calls.push(`main:${action}:${id}`),
    onRunEvent: () => () => undefined,
    trainerInfo: async () => ({
      protocol: 1,
      trainerVersion: 'x',
      runtime: 'utility',
      backends: [{ kind: 'cpu', label: 'cpu' }],
    }),
  };
  return { api: api as unknown as PreloadApi, calls };
}

const win = () =>
  Object.assign(new EventTarget(), { document: { activeElement: null } }) as unknown as Window;
const demo = (backend: 'cpu' | 'auto' | 'webgpu'): StartRunRequest => ({
  project: {},
  data: { kind: 'bytes', name: 'd.csv', bytes: new TextEncoder().encode('x,y\n0,0\n') },
  options: { backend, demo: { epochs: 1, batchesPerEpoch: 50, batchDelayMs: 2 } },
});

describe('desktop host run routing', () => {
  it('sends CPU and auto runs to the main process', async () => {
    const { api, calls } = fakeApi();
    const workers: FakeWorker[] = [];
    const host = createElectronHost(api, win(), {
      createWorker: () => (workers.push(new FakeWorker()), workers.at(-1) as unknown as Worker),
    });
    expect(await host.startRun(demo('cpu'))).toEqual({ runId: 'main-1' });
    await host.startRun(demo('auto'));
    await host.pauseRun('main-1');
    expect(calls).toEqual(['main:start:cpu', 'main:start:auto', 'main:pause:main-1']);
    expect(workers).toHaveLength(0);
  });

  it('starts WebGPU runs in a renderer worker and delivers their events', async () => {
    const { api, calls } = fakeApi();
    const host = createElectronHost(api, win(), {
      createWorker: () => new FakeWorker() as unknown as Worker,
    });
    const events: RunEvent[] = [];
    host.onRunEvent((e) => events.push(e));
    const { runId } = await host.startRun(demo('webgpu'));
    expect(runId).not.toBe('main-1');
    // The fake worker has no GPU: its trainer ends the run at once with the reason, which must
    // reach the page through the host's one event stream.
    for (let i = 0; i < 2000 && !events.some((e) => 'runId' in e && e.runId === runId); i++)
      await new Promise((r) => setTimeout(r, 1));
    const failed = events.find((e) => 'runId' in e && e.runId === runId);
    expect(failed?.type).toBe('failed');
    expect((failed as { message: string }).message).toContain('WebGPU is not available');
    expect(calls).toEqual([]); // nothing went through the main process
  });

  it('refuses a WebGPU run whose data is only a file reference, saying what to do', async () => {
    const { api } = fakeApi();
    const host = createElectronHost(api, win(), {
      createWorker: () => new FakeWorker() as unknown as Worker,
    });
    const request = { ...demo('webgpu'), data: { kind: 'file' as const, file: { id: 'f', name: 'd.csv' } } };
    await expect(host.startRun(request)).rejects.toThrow('choose the CSV again');
  });
});
