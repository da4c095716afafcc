/**
 * Graph validation: every problem that would stop training or make it silently wrong, each naming the
 * node (and port or param) and saying what to do. Errors block training; warnings are shown but allowed.
 *
 * Checks (codes in docs/graph.md): structure (unknown types/ports, mistyped or duplicate inputs, cycles),
 * params, shapes (Add widths, 'auto' placement), data source, unconnected inputs, the loss (none, several,
 * no optimizer), the output width against the number of classes/targets, loss/task fit (BCE on a
 * multiclass target, a classification loss on regression targets), activation/loss pairing (double
 * softmax/sigmoid, probabilities expected), second-order optimizers with minibatches or too many
 * parameters, unused nodes, a binary step that stops gradients, and a network whose parameters (with
 * gradients and optimizer state) would not fit in memory. In 'predict' mode the loss, optimizer
 * and unused-node checks are skipped.
 *
 * Invariants: pure; O(nodes + edges) after indexing (a 300-node graph validates in well under 10 ms).
 */
import { checkOptimizerFits } from '../optim/registry';
import { edgesInto, type GraphIndex } from './graph-index';
import { expectedOutputWidth, inferShapes, type ShapeInference } from './infer';
import { nodeName, portName } from './names';
import {
  PARAM_MEMORY_LIMIT_BYTES,
  STAGING_OPTIMIZERS,
  estimateParamMemory,
  formatBytes,
  groupDigits,
  optimizerStateCopies,
} from './memory';
import { checkParams } from './params';
import { nodeTypes } from './registry';
import { summarize } from './summary';
import type { Graph, GraphContext, NodeTypeDef, Problem } from './types';

export interface ValidationResult {
  readonly problems: readonly Problem[];
  /** True when no problem is an error (training may start). */
  readonly ok: boolean;
  readonly shapes: ShapeInference;
}

/** Validate `graph` (see module header). Problems come errors first, then warnings, each in graph order. */
export function validateGraph(graph: Graph, ctx: GraphContext = {}): ValidationResult {
  const shapes = inferShapes(graph, ctx);
  const index = shapes.index;
  const problems: Problem[] = [...index.problems];
  const add = (p: Problem) => problems.push(p);

  for (const [id, def] of index.defs) problems.push(...checkParams(index.nodes.get(id)!, def));
  problems.push(...shapes.problems);

  const byFamily = (f: NodeTypeDef['family']) =>
    [...index.defs].filter(([, d]) => d.family === f).map(([id]) => id);
  const datasets = byFamily('dataset');
  const inputs = byFamily('input');
  const losses = byFamily('loss');

  // Data source.
  if (datasets.length === 0 && inputs.length === 0)
    add({
      severity: 'error',
      code: 'no-data-source',
      message: 'The graph has no Dataset node. Drag a Dataset from the Data group and choose your CSV file.',
    });
  if (datasets.length > 1)
    for (const id of datasets.slice(1))
      add({
        severity: 'error',
        code: 'multiple-datasets',
        nodeId: id,
        message: `${name(index, id)}: a project trains on one dataset. Delete the extra Dataset node.`,
      });
  if (datasets.length > 0 && !ctx.dataset)
    add({
      severity: 'error',
      code: 'no-data',
      nodeId: datasets[0],
      message: `${name(index, datasets[0])} has no data yet. Choose a CSV file in the Data tab.`,
    });

  // Unconnected inputs (the loss's optimizer port has its own message below).
  for (const [id, def] of index.defs) {
    if (index.cyclic.has(id)) continue;
    for (const port of def.inputs) {
      const n = edgesInto(index, id, port.name).length;
      if (def.family === 'loss' && (port.name === 'optimizer' || ctx.mode === 'predict')) continue;
      if (n === 0 && !port.optional)
        add({
          severity: 'error',
          code: 'unconnected-input',
          nodeId: id,
          port: port.name,
          message: `Input ${portName(def, port.name)} of ${name(index, id)} is not connected. ${connectHint(def, port.name)}`,
        });
      else if (n === 1 && port.multiple)
        add({
          severity: 'warning',
          code: 'single-input-merge',
          nodeId: id,
          port: port.name,
          message: `${name(index, id)} has only one input, so it passes it through unchanged. Connect a second input or delete the node.`,
        });
    }
  }

  if (ctx.mode !== 'predict') checkTraining(index, shapes, ctx, losses, add);

  // BatchNorm needs at least two rows per batch to estimate a variance.
  if (ctx.batchSize === 1)
    for (const [id, def] of index.defs)
      if (def.type === 'BatchNorm')
        add({
          severity: 'error',
          code: 'batchnorm-batch-one',
          nodeId: id,
          message: `${name(index, id)} normalises over the batch, but the batch size is 1, so every value becomes 0. Use a batch size of at least 2, or delete the BatchNorm node.`,
        });

  checkMemory(index, shapes, ctx, losses, add);

  // Binary step blocks gradients to everything before it.
  for (const [id, def] of index.defs)
    if (def.type === 'Activation.binary_step' && (index.inEdges.get(id)?.size ?? 0) > 0)
      add({
        severity: 'warning',
        code: 'zero-gradient',
        nodeId: id,
        message: `${name(index, id)}: the binary step's derivative is 0 everywhere, so the layers before it will not learn. Use sigmoid or ReLU to train.`,
      });

  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity === 'warning');
  return { problems: [...errors, ...warnings], ok: errors.length === 0, shapes };
}

