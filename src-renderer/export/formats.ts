/**
 * The export dialog's framework-free part: the formats of engine/export (docs/export.md), a
 * one-line summary of what each writes, the refusal when the project has no trained run, and the
 * files (suggested name + bytes) each format produces for `host.exportFile`.
 *
 * Invariants: builds everything in memory (no host access); a project that cannot be exported
 * gives a message (never a throw from `exportRefusal`); `buildExport` throws engine/export's
 * ExportError with the reason (node, tensor) when the chosen format cannot represent the model.
 */
import {
  exportModelFromProject,
  exportOnnx,
  exportPytorch,
  exportSafetensors,
  exportWeightsJson,
  latestTrainedRun,
} from '../../engine/export';
import type { Project } from '../../engine/project';

export type ExportFormatId = 'json' | 'safetensors' | 'onnx' | 'pytorch';

export interface ExportFormat {
  id: ExportFormatId;
  label: string;
  /** One line: what the export writes. */
  summary: string;
}

export const EXPORT_FORMATS: readonly ExportFormat[] = [
  {
    id: 'json',
    label: 'JSON weights',
    summary: 'One readable .json file: weights, graph, preprocessing and class labels.',
  },
  {
    id: 'safetensors',
    label: 'safetensors',
    summary: 'The weights as a .safetensors file, named and laid out as PyTorch expects.',
  },
  {
    id: 'onnx',
    label: 'ONNX',
    summary: 'An .onnx model (opset 17): raw CSV columns in, probabilities/labels or values out.',
  },
  {
    id: 'pytorch',
    label: 'PyTorch script',
    summary: 'A .py nn.Module with predict and train, plus its .safetensors weights (two files).',
  },
];

export interface ExportFile {
  suggestedName: string;
  bytes: Uint8Array;
  /** Save-dialog filter label. */
  filterName: string;
}

/** Why the project cannot be exported (no run with weights, no fitted preprocessing), or null. */
export function exportRefusal(project: Project): string | null {
  if (!latestTrainedRun(project))
    return 'Nothing to export yet: this project has no trained run. Train it in the Training tab first.';
  if (!project.dataset?.preprocessing)
    return 'Nothing to export yet: the project has no fitted preprocessing. Train it once with its data.';
  return null;
}

/** File-name stem from the project name: letters, digits, '-', '_' (else 'model'). */
export function fileStem(name: string): string {
  const s = name
    .trim()
    .replace(/\.netloom(\.json)?$/i, '')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return s || 'model';
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/**
 * The files of one export of the project's latest trained run.
 * @throws Error with the refusal text when `exportRefusal` is not null; ExportError from engine/export.
 */
export function buildExport(project: Project, format: ExportFormatId): ExportFile[] {
  const refusal = exportRefusal(project);
  if (refusal) throw new Error(refusal);
  const model = exportModelFromProject(project);
  const stem = fileStem(project.name);
  switch (format) {
    case 'json':
      return [
        {
          suggestedName: `${stem}.weights.json`,
          bytes: utf8(exportWeightsJson(model)),
          filterName: 'JSON weights',
        },
      ];
    case 'safetensors':
      return [
        {
          suggestedName: `${stem}.safetensors`,
          bytes: exportSafetensors(model).bytes,
          filterName: 'safetensors',
        },
      ];
    case 'onnx':
      return [{ suggestedName: `${stem}.onnx`, bytes: exportOnnx(model).bytes, filterName: 'ONNX model' }];
    case 'pytorch': {
      const weightsName = `${stem}.safetensors`;
      const { script, weights } = exportPytorch(model, weightsName);
      return [
        { suggestedName: `${stem}.py`, bytes: utf8(script), filterName: 'Python script' },
        { suggestedName: weightsName, bytes: weights, filterName: 'safetensors' },
      ];
    }
    default:
      return format satisfies never;
  }
}

/** The message the dialog shows for a failed export (the exporters' errors say what to do). */
export function exportErrorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
