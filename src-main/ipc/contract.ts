/**
 * The IPC contract between the preload (renderer side) and the main process: one map of
 * request channels (renderer → main, `ipcRenderer.invoke` / `ipcMain.handle`) with their
 * argument tuples and results, one map of event channels (main → renderer), and a runtime
 * validator for every request's arguments — the renderer is treated as untrusted input.
 *
 * No Electron or Node imports here: the preload API type (and through it the renderer's
 * Electron host) is derived from these maps.
 */

import { z } from 'zod';
import type {
  ExportRequest,
  FileRef,
  MenuCommand,
  OpenedBytes,
  OpenedText,
  RecentProject,
  StartRunRequest,
  TrainerInfo,
} from '../../src-renderer/host/host';
import type { RunEvent } from '../../engine/session/protocol';

/** Run-control actions accepted on 'run:control'. */
export type RunAction = 'pause' | 'resume' | 'step' | 'stop';

/** Request channels: `args` is the argument tuple, `result` what the promise resolves to. */
export interface IpcRequests {
  'project:open': { args: []; result: OpenedText | null };
  'project:open-recent': { args: [file: FileRef]; result: OpenedText };
  'project:save': {
    args: [text: string, file: FileRef | null, suggestedName: string | null];
    result: FileRef | null;
  };
  'project:recent': { args: []; result: RecentProject[] };
  /** Open requests (OS, command line) that arrived before the renderer subscribed. */
  'project:take-pending-opens': { args: []; result: OpenedText[] };
  'data:choose-csv': { args: []; result: OpenedBytes | null };
  'data:read-relative': { args: [project: FileRef, relativePath: string]; result: OpenedBytes | null };
  'export:save': { args: [request: ExportRequest]; result: FileRef | null };
  'trainer:info': { args: []; result: TrainerInfo };
  'run:start': { args: [request: StartRunRequest]; result: { runId: string } };
  'run:control': { args: [runId: string, action: RunAction]; result: void };
  'window:document-state': { args: [state: { title: string; edited: boolean }]; result: void };
}

/** Event channels: main → renderer payloads. */
export interface IpcEvents {
  'menu:command': MenuCommand;
  'run:event': RunEvent;
  'project:open-request': OpenedText;
}

export type RequestChannel = keyof IpcRequests;
export type EventChannel = keyof IpcEvents;

export const REQUEST_CHANNELS = [
  'project:open',
  'project:open-recent',
  'project:save',
  'project:recent',
  'project:take-pending-opens',
  'data:choose-csv',
  'data:read-relative',
  'export:save',
  'trainer:info',
  'run:start',
  'run:control',
  'window:document-state',
] as const satisfies readonly RequestChannel[];

export const EVENT_CHANNELS = [
  'menu:command',
  'run:event',
  'project:open-request',
] as const satisfies readonly EventChannel[];

// --- runtime validation of arguments --------------------------------------------------------

const fileRef = z.object({
  id: z.string().min(1).max(200),
  name: z.string().max(1000),
  path: z.string().optional(),
});
const runData = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), file: fileRef }),
  z.object({ kind: z.literal('bytes'), name: z.string().max(1000), bytes: z.instanceof(Uint8Array) }),
]);
// Mirrors RunOptions in engine/session/protocol.ts: keys missing here would be stripped silently.
const runOptions = z.object({
  backend: z.enum(['auto', 'cpu', 'webgpu']),
  epochs: z.number().int().min(1).max(1_000_000).optional(),
  seed: z.number().int().min(0).max(4_294_967_295).optional(),
  splitSeed: z.number().int().min(0).max(4_294_967_295).optional(),
  continueRunId: z.string().min(1).max(200).optional(),
  demo: z
    .object({
      epochs: z.number().int().min(0).max(100_000),
      batchesPerEpoch: z.number().int().min(0).max(1_000_000),
      batchDelayMs: z.number().int().min(0).max(60_000),
    })
    .optional(),
});

/** Argument schemas; the `satisfies` clause makes a missing channel a compile error. */
export const REQUEST_ARGS = {
  'project:open': z.tuple([]),
  'project:open-recent': z.tuple([fileRef]),
  'project:save': z.tuple([z.string(), fileRef.nullable(), z.string().max(255).nullable()]),
  'project:recent': z.tuple([]),
  'project:take-pending-opens': z.tuple([]),
  'data:choose-csv': z.tuple([]),
  'data:read-relative': z.tuple([fileRef, z.string().min(1).max(4096)]),
  'export:save': z.tuple([
    z.object({
      suggestedName: z.string().min(1).max(255),
      bytes: z.instanceof(Uint8Array),
      filterName: z.string().max(100),
    }),
  ]),
  'trainer:info': z.tuple([]),
  'run:start': z.tuple([z.object({ project: z.unknown(), data: runData, options: runOptions })]),
  'run:control': z.tuple([z.string().min(1).max(200), z.enum(['pause', 'resume', 'step', 'stop'])]),
  'window:document-state': z.tuple([z.object({ title: z.string().max(500), edited: z.boolean() })]),
} satisfies { [C in RequestChannel]: z.ZodType };

/**
 * Checks a request's arguments. Returns them typed, or throws an Error naming the channel and
 * the first problem (the renderer sees it as a rejected promise).
 */
export function parseRequestArgs<C extends RequestChannel>(
  channel: C,
  args: unknown[],
): IpcRequests[C]['args'] {
  const schema = REQUEST_ARGS[channel] as z.ZodType;
  const r = schema.safeParse(args);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`IPC '${channel}': bad argument at [${issue?.path.join('.')}]: ${issue?.message}`);
  }
  return r.data as IpcRequests[C]['args'];
}
