/**
 * Centre placement for RBF networks (lecture "Radial Basis Function Nets — Learning mechanism":
 * place the centres randomly and uniformly, or by vector quantization: K-means++, GNG).
 * Data are row-major n×d float64 matrices. All randomness comes from the caller's seeded Rng.
 * Invariants: inputs are never modified; outputs are fresh k×d arrays; every function is
 * deterministic for a given Rng state.
 */
import { Rng } from '../random/rng';

function checkData(fn: string, x: ArrayLike<number>, n: number, d: number, k: number): void {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(d) || d < 1) {
    throw new RangeError(`${fn}: need at least one row and one column, got n = ${n}, d = ${d}`);
  }
  if (x.length !== n * d)
    throw new RangeError(`${fn}: data has ${x.length} values, expected n×d = ${n}×${d}`);
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError(`${fn}: number of centres must be a positive integer, got ${k}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      throw new RangeError(
        `${fn}: row ${Math.floor(i / d)}, column ${i % d} is ${x[i]}; remove or impute missing values first`,
      );
    }
  }
}

function sqDist(a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[ai + j] - b[bi + j];
    s += t * t;
  }
  return s;
}

/**
 * k centres copied from k distinct random rows (sampling without replacement).
 * @throws RangeError when k > n (ask for fewer centres or use K-means++/uniform placement).
 */
export function randomSampleCentres(
  x: ArrayLike<number>,
  n: number,
  d: number,
  k: number,
  rng: Rng,
): Float64Array {
  checkData('randomSampleCentres', x, n, d, k);
  if (k > n)
    throw new RangeError(
      `randomSampleCentres: cannot pick ${k} distinct rows from ${n}; use at most ${n} centres`,
    );
  const perm = rng.permutation(n);
  const c = new Float64Array(k * d);
  for (let i = 0; i < k; i++) for (let j = 0; j < d; j++) c[i * d + j] = x[perm[i] * d + j];
  return c;
}

/** k centres uniformly distributed in the bounding box of the data (per-column min…max). */
export function uniformCentres(
  x: ArrayLike<number>,
  n: number,
  d: number,
  k: number,
  rng: Rng,
): Float64Array {
  checkData('uniformCentres', x, n, d, k);
  const lo = new Float64Array(d).fill(Infinity);
  const hi = new Float64Array(d).fill(-Infinity);
  for (let r = 0; r < n; r++)
    for (let j = 0; j < d; j++) {
      lo[j] = Math.min(lo[j], x[r * d + j]);
      hi[j] = Math.max(hi[j], x[r * d + j]);
    }
  const c = new Float64Array(k * d);
  for (let i = 0; i < k; i++) for (let j = 0; j < d; j++) c[i * d + j] = lo[j] + (hi[j] - lo[j]) * rng.next();
  return c;
}

export interface KMeansResult {
  centres: Float64Array;
  /** Cluster index of each row. */
  assignments: Int32Array;
  /** Σ squared distance of each row to its centre. */
  inertia: number;
  iterations: number;
}

/**
 * K-means with K-means++ seeding (Arthur & Vassilvitskii, SODA 2007): the first centre is a random
 * row, each next one a row drawn with probability ∝ D(x)², the squared distance to the nearest
 * chosen centre; then Lloyd iterations until no assignment changes or `maxIterations`.
 * An empty cluster is moved to the row farthest from its centre. With fewer distinct rows than k,
 * some centres coincide (widths.ts floors their σ).
 */
export function kmeansPlusPlus(
  x: ArrayLike<number>,
  n: number,
  d: number,
  k: number,
  rng: Rng,
  maxIterations = 100,
): KMeansResult {
  checkData('kmeansPlusPlus', x, n, d, k);
  const c = new Float64Array(k * d);
  const dist = new Float64Array(n);
  const first = rng.int(n);
  for (let j = 0; j < d; j++) c[j] = x[first * d + j];
  for (let r = 0; r < n; r++) dist[r] = sqDist(x, r * d, c, 0, d);
  for (let i = 1; i < k; i++) {
    let total = 0;
    for (let r = 0; r < n; r++) total += dist[r];
    let pick = rng.int(n); // all rows coincide with chosen centres: any row will do
    if (total > 0) {
      let u = rng.next() * total;
      for (let r = 0; r < n; r++) {
        u -= dist[r];
        if (u < 0) {
          pick = r;
          break;
        }
      }
      if (u >= 0) pick = n - 1;
    }
    for (let j = 0; j < d; j++) c[i * d + j] = x[pick * d + j];
    for (let r = 0; r < n; r++) dist[r] = Math.min(dist[r], sqDist(x, r * d, c, i * d, d));
  }
  const assign = new Int32Array(n).fill(-1);
  const counts = new Int32Array(k);
  let it = 0;
  for (; it < maxIterations; it++) {
    let changed = 0;
    for (let r = 0; r < n; r++) {
      let best = 0;
      let bd = Infinity;
      for (let i = 0; i < k; i++) {
        const s = sqDist(x, r * d, c, i * d, d);
        if (s < bd) {
          bd = s;
          best = i;
        }
      }
      dist[r] = bd;
      if (assign[r] !== best) {
        assign[r] = best;
        changed++;
      }
    }
    if (changed === 0 && it > 0) break;
    c.fill(0);
    counts.fill(0);
    for (let r = 0; r < n; r++) {
      counts[assign[r]]++;
      for (let j = 0; j < d; j++) c[assign[r] * d + j] += x[r * d + j];
    }
    for (let i = 0; i < k; i++) {
      if (counts[i] > 0) {
        for (let j = 0; j < d; j++) c[i * d + j] /= counts[i];
      } else {
        // Empty cluster: take the row currently worst served.
        let far = 0;
        for (let r = 1; r < n; r++) if (dist[r] > dist[far]) far = r;
        for (let j = 0; j < d; j++) c[i * d + j] = x[far * d + j];
        dist[far] = 0;
      }
    }
  }
  let inertia = 0;
  for (let r = 0; r < n; r++) inertia += sqDist(x, r * d, c, assign[r] * d, d);
  return { centres: c, assignments: assign, inertia, iterations: it };
}

export interface GngOptions {
  /** Number of nodes to grow to (= centres). */
  maxNodes: number;
  /** Signals between insertions λ (default 100). */
  lambda?: number;
  /** Learning rates of the winner and its neighbours (defaults 0.05, 0.006). */
  epsWinner?: number;
  epsNeighbour?: number;
  /** Maximum edge age (default 50). */
  maxAge?: number;
  /** Error reduction at insertion α (0.5) and global decay β (0.995). */
  alpha?: number;
  beta?: number;
  /** Extra adaptation signals after the last insertion (default 2·λ·maxNodes). */
  settleSignals?: number;
}

export interface GngResult {
  centres: Float64Array;
  /** Edges as [a, b] node pairs. */
  edges: [number, number][];
  signals: number;
}

/**
 * Growing Neural Gas (Fritzke, "A growing neural gas network learns topologies", NIPS 1995):
 * nodes adapt toward random samples; edges age and die; every λ signals a node is inserted
 * between the node with the largest accumulated error and its worst neighbour.
 */
export function growingNeuralGas(
  x: ArrayLike<number>,
  n: number,
  d: number,
  rng: Rng,
  opts: GngOptions,
): GngResult {
  const k = opts.maxNodes;
  checkData('growingNeuralGas', x, n, d, k);
  if (k < 2) throw new RangeError(`growingNeuralGas: maxNodes must be ≥ 2, got ${k}`);
  const lambda = opts.lambda ?? 100;
  const eb = opts.epsWinner ?? 0.05;
  const en = opts.epsNeighbour ?? 0.006;
  const maxAge = opts.maxAge ?? 50;
  const alpha = opts.alpha ?? 0.5;
  const beta = opts.beta ?? 0.995;
  const settle = opts.settleSignals ?? 2 * lambda * k;
  const w: number[][] = [];
  const err: number[] = [];
  // age.get(a)!.get(b) = age of edge a–b (stored symmetrically).
  const age: Map<number, number>[] = [];
  const addNode = (v: number[], e: number) => {
    w.push(v);
    err.push(e);
    age.push(new Map());
    return w.length - 1;
  };
  const connect = (a: number, b: number) => {
    age[a].set(b, 0);
    age[b].set(a, 0);
  };
  const disconnect = (a: number, b: number) => {
    age[a].delete(b);
    age[b].delete(a);
  };
  const row = (r: number) => Array.from({ length: d }, (_, j) => x[r * d + j]);
  addNode(row(rng.int(n)), 0);
  addNode(row(rng.int(n)), 0);
  let signals = 0;
  let afterFull = 0;
  while (w.length < k || afterFull < settle) {
    const xi = rng.int(n) * d;
    let s1 = -1;
    let s2 = -1;
    let d1 = Infinity;
    let d2 = Infinity;
    for (let i = 0; i < w.length; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[xi + j] - w[i][j]) ** 2;
      if (s < d1) {
        d2 = d1;
        s2 = s1;
        d1 = s;
        s1 = i;
      } else if (s < d2) {
        d2 = s;
        s2 = i;
      }
    }
    for (const [nb, a] of age[s1]) {
      age[s1].set(nb, a + 1);
      age[nb].set(s1, a + 1);
    }
    err[s1] += d1;
    for (let j = 0; j < d; j++) w[s1][j] += eb * (x[xi + j] - w[s1][j]);
    for (const nb of age[s1].keys()) for (let j = 0; j < d; j++) w[nb][j] += en * (x[xi + j] - w[nb][j]);
    connect(s1, s2);
    for (const [nb, a] of [...age[s1]]) if (a > maxAge) disconnect(s1, nb);
    // Remove isolated nodes (never below 2), re-indexing edges.
    for (let i = w.length - 1; i >= 0 && w.length > 2; i--) {
      if (age[i].size > 0) continue;
      w.splice(i, 1);
      err.splice(i, 1);
      age.splice(i, 1);
      for (const m of age) {
        const moved = [...m].map(([b, a]) => [b > i ? b - 1 : b, a] as [number, number]);
        m.clear();
        for (const [b, a] of moved) m.set(b, a);
      }
    }
    signals++;
    if (w.length >= k) afterFull++;
    if (signals % lambda === 0 && w.length < k) {
      let q = 0;
      for (let i = 1; i < w.length; i++) if (err[i] > err[q]) q = i;
      let f = -1;
      for (const nb of age[q].keys()) if (f < 0 || err[nb] > err[f]) f = nb;
      if (f >= 0) {
        const r = addNode(
          w[q].map((v, j) => 0.5 * (v + w[f][j])),
          0,
        );
        disconnect(q, f);
        connect(q, r);
        connect(r, f);
        err[q] *= alpha;
        err[f] *= alpha;
        err[r] = err[q];
      }
    }
    for (let i = 0; i < err.length; i++) err[i] *= beta;
  }
  const centres = new Float64Array(w.length * d);
  w.forEach((v, i) => centres.set(v, i * d));
  const edges: [number, number][] = [];
  age.forEach((m, a) => m.forEach((_, b) => a < b && edges.push([a, b])));
  return { centres, edges, signals };
}
