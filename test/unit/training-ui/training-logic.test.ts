import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import type { RunEvent } from '../../../engine/session/protocol';
import {
  applyEvent,
  comparisonRow,
  MAX_HISTOGRAM_SNAPSHOTS,
  newRunRecord,
  thinHalf,
  type RunRecord,
} from '../../../src-renderer/training/history';
import {
  contourLevels,
  decimate,
  forLogScale,
  gridValues,
  histogramHeatmap,
} from '../../../src-renderer/training/chart-data';
import { estimateRemaining, formatDuration, RunClock, Throttle } from '../../../src-renderer/training/timing';
import { comparisonCsv, fileStem, historyCsv, lineChartSvg } from '../../../src-renderer/training/export';

const settings = { epochs: 3, batchSize: 16, seed: 7, backend: 'auto' as const };

function started(id = 'r1'): RunRecord {
  const r = newRunRecord('local-1', 'Run 1', settings, 'iris.csv');
  r.runId = id;
  applyEvent(r, { type: 'started', runId: id, backend: 'cpu', epochs: 3, batchesPerEpoch: 2 });
  return r;
}

const epoch = (
  e: number,
  train: Record<string, number>,
  validation: Record<string, number> | null = null,
  extra = {},
): RunEvent =>
  ({
    type: 'epoch',
    runId: 'r1',
    epoch: e,
    epochs: 3,
    train,
    validation,
    learningRate: 0.1 / e,
    wallMs: 5,
    ...extra,
  }) as RunEvent;

describe('run history reducer', () => {
  it('aligns every series with the epochs, NaN where an epoch did not report', () => {
    const r = started();
    applyEvent(r, epoch(1, { loss: 1 }, null));
    applyEvent(r, epoch(2, { loss: 0.5, accuracy: 0.8 }, { loss: 0.6 }));
    applyEvent(r, epoch(3, { loss: 0.25 }, null));
    expect(r.epochs).toEqual([1, 2, 3]);
    for (const s of Object.values(r.series)) expect(s).toHaveLength(3);
    expect(r.series['train.accuracy']).toEqual([NaN, 0.8, NaN]);
    expect(r.series['validation.loss']).toEqual([NaN, 0.6, NaN]);
    expect(r.series.lr).toEqual([0.1, 0.05, 0.1 / 3]);
  });

  it('ignores other runs and anything after a terminal event; counts versions', () => {
    const r = started();
    const v = r.version;
    expect(applyEvent(r, { ...epoch(1, { loss: 1 }), runId: 'other' } as RunEvent)).toBe(false);
    expect(r.version).toBe(v);
    applyEvent(r, {
      type: 'finished',
      runId: 'r1',
      epochs: 3,
      metrics: { train: { loss: 0.2 }, validation: null },
    });
    expect(applyEvent(r, epoch(2, { loss: 0.1 }))).toBe(false);
    expect(r.status).toBe('finished');
    expect(r.fraction).toBe(1);
  });

  it('progress fraction from batches: epoch 2 batch 1 of 3×2 is 1/2', () => {
    const r = started();
    applyEvent(r, { type: 'batch', runId: 'r1', epoch: 2, batch: 1, batchesPerEpoch: 2, loss: 0.4 });
    expect(r.fraction).toBeCloseTo(3 / 6, 12);
    expect(r.batchX).toEqual([1.5]);
  });

  it('reads per-layer norms and histograms of real epoch events', () => {
    const r = started();
    const layers = [
      {
        name: 'd1.weight',
        nodeId: 'd1',
        trainable: true,
        weightNorm: 2,
        gradNorm: 0.5,
        histogram: { min: -1, max: 1, counts: [1, 3] },
      },
    ];
    applyEvent(
      r,
      epoch(1, { loss: 1 }, null, { layers, gradientNorm: { global: 0.7, perTensor: { 'd1.weight': 0.5 } } }),
    );
    expect(r.gradNorms.global).toEqual([0.7]);
    expect(r.gradNorms['d1.weight']).toEqual([0.5]);
    expect(r.weightNorms['d1.weight']).toEqual([2]);
    expect(r.histograms[0].layers[0].counts).toEqual([1, 3]);
    expect(r.histograms[0].layers[0].grad).toBeUndefined();
  });

  it('keeps the gradient histogram beside the weights one when the event carries it', () => {
    const r = started();
    const layers = [
      {
        name: 'd1.weight',
        nodeId: 'd1',
        trainable: true,
        weightNorm: 2,
        gradNorm: 0.5,
        histogram: { min: -1, max: 1, counts: [1, 3] },
        gradHistogram: { min: -0.2, max: 0.1, counts: [2, 2] },
      },
    ];
    applyEvent(r, epoch(1, { loss: 1 }, null, { layers }));
    expect(r.histograms[0].layers[0].grad).toEqual({ min: -0.2, max: 0.1, counts: [2, 2] });
    layers[0].gradHistogram.counts[0] = 9; // a copy, not the event's array
    expect(r.histograms[0].layers[0].grad?.counts).toEqual([2, 2]);
  });

  it('keeps histogram snapshots bounded, with the first and newest', () => {
    const r = started();
    r.epochsPlanned = 1000;
    const layers = [
      {
        name: 'w',
        nodeId: 'n',
        trainable: true,
        weightNorm: 1,
        gradNorm: 1,
        histogram: { min: 0, max: 1, counts: [1] },
      },
    ];
    for (let e = 1; e <= 300; e++)
      applyEvent(r, { ...epoch(e, { loss: 1 / e }, null, { layers }), epochs: 1000 } as RunEvent);
    expect(r.histograms.length).toBeLessThanOrEqual(MAX_HISTOGRAM_SNAPSHOTS + 1);
    expect(r.histograms[0].epoch).toBe(1);
    expect(r.histograms[r.histograms.length - 1].epoch).toBe(300);
  });

  it("keeps the trainer's reason for its backend choice", () => {
    const r = newRunRecord('l', 'Run', settings);
    r.runId = 'r9';
    applyEvent(r, {
      type: 'started',
      runId: 'r9',
      backend: 'cpu',
      epochs: 2,
      batchesPerEpoch: 1,
      selection: { requested: 'auto', reason: 'WebGPU unavailable: no adapter' },
    });
    expect(r.backendReason).toBe('WebGPU unavailable: no adapter');
    expect(r.status).toBe('running');
  });

  it('thinHalf keeps first and last', () => {
    expect(thinHalf([1, 2, 3, 4])).toEqual([1, 3, 4]);
    expect(thinHalf([1, 2, 3, 4, 5])).toEqual([1, 3, 5]);
  });

  it('comparison row: best epoch is the lowest validation loss; headline metric by task', () => {
    const r = started();
    applyEvent(r, epoch(1, { loss: 1, r2: 0.1 }, { loss: 0.9, r2: 0.2 }));
    applyEvent(r, epoch(2, { loss: 0.5, r2: 0.5 }, { loss: 0.4, r2: 0.6 }));
    applyEvent(r, epoch(3, { loss: 0.3, r2: 0.7 }, { loss: 0.45, r2: 0.55 }));
    const c = comparisonRow(r);
    expect(c.bestEpoch).toBe(2);
    expect(c.metric).toBe('r2');
    expect(c.validationMetric).toBe(0.55);
    expect(c.trainLoss).toBe(0.3);
  });
});

