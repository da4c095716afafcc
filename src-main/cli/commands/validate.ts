/**
 * `netloom validate <project> [--data file.csv] [--json]`: loads a project and prints every problem —
 * the file itself (format, params), the dataset (missing or changed since import, import errors) and the
 * graph (engine/graph validateGraph: errors block training, warnings do not), each naming its node.
 * Exit 0 when the project can be trained (warnings allowed), 2 when it cannot.
 */
import { checkDatasetReference } from '../../../engine/project';
import { DataImportError } from '../../../engine/data';
import type { DataProblem } from '../../../engine/data/types';
import { datasetInfoOf, validateGraph, type DatasetInfo, type Problem } from '../../../engine/graph';
import { importSettingsOf, prepareForTraining } from '../../../engine/session/dataset';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { CliFailure, loadProjectFile, readDataset } from './train';

const usage = `Usage: netloom validate <project.netloom.json> [--data file.csv] [--json]

Checks a project: the file, its dataset and the model graph. Prints each problem with its
severity and the node it concerns.

Exit code: 0 when the project can be trained (warnings are allowed), 2 when it cannot.`;

interface Reported {
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  nodeId?: string;
}

/** A data problem's message prefixed with its place in the file (line, row, column) when it has one. */
function dataMessage(p: DataProblem): string {
  const where = [
    p.line !== undefined ? `line ${p.line}` : '',
    p.row !== undefined ? `row ${p.row}` : '',
    p.column !== undefined ? `column '${p.column}'` : '',
  ].filter(Boolean);
  // Messages that already start with their place ("Line 6: …") are printed as they are.
  return where.length && !/^line \d/i.test(p.message) ? `[${where.join(', ')}] ${p.message}` : p.message;
}

async function run(args: string[], io: CliIo): Promise<number> {
  let file: string | null = null;
  let data: string | null = null;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '--data') {
      data = args[++i] ?? null;
      if (!data) throw new UsageError('--data needs a file name.');
    } else if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'.`);
    else if (file === null) file = a;
    else throw new UsageError(`only one project can be validated (got '${file}' and '${a}').`);
  }
  if (file === null) throw new UsageError('no project file given.');
  const problems: Reported[] = [];
  let project;
  try {
    project = loadProjectFile(file);
  } catch (e) {
    if (!(e instanceof CliFailure)) throw e;
    problems.push({ severity: 'error', code: 'project-file', message: e.message });
  }
  if (project) {
    let dataset: DatasetInfo | undefined;
    try {
      const d = readDataset(file, project, data);
      if (!data && project.dataset) {
        const status = await checkDatasetReference(project.dataset, d.bytes);
        if (status === 'changed')
          problems.push({
            severity: 'warning',
            code: 'dataset-changed',
            message: `The data file '${d.path}' changed since it was imported (size or SHA-256 differ); results may differ from saved runs.`,
          });
      }
      const settings = importSettingsOf(project.dataset?.importSettings);
      const prepared = prepareForTraining(d.bytes, settings);
      dataset = datasetInfoOf(prepared);
      // The data's own warnings (constant columns, few rows, dropped rows) with their place.
      for (const p of prepared.report.problems)
        if (p.severity !== 'info')
          problems.push({ severity: p.severity, code: p.code, message: dataMessage(p) });
    } catch (e) {
      if (e instanceof CliFailure) problems.push({ severity: 'error', code: 'no-data', message: e.message });
      else if (e instanceof DataImportError)
        for (const p of e.problems)
          problems.push({ severity: p.severity, code: p.code, message: dataMessage(p) });
      else throw e;
    }
    const v = validateGraph(project.graph, {
      ...(dataset ? { dataset } : {}),
      batchSize: project.training.batchSize,
    });
    for (const p of v.problems as readonly Problem[])
      problems.push({
        severity: p.severity,
        code: p.code,
        message: p.message,
        ...(p.nodeId ? { nodeId: p.nodeId } : {}),
      });
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (json) io.out(JSON.stringify({ file, ok: errors === 0, problems }));
  else {
    for (const p of problems)
      io.out(`${p.severity}${p.nodeId ? ` [${p.nodeId}]` : ''} ${p.code}: ${p.message}`);
    const warnings = problems.filter((p) => p.severity === 'warning').length;
    io.out(
      errors === 0
        ? `${file}: ready to train${warnings ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : ''}.`
        : `${file}: ${errors} error${errors > 1 ? 's' : ''}; fix them before training.`,
    );
  }
  return errors === 0 ? 0 : 2;
}

export const command: CliCommand = {
  name: 'validate',
  summary: 'check a project (file, dataset, model graph) and print the problems',
  usage,
  run,
};