/**
 * 'network-too-large': the parameters, their gradients and the optimizer state would need more than
 * PARAM_MEMORY_LIMIT_BYTES (engine/graph/memory), so training would fail allocating them. The error sits
 * on the node with the most parameters, which is almost always the one to shrink.
 */
function checkMemory(
  index: GraphIndex,
  shapes: ShapeInference,
  ctx: GraphContext,
  losses: readonly string[],
  add: (p: Problem) => void,
): void {
  const summary = summarize(index, shapes);
  const training = ctx.mode !== 'predict';
  const optId =
    training && losses.length > 0 ? (edgesInto(index, losses[0], 'optimizer')[0]?.source ?? null) : null;
  const optDef = optId !== null ? index.defs.get(optId) : undefined;
  const copies =
    optDef && optId !== null
      ? optimizerStateCopies(optDef.key, index.nodes.get(optId)?.params ?? {})
      : training
        ? 0
        : null;
  const m = estimateParamMemory(summary, copies, optDef !== undefined && STAGING_OPTIMIZERS.has(optDef.key));
  if (m.bytes <= PARAM_MEMORY_LIMIT_BYTES || m.largest === null) return;
  const what = !training
    ? 'as float32'
    : optDef && m.optimizerCopies > 0
      ? `with their gradients and ${optDef.label}'s state (${m.optimizerCopies} more value${m.optimizerCopies === 1 ? '' : 's'} per parameter)`
      : 'with their gradients';
  const big = m.largest;
  const def = index.defs.get(big.nodeId);
  const shrink =
    def?.type === 'RBF'
      ? 'use fewer centres'
      : def?.type === 'Dense' || def?.type === 'Maxout'
        ? 'use fewer units there or in the layer before it'
        : 'make it smaller';
  add({
    severity: 'error',
    code: 'network-too-large',
    nodeId: big.nodeId,
    message: `The network has ${groupDigits(m.params)} parameters; ${what} they need about ${formatBytes(m.bytes)}, more than the ${formatBytes(PARAM_MEMORY_LIMIT_BYTES)} Netloom allows, so training could not start. The largest layer is ${name(index, big.nodeId)} with ${groupDigits(big.params)} parameters: ${shrink} (a Dense layer has inputs × units weights).`,
  });
}

/** Loss, optimizer and unused-node checks (training graphs only). */
function checkTraining(
  index: GraphIndex,
  shapes: ShapeInference,
  ctx: GraphContext,
  losses: readonly string[],
  add: (p: Problem) => void,
): void {
  // The loss.
  if (losses.length === 0)
    add({
      severity: 'error',
      code: 'no-loss',
      message:
        'The graph has no loss, so there is nothing to train. Add a loss from the Losses group (MSE for regression, BCE or cross-entropy for classification) and connect the last layer and the targets to it.',
    });
  for (const id of losses.slice(1))
    add({
      severity: 'error',
      code: 'multiple-losses',
      nodeId: id,
      message: `${name(index, id)}: a graph trains one loss. Delete the extra loss node.`,
    });
  for (const id of losses) checkLoss(index, shapes, ctx, id, add);

  // Unused nodes: anything the loss does not depend on.
  if (losses.length > 0) {
    const used = ancestors(index, losses);
    for (const id of index.defs.keys())
      if (!used.has(id) && !index.cyclic.has(id))
        add({
          severity: 'warning',
          code: 'unused-node',
          nodeId: id,
          message: `${name(index, id)} does not lead to the loss, so it has no effect on training. Connect it or delete it.`,
        });
  }
}

function name(index: GraphIndex, id: string): string {
  return nodeName(index.nodes.get(id)!, index.defs.get(id));
}

function connectHint(def: NodeTypeDef, port: string): string {
  if (def.family === 'loss' && port === 'prediction') return 'Connect the output of your last layer to it.';
  if (def.family === 'loss' && port === 'target') return "Connect the Dataset's Targets output to it.";
  if (def.type === 'Add' || def.type === 'Concat') return 'Connect two or more layer outputs to it.';
  return 'Connect a layer output (or the Dataset features) to it.';
}

