/**
 * `npm run bench -- --suite peers [--rounds N] [--budget SEC] [--only xor,tabular,...] [--peers a,b,...]
 *   [--torch-threads N] [--threads N|auto] [--quick]`
 *
 * Trains the workloads W1–W4 of bench/workloads.json with Netloom and with peer libraries on the SAME
 * hash-generated data and weights (bench/data.ts, bench/WORKLOADS.md), and prints samples/s (median, min, max
 * over rounds) and the ratio Netloom / peer. Writes bench-results/peers.json.
 *
 * Peers: jax-js (Wasm device, the whole training step under jit()), TF.js with its wasm and cpu backends
 * (optimizer.minimize), and PyTorch (Debian's python3-torch, driven as a child process through a small
 * line protocol, one thread unless --torch-threads) when /usr/bin/python3 can import torch.
 * --threads N gives Netloom's WebAssembly GEMM N − 1 helper threads (engine/backend/wasm/threads.node.ts);
 * --threads auto picks per workload what the trainer picks (engine/backend/wasm/pool.ts autoGemmThreads:
 * 2 with ≥ 2 cores when batch × in × out of a layer reaches THREAD_MIN_FLOPS, else 1).
 *
 * Method: per workload, every peer warms up (the workload's warm-up steps, bounded by --budget), then the
 * peers run in INTERLEAVED rounds (round r runs every peer once), so slow drifts of the machine hit all of
 * them alike. A run restores the initial weights and optimizer state (untimed), then times `steps` training
 * steps (forward + backward + update + reading the loss back, which forces lazy libraries to finish).
 * `steps` is the full workload when it fits in --budget seconds, else the number of steps that fit (≥ 1);
 * the final loss is only comparable with the reference when the full workload ran.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { batchRange, inputs, targets, totalSteps, weights, type WorkloadSpec } from '../data';
import { REFERENCE, Trainer } from './engine';
import { ParamStore } from '../../engine/index';
import { FusedMlp } from '../../engine/fastpath/mlp';
import { gemmUsesFma } from '../../engine/backend/wasm/gemm';
import { autoGemmThreads } from '../../engine/backend/wasm/pool';
import { getOptimizer } from '../../engine/optim/registry';
import type { OptimizerStateBase } from '../../engine/optim/types';

const here = dirname(fileURLToPath(import.meta.url));
const ORDER = ['xor', 'tabular', 'mnist', 'wide'] as const;
/** Seconds per step above which a library is measured with a single round (TF.js cpu on W4). */
const SLOW_STEP_S = 5;
const LABEL: Record<string, string> = {
  xor: 'W1 xor',
  tabular: 'W2 tabular',
  mnist: 'W3 mnist',
  wide: 'W4 wide',
};

/** One model of one workload in one library. */
interface Runner {
  /** Untimed: restore the initial weights and optimizer state (and the library's backend). */
  prepare(): Promise<void>;
  /** One training step on batch t; resolves to the loss computed before the update. */
  step(t: number): Promise<number> | number;
  /** Several steps at once (for a peer in another process, where per-step messages would be timed). */
  runSteps?(steps: number): Promise<{ ms: number; cpuMs: number; loss: number }>;
  dispose(): void;
}

interface Peer {
  name: string;
  /** Returns null (with a reason printed) when the library cannot run here. */
  create(id: string, w: WorkloadSpec): Promise<Runner>;
  close?(): void;
}

// ---------------------------------------------------------------- shared data

interface HostData {
  X: Float32Array;
  /** Regression/BCE targets [rows, 1], or null for classification. */
  Y: Float32Array | null;
  /** Class indices for softmax cross-entropy. */
  cls: Int32Array | null;
  /** One-hot [rows, classes] for libraries that take dense targets. */
  oneHot: Float32Array | null;
  W: Float32Array[];
  batches: [number, number][];
}

