import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
const text = readFileSync('/tmp/netloom-bench-data-ttmEY6/numeric.csv', 'utf8');
const pieces: string[] = [];
for (let o = 0; o < text.length; ) { let e = text.indexOf('\n', o + (1 << 20)); if (e < 0) e = text.length; pieces.push(text.slice(o, e)); o = e + 1; }
for (let rep = 0; rep < 2; rep++) {
  let c0 = process.cpuUsage(); let n = 0;
  for (const p of pieces) n += Papa.parse<string[]>(p, { delimiter: ',', newline: '\n' }).data.length;
  let c = process.cpuUsage(c0); console.log('papa', n, ((c.user + c.system) / 1e6).toFixed(2));
  c0 = process.cpuUsage(); n = 0;
  for (const p of pieces) { for (const line of p.split('\n')) { n += line.split(',').length; } }
  c = process.cpuUsage(c0); console.log('split', n, ((c.user + c.system) / 1e6).toFixed(2));
}
