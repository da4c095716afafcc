/**
 * PyTorch export: a self-contained Python script (numpy + torch) that defines an nn.Module equal to the
 * graph, loads the weights from the safetensors file written next to it (with the `safetensors` package
 * when installed, else its own numpy/struct reader), applies the same preprocessing to a CSV, predicts,
 * and trains with the same loss, optimizer, schedule and batch size — on one CPU/GPU, or under torchrun
 * with DistributedDataParallel (gloo on CPU, NCCL on GPUs).
 *
 * Netloom pieces PyTorch lacks are carried by the script: Maxout, RBF, Soboleva and LeCun tanh, Gaussian,
 * binary step, the lecture's optimizers (its Nesterov form, AdaGrad/RMSProp with δ outside the root,
 * AdaDelta, Adam/AdamW as in engine/optim) and every schedule (engine/schedules formulas). Second-order
 * optimizers (CG, Newton, BFGS, L-BFGS) are refused: they need full-batch line searches that the script
 * does not reproduce.
 *
 * Invariant: the script's tensor names are the safetensors names (tensors.ts); NAME_MAP maps them to the
 * module's state_dict keys.
 */
import { makeSchedule, scheduleInfos } from '../schedules';
import { ExportError, outputHead, type ExportModel, type PlanStep } from './model';
import { exportSafetensors } from './safetensors';
import { torchTensors } from './tensors';

const FIRST_ORDER = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adadelta', 'adam', 'adamw'];

/** A Python string literal holding `text` (JSON string escapes are valid Python escapes). */
const py = (text: string) => JSON.stringify(text);
/** A Python float/int literal. */
const num = (v: number) =>
  Number.isFinite(v) ? (Number.isInteger(v) ? `${v}.0` : String(v)) : `float('${v}')`;

/** Module attribute keys: Python-safe, unique, no dots (ModuleDict keys). */
function moduleKeys(plan: PlanStep[]): Map<string, string> {
  const used = new Set<string>();
  const keys = new Map<string, string>();
  for (const s of plan) {
    let k = `n_${s.id.replace(/[^A-Za-z0-9_]/g, '_')}`;
    while (used.has(k)) k += '_';
    used.add(k);
    keys.set(s.id, k);
  }
  return keys;
}

function activationCall(step: Extract<PlanStep, { kind: 'activation' }>, x: string): string {
  const p = step.params;
  const f = (k: string, d: number) => num(typeof p[k] === 'number' ? (p[k] as number) : d);
  switch (step.name) {
    case 'identity':
      return x;
    case 'binary_step':
      return `binary_step(${x})`;
    case 'sigmoid':
      return `torch.sigmoid(${x})`;
    case 'tanh':
      return `torch.tanh(${x})`;
    case 'soboleva_tanh':
      return `soboleva_tanh(${x}, ${f('a', 1)}, ${f('b', 1)}, ${f('c', 1)}, ${f('d', 1)})`;
    case 'lecun_tanh':
      return `lecun_tanh(${x})`;
    case 'relu':
      return `F.relu(${x})`;
    case 'leaky_relu':
      return `F.leaky_relu(${x}, ${f('slope', 0.01)})`;
    case 'gelu':
      return `F.gelu(${x}, approximate=${py(p.approximate === 'tanh' ? 'tanh' : 'none')})`;
    case 'elu':
      return `F.elu(${x}, ${f('alpha', 1)})`;
    case 'selu':
      return `F.selu(${x})`;
    case 'silu':
      return `F.silu(${x})`;
    case 'gaussian':
      return `torch.exp(-(${x} * ${x}))`;
    case 'softplus':
      return `softplus(${x})`;
    case 'softmax':
      return `F.softmax(${x}, dim=-1)`;
    default:
      throw new ExportError(
        `Node '${step.id}': activation '${String(step.name)}' has no PyTorch form.`,
        step.id,
      );
  }
}