function hostData(id: string, w: WorkloadSpec): HostData {
  const xor = id === 'xor';
  const X = inputs(w, xor);
  const T = targets(w, X, xor);
  const L = w.layers.length - 1;
  const W = Array.from({ length: L }, (_, l) => weights(w, l));
  const perEpoch = Math.ceil(w.rows / w.batch);
  const batches = Array.from({ length: perEpoch }, (_, b) => batchRange(w, b));
  if (T instanceof Int32Array) {
    const C = w.classes ?? w.layers[L];
    const oneHot = new Float32Array(w.rows * C);
    for (let r = 0; r < w.rows; r++) oneHot[r * C + T[r]] = 1;
    return { X, Y: null, cls: T, oneHot, W, batches };
  }
  return { X, Y: T, cls: null, oneHot: null, W, batches };
}

// ---------------------------------------------------------------- Netloom

const netloom: Peer = {
  name: 'netloom',
  async create(id, w) {
    const tr = new Trainer(id, w);
    return {
      prepare: async () => tr.reset(),
      step: (t) => tr.step(t),
      dispose: () => undefined,
    };
  },
};

/** Netloom's fused MLP step (engine/fastpath/mlp.ts) with the same optimizers as the engine suite. */
const netloomFused: Peer = {
  name: 'netloom-fused',
  async create(id, w) {
    const d = hostData(id, w);
    const L = w.layers.length - 1;
    const store = new ParamStore();
    const names = [];
    for (let l = 0; l < L; l++) {
      store.add(`W${l}`, [w.layers[l], w.layers[l + 1]], (v) => v.set(d.W[l]));
      store.add(`b${l}`, [w.layers[l + 1]], 0);
      names.push({ W: `W${l}`, b: `b${l}` });
    }
    const fused = new FusedMlp(store, {
      layers: w.layers,
      hidden: w.hidden,
      output: w.output,
      loss: w.loss,
      names,
    });
    const o = w.optimizer;
    const opt = getOptimizer(o.name === 'adam' ? 'adam' : (o.momentum ?? 0) > 0 ? 'momentum' : 'sgd');
    const hyper: Record<string, number> =
      o.name === 'adam'
        ? { beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, delta: o.eps ?? 1e-8 }
        : (o.momentum ?? 0) > 0
          ? { beta: o.momentum! }
          : {};
    let state: OptimizerStateBase = opt.init(store.length, hyper);
    const nIn = w.layers[0];
    const nOut = w.layers[L];
    const ctx = { lr: o.lr };
    return {
      prepare: async () => {
        store.params.fill(0);
        for (let l = 0; l < L; l++) store.params.set(d.W[l], store.spec(`W${l}`).offset);
        state = opt.init(store.length, hyper);
      },
      step: (t) => {
        const [s, e] = d.batches[t % d.batches.length];
        const x = d.X.subarray(s * nIn, e * nIn);
        const y = d.cls ? d.cls.subarray(s, e) : d.Y!.subarray(s * nOut, e * nOut);
        const loss = fused.lossAndGrad(x, e - s, y);
        opt.update(state, store.params, store.grads, ctx);
        return loss;
      },
      dispose: () => undefined,
    };
  },
};

// ---------------------------------------------------------------- jax-js

