/**
 * Entry of the trainer process. Built to out/main/trainer.js (Electron) and
 * out/trainer/trainer.mjs (scripts/build-trainer.mjs, for the CLI and integration tests); the
 * same module runs as an Electron utilityProcess and as a Node `child_process.fork` child.
 *
 * WebGPU: offered when the `webgpu` package (Dawn for Node) loads and finds an adapter; set
 * NETLOOM_TRAINER_WEBGPU=0 to skip probing. The Electron utilityProcess never loads it (the addon
 * targets Node's ABI, and the packaged app does not ship it), so the desktop trainer reports CPU
 * only for now; desktop WebGPU is for a later issue.
 */

import { readFile } from 'node:fs/promises';
import { version } from '../../package.json';
import { nodeTrainerPort } from '../../engine/session/port.node';
import { startTrainer, type GpuLike } from '../../engine/session/trainer';

const { port, runtime } = nodeTrainerPort();

async function loadDawn(): Promise<GpuLike | undefined> {
  if (process.env.NETLOOM_TRAINER_WEBGPU === '0') return undefined;
  // The `webgpu` addon is built for Node's ABI, not Electron's: do not even try it there.
  if (runtime === 'utility-process') return undefined;
  // A variable specifier keeps bundlers from trying to inline the native module.
  const specifier = 'webgpu';
  const mod = (await import(/* @vite-ignore */ specifier)) as { create(flags: string[]): GpuLike };
  return mod.create([]);
}

startTrainer(port, {
  runtime,
  version,
  gpu: loadDawn,
  readFile: async (p) => new Uint8Array(await readFile(p)),
});
