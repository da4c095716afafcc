/**
 * Starts a trainer as an Electron utilityProcess (desktop app): a Node process without
 * renderer privileges, supervised by main. Messages are structured-cloned.
 */

import { utilityProcess } from 'electron';
import type { TrainerHandle } from '../../engine/session/supervisor';

/** Forks the built trainer entry `entry` (out/main/trainer.js). */
export function spawnUtilityTrainer(entry: string): TrainerHandle {
  const child = utilityProcess.fork(entry, [], { serviceName: 'Netloom trainer', stdio: 'inherit' });
  let exited = false;
  child.once('exit', () => (exited = true));
  return {
    post: (command) => {
      if (!exited) child.postMessage(command);
    },
    kill: () => {
      if (!exited) child.kill();
    },
    onMessage: (h) => child.on('message', (m: unknown) => h(m)),
    onExit: (h) => child.once('exit', (code: number) => h(String(code))),
  };
}
