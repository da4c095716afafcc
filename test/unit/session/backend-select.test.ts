// Backend selection of training runs without a GPU: 'auto' follows the injected measurement (and says
// why), falls back to the CPU with the reason when WebGPU is unavailable or cannot train the model;
// an explicit 'webgpu' fails clearly; the measurement is cached per architecture + batch size; the
// trainer's handshake reports what the injected GPU really offers; the Web Worker injects navigator.gpu.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  chooseBackend,
  clearBackendChoices,
  type BackendChoice,
} from '../../../engine/backend/webgpu/autoselect';
import type { WebGpuBackend } from '../../../engine/backend/webgpu/backend';
import { compileGraph } from '../../../engine/compile';
import { graphProjectHooks } from '../../../engine/graph';
import { datasetInfoOf } from '../../../engine/graph/dataset-info';
import { loadProject, type Project } from '../../../engine/project';
import { importSettingsOf, prepareForTraining } from '../../../engine/session/dataset';
import { decideBackend } from '../../../engine/session/device';
import type { SessionEvent } from '../../../engine/session/events';
import { memoryPair } from '../../../engine/session/port';
import { PROTOCOL_VERSION, type TrainerEvent } from '../../../engine/session/protocol';
import { runSession } from '../../../engine/session/run';
import { startTrainer, type GpuLike, type TrainerEnv } from '../../../engine/session/trainer';
import { workerTrainerEnv } from '../../../src-renderer/host/trainer.worker';

const projectText = readFileSync('examples/iris.netloom.json', 'utf8');
const iris = () => loadProject(projectText, { hooks: graphProjectHooks });
const irisBytes = new Uint8Array(readFileSync('examples/iris.csv'));

/** The Iris project with another optimizer node type (and params). */
function withOptimizer(type: string, params: Record<string, number>): Project {
  const p = iris();
  return {
    ...p,
    graph: {
      ...p.graph,
      nodes: p.graph.nodes.map((n) => (n.id === 'opt' ? { ...n, type, params } : n)),
    },
  };
}

function compiled(project: Project) {
  const data = prepareForTraining(irisBytes, importSettingsOf(project.dataset?.importSettings ?? null));
  return compileGraph(project.graph, { dataset: datasetInfoOf(data), seed: 1, batchSize: 16 });
}

/** A stand-in for a device: decideBackend only hands it on (never calls it) when a fake measurement decides. */
const fakeGpu = { name: 'webgpu' } as unknown as WebGpuBackend;
const measured = (cpuMs: number, gpuMs: number) => {
  const calls: { layers: readonly number[]; batch: number; hidden?: string }[] = [];
  const choose = async (o: {
    layers: readonly number[];
    batch: number;
    hidden?: string;
  }): Promise<BackendChoice> => {
    calls.push(o);
    return {
      key: 'k',
      choice: gpuMs < cpuMs ? 'webgpu' : 'cpu',
      cpuMsPerStep: cpuMs,
      gpuMsPerStep: gpuMs,
      speedup: cpuMs / gpuMs,
      reason: gpuMs < cpuMs ? 'WebGPU measured faster' : 'CPU measured faster',
    };
  };
  return { choose, calls };
};

