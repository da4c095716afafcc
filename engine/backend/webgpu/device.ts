/**
 * Acquiring a WebGPU device for compute: adapter → device with the limits the kernels need
 * requested EXPLICITLY (the compatibility feature level defaults maxComputeInvocationsPerWorkgroup
 * to 128 and the workgroup size to 128 per axis, so a 16×16 matmul tile needs them raised), and
 * device loss turned into a recorded reason that every later call reports instead of hanging.
 *
 * The `GPU` object is injected (navigator.gpu in a browser worker; `createNodeGpu()` from
 * webgpu.node.ts in Node), so this module never imports a host API.
 */
import type { WAdapter, WDevice, WGpu, WLimits } from './gpu-api';

export interface DeviceOptions {
  /** 'core' (default when the adapter offers it) or 'compatibility' (OpenGL ES / Mesa, older GPUs). */
  featureLevel?: 'core' | 'compatibility';
  powerPreference?: 'low-power' | 'high-performance';
}

/** Limits the backend asks for, each capped by what the adapter offers. */
const WANTED: readonly string[] = [
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupsPerDimension',
];

/** Smallest values the kernels can live with (below them the device is refused with a clear error). */
const MINIMUM: Readonly<Record<string, number>> = {
  maxComputeInvocationsPerWorkgroup: 64,
  maxComputeWorkgroupSizeX: 64,
  maxStorageBuffersPerShaderStage: 4,
  maxComputeWorkgroupStorageSize: 4096,
};

export interface GpuDeviceInfo {
  device: WDevice;
  adapterDescription: string;
  featureLevel: string;
  /** The limits granted (the ones in WANTED). */
  limits: Readonly<Record<string, number>>;
}

/** Error thrown for every WebGPU failure (no adapter, lost device, shader or memory error). */
export class WebGpuError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebGpuError';
  }
}

function limit(obj: object, name: string): number {
  return (obj as Record<string, number>)[name];
}

/**
 * Requests an adapter and a device from `gpu`.
 * @throws WebGpuError when no adapter is available or it lacks the minimum limits.
 */
export async function acquireDevice(gpu: WGpu, opts: DeviceOptions = {}): Promise<GpuDeviceInfo> {
  let adapter: WAdapter | null;
  let level = opts.featureLevel ?? 'core';
  try {
    adapter = await gpu.requestAdapter({ powerPreference: opts.powerPreference, featureLevel: level });
    if (adapter === null && opts.featureLevel === undefined) {
      level = 'compatibility';
      adapter = await gpu.requestAdapter({ powerPreference: opts.powerPreference, featureLevel: level });
    }
  } catch (e) {
    throw new WebGpuError(`WebGPU: requestAdapter failed: ${(e as Error).message}`);
  }
  if (adapter === null) {
    throw new WebGpuError(
      'WebGPU: no adapter available (no GPU, or WebGPU disabled in this host); train on the CPU backend instead',
    );
  }
  const required: WLimits = {};
  for (const name of WANTED) {
    const v = limit(adapter.limits, name);
    if (typeof v === 'number') required[name] = v;
  }
  for (const [name, min] of Object.entries(MINIMUM)) {
    if (!(required[name] >= min)) {
      throw new WebGpuError(
        `WebGPU: the adapter offers ${name} = ${required[name]}, the kernels need at least ${min}; use the CPU backend`,
      );
    }
  }
  let device: WDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits: required, label: 'netloom' });
  } catch (e) {
    throw new WebGpuError(`WebGPU: requestDevice failed: ${(e as Error).message}`);
  }
  const granted: Record<string, number> = {};
  for (const name of WANTED) granted[name] = limit(device.limits, name);
  const i = adapter.info;
  const desc = i ? [i.vendor, i.architecture, i.device, i.description].filter((s) => s).join(' ') : '';
  return { device, adapterDescription: desc || 'unknown adapter', featureLevel: level, limits: granted };
}
