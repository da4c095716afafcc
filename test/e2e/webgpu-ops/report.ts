// What the browser entry (./entry.ts) hands back to the spec: plain JSON, one row per case.
import type { CaseGroup } from '../../unit/webgpu/cases';

/** Worst element of one comparison: ratio = |got − want| / tolerance (≤ 1 passes). */
export interface Worst {
  ratio: number;
  index: number;
  got: number;
  want: number;
}

export interface CaseResult {
  name: string;
  group: CaseGroup | 'vjp';
  /** Relative tolerance used (atol is 1e−6). */
  rtol: number;
  /** WebGPU vs CPU backend: one entry for an op; [value, grad 0, grad 1, …] for a VJP case. */
  vsCpu: Worst[];
  /** WebGPU vs the float64 JS reference (ops only; null for VJP cases). */
  vsReference: Worst | null;
  /** VJP cases: some CPU gradient exceeds 1e−3 in size (else equality proves nothing). */
  gradientNonZero: boolean;
  /** The exception the case threw ('' when none). */
  error: string;
}

export interface OpsReport {
  /** The WebGPU backend's device, or null when none could be created (see reason). */
  backend: { adapterDescription: string; featureLevel: string; matmul: string; tile: number } | null;
  reason: string;
  results: CaseResult[];
}
