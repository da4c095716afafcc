/**
 * The host side of the trainer protocol: starts one trainer per run, performs the handshake,
 * forwards checked events, stops runs, and turns an unexpected trainer exit into a `crashed`
 * event. Platform-neutral: the way a trainer is spawned is injected (`SpawnTrainer`), so the
 * same supervisor drives an Electron utilityProcess (main process), a Node child process
 * (CLI, integration tests) and a Web Worker (browser host).
 *
 * Invariants:
 * - every run ends with exactly one terminal event (`finished`, `stopped`, `failed`, `crashed`);
 * - a trainer whose run ended is shut down (then killed after a grace period);
 * - events that fail the protocol guards are dropped and reported through `onWarning`.
 */

import { clearTimer, setTimer } from './platform';
import {
  PROTOCOL_VERSION,
  TERMINAL_EVENTS,
  isTrainerEvent,
  type DataSource,
  type HelloEvent,
  type RunEvent,
  type RunOptions,
  type TrainerCommand,
  type TrainerEvent,
} from './protocol';

/** A started trainer, as seen from the host. */
export interface TrainerHandle {
  post(command: TrainerCommand): void;
  /** Ends the trainer at once (SIGKILL / terminate). Safe to call twice. */
  kill(): void;
  onMessage(handler: (message: unknown) => void): void;
  /** Called once when the trainer is gone; `exit` is an exit code or signal, as text. */
  onExit(handler: (exit: string) => void): void;
}

export type SpawnTrainer = () => TrainerHandle;

export interface SupervisorOptions {
  spawn: SpawnTrainer;
  /** Receives every run event (trainer events of runs, plus `crashed`). */
  emit: (event: RunEvent) => void;
  /** Names this host in the handshake. */
  client: string;
  /** Milliseconds to wait for the handshake answer. */
  handshakeTimeoutMs?: number;
  /** Milliseconds a trainer gets to exit after `shutdown`/`stop` before it is killed. */
  graceMs?: number;
  onWarning?: (message: string) => void;
  /** Creates run ids (default: 'run-<time>-<counter>'). */
  newRunId?: () => string;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

interface ActiveRun {
  id: string;
  trainer: TrainerHandle;
  ended: boolean;
  /** Set once the trainer is known to be gone. */
  exited: boolean;
  /** A kill we asked for does not count as a crash. */
  killedByUs: boolean;
  stopRequested: boolean;
  /** Last completed epoch seen (for a `stopped` event when the trainer had to be killed). */
  lastEpoch: number;
  killTimer: unknown;
}

/** The handshake answer without the `type` tag. */
export type HandshakeInfo = Omit<HelloEvent, 'type' | 'ok' | 'error'>;

export class TrainerSupervisor {
  private readonly runs = new Map<string, ActiveRun>();
  private counter = 0;
  private readonly opts: Required<Omit<SupervisorOptions, 'onWarning' | 'newRunId'>> &
    Pick<SupervisorOptions, 'onWarning' | 'newRunId'>;

  constructor(options: SupervisorOptions) {
    this.opts = {
      handshakeTimeoutMs: 15_000,
      graceMs: 2_000,
      setTimer,
      clearTimer,
      ...options,
    };
  }

  /** Ids of runs whose trainer is still alive. */
  activeRunIds(): string[] {
    return [...this.runs.values()].filter((r) => !r.exited).map((r) => r.id);
  }

  /**
   * Spawns a trainer, shakes hands and shuts it down again: versions and backends.
   * @throws Error when the trainer does not answer, speaks another protocol or dies.
   */
  async info(): Promise<HandshakeInfo> {
    const trainer = this.opts.spawn();
    try {
      const hello = await this.handshake(trainer);
      return {
        protocol: hello.protocol,
        trainerVersion: hello.trainerVersion,
        runtime: hello.runtime,
        backends: hello.backends,
      };
    } finally {
      trainer.post({ type: 'shutdown' });
      this.opts.setTimer(() => trainer.kill(), this.opts.graceMs);
    }
  }

