/**
 * `npm run bench -- --suite data [--rows N] [--keep]`: generates an N-row × 12-column numeric CSV
 * (default 1,000,000 rows, ~80 MB) in a temp folder, then streams it through the importer
 * (read + type) and prepareDataset (split, z-score, encode to Float32Array). Reports wall time
 * per stage and the process's peak RSS. Target (issue #5): < 10 s and < 1 GB on 2 cores.
 * Reported, never asserted.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { prepareDataset } from '../../engine/data/prepare';
import { readTableFile } from '../../src-main/cli/read-file';

/** lowbias32 integer hash → [0, 1) (same generator as bench/WORKLOADS.md). */
function u(k: number, salt: number): number {
  let x = (k + Math.imul(salt, 0x9e3779b9)) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return (x >>> 0) / 4294967296;
}

async function generate(path: string, rows: number, cols: number): Promise<void> {
  const ws = createWriteStream(path);
  const header =
    Array.from({ length: cols - 1 }, (_, j) => `x${j + 1}`)
      .concat('y')
      .join(',') + '\n';
  ws.write(header);
  const block = 10_000;
  for (let r0 = 0; r0 < rows; r0 += block) {
    const lines: string[] = [];
    for (let r = r0; r < Math.min(rows, r0 + block); r++) {
      const f: string[] = [];
      let y = 0;
      for (let c = 0; c < cols - 1; c++) {
        const v = 200 * u(r * cols + c, 1) - 100;
        y += v;
        f.push(v.toFixed(3));
      }
      f.push((y / (cols - 1)).toFixed(4));
      lines.push(f.join(','));
    }
    if (!ws.write(lines.join('\n') + '\n')) await once(ws, 'drain');
  }
  ws.end();
  await once(ws, 'finish');
}

export async function run(args: string[]): Promise<void> {
  const ri = args.indexOf('--rows');
  const rows = ri >= 0 ? Number(args[ri + 1]) : 1_000_000;
  const cols = 12;
  const dir = mkdtempSync(join(tmpdir(), 'netloom-bench-data-'));
  const path = join(dir, 'numeric.csv');
  try {
    let t = performance.now();
    await generate(path, rows, cols);
    const genS = (performance.now() - t) / 1000;
    const bytes = statSync(path).size;
    const rssBefore = process.memoryUsage().rss;
    let peakSampled = rssBefore;
    const timer = setInterval(() => (peakSampled = Math.max(peakSampled, process.memoryUsage().rss)), 50);
    const cpu0 = process.cpuUsage();
    t = performance.now();
    const table = await readTableFile(
      path,
      {},
      { onProgress: () => (peakSampled = Math.max(peakSampled, process.memoryUsage().rss)) },
    );
    const readS = (performance.now() - t) / 1000;
    const cpu1 = process.cpuUsage();
    t = performance.now();
    const prepared = prepareDataset(table, { featureScaling: 'z-score', targetScaling: 'z-score' });
    const prepS = (performance.now() - t) / 1000;
    const cpu2 = process.cpuUsage();
    const cpuS = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage): number =>
      (b.user - a.user + b.system - a.system) / 1e6;
    clearInterval(timer);
    peakSampled = Math.max(peakSampled, process.memoryUsage().rss);
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    const result = {
      rows,
      columns: cols,
      fileMB: bytes / 1e6,
      generateSeconds: genS,
      readAndTypeSeconds: readS,
      prepareSeconds: prepS,
      totalImportSeconds: readS + prepS,
      readCpuSeconds: cpuS(cpu0, cpu1),
      prepareCpuSeconds: cpuS(cpu1, cpu2),
      rowsPerSecond: rows / (readS + prepS),
      peakRssMB: maxRssMb,
      rssBeforeImportMB: rssBefore / 1048576,
      sampledPeakRssMB: peakSampled / 1048576,
      featureShape: [prepared.rows, prepared.featureWidth],
      targetWidth: prepared.targetWidth,
      problems: prepared.report.problems.length,
      node: process.version,
    };
    console.log(
      `data import benchmark: ${rows.toLocaleString()} rows × ${cols} columns, ${result.fileMB.toFixed(1)} MB`,
    );
    console.log(`  read + type       ${readS.toFixed(2)} s wall, ${result.readCpuSeconds.toFixed(2)} s CPU`);
    console.log(
      `  prepare + encode  ${prepS.toFixed(2)} s wall, ${result.prepareCpuSeconds.toFixed(2)} s CPU`,
    );
    console.log(
      `  total             ${result.totalImportSeconds.toFixed(2)} s  (target < 10 s)  ${Math.round(result.rowsPerSecond).toLocaleString()} rows/s`,
    );
    console.log(
      `  (wall time includes waiting for the CPU when the machine is busy; load average now ${loadavg()[0].toFixed(1)})`,
    );
    console.log(`  peak RSS          ${maxRssMb.toFixed(0)} MB (process max; target < 1024 MB)`);
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/data.json', JSON.stringify(result, null, 2));
  } finally {
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`  kept ${path}`);
  }
}
