/**
 * Shared pieces of the experiments on the user's own graph (engine/experiments): the project's
 * import settings as the session reads them, a project copy with other import or training
 * settings, sample statistics, and the metric record of a finished session.
 *
 * Invariants: platform-neutral (no Node, DOM or Electron); the input project is never mutated —
 * every variant is a structural copy that shares nothing the session writes to.
 */
import type { PrepareOptions, ReadOptions } from '../data/types';
import type { Project } from '../project/types';
import { projectImportSettings, type ImportSettings } from '../session/dataset';
import type { SessionResult } from '../session/run';

export { projectImportSettings };

/**
 * A copy of `project` whose import settings are `settings` (written to the dataset reference, and to
 * the Dataset node's `settings` param when the project has no dataset reference, the two places
 * runSession reads).
 */
export function withImportSettings(project: Project, settings: ImportSettings): Project {
  const json = JSON.parse(JSON.stringify(settings)) as Record<string, never>;
  if (project.dataset) return { ...project, dataset: { ...project.dataset, importSettings: json } };
  return {
    ...project,
    graph: {
      ...project.graph,
      nodes: project.graph.nodes.map((n) =>
        n.type === 'Dataset' ? { ...n, params: { ...n.params, settings: json } } : n,
      ),
    },
  };
}

/** A copy of `project` with `prepare` options merged over its import settings. */
export function withPrepare(project: Project, patch: PrepareOptions, read?: ReadOptions): Project {
  const s = projectImportSettings(project);
  return withImportSettings(project, {
    ...((read ?? s.read) ? { read: read ?? s.read } : {}),
    prepare: { ...(s.prepare ?? {}), ...patch },
  });
}

/** Mean and sample standard deviation (n − 1 in the denominator; 0 for a single value). NaN for none. */
export function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, sd: NaN };
  let m = 0;
  for (const v of values) m += v;
  m /= n;
  if (n === 1) return { mean: m, sd: 0 };
  let s = 0;
  for (const v of values) s += (v - m) ** 2;
  return { mean: m, sd: Math.sqrt(s / (n - 1)) };
}

/** Final metrics of a session as one flat record: 'train.loss', 'validation.accuracy', … */
export function flatMetrics(r: SessionResult): Record<string, number> {
  const out: Record<string, number> = {};
  const f = r.final;
  if (!f) return out;
  for (const [split, rec] of Object.entries(f))
    if (rec) for (const [k, v] of Object.entries(rec)) if (typeof v === 'number') out[`${split}.${k}`] = v;
  return out;
}

/** The message of a failed or stopped session, or null when it finished. */
export function sessionProblem(r: SessionResult): string | null {
  const t = r.terminal;
  if (t.type === 'failed') return t.message;
  if (t.type === 'stopped') return 'The run was stopped.';
  return null;
}

/** Progress callback of the long experiments: `done` of `total` units (epochs or runs), with a label. */
export type Progress = (done: number, total: number, label: string) => void;
