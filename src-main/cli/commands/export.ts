/**
 * `netloom export <project> --format json|safetensors|onnx|pytorch --out <path>`: writes the trained
 * model of a project (its latest run with saved weights) in a format other tools read. Formats and
 * their layouts: docs/export.md. Exit 0 written, 2 bad input or a model the format cannot represent.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ExportError,
  exportModelFromProject,
  exportOnnx,
  exportPytorch,
  exportSafetensors,
  exportWeightsJson,
} from '../../../engine/export';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { CliFailure, loadProjectFile } from './train';

const FORMATS = ['json', 'safetensors', 'onnx', 'pytorch'] as const;
type Format = (typeof FORMATS)[number];

const usage = `Usage: netloom export <project.netloom.json> --format <format> --out <path>

Exports the project's trained model (its latest run with saved weights).

Formats:
  json         weights (PyTorch layout), graph, preprocessing and class labels in one JSON file
  safetensors  weights named and laid out as PyTorch expects (nn.Linear weight [out, in])
  onnx         opset 17 model that takes the raw CSV feature columns (scaling and one-hot inside)
  pytorch      a self-contained .py script (predict + train, torchrun/DDP ready); the weights go
               to a .safetensors file next to it with the same base name

Exit code: 0 written, 2 bad input or a model the chosen format cannot represent.`;

function parseArgs(args: string[]): { project: string; format: Format; out: string } {
  let project: string | null = null;
  let format: string | null = null;
  let out: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value.`);
      return v;
    };
    if (a === '--format') format = value();
    else if (a.startsWith('--format=')) format = a.slice(9);
    else if (a === '--out' || a === '-o') out = value();
    else if (a.startsWith('--out=')) out = a.slice(6);
    else if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'.`);
    else if (project === null) project = a;
    else throw new UsageError(`unexpected argument '${a}'.`);
  }
  if (!project) throw new UsageError('name the project file to export.');
  if (!format) throw new UsageError(`choose a format with --format (${FORMATS.join(', ')}).`);
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`unknown format '${format}'; use one of ${FORMATS.join(', ')}.`);
  if (!out) throw new UsageError('choose the output file with --out.');
  return { project, format: format as Format, out };
}

/** The running Netloom version (package.json), written into the exported files. */
function netloomVersion(): string | undefined {
  try {
    const pkg = join(dirname(fileURLToPath(import.meta.url)), '../../../package.json');
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

function write(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    throw new CliFailure(`Cannot write '${path}': ${(e as Error).message}`, 2);
  }
}

export const command: CliCommand = {
  name: 'export',
  summary: 'write a trained model as JSON, safetensors, ONNX or a PyTorch script',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { project: file, format, out } = parseArgs(args);
    try {
      const project = loadProjectFile(file);
      // `train` without --out saves nothing, so the hint names the file to write the run into.
      if (!project.runs.some((r) => r.checkpoint !== null))
        throw new CliFailure(
          `'${file}' has no trained model. Train it first: netloom train ${file} --out ${file}`,
          2,
        );
      const model = exportModelFromProject(project, { appVersion: netloomVersion() });
      const written: string[] = [];
      switch (format) {
        case 'json':
          write(out, exportWeightsJson(model));
          written.push(out);
          break;
        case 'safetensors':
          write(out, exportSafetensors(model).bytes);
          written.push(out);
          break;
        case 'onnx': {
          const r = exportOnnx(model);
          write(out, r.bytes);
          written.push(`${out} (inputs: ${r.inputs.join(', ')}; outputs: ${r.outputs.join(', ')})`);
          break;
        }
        case 'pytorch': {
          const base = basename(out, extname(out));
          const weightsName = `${base}.safetensors`;
          const r = exportPytorch(model, weightsName);
          const weightsPath = join(dirname(out), weightsName);
          write(out, r.script);
          write(weightsPath, r.weights);
          written.push(out, weightsPath);
          break;
        }
      }
      io.out(
        `Exported '${file}' (epoch ${model.epoch}) as ${format}:\n${written.map((w) => `  ${w}`).join('\n')}`,
      );
      return 0;
    } catch (e) {
      if (e instanceof CliFailure || e instanceof ExportError) {
        io.err(`netloom export: ${e.message}`);
        return e instanceof CliFailure ? e.code : 2;
      }
      throw e;
    }
  },
};
