// Training runs on the WebGPU backend (Dawn on Mesa llvmpipe here, EGL_PLATFORM=surfaceless): Iris from
// its example project reaches the CPU run's accuracy with weights within float32 noise of it; device loss
// mid-run ends in a 'backend' failure (never a hang) and the run then trains on the CPU; the trainer
// offers WebGPU in its handshake and trains on it through the protocol.
// Without an adapter these tests skip loudly (NETLOOM_REQUIRE_WEBGPU=1 makes that a failure).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../../../engine/backend/webgpu/backend';
import { createNodeGpu } from '../../../engine/backend/webgpu/webgpu.node.ts';
import { graphProjectHooks } from '../../../engine/graph';
import { loadProject } from '../../../engine/project';
import type { SessionEvent } from '../../../engine/session/events';
import { memoryPair } from '../../../engine/session/port';
import { PROTOCOL_VERSION, type TrainerEvent } from '../../../engine/session/protocol';
import { runRecord, runSession, type SessionResult } from '../../../engine/session/run';
import { startTrainer } from '../../../engine/session/trainer';
import { setupWebGpu } from '../webgpu/gpu';

const projectText = readFileSync('examples/iris.netloom.json', 'utf8');
const iris = () => loadProject(projectText, { hooks: graphProjectHooks });
const irisBytes = new Uint8Array(readFileSync('examples/iris.csv'));

let gpu: WebGpuBackend | null = null;
let reason = '';
beforeAll(async () => {
  ({ backend: gpu, reason } = await setupWebGpu());
});
afterAll(() => gpu?.destroy());

/** Max |a − b| over the checkpoint tensors of two results (same model, same names). */
function maxWeightDiff(a: SessionResult, b: SessionResult): number {
  let m = 0;
  a.checkpoint!.weights.forEach((w, k) => {
    const v = b.checkpoint!.weights[k];
    expect(v.name).toBe(w.name);
    for (let i = 0; i < w.data.length; i++) m = Math.max(m, Math.abs(w.data[i] - v.data[i]));
  });
  return m;
}

