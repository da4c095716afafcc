/**
 * PyTorch export, checked by PyTorch itself (/usr/bin/python3 with torch and numpy): the generated
 * script reproduces Netloom's predictions from the raw CSV (within 1e−5 + 1e−5·|value|), its own
 * safetensors reader returns the exported bytes exactly, one epoch of its training loop runs, and
 * torchrun runs it with DistributedDataParallel on CPU (gloo). Skipped — loudly — only when
 * /usr/bin/python3 cannot import torch (CI installs python3-torch).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../engine/compile';
import {
  exportModelFromParts,
  exportPytorch,
  exportWeightsJson,
  ExportError,
  torchTensors,
} from '../../engine/export';
import { datasetInfoOf } from '../../engine/graph';
import { createProject, type JsonObject, type Project } from '../../engine/project';
import { runSession } from '../../engine/session/run';
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
  writeFileSync(join(sub, 'model.json'), exportWeightsJson(c.model));
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

  it.each(['zoo-iris', 'zoo-iris-large', 'binary-breast-cancer', 'regression-linnerud-zca', 'categorical'])(
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

  it('the JSON weights read by Python (json + numpy float32) equal the safetensors tensors byte for byte', () => {
    for (const c of cases) {
      const check = JSON.parse(readFileSync(join(dirs.get(c.name)!, 'json_check.json'), 'utf8')) as Record<
        string,
        boolean
      >;
      expect(Object.keys(check).length).toBe(torchTensors(c.model).length);
      for (const [name, ok] of Object.entries(check)) expect(ok, `${c.name}: ${name}`).toBe(true);
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

  it('torchrun --nproc_per_node=2 trains with DistributedDataParallel on CPU (gloo)', async () => {
    // A rendezvous port of our own: --standalone's fixed default (29400) collides with any other
    // torchrun on the machine (a parallel test run), which then hangs until the timeout.
    const port = await freePort();
    const log = execFileSync(
      PY,
      // --redirects/--tee 2: torch 1.13's launcher cannot parse its default '0' on Python ≥ 3.11 (2 = stderr only).
      [
        '-m',
        'torch.distributed.run',
        '--nnodes=1',
        // Static rendezvous on loopback: the c10d backend advertises the machine's host name,
        // which a CI container may not resolve (the workers then retry until the timeout).
        '--master_addr=127.0.0.1',
        `--master_port=${port}`,
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
      {
        cwd: dirs.get('binary-breast-cancer')!,
        encoding: 'utf8',
        // gloo binds to loopback rather than to whatever the host name resolves to (or fails to).
        env: { ...env, GLOO_SOCKET_IFNAME: 'lo' },
        timeout: 180_000,
      },
    );
    expect(log).toMatch(/epoch 1\/1 {2}loss/);
  });
});

/** A TCP port that is free on the loopback interface right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Parses a safetensors file (independent reader) into name → float32 data. */
function readSafetensors(bytes: Buffer): Map<string, Float32Array> {
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<
    string,
    { data_offsets: [number, number] }
  >;
  const out = new Map<string, Float32Array>();
  for (const [k, h] of Object.entries(header)) {
    if (k === '__metadata__') continue;
    const [b, e] = h.data_offsets;
    out.set(
      k,
      Float32Array.from({ length: (e - b) / 4 }, (_, i) => bytes.readFloatLE(8 + n + b + 4 * i)),
    );
  }
  return out;
}