/** `__init__` and `forward` lines of the generated module, and the name map. */
function moduleCode(model: ExportModel): {
  init: string[];
  forward: string[];
  nameMap: Record<string, string>;
} {
  const keys = moduleKeys(model.plan);
  const init: string[] = [];
  const forward: string[] = [];
  const v = (id: string) => `v_${keys.get(id)!}`;
  for (const s of model.plan) {
    const k = keys.get(s.id)!;
    if (s.kind === 'input') {
      forward.push(`${v(s.id)} = x`);
      continue;
    }
    const xs = s.inputs.map(v);
    if (s.kind === 'activation') {
      forward.push(`${v(s.id)} = ${activationCall(s, xs[0])}`);
      continue;
    }
    const l = s.layer;
    const c = l.config!;
    const m = `self.m[${py(k)}]`;
    switch (c.type) {
      case 'dense':
        init.push(
          `self.m[${py(k)}] = nn.Linear(${l.inputWidth}, ${l.outputWidth}, bias=${l.params.bias ? 'True' : 'False'})`,
        );
        forward.push(`${v(s.id)} = ${m}(${xs[0]})`);
        break;
      case 'maxout':
        init.push(
          `self.m[${py(k)}] = Maxout(${l.inputWidth}, ${c.units}, ${c.pieces}, bias=${l.params.bias ? 'True' : 'False'})`,
        );
        forward.push(`${v(s.id)} = ${m}(${xs[0]})`);
        break;
      case 'rbf':
        init.push(
          `self.m[${py(k)}] = RBF(${l.inputWidth}, ${c.centres}, include_constant=${c.includeConstant === false ? 'False' : 'True'}, train_centres=${c.trainCentres === false ? 'False' : 'True'}, train_widths=${c.trainWidths === false ? 'False' : 'True'})`,
        );
        forward.push(`${v(s.id)} = ${m}(${xs[0]})`);
        break;
      case 'dropout':
        init.push(`self.m[${py(k)}] = nn.Dropout(${num(c.rate)})`);
        forward.push(`${v(s.id)} = ${m}(${xs[0]})`);
        break;
      case 'batchnorm':
        init.push(
          `self.m[${py(k)}] = nn.BatchNorm1d(${l.outputWidth}, eps=${num(c.eps ?? 1e-5)}, momentum=${num(c.momentum ?? 0.1)}, affine=${c.affine === false ? 'False' : 'True'})`,
        );
        forward.push(`${v(s.id)} = ${m}(${xs[0]})`);
        break;
      case 'add':
        forward.push(`${v(s.id)} = ${xs.join(' + ')}`);
        break;
      case 'concat':
        forward.push(`${v(s.id)} = ${xs.length === 1 ? xs[0] : `torch.cat([${xs.join(', ')}], dim=1)`}`);
        break;
      case 'prelu': {
        const n = model.compiled.store.spec(l.params.alpha).size;
        init.push(`self.m[${py(k)}] = nn.PReLU(num_parameters=${n})`);
        forward.push(`${v(s.id)} = ${m}(${xs[0]})`);
        break;
      }
    }
  }
  forward.push(`return ${v(model.outputId)}`);
  const nameMap: Record<string, string> = {};
  for (const t of torchTensors(model)) {
    const dot = t.name.lastIndexOf('.');
    nameMap[t.name] = `m.${keys.get(t.name.slice(0, dot))}.${t.name.slice(dot + 1)}`;
  }
  return { init, forward, nameMap };
}

/** The training specification the script follows. @throws ExportError for a second-order optimizer. */
function trainingSpec(model: ExportModel): Record<string, unknown> {
  const o = model.compiled.optimizer;
  if (!FIRST_ORDER.includes(o.name))
    throw new ExportError(
      `Optimizer '${o.name}' (node '${o.nodeId}') cannot be exported to PyTorch: second-order methods (CG, Newton, BFGS, L-BFGS) use full-batch line searches the script does not reproduce. Switch the optimizer node to Adam, SGD or momentum, or export the weights only (json, safetensors, onnx).`,
      o.nodeId,
    );
  let schedule: unknown = null;
  if (o.schedule) {
    const takesLr = scheduleInfos()
      .find((i) => i.name === o.schedule!.name)
      ?.hyper.some((h) => h.name === 'lr');
    try {
      schedule = makeSchedule(
        o.schedule.name,
        takesLr ? { ...o.schedule.params, lr: o.lr } : o.schedule.params,
      );
    } catch (e) {
      throw new ExportError(
        `Schedule '${o.schedule.nodeId}': ${e instanceof Error ? e.message : String(e)}`,
        o.schedule.nodeId,
      );
    }
  }
  const penalised = model.compiled.penalised.map((n) => {
    const t = torchTensors(model).find((x) => x.netloomName === n)!;
    return t.name;
  });
  const cw = model.compiled.loss.params.classWeights;
  return {
    task: model.task,
    classes: model.classes,
    head: outputHead(model),
    loss: {
      name: model.compiled.loss.name,
      delta: typeof model.compiled.loss.params.delta === 'number' ? model.compiled.loss.params.delta : 1,
      classWeights: Array.isArray(cw) ? cw : null,
      l1: model.compiled.loss.l1,
      l2: model.compiled.loss.l2,
    },
    optimizer: { name: o.name, lr: o.lr, hyper: o.hyper, clipNorm: o.clipNorm, clipValue: o.clipValue },
    schedule,
    penalised,
    batchSize: model.training.batchSize,
    epochs: model.training.epochs,
    seed: model.training.seed,
  };
}