async function jaxPeer(): Promise<Peer> {
  const jax = await import('@jax-js/jax');
  const { numpy: np, nn } = jax;
  await jax.init('wasm');
  jax.defaultDevice('wasm');
  type A = InstanceType<typeof np.Array>;
  return {
    name: 'jax-js',
    async create(id, w) {
      const d = hostData(id, w);
      const L = w.layers.length - 1;
      const nIn = w.layers[0];
      const nOut = w.layers[L];
      const xs: A[] = [];
      const ys: A[] = [];
      for (const [s, e] of d.batches) {
        xs.push(np.array(d.X.slice(s * nIn, e * nIn)).reshape([e - s, nIn]));
        if (d.oneHot) ys.push(np.array(d.oneHot.slice(s * nOut, e * nOut)).reshape([e - s, nOut]));
        else ys.push(np.array(d.Y!.slice(s, e)).reshape([e - s, 1]));
      }
      // Each Array passed to a function is consumed (reference counting): `.ref` keeps one alive.
      const lossFn = (p: A[], x: A, y: A): A => {
        let h = x;
        for (let l = 0; l < L; l++) {
          h = np.matmul(h, p[2 * l]).add(p[2 * l + 1]);
          if (l < L - 1) h = w.hidden === 'relu' ? nn.relu(h) : nn.sigmoid(h);
          else if (w.output === 'sigmoid') h = nn.sigmoid(h);
        }
        const B = h.shape[0];
        if (w.loss === 'softmax_ce')
          return nn
            .logSoftmax(h, -1)
            .mul(y)
            .sum()
            .mul(-1 / B);
        if (w.loss === 'mse') {
          const r = h.sub(y);
          return r.ref.mul(r).mean();
        }
        // BCE on probabilities.
        const one = np.onesLike(y.ref);
        const t1 = y.ref.mul(np.log(h.ref));
        const t2 = one.sub(y).mul(np.log(np.onesLike(h.ref).sub(h)));
        return t1.add(t2).mean().mul(-1);
      };
      const o = w.optimizer;
      const lr = o.lr;
      const mom = o.momentum ?? 0;
      const b1 = o.beta1 ?? 0.9;
      const b2 = o.beta2 ?? 0.999;
      const eps = o.eps ?? 1e-8;
      const vg = jax.valueAndGrad(lossFn);
      // state: SGD → [], momentum → [v...], Adam → [m..., v...]; hp = [1/(1-β1^t), 1/(1-β2^t)].
      const stepFn = jax.jit((p: A[], st: A[], x: A, y: A, hp: A) => {
        const [loss, g] = vg(
          p.map((q) => q.ref),
          x,
          y,
        );
        const np2: A[] = [];
        const ns: A[] = [];
        if (o.name === 'sgd' && mom === 0) {
          for (let i = 0; i < p.length; i++) np2.push(p[i].sub(g[i].mul(lr)));
          hp.dispose();
        } else if (o.name === 'sgd') {
          for (let i = 0; i < p.length; i++) {
            const v = st[i].mul(mom).sub(g[i].mul(lr));
            np2.push(p[i].add(v.ref));
            ns.push(v);
          }
          hp.dispose();
        } else {
          const n = p.length;
          const c1 = hp.ref.slice(0);
          const c2 = hp.slice(1);
          for (let i = 0; i < n; i++) {
            const m = st[i].mul(b1).add(g[i].ref.mul(1 - b1));
            const v = st[n + i].mul(b2).add(g[i].ref.mul(g[i]).mul(1 - b2));
            const upd = m.ref
              .mul(c1.ref)
              .div(np.sqrt(v.ref.mul(c2.ref)).add(eps))
              .mul(lr);
            np2.push(p[i].sub(upd));
            ns.push(m);
            ns.push(v);
          }
          c1.dispose();
          c2.dispose();
          // Reorder [m0, v0, m1, v1, ...] into [m..., v...].
          const ms = ns.filter((_, k) => k % 2 === 0);
          const vs = ns.filter((_, k) => k % 2 === 1);
          return [np2, [...ms, ...vs], loss];
        }
        return [np2, ns, loss];
      });
      let P: A[] = [];
      let S: A[] = [];
      let t = 0;
      const freeState = () => {
        for (const a of [...P, ...S]) a.dispose();
        P = [];
        S = [];
      };
      return {
        async prepare() {
          freeState();
          for (let l = 0; l < L; l++) {
            P.push(np.array(d.W[l]).reshape([w.layers[l], w.layers[l + 1]]));
            P.push(np.zeros([w.layers[l + 1]]));
          }
          const nState = o.name === 'adam' ? 2 : mom > 0 ? 1 : 0;
          for (let k = 0; k < nState; k++) for (const p of P) S.push(np.zerosLike(p.ref));
          t = 0;
        },
        async step(b) {
          t++;
          const hp = np.array(new Float32Array([1 / (1 - b1 ** t), 1 / (1 - b2 ** t)]));
          const k = b % xs.length;
          const [p2, s2, loss] = stepFn(P, S, xs[k].ref, ys[k].ref, hp) as unknown as [A[], A[], A];
          P = p2;
          S = s2;
          const v = (await loss.data())[0];
          return v;
        },
        dispose() {
          freeState();
          for (const a of [...xs, ...ys]) a.dispose();
          stepFn.dispose();
        },
      };
    },
  };
}

// ---------------------------------------------------------------- TF.js

