/**
 * ONNX export (opset 17, IR 8): the fitted preprocessing, the network in inference form and the output
 * head as one ONNX graph that takes RAW feature columns.
 *
 * Inputs: `features` float32 [N, numeric columns] — the numeric feature columns in the order of
 * `metadata_props.numeric_columns` (a missing value is NaN); one string input [N, 1] per categorical
 * feature column, named `cat_<column>` (cell text trimmed, as Netloom reads it).
 * Outputs: classification `probabilities` float32 [N, K] (class k = classes[k]), `class_index` int64 [N]
 * (arg max, ties to the lower index) and `label` string [N]; regression `prediction` float32 [N, T] in
 * the units of the file.
 *
 * Preprocessing runs in float64 like engine/data (impute → (x − shift)/scale → one-hot → ZCA) and is cast
 * to float32 once, where Netloom stores its features. Layers map to Gemm (Dense), Gemm + Reshape + ReduceMax
 * (Maxout), Sub/Mul/ReduceSum/Exp (RBF), BatchNormalization (running statistics), Add, Concat; Dropout is
 * the identity; activations without an ONNX operator are composed from primitives (GELU from Erf,
 * SiLU = x·σ(x), Gaussian, LeCun tanh, Soboleva tanh, binary step, a stable softplus).
 * Rows Netloom would drop (a missing value with the drop-row rule) give NaN outputs here; an unseen
 * category gives an all-zero one-hot vector (ONNX has no way to raise an error).
 */
import type { FittedColumn } from '../data/prepare';
import {
  defaultParams,
  GELU_TANH_C,
  GELU_TANH_K,
  LECUN_TANH_A,
  LECUN_TANH_B,
  SELU_ALPHA,
  SELU_LAMBDA,
} from '../nn';
import { ExportError, outputHead, weightOf, type ExportModel, type PlanStep } from './model';
import { exportMetadata, float32LeBytes } from './safetensors';
import { torchTensors } from './tensors';
import {
  AT,
  DT,
  encodeModel,
  type AttributeMsg,
  type NodeMsg,
  type TensorMsg,
  type ValueInfoMsg,
} from './onnx-proto';

export const ONNX_OPSET = 17;
export const ONNX_ML_OPSET = 3;
const IR_VERSION = 8;
const enc = new TextEncoder();

type Attr = number | number[] | string | { floats: number[] } | { tensor: TensorMsg };

/** Small graph builder: unique value names, constants as initializers. */
class GraphBuilder {
  nodes: NodeMsg[] = [];
  inits: TensorMsg[] = [];
  usesMl = false;
  private n = 0;

  fresh(hint: string): string {
    return `${hint}_${this.n++}`;
  }

  private tensor(name: string, dims: number[], dataType: number, raw: Uint8Array): string {
    this.inits.push({ name, dims, dataType, rawData: raw });
    return name;
  }
  f32(hint: string, data: ArrayLike<number>, dims: number[]): string {
    return this.tensor(this.fresh(hint), dims, DT.FLOAT, float32LeBytes(Float32Array.from(data)));
  }
  f64(hint: string, data: ArrayLike<number>, dims: number[]): string {
    const b = new Uint8Array(data.length * 8);
    const dv = new DataView(b.buffer);
    for (let i = 0; i < data.length; i++) dv.setFloat64(i * 8, data[i], true);
    return this.tensor(this.fresh(hint), dims, DT.DOUBLE, b);
  }
  i64(hint: string, data: ArrayLike<number>, dims: number[]): string {
    const b = new Uint8Array(data.length * 8);
    const dv = new DataView(b.buffer);
    for (let i = 0; i < data.length; i++) dv.setBigInt64(i * 8, BigInt(data[i]), true);
    return this.tensor(this.fresh(hint), dims, DT.INT64, b);
  }
  str(hint: string, data: string[], dims: number[]): string {
    const name = this.fresh(hint);
    this.inits.push({ name, dims, dataType: DT.STRING, stringData: data.map((s) => enc.encode(s)) });
    return name;
  }

