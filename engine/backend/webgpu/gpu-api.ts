/**
 * The slice of the standard WebGPU API the backend uses, declared locally so that engine code
 * compiles without DOM types or @webgpu/types. The real objects (`navigator.gpu` in a browser
 * worker, the npm package `webgpu` (Dawn) in Node) satisfy these interfaces structurally.
 *
 * Invariant: names carry a `W` prefix so they never clash with the global GPU* types that the
 * DOM lib or @webgpu/types declare in other tsconfigs. Flag values are the WebGPU spec constants
 * (GPUBufferUsage, GPUMapMode), inlined because those globals do not exist in every host.
 */

export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;
export const MapModeRead = 0x0001;

export interface WGpu {
  requestAdapter(opts?: {
    powerPreference?: 'low-power' | 'high-performance';
    featureLevel?: string;
  }): Promise<WAdapter | null>;
}

export type WLimits = Record<string, number>;

export interface WAdapter {
  readonly limits: object;
  readonly features: { has(name: string): boolean };
  readonly info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  requestDevice(desc?: {
    requiredLimits?: WLimits;
    requiredFeatures?: string[];
    label?: string;
  }): Promise<WDevice>;
}

export interface WError {
  readonly message: string;
}
export interface WDeviceLostInfo {
  readonly reason: string;
  readonly message: string;
}

export interface WBuffer {
  readonly size: number;
  mapAsync(mode: number, offset?: number, size?: number): Promise<void>;
  getMappedRange(offset?: number, size?: number): ArrayBuffer;
  unmap(): void;
  destroy(): void;
}

export interface WBindGroupLayout {
  readonly label: string;
}
export interface WBindGroup {
  readonly label: string;
}
export interface WShaderModule {
  getCompilationInfo(): Promise<{ messages: readonly { type: string; message: string; lineNum: number }[] }>;
}
export interface WComputePipeline {
  getBindGroupLayout(index: number): WBindGroupLayout;
}

export interface WBindGroupEntry {
  binding: number;
  resource: { buffer: WBuffer; offset?: number; size?: number };
}

export interface WComputePass {
  setPipeline(p: WComputePipeline): void;
  setBindGroup(index: number, g: WBindGroup): void;
  dispatchWorkgroups(x: number, y?: number, z?: number): void;
  end(): void;
}
export interface WCommandBuffer {
  readonly label: string;
}
export interface WCommandEncoder {
  beginComputePass(desc?: { label?: string }): WComputePass;
  copyBufferToBuffer(src: WBuffer, srcOffset: number, dst: WBuffer, dstOffset: number, size: number): void;
  finish(): WCommandBuffer;
}
export interface WQueue {
  submit(buffers: WCommandBuffer[]): void;
  writeBuffer(
    buffer: WBuffer,
    offset: number,
    data: ArrayBufferView | ArrayBuffer,
    dataOffset?: number,
    size?: number,
  ): void;
  onSubmittedWorkDone(): Promise<void>;
}

export interface WDevice {
  readonly limits: object;
  readonly queue: WQueue;
  readonly lost: Promise<WDeviceLostInfo>;
  createBuffer(desc: { size: number; usage: number; mappedAtCreation?: boolean; label?: string }): WBuffer;
  createShaderModule(desc: { code: string; label?: string }): WShaderModule;
  createComputePipeline(desc: {
    layout: 'auto';
    compute: { module: WShaderModule; entryPoint: string };
    label?: string;
  }): WComputePipeline;
  createComputePipelineAsync?(desc: {
    layout: 'auto';
    compute: { module: WShaderModule; entryPoint: string };
    label?: string;
  }): Promise<WComputePipeline>;
  createBindGroup(desc: { layout: WBindGroupLayout; entries: WBindGroupEntry[]; label?: string }): WBindGroup;
  createCommandEncoder(desc?: { label?: string }): WCommandEncoder;
  pushErrorScope(filter: 'validation' | 'out-of-memory' | 'internal'): void;
  popErrorScope(): Promise<WError | null>;
  addEventListener?(type: 'uncapturederror', listener: (ev: { error: WError }) => void): void;
  destroy(): void;
}
