/**
 * Typed registration of IPC request handlers. Every handler: (1) checks the sender with
 * `senderProblem` (our window, main frame, our page), (2) validates the arguments against the
 * contract's schema, (3) runs the implementation. Problems reject the renderer's promise with
 * an Error whose message says what went wrong; they never crash main.
 */

import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { senderProblem, type TrustPolicy } from '../security/sender';
import { parseRequestArgs, type IpcRequests, type RequestChannel } from './contract';

export type RequestHandlers = {
  [C in RequestChannel]: (
    ...args: IpcRequests[C]['args']
  ) => Promise<IpcRequests[C]['result']> | IpcRequests[C]['result'];
};

/** Describes the sender of an invoke event for the trust check. */
export function senderInfo(event: IpcMainInvokeEvent) {
  const frame = event.senderFrame;
  return {
    url: frame ? frame.url : null,
    isMainFrame: frame !== null && frame.parent === null,
    webContentsId: event.sender.id,
  };
}

/** Registers every handler of the contract; returns a function that removes them. */
export function registerHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  policy: () => TrustPolicy,
  handlers: RequestHandlers,
  log: (message: string) => void = console.warn,
): () => void {
  const channels = Object.keys(handlers) as RequestChannel[];
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, ...raw: unknown[]) => {
      const problem = senderProblem(senderInfo(event), policy());
      if (problem !== null) {
        log(`IPC '${channel}' refused: ${problem}`);
        throw new Error(`IPC '${channel}' refused: ${problem}`);
      }
      const args = parseRequestArgs(channel, raw);
      const fn = handlers[channel] as (...a: unknown[]) => unknown;
      return fn(...(args as unknown[]));
    });
  }
  return () => channels.forEach((c) => ipcMain.removeHandler(c));
}
