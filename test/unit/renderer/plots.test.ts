import { describe, expect, it } from 'vitest';
import { activationPlot, initializerPlot, schedulePlot } from '../../../src-renderer/lib/plots';

describe('inspector plots', () => {
  it('sigmoid and its derivative match the closed form σ(1−σ) and a central difference', () => {
    const p = activationPlot('sigmoid', {})!;
    const [val, der] = p.series;
    expect(val.points).toHaveLength(201);
    expect(val.points[0].x).toBe(-5);
    expect(val.points[200].x).toBe(5);
    for (const i of [20, 100, 173]) {
      const x = val.points[i].x;
      const s = 1 / (1 + Math.exp(-x));
      expect(val.points[i].y).toBeCloseTo(s, 12);
      expect(der.points[i].y).toBeCloseTo(s * (1 - s), 12);
      const h = 1e-5;
      const fd = (1 / (1 + Math.exp(-(x + h))) - 1 / (1 + Math.exp(-(x - h)))) / (2 * h);
      expect(der.points[i].y).toBeCloseTo(fd, 8);
    }
    expect(activationPlot('softmax', {})).toBeNull();
  });

  it('the uniform initializer density is flat at 1/(b − a) and He normal has variance 2/fan_in', () => {
    const u = initializerPlot('uniform', { a: -0.5, b: 1.5 }, 4, 4)!;
    const mean = u.series[0].points.reduce((s, p) => s + p.y, 0) / u.series[0].points.length;
    expect(mean).toBeCloseTo(0.5, 1);
    const he = initializerPlot('he_normal', { mode: 'fan_in', truncated: false }, 50, 10)!;
    const pts = he.series[0].points;
    const w = pts[1].x - pts[0].x;
    const m = pts.reduce((s, p) => s + p.x * p.y * w, 0);
    const v = pts.reduce((s, p) => s + (p.x - m) ** 2 * p.y * w, 0);
    expect(v).toBeGreaterThan((2 / 50) * 0.9);
    expect(v).toBeLessThan((2 / 50) * 1.1);
    expect(initializerPlot('zeros', {}, 4, 4)).toBeNull();
  });

  it('the cosine schedule starts at α₀ and reaches α_min at T (closed form at T/2)', () => {
    const p = schedulePlot('cosine', { minLr: 0.001, duration: 20 }, 0.1, 21)!;
    const y = p.series[0].points.map((q) => q.y);
    expect(y[0]).toBeCloseTo(0.1, 12);
    expect(y[10]).toBeCloseTo(0.001 + 0.5 * (0.1 - 0.001) * (1 + Math.cos(Math.PI / 2)), 12);
    expect(y[20]).toBeCloseTo(0.001, 12);
    expect(schedulePlot('no-such-schedule', {}, 0.1, 10)).toBeNull();
  });
});
