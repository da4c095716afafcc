// The export dialog's format list: every engine/export format builds non-empty files with names
// from the project, the bytes are what engine/export writes, and an untrained project is refused.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportModelFromProject, exportOnnx } from '../../../engine/export';
import { graphProjectHooks } from '../../../engine/graph/project-hooks';
import { loadProject } from '../../../engine/project/load';
import type { Project } from '../../../engine/project';
import { runRecord, runSession, withPreprocessing } from '../../../engine/session/run';
import {
  EXPORT_FORMATS,
  buildExport,
  exportErrorText,
  exportRefusal,
  fileStem,
} from '../../../src-renderer/export/formats';

const untrained = loadProject(readFileSync('examples/iris.netloom.json', 'utf8'), {
  hooks: graphProjectHooks,
});
const irisBytes = new Uint8Array(readFileSync('examples/iris.csv'));

async function trained(): Promise<Project> {
  const result = await runSession({ project: untrained, data: irisBytes, epochs: 2 });
  expect(result.status).toBe('completed');
  const p = withPreprocessing(untrained, result.data!);
  const run = runRecord(p, result, 'r1', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z');
  return { ...p, name: 'Iris flowers', runs: [...p.runs, run] };
}

describe('export formats', () => {
  it('lists the four engine/export formats with a one-line summary each', () => {
    expect(EXPORT_FORMATS.map((f) => f.id)).toEqual(['json', 'safetensors', 'onnx', 'pytorch']);
    for (const f of EXPORT_FORMATS) {
      expect(f.summary.length).toBeGreaterThan(10);
      expect(f.summary).not.toContain('\n');
    }
  });

  it('refuses a project with no trained run, clearly', () => {
    const noRuns = { ...untrained, runs: [] };
    expect(exportRefusal(noRuns)).toMatch(/no trained run/);
    expect(() => buildExport(noRuns, 'onnx')).toThrow(/no trained run/);
  });

  it('builds each format from the latest trained run', async () => {
    const p = await trained();
    expect(exportRefusal(p)).toBeNull();
    const json = buildExport(p, 'json');
    expect(json.map((f) => f.suggestedName)).toEqual(['Iris_flowers.weights.json']);
    const doc = JSON.parse(new TextDecoder().decode(json[0].bytes)) as { format: string; classes: string[] };
    expect(doc.format).toBe('netloom-weights');
    expect(doc.classes).toHaveLength(3);
    const st = buildExport(p, 'safetensors');
    expect(st[0].suggestedName).toBe('Iris_flowers.safetensors');
    // safetensors: 8-byte little-endian header length, then a JSON header.
    const n = Number(new DataView(st[0].bytes.buffer, st[0].bytes.byteOffset).getBigUint64(0, true));
    expect(new TextDecoder().decode(st[0].bytes.subarray(8, 8 + n)).trimEnd()).toMatch(/^\{.*\}$/s);
    const onnx = buildExport(p, 'onnx');
    expect(onnx[0].suggestedName).toBe('Iris_flowers.onnx');
    expect(Array.from(onnx[0].bytes)).toEqual(Array.from(exportOnnx(exportModelFromProject(p)).bytes));
    const py = buildExport(p, 'pytorch');
    expect(py.map((f) => f.suggestedName)).toEqual(['Iris_flowers.py', 'Iris_flowers.safetensors']);
    const script = new TextDecoder().decode(py[0].bytes);
    expect(script).toContain('Iris_flowers.safetensors');
    expect(script).toMatch(/nn\.Module/);
    for (const f of [...json, ...st, ...onnx, ...py]) expect(f.bytes.length).toBeGreaterThan(0);
  }, 30_000);

  it('shows the exporter message for a failed export', () => {
    expect(exportErrorText(new Error('Dense d1: non-finite weight'))).toBe('Dense d1: non-finite weight');
    expect(exportErrorText('plain text')).toBe('plain text');
  });

  it('makes a safe file stem from the project name', () => {
    expect(fileStem('My model (v2).netloom.json')).toBe('My_model_v2');
    expect(fileStem('  ')).toBe('model');
  });
});
