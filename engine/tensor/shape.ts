/**
 * Shapes and broadcasting.
 *
 * Tensors are row-major and batch-first ([batch, features]). A shape is a readonly array of
 * non-negative integers; `[]` is a scalar (one element).
 *
 * Broadcasting (NumPy rules): align the two shapes on their LAST axis; missing leading axes
 * count as 1; along each axis the sizes must be equal or one of them must be 1, and the
 * result takes the larger. Examples: [B, N] with [N] → [B, N]; [B, 1] with [1, N] → [B, N];
 * [] with anything → that shape; [B, 3] with [4] is an error.
 */

export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** `[2, 3]` → `"[2, 3]"`, for error messages. */
export function fmtShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** @throws RangeError unless every dimension is a non-negative integer. */
export function checkShape(shape: Shape, where: string): void {
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`${where}: shape ${fmtShape(shape)} has an invalid dimension ${d} at axis ${i}`);
    }
  }
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The broadcast shape of `a` and `b` (rules in the module header).
 * @throws RangeError naming `where` and both shapes when they are incompatible.
 */
export function broadcastShapes(a: Shape, b: Shape, where: string): Shape {
  if (sameShape(a, b)) return a;
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `${where}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast (axis ${i}: ${da} vs ${db}); ` +
          'sizes must match or be 1, aligned from the last axis',
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/**
 * Strides for reading an input of shape `inShape` while iterating over `outShape` it was
 * broadcast to: 0 along broadcast (size-1 or missing) axes. Length = outShape.length.
 */
export function broadcastStrides(inShape: Shape, outShape: Shape): number[] {
  const n = outShape.length;
  const off = n - inShape.length;
  const s = new Array<number>(n).fill(0);
  let acc = 1;
  for (let i = inShape.length - 1; i >= 0; i--) {
    s[i + off] = inShape[i] === 1 && outShape[i + off] !== 1 ? 0 : acc;
    acc *= inShape[i];
  }
  return s;
}

/**
 * Normalises axes (negative counts from the end) and sorts them.
 * @throws RangeError for an axis out of range or repeated.
 */
export function normAxes(axes: readonly number[] | undefined, rank: number, where: string): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const out: number[] = [];
  for (const a of axes) {
    const ax = a < 0 ? a + rank : a;
    if (!Number.isInteger(ax) || ax < 0 || ax >= rank) {
      throw new RangeError(`${where}: axis ${a} is out of range for a tensor of rank ${rank}`);
    }
    if (out.includes(ax)) throw new RangeError(`${where}: axis ${a} is repeated`);
    out.push(ax);
  }
  return out.sort((x, y) => x - y);
}

/** Shape after reducing `axes` (sorted, normalised); kept as 1 when keepDims. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepDims) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}
