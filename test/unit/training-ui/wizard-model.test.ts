import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  analyzeCsv,
  columnRole,
  defaultImportSettings,
  parseImportSettings,
  problemLocation,
  setColumnOption,
  setReadOption,
  setSplit,
  sortProblems,
  toJson,
} from '../../../src-renderer/wizard/model';

const iris = new Uint8Array(readFileSync('test/fixtures/data/iris.csv'));
const malformed = new Uint8Array(readFileSync('test/fixtures/csv-ui/malformed.csv'));

describe('wizard settings model', () => {
  it('analyses iris: dialect, preview equal to the file text, summaries and task', () => {
    const a = analyzeCsv(iris, defaultImportSettings('iris.csv'));
    expect(a.report.usable).toBe(true);
    expect(a.report.delimiter).toBe(',');
    expect(a.report.header).toBe(true);
    expect(a.names).toHaveLength(5);
    // Preview cells are compared with the file's own lines, parsed independently here.
    const lines = new TextDecoder().decode(iris).split(/\r?\n/);
    expect(a.preview[0].map(Number)).toEqual(lines[1].split(',').map(Number));
    expect(a.preview[2].map(Number)).toEqual(lines[3].split(',').map(Number));
    expect(a.previewLines[0]).toBe(2);
    expect(a.report.target?.task).toBe('multiclass');
    // Histogram counts cover every value of the column.
    const h = a.summaries[0].histogram!;
    expect(h.counts.reduce((x, y) => x + y, 0)).toBe(lines.slice(1).filter((l) => l.trim()).length);
  });

  it('re-parses live: forcing the delimiter to ";" leaves one column', () => {
    const a = analyzeCsv(iris, setReadOption(defaultImportSettings(), 'delimiter', ';'));
    expect(a.names).toHaveLength(1);
    expect(a.report.usable).toBe(false);
  });

  it('a malformed CSV reports line and row of the short record and does not throw', () => {
    const a = analyzeCsv(malformed, defaultImportSettings('malformed.csv'));
    expect(a.report.usable).toBe(false);
    const p = a.report.problems.find((q) => q.code === 'field-count');
    expect(p).toBeDefined();
    // '5,6' is on physical line 4 of the file.
    expect(p!.line).toBe(4);
    expect(problemLocation(p!)).toContain('line 4');
  });

  it('garbage bytes give a report, not an exception', () => {
    const a = analyzeCsv(new Uint8Array([0, 1, 2, 0, 255]), defaultImportSettings());
    expect(a.report.usable).toBe(false);
    expect(a.report.problems.length).toBeGreaterThan(0);
    expect(a.preview).toEqual([]);
  });

  it('column roles: target moves into targets, ignore stays per column', () => {
    const names = ['a', 'b', 'label'];
    let s = defaultImportSettings();
    expect(columnRole(s, 'label', names)).toBe('target');
    s = setColumnOption(s, 'a', { role: 'target' });
    expect(s.prepare.targets).toEqual(['a']);
    expect(columnRole(s, 'a', names)).toBe('target');
    expect(columnRole(s, 'label', names)).toBe('feature');
    s = setColumnOption(s, 'b', { role: 'ignore', missing: 'mean' });
    expect(columnRole(s, 'b', names)).toBe('ignore');
    s = setColumnOption(s, 'b', { role: 'feature', missing: undefined });
    expect(s.prepare.columns?.b).toEqual({ role: 'feature' });
  });

  it('does not mutate its input', () => {
    const s = defaultImportSettings();
    const before = toJson(s);
    setColumnOption(s, 'x', { scaling: 'min-max' });
    setReadOption(s, 'header', false);
    expect(toJson(s)).toBe(before);
  });

  it('split fractions must sum to 1', () => {
    const s = defaultImportSettings();
    expect(setSplit(s, { train: 0.7, validation: 0.2, test: 0.2 })).toHaveProperty('error');
    const ok = setSplit(s, { train: 0.7, validation: 0.15, test: 0.15 });
    expect('error' in ok).toBe(false);
    expect((ok as ReturnType<typeof defaultImportSettings>).prepare.split?.test).toBe(0.15);
  });

  it('round-trips through JSON and rejects damaged settings with the field name', () => {
    let s = setColumnOption(defaultImportSettings('iris.csv'), 'species', { role: 'target' });
    s = setReadOption(s, 'decimal', ',');
    expect(parseImportSettings(JSON.parse(toJson(s)))).toEqual(s);
    expect(() => parseImportSettings({ read: { delimiter: 'x' } })).toThrow(/read\.delimiter/);
    expect(() => parseImportSettings({ prepare: { columns: { a: { role: 'boss' } } } })).toThrow(
      /columns\.a\.role/,
    );
  });

  it('changing the task override changes the report', () => {
    const s = {
      ...defaultImportSettings(),
      prepare: { ...defaultImportSettings().prepare, task: 'regression' as const },
    };
    expect(analyzeCsv(iris, s).report.target?.task).toBe('regression');
  });

  it('sorts errors before warnings before info, stable', () => {
    const sorted = sortProblems([
      { severity: 'info', code: 'a', message: '1' },
      { severity: 'error', code: 'b', message: '2' },
      { severity: 'warning', code: 'c', message: '3' },
      { severity: 'error', code: 'd', message: '4' },
    ]);
    expect(sorted.map((p) => p.message)).toEqual(['2', '4', '3', '1']);
  });
});