  op(
    opType: string,
    inputs: string[],
    attrs: Record<string, Attr> = {},
    opts: { out?: string; domain?: string } = {},
  ): string {
    const out = opts.out ?? this.fresh(opType.toLowerCase());
    const attribute: AttributeMsg[] = Object.entries(attrs).map(([name, v]) => {
      if (typeof v === 'string') return { name, type: AT.STRING, s: enc.encode(v) };
      if (typeof v === 'number')
        return Number.isInteger(v) ? { name, type: AT.INT, i: v } : { name, type: AT.FLOAT, f: v };
      if (Array.isArray(v)) return { name, type: AT.INTS, ints: v };
      if ('floats' in v) return { name, type: AT.FLOATS, floats: v.floats };
      return { name, type: AT.TENSOR, t: v.tensor };
    });
    this.nodes.push({
      input: inputs,
      output: [out],
      name: out,
      opType,
      attribute,
      ...(opts.domain ? { domain: opts.domain } : {}),
    });
    if (opts.domain === 'ai.onnx.ml') this.usesMl = true;
    return out;
  }
}

/** A float attribute value, written as AttributeProto.FLOAT even when it is integral. */
function fattr(
  b: GraphBuilder,
  opType: string,
  inputs: string[],
  floats: Record<string, number>,
  ints: Record<string, number> = {},
): string {
  const out = b.fresh(opType.toLowerCase());
  const attribute: AttributeMsg[] = [
    ...Object.entries(floats).map(([name, f]) => ({ name, type: AT.FLOAT, f })),
    ...Object.entries(ints).map(([name, i]) => ({ name, type: AT.INT, i })),
  ];
  b.nodes.push({ input: inputs, output: [out], name: out, opType, attribute });
  return out;
}

/** Input value name for a categorical column. */
export function categoricalInputName(column: string): string {
  return `cat_${column}`;
}

function valueInfo(name: string, elemType: number, dims: (number | string)[], doc?: string): ValueInfoMsg {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
    ...(doc ? { docString: doc } : {}),
  };
}

/** Preprocessing: raw inputs → encoded float64 features → float32 (the network's x). */
function buildPreprocessing(b: GraphBuilder, model: ExportModel, inputs: ValueInfoMsg[]): string {
  const r = model.recipe;
  const numeric = r.features.filter((f) => f.type === 'numeric');
  const categorical = r.features.filter((f) => f.type === 'categorical');
  const parts = new Map<FittedColumn, string>();
  let numD: string | null = null;
  if (numeric.length) {
    inputs.push(
      valueInfo(
        'features',
        DT.FLOAT,
        ['N', numeric.length],
        `raw numeric feature columns: ${numeric.map((f) => f.name).join(', ')}`,
      ),
    );
    numD = b.op('Cast', ['features'], { to: DT.DOUBLE });
    if (numeric.some((f) => f.imputeValue !== undefined)) {
      const imp = b.f64(
        'impute',
        numeric.map((f) => f.imputeValue ?? NaN),
        [1, numeric.length],
      );
      numD = b.op('Where', [b.op('IsNaN', [numD]), imp, numD]);
    }
    const shift = numeric.map((f) => f.scaler?.shift ?? 0);
    const scale = numeric.map((f) => f.scaler?.scale ?? 1);
    if (shift.some((v) => v !== 0)) numD = b.op('Sub', [numD, b.f64('shift', shift, [1, numeric.length])]);
    if (scale.some((v) => v !== 1))
      numD = b.op('Div', [
        numD,
        b.f64(
          'scale',
          scale.map((s) => (s === 0 ? 1 : s)),
          [1, numeric.length],
        ),
      ]);
    // Constant columns (scale 0) map to exactly 0, as engine/data does.
    if (scale.some((v) => v === 0))
      numD = b.op('Mul', [
        numD,
        b.f64(
          'constant_mask',
          scale.map((s) => (s === 0 ? 0 : 1)),
          [1, numeric.length],
        ),
      ]);
  }
  for (const f of categorical) {
    const cats = f.categories ?? [];
    const name = categoricalInputName(f.name);
    inputs.push(
      valueInfo(name, DT.STRING, ['N', 1], `raw text of column '${f.name}'; categories: ${cats.join(', ')}`),
    );
    const keys = [...cats];
    const values = cats.map((_, j) => j);
    const imputeIdx = f.imputeCategory !== undefined ? cats.indexOf(f.imputeCategory) : -1;
    if (imputeIdx >= 0)
      for (const t of r.missingTokens)
        if (!f.notMissing.includes(t) && !keys.includes(t)) {
          keys.push(t);
          values.push(imputeIdx);
        }
    const idx = b.op(
      'LabelEncoder',
      [name],
      { keys_strings: 's', values_int64s: [], default_int64: -1 },
      { domain: 'ai.onnx.ml' },
    );
    // Replace the placeholder attributes with the real lists (strings and ints).
    const node = b.nodes[b.nodes.length - 1];
    node.attribute = [
      { name: 'keys_strings', type: AT.STRINGS, strings: keys.map((k) => enc.encode(k)) },
      { name: 'values_int64s', type: AT.INTS, ints: values },
      { name: 'default_int64', type: AT.INT, i: -1 },
    ];
    const onehot = b.op('Equal', [
      idx,
      b.i64(
        'categories',
        cats.map((_, j) => j),
        [1, cats.length],
      ),
    ]);
    parts.set(f, b.op('Cast', [onehot], { to: DT.DOUBLE }));
  }
  let x: string;
  const ordered = [...r.features].sort((p, q) => (p.offset ?? 0) - (q.offset ?? 0));
  if (!categorical.length && numD) x = numD;
  else {
    const pieces: string[] = [];
    let run: number[] = [];
    const flush = () => {
      if (!run.length) return;
      pieces.push(b.op('Gather', [numD!, b.i64('cols', run, [run.length])], { axis: 1 }));
      run = [];
    };
    for (const f of ordered) {
      if (f.type === 'numeric') run.push(numeric.indexOf(f));
      else {
        flush();
        pieces.push(parts.get(f)!);
      }
    }
    flush();
    x = pieces.length === 1 ? pieces[0] : b.op('Concat', pieces, { axis: 1 });
  }
  if (r.zca) {
    const d = r.zca.dim;
    const wt = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) wt[j * d + i] = r.zca.whiten[i * d + j];
    x = b.op('MatMul', [
      b.op('Sub', [x, b.f64('zca_mean', r.zca.mean, [1, d])]),
      b.f64('zca_whiten_t', wt, [d, d]),
    ]);
  }
  return b.op('Cast', [x], { to: DT.FLOAT }, { out: 'encoded_features' });
}

