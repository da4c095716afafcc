// Gradient histograms in the epoch events (engine/session/run.ts tensorStats): the counts of each
// tensor sum to its size and equal an independent binning (explicit bin edges, done here) of the
// final gradient; frozen tensors (BatchNorm running statistics) report all-zero counts; on WebGPU the
// gradients read back into the CPU twin fill the histogram the same way.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebGpuBackend } from '../../../engine/backend/webgpu/backend';
import { graphProjectHooks } from '../../../engine/graph';
import { loadProject, type Project } from '../../../engine/project';
import type { SessionEvent, TensorStats } from '../../../engine/session/events';
import { runSession, type SessionResult } from '../../../engine/session/run';
import { setupWebGpu } from '../webgpu/gpu';

const iris = (): Project =>
  loadProject(readFileSync('examples/iris.netloom.json', 'utf8'), { hooks: graphProjectHooks });
const irisBytes = new Uint8Array(readFileSync('examples/iris.csv'));

/** Iris with a BatchNorm after the hidden Dense layer: its running statistics are frozen tensors. */
function irisWithBatchNorm(): Project {
  const p = iris();
  p.graph.nodes.push({ id: 'bn', type: 'BatchNorm', version: 1, position: { x: 0, y: 0 }, params: {} });
  const e = p.graph.edges.find((x) => x.source === 'hidden' && x.target === 'act')!;
  p.graph.edges = p.graph.edges.filter((x) => x !== e);
  p.graph.edges.push(
    { id: 'b1', source: 'hidden', sourcePort: 'out', target: 'bn', targetPort: 'in' },
    { id: 'b2', source: 'bn', sourcePort: 'out', target: 'act', targetPort: 'in' },
  );
  return p;
}

/** Independent binning: bin k holds values in [lo + k·w, lo + (k+1)·w), the last bin also holds hi. */
function binByEdges(values: number[], bins: number): { min: number; max: number; counts: number[] } {
  const lo = values.reduce((a, b) => Math.min(a, b), Infinity);
  const hi = values.reduce((a, b) => Math.max(a, b), -Infinity);
  const counts = new Array<number>(bins).fill(0);
  if (hi === lo) return { min: lo, max: hi, counts: [values.length, ...counts.slice(1)] };
  const w = (hi - lo) / bins;
  for (const v of values) {
    let placed = false;
    for (let k = 0; k < bins - 1 && !placed; k++)
      if (v >= lo + k * w && v < lo + (k + 1) * w) {
        counts[k]++;
        placed = true;
      }
    if (!placed) counts[bins - 1]++;
  }
  return { min: lo, max: hi, counts };
}

async function lastEpochLayers(
  project: Project,
  extra: Partial<Parameters<typeof runSession>[0]> = {},
): Promise<{ layers: TensorStats[]; result: SessionResult }> {
  const events: SessionEvent[] = [];
  const result = await runSession({
    project,
    data: irisBytes,
    epochs: 2,
    emit: (e) => events.push(e),
    ...extra,
  });
  expect(result.status).toBe('completed');
  const last = events.filter((e) => e.type === 'epoch').at(-1) as Extract<SessionEvent, { type: 'epoch' }>;
  return { layers: last.layers, result };
}

function expectMatchesGradients(layers: TensorStats[], result: SessionResult, tolerance: number): void {
  const store = result.model!.store;
  for (const l of layers) {
    const spec = store.spec(l.name);
    const h = l.gradHistogram!;
    expect(h, l.name).toBeDefined();
    expect(h.counts).toHaveLength(l.histogram.counts.length);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(l.trainable ? spec.size : 0);
    if (!l.trainable) {
      expect(h).toEqual({ min: 0, max: 0, counts: new Array(h.counts.length).fill(0) });
      continue;
    }
    const g = Array.from(store.grads.subarray(spec.offset, spec.offset + spec.size));
    // The store still holds the last step's gradient: its norm is the reported one.
    expect(Math.hypot(...g)).toBeCloseTo(l.gradNorm, 5);
    const ref = binByEdges(g, h.counts.length);
    expect(h.min).toBeCloseTo(ref.min, tolerance);
    expect(h.max).toBeCloseTo(ref.max, tolerance);
    expect(h.counts, l.name).toEqual(ref.counts);
  }
}

describe('gradient histograms of the epoch events', () => {
  it('bin the last step gradient of every trainable tensor (counts sum to its size)', async () => {
    const { layers, result } = await lastEpochLayers(iris());
    expect(layers.map((l) => l.name)).toEqual(['hidden.weight', 'hidden.bias', 'out.weight', 'out.bias']);
    // A real gradient spreads over several bins (not everything in bin 0).
    expect(layers[0].gradHistogram!.counts.filter((c) => c > 0).length).toBeGreaterThan(3);
    expectMatchesGradients(layers, result, 12);
  });

  it('report all-zero gradient histograms for frozen tensors', async () => {
    const { layers, result } = await lastEpochLayers(irisWithBatchNorm());
    const frozen = layers.filter((l) => !l.trainable).map((l) => l.name);
    expect(frozen).toEqual(['bn.running_mean', 'bn.running_var']);
    expectMatchesGradients(layers, result, 12);
  });
});

describe('gradient histograms on WebGPU', () => {
  let gpu: WebGpuBackend | null = null;
  let reason = '';
  beforeAll(async () => {
    ({ backend: gpu, reason } = await setupWebGpu());
  });
  afterAll(() => gpu?.destroy());

  it('are filled from the gradients read back into the CPU twin', async (ctx) => {
    if (!gpu) return ctx.skip(reason);
    const g = gpu;
    const { layers, result } = await lastEpochLayers(iris(), {
      backend: { choice: 'webgpu', gpu: async () => g },
    });
    expectMatchesGradients(layers, result, 12);
  });
});