describe.runIf(torchOk)(
  "the script's training loop follows Netloom's (loss, optimizer, schedule, penalties)",
  () => {
    it.each([
      [
        'momentum + step schedule + cross-entropy + L2',
        'iris.csv',
        'Loss.cross_entropy_logits',
        'Optimizer.momentum',
        'Schedule.step',
        { every: 2, gamma: 0.5 },
        { l2: 0.01 },
        { lr: 0.1 },
      ],
      [
        'adam + cosine schedule + MSE + L1',
        'linnerud.csv',
        'Loss.mse',
        'Optimizer.adam',
        'Schedule.cosine',
        { duration: 4 },
        { l1: 0.001 },
        { lr: 0.01 },
      ],
      [
        'Nesterov (lecture form) + BCE with logits',
        'breast_cancer.csv',
        'Loss.bce_logits',
        'Optimizer.nesterov',
        null,
        {},
        {},
        { lr: 0.05 },
      ],
    ] as const)(
      '%s: 3 full-batch epochs give the weights Netloom trains',
      async (_t, file, loss, opt, sched, sp, lp, op) => {
        const csv = readFileSync(join(__dirname, '../fixtures/data', file), 'utf8');
        const g = new G()
          .node('data', 'Dataset')
          .node('h', 'Dense', { units: 5 })
          .node('act', 'Activation.tanh')
          .node('out', 'Dense', { units: 'auto' })
          .node('loss', loss, lp)
          .node('opt', opt, op)
          .chain('data', 'h', 'act', 'out')
          .edge('out.out', 'loss.prediction')
          .edge('data.targets', 'loss.target')
          .edge('opt.optimizer', 'loss.optimizer');
        if (sched) g.node('sch', sched, sp).edge('sch.schedule', 'opt.lr');
        const prepare =
          file === 'linnerud.csv'
            ? {
                featureScaling: 'z-score' as const,
                targetScaling: 'z-score' as const,
                targets: ['weight', 'waist', 'pulse'],
              }
            : { featureScaling: 'z-score' as const };
        const project: Project = {
          ...createProject({ name: 't', appVersion: '0.1.0' }),
          graph: { nodes: g.nodes, edges: g.edges } as unknown as Project['graph'],
          dataset: {
            path: file,
            sha256: '0'.repeat(64),
            size: 0,
            importSettings: { prepare } as unknown as JsonObject,
            preprocessing: null,
          },
          training: { epochs: 3, batchSize: 100000, seed: 7, backend: 'cpu', earlyStopping: null },
        };
        const result = await runSession({ project, data: new TextEncoder().encode(csv), yieldEveryMs: 1e9 });
        expect(result.status, JSON.stringify(result.terminal)).toBe('completed');
        const data = result.data!;
        // Initial weights: compile is deterministic from the seed, so this is what the session started from.
        const init = compileGraph(g, { dataset: datasetInfoOf(data), seed: 7, batchSize: 100000 });
        const initW = init.store.entries.map((e) => ({
          name: e.name,
          shape: [...e.shape],
          data: Float32Array.from(init.store.params.subarray(e.offset, e.offset + e.size)),
        }));
        const start = exportModelFromParts({
          graph: g,
          weights: initW,
          recipe: data.recipe,
          appVersion: 't',
          training: { epochs: 3, batchSize: 100000, seed: 7 },
        });
        const sub = mkdtempSync(join(tmpdir(), 'netloom-pt-train-'));
        try {
          const { script, weights } = exportPytorch(start, 'model.safetensors');
          writeFileSync(join(sub, 'model.py'), script);
          writeFileSync(join(sub, 'model.safetensors'), weights);
          // The training rows only (Netloom trains on its train split).
          const lines = csv.trim().split(/\r?\n/);
          writeFileSync(
            join(sub, 'train.csv'),
            [lines[0], ...Array.from(data.trainRows, (r) => lines[data.sourceRows[r]])].join('\n'),
          );
          execFileSync(
            PY,
            ['model.py', 'train', 'train.csv', '--out', 'trained.safetensors', '--device', 'cpu'],
            { cwd: sub, env, timeout: 120_000 },
          );
          const got = readSafetensors(readFileSync(join(sub, 'trained.safetensors')));
          const finalW = result.model!.store.entries.map((e) => ({
            name: e.name,
            shape: [...e.shape],
            data: Float32Array.from(result.model!.store.params.subarray(e.offset, e.offset + e.size)),
          }));
          const trainedModel = exportModelFromParts({
            graph: g,
            weights: finalW,
            recipe: data.recipe,
            appVersion: 't',
          });
          let moved = 0;
          for (const t of torchTensors(trainedModel)) {
            const a = got.get(t.name)!;
            const before = torchTensors(start).find((x) => x.name === t.name)!.data;
            for (let i = 0; i < t.data.length; i++) {
              moved = Math.max(moved, Math.abs(t.data[i] - before[i]));
              const tol = 1e-4 + 1e-4 * Math.abs(t.data[i]);
              if (!(Math.abs(a[i] - t.data[i]) <= tol))
                throw new Error(`${t.name}[${i}]: PyTorch ${a[i]}, Netloom ${t.data[i]}`);
            }
          }
          expect(moved).toBeGreaterThan(1e-3); // training really changed the weights
        } finally {
          rmSync(sub, { recursive: true, force: true });
        }
      },
    );
  },
);

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