/** ONNX nodes of one activation applied to `x` (float32). */
function buildActivation(
  b: GraphBuilder,
  step: Extract<PlanStep, { kind: 'activation' }>,
  x: string,
): string {
  const p = { ...defaultParams(step.name), ...step.params };
  const n = (k: string) => p[k] as number;
  const c = (v: number) => b.f32('c', [v], []);
  switch (step.name) {
    case 'identity':
      return b.op('Identity', [x]);
    case 'binary_step':
      return b.op('Cast', [b.op('GreaterOrEqual', [x, c(0)])], { to: DT.FLOAT });
    case 'sigmoid':
      return b.op('Sigmoid', [x]);
    case 'tanh':
      return b.op('Tanh', [x]);
    case 'lecun_tanh':
      return b.op('Mul', [b.op('Tanh', [b.op('Mul', [x, c(LECUN_TANH_B)])]), c(LECUN_TANH_A)]);
    case 'soboleva_tanh': {
      const [a, bb, cc, d] = [n('a'), n('b'), n('c'), n('d')];
      if (a === 1 && bb === 1 && cc === 1 && d === 1) return b.op('Tanh', [x]);
      // Same two-sided stable form as engine/nn: each branch sees inputs of its own sign only.
      const pos = b.op('GreaterOrEqual', [x, c(0)]);
      const xp = b.op('Where', [pos, x, c(0)]);
      const xn = b.op('Where', [pos, c(0), x]);
      const e = (v: string, k: number) => b.op('Exp', [b.op('Mul', [v, c(k)])]);
      const fp = b.op('Div', [
        b.op('Sub', [e(xp, a - cc), e(xp, -(bb + cc))]),
        b.op('Add', [e(xp, -(cc + d)), c(1)]),
      ]);
      const fn = b.op('Div', [
        b.op('Sub', [e(xn, a + d), e(xn, d - bb)]),
        b.op('Add', [e(xn, cc + d), c(1)]),
      ]);
      return b.op('Where', [pos, fp, fn]);
    }
    case 'relu':
      return b.op('Relu', [x]);
    case 'leaky_relu':
      return fattr(b, 'LeakyRelu', [x], { alpha: n('slope') });
    case 'gelu': {
      if (p.approximate === 'tanh') {
        const inner = b.op('Mul', [
          b.op('Add', [x, b.op('Mul', [b.op('Mul', [b.op('Mul', [x, x]), x]), c(GELU_TANH_K)])]),
          c(GELU_TANH_C),
        ]);
        return b.op('Mul', [b.op('Mul', [x, c(0.5)]), b.op('Add', [b.op('Tanh', [inner]), c(1)])]);
      }
      return b.op('Mul', [
        b.op('Mul', [x, c(0.5)]),
        b.op('Add', [b.op('Erf', [b.op('Mul', [x, c(Math.SQRT1_2)])]), c(1)]),
      ]);
    }
    case 'elu':
      return fattr(b, 'Elu', [x], { alpha: n('alpha') });
    case 'selu':
      return fattr(b, 'Selu', [x], { alpha: SELU_ALPHA, gamma: SELU_LAMBDA });
    case 'silu':
      return b.op('Mul', [x, b.op('Sigmoid', [x])]);
    case 'gaussian':
      return b.op('Exp', [b.op('Neg', [b.op('Mul', [x, x])])]);
    case 'softplus':
      // max(x, 0) + ln(1 + e^{−|x|}): finite for every x (ONNX Softplus may overflow).
      return b.op('Add', [
        b.op('Max', [x, c(0)]),
        b.op('Log', [b.op('Add', [b.op('Exp', [b.op('Neg', [b.op('Abs', [x])])]), c(1)])]),
      ]);
    case 'softmax':
      return b.op('Softmax', [x], { axis: -1 });
    case 'prelu':
      throw new ExportError(`Node '${step.id}': PReLU must be compiled as a layer.`, step.id);
    default:
      throw new ExportError(
        `Node '${step.id}': activation '${String(step.name)}' has no ONNX form.`,
        step.id,
      );
  }
}

