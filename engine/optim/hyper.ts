/**
 * Hyperparameter metadata (for the editor palette) and validation of user overrides.
 * Invariant: every hyperparameter an optimizer or schedule reads is declared here with a
 * default and an allowed range, so `resolveHyper` is the single place that rejects bad input.
 */

/** Description of one numeric hyperparameter. */
export interface HyperSpec {
  /** Key in the `hyper` record, e.g. 'beta1'. */
  name: string;
  /** Symbol or short label shown in the UI, e.g. 'β₁'. */
  label: string;
  default: number;
  /** Inclusive bounds. */
  min: number;
  max: number;
  /** Slider scale for the palette. */
  scale: 'linear' | 'log';
  integer?: boolean;
  description: string;
}

/** Palette metadata common to optimizers and schedules. */
export interface MethodInfo {
  name: string;
  label: string;
  /** Update rule in LaTeX (lecture notation). */
  formula: string;
  /** One-line explanation. */
  summary: string;
  hyper: HyperSpec[];
}

/**
 * Fills defaults and validates overrides.
 * @throws RangeError naming the method and parameter for unknown names, non-finite or out-of-range
 *   values, and non-integers where an integer is required.
 */
export function resolveHyper(
  method: string,
  specs: readonly HyperSpec[],
  overrides: Record<string, number> = {},
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of specs) out[s.name] = s.default;
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) continue;
    const spec = specs.find((s) => s.name === k);
    if (!spec) {
      const known = specs.map((s) => s.name).join(', ') || '(none)';
      throw new RangeError(`${method}: unknown hyperparameter '${k}'; known: ${known}`);
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v < spec.min || v > spec.max) {
      throw new RangeError(
        `${method}: hyperparameter '${k}' (${spec.label}) = ${v} is outside [${spec.min}, ${spec.max}]`,
      );
    }
    if (spec.integer && !Number.isInteger(v)) {
      throw new RangeError(`${method}: hyperparameter '${k}' (${spec.label}) must be an integer, got ${v}`);
    }
    out[k] = v;
  }
  return out;
}
