/**
 * `npm run bench [-- --suite NAME | --backend webgpu] [suite options]`: runs one benchmark suite and
 * prints its table; each suite also writes JSON to bench-results/<suite>.json. Suites live in
 * bench/suites/<name>.ts and export `run(args: string[]): Promise<void>`.
 * Benchmarks are never asserted in tests; they only report figures.
 *
 * WebAssembly relaxed SIMD: the app's runtime (Electron 45, V8 14) ships it, so its GEMM uses the fused
 * multiply-add kernel (engine/backend/wasm/gemm.ts gemmUsesFma); Node 20 only validates it behind a V8
 * flag, which this runner turns on before any module is compiled, so the figures are those of the app.
 * `--no-relaxed-simd` measures the plain multiply + add kernel instead.
 */
import { setFlagsFromString } from 'node:v8';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const relaxed = !argv.includes('--no-relaxed-simd');
if (relaxed) setFlagsFromString('--experimental-wasm-relaxed-simd');
const args = argv.filter((a) => a !== '--no-relaxed-simd');
const i = args.indexOf('--suite');
// `--backend webgpu` without a suite means the WebGPU suite (W1–W4 on WebGPU beside the CPU).
const b = args.indexOf('--backend');
const defaultSuite = b >= 0 && args[b + 1] === 'webgpu' ? 'webgpu' : 'engine';
const suite = i >= 0 ? args[i + 1] : defaultSuite;
const withoutSuite = i >= 0 ? [...args.slice(0, i), ...args.slice(i + 2)] : args;
const rest =
  suite === 'webgpu' && b >= 0
    ? withoutSuite.filter((_, k, a) => a[k] !== '--backend' && a[k - 1] !== '--backend')
    : withoutSuite;
const available = readdirSync(join(here, 'suites'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));
if (!suite || !available.includes(suite)) {
  console.error(`Unknown suite '${suite}'. Available: ${available.join(', ') || '(none yet)'}`);
  process.exit(2);
}
const mod = (await import(`./suites/${suite}.ts`)) as { run(args: string[]): Promise<void> };
await mod.run(rest);
