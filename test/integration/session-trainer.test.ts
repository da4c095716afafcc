/**
 * Real training in the BUILT trainer (out/trainer/trainer.mjs) forked as a Node child process:
 * Iris from its example project file, epoch events with per-layer statistics, pause/resume/stop with
 * the kept weights in the outcome, and kill -9 mid-run reported as a crash after which a new run works.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EpochEvent, RunEvent, RunOutcome } from '../../engine/session/protocol';
import { TrainerSupervisor } from '../../engine/session/supervisor';
import type { Run } from '../../engine/project';
import { forkTrainer } from '../../src-main/trainer/node-spawn';

/** The run id of an event, when it has one (the protocol-error event has none). */
const idOf = (e: RunEvent): string | undefined => ('runId' in e ? e.runId : undefined);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const entry = path.join(root, 'out/trainer/trainer.mjs');
const irisProject = JSON.parse(
  readFileSync(path.join(root, 'examples/iris.netloom.json'), 'utf8'),
) as unknown;
const irisCsv = path.join(root, 'examples/iris.csv');

beforeAll(() => {
  if (!existsSync(entry)) execFileSync(process.execPath, [path.join(root, 'scripts/build-trainer.mjs')]);
});

class Log {
  readonly events: RunEvent[] = [];
  private waiters: { pred: (e: RunEvent) => boolean; resolve: (e: RunEvent) => void }[] = [];
  push = (e: RunEvent) => {
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => (w.pred(e) ? (w.resolve(e), false) : true));
  };
  next(pred: (e: RunEvent) => boolean, what: string, timeoutMs = 30_000): Promise<RunEvent> {
    const found = this.events.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (e) => (clearTimeout(t), resolve(e)) });
    });
  }
  of(runId: string): RunEvent[] {
    return this.events.filter((e) => idOf(e) === runId);
  }
}

function supervisor(log: Log, pids: number[]) {
  return new TrainerSupervisor({
    spawn: () => {
      const h = forkTrainer(entry, { env: { NETLOOM_TRAINER_WEBGPU: '0' } });
      if (h.pid !== undefined) pids.push(h.pid);
      return h;
    },
    emit: log.push,
    client: 'session-integration-test',
    graceMs: 2000,
  });
}

describe('real training in a forked trainer', () => {
  it('trains Iris from its project file to the end, with epoch statistics and the run outcome', async () => {
    const log = new Log();
    const sup = supervisor(log, []);
    const { runId } = await sup.start(
      irisProject,
      { kind: 'path', path: irisCsv },
      { backend: 'cpu', epochs: 40 },
    );
    const fin = await log.next((e) => idOf(e) === runId && e.type === 'finished', 'finished');
    const events = log.of(runId);
    expect(events[0]).toMatchObject({ type: 'started', backend: 'cpu', epochs: 40, batchesPerEpoch: 8 });
    const epochs = events.filter((e): e is EpochEvent => e.type === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const last = epochs.at(-1)!;
    expect(last.validation!.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(last.train.loss).toBeLessThan(epochs[0].train.loss);
    expect(last.layers!.map((l) => l.name)).toEqual([
      'hidden.weight',
      'hidden.bias',
      'out.weight',
      'out.bias',
    ]);
    const w = last.layers![0];
    expect(w.histogram.counts.reduce((a, b) => a + b, 0)).toBe(4 * 16);
    expect(w.weightNorm).toBeGreaterThan(0);
    expect(last.gradientNorm!.global).toBeGreaterThan(0);
    // Batch events are throttled but every epoch's last batch is reported.
    const batches = events.filter((e) => e.type === 'batch');
    expect(batches.length).toBeGreaterThanOrEqual(40);
    if (fin.type !== 'finished') throw new Error('unreachable');
    expect(fin.metrics.validation!.accuracy).toBe(last.validation!.accuracy);
    const outcome = fin.outcome as RunOutcome;
    const run = outcome.run as Run;
    expect(run.status).toBe('completed');
    expect(run.history).toHaveLength(40);
    expect(run.checkpoint!.epoch).toBe(40);
    expect(run.checkpoint!.weights[0].data).toBeInstanceOf(Float32Array);
    expect((outcome.preprocessing as { classes: string[] }).classes).toEqual([
      'setosa',
      'versicolor',
      'virginica',
    ]);
  });

  it('pauses (no batch while paused), resumes and stops, keeping the last weights', async () => {
    const log = new Log();
    const sup = supervisor(log, []);
    const { runId } = await sup.start(
      irisProject,
      { kind: 'path', path: irisCsv },
      { backend: 'cpu', epochs: 100_000 },
    );
    await log.next((e) => idOf(e) === runId && e.type === 'epoch' && e.epoch >= 2, 'epoch 2');
    sup.control(runId, 'pause');
    await log.next((e) => idOf(e) === runId && e.type === 'paused', 'paused');
    const pausedAt = log.events.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(log.events.slice(pausedAt).filter((e) => e.type === 'batch')).toEqual([]);
    sup.control(runId, 'resume');
    await log.next((e) => idOf(e) === runId && e.type === 'resumed', 'resumed');
    const resumedAt = log.events.length;
    await log.next((e) => log.events.indexOf(e) >= resumedAt && e.type === 'epoch', 'an epoch after resume');
    sup.control(runId, 'stop');
    const stopped = await log.next((e) => idOf(e) === runId && e.type === 'stopped', 'stopped');
    if (stopped.type !== 'stopped') throw new Error('unreachable');
    expect(stopped.kept).toBe('last');
    const run = stopped.outcome!.run as Run;
    expect(run.status).toBe('stopped');
    expect(run.checkpoint!.epoch).toBe(stopped.epoch);
    expect(run.history.length).toBe(stopped.epoch);
    expect(log.of(runId).filter((e) => ['finished', 'failed', 'crashed'].includes(e.type))).toEqual([]);
  });

  it('reports kill -9 mid-run as a crash, and a new run trains afterwards', async () => {
    const log = new Log();
    const pids: number[] = [];
    const sup = supervisor(log, pids);
    const first = await sup.start(
      irisProject,
      { kind: 'path', path: irisCsv },
      { backend: 'cpu', epochs: 100_000 },
    );
    await log.next((e) => idOf(e) === first.runId && e.type === 'epoch', 'an epoch');
    process.kill(pids[0], 'SIGKILL');
    const crashed = await log.next((e) => idOf(e) === first.runId && e.type === 'crashed', 'crashed');
    expect(crashed).toMatchObject({ exit: 'SIGKILL' });
    expect(sup.activeRunIds()).toEqual([]);
    const second = await sup.start(
      irisProject,
      { kind: 'path', path: irisCsv },
      { backend: 'cpu', epochs: 3 },
    );
    await log.next((e) => idOf(e) === second.runId && e.type === 'finished', 'second run finished');
    for (const id of [first.runId, second.runId])
      expect(
        log.of(id).filter((e) => ['finished', 'stopped', 'failed', 'crashed'].includes(e.type)),
      ).toHaveLength(1);
  });

  it('fails a bad project with a clear code and message', async () => {
    const log = new Log();
    const sup = supervisor(log, []);
    const { runId } = await sup.start(
      { format: 'not-netloom' },
      { kind: 'path', path: irisCsv },
      { backend: 'cpu' },
    );
    const failed = await log.next((e) => idOf(e) === runId && e.type === 'failed', 'failed');
    expect(failed).toMatchObject({ code: 'bad-project' });
  });
});
