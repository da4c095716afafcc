import { parseCell } from './engine/data/numbers';
const DOT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const line = Array.from({length: 12}, (_, j) => ((j * 37.123 + 11) % 200 - 100).toFixed(3)).join(',');
const text = Array.from({length: 100000}, () => line).join('\n');
const cells = text.split(/[,\n]/);
const out = new Float64Array(1);
for (let rep = 0; rep < 3; rep++) {
  let t = performance.now(); let s = 0;
  for (const c of cells) { parseCell(c, '.', out); s += out[0]; }
  const a = performance.now() - t;
  t = performance.now();
  for (const c of cells) { if (DOT.test(c)) s += Number(c); }
  const b = performance.now() - t;
  t = performance.now();
  for (const c of cells) { s += +c; }
  const d = performance.now() - t;
  console.log(cells.length, 'new', a.toFixed(0), 'regex+Number', b.toFixed(0), 'plain', d.toFixed(0));
}