describe('training runs on WebGPU', () => {
  it("trains Iris from its example project to the CPU run's accuracy", async (ctx) => {
    if (!gpu) return ctx.skip(reason);
    const g = gpu;
    const events: SessionEvent[] = [];
    const opts = { project: iris(), data: irisBytes, epochs: 12 };
    const onGpu = await runSession({
      ...opts,
      backend: { choice: 'webgpu', gpu: async () => g },
      emit: (e) => events.push(e),
    });
    const onCpu = await runSession({ ...opts, backend: { choice: 'cpu' } });
    expect(onGpu.status, JSON.stringify(onGpu.terminal)).toBe('completed');
    const started = events.find((e) => e.type === 'started');
    expect(started?.type === 'started' && started.backend.kind).toBe('webgpu');
    // Every epoch reported, with the statistics the UI shows (read back once per epoch).
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs).toHaveLength(12);
    const last = epochs.at(-1)!;
    expect(last.type === 'epoch' && last.layers!.length).toBe(4);
    expect(last.type === 'epoch' && last.gradientNorm!.global).toBeGreaterThan(0);
    // Same accuracy on every split; the network actually learned (the CPU run is the reference).
    for (const split of ['train', 'validation'] as const)
      expect(onGpu.final![split]!.accuracy, split).toBe(onCpu.final![split]!.accuracy);
    expect(onCpu.final!.validation!.accuracy).toBeGreaterThan(0.8);
    // Float32 on both sides; Adam's state is float32 on the device, float64 on the CPU.
    expect(maxWeightDiff(onGpu, onCpu)).toBeLessThan(1e-3);
    expect(Math.abs(onGpu.final!.train.loss - onCpu.final!.train.loss)).toBeLessThan(1e-3);
    // The checkpoint carries the device optimizer's state in the CPU optimizer's format.
    const st = onGpu.checkpoint!.optimizerState as { step: number; m: Float64Array; v: Float64Array };
    expect(st.step).toBe(12 * 8);
    const cst = onCpu.checkpoint!.optimizerState as { m: Float64Array };
    expect(st.m).toBeInstanceOf(Float64Array);
    for (let i = 0; i < st.m.length; i++) expect(Math.abs(st.m[i] - cst.m[i])).toBeLessThan(1e-3);
  });

  it('continues a WebGPU run on WebGPU like the uninterrupted run', async (ctx) => {
    if (!gpu) return ctx.skip(reason);
    const g = gpu;
    const backend = { choice: 'webgpu' as const, gpu: async () => g };
    const whole = await runSession({ project: iris(), data: irisBytes, epochs: 4, backend });
    const first = await runSession({ project: iris(), data: irisBytes, epochs: 2, backend });
    const run = runRecord(iris(), first, 'r1', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z');
    const rest = await runSession({
      project: iris(),
      data: irisBytes,
      epochs: 4,
      backend,
      continueFrom: run,
    });
    expect(rest.status).toBe('completed');
    expect(maxWeightDiff(rest, whole)).toBeLessThan(1e-5);
  });

  it('turns device loss mid-run into a backend failure, and the run then trains on the CPU', async (ctx) => {
    if (!gpu) return ctx.skip(reason);
    // A device of its own, so the shared one survives.
    const doomed = await WebGpuBackend.create(await createNodeGpu({ backend: 'opengles' }), {
      featureLevel: 'compatibility',
    });
    const events: SessionEvent[] = [];
    const failed = await runSession({
      project: iris(),
      data: irisBytes,
      epochs: 5,
      batchEventMs: 0,
      backend: { choice: 'webgpu', gpu: async () => doomed },
      emit: (e) => {
        events.push(e);
        if (e.type === 'batch' && e.epoch === 2 && e.batch === 3) doomed.device.destroy();
      },
    });
    expect(failed.status).toBe('failed');
    const t = failed.terminal;
    expect(t.type === 'failed' && t.code).toBe('backend');
    expect(t.type === 'failed' && t.message).toMatch(/device was lost/);
    expect(t.type === 'failed' && t.message).toMatch(/restart the run on the CPU/);
    expect(t.type === 'failed' && t.epoch).toBe(2);
    expect(events.filter((e) => e.type === 'failed')).toHaveLength(1);
    // The weights of the last completed epoch are kept for the project.
    expect(failed.checkpoint?.epoch).toBe(1);
    const again = await runSession({
      project: iris(),
      data: irisBytes,
      epochs: 2,
      backend: { choice: 'cpu' },
    });
    expect(again.status).toBe('completed');
  });

  it('offers WebGPU in the trainer handshake and trains on it through the protocol', async (ctx) => {
    if (!gpu) return ctx.skip(reason);
    const g = gpu;
    const { port, host } = memoryPair();
    const events: TrainerEvent[] = [];
    host.onEvent((e) => events.push(e));
    const nodeGpu = await createNodeGpu({ backend: 'opengles' });
    startTrainer(port, {
      runtime: 'in-process',
      version: 'test',
      gpu: nodeGpu,
      createGpuBackend: async () => g,
    });
    host.send({ type: 'hello', protocol: PROTOCOL_VERSION, client: 'test' });
    host.send({
      type: 'start',
      runId: 'g',
      project: JSON.parse(projectText) as unknown,
      data: { kind: 'bytes', name: 'iris.csv', bytes: irisBytes },
      options: { backend: 'webgpu', epochs: 2 },
    });
    for (let i = 0; i < 2000 && !events.some((e) => e.type === 'finished' || e.type === 'failed'); i++)
      await new Promise((r) => setTimeout(r, 10));
    const hello = events.find((e) => e.type === 'hello');
    expect(hello?.type === 'hello' && hello.backends.map((b) => b.kind)).toEqual(['cpu', 'webgpu']);
    const started = events.find((e) => e.type === 'started');
    expect(started?.type === 'started' && started.backend).toBe('webgpu');
    expect(started?.type === 'started' && started.selection?.requested).toBe('webgpu');
    const end = events.at(-1)!;
    expect(end.type, JSON.stringify(end)).toBe('finished');
  });
});
