/**
 * Web Worker for the decision map and Predict (./decision-grid, engine/session/predict), so the model
 * never runs on the UI thread. One request in, one reply out, matched by `id`. The project arrives as the
 * saved document (JSON) and is loaded here; the rebuilt model and the training view are cached for
 * as long as the latest run and the data file stay the same.
 */
import { graphProjectHooks } from '../../engine/graph';
import { loadProject, type Project } from '../../engine/project';
import type { ExportModel } from '../../engine/export';
import { importSettingsOf } from '../../engine/session/dataset';
import {
  chooseTrainedRun,
  predictCsv,
  PredictError,
  readOptionsOf,
  restoreModel,
  type PredictionTable,
} from '../../engine/session/predict';
import { decisionMap, trainingView, type DecisionMap, type TrainingView } from './decision-grid';

export type WorkerRequest =
  | { id: number; kind: 'view'; project: unknown; data: { name: string; bytes: Uint8Array } }
  | {
      id: number;
      kind: 'decision';
      project: unknown;
      data: { name: string; bytes: Uint8Array };
      x: string;
      y: string;
      n: number;
    }
  | { id: number; kind: 'predict'; project: unknown; file: { name: string; bytes: Uint8Array } };

export type WorkerReply =
  | { id: number; ok: true; kind: 'view'; view: TrainingView; classes: string[]; runLabel: string }
  | { id: number; ok: true; kind: 'decision'; map: DecisionMap; runLabel: string }
  | { id: number; ok: true; kind: 'predict'; table: PredictionTable; runLabel: string }
  | { id: number; ok: false; message: string; problems?: string[] };

let cached: { key: string; project: Project; model: ExportModel } | null = null;
let cachedView: { key: string; view: TrainingView } | null = null;

function modelOf(doc: unknown): { project: Project; model: ExportModel; key: string } {
  let project: Project;
  try {
    project = loadProject(JSON.stringify(doc), { hooks: graphProjectHooks });
  } catch (e) {
    throw new PredictError(`The project cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  // The same choice and checks as `netloom predict` (engine/session/predict); throws a PredictError.
  const { run, recipe } = chooseTrainedRun(project);
  const key = `${run.id}@${run.checkpoint!.epoch}/${run.finishedAt}`;
  if (cached?.key === key) return cached;
  cached = {
    key,
    project,
    model: restoreModel(run, recipe, { appVersion: project.app.version, name: project.name }),
  };
  return cached;
}

function viewOf(
  p: { project: Project; model: ExportModel; key: string },
  data: { name: string; bytes: Uint8Array },
) {
  const key = `${p.key}|${data.name}|${data.bytes.byteLength}`;
  if (cachedView?.key === key) return cachedView.view;
  const view = trainingView(p.model.recipe, data.bytes, importSettingsOf(p.project.dataset?.importSettings));
  cachedView = { key, view };
  return view;
}

const runLabel = (p: { model: ExportModel; key: string }) =>
  `${p.key.slice(0, p.key.indexOf('@'))}, epoch ${p.model.epoch}`;

function handle(req: WorkerRequest): WorkerReply {
  const p = modelOf(req.project);
  switch (req.kind) {
    case 'view':
      return {
        id: req.id,
        ok: true,
        kind: 'view',
        view: viewOf(p, req.data),
        classes: p.model.classes,
        runLabel: runLabel(p),
      };
    case 'decision':
      return {
        id: req.id,
        ok: true,
        kind: 'decision',
        map: decisionMap(p.model, viewOf(p, req.data), req.x, req.y, req.n),
        runLabel: runLabel(p),
      };
    case 'predict':
      return {
        id: req.id,
        ok: true,
        kind: 'predict',
        table: predictCsv(p.model, req.file.bytes, readOptionsOf(p.project), req.file.name),
        runLabel: runLabel(p),
      };
  }
}

const scope = self as unknown as {
  onmessage: ((e: { data: WorkerRequest }) => void) | null;
  postMessage(m: unknown): void;
};

scope.onmessage = (e) => {
  try {
    scope.postMessage(handle(e.data));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const problems = err instanceof PredictError && err.problems.length > 1 ? err.problems : undefined;
    scope.postMessage({ id: e.data.id, ok: false, message, problems } satisfies WorkerReply);
  }
};
