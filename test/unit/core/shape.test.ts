import { describe, expect, it } from 'vitest';
import {
  broadcastShapes,
  broadcastStrides,
  normAxes,
  reducedShape,
  sizeOf,
  stridesOf,
} from '../../../engine/tensor/shape';

describe('shapes and broadcasting rules', () => {
  it('sizes and row-major strides', () => {
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([2, 3, 4])).toBe(24);
    expect(sizeOf([3, 0])).toBe(0);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
  });

  it('aligns from the last axis; size-1 and missing axes stretch', () => {
    expect(broadcastShapes([5, 3], [3], 't')).toEqual([5, 3]);
    expect(broadcastShapes([5, 1], [1, 4], 't')).toEqual([5, 4]);
    expect(broadcastShapes([], [2, 2], 't')).toEqual([2, 2]);
    expect(broadcastShapes([2, 1, 3], [4, 1], 't')).toEqual([2, 4, 3]);
  });

  it('rejects incompatible shapes with a message naming both', () => {
    expect(() => broadcastShapes([5, 3], [4], 'add')).toThrow(
      /add: shapes \[5, 3\] and \[4\] cannot be broadcast/,
    );
  });

  it('broadcast strides are 0 on stretched axes', () => {
    expect(broadcastStrides([3], [2, 3])).toEqual([0, 1]);
    expect(broadcastStrides([2, 1], [2, 3])).toEqual([1, 0]);
  });

  it('axes normalise (negative from the end) and validate', () => {
    expect(normAxes([-1, 0], 3, 'sum')).toEqual([0, 2]);
    expect(normAxes(undefined, 2, 'sum')).toEqual([0, 1]);
    expect(() => normAxes([3], 3, 'sum')).toThrow(/axis 3 is out of range/);
    expect(() => normAxes([1, -1], 2, 'sum')).toThrow(/repeated/);
    expect(reducedShape([2, 3, 4], [1], true)).toEqual([2, 1, 4]);
    expect(reducedShape([2, 3, 4], [0, 2], false)).toEqual([3]);
  });
});