/** ONNX nodes of one layer. */
function buildLayer(
  b: GraphBuilder,
  model: ExportModel,
  step: Extract<PlanStep, { kind: 'layer' }>,
  xs: string[],
): string {
  const l = step.layer;
  const c = l.config;
  const W = (local: string) => weightOf(model, l.params[local]);
  const init = (local: string) => {
    const w = W(local);
    return b.f32(`${l.nodeId}.${local}`, w.data, w.shape);
  };
  if (!c) throw new ExportError(`Node '${l.nodeId}' (${l.type}) has no layer configuration.`, l.nodeId);
  switch (c.type) {
    case 'dense':
      return b.op('Gemm', l.params.bias ? [xs[0], init('weight'), init('bias')] : [xs[0], init('weight')]);
    case 'maxout': {
      const z = b.op('Gemm', l.params.bias ? [xs[0], init('weight'), init('bias')] : [xs[0], init('weight')]);
      const r = b.op('Reshape', [z, b.i64('shape', [-1, c.units, c.pieces], [3])]);
      return b.op('ReduceMax', [r], { axes: [2], keepdims: 0 });
    }
    case 'rbf': {
      const mu = W('centres');
      const sig = W('widths');
      const [N, d] = mu.shape;
      const diff = b.op('Sub', [
        b.op('Unsqueeze', [xs[0], b.i64('axes', [1], [1])]),
        b.f32(`${l.nodeId}.centres`, mu.data, [1, N, d]),
      ]);
      const d2 = b.op('ReduceSum', [b.op('Mul', [diff, diff]), b.i64('axes', [2], [1])], { keepdims: 0 });
      // 2σ² rounded as engine/nn computes it in float32.
      const den = Float32Array.from(sig.data, (s) => Math.fround(Math.fround(s * s) * 2));
      const phi = b.op('Exp', [b.op('Neg', [b.op('Div', [d2, b.f32(`${l.nodeId}.two_sigma2`, den, [N])])])]);
      if (c.includeConstant === false) return phi;
      const rows = b.op('Slice', [b.op('Shape', [xs[0]]), b.i64('s', [0], [1]), b.i64('e', [1], [1])]);
      const ones = b.op('Expand', [
        b.f32('one', [1], [1, 1]),
        b.op('Concat', [rows, b.i64('one', [1], [1])], { axis: 0 }),
      ]);
      return b.op('Concat', [ones, phi], { axis: 1 });
    }
    case 'dropout':
      return xs[0];
    case 'batchnorm': {
      const F = l.outputWidth;
      const scale = l.params.gamma ? init('gamma') : b.f32('ones', new Float32Array(F).fill(1), [F]);
      const bias = l.params.beta ? init('beta') : b.f32('zeros', new Float32Array(F), [F]);
      const out = b.fresh('batchnorm');
      b.nodes.push({
        input: [xs[0], scale, bias, init('running_mean'), init('running_var')],
        output: [out],
        name: out,
        opType: 'BatchNormalization',
        attribute: [{ name: 'epsilon', type: AT.FLOAT, f: c.eps ?? 1e-5 }],
      });
      return out;
    }
    case 'add':
      return xs.length === 1 ? xs[0] : xs.slice(1).reduce((a, x) => b.op('Add', [a, x]), xs[0]);
    case 'concat':
      return xs.length === 1 ? xs[0] : b.op('Concat', xs, { axis: 1 });
    case 'prelu':
      return b.op('PRelu', [xs[0], init('alpha')]);
  }
}

