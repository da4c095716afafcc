/**
 * Trainer probe: starts the trainer's dummy run through the host and tracks its progress.
 *
 * Proves the plumbing end to end (renderer → host → trainer in a Web Worker or Electron
 * utilityProcess → events back) before real training exists. The run bookkeeping is the
 * framework-free RunTracker (../lib/run-tracker); this class mirrors its progress into
 * reactive state and owns the host subscription.
 */
import type { NetloomHost, StartRunRequest, Unsubscribe } from '../host';
import { isTerminal, IDLE_PROGRESS, type RunProgress } from '../lib/run-progress';
import { RunTracker } from '../lib/run-tracker';

/** Size of the dummy run: 5 epochs × 20 batches, 15 ms apart (about 1.5 s). */
export const PROBE_DEMO = { epochs: 5, batchesPerEpoch: 20, batchDelayMs: 15 } as const;

/** The tiny placeholder project and data sent with the probe run. */
export function probeRequest(): StartRunRequest {
  return {
    project: { format: 'netloom-project', version: 1, name: 'trainer-probe', nodes: [], edges: [] },
    data: { kind: 'bytes', name: 'probe.csv', bytes: new TextEncoder().encode('x,y\n0,0\n1,1\n') },
    options: { backend: 'cpu', demo: { ...PROBE_DEMO } },
  };
}

export class TrainerProbe {
  progress = $state.raw<RunProgress>(IDLE_PROGRESS);
  busy = $derived(
    this.progress.status === 'starting' ||
      this.progress.status === 'running' ||
      this.progress.status === 'paused',
  );

  #tracker = new RunTracker((p) => (this.progress = p));
  #unsubscribe: Unsubscribe | null = null;

  constructor(private readonly host: NetloomHost) {}

  async start(): Promise<void> {
    if (this.busy) return;
    this.#unsubscribe ??= this.host.onRunEvent((event) => this.#tracker.handle(event));
    this.#tracker.begin();
    try {
      const { runId } = await this.host.startRun(probeRequest());
      this.#tracker.accept(runId);
    } catch (err) {
      this.#tracker.fail(`Could not start the trainer: ${errorText(err)}`);
    }
  }

  async stop(): Promise<void> {
    const runId = this.#tracker.runId;
    if (!runId || isTerminal(this.progress.status)) return;
    try {
      await this.host.stopRun(runId);
    } catch (err) {
      this.#tracker.fail(`Could not stop the run: ${errorText(err)}`);
    }
  }

  /** Stop listening to the host (the window is going away). */
  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
