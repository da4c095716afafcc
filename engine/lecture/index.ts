/**
 * The lecture's experiments as engine functions: `runExperiment(name, options)` returns a plain
 * result object (for the app's plots and the `npm run lecture` / `netloom lecture` commands) and
 * `formatTable(result)` prints the table the lecture shows.
 * Invariant: results depend only on (name, options) — every run is seeded.
 */
import { runOptimizers, type OptimizersResult } from './optimizers';
import { runSecondOrder, type SecondOrderResult } from './second-order';
import { runStandardization, type StandardizationResult } from './standardization';
import { runVanishing, type VanishingResult } from './vanishing';
import { runXorInit, type XorInitResult } from './xor-init';

export const EXPERIMENTS = [
  'xor-init',
  'optimizers',
  'standardization',
  'vanishing-gradients',
  'second-order',
] as const;
export type ExperimentName = (typeof EXPERIMENTS)[number];

export interface ExperimentOptions {
  /** Number of seeds (xor-init: runs per initialisation, default 20; vanishing-gradients: default 10). */
  seeds?: number;
  /** Base seed (default 1). */
  seed?: number;
}

export type ExperimentResult =
  XorInitResult | OptimizersResult | StandardizationResult | VanishingResult | SecondOrderResult;

/** Which experiments use `seeds`. */
export const USES_SEEDS: Record<ExperimentName, boolean> = {
  'xor-init': true,
  optimizers: false,
  standardization: false,
  'vanishing-gradients': true,
  'second-order': false,
};

/**
 * Runs one experiment.
 * @throws RangeError for an unknown name (listing the known ones) or bad options.
 */
export function runExperiment(name: string, options: ExperimentOptions = {}): ExperimentResult {
  const { seeds, seed } = options;
  switch (name) {
    case 'xor-init':
      return runXorInit({ seeds, seed });
    case 'optimizers':
      return runOptimizers({ seed });
    case 'standardization':
      return runStandardization({ seed });
    case 'vanishing-gradients':
      return runVanishing({ seeds, seed });
    case 'second-order':
      return runSecondOrder({ seed });
    default:
      throw new RangeError(`unknown lecture experiment '${name}'; choose one of: ${EXPERIMENTS.join(', ')}`);
  }
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const f4 = (v: number) => v.toFixed(4);
const sci = (v: number) => v.toExponential(2);

/** Formats a result as the lecture's table (plain text, aligned columns). */
export function formatTable(result: ExperimentResult): string {
  switch (result.name) {
    case 'xor-init':
      return [
        'XOR, 2-4-1 sigmoid, BCE, SGD α = 0.1 momentum 0.99, 1000 full-batch epochs, biases 0',
        table(
          ['initialisation', 'failures', 'rate', 'lecture'],
          result.rows.map((r) => [
            r.label,
            `${r.failures}/${r.runs}`,
            `${((100 * r.failures) / r.runs).toFixed(1)} %`,
            r.lecture,
          ]),
        ),
        // A failure count out of 20 is one binomial draw: give its spread so that a count beside the
        // lecture's is read as a rate, not as a reproduction or a contradiction.
        ...result.rows.map((r) => {
          const p = r.failures / r.runs;
          const sd = Math.sqrt(r.runs * p * (1 - p));
          return `${r.label}: ${r.failures}/${r.runs} is one draw; ±${sd.toFixed(1)} runs (binomial sd) from draw to draw at this rate.`;
        }),
        'Compare rates, not counts: more seeds (--seeds 300) give a steadier rate.',
      ].join('\n');
    case 'optimizers':
      return [
        'y = 3x + 2 + U(−0.1, 0.1), N = 30, x ~ U(−5, 5); α = 0.005, θ₀ = [10, 5], 1000 per-sample SGD iterations',
        table(
          ['method', 'θ_1000', 'lecture', '|θ − [2, 3]|∞'],
          result.runs.map((r) => [
            r.method === 'sgd'
              ? 'SGD'
              : r.method === 'momentum'
                ? `momentum β = ${r.beta}`
                : `Nesterov β = ${r.beta}`,
            `[${f4(r.theta[0])}, ${f4(r.theta[1])}]`,
            `[${f4(r.lecture[0])}, ${f4(r.lecture[1])}]`,
            f4(Math.max(Math.abs(r.theta[0] - 2), Math.abs(r.theta[1] - 3))),
          ]),
        ),
        `least squares: [${f4(result.leastSquares[0])}, ${f4(result.leastSquares[1])}]`,
      ].join('\n');
    case 'standardization':
      return [
        'y = 3x + 2 + U(−0.1, 0.1), x ∈ [100, 101]; full-batch GD steps until within 0.01 of least squares',
        table(
          ['inputs', 'learning rate', 'steps', 'condition number'],
          result.rows.map((r) => [
            r.scaling === 'raw' ? 'raw x' : 'z-scored x',
            sci(r.lr),
            r.steps === null ? '> 10⁶' : String(r.steps),
            sci(r.condition),
          ]),
        ),
        `speed-up from z-scoring: ${result.rows[0].steps === null ? '> ' : ''}${Math.round(result.speedup).toLocaleString('en-US')}×`,
      ].join('\n');
    case 'vanishing-gradients':
      return [
        `${result.depth} bias-free Dense layers of width 64, batch 256 from N(0, 1), at initialisation`,
        table(
          ['setup', 'median ‖∂L/∂W₁‖ / ‖∂L/∂W₁₀‖', 'median ‖∂L/∂W₁‖', 'median ‖∂L/∂W₁₀‖'],
          result.rows.map((r) => [
            r.label,
            sci(r.median),
            sci(r.layerNorms[0]),
            sci(r.layerNorms[result.depth - 1]),
          ]),
        ),
      ].join('\n');
    case 'second-order':
      return [
        'least squares 30 × 4: iterations to reach the closed form within 1e−6; then a loss with NaN in the data',
        table(
          ['method', 'iterations', 'error', 'loss evaluations', 'non-finite loss'],
          result.rows.map((r) => [
            r.method === 'lbfgs' ? 'L-BFGS' : r.method === 'cg' ? 'CG (PR+)' : 'Newton',
            r.converged ? String(r.iterations) : `> ${r.iterations}`,
            sci(r.error),
            String(r.lossEvaluations),
            r.nonFiniteError ? 'stopped with error' : 'NO ERROR (bug)',
          ]),
        ),
      ].join('\n');
  }
}
