/**
 * PyTorch export, checked by PyTorch itself (/usr/bin/python3 with torch and numpy): the generated
 * script reproduces Netloom's predictions from the raw CSV, its own safetensors reader returns the
 * exported bytes exactly, one epoch of its training loop runs, and torchrun runs it with DDP on CPU.
 * Skipped — loudly — only when /usr/bin/python3 cannot import torch.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPytorch, ExportError, torchTensors } from '../../../engine/export';
import { G } from '../graph/build';
import { makeCase, standardCases, type Case } from './models';
import { closeTo } from './raw';

const PY = '/usr/bin/python3';
const torchOk = spawnSync(PY, ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status === 0;
if (!torchOk)
  console.warn(`\n*** SKIPPING the PyTorch export tests: ${PY} cannot import torch and numpy (CI installs python3-torch). ***\n`);

let dir: string;
let cases: Case[];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netloom-pt-'));
  cases = standardCases();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeCase(c: Case): string {
  const sub = mkdtempSync(join(dir, `${c.name}-`));
  const { script, weights } = exportPytorch(c.model, 'model.safetensors');
  writeFileSync(join(sub, 'model.py'), script);
  writeFileSync(join(sub, 'model.safetensors'), weights);
  writeFileSync(join(sub, 'data.csv'), c.csv);
  return sub;
}

function python(cwd: string, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(PY, args, { cwd, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', ...env }, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`python ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe.runIf(torchOk)('PyTorch script export (real torch)', () => {
  it.each(['zoo-iris', 'binary-breast-cancer', 'regression-linnerud-zca', 'categorical'])(
    '%s: `predict` on the raw CSV equals Netloom',
    (name) => {
      const c = cases.find((k) => k.name === name)!;
      const sub = writeCase(c);
      python(sub, ['model.py', 'predict', 'data.csv', '--out', 'pred.csv']);
      const lines = readFileSync(join(sub, 'pred.csv'), 'utf8').trim().split(/\r?\n/);
      const values: number[] = [];
      for (const l of lines.slice(1)) {
        const cells = l.split(',');
        values.push(...cells.slice(c.model.task === 'regression' ? 1 : 2).map(Number));
      }
      expect(lines.length - 1).toBe(c.rows);
      closeTo(values, c.expected, `${name} (PyTorch)`);
    },
  );

  it("the script's own safetensors reader returns the exported tensors bit for bit", () => {
    const c = cases.find((k) => k.name === 'zoo-iris')!;
    const sub = writeCase(c);
    const out = python(sub, [
      '-c',
      'import json, model; t = model.read_safetensors_plain("model.safetensors"); print(json.dumps({k: [list(v.shape), v.astype("<f4").tobytes().hex()] for k, v in t.items()}))',
    ]);
    const got = JSON.parse(out) as Record<string, [number[], string]>;
    const tensors = torchTensors(c.model);
    expect(Object.keys(got).sort()).toEqual(tensors.map((t) => t.name).sort());
    for (const t of tensors) {
      const bytes = new Uint8Array(t.data.length * 4);
      const dv = new DataView(bytes.buffer);
      t.data.forEach((v, i) => dv.setFloat32(4 * i, v, true));
      expect(got[t.name][0]).toEqual(t.shape);
      expect(got[t.name][1], t.name).toBe(Buffer.from(bytes).toString('hex'));
    }
  });

  it('one epoch of the training loop runs and writes weights the script can load again', () => {
    const c = cases.find((k) => k.name === 'categorical')!;
    const sub = writeCase(c);
    const log = python(sub, ['model.py', 'train', 'data.csv', '--epochs', '1', '--out', 'trained.safetensors', '--device', 'cpu']);
    expect(log).toMatch(/epoch 1\/1 {2}loss [0-9.e+-]+/);
    const reload = python(sub, ['-c', 'import model; m = model.load_model("trained.safetensors"); print("ok")']);
    expect(reload.trim()).toBe('ok');
  });

  it('torchrun --nproc_per_node=2 trains with DistributedDataParallel on CPU (gloo)', () => {
    const c = cases.find((k) => k.name === 'binary-breast-cancer')!;
    const sub = writeCase(c);
    const log = execFileSync(
      PY,
      // --redirects/--tee 2: torch 1.13's launcher cannot parse its default '0' (nor '3') on Python ≥ 3.11; 2 = stderr only.
      ['-m', 'torch.distributed.run', '--nproc_per_node=2', '--master_port=0', '--redirects=2', '--tee=2', 'model.py', 'train', 'data.csv', '--epochs', '1', '--device', 'cpu'],
      { cwd: sub, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, timeout: 180_000 },
    );
    expect(log).toMatch(/epoch 1\/1 {2}loss/);
  });
});

describe('PyTorch export refusals', () => {
  it('refuses a second-order optimizer with a clear message naming the node', () => {
    const csv = readFileSync(join(__dirname, '../../fixtures/data/iris.csv'), 'utf8');
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
    expect((err as Error).message).toMatch(/Optimizer 'lbfgs' \(node 'opt'\) cannot be exported to PyTorch.*Switch the optimizer/);
  });
});
