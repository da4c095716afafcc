/**
 * Lecture experiment "The effect of standardization": the running regression with x ∈ [100, 101].
 * Full-batch gradient descent on the mean squared error, counting steps until the parameters
 * (mapped back to original units) are within 0.01 (max-norm) of the least-squares solution, with
 * raw x and with z-scored x, each at the fastest learning rate of a grid search over stable
 * rates; capped at 10⁶ steps.
 *
 * The full-batch gradient (2/N)(XᵀXθ − Xᵀy) is evaluated from the sufficient statistics XᵀX, Xᵀy
 * — algebraically the same gradient, O(1) per step, so a million steps take milliseconds.
 * The stability limit of GD on a quadratic is α < 2/λ_max(H), H = (2/N)XᵀX (closed form for 2×2).
 */
import { leastSquaresLine, makeRegression } from './regression';

export interface StandardizationOptions {
  seed?: number;
  /** Step cap (default 10⁶). */
  maxSteps?: number;
  tolerance?: number;
}

export interface StandardizationRow {
  scaling: 'raw' | 'z-score';
  /** Fastest learning rate of the grid. */
  lr: number;
  /** Steps to reach the tolerance, or null when the cap was hit. */
  steps: number | null;
  /** Stability limit 2/λ_max. */
  lrLimit: number;
  /** Condition number λ_max/λ_min of the Hessian. */
  condition: number;
  /** Learning rates tried and their step counts (null = cap). */
  grid: { lr: number; steps: number | null }[];
}

export interface StandardizationResult {
  name: 'standardization';
  maxSteps: number;
  leastSquares: [number, number];
  rows: StandardizationRow[];
  /** steps(raw)/steps(z) (a lower bound when raw hit the cap). */
  speedup: number;
}

function eig2(a: number, b: number, c: number): [number, number] {
  // eigenvalues of [[a, b], [b, c]]
  const m = (a + c) / 2;
  const r = Math.hypot((a - c) / 2, b);
  return [m - r, m + r];
}

/**
 * Runs the experiment (lecture "The effect of standardization").
 * @param opts seed of the data (default 1), maxSteps cap (default 10⁶), tolerance on θ in original units
 *   (default 0.01, max-norm).
 * @returns per scaling the fastest stable learning rate of the grid, the step count (null when the cap is
 *   hit: shown as '> 10⁶'), the stability limit 2/λ_max, the Hessian's condition number, and the speed-up.
 */
export function runStandardization(opts: StandardizationOptions = {}): StandardizationResult {
  const seed = opts.seed ?? 1;
  const cap = opts.maxSteps ?? 1_000_000;
  const tol = opts.tolerance ?? 0.01;
  const data = makeRegression(seed, 30, 100, 101);
  const n = data.x.length;
  const star = leastSquaresLine(data);
  let mu = 0;
  for (const v of data.x) mu += v / n;
  let sd = 0;
  for (const v of data.x) sd += (v - mu) ** 2 / n;
  sd = Math.sqrt(sd);

  const rows = (['raw', 'z-score'] as const).map((scaling) => {
    const f = (x: number) => (scaling === 'raw' ? x : (x - mu) / sd);
    // Sufficient statistics of the features [1, f(x)].
    let s1 = 0;
    let s2 = 0;
    let sy = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      const u = f(data.x[i]);
      s1 += u;
      s2 += u * u;
      sy += data.y[i];
      sxy += u * data.y[i];
    }
    const [lmin, lmax] = eig2((2 / n) * n, (2 / n) * s1, (2 / n) * s2);
    const limit = 2 / lmax;
    // Original units: raw θ as is; z-scored θ' ↦ [θ'₀ − θ'₁μ/σ, θ'₁/σ].
    const zs = scaling === 'z-score';
    const countSteps = (lr: number): number | null => {
      let t0 = 10;
      let t1 = 5;
      for (let k = 0; k <= cap; k++) {
        const a = zs ? t0 - (t1 * mu) / sd : t0;
        const b = zs ? t1 / sd : t1;
        if (Math.abs(a - star[0]) <= tol && Math.abs(b - star[1]) <= tol) return k;
        if (!Number.isFinite(a + b) || k === cap) break;
        const g0 = (2 / n) * (n * t0 + s1 * t1 - sy);
        const g1 = (2 / n) * (s1 * t0 + s2 * t1 - sxy);
        t0 -= lr * g0;
        t1 -= lr * g1;
      }
      return null;
    };
    // Grid: 16 log-spaced rates over two decades below the stability limit (all stable).
    const grid = Array.from({ length: 16 }, (_, k) => {
      const lr = limit * 0.99 * Math.pow(10, -k / 8);
      return { lr, steps: countSteps(lr) };
    });
    const best = grid.reduce(
      (b, g) => ((g.steps ?? Infinity) < (b.steps ?? Infinity) ? g : b),
      grid[grid.length - 1],
    );
    const fastest = grid.every((g) => g.steps === null) ? grid[0] : best;
    return { scaling, lr: fastest.lr, steps: fastest.steps, lrLimit: limit, condition: lmax / lmin, grid };
  });
  const raw = rows[0].steps ?? cap + 1;
  const z = Math.max(rows[1].steps ?? cap + 1, 1);
  return { name: 'standardization', maxSteps: cap, leastSquares: star, rows, speedup: raw / z };
}