/**
 * Builds the ONNX model of an exportable model.
 * @returns the serialised ModelProto bytes and the input/output names.
 * @throws ExportError for a node it cannot represent.
 */
export function exportOnnx(model: ExportModel): { bytes: Uint8Array; inputs: string[]; outputs: string[] } {
  torchTensors(model); // refuses non-finite weights, naming the tensor
  const b = new GraphBuilder();
  const inputs: ValueInfoMsg[] = [];
  const outputs: ValueInfoMsg[] = [];
  const x = buildPreprocessing(b, model, inputs);
  const values = new Map<string, string>();
  for (const step of model.plan) {
    if (step.kind === 'input') values.set(step.id, x);
    else {
      const xs = step.inputs.map((id) => values.get(id)!);
      values.set(
        step.id,
        step.kind === 'activation' ? buildActivation(b, step, xs[0]) : buildLayer(b, model, step, xs),
      );
    }
  }
  let y = values.get(model.outputId)!;
  const head = outputHead(model);
  if (model.task === 'regression') {
    const T = model.recipe.targets.length;
    const sc = model.recipe.targets.map((t) => t.scaler?.scale ?? 1);
    const sh = model.recipe.targets.map((t) => t.scaler?.shift ?? 0);
    let yd = b.op('Cast', [y], { to: DT.DOUBLE });
    yd = b.op('Add', [
      b.op('Mul', [yd, b.f64('target_scale', sc, [1, T])]),
      b.f64('target_shift', sh, [1, T]),
    ]);
    b.op('Cast', [yd], { to: DT.FLOAT }, { out: 'prediction' });
    outputs.push(
      valueInfo(
        'prediction',
        DT.FLOAT,
        ['N', T],
        `predicted ${model.recipe.targets.map((t) => t.name).join(', ')} in the units of the file`,
      ),
    );
  } else {
    if (head.apply === 'softmax') y = b.op('Softmax', [y], { axis: -1 });
    if (head.apply === 'sigmoid') y = b.op('Sigmoid', [y]);
    if (head.binary1) y = b.op('Concat', [b.op('Sub', [b.f32('one', [1], [1, 1]), y]), y], { axis: 1 });
    b.op('Identity', [y], {}, { out: 'probabilities' });
    const idx = b.op(
      'ArgMax',
      ['probabilities'],
      { axis: 1, keepdims: 0, select_last_index: 0 },
      { out: 'class_index' },
    );
    b.op(
      'Gather',
      [b.str('classes', model.classes, [model.classes.length]), idx],
      { axis: 0 },
      { out: 'label' },
    );
    const K = model.classes.length;
    outputs.push(
      valueInfo(
        'probabilities',
        DT.FLOAT,
        ['N', K],
        `class probabilities; class k = ${JSON.stringify(model.classes)}[k]`,
      ),
    );
    outputs.push(valueInfo('class_index', DT.INT64, ['N'], 'index of the most probable class'));
    outputs.push(valueInfo('label', DT.STRING, ['N'], 'label of the most probable class'));
  }
  const meta = exportMetadata(model);
  delete (meta as Record<string, string | undefined>).format;
  meta.numeric_columns = JSON.stringify(
    model.recipe.features.filter((f) => f.type === 'numeric').map((f) => f.name),
  );
  meta.categorical_columns = JSON.stringify(
    model.recipe.features.filter((f) => f.type === 'categorical').map((f) => f.name),
  );
  meta.layout = 'inputs: features float32 [N, numeric_columns]; cat_<column> string [N, 1]';
  const opsetImport = [{ domain: '', version: ONNX_OPSET }];
  if (b.usesMl) opsetImport.push({ domain: 'ai.onnx.ml', version: ONNX_ML_OPSET });
  const bytes = encodeModel({
    irVersion: IR_VERSION,
    producerName: 'Netloom',
    producerVersion: model.appVersion,
    modelVersion: 1,
    docString: `Netloom model '${model.name}' (epoch ${model.epoch}), raw CSV columns in, ${model.task} out.`,
    graph: {
      name: model.name || 'netloom',
      node: b.nodes,
      initializer: b.inits,
      input: inputs,
      output: outputs,
    },
    opsetImport,
    metadataProps: Object.keys(meta)
      .sort()
      .map((key) => ({ key, value: meta[key] })),
  });
  return { bytes, inputs: inputs.map((i) => i.name), outputs: outputs.map((o) => o.name) };
}