/**
 * Builds the script and its weights file.
 * @param weightsFile file name (no folder) of the safetensors file the script loads from its own folder.
 * @throws ExportError for what the script cannot represent (second-order optimizers, non-finite weights).
 */
export function exportPytorch(
  model: ExportModel,
  weightsFile: string,
): { script: string; weights: Uint8Array } {
  const spec = trainingSpec(model);
  const { init, forward, nameMap } = moduleCode(model);
  const recipe = JSON.stringify(model.recipe);
  const parts: Record<string, string> = {
    HEADER: `# Generated by Netloom ${model.appVersion} from '${model.name.replace(/[\r\n]/g, ' ')}' (weights of epoch ${model.epoch}).`,
    WEIGHTS: py(weightsFile),
    RECIPE: py(recipe),
    SPEC: py(JSON.stringify(spec)),
    NAME_MAP: py(JSON.stringify(nameMap)),
    INIT: init.map((l) => `        ${l}`).join('\n') || '        pass',
    FORWARD: forward.map((l) => `        ${l}`).join('\n'),
  };
  // A function replacer, so '$' in names or labels is taken literally.
  const script = SCRIPT.replace(/@@([A-Z_]+)@@/g, (m, k: string) => parts[k] ?? m);
  return { script, weights: exportSafetensors(model).bytes };
}

