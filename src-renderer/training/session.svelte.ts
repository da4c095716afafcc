/**
 * Training session of the window (Svelte runes around the framework-free history reducer):
 * the run settings the user edits, the list of runs (history), the current run, the trainer's
 * backends, and the run controls through the host.
 *
 * Invariants: at most one run is active (starting/running/paused); host events are folded into
 * the matching RunRecord immediately, but views are told to redraw through a Throttle
 * (≤ 10×/s) via `tick`, so a fast event stream never floods the UI thread; the run clock excludes pauses.
 */
import type { BackendInfo, NetloomHost, RunEvent, Unsubscribe } from '../host/host';
import { isTerminal } from '../lib/run-progress';
import type { Run, TrainingSettings } from '../../engine/project/types';
import { applyEvent, newRunRecord, recordFromSavedRun, type RunRecord, type RunSettings } from './history';
import { askNotifyPermission, browserNotifyEnv, notifyRunEnd } from './notify';
import { estimateRemaining, RunClock, Throttle } from './timing';

export interface BackendOption {
  value: 'auto' | 'cpu' | 'webgpu';
  label: string;
  /** Why the option cannot be used, or null. */
  unavailable: string | null;
}

/** Backend choices from the handshake's list; WebGPU explains why it is missing. */
export function backendOptions(available: readonly BackendInfo[] | null): BackendOption[] {
  const gpu = available?.find((b) => b.kind === 'webgpu');
  const cpu = available?.find((b) => b.kind === 'cpu');
  return [
    { value: 'auto', label: `Auto (${gpu ? 'WebGPU' : 'CPU'})`, unavailable: null },
    { value: 'cpu', label: cpu ? `CPU — ${cpu.label}` : 'CPU', unavailable: null },
    {
      value: 'webgpu',
      label: gpu ? `WebGPU — ${gpu.label}` : 'WebGPU',
      unavailable:
        available === null
          ? 'the trainer has not answered yet'
          : gpu
            ? null
            : 'the trainer found no WebGPU adapter here (no GPU, or the browser/driver does not expose WebGPU)',
    },
  ];
}

export interface StartInput {
  /** The parsed project document (its training settings and dataset settings are overridden). */
  project: unknown;
  data: { name: string; bytes: Uint8Array } | null;
  importSettings: unknown;
  /** Synthetic progress stream instead of training (the trainer's demo mode). */
  demo: boolean;
}

const THREADS_KEY = 'netloom.cpuThreads';

/** The remembered CPU threads setting (0 = automatic). */
function readThreads(): number {
  const v = Number(globalThis.localStorage?.getItem(THREADS_KEY) ?? 0);
  return Number.isInteger(v) && v >= 0 && v <= 64 ? v : 0;
}

/** Remembers the CPU threads setting for the next sessions (0 = automatic). */
export function saveThreads(n: number): void {
  try {
    globalThis.localStorage?.setItem(THREADS_KEY, String(n));
  } catch {
    // Storage full or disabled: the setting lasts for this session only.
  }
}

export class TrainingSession {
  settings = $state<RunSettings>({ epochs: 60, batchSize: 16, seed: 1, backend: 'auto' });
  /** CPU threads for the matrix products: 0 = automatic (a machine setting: kept in this browser/app, not in projects). */
  threads = $state(readThreads());
  /** Where the trainer runs ('web-worker', 'utility-process', …), from the handshake. */
  runtime = $state<string | null>(null);
  runs = $state.raw<RunRecord[]>([]);
  currentId = $state<string | null>(null);
  backends = $state.raw<BackendInfo[] | null>(null);
  handshakeError = $state<string | null>(null);
  /** Bumped (throttled) whenever any run changed; views read it to redraw. */
  tick = $state(0);
  /** Elapsed running time of the current run and its ETA (ms), refreshed with `tick`. */
  elapsedMs = $state(0);
  remainingMs = $state<number | null>(null);
  error = $state<string | null>(null);

  #clock = new RunClock();
  #unsubscribe: Unsubscribe | null = null;
  #throttle = new Throttle(() => this.#refresh(), 100);
  #timer: ReturnType<typeof setInterval> | null = null;
  #counter = 0;

  constructor(private readonly host: NetloomHost) {}

  get current(): RunRecord | null {
    return this.runs.find((r) => r.id === this.currentId) ?? null;
  }

  get active(): boolean {
    const c = this.current;
    return c !== null && !isTerminal(c.status);
  }

  async handshake(): Promise<void> {
    try {
      const info = await this.host.trainerInfo();
      this.backends = info.backends;
      this.runtime = info.runtime;
      this.handshakeError = null;
    } catch (err) {
      this.handshakeError = errorText(err);
    }
  }

