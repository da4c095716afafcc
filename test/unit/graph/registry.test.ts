import { describe, expect, it } from 'vitest';
import { INITIALIZERS } from '../../../engine/init';
import {
  PALETTE_GROUPS,
  checkParams,
  createNode,
  defaultParams,
  getNodeType,
  nodeTypes,
  paletteEntries,
  paramError,
  sameFamilyTypes,
} from '../../../engine/graph';
import type { ParamSpec } from '../../../engine/graph';

describe('node registry', () => {
  it('has the issue’s fixed node types with their ports', () => {
    for (const t of ['Dataset', 'Input', 'Dense', 'RBF', 'Maxout', 'Dropout', 'BatchNorm', 'Add', 'Concat'])
      expect(getNodeType(t), t).toBeDefined();
    const ds = getNodeType('Dataset')!;
    expect(ds.outputs.map((p) => [p.name, p.type])).toEqual([
      ['features', 'tensor'],
      ['targets', 'target'],
    ]);
    const dense = getNodeType('Dense')!;
    expect(dense.inputs.map((p) => [p.name, p.type, !!p.optional])).toEqual([
      ['in', 'tensor', false],
      ['weightInit', 'initializer', true],
      ['biasInit', 'initializer', true],
    ]);
    expect(dense.params.find((p) => p.name === 'units')?.allowAuto).toBe(true);
    expect(getNodeType('Maxout')!.params.find((p) => p.name === 'units')?.allowAuto).toBe(false);
    expect(getNodeType('Add')!.inputs[0].multiple).toBe(true);
    expect(getNodeType('Concat')!.inputs[0].multiple).toBe(true);
  });

  it('has one Initializer node per initializer of engine/init, with its params', () => {
    for (const info of INITIALIZERS) {
      const def = getNodeType(`Initializer.${info.kind}`);
      expect(def, info.kind).toBeDefined();
      expect(def!.params.map((p) => p.name)).toEqual(info.params.map((p) => p.name));
      expect(def!.outputs).toEqual([{ name: 'init', label: 'Initializer', type: 'initializer' }]);
    }
    const inits = [...nodeTypes().values()].filter((d) => d.family === 'initializer');
    expect(inits.length).toBe(INITIALIZERS.length);
  });

  it('gives the lecture’s five losses with prediction, target and optimizer inputs and regularisation params', () => {
    for (const k of ['mse', 'mae', 'huber', 'bce', 'cross_entropy']) {
      const def = getNodeType(`Loss.${k}`)!;
      expect(def.inputs.map((p) => `${p.name}:${p.type}`)).toEqual([
        'prediction:tensor',
        'target:target',
        'optimizer:optimizer',
      ]);
      expect(def.params.map((p) => p.name)).toEqual(expect.arrayContaining(['l1', 'l2']));
    }
  });

  it('wires schedules into optimizers and gives optimizers clipping params', () => {
    const opts = [...nodeTypes().values()].filter((d) => d.family === 'optimizer');
    expect(opts.map((d) => d.key)).toEqual(
      expect.arrayContaining(['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam']),
    );
    for (const d of opts) {
      expect(d.inputs).toEqual([expect.objectContaining({ name: 'lr', type: 'schedule', optional: true })]);
      expect(d.outputs[0].type).toBe('optimizer');
      expect(d.params.map((p) => p.name)).toEqual(expect.arrayContaining(['clipNorm', 'clipValue']));
    }
    expect(opts.filter((d) => d.secondOrder).map((d) => d.key)).toEqual(
      expect.arrayContaining(['lbfgs', 'newton', 'cg']),
    );
    const scheds = [...nodeTypes().values()].filter((d) => d.family === 'schedule');
    expect(scheds.length).toBeGreaterThanOrEqual(5);
    for (const d of scheds) expect(d.outputs[0].type).toBe('schedule');
  });

  it('lists every node type in the palette exactly once, grouped in palette order', () => {
    const entries = paletteEntries();
    expect(entries.length).toBe(nodeTypes().size);
    expect(new Set(entries.map((e) => e.type)).size).toBe(entries.length);
    const groupRank = entries.map((e) => PALETTE_GROUPS.findIndex((g) => g.id === e.group));
    expect(groupRank).toEqual([...groupRank].sort((a, b) => a - b));
    for (const g of PALETTE_GROUPS)
      expect(
        entries.some((e) => e.group === g.id),
        g.id,
      ).toBe(true);
    for (const e of entries) {
      expect(e.label.length, e.type).toBeGreaterThan(0);
      expect(e.description.length, e.type).toBeGreaterThan(0);
    }
  });

  it('has defaults inside their own ranges, and enum defaults among the options', () => {
    for (const def of nodeTypes().values()) {
      const node = createNode(def.type, 'n');
      // Spell every default out explicitly so checkParams checks each one.
      expect(checkParams({ ...node, params: defaultParams(def.type) }, def), def.type).toEqual([]);
    }
  });

  it('keeps ports identical within a family so a node can change kind in place', () => {
    for (const def of nodeTypes().values())
      for (const other of sameFamilyTypes(def.type)) {
        expect(other.inputs).toEqual(def.inputs);
        expect(other.outputs).toEqual(def.outputs);
      }
    expect(sameFamilyTypes('Activation.relu').some((d) => d.type === 'Activation.elu')).toBe(true);
    expect(sameFamilyTypes('Nope')).toEqual([]);
  });

  it('refuses unknown types with a message that names them', () => {
    expect(() => createNode('Conv2D', 'c')).toThrow(/Unknown node type 'Conv2D'/);
  });
});

describe('paramError', () => {
  const spec = (s: Partial<ParamSpec>): ParamSpec => ({
    name: 'p',
    label: 'P',
    kind: 'number',
    default: 0,
    ...s,
  });
  it('checks numbers, bounds and exclusivity', () => {
    expect(paramError(spec({ min: 0, max: 1 }), 0)).toBeNull();
    expect(paramError(spec({ min: 0, max: 1 }), 1)).toBeNull();
    expect(paramError(spec({ min: 0, max: 1, maxExclusive: true }), 1)).toBe('must be ≥ 0 and < 1');
    expect(paramError(spec({ min: 0, minExclusive: true }), 0)).toBe('must be > 0');
    expect(paramError(spec({}), Number.NaN)).toBe('must be a finite number');
    expect(paramError(spec({}), '3')).toBe('must be a finite number');
  });
  it('checks integers, auto, enums, booleans and null', () => {
    expect(paramError(spec({ kind: 'integer' }), 2.5)).toBe('must be a whole number');
    expect(paramError(spec({ kind: 'integer', allowAuto: true }), 'auto')).toBeNull();
    expect(paramError(spec({ kind: 'integer' }), 'auto')).toBe('must be a finite number');
    const e = spec({ kind: 'enum', options: [{ value: 'a', label: 'A' }] });
    expect(paramError(e, 'a')).toBeNull();
    expect(paramError(e, 'b')).toBe('must be one of a');
    expect(paramError(spec({ kind: 'boolean' }), 1)).toMatch(/on or off/);
    expect(paramError(spec({}), null)).toBe('must be set');
    expect(paramError(spec({ nullable: true }), null)).toBeNull();
  });
});