describe('decideBackend', () => {
  const model = compiled(iris());

  it("picks WebGPU under 'auto' only where it was measured faster, with the figures", async () => {
    const fast = measured(6, 2);
    const r = await decideBackend(
      { choice: 'auto', gpu: async () => fakeGpu, choose: fast.choose },
      model,
      16,
    );
    expect('decision' in r && r.decision).toMatchObject({
      kind: 'webgpu',
      requested: 'auto',
      cpuMsPerStep: 6,
      gpuMsPerStep: 2,
      speedup: 3,
    });
    expect('decision' in r && r.gpu).toBe(fakeGpu);
    // The architecture timed is the project's MLP (4 features → 16 → 3 classes) at its batch size.
    expect(fast.calls).toEqual([{ layers: [4, 16, 3], hidden: 'relu', batch: 16, gpu: fakeGpu }]);
    const slow = measured(2, 6);
    const s = await decideBackend(
      { choice: 'auto', gpu: async () => fakeGpu, choose: slow.choose },
      model,
      16,
    );
    expect('decision' in s && s.decision.kind).toBe('cpu');
    expect('decision' in s && s.decision.reason).toMatch(/CPU measured faster.*4-16-3 at batch 16/);
    expect('decision' in s && s.decision.speedup).toBeCloseTo(1 / 3, 12);
    expect('decision' in s && s.gpu).toBeNull();
  });

  it("falls back to the CPU under 'auto' with the reason; an explicit 'webgpu' fails with it", async () => {
    const noAdapter = async (): Promise<WebGpuBackend> => {
      throw new Error('no WebGPU adapter found');
    };
    const auto = await decideBackend({ choice: 'auto', gpu: noAdapter }, model, 16);
    expect('decision' in auto && auto.decision).toMatchObject({
      kind: 'cpu',
      reason: /unavailable: no WebGPU adapter/,
    });
    const none = await decideBackend({ choice: 'auto' }, model, 16);
    expect('decision' in none && none.decision.reason).toMatch(/unavailable/);
    const explicit = await decideBackend({ choice: 'webgpu', gpu: noAdapter }, model, 16);
    expect('error' in explicit && explicit.error).toMatch(
      /not available here \(no WebGPU adapter found\); choose the CPU/,
    );
    const broken = await decideBackend(
      { choice: 'auto', gpu: async () => fakeGpu, choose: async () => Promise.reject(new Error('shader x')) },
      model,
      16,
    );
    expect('decision' in broken && broken.decision).toMatchObject({
      kind: 'cpu',
      reason: /measurement failed: shader x/,
    });
  });

  it('names the optimizer WebGPU cannot run and suggests SGD, momentum, Adam or the CPU', async () => {
    const rms = compiled(withOptimizer('Optimizer.rmsprop', { lr: 0.01 }));
    let asked = false;
    const gpu = async () => {
      asked = true;
      return fakeGpu;
    };
    const explicit = await decideBackend({ choice: 'webgpu', gpu }, rms, 16);
    expect('error' in explicit && explicit.error).toMatch(
      /optimizer 'rmsprop' \(node 'opt'\).*SGD, momentum or Adam/,
    );
    const auto = await decideBackend({ choice: 'auto', gpu }, rms, 16);
    expect('decision' in auto && auto.decision).toMatchObject({ kind: 'cpu', reason: /rmsprop/ });
    expect(asked).toBe(false); // no device is requested for a model that cannot use it
    const clipped = compiled(withOptimizer('Optimizer.adam', { lr: 0.01, clipNorm: 1 }));
    const c = await decideBackend({ choice: 'webgpu', gpu }, clipped, 16);
    expect('error' in c && c.error).toMatch(/gradient clipping/);
  });

  it("does not time a software adapter under 'auto' (it emulates the GPU on the CPU)", async () => {
    const llvmpipe = {
      info: { adapterDescription: 'llvmpipe (LLVM 15.0.6, 256 bits)' },
    } as unknown as WebGpuBackend;
    const m = measured(9, 1);
    const r = await decideBackend({ choice: 'auto', gpu: async () => llvmpipe, choose: m.choose }, model, 16);
    expect('decision' in r && r.decision).toMatchObject({
      kind: 'cpu',
      reason: /software emulation.*llvmpipe/,
    });
    expect(m.calls).toHaveLength(0);
    const explicit = await decideBackend({ choice: 'webgpu', gpu: async () => llvmpipe }, model, 16);
    expect('decision' in explicit && explicit.decision.kind).toBe('webgpu');
  });

  it("never touches a GPU for 'cpu'", async () => {
    const r = await decideBackend(
      { choice: 'cpu', gpu: () => Promise.reject(new Error('must not be called')) },
      model,
      16,
    );
    expect('decision' in r && r.decision).toEqual({ kind: 'cpu', requested: 'cpu', reason: 'CPU chosen' });
  });
});

describe('chooseBackend cache', () => {
  it('measures once per architecture and batch size', async () => {
    clearBackendChoices();
    let ticks = 0;
    const now = () => ticks++;
    const a = await chooseBackend({ layers: [3, 5, 2], batch: 4, gpu: null, steps: 1, warmup: 0, now });
    expect(a.choice).toBe('cpu');
    expect(a.reason).toBe('no WebGPU device');
    const used = ticks;
    expect(used).toBeGreaterThan(0);
    expect(await chooseBackend({ layers: [3, 5, 2], batch: 4, gpu: null, now })).toBe(a);
    expect(ticks).toBe(used);
    await chooseBackend({ layers: [3, 5, 2], batch: 8, gpu: null, steps: 1, warmup: 0, now });
    expect(ticks).toBeGreaterThan(used);
    clearBackendChoices();
  });
});

describe('sessions without a GPU', () => {
  it("fails an explicit 'webgpu' run with a 'backend' failure naming the reason", async () => {
    const events: SessionEvent[] = [];
    const r = await runSession({
      project: iris(),
      data: irisBytes,
      epochs: 1,
      backend: { choice: 'webgpu', gpu: () => Promise.reject(new Error('no WebGPU adapter found')) },
      emit: (e) => events.push(e),
    });
    expect(events.map((e) => e.type)).toEqual(['failed']);
    expect(r.terminal).toMatchObject({ code: 'backend', message: /no WebGPU adapter found.*CPU/ });
  });

  it("trains 'auto' on the CPU and says why in the started event", async () => {
    const events: SessionEvent[] = [];
    const r = await runSession({
      project: iris(),
      data: irisBytes,
      epochs: 1,
      backend: { choice: 'auto', gpu: () => Promise.reject(new Error('no WebGPU adapter found')) },
      emit: (e) => events.push(e),
    });
    expect(r.status).toBe('completed');
    const started = events[0];
    expect(started.type === 'started' && started.backend).toMatchObject({
      kind: 'cpu',
      requested: 'auto',
      reason: 'WebGPU unavailable: no WebGPU adapter found',
    });
  });
});

