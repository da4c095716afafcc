/**
 * The trainer: the state machine behind one trainer process/worker. It speaks the protocol of
 * `protocol.ts` over a `TrainerPort` and knows nothing else about where it runs, so the same
 * code serves an Electron utilityProcess, a Node child process and a Web Worker.
 *
 * Lifecycle: `hello` (required first; versions must match) → `start` (one run per trainer) →
 * `pause`/`resume`/`step`/`stop` → a terminal event (`finished`, `stopped`, `failed`) → the host
 * sends `shutdown` or kills the process.
 *
 * A run trains the project for real (`runReal`: engine/session/run.ts); a start command with
 * `options.demo` runs a synthetic progress stream instead (`runDemo`, plumbing tests). The terminal
 * event of a real run carries the run record and fitted preprocessing (`outcome`) for the host to save,
 * and the final weights' predictions on the validation split (`predictions`, ./predictions.ts).
 *
 * Invariants: the trainer never throws out of a message handler — every problem becomes a
 * `protocol-error` or `failed` event; at most one run exists per trainer.
 */

import { graphProjectHooks } from '../graph/project-hooks';
import { loadProject } from '../project/load';
import type { Project } from '../project/types';
import { Rng } from '../random/rng';
import { recipeToJson } from './dataset';
import { splitPredictions } from './predictions';
import { sleep as realSleep } from './platform';
import { runRecord, runSession, type SessionResult } from './run';
import type { SessionBackendOptions } from './device';
import { WebGpuBackend, type WebGpuBackendOptions } from '../backend/webgpu/backend';
import type { WGpu } from '../backend/webgpu/gpu-api';
import type { TrainerPort } from './port';
import {
  PROTOCOL_VERSION,
  commandProblem,
  type BackendInfo,
  type BackendKind,
  type ControlCommand,
  type PredictionPayload,
  type RunOutcome,
  type StartCommand,
  type TrainerCommand,
} from './protocol';

/**
 * The part of `navigator.gpu` (WebGPU `GPU`) the handshake needs; a WebGPU run passes the same
 * object to `WebGpuBackend.create` (so it must be a real `GPU` for real runs).
 */
export interface GpuLike {
  requestAdapter(options?: {
    featureLevel?: string;
  }): Promise<{ info?: { vendor?: string; architecture?: string; description?: string } } | null>;
}

/** What the process around the trainer provides. */
export interface TrainerEnv {
  /** Where the trainer runs (reported in the handshake). */
  runtime: string;
  /** App/engine version (reported in the handshake). */
  version: string;
  /** A WebGPU entry point, or a function that loads one lazily; absent → CPU only. */
  gpu?: GpuLike | (() => Promise<GpuLike | undefined>);
  /** Device options for WebGPU runs (e.g. `{ featureLevel: 'compatibility' }` for Mesa/OpenGL ES). */
  gpuOptions?: WebGpuBackendOptions;
  /** Creates the WebGPU backend of a run (default `WebGpuBackend.create(gpu, gpuOptions)`; tests inject). */
  createGpuBackend?: (gpu: GpuLike) => Promise<WebGpuBackend>;
  /** The 'auto' measurement (default chooseBackend; tests inject timings). */
  chooseBackend?: SessionBackendOptions['choose'];
  /** Reads a file for `{kind:'path'}` data; absent → path data sources fail with 'bad-data'. */
  readFile?: (path: string) => Promise<Uint8Array>;
  /** Waits `ms` milliseconds (injected so tests can run without real delays). */
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds clock for wall times. */
  now?: () => number;
}

/** Defaults of the synthetic run (until real training exists). */
export const DEMO_DEFAULTS = { epochs: 5, batchesPerEpoch: 10, batchDelayMs: 20 } as const;

/** How long the handshake waits for a WebGPU adapter before reporting CPU only. */
const ADAPTER_TIMEOUT_MS = 5000;

type RunState = 'running' | 'paused' | 'stopping' | 'done';

