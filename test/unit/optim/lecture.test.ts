import { describe, it, expect } from 'vitest';
import { Mlp64, type LayerSpec } from '../../../engine/lecture/mlp64';
import { runExperiment, formatTable, EXPERIMENTS } from '../../../engine/lecture/index';
import { runXorInit, trainXorRun } from '../../../engine/lecture/xor-init';
import { runOptimizers } from '../../../engine/lecture/optimizers';
import { runStandardization } from '../../../engine/lecture/standardization';
import { runVanishing } from '../../../engine/lecture/vanishing';
import { runSecondOrder } from '../../../engine/lecture/second-order';
import { Rng } from '../../../engine/random/rng';

describe('analytic float64 MLP used by the experiments', () => {
  const cases: [string, LayerSpec[], 'bce-logits' | 'sum-mean'][] = [
    [
      '2-4-1 sigmoid + BCE',
      [
        { in: 2, out: 4, bias: true, activation: 'sigmoid' },
        { in: 4, out: 1, bias: true, activation: 'identity' },
      ],
      'bce-logits',
    ],
    [
      '3 bias-free ReLU/sigmoid layers + sum',
      [
        { in: 3, out: 5, bias: false, activation: 'relu' },
        { in: 5, out: 4, bias: false, activation: 'sigmoid' },
        { in: 4, out: 2, bias: false, activation: 'relu' },
      ],
      'sum-mean',
    ],
  ];
  for (const [label, layers, head] of cases) {
    it(`gradient matches central finite differences: ${label}`, () => {
      const rng = new Rng(4);
      const batch = 5;
      const net = new Mlp64(layers, batch);
      const p = Float64Array.from({ length: net.paramCount }, () => rng.normal());
      const x = Float64Array.from({ length: batch * layers[0].in }, () => rng.normal());
      const y = Float64Array.from({ length: batch * layers[layers.length - 1].out }, () =>
        rng.next() < 0.5 ? 0 : 1,
      );
      const g = new Float64Array(net.paramCount);
      net.lossAndGrad(p, x, y, head, g);
      const scratch = new Float64Array(net.paramCount);
      const h = 1e-6;
      for (let i = 0; i < net.paramCount; i++) {
        const q = p.slice();
        q[i] += h;
        const fp = net.lossAndGrad(q, x, y, head, scratch);
        q[i] -= 2 * h;
        const fm = net.lossAndGrad(q, x, y, head, scratch);
        expect(Math.abs(g[i] - (fp - fm) / (2 * h))).toBeLessThan(1e-7 * Math.max(1, Math.abs(g[i])));
      }
    });
  }

  it('BCE head equals −[y log σ(z) + (1−y) log(1−σ(z))] computed directly', () => {
    const net = new Mlp64([{ in: 1, out: 1, bias: true, activation: 'identity' }], 2);
    const p = new Float64Array([2, -0.5]); // z = 2x − 0.5
    const loss = net.lossAndGrad(p, [1, -1], [1, 0], 'bce-logits', new Float64Array(2));
    const s = (z: number) => 1 / (1 + Math.exp(-z));
    expect(loss).toBeCloseTo((-Math.log(s(1.5)) - Math.log(1 - s(-2.5))) / 2, 14);
  });
});

describe('lecture experiment 1: xor-init', () => {
  it('over 300 seeds: U(−10, 10) fails 30–70 %, LeCun normal at most 8 %', () => {
    const r = runXorInit({ seeds: 300 });
    const [u, lecun] = r.rows;
    expect(u.runs).toBe(300);
    expect(u.failures / 300).toBeGreaterThanOrEqual(0.3);
    expect(u.failures / 300).toBeLessThanOrEqual(0.7);
    expect(lecun.failures / 300).toBeLessThanOrEqual(0.08);
    expect(formatTable(r)).toMatch(new RegExp(`U\\(−10, 10\\)\\s+${u.failures}/300`));
  });

  it('a successful run classifies XOR and a failed run really has an output on the wrong side', () => {
    const r = runXorInit({ seeds: 10 });
    const okSeed = [...Array(10).keys()].map((i) => i + 1).find((s) => !r.rows[1].failedSeeds.includes(s))!;
    const ok = trainXorRun('lecun-normal', okSeed);
    expect(ok.outputs[0]).toBeLessThan(0.5);
    expect(ok.outputs[1]).toBeGreaterThan(0.5);
    expect(ok.outputs[2]).toBeGreaterThan(0.5);
    expect(ok.outputs[3]).toBeLessThan(0.5);
    const bad = r.rows[0].failedSeeds[0];
    const f = trainXorRun('uniform10', bad);
    const wrong = f.outputs.filter((o, i) => ([0, 1, 1, 0][i] === 1 ? o <= 0.5 : o >= 0.5));
    expect(wrong.length).toBeGreaterThan(0);
  });
});

