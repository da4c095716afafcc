// Axis titles of exported line charts (ROC: false/true-positive rate; regression: actual/predicted):
// the y title is drawn rotated at the left, clear of the tick labels.
import { describe, expect, it } from 'vitest';
import { lineChartSvg } from '../../../src-renderer/training/export';

const roc = [{ label: 'ROC', color: '#4452d9', xs: [0, 0.5, 1], ys: [0, 0.8, 1] }];

describe('lineChartSvg axis titles', () => {
  it('writes both titles, the y one rotated by −90°', () => {
    const svg = lineChartSvg('ROC curve', roc, {
      xLabel: 'false-positive rate',
      yLabel: 'true-positive rate',
    });
    expect(svg).toContain('>false-positive rate</text>');
    const y = /<text ([^>]*)>true-positive rate<\/text>/.exec(svg);
    expect(y).not.toBeNull();
    expect(y![1]).toMatch(/rotate\(-90 /);
  });
  it('keeps the y title left of every tick label', () => {
    const svg = lineChartSvg('ROC curve', roc, { yLabel: 'true-positive rate' });
    const titleX = Number(/<text x="([\d.]+)"[^>]*>true-positive rate</.exec(svg)![1]);
    // Tick labels are right-aligned (text-anchor end) at the plot's left margin; a 5-character
    // tick at 11 px is at most ~35 px wide, so the margin must leave that plus the title's line.
    const tickXs = [...svg.matchAll(/<text x="([\d.]+)"[^>]*text-anchor="end"/g)].map((m) => Number(m[1]));
    expect(tickXs.length).toBeGreaterThan(0);
    for (const x of tickXs) expect(x - 35).toBeGreaterThan(titleX + 6);
  });
  it('omits the y title when none is given', () => {
    const svg = lineChartSvg('Loss', roc, { xLabel: 'epoch' });
    expect(svg).not.toContain('rotate(-90');
  });
});