describe('ETA and clock', () => {
  it('RunClock does not count pauses', () => {
    const c = new RunClock();
    c.start(1000);
    c.pause(4000); // 3 s running
    expect(c.elapsed(10_000)).toBe(3000);
    c.resume(10_000);
    expect(c.elapsed(12_000)).toBe(5000);
    c.end(13_000);
    expect(c.elapsed(99_000)).toBe(6000);
  });

  it('remaining time extrapolates the rate: a quarter done in 10 s leaves 30 s', () => {
    expect(estimateRemaining(10_000, 0.25)).toBe(30_000);
    expect(estimateRemaining(10_000, 0)).toBeNull();
    expect(estimateRemaining(10_000, 1)).toBe(0);
  });

  it('formats durations', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(59_999)).toBe('0:59');
    expect(formatDuration(61_000)).toBe('1:01');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
  });

  it('Throttle flushes at most once per interval and always after the last request', () => {
    let now = 0;
    const queue: { at: number; fn: () => void }[] = [];
    const timers = {
      setTimeout: (fn: () => void, ms: number) => queue.push({ at: now + ms, fn }),
      clearTimeout: () => {},
      now: () => now,
    };
    let flushes = 0;
    const t = new Throttle(() => flushes++, 100, timers);
    const advance = (to: number) => {
      now = to;
      for (let q = queue.shift(); q; q = queue.shift()) {
        if (q.at > now) {
          queue.unshift(q);
          break;
        }
        q.fn();
      }
    };
    // 50 requests within 1 s, 20 ms apart → at most 11 flushes (one per 100 ms plus the trailing one).
    for (let k = 0; k < 50; k++) {
      t.request();
      advance(k * 20);
    }
    advance(2000);
    expect(flushes).toBeGreaterThan(0);
    expect(flushes).toBeLessThanOrEqual(11);
    expect(queue).toHaveLength(0);
  });
});