describe('lecture experiment 2: optimizers', () => {
  it('SGD, momentum and Nesterov all end within 0.05 of [2, 3] and record their paths', () => {
    const r = runOptimizers();
    expect(r.runs.map((x) => x.method)).toEqual(['sgd', 'momentum', 'nesterov']);
    for (const run of r.runs) {
      expect(Math.abs(run.theta[0] - 2)).toBeLessThan(0.05);
      expect(Math.abs(run.theta[1] - 3)).toBeLessThan(0.05);
      expect(run.path.length).toBe(1001 * 2);
      expect([run.path[0], run.path[1]]).toEqual([10, 5]);
      expect(run.path[2000]).toBe(run.theta[0]);
      expect(run.loss[1000]).toBeLessThan(run.loss[0] / 100);
    }
    // The lecture's data ranges: the least-squares line is near [2, 3] (noise ±0.1).
    expect(Math.abs(r.leastSquares[1] - 3)).toBeLessThan(0.02);
    // momentum and Nesterov follow different paths from plain SGD
    expect(r.runs[1].path[20]).not.toBe(r.runs[0].path[20]);
    expect(r.runs[2].path[20]).not.toBe(r.runs[1].path[20]);
  });
});

describe('lecture experiment 3: standardization', () => {
  it('z-scoring needs at least 100× fewer full-batch steps', () => {
    const r = runStandardization();
    const [raw, z] = r.rows;
    expect(z.steps).not.toBeNull();
    expect(z.steps!).toBeGreaterThan(0);
    expect(raw.steps === null || raw.steps >= 100 * z.steps!).toBe(true);
    expect(r.speedup).toBeGreaterThanOrEqual(100);
    // Every rate tried is below the stability limit 2/λ_max, computed here independently.
    for (const row of r.rows) for (const g of row.grid) expect(g.lr).toBeLessThan(row.lrLimit);
    expect(raw.condition).toBeGreaterThan(1e6);
    expect(z.condition).toBeLessThan(1.01);
    expect(formatTable(r)).toContain('> 10⁶');
  });

  it('counts steps exactly on a small cap', () => {
    const r = runStandardization({ maxSteps: 1000 });
    expect(r.rows[0].steps).toBeNull();
    expect(r.rows[1].steps).toBe(runStandardization().rows[1].steps);
  });
});

describe('lecture experiment 4: vanishing-gradients', () => {
  it('median ratio over 10 seeds: sigmoid+LeCun below 1e−3, ReLU+He between 0.05 and 20', () => {
    const r = runVanishing({ seeds: 10 });
    const [sig, relu] = r.rows;
    expect(sig.ratios.length).toBe(10);
    expect(sig.median).toBeLessThan(1e-3);
    expect(relu.median).toBeGreaterThan(0.05);
    expect(relu.median).toBeLessThan(20);
    // Sigmoid gradients shrink layer after layer going backwards (each σ' ≤ 1/4).
    for (let k = 1; k < 10; k++) expect(sig.layerNorms[k - 1]).toBeLessThan(sig.layerNorms[k]);
  });
});

describe('lecture experiment 5: second-order', () => {
  it('L-BFGS, CG and Newton reach the closed form to 1e−6 in under 50 iterations and stop on NaN', () => {
    const r = runSecondOrder();
    for (const row of r.rows) {
      expect(row.converged).toBe(true);
      expect(row.iterations).toBeLessThan(50);
      expect(row.error).toBeLessThan(1e-6);
      expect(row.nonFiniteError).toMatch(/loss at the current parameters is NaN/);
    }
  });
});

describe('runExperiment / formatTable', () => {
  it('dispatches by name and rejects unknown names', () => {
    expect(EXPERIMENTS).toEqual([
      'xor-init',
      'optimizers',
      'standardization',
      'vanishing-gradients',
      'second-order',
    ]);
    const r = runExperiment('xor-init', { seeds: 3 });
    expect(formatTable(r)).toMatch(/\d\/3/);
    expect(formatTable(runExperiment('second-order'))).toContain('stopped with error');
    expect(() => runExperiment('xor')).toThrow(/unknown lecture experiment 'xor'.*xor-init/);
    expect(() => runExperiment('xor-init', { seeds: 0 })).toThrow(/--seeds/);
  });
});

describe('xor-init table', () => {
  it('states the binomial spread of a failure count (6/20: sd = √(20·0.3·0.7) ≈ 2.05)', () => {
    const text = formatTable({
      name: 'xor-init',
      rows: [
        { init: 'uniform10', label: 'U(−10, 10)', failures: 6, runs: 20, lecture: '6/20', failedSeeds: [] },
      ],
    } as Parameters<typeof formatTable>[0]);
    expect(text).toContain('±2.0 runs');
    expect(text).toMatch(/Compare rates, not counts/);
  });
});
