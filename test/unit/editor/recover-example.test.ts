// Recovering an untitled example copy: the shipped example is found from the project's dataset
// reference (file name, and SHA-256 when recorded), so its bundled CSV can be read again.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildExamples, exampleForDataset } from '../../../src-renderer/lib/examples';
import { parseProject } from '../../../src-renderer/editor/project-io';

const dir = 'examples';
const files = readdirSync(dir);
const projects = Object.fromEntries(
  files
    .filter((f) => f.endsWith('.netloom.json'))
    .map((f) => [`../../examples/${f}`, readFileSync(`${dir}/${f}`, 'utf8')]),
);
const csvs = Object.fromEntries(
  files.filter((f) => f.endsWith('.csv')).map((f) => [`../../examples/${f}`, `/assets/${f}`]),
);
const examples = buildExamples(projects, csvs);

describe('exampleForDataset', () => {
  it('finds the iris example from a recovered copy of iris.netloom.json', () => {
    const recovered = parseProject(readFileSync('examples/iris.netloom.json', 'utf8'));
    const ex = exampleForDataset(examples, recovered.dataset ?? null);
    expect(ex?.id).toBe('iris');
    expect(ex?.csvName).toBe('iris.csv');
  });
  it('finds each shipped example from its own dataset reference', () => {
    for (const ex of examples) {
      if (!ex.project?.dataset) continue;
      expect(exampleForDataset(examples, ex.project.dataset)?.csvName, ex.id).toBe(ex.csvName);
    }
  });
  it('refuses a file of the same name with other contents, an unknown name, and no dataset', () => {
    const iris = examples.find((e) => e.id === 'iris')!.project!.dataset!;
    expect(exampleForDataset(examples, { path: 'iris.csv', sha256: 'f'.repeat(64) })).toBeNull();
    expect(exampleForDataset(examples, { path: 'mine.csv', sha256: iris.sha256 })).toBeNull();
    expect(exampleForDataset(examples, null)).toBeNull();
  });
  it('matches on the file name alone where a path has folders', () => {
    expect(exampleForDataset(examples, { path: 'data/iris.csv' })?.id).toBe('iris');
  });
});
