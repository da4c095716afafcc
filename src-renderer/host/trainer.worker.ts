/**
 * Web Worker entry of the trainer (browser host). The same trainer as the desktop app's
 * utilityProcess, over a worker port; WebGPU is offered when the browser exposes `navigator.gpu`.
 */

import { version } from '../../package.json';
import { workerPort, type WorkerScopeLike } from '../../engine/session/port';
import { startTrainer, type GpuLike } from '../../engine/session/trainer';

const scope = self as unknown as WorkerScopeLike & { navigator: { gpu?: GpuLike } };

startTrainer(workerPort(scope), {
  runtime: 'web-worker',
  version,
  ...(scope.navigator.gpu ? { gpu: scope.navigator.gpu } : {}),
});
