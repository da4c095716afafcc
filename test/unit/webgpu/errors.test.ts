/**
 * Failures on WebGPU become clear errors, never hangs: unsupported dtype, synchronous reads,
 * oversize tensors, shader compile errors, failed commands, and device loss.
 */
import { describe, expect, it } from 'vitest';
import { compileKernel, WebGpuBackend, WebGpuError } from '../../../engine/backend/webgpu/backend';
import { createNodeGpu } from '../../../engine/backend/webgpu/webgpu.node';
import * as E from '../../../engine/index';
import { setupWebGpu } from './gpu';

const { backend: gpu } = await setupWebGpu();

describe.skipIf(gpu === null)('WebGPU errors', () => {
  it('refuses float64 and synchronous reads with a message that says what to do', () => {
    expect(() => E.zeros([2], { dtype: 'float64', backend: gpu! })).toThrow(
      /float64 is not supported.*CPU backend/,
    );
    const t = E.tensor([1, 2], [2], { backend: gpu! });
    expect(() => t.dataSync()).toThrow(/only supports await tensor.data\(\)/);
    expect(() => E.sum(t).item()).toThrow(/await tensor.data/);
    expect(() => E.cast(t, 'float64')).toThrow(/cannot convert float32 to float64/);
    expect(() => E.add(t, E.tensor([1, 2]))).toThrow(/different backend/);
  });

  it('a same-dtype cast is a device copy', async () => {
    const t = E.tensor([1, -2, 3], [3], { backend: gpu! });
    expect(Array.from(await E.cast(t, 'float32').data())).toEqual([1, -2, 3]);
  });

  it('a tensor beyond the device buffer limit is refused up front', () => {
    const limit = gpu!.info.limits.maxStorageBufferBindingSize;
    expect(() => gpu!.allocate(limit / 4 + 1, 'float32')).toThrow(/exceeds this device's buffer limit/);
  });

  it('a shader compile error names the kernel and the WGSL line', async () => {
    const bad = '@compute @workgroup_size(1) fn main() {\n  let x: f32 = undefined_thing;\n}';
    await expect(compileKernel(gpu!.device, 'broken', bad)).rejects.toThrow(
      /kernel 'broken' failed to compile: line 2/,
    );
    await expect(compileKernel(gpu!.device, 'broken', bad)).rejects.toBeInstanceOf(WebGpuError);
  });

  it('a command that fails validation is reported by the next read, then the backend recovers', async () => {
    const t = E.zeros([4], { backend: gpu! }); // opens an encoder (and its error scopes)
    gpu!.device.createBuffer({ size: 4, usage: 0 }); // invalid usage: a validation error inside the scope
    await expect(t.data()).rejects.toThrow(/validation error/);
    expect(Array.from(await E.ones([2], { backend: gpu! }).data())).toEqual([1, 1]);
  });

  it('after device loss every call fails with the reason instead of hanging', async () => {
    const be = await WebGpuBackend.create(await createNodeGpu(), { featureLevel: 'compatibility' });
    const t = E.tensor([1, 2, 3], [3], { backend: be });
    const pending = E.exp(t).data();
    be.device.destroy();
    await expect(pending).rejects.toThrow(WebGpuError);
    await be.sync().catch(() => undefined);
    expect(() => E.exp(t)).toThrow(/device was lost \(destroyed/);
    await expect(t.data()).rejects.toThrow(/device was lost/);
  });
});
