import { describe, expect, it } from 'vitest';
import {
  layerOutputShape,
  layerParams,
  LayerConfigError,
  outputWidth,
  trainableCount,
} from '../../../engine/nn/layers/specs';

describe('layer output shapes (no allocation)', () => {
  it('Dense maps any width to units', () => {
    expect(outputWidth({ type: 'dense', units: 7 }, [13])).toBe(7);
    expect(layerOutputShape({ type: 'dense', units: 3 }, [[null, 4]])).toEqual([null, 3]);
  });
  it('RBF gives N + 1 outputs with the constant 1 of the lecture, N without', () => {
    expect(outputWidth({ type: 'rbf', centres: 5 }, [2])).toBe(6);
    expect(outputWidth({ type: 'rbf', centres: 5, includeConstant: false }, [2])).toBe(5);
  });
  it('Maxout gives units; Dropout, BatchNorm, PReLU keep the width', () => {
    expect(outputWidth({ type: 'maxout', units: 4, pieces: 3 }, [10])).toBe(4);
    expect(outputWidth({ type: 'dropout', rate: 0.5 }, [10])).toBe(10);
    expect(outputWidth({ type: 'batchnorm' }, [9])).toBe(9);
    expect(outputWidth({ type: 'prelu' }, [9])).toBe(9);
  });
  it('Add needs equal widths; Concat sums them', () => {
    expect(outputWidth({ type: 'add' }, [6, 6, 6])).toBe(6);
    expect(outputWidth({ type: 'concat' }, [2, 3, 4])).toBe(9);
    expect(() => outputWidth({ type: 'add' }, [6, 5], 'skip1')).toThrow(
      /skip1: Add needs inputs of equal width, but input 0 has 6 and input 1 has 5/,
    );
    expect(() => outputWidth({ type: 'add' }, [6], 'skip1')).toThrow(/expects at least 2 input/);
  });
  it('errors name the node and the parameter', () => {
    try {
      outputWidth({ type: 'dense', units: 0 }, [3], 'dense_2');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LayerConfigError);
      expect((e as LayerConfigError).node).toBe('dense_2');
      expect((e as LayerConfigError).param).toBe('units');
      expect((e as Error).message).toMatch(/dense_2: units must be an integer ≥ 1, got 0/);
    }
    expect(() => outputWidth({ type: 'dropout', rate: 1 }, [3], 'drop')).toThrow(/rate must be in \[0, 1\)/);
    expect(() => outputWidth({ type: 'maxout', units: 2, pieces: 1 }, [3])).toThrow(
      /pieces must be an integer ≥ 2/,
    );
    expect(() => outputWidth({ type: 'dense', units: 2 }, [3, 4])).toThrow(/expects 1 input/);
    expect(() =>
      layerOutputShape({ type: 'concat' }, [
        [32, 2],
        [64, 3],
      ]),
    ).toThrow(/batch size 64/);
  });
});

describe('layer parameter declarations', () => {
  it('Dense: weight [in, units] and optional bias', () => {
    const ps = layerParams({ type: 'dense', units: 3 }, [4]);
    expect(ps.map((p) => [p.name, p.shape])).toEqual([
      ['weight', [4, 3]],
      ['bias', [3]],
    ]);
    expect(layerParams({ type: 'dense', units: 3, bias: false }, [4]).length).toBe(1);
    expect(trainableCount({ type: 'dense', units: 3 }, [4])).toBe(4 * 3 + 3);
  });
  it('Maxout: weight [in, units·k], bias [units·k]', () => {
    expect(trainableCount({ type: 'maxout', units: 4, pieces: 3 }, [10])).toBe(10 * 12 + 12);
  });
  it('RBF: centres [N, d] and widths [N], each freezable (2-/3-step recipes)', () => {
    const ps = layerParams({ type: 'rbf', centres: 5, trainCentres: false }, [2]);
    expect(ps.map((p) => [p.name, p.shape, p.trainable])).toEqual([
      ['centres', [5, 2], false],
      ['widths', [5], true],
    ]);
    expect(trainableCount({ type: 'rbf', centres: 5, trainCentres: false, trainWidths: false }, [2])).toBe(0);
    expect(trainableCount({ type: 'rbf', centres: 5 }, [2])).toBe(15);
  });
  it('BatchNorm: γ, β trainable; running statistics are state', () => {
    const ps = layerParams({ type: 'batchnorm' }, [6]);
    expect(ps.map((p) => [p.name, p.trainable, p.role])).toEqual([
      ['gamma', true, 'param'],
      ['beta', true, 'param'],
      ['running_mean', false, 'state'],
      ['running_var', false, 'state'],
    ]);
    expect(trainableCount({ type: 'batchnorm', affine: false }, [6])).toBe(0);
  });
  it('PReLU: one α per feature or one shared', () => {
    expect(layerParams({ type: 'prelu' }, [6])[0].shape).toEqual([6]);
    expect(layerParams({ type: 'prelu', shared: true, initialAlpha: 0.1 }, [6])[0]).toMatchObject({
      shape: [1],
      init: { kind: 'constant', value: 0.1 },
    });
  });
  it('Dropout, Add, Concat have no parameters', () => {
    expect(layerParams({ type: 'dropout', rate: 0.2 }, [3])).toEqual([]);
    expect(layerParams({ type: 'add' }, [3, 3])).toEqual([]);
    expect(layerParams({ type: 'concat' }, [3, 1])).toEqual([]);
  });
});
