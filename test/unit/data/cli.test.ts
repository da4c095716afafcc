// `netloom inspect` and the dispatcher, run in-process through main().
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli/netloom';
import { renderReport } from '../../../src-main/cli/commands/inspect';
import { inspectTable } from '../../../engine/data/inspect';
import { readTable } from '../../../engine/data/reader';
import type { InspectReport } from '../../../engine/data/inspect';
import { CSV_DIR, DATA_DIR } from './helpers';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

describe('netloom inspect', () => {
  it('a good file: exit 0 and the documented JSON object', async () => {
    const r = await run(['inspect', join(DATA_DIR, 'iris.csv'), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as InspectReport;
    expect(j).toMatchObject({
      format: 'netloom-inspect',
      version: 1,
      usable: true,
      encoding: 'utf-8',
      bom: false,
      delimiter: ',',
      decimal: '.',
      header: true,
      lineEnding: 'LF',
      rows: 150,
      columnCount: 5,
      rowsUsed: 150,
      problems: [],
    });
    expect(Object.keys(j).sort()).toEqual(
      [
        'format',
        'version',
        'file',
        'usable',
        'encoding',
        'bom',
        'delimiter',
        'decimal',
        'header',
        'lineEnding',
        'rows',
        'columnCount',
        'columns',
        'target',
        'rowsUsed',
        'problems',
      ].sort(),
    );
    expect(j.columns[0]).toEqual({
      name: 'sepal_length_cm',
      type: 'numeric',
      role: 'feature',
      count: 150,
      missing: 0,
      invalid: 0,
      unique: 35,
      uniqueCapped: false,
      min: 4.3,
      max: 7.9,
      mean: expect.closeTo(5.8433333333, 9),
      std: expect.closeTo(0.8253012918, 9),
      categories: [],
    });
    expect(j.target).toEqual({
      columns: ['species'],
      task: 'multiclass',
      reason: expect.stringContaining('3-class'),
      classes: [
        { label: '0', count: 50, trainCount: expect.any(Number), weight: 1 },
        { label: '1', count: 50, trainCount: expect.any(Number), weight: 1 },
        { label: '2', count: 50, trainCount: expect.any(Number), weight: 1 },
      ],
    });
  });

  it('class weights come from the training split and are shown beside both counts (breast cancer)', async () => {
    const r = await run(['inspect', join(DATA_DIR, 'breast_cancer.csv'), '--json']);
    const classes = (JSON.parse(r.out) as InspectReport).target!.classes!;
    // The dataset's known class sizes: 212 malignant (0), 357 benign (1).
    expect(classes.map((c) => c.count)).toEqual([212, 357]);
    const nTrain = classes.reduce((s, c) => s + c.trainCount, 0);
    expect(nTrain).toBeGreaterThan(0);
    expect(nTrain).toBeLessThan(569);
    // w_c = n / (K·n_c) on the TRAINING split, which differs from the whole-file basis here.
    for (const c of classes) {
      expect(c.trainCount).toBeLessThan(c.count);
      expect(c.weight).toBeCloseTo(nTrain / (2 * c.trainCount), 10);
    }
    const text = await run(['inspect', join(DATA_DIR, 'breast_cancer.csv')]);
    const line = text.out.split('\n').find((l) => l.startsWith('Classes'))!;
    expect(line).toContain('suggested class weight');
    expect(line).toContain('from the training split');
    expect(line).toContain(`0 (212; train ${classes[0].trainCount}, weight ${classes[0].weight.toFixed(3)})`);
  });

  it('a quote left open in the header names line 1 (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netloom-inspect-'));
    try {
      const f = join(dir, 'q.csv');
      writeFileSync(f, 'x,"unterminated\n1,2\n');
      const r = await run(['inspect', f]);
      expect(r.code).toBe(2);
      expect(r.out).toContain('ERROR [line 1]: Line 1: a quoted field is never closed');
      expect(r.out).not.toContain('no data rows');
      const j = JSON.parse((await run(['inspect', f, '--json'])).out) as InspectReport;
      expect(j.problems[0]).toMatchObject({ code: 'unterminated-quote', line: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bad file: exit 2, problems with line and expected/found counts, no stack trace', async () => {
    const r = await run(['inspect', join(CSV_DIR, 'wrong_field_count.csv'), '--json']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.out) as InspectReport;
    expect(j.usable).toBe(false);
    expect(j.problems[0]).toMatchObject({ severity: 'error', code: 'field-count', line: 4 });
    expect(r.out + r.err).not.toMatch(/\n\s+at /);
  });

  it('text output names encoding, delimiter, decimal, header, columns, task and problems', async () => {
    const r = await run(['inspect', join(CSV_DIR, 'semicolon_decimal_comma.csv')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Encoding: utf-8; delimiter: semicolon; decimal separator: ','; header: yes");
    expect(r.out).toContain('Rows: 4; columns: 4');
    expect(r.out).toMatch(/height_m\s+numeric\s+feature\s+0\s+4\s+-0.5\s+1.8/);
    expect(r.out).toContain('Target: group → binary');
    const bad = await run(['inspect', join(CSV_DIR, 'nonfinite.csv')]);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain("ERROR [line 4, row 3, column 'y']");
    expect(bad.out).toContain('Usable: NO');
  });

  it('unreadable and refused files exit 2 with a message', async () => {
    for (const f of ['xlsx_signature.csv', 'empty.csv', 'header_only.csv', 'does-not-exist.csv']) {
      const r = await run(['inspect', join(CSV_DIR, f), '--json']);
      expect(r.code).toBe(2);
      const j = JSON.parse(r.out) as InspectReport;
      expect(j.usable).toBe(false);
      expect(j.problems[0].severity).toBe('error');
    }
  });

  it('options override detection, and --target picks the target', async () => {
    const r = await run([
      'inspect',
      join(DATA_DIR, 'linnerud.csv'),
      '--json',
      '--target',
      'weight',
      '--target',
      'waist',
      '--target',
      'pulse',
    ]);
    const j = JSON.parse(r.out) as InspectReport;
    expect(j.target?.columns).toEqual(['weight', 'waist', 'pulse']);
    expect(j.target?.task).toBe('regression');
    const h = await run([
      'inspect',
      join(CSV_DIR, 'no_header.csv'),
      '--json',
      '--header',
      '--delimiter',
      'comma',
    ]);
    expect((JSON.parse(h.out) as InspectReport).columns.map((c) => c.name)).toEqual(['5.1', '3.5', '0']);
  });

  it('a forced delimiter that leaves one column names the delimiter detection finds', async () => {
    const r = await run(['inspect', join(CSV_DIR, 'semicolon_decimal_comma.csv'), '--delimiter', 'comma']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('splits into 4 columns on semicolon');
    expect(r.out).toContain('use --delimiter semicolon');
    // The right delimiter given explicitly: no hint.
    const ok = await run([
      'inspect',
      join(CSV_DIR, 'semicolon_decimal_comma.csv'),
      '--delimiter',
      'semicolon',
    ]);
    expect(ok.out).not.toContain('splits into');
  });

  it('bad usage exits 2 with the usage text', async () => {
    const r = await run(['inspect']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no file given');
    expect(r.err).toContain('Usage: netloom inspect');
    expect((await run(['inspect', 'a.csv', '--delimiter', 'colon'])).code).toBe(2);
  });
});

describe('docs/cli.md', () => {
  it('documents every command and every option that --help lists', async () => {
    const doc = readFileSync('docs/cli.md', 'utf8');
    const top = await run(['--help']);
    const commands = [...top.out.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]);
    expect(commands).toEqual(expect.arrayContaining(['export', 'inspect', 'lecture', 'predict', 'train']));
    for (const c of commands) {
      const start = doc.indexOf(`## \`netloom ${c}`);
      expect(start, `section for ${c}`).toBeGreaterThanOrEqual(0);
      const end = doc.indexOf('\n## ', start + 1);
      const section = doc.slice(start, end < 0 ? undefined : end);
      const help = (await run([c, '--help'])).out;
      const options = new Set([...help.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]));
      for (const o of options) expect(section, `${c} ${o}`).toContain(o);
    }
    expect(doc).not.toMatch(/webgpu[^\n]*not (yet )?available/i);
  });
});

describe('dispatcher', () => {
  it('--help lists the commands; unknown commands exit 2', async () => {
    const h = await run(['--help']);
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/inspect\s+show what importing/);
    const u = await run(['frobnicate']);
    expect(u.code).toBe(2);
    expect(u.err).toContain("unknown command 'frobnicate'");
    const c = await run(['inspect', '--help']);
    expect(c.code).toBe(0);
    expect(c.out).toContain('--json');
  });

  it('text output keeps one line per column when a quoted header holds a newline or a tab', () => {
    const report = inspectTable(readTable('"multi\nline","a\tb"\n1,2\n3,4\n'), 'x.csv');
    expect(report.columns.map((c) => c.name)).toEqual(['multi\nline', 'a\tb']);
    const lines = renderReport(report).split('\n');
    expect(lines.filter((l) => /^1 {2}multi\\nline +numeric/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /^2 {2}a\\tb +numeric/.test(l))).toHaveLength(1);
    expect(lines).toContain('Target: a\\tb → binary (binary classification: 2 whole-number codes)');
  });
});

describe('unusable data and impossible networks on the command line', () => {
  const withTmp = async (fn: (dir: string) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'netloom-usable-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('inspect: a 1-row file is not usable (exit 2) and says why', () =>
    withTmp(async (dir) => {
      writeFileSync(join(dir, 'one.csv'), 'a,b,y\n1,2,3\n');
      const r = await run(['inspect', join(dir, 'one.csv')]);
      expect(r.code).toBe(2);
      expect(r.out).toContain('ERROR: Only 1 usable row in the file');
      expect(r.out).toContain('Usable: NO');
    }));

  it('inspect: constant column, dropped rows with their lines, and a small training split', () =>
    withTmp(async (dir) => {
      // 11 rows; 'k' is always 5; row 3 (line 4) has 'a' missing; 80 % of the 10 usable rows train.
      const rows = Array.from({ length: 11 }, (_, i) => `${i === 2 ? 'NA' : i + 1},5,${(i + 1) % 2}`);
      writeFileSync(join(dir, 'c.csv'), `a,k,y\n${rows.join('\n')}\n`);
      const r = await run(['inspect', join(dir, 'c.csv')]);
      expect(r.code).toBe(0);
      expect(r.out).toContain(
        "INFO [column 'a']: 1 of 11 rows (9 %) has missing or invalid values in used columns and is dropped: line 4 (row 3).",
      );
      expect(r.out).toContain("WARNING [column 'k']: Column 'k' has the same value (5) in every used row");
      expect(r.out).toContain('WARNING: The training split has only 8 rows (of 10 usable rows)');
    }));

  interface ProjectNode {
    id: string;
    label?: string;
    params: Record<string, unknown>;
  }
  interface ProjectEdge {
    id: string;
    source: string;
    sourcePort: string;
    target: string;
    targetPort: string;
  }
  type ProjectJson = { graph: { nodes: ProjectNode[]; edges: ProjectEdge[] } };
  const project = (edit: (p: ProjectJson) => void): string => {
    const p = JSON.parse(
      readFileSync(join(__dirname, '../../../examples/iris.netloom.json'), 'utf8'),
    ) as ProjectJson;
    edit(p);
    return JSON.stringify(p);
  };

  it('validate: two 65,536-unit layers are refused for memory, naming the node (exit 2)', () =>
    withTmp(async (dir) => {
      const text = project((p) => {
        const h = p.graph.nodes.find((n) => n.id === 'hidden') as ProjectNode;
        h.params.units = 65_536;
        p.graph.nodes.push({ ...h, id: 'hidden2', label: 'Hidden 2' });
        const e = p.graph.edges.find((x) => x.source === 'act' && x.target === 'out') as ProjectEdge;
        e.target = 'hidden2';
        p.graph.edges.push({
          id: 'e-h2',
          source: 'hidden2',
          sourcePort: 'out',
          target: 'out',
          targetPort: 'in',
        });
      });
      writeFileSync(join(dir, 'wide.netloom.json'), text);
      const r = await run(['validate', join(dir, 'wide.netloom.json'), '--data', join(DATA_DIR, 'iris.csv')]);
      expect(r.code).toBe(2);
      // hidden2: 65,536 inputs × 65,536 units + 65,536 biases.
      const count = (65_536 * 65_536 + 65_536).toLocaleString('en-US');
      expect(r.out).toContain(`error [hidden2] network-too-large: The network has`);
      expect(r.out).toContain(`with ${count} parameters: use fewer units`);
    }));

  it('validate: units = 1e9 is refused with the allowed range (exit 2)', () =>
    withTmp(async (dir) => {
      const text = project(
        (p) => ((p.graph.nodes.find((n) => n.id === 'hidden') as ProjectNode).params.units = 1e9),
      );
      writeFileSync(join(dir, 'huge.netloom.json'), text);
      const r = await run(['validate', join(dir, 'huge.netloom.json'), '--data', join(DATA_DIR, 'iris.csv')]);
      expect(r.code).toBe(2);
      expect(r.out).toContain("'Units' must be ≥ 1 and ≤ 65536");
      expect(r.out).toContain('Use fewer units');
    }));
});
