import { describe, expect, it } from 'vitest';
import { ACTIVATIONS } from '../../../engine/nn/activations/scalar';
import { optimizerInfos } from '../../../engine/optim/registry';
import { LOSSES } from '../../../engine/losses/registry';
import { WARMUP_HYPER, makeSchedule, scheduleInfos } from '../../../engine/schedules/registry';
import { createProject, loadProject, serializeProject, ProjectFileError } from '../../../engine/project';
import {
  createNode,
  getNodeType,
  graphProjectHooks,
  modelSummary,
  nodeTypes,
  paramError,
  validateGraph,
  validateNodeParams,
} from '../../../engine/graph';
import type { Graph } from '../../../engine/graph';
import { G, classifier } from './build';

describe('registry pulls its lists from the component registries', () => {
  it('has one Activation node per engine/nn activation, with the same params and ranges', () => {
    const acts = [...nodeTypes().values()].filter((d) => d.family === 'activation');
    expect(acts.map((d) => d.key)).toEqual(ACTIVATIONS.map((a) => a.name));
    for (const a of ACTIVATIONS) {
      const def = getNodeType(`Activation.${a.name}`)!;
      expect(def.label).toBe(a.label);
      expect(def.params.map((p) => [p.name, p.default, p.min, p.max])).toEqual(
        a.params.map((p) => [p.name, p.default, p.min, p.max]),
      );
    }
  });

  it('has one Optimizer node per engine/optim optimizer; first-order ones carry the base learning rate', () => {
    const opts = [...nodeTypes().values()].filter((d) => d.family === 'optimizer');
    expect(opts.map((d) => d.key)).toEqual(optimizerInfos().map((o) => o.name));
    for (const o of optimizerInfos()) {
      const def = getNodeType(`Optimizer.${o.name}`)!;
      expect(def.secondOrder).toBe(o.secondOrder);
      const names = def.params.map((p) => p.name);
      expect(names.includes('lr')).toBe(!o.secondOrder);
      for (const h of o.hyper)
        expect(def.params.find((p) => p.name === h.name)).toMatchObject({
          default: h.default,
          min: h.min,
          max: h.max,
        });
    }
    expect(getNodeType('Optimizer.adam')!.params.find((p) => p.name === 'lr')!.default).toBe(1e-3);
  });

  it('takes each first-order learning-rate default from engine/optim (defaultLr), the customary values', () => {
    const customary: Record<string, number> = {
      sgd: 1e-2,
      momentum: 1e-2,
      nesterov: 1e-2,
      adagrad: 1e-2,
      rmsprop: 1e-3,
      adadelta: 1,
      adam: 1e-3,
      adamw: 1e-3,
    };
    for (const o of optimizerInfos()) {
      if (o.secondOrder) {
        expect(o.defaultLr, o.name).toBeUndefined();
        continue;
      }
      expect(o.defaultLr, o.name).toBe(customary[o.name]);
      const lr = getNodeType(`Optimizer.${o.name}`)!.params.find((p) => p.name === 'lr')!;
      expect(lr.default).toBe(o.defaultLr);
      expect(paramError(lr, 0)).not.toBeNull();
      expect(paramError(lr, -0.1)).not.toBeNull();
    }
  });

  it("rejects Huber's δ = 0 and negative δ, accepts a small positive δ", () => {
    const delta = getNodeType('Loss.huber')!.params.find((p) => p.name === 'delta')!;
    expect(delta).toMatchObject({ min: 0, minExclusive: true });
    expect(paramError(delta, 0)).toMatch(/> 0/);
    expect(paramError(delta, -1)).not.toBeNull();
    expect(paramError(delta, 1e-6)).toBeNull();
  });

  it('has one Loss node per engine/losses loss, with its input kind and task, plus L1/L2 penalties', () => {
    const losses = [...nodeTypes().values()].filter((d) => d.family === 'loss');
    expect(losses.map((d) => d.key)).toEqual(LOSSES.map((l) => l.name));
    for (const l of LOSSES) {
      const def = getNodeType(`Loss.${l.name}`)!;
      expect(def.loss).toEqual({ input: l.input, task: l.task });
      expect(def.params.map((p) => p.name)).toEqual([...l.params.map((p) => p.name), 'l1', 'l2']);
    }
  });

  it('has one Schedule node per engine/schedules schedule; α₀ is left to the optimizer, warm-up added', () => {
    const scheds = [...nodeTypes().values()].filter((d) => d.family === 'schedule');
    expect(scheds.map((d) => d.key)).toEqual(scheduleInfos().map((s) => s.name));
    for (const info of scheduleInfos()) {
      const def = getNodeType(`Schedule.${info.name}`)!;
      const names = def.params.map((p) => p.name);
      expect(names).not.toContain('lr');
      expect(names).toEqual([
        ...info.hyper.map((h) => h.name).filter((n) => n !== 'lr'),
        ...WARMUP_HYPER.map((h) => h.name),
      ]);
      // the node's default params, plus the optimizer's α₀, build a valid schedule in engine/schedules
      const params = Object.fromEntries(def.params.map((p) => [p.name, p.default as number]));
      expect(() =>
        makeSchedule(info.name, {
          ...params,
          ...(info.hyper.some((h) => h.name === 'lr') ? { lr: 0.01 } : {}),
        }),
      ).not.toThrow();
    }
  });

  it('counts PReLU parameters through engine/nn: one α per feature, or one when shared', () => {
    const g = (shared: boolean) =>
      new G().node('in', 'Input', { width: 7 }).node('p', 'Activation.prelu', { shared }).chain('in', 'p');
    expect(modelSummary(g(false)).total).toBe(7);
    expect(modelSummary(g(true)).total).toBe(1);
  });

  it('reports a bad layer param once (as param-invalid), not again as a shape error', () => {
    const g = classifier({ hidden: 0 });
    const ps = validateGraph(g, {
      dataset: { featureWidth: 4, task: 'multiclass', targetWidth: 1, numClasses: 3 },
    }).problems;
    expect(ps.map((p) => p.code)).toEqual(['param-invalid']);
  });
});