interface Run {
  id: string;
  state: RunState;
  /** Pending single steps requested while paused. */
  steps: number;
  /** Whether 'paused' was sent for the current pause (sent when the loop actually idles). */
  pauseAnnounced: boolean;
  /** Wakes the loop when paused (set by resume/step/stop). */
  wake: (() => void) | null;
}

/**
 * Starts answering commands on `port`. Returns a promise that settles when the current run (if
 * any) has ended — mainly for in-process tests.
 */
export function startTrainer(port: TrainerPort, env: TrainerEnv): { idle(): Promise<void> } {
  const sleep = env.sleep ?? realSleep;
  const now = env.now ?? (() => Date.now());
  let greeted = false;
  let backendsP: Promise<BackendInfo[]> | null = null;
  const getBackends = () => (backendsP ??= detectBackends());
  /** Why WebGPU is not offered (set by detectBackends). */
  let gpuUnavailable = 'no WebGPU entry point in this trainer';
  let gpuObject: GpuLike | null = null;
  let gpuBackendP: Promise<WebGpuBackend> | null = null;
  /** The run's WebGPU backend, created once per trainer; rejects with the reason it is unavailable. */
  const gpuBackend = async (): Promise<WebGpuBackend> => {
    await getBackends();
    const gpu = gpuObject;
    if (!gpu) throw new Error(gpuUnavailable);
    gpuBackendP ??= env.createGpuBackend
      ? env.createGpuBackend(gpu)
      : WebGpuBackend.create(gpu as unknown as WGpu, env.gpuOptions ?? {});
    return gpuBackendP;
  };
  let run: Run | null = null;
  let runDone: Promise<void> = Promise.resolve();

  const protocolError = (message: string, command?: string) =>
    port.send({ type: 'protocol-error', message, ...(command ? { command } : {}) });

  async function detectBackends(): Promise<BackendInfo[]> {
    const list: BackendInfo[] = [{ kind: 'cpu', label: `CPU (${env.runtime})` }];
    try {
      const gpu = typeof env.gpu === 'function' ? await env.gpu() : env.gpu;
      if (gpu) {
        const fl = env.gpuOptions?.featureLevel;
        const ask = (featureLevel?: string) =>
          Promise.race([
            gpu.requestAdapter(featureLevel ? { featureLevel } : undefined),
            sleep(ADAPTER_TIMEOUT_MS).then(() => null),
          ]);
        // Like WebGpuBackend.create: a core adapter, else a compatibility one (OpenGL ES, Mesa).
        const adapter = (await ask(fl)) ?? (fl ? null : await ask('compatibility'));
        if (adapter) {
          const info = adapter.info ?? {};
          const label =
            [info.vendor, info.architecture].filter((s) => s).join(' ') || info.description || 'adapter';
          list.push({ kind: 'webgpu', label: `WebGPU (${label})` });
          gpuObject = gpu;
        } else gpuUnavailable = 'no WebGPU adapter found (no GPU, or no driver for it)';
      } else if (env.gpu) gpuUnavailable = 'WebGPU is disabled or missing in this runtime';
    } catch (e) {
      // No usable GPU (driver missing, native module for another ABI…): CPU only.
      gpuUnavailable = `WebGPU could not be loaded: ${errorText(e)}`;
    }
    return list;
  }

  async function onHello(protocol: number): Promise<void> {
    // Decide synchronously so that a 'start' sent right after 'hello' is accepted.
    const ok = protocol === PROTOCOL_VERSION;
    greeted = ok;
    const backends = await getBackends();
    port.send({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      ok,
      ...(ok ? {} : { error: `host speaks protocol ${protocol}, this trainer speaks ${PROTOCOL_VERSION}` }),
      trainerVersion: env.version,
      runtime: env.runtime,
      backends,
    });
  }

  function onStart(cmd: StartCommand): void {
    if (run && run.state !== 'done') {
      protocolError(`a run '${run.id}' is already active in this trainer; start a new trainer`, 'start');
      return;
    }
    const r: Run = { id: cmd.runId, state: 'running', steps: 0, pauseAnnounced: false, wake: null };
    run = r;
    runDone = (cmd.options.demo ? runDemo(r, cmd) : runReal(r, cmd)).catch((e: unknown) => {
      r.state = 'done';
      port.send({ type: 'failed', runId: r.id, code: 'internal', message: errorText(e) });
    });
  }

  function onControl(cmd: ControlCommand): void {
    const r = run;
    if (!r || r.id !== cmd.runId || r.state === 'done') {
      protocolError(`no active run '${cmd.runId}' in this trainer`, cmd.type);
      return;
    }
    switch (cmd.type) {
      case 'pause':
        // 'paused' is announced by the loop once the batch in progress has finished.
        if (r.state === 'running') {
          r.state = 'paused';
          r.pauseAnnounced = false;
        }
        break;
      case 'resume':
        if (r.state === 'paused') {
          r.state = 'running';
          if (r.pauseAnnounced) port.send({ type: 'resumed', runId: r.id });
          wake(r);
        }
        break;
      case 'step':
        if (r.state === 'paused') {
          r.steps++;
          wake(r);
        } else protocolError('step works only while the run is paused', 'step');
        break;
      case 'stop':
        r.state = 'stopping';
        wake(r);
        break;
      default:
        cmd.type satisfies never;
    }
  }

  function wake(r: Run): void {
    const w = r.wake;
    r.wake = null;
    w?.();
  }

  /**
   * Waits until the run may do one more batch; false when it must stop. While paused it
   * announces 'paused' once (so no batch event follows 'paused' except requested steps).
   */
  async function mayContinue(r: Run): Promise<boolean> {
    for (;;) {
      if (r.state === 'stopping') return false;
      if (r.state === 'running') return true;
      if (r.state === 'paused' && !r.pauseAnnounced) {
        r.pauseAnnounced = true;
        port.send({ type: 'paused', runId: r.id });
      }
      if (r.state === 'paused' && r.steps > 0) {
        r.steps--;
        return true;
      }
      await new Promise<void>((resolve) => (r.wake = resolve));
    }
  }

  /** Sends a terminal 'failed' event and ends the run. */
  function failRun(r: Run, code: 'bad-project' | 'bad-data' | 'backend', message: string): void {
    r.state = 'done';
    port.send({ type: 'failed', runId: r.id, code, message });
  }

  /** The data bytes of a start command, or null after reporting why they cannot be had. */
  async function readData(r: Run, cmd: StartCommand): Promise<Uint8Array | null> {
    if (cmd.data.kind === 'bytes') return cmd.data.bytes;
    if (!env.readFile) {
      failRun(r, 'bad-data', `this trainer (${env.runtime}) cannot read files; send the data as bytes`);
      return null;
    }
    try {
      return await env.readFile(cmd.data.path);
    } catch (e) {
      failRun(r, 'bad-data', `cannot read the data file '${cmd.data.path}': ${errorText(e)}`);
      return null;
    }
  }

  async function runReal(r: Run, cmd: StartCommand): Promise<void> {
    // Checks in the same order as the demo run: project shape, data, backend, then the project itself.
    if (typeof cmd.project !== 'object' || cmd.project === null || Array.isArray(cmd.project)) {
      failRun(r, 'bad-project', 'the project must be a JSON object');
      return;
    }
    const bytes = await readData(r, cmd);
    if (!bytes) return;
    if (cmd.options.backend === 'webgpu' && !(await getBackends()).some((b) => b.kind === 'webgpu')) {
      failRun(r, 'backend', `WebGPU is not available here (${gpuUnavailable}); choose CPU`);
      return;
    }
    let project: Project;
    try {
      project = loadProject(JSON.stringify(cmd.project), { hooks: graphProjectHooks });
    } catch (e) {
      failRun(r, 'bad-project', `the project cannot be used: ${errorText(e)}`);
      return;
    }
    const cont = cmd.options.continueRunId;
    const continueFrom = cont === undefined ? undefined : project.runs.find((x) => x.id === cont);
    if (cont !== undefined && !continueFrom) {
      failRun(r, 'bad-project', `the project has no run '${cont}' to continue`);
      return;
    }
    const startedAt = new Date(now()).toISOString();
    const o = cmd.options;
    const result = await runSession({
      project,
      data: bytes,
      ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      ...(o.splitSeed !== undefined ? { splitSeed: o.splitSeed } : {}),
      ...(o.threads !== undefined ? { threads: o.threads } : {}),
      ...(continueFrom ? { continueFrom } : {}),
      now,
      backend: {
        choice: o.backend,
        gpu: gpuBackend,
        ...(env.chooseBackend ? { choose: env.chooseBackend } : {}),
      },
      control: { mayContinue: () => mayContinue(r), isPaused: () => r.state === 'paused' },
      emit: (e) => {
        switch (e.type) {
          case 'started':
            port.send({
              type: 'started',
              runId: r.id,
              backend: e.backend.kind,
              epochs: e.epochs,
              batchesPerEpoch: e.batchesPerEpoch,
              threads: e.threads,
              selection: {
                requested: e.backend.requested,
                reason: e.backend.reason,
                ...(e.backend.cpuMsPerStep !== undefined
                  ? {
                      cpuMsPerStep: e.backend.cpuMsPerStep,
                      gpuMsPerStep: e.backend.gpuMsPerStep,
                      speedup: e.backend.speedup,
                    }
                  : {}),
              },
            });
            break;
          case 'batch':
            port.send({
              type: 'batch',
              runId: r.id,
              epoch: e.epoch,
              batch: e.batch,
              batchesPerEpoch: e.batchesPerEpoch,
              loss: e.loss,
            });
            break;
          case 'epoch':
            port.send({
              type: 'epoch',
              runId: r.id,
              epoch: e.epoch,
              epochs: e.epochs,
              train: e.train,
              validation: e.validation,
              learningRate: e.learningRate,
              wallMs: e.wallMs,
              elapsedMs: e.elapsedMs,
              gradientNorm: e.gradientNorm,
              layers: e.layers,
            });
            break;
          default:
            break; // terminal events are sent below, with the outcome
        }
      },
    });
    r.state = 'done';
    const outcome = (): RunOutcome => ({
      run: runRecord(project, result, r.id, startedAt, new Date(now()).toISOString(), {
        ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
        ...(o.seed !== undefined ? { seed: o.seed } : {}),
      }),
      preprocessing: result.data ? recipeToJson(result.data.recipe) : null,
    });
    // Computed once from the final (or kept) weights; a failure here never hides the outcome.
    const predictions = (): { predictions?: PredictionPayload } => {
      if (!result.model || !result.data) return {};
      try {
        const p = splitPredictions(result.model, result.data);
        return p ? { predictions: p } : {};
      } catch {
        return {};
      }
    };
    const t = result.terminal;
    if (t.type === 'finished')
      port.send({
        type: 'finished',
        runId: r.id,
        epochs: t.epochs,
        metrics: t.metrics,
        status: t.status,
        outcome: outcome(),
        ...predictions(),
      });
    else if (t.type === 'stopped')
      port.send({
        type: 'stopped',
        runId: r.id,
        epoch: t.epoch,
        kept: t.kept,
        outcome: outcome(),
        ...predictions(),
      });
    else if (t.type === 'failed')
      port.send({
        type: 'failed',
        runId: r.id,
        code: t.code,
        message: t.message,
        ...(t.epoch !== undefined ? { epoch: t.epoch, batch: t.batch } : {}),
        ...(hasWeights(result) ? { outcome: outcome(), ...predictions() } : {}),
      });
  }

  async function runDemo(r: Run, cmd: StartCommand): Promise<void> {
    if (typeof cmd.project !== 'object' || cmd.project === null || Array.isArray(cmd.project)) {
      r.state = 'done';
      port.send({
        type: 'failed',
        runId: r.id,
        code: 'bad-project',
        message: 'the project must be a JSON object',
      });
      return;
    }
    let dataBytes: number;
    if (cmd.data.kind === 'bytes') dataBytes = cmd.data.bytes.byteLength;
    else {
      if (!env.readFile) {
        r.state = 'done';
        port.send({
          type: 'failed',
          runId: r.id,
          code: 'bad-data',
          message: `this trainer (${env.runtime}) cannot read files; send the data as bytes`,
        });
        return;
      }
      try {
        dataBytes = (await env.readFile(cmd.data.path)).byteLength;
      } catch (e) {
        r.state = 'done';
        port.send({
          type: 'failed',
          runId: r.id,
          code: 'bad-data',
          message: `cannot read the data file '${cmd.data.path}': ${errorText(e)}`,
        });
        return;
      }
    }
    const available = await getBackends();
    const wanted = cmd.options.backend;
    const hasGpu = available.some((b) => b.kind === 'webgpu');
    if (wanted === 'webgpu' && !hasGpu) {
      r.state = 'done';
      port.send({
        type: 'failed',
        runId: r.id,
        code: 'backend',
        message: 'WebGPU is not available here; choose CPU',
      });
      return;
    }
    const backend: BackendKind = wanted === 'cpu' || !hasGpu ? 'cpu' : 'webgpu';
    const { epochs, batchesPerEpoch, batchDelayMs } = cmd.options.demo ?? DEMO_DEFAULTS;
    port.send({ type: 'started', runId: r.id, backend, epochs, batchesPerEpoch });

    // Synthetic loss: an exponential decay towards 0.1 plus small seeded noise (seed from size).
    const rng = new Rng(dataBytes);
    let step = 0;
    let lastLoss = NaN;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const t0 = now();
      let sum = 0;
      for (let batch = 1; batch <= batchesPerEpoch; batch++) {
        if (!(await mayContinue(r))) {
          r.state = 'done';
          port.send({ type: 'stopped', runId: r.id, epoch: epoch - 1 });
          return;
        }
        if (batchDelayMs > 0) await sleep(batchDelayMs);
        step++;
        const loss = 0.1 + 0.9 * Math.exp(-step / (batchesPerEpoch * 2)) + 0.01 * rng.normal();
        sum += loss;
        port.send({ type: 'batch', runId: r.id, epoch, batch, batchesPerEpoch, loss });
      }
      lastLoss = batchesPerEpoch > 0 ? sum / batchesPerEpoch : NaN;
      port.send({
        type: 'epoch',
        runId: r.id,
        epoch,
        epochs,
        train: { loss: lastLoss },
        validation: null,
        learningRate: 0.01,
        wallMs: now() - t0,
      });
    }
    r.state = 'done';
    port.send({
      type: 'finished',
      runId: r.id,
      epochs,
      metrics: { train: Number.isNaN(lastLoss) ? {} : { loss: lastLoss }, validation: null },
    });
  }

  port.onCommand((message) => {
    const problem = commandProblem(message);
    if (problem !== null) {
      const type = (message as { type?: unknown } | null)?.type;
      protocolError(problem, typeof type === 'string' ? type : undefined);
      return;
    }
    const cmd = message as TrainerCommand;
    if (cmd.type !== 'hello' && cmd.type !== 'shutdown' && !greeted) {
      protocolError(`send 'hello' with protocol ${PROTOCOL_VERSION} before '${cmd.type}'`, cmd.type);
      return;
    }
    switch (cmd.type) {
      case 'hello':
        void onHello(cmd.protocol);
        break;
      case 'start':
        onStart(cmd);
        break;
      case 'pause':
      case 'resume':
      case 'step':
      case 'stop':
        onControl(cmd);
        break;
      case 'shutdown':
        // End a run still going (matters for in-thread ports, where no process exit stops it).
        if (run && run.state !== 'done') {
          run.state = 'stopping';
          wake(run);
        }
        port.close();
        break;
      default:
        cmd satisfies never;
    }
  });

  return { idle: () => runDone };
}

const hasWeights = (r: SessionResult) => r.checkpoint !== null;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