/** Follow a tensor input back through Dropout/BatchNorm to the node that produced the values. */
function producerBefore(index: GraphIndex, id: string, port: string): string | null {
  let edges = edgesInto(index, id, port);
  for (let guard = 0; edges.length === 1 && guard < index.nodes.size; guard++) {
    const src = edges[0].source;
    const def = index.defs.get(src);
    if (def?.type !== 'Dropout' && def?.type !== 'BatchNorm') return src;
    edges = edgesInto(index, src, 'in');
  }
  return null;
}

/** The nearest width-defining layer at or before `id` (skipping activations, Dropout, BatchNorm). */
function sizingLayer(index: GraphIndex, id: string | null): string | null {
  for (let guard = 0; id !== null && guard < index.nodes.size; guard++) {
    const def = index.defs.get(id);
    if (!def) return null;
    if (def.family !== 'activation' && def.type !== 'Dropout' && def.type !== 'BatchNorm') return id;
    const e = edgesInto(index, id, 'in');
    id = e.length === 1 ? e[0].source : null;
  }
  return null;
}

function checkLoss(
  index: GraphIndex,
  shapes: ShapeInference,
  ctx: GraphContext,
  lossId: string,
  add: (p: Problem) => void,
): void {
  const loss = index.nodes.get(lossId)!;
  const def = index.defs.get(lossId)!;
  const ds = ctx.dataset;

  // Optimizer.
  const opt = edgesInto(index, lossId, 'optimizer');
  if (opt.length === 0)
    add({
      severity: 'error',
      code: 'no-optimizer',
      nodeId: lossId,
      port: 'optimizer',
      message: `${nodeName(loss, def)} has no optimizer. Add one from the Optimizers group (Adam is a safe start) and connect it to the loss's Optimizer input.`,
    });
  else {
    const optId = opt[0].source;
    const odef = index.defs.get(optId)!;
    if (odef.secondOrder && !isMinibatch(ctx)) {
      // Dense-matrix methods have a size limit; engine/optim owns the rule and its wording.
      const size = summarize(index, shapes);
      const rows = ctx.dataset?.trainRows ?? 1;
      const why = size.complete ? checkOptimizerFits(odef.key, rows, rows, size.trainable) : null;
      if (why)
        add({
          severity: 'error',
          code: 'optimizer-too-large',
          nodeId: optId,
          message: `${name(index, optId)}: ${why}`,
        });
    }
    if (odef.secondOrder && isMinibatch(ctx))
      add({
        severity: 'error',
        code: 'second-order-minibatch',
        nodeId: optId,
        message: `${name(index, optId)} is a second-order method and needs the full training set at every step, but the batch size is ${String(ctx.batchSize)}. Set the batch size to 'full', or choose a first-order optimizer such as Adam or SGD.`,
      });
  }

  // Loss vs task (the loss's task and expected input come from engine/losses).
  const lossTask = def.loss?.task ?? 'regression';
  const lossInput = def.loss?.input ?? 'values';
  const classification = lossTask !== 'regression';
  const bceOnMulticlass = !!ds && lossTask === 'binary' && ds.task === 'multiclass';
  const classesOnRegression = !!ds && classification && ds.task === 'regression';
  if (bceOnMulticlass)
    add({
      severity: 'error',
      code: 'bce-multiclass',
      nodeId: lossId,
      message: `${nodeName(loss, def)}: binary cross-entropy is for two classes, but the target has ${ds!.numClasses ?? 'more than 2'} classes. Use ${lossLabel('multiclass', 'probabilities')} with a Softmax output, or ${lossLabel('multiclass', 'logits')}.`,
    });
  else if (classesOnRegression)
    add({
      severity: 'error',
      code: 'classification-loss-on-regression',
      nodeId: lossId,
      message: `${nodeName(loss, def)} is a classification loss, but the target is numeric (regression). Use MSE, MAE or Huber, or mark the target as categorical in the Data tab.`,
    });
  else if (ds && !classification && ds.task !== 'regression')
    add({
      severity: 'warning',
      code: 'regression-loss-on-classes',
      nodeId: lossId,
      message: `${nodeName(loss, def)} is a regression loss, but the target is a class label. Use binary cross-entropy (2 classes) or cross-entropy unless you mean to regress on class codes.`,
    });

  const pred = edgesInto(index, lossId, 'prediction');
  if (pred.length === 0) return;
  const width = shapes.edgeShapes.get(pred[0].id)?.[1] ?? null;

  // Output width.
  if (ds && width !== null && !bceOnMulticlass && !classesOnRegression) {
    const expected = expectedOutputWidth(ds, lossTask);
    if (width !== expected) {
      const layer = sizingLayer(index, pred[0].source);
      const what =
        ds.task === 'regression'
          ? `${ds.targetWidth} regression target${ds.targetWidth === 1 ? '' : 's'}`
          : lossTask === 'binary' || (lossTask === 'regression' && ds.task === 'binary')
            ? 'one output for two classes'
            : `${ds.numClasses ?? 2} classes`;
      add({
        severity: 'error',
        code: 'output-width-mismatch',
        nodeId: layer ?? pred[0].source,
        port: 'out',
        message: `The network ends with ${width} output${width === 1 ? '' : 's'}, but ${nodeName(loss, def)} needs ${expected} (${what}). Set the units of ${layer ? name(index, layer) : 'the last layer'} to ${expected} or 'auto'.`,
      });
    }
  }

  // Activation / loss pairing.
  const last = producerBefore(index, lossId, 'prediction');
  const lastDef = last ? index.defs.get(last) : undefined;
  const lastAct = lastDef?.family === 'activation' ? lastDef.key : null;
  if (lastAct === 'softmax' && width === 1)
    add({
      severity: 'error',
      code: 'softmax-single-output',
      nodeId: last!,
      message: `${name(index, last!)} has a single input feature, so it always outputs 1 and nothing can be learned. For two classes use Sigmoid with binary cross-entropy, or give the layer before it one unit per class.`,
    });
  const direct = edgesInto(index, lossId, 'prediction')[0].source;
  if (index.defs.get(direct)?.type === 'Dropout')
    add({
      severity: 'warning',
      code: 'dropout-on-output',
      nodeId: direct,
      message: `${name(index, direct)} sits right before ${nodeName(loss, def)}, so it zeroes predictions while training. Move it before the last layer or delete it.`,
    });
  if (!classification) {
    // Lecture "Output activation functions": regression ends with the identity.
    if (lastAct !== null && BOUNDED.has(lastAct))
      add({
        severity: 'warning',
        code: 'bounded-regression-output',
        nodeId: last!,
        message: `${name(index, last!)} limits the range of the regression output, so targets outside it cannot be fitted. End a regression network with the last layer itself (identity), or delete this activation.`,
      });
    return;
  }
  // The activation that turns scores into probabilities for this loss's task.
  const squash = lossTask === 'multiclass' ? 'softmax' : 'sigmoid';
  const Squash = squash === 'softmax' ? 'Softmax' : 'Sigmoid';
  if (lossInput === 'logits' && lastAct === squash)
    add({
      severity: 'warning',
      code: squash === 'softmax' ? 'double-softmax' : 'double-sigmoid',
      nodeId: lossId,
      message: `${name(index, last!)} feeds ${nodeName(loss, def)}, which applies ${squash} itself, so ${squash} is applied twice and learning slows down. Delete the ${Squash} node, or use ${lossLabel(lossTask, 'probabilities')}.`,
    });
  if (lossInput === 'probabilities' && last !== null && lastAct !== squash)
    add({
      severity: 'warning',
      code: 'probabilities-expected',
      nodeId: lossId,
      message: `${nodeName(loss, def)} expects probabilities, but its input does not come from a ${Squash}. Add a ${Squash} before the loss, or use ${lossLabel(lossTask, 'logits')}.`,
    });
}