  /**
   * Starts a run in a new trainer. Resolves with the run id once the trainer accepted the
   * handshake and received `start`; progress then arrives through `emit`.
   * @throws Error when the handshake fails (the trainer is killed).
   */
  async start(project: unknown, data: DataSource, options: RunOptions): Promise<{ runId: string }> {
    const id = this.opts.newRunId?.() ?? `run-${Date.now().toString(36)}-${++this.counter}`;
    const trainer = this.opts.spawn();
    const run: ActiveRun = {
      id,
      trainer,
      ended: false,
      exited: false,
      killedByUs: false,
      stopRequested: false,
      lastEpoch: 0,
      killTimer: null,
    };
    this.runs.set(id, run);
    trainer.onExit((exit) => {
      run.exited = true;
      if (run.killTimer !== null) this.opts.clearTimer(run.killTimer);
      if (!run.ended) {
        run.ended = true;
        if (run.killedByUs && run.stopRequested) {
          // The trainer did not stop in time and was killed: for the user the run is stopped.
          this.opts.emit({ type: 'stopped', runId: id, epoch: run.lastEpoch });
        } else
          this.opts.emit({
            type: 'crashed',
            runId: id,
            exit,
            message: run.killedByUs
              ? `the trainer was ended (exit ${exit})`
              : `the trainer process stopped unexpectedly (exit ${exit}); the run is lost — start it again`,
          });
      }
      this.runs.delete(id);
    });
    try {
      await this.handshake(trainer);
    } catch (e) {
      run.ended = true; // the caller gets the error; no crashed event for a run that never started
      this.kill(run);
      throw e;
    }
    trainer.onMessage((m) => this.onRunMessage(run, m));
    trainer.post({ type: 'start', runId: id, project, data, options });
    return { runId: id };
  }

  /**
   * Sends pause/resume/step/stop to a run. A stopped run's trainer is killed if it has not
   * exited `graceMs` after the request.
   * @throws Error when no such run is active.
   */
  control(runId: string, action: 'pause' | 'resume' | 'step' | 'stop'): void {
    const run = this.runs.get(runId);
    if (!run || run.exited) throw new Error(`no active run '${runId}'`);
    if (run.ended) return;
    run.trainer.post({ type: action, runId });
    if (action === 'stop') {
      run.stopRequested = true;
      this.scheduleKill(run);
    }
  }

  /** Kills every trainer (app quit). Runs still going end with `crashed` ("ended"). */
  disposeAll(): void {
    for (const run of this.runs.values()) this.kill(run);
  }

  private onRunMessage(run: ActiveRun, message: unknown): void {
    if (!isTrainerEvent(message)) {
      this.opts.onWarning?.(`run ${run.id}: dropped a malformed trainer message`);
      return;
    }
    const event: TrainerEvent = message;
    if (event.type === 'hello') return;
    if (event.type === 'protocol-error') {
      this.opts.onWarning?.(`run ${run.id}: trainer reported: ${event.message}`);
      return;
    }
    if (event.runId !== run.id || run.ended) return;
    if (event.type === 'epoch') run.lastEpoch = event.epoch;
    if (TERMINAL_EVENTS.has(event.type)) {
      run.ended = true;
      this.opts.emit(event);
      run.trainer.post({ type: 'shutdown' });
      this.scheduleKill(run);
      return;
    }
    this.opts.emit(event);
  }

  private handshake(trainer: TrainerHandle): Promise<HelloEvent> {
    return new Promise<HelloEvent>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        this.opts.clearTimer(timer);
        fn();
      };
      const timer = this.opts.setTimer(
        () =>
          settle(() =>
            reject(new Error(`the trainer did not answer within ${this.opts.handshakeTimeoutMs} ms`)),
          ),
        this.opts.handshakeTimeoutMs,
      );
      trainer.onMessage((m) => {
        if (!isTrainerEvent(m) || m.type !== 'hello') return;
        settle(() =>
          m.ok
            ? resolve(m)
            : reject(new Error(`trainer refused the handshake: ${m.error ?? `protocol ${m.protocol}`}`)),
        );
      });
      trainer.onExit((exit) =>
        settle(() => reject(new Error(`the trainer exited (${exit}) before answering the handshake`))),
      );
      trainer.post({ type: 'hello', protocol: PROTOCOL_VERSION, client: this.opts.client });
    });
  }

  private scheduleKill(run: ActiveRun): void {
    if (run.killTimer !== null || run.exited) return;
    run.killTimer = this.opts.setTimer(() => this.kill(run), this.opts.graceMs);
  }

  private kill(run: ActiveRun): void {
    if (run.exited) return;
    run.killedByUs = true;
    run.trainer.kill();
  }
}