describe('project-file hooks', () => {
  const project = (graph: Graph) => ({
    ...createProject({ name: 't', appVersion: '0.1.0' }),
    graph: { nodes: [...graph.nodes], edges: [...graph.edges] } as never,
  });

  it('loads a valid graph through the registry hooks', () => {
    const text = serializeProject(project(classifier()));
    const loaded = loadProject(text, { hooks: graphProjectHooks });
    expect(loaded.graph.nodes.map((n) => n.type)).toEqual(classifier().nodes.map((n) => n.type));
  });

  it('names the node and param of a bad value, an unknown type and a newer version', () => {
    const bad = classifier();
    bad.nodes = bad.nodes.map((n) => (n.id === 'h1' ? { ...n, params: { ...n.params, units: -3 } } : n));
    const err = (() => {
      try {
        loadProject(serializeProject(project(bad)), { hooks: graphProjectHooks });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ProjectFileError);
    expect(String((err as Error).message)).toMatch(/h1/);
    expect(String((err as Error).message)).toMatch(/'Units' must be ≥ 1/);

    expect(validateNodeParams('Conv2D', 1, {})).toEqual([
      { path: [], message: expect.stringMatching(/unknown node type 'Conv2D'/) },
    ]);
    expect(validateNodeParams('Dense', 2, {})[0].message).toMatch(
      /version 2 is newer than this app reads \(1\)/,
    );
    expect(validateNodeParams('Dense', 1, { ...createNode('Dense', 'd').params } as never)).toEqual([]);
    expect(validateNodeParams('Dropout', 1, { rate: 1.5 })).toEqual([
      { path: ['rate'], message: "'Rate p' must be ≥ 0 and < 1" },
    ]);
  });
});