  async start(input: StartInput): Promise<void> {
    askNotifyPermission();
    if (this.active) return;
    this.error = null;
    this.#unsubscribe ??= this.host.onRunEvent((e) => this.#onEvent(e));
    const id = `run-${++this.#counter}`;
    const rec = newRunRecord(id, `Run ${this.#counter}`, this.settings, input.data?.name ?? null);
    this.runs = [...this.runs, rec];
    this.currentId = id;
    this.#clock.start(performance.now());
    this.#startTimer();
    const s = this.settings;
    const base = (input.project && typeof input.project === 'object' ? input.project : {}) as Record<
      string,
      unknown
    >;
    const training = {
      ...((base.training as object) ?? {}),
      epochs: s.epochs,
      batchSize: s.batchSize,
      seed: s.seed,
      backend: s.backend,
    };
    const dataset =
      base.dataset && typeof base.dataset === 'object' && input.importSettings
        ? { ...(base.dataset as object), importSettings: input.importSettings }
        : base.dataset;
    const project = { ...base, training, ...(dataset !== undefined ? { dataset } : {}) };
    const data = input.data ?? { name: 'empty.csv', bytes: new TextEncoder().encode('x,y\n0,0\n1,1\n') };
    this.#early = [];
    const batches = Math.max(1, Math.ceil((Math.max(1, countLines(data.bytes) - 1) * 0.8) / s.batchSize));
    try {
      const { runId } = await this.host.startRun({
        project,
        data: { kind: 'bytes', name: data.name, bytes: data.bytes },
        options: {
          backend: s.backend,
          epochs: s.epochs,
          seed: s.seed,
          ...(this.threads > 0 ? { threads: this.threads } : {}),
          ...(input.demo
            ? { demo: { epochs: s.epochs, batchesPerEpoch: Math.min(batches, 50), batchDelayMs: 4 } }
            : {}),
        },
      });
      rec.runId = runId;
      for (const e of this.#early.splice(0)) applyEvent(rec, e);
    } catch (err) {
      rec.status = 'failed';
      rec.message = `Could not start the run: ${errorText(err)}`;
      rec.version++;
    }
    this.#changed(rec);
  }

  /** Events that arrived before startRun resolved (the trainer may be faster than the reply). */
  #early: RunEvent[] = [];

  #onEvent(e: RunEvent): void {
    const cur = this.current;
    if (!cur) return;
    if (cur.runId === null) {
      if (cur.status === 'starting') this.#early.push(e);
      return;
    }
    const was = cur.status;
    if (!applyEvent(cur, e)) return;
    // A run that ends while the window is unfocused notifies the user (./notify), once.
    if (!isTerminal(was) && isTerminal(cur.status)) notifyRunEnd(cur, browserNotifyEnv);
    this.#changed(cur);
  }

  #changed(r: RunRecord): void {
    const now = performance.now();
    if (r.status === 'paused') this.#clock.pause(now);
    else if (r.status === 'running') this.#clock.resume(now);
    else if (isTerminal(r.status)) {
      this.#clock.end(now);
      this.#stopTimer();
    }
    this.#throttle.request();
  }

  #refresh(): void {
    const c = this.current;
    this.elapsedMs = this.#clock.elapsed(performance.now());
    this.remainingMs =
      c && !isTerminal(c.status) ? estimateRemaining(this.elapsedMs, c.fraction) : c ? 0 : null;
    this.tick++;
  }

  // The clock display advances once a second even when no event arrives (e.g. a slow epoch).
  #startTimer(): void {
    this.#stopTimer();
    this.#timer = setInterval(() => this.#throttle.request(), 1000);
  }

  #stopTimer(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  async control(kind: 'pause' | 'resume' | 'stop' | 'step'): Promise<void> {
    const c = this.current;
    if (!c?.runId || isTerminal(c.status)) return;
    try {
      if (kind === 'pause') await this.host.pauseRun(c.runId);
      else if (kind === 'resume') await this.host.resumeRun(c.runId);
      else if (kind === 'step') await this.host.stepRun(c.runId);
      else await this.host.stopRun(c.runId);
    } catch (err) {
      this.error = `Could not ${kind} the run: ${errorText(err)}`;
    }
  }

  /**
   * Show an opened project's own runs and training settings: the history belongs to the project,
   * not to the window. A run still in progress stays listed (it can be stopped) but its outcome is
   * the caller's to keep or drop (AppState records outcomes only into the project that started it).
   */
  adoptProject(saved: readonly Run[], training: Partial<TrainingSettings> | null): void {
    const live = this.runs.filter((r) => !isTerminal(r.status));
    const records = saved.map((run, i) => recordFromSavedRun(run, `saved-${i + 1}`, `Run ${i + 1}`));
    this.#counter = Math.max(this.#counter, records.length);
    this.runs = [...records, ...live];
    this.currentId = live.at(-1)?.id ?? records.at(-1)?.id ?? null;
    if (live.length === 0) {
      this.elapsedMs = 0;
      this.remainingMs = null;
    }
    if (training) {
      const t = training;
      this.settings = {
        epochs: t.epochs ?? this.settings.epochs,
        batchSize: t.batchSize ?? this.settings.batchSize,
        seed: t.seed ?? this.settings.seed,
        backend: t.backend ?? this.settings.backend,
      };
    }
    this.tick++;
  }

  /** Remove a finished run from the history. */
  remove(id: string): void {
    const r = this.runs.find((x) => x.id === id);
    if (!r || !isTerminal(r.status)) return;
    this.runs = this.runs.filter((x) => x.id !== id);
    if (this.currentId === id) this.currentId = this.runs.at(-1)?.id ?? null;
    this.tick++;
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#throttle.cancel();
    this.#stopTimer();
  }
}

function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) n++;
  return bytes.length > 0 && bytes[bytes.length - 1] !== 10 ? n + 1 : n;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

let instance: TrainingSession | null = null;

/** The window's training session (created on first use, so runs survive tab switches). */
export function trainingSession(host: NetloomHost): TrainingSession {
  instance ??= new TrainingSession(host);
  return instance;
}