/** Activations whose output range is bounded on at least one side (bad as a regression output). */
const BOUNDED = new Set([
  'sigmoid',
  'tanh',
  'lecun_tanh',
  'relu',
  'softplus',
  'softmax',
  'binary_step',
  'gaussian',
  'elu',
  'selu',
]);

/** The label of the loss for `task` that takes `input` (e.g. "Cross-entropy (from logits)"). */
function lossLabel(task: string, input: string): string {
  for (const d of nodeTypes().values())
    if (d.loss?.task === task && d.loss.input === input) return `the ${d.label} loss`;
  return 'another loss';
}

function isMinibatch(ctx: GraphContext): boolean {
  const b = ctx.batchSize;
  if (b === undefined || b === 'full') return false;
  const rows = ctx.dataset?.trainRows;
  return rows === undefined || b < rows;
}

/** All nodes the given nodes depend on (themselves included). */
function ancestors(index: GraphIndex, roots: readonly string[]): Set<string> {
  const seen = new Set<string>(roots);
  const stack = [...roots];
  while (stack.length) {
    const id = stack.pop()!;
    for (const edges of index.inEdges.get(id)?.values() ?? [])
      for (const e of edges)
        if (!seen.has(e.source)) {
          seen.add(e.source);
          stack.push(e.source);
        }
  }
  return seen;
}

/** True when any problem is an error. */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