describe('chart data', () => {
  it('decimation keeps extremes, ends and order within the point budget', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 3000 }),
        fc.integer({ min: 4, max: 400 }),
        (ys, max) => {
          const xs = ys.map((_, i) => i);
          const d = decimate(xs, ys, max);
          expect(d.length).toBeLessThanOrEqual(Math.max(max, 0) || ys.length);
          expect(d[0].x).toBe(0);
          expect(d[d.length - 1].x).toBe(ys.length - 1);
          for (let i = 1; i < d.length; i++) expect(d[i].x).toBeGreaterThan(d[i - 1].x);
          const ds = d.map((p) => p.y);
          expect(Math.min(...ds)).toBe(Math.min(...ys));
          expect(Math.max(...ds)).toBe(Math.max(...ys));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('log scale turns non-positive values into gaps', () => {
    expect(
      forLogScale([
        { x: 1, y: 0 },
        { x: 2, y: 3 },
        { x: 3, y: -1 },
      ]).map((p) => p.y),
    ).toEqual([NaN, 3, NaN]);
  });

  it('heatmap conserves mass per snapshot and places values in the right rows', () => {
    const h = histogramHeatmap(
      [
        { min: 0, max: 1, counts: [10, 0] }, // all in [0, 0.5)
        { min: 0, max: 2, counts: [0, 0, 0, 4] }, // all in [1.5, 2]
        { min: 5, max: 5, counts: [3] }, // outside → widen? no: union range is [0, 5]
      ],
      10,
    );
    expect(h.min).toBe(0);
    expect(h.max).toBe(5);
    for (const col of h.cells) expect(col.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Rows are 0.5 wide: [0, 0.5) is row 0; [1.5, 2] is row 3; 5 is the last row.
    expect(h.cells[0][0]).toBeCloseTo(1, 12);
    expect(h.cells[1][3]).toBeCloseTo(1, 12);
    expect(h.cells[2][9]).toBe(1);
  });

  it('grid values and geometric contour levels', () => {
    const g = gridValues((x, y) => x * x + y * y, -1, 1, -2, 2, 3, 5);
    expect(g).toHaveLength(15);
    expect(g[0]).toBe(1 + 4);
    expect(g[2 * 3 + 1]).toBe(0);
    const lv = contourLevels([1, 10, 100, 1000], 2);
    expect(lv[0]).toBeCloseTo(10, 9);
    expect(lv[1]).toBeCloseTo(100, 9);
  });
});

describe('exports', () => {
  function twoRuns(): RunRecord[] {
    const a = started();
    applyEvent(a, epoch(1, { loss: 0.123456789012345, accuracy: 0.5 }, { loss: 0.2 }));
    applyEvent(a, epoch(2, { loss: 0.1 }, null));
    const b = newRunRecord('local-2', 'Run "2", big', { ...settings, seed: 8 });
    b.runId = 'r2';
    applyEvent(b, { type: 'started', runId: 'r2', backend: 'cpu', epochs: 1, batchesPerEpoch: 1 });
    applyEvent(b, { ...epoch(1, { loss: 0.3 }), runId: 'r2' } as RunEvent);
    return [a, b];
  }

  it('history CSV parses back (PapaParse) to the same numbers, empty cells for gaps', () => {
    const csv = historyCsv(twoRuns());
    const parsed = Papa.parse<string[]>(csv.trim()).data;
    expect(parsed[0]).toEqual(['run', 'epoch', 'lr', 'train.accuracy', 'train.loss', 'validation.loss']);
    expect(parsed).toHaveLength(4);
    expect(Number(parsed[1][4])).toBe(0.123456789012345);
    expect(parsed[2][3]).toBe(''); // accuracy not reported in epoch 2
    expect(parsed[3][0]).toBe('Run "2", big');
  });

  it('comparison CSV has one row per run', () => {
    const rows = Papa.parse<string[]>(comparisonCsv(twoRuns()).trim()).data;
    expect(rows).toHaveLength(3);
    expect(rows[1][5]).toBe('7');
    expect(rows[2][5]).toBe('8');
    expect(rows[1][9]).toBe('1'); // best validation epoch of run 1
  });

  it('SVG line chart maps the extreme points to the plot corners and breaks at gaps', () => {
    const svg = lineChartSvg(
      'Loss <train>',
      [{ label: 'train', color: '#f00', xs: [0, 1, 2, 3], ys: [4, 3, NaN, 1] }],
      { width: 200, height: 100 },
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Loss &lt;train&gt;');
    const d = /<path d="([^"]+)"/.exec(svg)![1];
    // Two pieces (gap at x=2): two 'M' commands. First point at (left margin 56, top margin 28).
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.startsWith('M56.00 28.00')).toBe(true);
    // Last point: right edge (200 − 16) and bottom (100 − 40).
    expect(d.endsWith('M184.00 60.00')).toBe(true);
  });

  it('file stems are safe', () => {
    expect(fileStem('Run 3 · iris.csv')).toBe('run-3-iris-csv');
    expect(fileStem('···')).toBe('chart');
  });
});
