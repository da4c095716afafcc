/**
 * `npm run bench -- --suite threads [--rounds N]`: the GEMM helper-thread threshold. For the three
 * layouts of a Dense layer's step (forward X·W, weight gradient Xᵀ·δ, input gradient δ·Wᵀ) at batch
 * sizes and widths whose m·n·k spans 2¹⁶…2²⁴, times engine/backend/wasm/gemm.ts on one thread and on
 * two (one helper, the threshold lowered to 0 so every product is split), and prints the speed-up.
 * The trainer's automatic choice (engine/backend/wasm/pool.ts) uses THREAD_MIN_FLOPS, set from this.
 * Writes bench-results/threads.json. Figures only; nothing is asserted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gemmWasm, setThreadMinFlops, THREAD_MIN_FLOPS } from '../../engine/backend/wasm/gemm';
import { Rng } from '../../engine/random/rng';

const here = dirname(fileURLToPath(import.meta.url));

/** [batch, in, out] of a layer. */
const SHAPES: [number, number, number][] = [
  [32, 32, 64], // 2^16
  [64, 64, 64], // 2^18
  [64, 64, 128], // 2^19
  [64, 128, 128], // 2^20
  [64, 128, 256], // 2^21
  [128, 128, 256], // 2^22
  [128, 256, 256], // 2^23
  [128, 784, 256], // W3's first layer, ≈ 2^24.6
];

/** Median milliseconds of one call of `f` (each sample runs it enough times to last ≥ 20 ms). */
function time(f: () => void, rounds: number): number {
  f();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    if (performance.now() - t0 >= 20) break;
    reps *= 2;
  }
  const ms: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    ms.push((performance.now() - t0) / reps);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)];
}

export async function run(args: string[]): Promise<void> {
  const ri = args.indexOf('--rounds');
  const rounds = ri >= 0 ? Number(args[ri + 1]) : 5;
  if (!(Number.isInteger(rounds) && rounds >= 1)) throw new RangeError('--rounds needs a positive integer');
  const { startGemmThreads } = (await import(
    '../../engine/backend/wasm/threads.node' + '.ts'
  )) as typeof import('../../engine/backend/wasm/threads.node');
  const rng = new Rng(1);
  const rand = (n: number) => Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
  const load0 = loadavg();
  const rows: { shape: [number, number, number]; flops: number; oneMs: number; twoMs: number }[] = [];
  for (const [b, i, o] of SHAPES) {
    const x = rand(b * i);
    const w = rand(i * o);
    const d = rand(b * o);
    const y = new Float32Array(b * o);
    const dw = new Float32Array(i * o);
    const dx = new Float32Array(b * i);
    // One training step's three products of this layer.
    const step = () => {
      gemmWasm(x, w, y, b, o, i, false, false);
      gemmWasm(x, d, dw, i, o, b, true, false);
      gemmWasm(d, w, dx, b, i, o, false, true);
    };
    const oneMs = time(step, rounds);
    const pool = startGemmThreads(1);
    const prev = setThreadMinFlops(0);
    let twoMs: number;
    try {
      twoMs = time(step, rounds);
    } finally {
      setThreadMinFlops(prev);
      await pool.close();
    }
    rows.push({ shape: [b, i, o], flops: b * i * o, oneMs, twoMs });
  }
  const load1 = loadavg();
  console.log(
    `\nGEMM threads (one layer's forward + two gradient products; median of ${rounds}; load ${load0
      .map((v) => v.toFixed(2))
      .join(
        ' ',
      )} → ${load1.map((v) => v.toFixed(2)).join(' ')}; THREAD_MIN_FLOPS = 2^${Math.log2(THREAD_MIN_FLOPS)})`,
  );
  console.log('batch×in×out       m·n·k     1 thread ms  2 threads ms  speed-up');
  for (const r of rows)
    console.log(
      `${r.shape.join('×').padEnd(14)} ${('2^' + Math.log2(r.flops).toFixed(1)).padStart(9)} ${r.oneMs
        .toFixed(3)
        .padStart(14)} ${r.twoMs.toFixed(3).padStart(13)} ${(r.oneMs / r.twoMs).toFixed(2).padStart(8)}×`,
    );
  const out = join(here, '..', '..', 'bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'threads.json'),
    JSON.stringify({ suite: 'threads', date: new Date().toISOString(), load: [load0, load1], rows }, null, 2),
  );
}