async function trainerRun(env: Partial<TrainerEnv>, backend: 'auto' | 'webgpu') {
  const { port, host } = memoryPair();
  const events: TrainerEvent[] = [];
  host.onEvent((e) => events.push(e));
  startTrainer(port, { runtime: 'in-process', version: 'test', ...env });
  host.send({ type: 'hello', protocol: PROTOCOL_VERSION, client: 'test' });
  host.send({
    type: 'start',
    runId: 'r',
    project: JSON.parse(projectText) as unknown,
    data: { kind: 'bytes', name: 'iris.csv', bytes: irisBytes },
    options: { backend, epochs: 1 },
  });
  for (let i = 0; i < 1000 && !events.some((e) => ['finished', 'failed'].includes(e.type)); i++)
    await new Promise((r) => setTimeout(r, 5));
  return events;
}

describe('trainer handshake and backend choice', () => {
  const noAdapter: GpuLike = { requestAdapter: async () => null };

  it('offers only the CPU when the GPU object has no adapter, and says so for webgpu and auto', async () => {
    const ev = await trainerRun({ gpu: noAdapter }, 'webgpu');
    const hello = ev.find((e) => e.type === 'hello');
    expect(hello?.type === 'hello' && hello.backends.map((b) => b.kind)).toEqual(['cpu']);
    expect(ev.at(-1)).toMatchObject({ type: 'failed', code: 'backend', message: /no WebGPU adapter found/ });
    const auto = await trainerRun({ gpu: noAdapter }, 'auto');
    const started = auto.find((e) => e.type === 'started');
    expect(started).toMatchObject({
      backend: 'cpu',
      selection: { requested: 'auto', reason: /WebGPU unavailable: no WebGPU adapter found/ },
    });
    expect(auto.at(-1)?.type).toBe('finished');
  });

  it('reports a GPU loader that throws as the reason', async () => {
    const ev = await trainerRun(
      { gpu: () => Promise.reject(new Error("cannot load the 'webgpu' package")) },
      'webgpu',
    );
    expect(ev.at(-1)).toMatchObject({
      code: 'backend',
      message: /could not be loaded: cannot load the 'webgpu'/,
    });
  });

  it('offers WebGPU when an adapter exists, and fails cleanly when its device cannot be created', async () => {
    const adapter: GpuLike = {
      requestAdapter: async () => ({ info: { vendor: 'acme', architecture: 'x1' } }),
    };
    const ev = await trainerRun(
      { gpu: adapter, createGpuBackend: () => Promise.reject(new Error('requestDevice failed: limits')) },
      'webgpu',
    );
    const hello = ev.find((e) => e.type === 'hello');
    expect(hello?.type === 'hello' && hello.backends).toEqual([
      { kind: 'cpu', label: 'CPU (in-process)' },
      { kind: 'webgpu', label: 'WebGPU (acme x1)' },
    ]);
    expect(ev.at(-1)).toMatchObject({ code: 'backend', message: /requestDevice failed: limits.*CPU/ });
  });

  it('asks for a compatibility adapter when no core one exists (OpenGL ES)', async () => {
    const asked: unknown[] = [];
    const gles: GpuLike = {
      requestAdapter: async (o) => {
        asked.push(o?.featureLevel);
        return o?.featureLevel === 'compatibility' ? { info: {} } : null;
      },
    };
    const ev = await trainerRun(
      { gpu: gles, createGpuBackend: () => Promise.reject(new Error('x')) },
      'auto',
    );
    expect(asked).toEqual([undefined, 'compatibility']);
    const hello = ev.find((e) => e.type === 'hello');
    expect(hello?.type === 'hello' && hello.backends.map((b) => b.kind)).toEqual(['cpu', 'webgpu']);
    expect(ev.find((e) => e.type === 'started')).toMatchObject({
      backend: 'cpu',
      selection: { reason: /unavailable: x/ },
    });
  });
});

describe('Web Worker trainer environment', () => {
  it("injects the worker's navigator.gpu, and offers the CPU only without it", () => {
    const gpu: GpuLike = { requestAdapter: async () => null };
    const scope = { navigator: { gpu }, postMessage() {}, addEventListener() {} };
    const env = workerTrainerEnv(scope as never, '1.2.3');
    expect(env).toEqual({ runtime: 'web-worker', version: '1.2.3', gpu });
    expect(env.gpu).toBe(gpu);
    expect('gpu' in workerTrainerEnv({ navigator: {} } as never, '1')).toBe(false);
    expect('gpu' in workerTrainerEnv({ navigator: { gpu: null } } as never, '1')).toBe(false);
    expect('gpu' in workerTrainerEnv({} as never, '1')).toBe(false);
  });
});
