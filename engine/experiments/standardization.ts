/**
 * Standardization study on the user's graph (lecture: "Standardization" and "The effect of
 * standardization" — gradient methods converge faster on normalised inputs): the same graph trained
 * twice with the same seeds and split, once with the project's feature scaling and once with another
 * (none when the project scales, z-score when it does not); per-epoch loss curves and final metrics.
 *
 * Invariants: the two runs differ only in `prepare.featureScaling` and the per-column scaling
 * overrides (cleared in the unscaled run); rows, split, targets, target scaling, seed and epochs are
 * the same, so the curves have the same length unless a run fails or stops early.
 */
import type { PreparedDataset } from '../data/prepare';
import type { FeatureScaling } from '../data/types';
import type { Project } from '../project/types';
import { runSession } from '../session/run';
import {
  flatMetrics,
  projectImportSettings,
  sessionProblem,
  withImportSettings,
  type Progress,
} from './common';

export interface ScalingRun {
  /** Feature scaling of this run ('as set' is reported by its name). */
  scaling: FeatureScaling;
  /** True for the project's own setting. */
  asSet: boolean;
  /** Per epoch: train loss (epoch average) and validation loss (NaN without a validation split). */
  trainLoss: number[];
  validationLoss: number[];
  metrics: Record<string, number>;
  problem: string | null;
  /** The prepared data of the run (for checks; not sent to the UI). */
  prepared?: PreparedDataset | null;
}

export interface StandardizationResult {
  runs: [ScalingRun, ScalingRun];
}

export interface StandardizationOptions {
  project: Project;
  data: Uint8Array;
  epochs?: number;
  seed?: number;
  batchSize?: number;
  /** Keep the prepared datasets in the result (tests). */
  keepPrepared?: boolean;
  onProgress?: Progress;
}

/** The scaling the study compares with: 'none' when the project scales its features, else 'z-score'. */
export function comparisonScaling(asSet: FeatureScaling, perColumn: boolean): FeatureScaling {
  return asSet !== 'none' || perColumn ? 'none' : 'z-score';
}

/**
 * Trains the graph with the project's feature scaling and with the comparison scaling.
 * @returns both runs (a failed run is reported in its `problem`, with the epochs it completed).
 */
export async function standardizationStudy(opts: StandardizationOptions): Promise<StandardizationResult> {
  const s = projectImportSettings(opts.project);
  const prepare = s.prepare ?? {};
  const asSet: FeatureScaling = prepare.featureScaling ?? 'none';
  const columns = prepare.columns ?? {};
  const perColumn = Object.values(columns).some((c) => c.scaling && c.scaling !== 'none');
  const other = comparisonScaling(asSet, perColumn);
  const variants: { scaling: FeatureScaling; asSet: boolean; project: Project }[] = [
    { scaling: asSet, asSet: true, project: opts.project },
    {
      scaling: other,
      asSet: false,
      project: withImportSettings(opts.project, {
        ...s,
        prepare: {
          ...prepare,
          featureScaling: other,
          // The comparison run has one scaling for every column.
          columns: Object.fromEntries(
            Object.entries(columns).map(([k, c]) => {
              const rest = { ...c };
              delete rest.scaling;
              return [k, rest];
            }),
          ),
        },
      }),
    },
  ];
  const epochs = opts.epochs ?? opts.project.training.epochs;
  const runs: ScalingRun[] = [];
  for (const [i, v] of variants.entries()) {
    const trainLoss: number[] = [];
    const validationLoss: number[] = [];
    const r = await runSession({
      project: v.project,
      data: opts.data,
      epochs,
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
      emit: (e) => {
        if (e.type !== 'epoch') return;
        trainLoss.push(e.train.loss ?? NaN);
        validationLoss.push(e.validation?.loss ?? NaN);
        opts.onProgress?.(i * epochs + e.epoch, 2 * epochs, `${v.scaling}: epoch ${e.epoch}`);
      },
    });
    runs.push({
      scaling: v.scaling,
      asSet: v.asSet,
      trainLoss,
      validationLoss,
      metrics: flatMetrics(r),
      problem: sessionProblem(r),
      ...(opts.keepPrepared ? { prepared: r.data } : {}),
    });
  }
  return { runs: [runs[0], runs[1]] };
}