async function tfPeers(): Promise<Peer[]> {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  // tfjs-core's Node bundle has no gradients; its ESM tree registers them in the global registry
  // (loaded through tsx's CommonJS transform, since the ESM tree uses directory imports).
  createRequire(import.meta.url)('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const wasmDir = join(here, '..', '..', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + '/';
  wasm.setWasmPaths(wasmDir);
  const make = (backend: 'wasm' | 'cpu'): Peer => ({
    name: `tfjs-${backend}`,
    async create(id, w) {
      const d = hostData(id, w);
      const L = w.layers.length - 1;
      const nIn = w.layers[0];
      const nOut = w.layers[L];
      let vars: import('@tensorflow/tfjs-core').Variable[] = [];
      let xs: import('@tensorflow/tfjs-core').Tensor[] = [];
      let ys: import('@tensorflow/tfjs-core').Tensor[] = [];
      let opt: import('@tensorflow/tfjs-core').Optimizer | null = null;
      const free = () => {
        for (const v of [...vars, ...xs, ...ys]) v.dispose();
        opt?.dispose();
        vars = [];
        xs = [];
        ys = [];
        opt = null;
      };
      return {
        async prepare() {
          free();
          if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} failed to start`);
          await tf.ready();
          for (let l = 0; l < L; l++) {
            vars.push(tf.variable(tf.tensor2d(d.W[l], [w.layers[l], w.layers[l + 1]])));
            vars.push(tf.variable(tf.zeros([w.layers[l + 1]])));
          }
          for (const [s, e] of d.batches) {
            xs.push(tf.tensor2d(d.X.subarray(s * nIn, e * nIn), [e - s, nIn]));
            ys.push(
              d.oneHot
                ? tf.tensor2d(d.oneHot.subarray(s * nOut, e * nOut), [e - s, nOut])
                : tf.tensor2d(d.Y!.subarray(s, e), [e - s, 1]),
            );
          }
          const o = w.optimizer;
          opt =
            o.name === 'adam'
              ? tf.train.adam(o.lr, o.beta1, o.beta2, o.eps)
              : (o.momentum ?? 0) > 0
                ? tf.train.momentum(o.lr, o.momentum!)
                : tf.train.sgd(o.lr);
        },
        step(t) {
          const k = t % xs.length;
          const x = xs[k];
          const y = ys[k];
          const loss = opt!.minimize(() => {
            let h: import('@tensorflow/tfjs-core').Tensor = x;
            for (let l = 0; l < L; l++) {
              h = tf.add(tf.matMul(h, vars[2 * l]), vars[2 * l + 1]);
              if (l < L - 1) h = w.hidden === 'relu' ? tf.relu(h) : tf.sigmoid(h);
              else if (w.output === 'sigmoid') h = tf.sigmoid(h);
            }
            if (w.loss === 'softmax_ce')
              return tf.losses.softmaxCrossEntropy(y, h) as import('@tensorflow/tfjs-core').Scalar;
            if (w.loss === 'mse')
              return tf.losses.meanSquaredError(y, h) as import('@tensorflow/tfjs-core').Scalar;
            return tf.losses.logLoss(y, h, undefined, 1e-7) as import('@tensorflow/tfjs-core').Scalar;
          }, true)!;
          const v = loss.dataSync()[0];
          loss.dispose();
          return v;
        },
        dispose: free,
      };
    },
  });
  return [make('wasm'), make('cpu')];
}

// ---------------------------------------------------------------- PyTorch (child process)

/** The PyTorch side: the same data/weight generator (bench/WORKLOADS.md) and a line protocol on stdin. */
const TORCH_SCRIPT = String.raw`
import sys, json, time
import numpy as np
import torch
torch.set_num_threads(int(sys.argv[1]))

def u(k, salt):
    x = (k.astype(np.uint64) + np.uint64((salt * 0x9E3779B9) % 2**32)) % np.uint64(2**32)
    x = x.astype(np.uint32)
    x ^= x >> np.uint32(16); x = (x * np.uint32(0x7FEB352D)).astype(np.uint32)
    x ^= x >> np.uint32(15); x = (x * np.uint32(0x846CA68B)).astype(np.uint32)
    x ^= x >> np.uint32(16)
    return x.astype(np.float64) / 2.0**32

class Model:
    def __init__(self, wid, w):
        self.w = w; L = len(w['layers']) - 1; nin = w['layers'][0]; rows = w['rows']
        if wid == 'xor':
            X = np.array([[0,0],[0,1],[1,0],[1,1]], np.float32); Y = np.array([[0],[1],[1],[0]], np.float32)
        else:
            X = (2 * u(np.arange(rows * nin), 1) - 1).astype(np.float32).reshape(rows, nin)
            if w['loss'] == 'softmax_ce':
                C = w.get('classes', w['layers'][-1]); Y = np.floor(u(np.arange(rows), 2) * C).astype(np.int64)
            else:
                Y = (X[:, :8].astype(np.float64).mean(1) + X[:, 8].astype(np.float64) * X[:, 9]).astype(np.float32).reshape(rows, 1)
        self.W0 = []
        for l in range(L):
            i, o = w['layers'][l], w['layers'][l+1]
            lim = np.sqrt(6/(i+o)) if w['hidden'] == 'sigmoid' else np.sqrt(6/i)
            self.W0.append(((2 * u(np.arange(i*o), 10+l) - 1) * lim).astype(np.float32).reshape(i, o))
        b = w['batch']; n = -(-rows // b)
        self.batches = [(torch.from_numpy(X[k*b:(k+1)*b]), torch.from_numpy(Y[k*b:(k+1)*b])) for k in range(n)]
        self.L = L
    def prepare(self):
        self.P = []
        for W in self.W0:
            self.P.append(torch.tensor(W, requires_grad=True)); self.P.append(torch.zeros(W.shape[1], requires_grad=True))
        o = self.w['optimizer']
        if o['name'] == 'adam':
            self.opt = torch.optim.Adam(self.P, lr=o['lr'], betas=(o.get('beta1',0.9), o.get('beta2',0.999)), eps=o.get('eps',1e-8))
        else:
            self.opt = torch.optim.SGD(self.P, lr=o['lr'], momentum=o.get('momentum', 0.0))
    def step(self, t):
        x, y = self.batches[t % len(self.batches)]
        h = x; w = self.w
        for l in range(self.L):
            h = torch.addmm(self.P[2*l+1], h, self.P[2*l])
            if l < self.L - 1: h = torch.relu(h) if w['hidden'] == 'relu' else torch.sigmoid(h)
            elif w['output'] == 'sigmoid': h = torch.sigmoid(h)
        if w['loss'] == 'softmax_ce': loss = torch.nn.functional.cross_entropy(h, y)
        elif w['loss'] == 'mse': loss = torch.nn.functional.mse_loss(h, y)
        else: loss = torch.nn.functional.binary_cross_entropy(h, y)
        self.opt.zero_grad(set_to_none=True); loss.backward(); self.opt.step()
        return loss.item()

models = {}
for line in sys.stdin:
    cmd = json.loads(line)
    if cmd['op'] == 'setup':
        models[cmd['id']] = Model(cmd['id'], cmd['w']); out = {}
    elif cmd['op'] == 'prepare':
        models[cmd['id']].prepare(); out = {}
    elif cmd['op'] == 'run':
        m = models[cmd['id']]; t0 = time.perf_counter(); c0 = time.process_time(); loss = float('nan')
        for t in range(cmd['steps']): loss = m.step(t)
        out = {'ms': (time.perf_counter() - t0) * 1000, 'cpuMs': (time.process_time() - c0) * 1000, 'loss': loss}
    print(json.dumps(out), flush=True)
`;

function torchPeer(threads: number): Peer | string {
  const py = '/usr/bin/python3';
  const probe = spawnSync(py, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return `PyTorch skipped: ${py} cannot import torch`;
  const version = probe.stdout.trim();
  const child: ChildProcessWithoutNullStreams = spawn(py, ['-c', TORCH_SCRIPT, String(threads)]);
  const lines = createInterface({ input: child.stdout });
  const waiting: ((s: string) => void)[] = [];
  lines.on('line', (l) => waiting.shift()?.(l));
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const call = (cmd: object): Promise<{ ms?: number; cpuMs?: number; loss?: number }> =>
    new Promise((resolve, reject) => {
      if (child.exitCode !== null) reject(new Error(`PyTorch process exited: ${stderr}`));
      waiting.push((l) => resolve(JSON.parse(l)));
      child.stdin.write(JSON.stringify(cmd) + '\n');
    });
  return {
    name: `pytorch-${version.split('+')[0]}-${threads}t`,
    async create(id, w) {
      await call({ op: 'setup', id, w });
      return {
        prepare: async () => {
          await call({ op: 'prepare', id });
        },
        // Warm-up only (always batch 0); timed runs go through runSteps, timed inside Python.
        step: async () => (await call({ op: 'run', id, steps: 1 })).loss!,
        runSteps: async (steps) => {
          const r = await call({ op: 'run', id, steps });
          return { ms: r.ms!, cpuMs: r.cpuMs!, loss: r.loss! };
        },
        dispose: () => undefined,
      };
    },
    close: () => child.stdin.end(),
  };
}

// ---------------------------------------------------------------- driver

interface Stats {
  median: number;
  min: number;
  max: number;
}
function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return { median: s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2, min: s[0], max: s[s.length - 1] };
}

interface PeerResult {
  peer: string;
  steps: number;
  rounds: number;
  samplesPerSec: Stats;
  msPerStep: Stats;
  /**
   * Samples per CPU-second (process CPU time of the timed steps, all threads of the process; the
   * PyTorch child reports its own). Less sensitive than wall time to other jobs on the machine.
   */
  samplesPerCpuSec: Stats;
  finalLoss: number;
  comparable: boolean;
}

async function timeRun(
  r: Runner,
  steps: number,
  rowsOf: (t: number) => number,
): Promise<{ ms: number; cpuMs: number; loss: number; rows: number }> {
  await r.prepare();
  let rows = 0;
  for (let t = 0; t < steps; t++) rows += rowsOf(t);
  if (r.runSteps) {
    const { ms, cpuMs, loss } = await r.runSteps(steps);
    return { ms, cpuMs, loss, rows };
  }
  let loss = NaN;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let t = 0; t < steps; t++) loss = await r.step(t);
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, loss, rows };
}

function parseArgs(args: string[]) {
  const get = (k: string) => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const quick = args.includes('--quick');
  const rounds = Number(get('--rounds') ?? (quick ? 1 : 5));
  const budget = Number(get('--budget') ?? (quick ? 0.3 : 2));
  const torchThreads = Number(get('--torch-threads') ?? 1);
  const t = get('--threads') ?? '1';
  const threads: number | 'auto' = t === 'auto' ? 'auto' : Number(t);
  if (threads !== 'auto' && !(Number.isInteger(threads) && threads >= 1))
    throw new RangeError('--threads needs a positive integer or auto');
  const only = (get('--only') ?? ORDER.join(',')).split(',');
  const peers = get('--peers')?.split(',');
  for (const o of only)
    if (!ORDER.includes(o as (typeof ORDER)[number]))
      throw new RangeError(`--only: unknown workload '${o}' (have ${ORDER.join(', ')})`);
  if (!(rounds >= 1 && Number.isInteger(rounds))) throw new RangeError('--rounds needs a positive integer');
  if (!(budget > 0)) throw new RangeError('--budget needs a positive number of seconds');
  return { quick, rounds, budget, torchThreads, threads, only, peers };
}

export async function run(args: string[]): Promise<void> {
  const opts = parseArgs(args);
  const all = JSON.parse(readFileSync(join(here, '..', 'workloads.json'), 'utf8')) as Record<
    string,
    WorkloadSpec
  >;
  const peers: Peer[] = [netloom, netloomFused].filter(
    (p) =>
      !opts.peers ||
      opts.peers.some((q) => p.name === q || (q === 'netloom' && p.name.startsWith('netloom'))),
  );
  const notes: string[] = [];
  const want = (n: string) => !opts.peers || opts.peers.some((p) => n.startsWith(p) || p.startsWith(n));
  try {
    if (want('jax-js')) peers.push(await jaxPeer());
  } catch (e) {
    notes.push(`jax-js skipped: ${(e as Error).message}`);
  }
  try {
    if (want('tfjs')) peers.push(...(await tfPeers()).filter((p) => want(p.name)));
  } catch (e) {
    notes.push(`TF.js skipped: ${(e as Error).message}`);
  }
  if (want('pytorch')) {
    const t = torchPeer(opts.torchThreads);
    if (typeof t === 'string') notes.push(t);
    else peers.push(t);
  }
  for (const n of notes) console.error(n);
  // Netloom's GEMM helper threads (the other libraries use their own defaults).
  // tsx resolves a '.node' module only with its '.ts' extension, which tsc rejects in a static import.
  const threadsModule = '../../engine/backend/wasm/threads.node' + '.ts';
  const startPool = async (threads: number) =>
    threads > 1
      ? (
          (await import(threadsModule)) as typeof import('../../engine/backend/wasm/threads.node')
        ).startGemmThreads(threads - 1)
      : null;
  const pool = opts.threads === 'auto' ? null : await startPool(opts.threads);

  const results: {
    id: string;
    batch: number;
    fullSteps: number;
    referenceLoss: number | null;
    /** Netloom's GEMM threads on this workload. */
    threads: number;
    peers: PeerResult[];
  }[] = [];
  for (const id of ORDER) {
    if (!opts.only.includes(id)) continue;
    const w = all[id];
    const full = totalSteps(w);
    const perEpoch = Math.ceil(w.rows / w.batch);
    const rowsOf = (t: number) => {
      const [s, e] = batchRange(w, t % perEpoch);
      return e - s;
    };
    const runners: { peer: Peer; r: Runner; steps: number; rounds: number }[] = [];
    // The trainer's automatic choice: the largest product of a step is batch × in × out of a layer.
    let largest = 0;
    for (let l = 1; l < w.layers.length; l++)
      largest = Math.max(largest, w.batch * w.layers[l - 1] * w.layers[l]);
    const wThreads = opts.threads === 'auto' ? autoGemmThreads(largest, cpus().length) : opts.threads;
    const wPool = opts.threads === 'auto' ? await startPool(wThreads) : null;
    for (const peer of peers) {
      let r: Runner;
      try {
        r = await peer.create(id, w);
        // Warm-up: the workload's warm-up steps, but no longer than the budget; it also sizes the runs.
        // A library slower than SLOW_STEP_S per step gets one warm-up step, no probe and one round.
        await r.prepare();
        const t0 = performance.now();
        await r.step(0);
        const first = (performance.now() - t0) / 1000;
        const slow = first > SLOW_STEP_S;
        let k = 1;
        const maxWarm = opts.quick ? Math.min(w.warmup_steps, 5) : w.warmup_steps;
        while (!slow && k < Math.max(2, maxWarm) && (k < 2 || performance.now() - t0 < opts.budget * 1000))
          await r.step(k++);
        let perStep = first * 1000;
        if (!slow) {
          // Time a short second pass (jit/compile caches are hot now) to size the runs.
          // At least 3 steps and 50 ms, so one GC pause does not decide the run length.
          const t1 = performance.now();
          let probe = 0;
          while (probe < 3 || (performance.now() - t1 < 50 && probe < 10000)) await r.step(probe++);
          perStep = (performance.now() - t1) / probe;
        }
        const fit = Math.max(1, Math.floor((opts.budget * 1000) / Math.max(perStep, 1e-3)));
        runners.push({ peer, r, steps: Math.min(full, fit), rounds: slow ? 1 : opts.rounds });
      } catch (e) {
        console.error(`${peer.name} on ${id} failed: ${(e as Error).message}`);
      }
    }
    const per = new Map<string, { sps: number[]; mps: number[]; cps: number[]; loss: number }>();
    for (let round = 0; round < opts.rounds; round++) {
      for (const { peer, r, steps, rounds } of runners) {
        if (round >= rounds) continue;
        const { ms, cpuMs, loss, rows } = await timeRun(r, steps, rowsOf);
        const e = per.get(peer.name) ?? { sps: [], mps: [], cps: [], loss: NaN };
        e.sps.push(rows / (ms / 1000));
        e.cps.push(rows / (cpuMs / 1000));
        e.mps.push(ms / steps);
        e.loss = loss;
        per.set(peer.name, e);
      }
    }
    for (const { r } of runners) r.dispose();
    await wPool?.close();
    results.push({
      id,
      batch: w.batch,
      threads: wThreads,
      fullSteps: full,
      referenceLoss: REFERENCE[id],
      peers: runners.map(({ peer, steps, rounds }) => {
        const e = per.get(peer.name)!;
        return {
          peer: peer.name,
          steps,
          rounds,
          samplesPerSec: stats(e.sps),
          msPerStep: stats(e.mps),
          samplesPerCpuSec: stats(e.cps),
          finalLoss: e.loss,
          comparable: steps === full,
        };
      }),
    });
    console.error(`${LABEL[id]}: done`);
  }
  for (const p of peers) p.close?.();
  await pool?.close();
  printTable(results, opts.threads);
  const out = join(here, '..', '..', 'bench-results');
  mkdirSync(out, { recursive: true });
  const file = join(out, 'peers.json');
  writeFileSync(
    file,
    JSON.stringify(
      {
        suite: 'peers',
        date: new Date().toISOString(),
        node: process.version,
        cpu: cpus()[0]?.model ?? '?',
        cores: cpus().length,
        loadAverage: loadavg(),
        gemmKernel: gemmUsesFma() ? 'relaxed-simd-fma' : 'mul-add',
        options: opts,
        notes,
        results,
      },
      null,
      2,
    ),
  );
  console.log(`\nwrote ${file}`);
  // Library worker threads (jax-js, TF.js) may keep the event loop alive.
  process.exit(0);
}

function printTable(
  results: {
    id: string;
    referenceLoss: number | null;
    fullSteps: number;
    threads: number;
    peers: PeerResult[];
  }[],
  threads: number | 'auto',
): void {
  const f = (v: number, d = 0) =>
    v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  const head = [
    'workload',
    'library',
    'steps',
    'samples/s',
    'min–max',
    'ms/step',
    'netloom ×',
    'samples/CPU-s',
    'CPU ×',
    'final loss',
  ];
  const rows: string[][] = [];
  for (const r of results) {
    // Ratios use Netloom's fastest path on this workload.
    const ours = Math.max(
      ...r.peers.filter((p) => p.peer.startsWith('netloom')).map((p) => p.samplesPerSec.median),
    );
    const oursCpu = Math.max(
      ...r.peers.filter((p) => p.peer.startsWith('netloom')).map((p) => p.samplesPerCpuSec.median),
    );
    for (const p of r.peers) {
      rows.push([
        LABEL[r.id],
        p.peer,
        `${p.steps}/${r.fullSteps}`,
        f(p.samplesPerSec.median),
        `${f(p.samplesPerSec.min)}–${f(p.samplesPerSec.max)}`,
        f(p.msPerStep.median, 3),
        p.peer.startsWith('netloom') || !Number.isFinite(ours)
          ? ''
          : `${(ours / p.samplesPerSec.median).toFixed(2)}×`,
        f(p.samplesPerCpuSec.median),
        p.peer.startsWith('netloom') || !Number.isFinite(oursCpu)
          ? ''
          : `${(oursCpu / p.samplesPerCpuSec.median).toFixed(2)}×`,
        p.comparable ? p.finalLoss.toFixed(5) : `(${p.finalLoss.toFixed(5)})`,
      ]);
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(
    `\npeer benchmark (samples/s, median over interleaved rounds; "CPU ×": the same ratio per CPU-second of the process (less sensitive to other jobs); Netloom GEMM threads: ${threads === 'auto' ? `auto (${results.map((r) => `${LABEL[r.id]}: ${r.threads}`).join(', ')})` : threads}, kernel: ${gemmUsesFma() ? 'relaxed-SIMD FMA' : 'mul + add'}; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}; "netloom ×" = Netloom's faster path / library)`,
  );
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log('losses in parentheses: a shortened run, not comparable with the references');
  for (const r of results)
    if (r.referenceLoss !== null) console.log(`reference final loss ${LABEL[r.id]}: ${r.referenceLoss}`);
}