const SCRIPT = String.raw`#!/usr/bin/env python3
@@HEADER@@
"""Netloom model as a self-contained PyTorch script (needs numpy and torch; safetensors is optional).

  python model.py predict data.csv [--out predictions.csv]   # same preprocessing and predictions as Netloom
  python model.py train data.csv [--epochs N] [--out trained.safetensors] [--device cpu|cuda]
  torchrun --standalone --nproc_per_node=2 model.py train data.csv   # DDP (gloo on CPU, NCCL on GPU)
  (torch 1.13 on Python >= 3.11: add --redirects=2 --tee=2, its launcher cannot parse its own default)

Training starts from the exported weights and uses every usable row of the CSV (Netloom's validation split
is not reproduced). The weights are read from the safetensors file next to this script.
"""
import argparse
import csv
import io
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
WEIGHTS_FILE = os.path.join(HERE, @@WEIGHTS@@)
RECIPE = json.loads(@@RECIPE@@)
SPEC = json.loads(@@SPEC@@)
NAME_MAP = json.loads(@@NAME_MAP@@)


# ---------------------------------------------------------------- safetensors (numpy + struct fallback)
def read_safetensors(path):
    """Tensors of a safetensors file as float32 numpy arrays {name: array}."""
    try:
        from safetensors.numpy import load_file  # optional package
        return {k: np.asarray(v, dtype=np.float32) for k, v in load_file(path).items()}
    except ImportError:
        pass
    return read_safetensors_plain(path)


def read_safetensors_plain(path):
    """The format by hand: u64 LE header length, JSON header, raw little-endian data."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n).decode("utf-8"))
        data = f.read()
    out = {}
    for name, h in header.items():
        if name == "__metadata__":
            continue
        if h["dtype"] != "F32":
            raise ValueError("%s: tensor %s has dtype %s; only F32 is supported" % (path, name, h["dtype"]))
        b, e = h["data_offsets"]
        out[name] = np.frombuffer(data[b:e], dtype="<f4").reshape(h["shape"]).astype(np.float32)
    return out


def write_safetensors(path, tensors, metadata):
    """Writes {name: float32 array} (and a string map) as safetensors, 8-byte aligned header."""
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, a in tensors.items():
        b = np.ascontiguousarray(a, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


# ---------------------------------------------------------------- preprocessing (engine/data's recipe)
ENCODINGS = {"utf-8": "utf-8-sig", "utf-16le": "utf-16", "utf-16be": "utf-16", "windows-1252": "cp1252"}


def read_csv(path):
    """Header names and data rows (lists of strings, with their line numbers) in the recipe's dialect."""
    d = RECIPE["dialect"]
    with open(path, "r", encoding=ENCODINGS.get(d["encoding"], "utf-8-sig"), newline="") as f:
        text = f.read()
    lines = text.splitlines(True)
    start = 0
    if lines and lines[0].strip().lower().startswith("sep="):
        start = 1
    rows = [(i + 1 + start, r) for i, r in enumerate(csv.reader(io.StringIO("".join(lines[start:])), delimiter=d["delimiter"]))]
    rows = [(ln, r) for ln, r in rows if any(c.strip() for c in r)]
    if d["header"]:
        names = [c.strip() for c in rows[0][1]]
        rows = rows[1:]
    else:
        names = ["column_%d" % (i + 1) for i in range(len(rows[0][1]))]
    return names, rows


def is_missing(cell, col):
    t = cell.strip()
    return t in RECIPE["missingTokens"] and t not in col.get("notMissing", [])


def to_number(cell, col, line):
    t = cell.strip()
    if RECIPE["dialect"]["decimal"] == ",":
        t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        raise ValueError("line %d, column '%s': '%s' is not a number" % (line, col["name"], cell))


def label_of(cell, col, line):
    """Class label as Netloom stores it: numbers as their shortest text ('1.0' -> '1')."""
    if col["type"] != "numeric":
        return cell.strip()
    v = to_number(cell, col, line)
    return str(int(v)) if v == int(v) and abs(v) < 1e21 else repr(v)


def encode(path, with_targets):
    """Features float32 [n, featureWidth] (and targets) of the usable rows of a CSV, plus their line numbers."""
    names, rows = read_csv(path)
    pos = {n: i for i, n in enumerate(names)}
    for f in RECIPE["features"] + (RECIPE["targets"] if with_targets else []):
        if f["name"] not in pos:
            raise ValueError("%s has no column '%s'; its columns are: %s" % (path, f["name"], ", ".join(names)))
    width = RECIPE["featureWidth"]
    X, Y, kept = [], [], []
    for line, r in rows:
        x = np.zeros(width, dtype=np.float64)
        ok = True
        for f in RECIPE["features"]:
            cell = r[pos[f["name"]]] if pos[f["name"]] < len(r) else ""
            o = f["offset"]
            if f["type"] == "numeric":
                if is_missing(cell, f):
                    if f.get("imputeValue") is None:
                        if f["missing"] == "error":
                            raise ValueError("line %d, column '%s': missing value" % (line, f["name"]))
                        ok = False
                        break
                    v = f["imputeValue"]
                else:
                    v = to_number(cell, f, line)
                s = f["scaler"]
                x[o] = 0.0 if s["scale"] == 0 else (v - s["shift"]) / s["scale"]
            else:
                if is_missing(cell, f):
                    if f.get("imputeCategory") is None:
                        if f["missing"] == "error":
                            raise ValueError("line %d, column '%s': missing value" % (line, f["name"]))
                        ok = False
                        break
                    cell = f["imputeCategory"]
                cats = f["categories"]
                t = cell.strip()
                if t in cats:
                    x[o + cats.index(t)] = 1.0
                elif RECIPE["unseenCategory"] == "error":
                    raise ValueError("line %d, column '%s': category '%s' was not seen in training (known: %s)" % (line, f["name"], t, ", ".join(cats[:10])))
        if not ok:
            continue
        if with_targets:
            y = []
            for t in RECIPE["targets"]:
                cell = r[pos[t["name"]]] if pos[t["name"]] < len(r) else ""
                if is_missing(cell, t):
                    ok = False
                    break
                if RECIPE["task"] == "regression":
                    s = t["scaler"]
                    v = to_number(cell, t, line)
                    y.append(0.0 if s["scale"] == 0 else (v - s["shift"]) / s["scale"])
                else:
                    lab = label_of(cell, t, line)
                    if lab not in RECIPE["classes"]:
                        raise ValueError("line %d: label '%s' is not one of the classes %s" % (line, lab, RECIPE["classes"]))
                    y.append(RECIPE["classes"].index(lab))
            if not ok:
                continue
            Y.append(y)
        X.append(x)
        kept.append(line)
    X = np.array(X, dtype=np.float64).reshape(len(X), width)
    z = RECIPE.get("zca")
    if z:
        d = z["dim"]
        W = np.array(z["whiten"], dtype=np.float64).reshape(d, d)
        X = (X - np.array(z["mean"], dtype=np.float64)) @ W.T
    X = X.astype(np.float32)
    if not with_targets:
        return X, None, kept
    if RECIPE["task"] == "regression":
        return X, np.array(Y, dtype=np.float32).reshape(len(Y), len(RECIPE["targets"])), kept
    return X, np.array([y[0] for y in Y], dtype=np.int64), kept


# ---------------------------------------------------------------- layers and activations PyTorch lacks
def binary_step(x):
    return (x >= 0).to(x.dtype)


def lecun_tanh(x):
    return 1.7159 * torch.tanh(x * (2.0 / 3.0))


def softplus(x):
    # max(x, 0) + ln(1 + e^{-|x|}), finite for every x (as engine/nn).
    return torch.clamp(x, min=0) + torch.log1p(torch.exp(-x.abs()))


def soboleva_tanh(x, a, b, c, d):
    if a == 1 and b == 1 and c == 1 and d == 1:
        return torch.tanh(x)
    pos = x >= 0
    xp = torch.where(pos, x, torch.zeros_like(x))
    xn = torch.where(pos, torch.zeros_like(x), x)
    fp = (torch.exp(xp * (a - c)) - torch.exp(xp * -(b + c))) / (torch.exp(xp * -(c + d)) + 1)
    fn = (torch.exp(xn * (a + d)) - torch.exp(xn * (d - b))) / (torch.exp(xn * (c + d)) + 1)
    return torch.where(pos, fp, fn)


class Maxout(nn.Module):
    """Goodfellow et al. 2013: a Linear of units*pieces outputs, max over each unit's pieces (row u*k+j = piece j of unit u)."""

    def __init__(self, d, units, pieces, bias=True):
        super().__init__()
        self.units, self.pieces = units, pieces
        self.weight = nn.Parameter(torch.zeros(units * pieces, d))
        self.bias = nn.Parameter(torch.zeros(units * pieces)) if bias else None

    def forward(self, x):
        z = F.linear(x, self.weight, self.bias)
        return z.view(-1, self.units, self.pieces).amax(dim=2)


class RBF(nn.Module):
    """Lecture 'Radial Basis Function Nets': [1, exp(-|x - mu_i|^2 / (2 sigma_i^2))]."""

    def __init__(self, d, n, include_constant=True, train_centres=True, train_widths=True):
        super().__init__()
        self.include_constant = include_constant
        self.centres = nn.Parameter(torch.zeros(n, d), requires_grad=train_centres)
        self.widths = nn.Parameter(torch.ones(n), requires_grad=train_widths)

    def forward(self, x):
        d2 = ((x[:, None, :] - self.centres[None, :, :]) ** 2).sum(dim=2)
        phi = torch.exp(-(d2 / ((self.widths * self.widths) * 2)))
        if self.include_constant:
            phi = torch.cat([torch.ones_like(phi[:, :1]), phi], dim=1)
        return phi


class NetloomModel(nn.Module):
    """The Netloom graph; forward(x [batch, featureWidth]) is the network output the loss receives."""

    def __init__(self):
        super().__init__()
        self.m = nn.ModuleDict()
@@INIT@@

    def forward(self, x):
@@FORWARD@@


def probabilities(out):
    """Network output -> class probabilities [n, K] (classification) or scaled values (regression)."""
    head = SPEC["head"]
    if head["apply"] == "softmax":
        out = F.softmax(out, dim=-1)
    elif head["apply"] == "sigmoid":
        out = torch.sigmoid(out)
    if head["binary1"]:
        out = torch.cat([1 - out, out], dim=1)
    return out


def load_model(path=WEIGHTS_FILE):
    model = NetloomModel()
    tensors = read_safetensors(path)
    state = {NAME_MAP[k]: torch.from_numpy(np.array(v)) for k, v in tensors.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise ValueError("weights do not fit the model: missing %s, unexpected %s" % (missing, unexpected))
    return model


def predict_array(model, X):
    model.eval()
    with torch.no_grad():
        p = probabilities(model(torch.from_numpy(X))).double().numpy()
    if SPEC["task"] == "regression":
        sc = np.array([t["scaler"]["scale"] for t in RECIPE["targets"]], dtype=np.float64)
        sh = np.array([t["scaler"]["shift"] for t in RECIPE["targets"]], dtype=np.float64)
        return p * sc + sh
    return p


# ---------------------------------------------------------------- loss, optimizers, schedules (Netloom's)
def data_loss(out, y):
    L = SPEC["loss"]
    name, cw = L["name"], L["classWeights"]
    if name == "mse":
        return ((out - y) ** 2).mean()
    if name == "mae":
        return (out - y).abs().mean()
    if name == "huber":
        r = (out - y).abs()
        dl = L["delta"]
        return torch.where(r > dl, dl * (r - 0.5 * dl), 0.5 * r * r).mean()
    if name in ("bce", "bce_logits"):
        t = y.to(out.dtype).view(-1, 1)
        if name == "bce":
            p = out.clamp(1e-7, 1 - 1e-7)
            l = -(t * torch.log(p) + (1 - t) * torch.log(1 - p))
        else:
            l = out.clamp(min=0) - out * t + torch.log1p(torch.exp(-out.abs()))
        if cw:
            l = l * (t * (cw[1] - cw[0]) + cw[0])
        return l.mean()
    if name == "cross_entropy_logits":
        logp = F.log_softmax(out, dim=-1)
    else:
        logp = torch.log(out.clamp(min=1e-7))
    picked = logp.gather(1, y.view(-1, 1)).view(-1)
    if cw:
        w = torch.tensor(cw, dtype=out.dtype, device=out.device)[y]
        return -(picked * w).sum() / w.sum()
    return -picked.mean()


def penalties(model):
    L = SPEC["loss"]
    total = 0.0
    if L["l1"] > 0 or L["l2"] > 0:
        params = dict(model.named_parameters())
        ws = [params[NAME_MAP[n]] for n in SPEC["penalised"]]
        if L["l1"] > 0:
            total = total + L["l1"] * sum(w.abs().sum() for w in ws)
        if L["l2"] > 0:
            total = total + L["l2"] * sum((w * w).sum() for w in ws)
    return total


class NetloomOptimizer(torch.optim.Optimizer):
    """engine/optim's first-order update rules (lecture forms), in float64 state like Netloom."""

    def __init__(self, params, name, lr, hyper):
        super().__init__(params, dict(lr=lr))
        self.name, self.h, self.t = name, hyper, 0

    @torch.no_grad()
    def step(self, closure=None):
        h, name = self.h, self.name
        ps = [p for g in self.param_groups for p in g["params"] if p.requires_grad]
        lr = self.param_groups[0]["lr"]
        if name == "nesterov":
            # v <- beta v - lr grad J(theta + beta v): the gradient is taken at the look-ahead point.
            beta = h.get("beta", 0.9)
            saved = [p.detach().clone() for p in ps]
            for p in ps:
                st = self.state[p]
                st.setdefault("v", torch.zeros_like(p, dtype=torch.float64))
                p.add_((beta * st["v"]).to(p.dtype))
            with torch.enable_grad():
                closure()
            for p, s in zip(ps, saved):
                st = self.state[p]
                g = p.grad.double() if p.grad is not None else torch.zeros_like(st["v"])
                st["v"] = beta * st["v"] - lr * g
                p.copy_((s.double() + st["v"]).to(p.dtype))
            self.t += 1
            return None
        self.t += 1
        t = self.t
        for p in ps:
            if p.grad is None:
                continue
            g = p.grad.double()
            st = self.state[p]
            th = p.double()
            if name == "sgd":
                th = th - lr * g
            elif name == "momentum":
                v = st.setdefault("v", torch.zeros_like(g))
                v.mul_(h.get("beta", 0.9)).sub_(lr * g)
                th = th + v
            elif name == "adagrad":
                r = st.setdefault("r", torch.zeros_like(g))
                r.add_(g * g)
                th = th - lr / (h.get("delta", 1e-8) + r.sqrt()) * g
            elif name == "rmsprop":
                r = st.setdefault("r", torch.zeros_like(g))
                v = st.setdefault("v", torch.zeros_like(g))
                rho = h.get("rho", 0.9)
                r.mul_(rho).add_((1 - rho) * g * g)
                v.mul_(h.get("momentum", 0.0)).sub_(lr / (h.get("delta", 1e-8) + r.sqrt()) * g)
                th = th + v
            elif name == "adadelta":
                eg2 = st.setdefault("eg2", torch.zeros_like(g))
                edx2 = st.setdefault("edx2", torch.zeros_like(g))
                rho, eps = h.get("rho", 0.95), h.get("eps", 1e-6)
                eg2.mul_(rho).add_((1 - rho) * g * g)
                dx = -((edx2 + eps).sqrt() / (eg2 + eps).sqrt()) * g
                edx2.mul_(rho).add_((1 - rho) * dx * dx)
                th = th + lr * dx
            elif name in ("adam", "adamw"):
                b1, b2, delta = h.get("beta1", 0.9), h.get("beta2", 0.999), h.get("delta", 1e-8)
                wd = h.get("weightDecay", 0.0) if name == "adamw" else 0.0
                m = st.setdefault("m", torch.zeros_like(g))
                v = st.setdefault("v", torch.zeros_like(g))
                m.mul_(b1).add_((1 - b1) * g)
                v.mul_(b2).add_((1 - b2) * g * g)
                mhat, vhat = m / (1 - b1 ** t), v / (1 - b2 ** t)
                th = th - (lr * wd * th + lr / (delta + vhat.sqrt()) * mhat)
            else:
                raise ValueError("optimizer '%s' is not supported by this script" % name)
            p.copy_(th.to(p.dtype))
        return None


def cos_between(start, end, p):
    return end + 0.5 * (start - end) * (1 + math.cos(math.pi * p))


def rate_at(s, t, history):
    """engine/schedules: learning rate after t completed epochs (history = loss per epoch, for plateau)."""
    k = s["kind"]
    if k == "constant":
        return s["lr"]
    if k == "linear":
        return s["lr"] + (s["finalLr"] - s["lr"]) * min(t / s["duration"], 1)
    if k == "step":
        return s["lr"] * s["gamma"] ** math.floor(t / s["every"])
    if k == "exponential":
        return s["lr"] * s["gamma"] ** t
    if k == "cosine":
        return cos_between(s["lr"], s["minLr"], min(t, s["duration"]) / s["duration"])
    if k == "onecycle":
        initial = s["maxLr"] / s["divFactor"]
        final = initial / s["finalDivFactor"]
        up = s["pctStart"] * s["duration"]
        if t <= up:
            return cos_between(initial, s["maxLr"], t / up)
        return cos_between(s["maxLr"], final, min(t - up, s["duration"] - up) / (s["duration"] - up))
    if k == "sgdr":
        ti, tc = s["t0"], t
        if s["tMult"] == 1:
            tc = t - math.floor(t / ti) * ti
        else:
            while tc >= ti:
                tc -= ti
                ti *= s["tMult"]
        return cos_between(s["lr"], s["minLr"], tc / ti)
    if k == "warmup":
        if t < s["warmup"]:
            target = rate_at(s["then"], 0, history)
            return target * (s["startFactor"] + (1 - s["startFactor"]) * t / s["warmup"])
        return rate_at(s["then"], t - s["warmup"], history)
    if k == "plateau":
        sign = -1 if s.get("mode") == "max" else 1
        best, wait, cool, lr = float("inf"), 0, 0, s["lr"]
        for raw in history:
            m = sign * raw
            if math.isfinite(m) and m < best - s["minDelta"]:
                best, wait = m, 0
            else:
                wait += 1
            if cool > 0:
                cool, wait = cool - 1, 0
                continue
            if wait >= s["patience"]:
                lr, wait, cool = max(lr * s["factor"], s["minLr"]), 0, s.get("cooldown") or 0
        return lr
    raise ValueError("unknown schedule kind '%s'" % k)


def clip_gradients(params):
    o = SPEC["optimizer"]
    grads = [p.grad for p in params if p.grad is not None]
    if o["clipNorm"] > 0 and grads:
        norm = math.sqrt(sum(float((g.double() ** 2).sum()) for g in grads))
        if norm > o["clipNorm"]:
            for g in grads:
                g.mul_(o["clipNorm"] / norm)
    if o["clipValue"] > 0:
        for g in grads:
            g.clamp_(-o["clipValue"], o["clipValue"])


# ---------------------------------------------------------------- commands
def cmd_predict(args):
    X, _, lines = encode(args.csv, False)
    P = predict_array(load_model(), X)
    out = open(args.out, "w", newline="") if args.out else sys.stdout
    w = csv.writer(out)
    if SPEC["task"] == "regression":
        w.writerow(["line"] + [t["name"] for t in RECIPE["targets"]])
        for ln, row in zip(lines, P):
            w.writerow([ln] + [repr(float(v)) for v in row])
    else:
        w.writerow(["line", "label"] + ["p_" + c for c in SPEC["classes"]])
        for ln, row in zip(lines, P):
            w.writerow([ln, SPEC["classes"][int(np.argmax(row))]] + [repr(float(v)) for v in row])
    if args.out:
        out.close()
    return 0


def cmd_train(args):
    import torch.distributed as dist

    world = int(os.environ.get("WORLD_SIZE", "1"))
    distributed = world > 1
    cuda = torch.cuda.is_available() and args.device != "cpu"
    if distributed:
        dist.init_process_group("nccl" if cuda else "gloo")
        rank, local = dist.get_rank(), int(os.environ.get("LOCAL_RANK", "0"))
    else:
        rank, local = 0, 0
    device = torch.device("cuda", local) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    seed = SPEC["seed"] if args.seed is None else args.seed
    torch.manual_seed(seed)
    X, Y, _ = encode(args.csv, True)
    X, Y = torch.from_numpy(X).to(device), torch.from_numpy(Y).to(device)
    model = load_model().to(device)
    net = nn.parallel.DistributedDataParallel(model, device_ids=[local] if cuda else None) if distributed else model
    params = [p for p in model.parameters() if p.requires_grad]
    o = SPEC["optimizer"]
    opt = NetloomOptimizer(params, o["name"], o["lr"], o["hyper"])
    epochs = SPEC["epochs"] if args.epochs is None else args.epochs
    batch = SPEC["batchSize"]
    n = X.shape[0]
    history = []
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        lr = rate_at(SPEC["schedule"], epoch, history) if SPEC["schedule"] else o["lr"]
        for g in opt.param_groups:
            g["lr"] = lr
        order = torch.randperm(n, generator=gen)  # the same permutation on every rank
        net.train()
        total, count = 0.0, 0
        for b in range(0, n, batch):
            idx = order[b:b + batch][rank::world] if distributed else order[b:b + batch]
            if len(idx) == 0:
                continue
            xb, yb = X[idx.to(device)], Y[idx.to(device)]

            def closure():
                opt.zero_grad()
                loss = data_loss(net(xb), yb) + penalties(model)
                loss.backward()
                clip_gradients(params)
                return loss

            if o["name"] == "nesterov":
                net.eval()  # Netloom evaluates the look-ahead gradient in evaluation mode
                loss = closure()
                opt.step(closure)
                net.train()
            else:
                loss = closure()
                opt.step()
            if not math.isfinite(float(loss)):
                raise FloatingPointError("the loss became %s at epoch %d; lower the learning rate" % (float(loss), epoch + 1))
            total += float(loss) * len(idx)
            count += len(idx)
        stats = torch.tensor([total, count], dtype=torch.float64, device=device)
        if distributed:
            dist.all_reduce(stats)
        history.append(float(stats[0] / stats[1]))
        if rank == 0:
            print("epoch %d/%d  loss %.6g  lr %.6g" % (epoch + 1, epochs, history[-1], lr), flush=True)
    if rank == 0 and args.out:
        names = {v: k for k, v in NAME_MAP.items()}
        state = {names[k]: v.detach().cpu().float().numpy() for k, v in model.state_dict().items() if k in names}
        write_safetensors(args.out, state, {"format": "pt", "trained_epochs": str(epochs)})
        print("weights written to %s" % args.out)
    if distributed:
        dist.barrier()
        dist.destroy_process_group()
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("predict", help="predict the rows of a CSV (same columns as the training file)")
    p.add_argument("csv")
    p.add_argument("--out", default=None)
    t = sub.add_parser("train", help="train with Netloom's loss, optimizer, schedule and batch size")
    t.add_argument("csv")
    t.add_argument("--epochs", type=int, default=None)
    t.add_argument("--seed", type=int, default=None)
    t.add_argument("--out", default=None, help="safetensors file for the trained weights")
    t.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    args = ap.parse_args(argv)
    try:
        return cmd_predict(args) if args.command == "predict" else cmd_train(args)
    except (ValueError, OSError, FloatingPointError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
`;
