/**
 * PyTorch export, checked by PyTorch itself (/usr/bin/python3 with torch and numpy): the generated
 * script reproduces Netloom's predictions from the raw CSV (within 1e−5 + 1e−5·|value|), its own
 * safetensors reader returns the exported bytes exactly, one epoch of its training loop runs, and
 * torchrun runs it with DistributedDataParallel on CPU (gloo). Skipped — loudly — only when
 * /usr/bin/python3 cannot import torch (CI installs python3-torch).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPytorch, ExportError, torchTensors } from '../../engine/export';
import { G } from '../unit/graph/build';
import { makeCase, standardCases, type Case } from '../unit/export/models';
import { closeTo } from '../unit/export/raw';

const PY = '/usr/bin/python3';
const torchOk = spawnSync(PY, ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status === 0;
if (!torchOk)
  console.warn(
    `\n*** SKIPPING the PyTorch export tests: ${PY} cannot import torch and numpy (CI installs python3-torch). ***\n`,
  );

const env = { ...process.env, OMP_NUM_THREADS: '1' };
let dir: string;
let cases: Case[];
const dirs = new Map<string, string>();

function writeCase(c: Case): string {
  const sub = join(dir, c.name);
  mkdirSync(sub, { recursive: true });
  const { script, weights } = exportPytorch(c.model, 'model.safetensors');
  writeFileSync(join(sub, 'model.py'), script);
  writeFileSync(join(sub, 'model.safetensors'), weights);
  writeFileSync(join(sub, 'data.csv'), c.csv);
  return sub;
}

describe.runIf(torchOk)('PyTorch script export (real torch)', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'netloom-pt-'));
    cases = standardCases();
    for (const c of cases) dirs.set(c.name, writeCase(c));
    // One interpreter runs every script's `predict` and reader (torch is slow to import).
    const r = spawnSync(PY, [join(__dirname, '../python/check_export.py'), ...dirs.values()], {
      encoding: 'utf8',
      env,
      timeout: 180_000,
    });
    if (r.status !== 0) throw new Error(`check_export.py exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }, 200_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['zoo-iris', 'binary-breast-cancer', 'regression-linnerud-zca', 'categorical'])(
    '%s: `predict` on the raw CSV equals Netloom',
    (name) => {
      const c = cases.find((k) => k.name === name)!;
      const lines = readFileSync(join(dirs.get(name)!, 'pred.csv'), 'utf8')
        .trim()
        .split(/\r?\n/);
      const values: number[] = [];
      for (const l of lines.slice(1))
        values.push(
          ...l
            .split(',')
            .slice(c.model.task === 'regression' ? 1 : 2)
            .map(Number),
        );
      expect(lines.length - 1).toBe(c.rows);
      closeTo(values, c.expected, `${name} (PyTorch)`);
    },
  );

  it("the script's own safetensors reader returns the exported tensors bit for bit", () => {
    for (const c of cases) {
      const got = JSON.parse(readFileSync(join(dirs.get(c.name)!, 'tensors.json'), 'utf8')) as Record<
        string,
        [number[], string]
      >;
      const tensors = torchTensors(c.model);
      expect(Object.keys(got).sort()).toEqual(tensors.map((t) => t.name).sort());
      for (const t of tensors) {
        const bytes = Buffer.alloc(t.data.length * 4);
        t.data.forEach((v, i) => bytes.writeFloatLE(v, 4 * i));
        expect(got[t.name][0]).toEqual(t.shape);
        expect(got[t.name][1], t.name).toBe(bytes.toString('hex'));
      }
    }
  });

  it('one epoch of the training loop runs and writes weights the script can load again', () => {
    const sub = dirs.get('categorical')!;
    const log = execFileSync(
      PY,
      [
        '-c',
        'import sys, model; rc = model.main(sys.argv[1:]); m = model.load_model("trained.safetensors"); print("reloaded"); sys.exit(rc)',
        'train',
        'data.csv',
        '--epochs',
        '1',
        '--out',
        'trained.safetensors',
        '--device',
        'cpu',
      ],
      { cwd: sub, encoding: 'utf8', env, timeout: 120_000 },
    );
    expect(log).toMatch(/epoch 1\/1 {2}loss [0-9.e+-]+/);
    expect(log).toMatch(/reloaded/);
  });

  it('torchrun --nproc_per_node=2 trains with DistributedDataParallel on CPU (gloo)', () => {
    const log = execFileSync(
      PY,
      // --redirects/--tee 2: torch 1.13's launcher cannot parse its default '0' on Python ≥ 3.11 (2 = stderr only).
      [
        '-m',
        'torch.distributed.run',
        '--standalone',
        '--nproc_per_node=2',
        '--redirects=2',
        '--tee=2',
        'model.py',
        'train',
        'data.csv',
        '--epochs',
        '1',
        '--device',
        'cpu',
      ],
      { cwd: dirs.get('binary-breast-cancer')!, encoding: 'utf8', env, timeout: 180_000 },
    );
    expect(log).toMatch(/epoch 1\/1 {2}loss/);
  });
});

describe('PyTorch export refusals', () => {
  it('refuses a second-order optimizer with a clear message naming the node', () => {
    const csv = readFileSync(join(__dirname, '../fixtures/data/iris.csv'), 'utf8');
    const g = new G()
      .node('data', 'Dataset')
      .node('out', 'Dense', { units: 'auto' })
      .node('loss', 'Loss.cross_entropy_logits')
      .node('opt', 'Optimizer.lbfgs')
      .chain('data', 'out')
      .edge('out.out', 'loss.prediction')
      .edge('data.targets', 'loss.target')
      .edge('opt.optimizer', 'loss.optimizer');
    const c = makeCase('lbfgs', g, csv, {});
    let err: unknown;
    try {
      exportPytorch(c.model, 'w.safetensors');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExportError);
    expect((err as ExportError).nodeId).toBe('opt');
    expect((err as Error).message).toMatch(
      /Optimizer 'lbfgs' \(node 'opt'\) cannot be exported to PyTorch.*Switch the optimizer/,
    );
  });
});
