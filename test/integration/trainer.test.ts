/**
 * Integration harness: forks the BUILT trainer (out/trainer/trainer.mjs, from
 * `npm run build:trainer`) as a Node child process and drives it through the real protocol —
 * raw messages first, then through the TrainerSupervisor the apps use.
 */

import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_VERSION, type RunEvent, type TrainerEvent } from '../../engine/session/protocol';
import { TrainerSupervisor } from '../../engine/session/supervisor';
import { forkTrainer } from '../../src-main/trainer/node-spawn';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const entry = path.join(root, 'out/trainer/trainer.mjs');
const iris = path.join(root, 'test/fixtures/data/iris.csv');

beforeAll(() => {
  // `npm test` builds first; building here too keeps `npx vitest run test/integration` working.
  if (!existsSync(entry)) execFileSync(process.execPath, [path.join(root, 'scripts/build-trainer.mjs')]);
});

/** Collects events and lets a test wait for the first one matching a predicate. */
class EventLog<E extends { type: string }> {
  readonly events: E[] = [];
  private waiters: { pred: (e: E) => boolean; resolve: (e: E) => void }[] = [];
  push = (e: E) => {
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(e)) return true;
      w.resolve(e);
      return false;
    });
  };
  /** The first event (already received or future) satisfying `pred`. */
  next(pred: (e: E) => boolean, what: string, timeoutMs = 20_000): Promise<E> {
    const found = this.events.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise<E>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (e) => {
          clearTimeout(t);
          resolve(e);
        },
      });
    });
  }
  types(runId: string): string[] {
    return this.events.filter((e) => 'runId' in e && e.runId === runId).map((e) => e.type);
  }
}

function makeSupervisor(log: EventLog<RunEvent>, pids: number[]) {
  return new TrainerSupervisor({
    spawn: () => {
      const h = forkTrainer(entry, { env: { NETLOOM_TRAINER_WEBGPU: '0' } });
      if (h.pid !== undefined) pids.push(h.pid);
      return h;
    },
    emit: log.push,
    client: 'integration-test',
    graceMs: 500,
  });
}

const bytes = (text: string) => new TextEncoder().encode(text);
const runIdOf = (e: RunEvent): string | undefined => ('runId' in e ? e.runId : undefined);

describe('built trainer over child_process.fork', () => {
  it('exists as a build output', () => {
    expect(existsSync(entry)).toBe(true);
  });

  it('answers the handshake, refuses commands before it, and exits on shutdown', async () => {
    // Default env: the Dawn WebGPU probe runs (its driver warnings on stderr are silenced).
    const t = forkTrainer(entry, { inheritStderr: false });
    const log = new EventLog<TrainerEvent>();
    t.onMessage((m) => log.push(m as TrainerEvent));
    const exited = new Promise<string>((r) => t.onExit(r));

    t.post({
      type: 'start',
      runId: 'early',
      project: {},
      data: { kind: 'bytes', name: 'x', bytes: bytes('a') },
      options: { backend: 'cpu' },
    });
    const refused = await log.next((e) => e.type === 'protocol-error', 'protocol-error');
    expect(refused).toMatchObject({ type: 'protocol-error', command: 'start' });

    t.post({ type: 'hello', protocol: PROTOCOL_VERSION, client: 'test' });
    const hello = await log.next((e) => e.type === 'hello', 'hello');
    if (hello.type !== 'hello') throw new Error('unreachable');
    expect(hello.ok).toBe(true);
    expect(hello.protocol).toBe(PROTOCOL_VERSION);
    expect(hello.runtime).toBe('node-child');
    expect(hello.backends.map((b) => b.kind)).toContain('cpu');
    // The WebGPU probe (Dawn) may or may not find an adapter on this machine; either way every
    // listed backend is a known kind and CPU comes first.
    expect(hello.backends[0].kind).toBe('cpu');
    for (const b of hello.backends) expect(['cpu', 'webgpu']).toContain(b.kind);

    t.post({ type: 'shutdown' });
    expect(await exited).toBe('0');
  });

  it('reports a protocol-version mismatch instead of accepting the host', async () => {
    const t = forkTrainer(entry, { env: { NETLOOM_TRAINER_WEBGPU: '0' } });
    const log = new EventLog<TrainerEvent>();
    t.onMessage((m) => log.push(m as TrainerEvent));
    t.post({ type: 'hello', protocol: PROTOCOL_VERSION + 1, client: 'future host' });
    const hello = await log.next((e) => e.type === 'hello', 'hello');
    expect(hello).toMatchObject({ ok: false });
    expect((hello as { error?: string }).error).toContain(String(PROTOCOL_VERSION + 1));
    t.kill();
  });

  it('streams a complete run: started, every batch in order, every epoch, finished; then the trainer exits', async () => {
    const log = new EventLog<RunEvent>();
    const pids: number[] = [];
    const sup = makeSupervisor(log, pids);
    const { runId } = await sup.start(
      { format: 'netloom' },
      { kind: 'bytes', name: 'tiny.csv', bytes: bytes('x,y\n1,2\n') },
      {
        backend: 'auto',
        demo: { epochs: 3, batchesPerEpoch: 4, batchDelayMs: 1 },
      },
    );
    const finished = await log.next((e) => e.type === 'finished' && e.runId === runId, 'finished');
    const events = log.events.filter((e) => runIdOf(e) === runId);
    expect(events[0]).toMatchObject({ type: 'started', backend: 'cpu', epochs: 3, batchesPerEpoch: 4 });
    const batches = events.filter((e) => e.type === 'batch');
    expect(batches.map((b) => (b.type === 'batch' ? `${b.epoch}.${b.batch}` : ''))).toEqual([
      '1.1',
      '1.2',
      '1.3',
      '1.4',
      '2.1',
      '2.2',
      '2.3',
      '2.4',
      '3.1',
      '3.2',
      '3.3',
      '3.4',
    ]);
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs.map((e) => (e.type === 'epoch' ? e.epoch : 0))).toEqual([1, 2, 3]);
    // Each epoch's training loss is the mean of its batch losses.
    for (const e of epochs) {
      if (e.type !== 'epoch') continue;
      const mine = batches
        .filter((b) => b.type === 'batch' && b.epoch === e.epoch)
        .map((b) => (b.type === 'batch' ? b.loss : 0));
      expect(e.train.loss).toBeCloseTo(mine.reduce((a, b) => a + b, 0) / mine.length, 12);
    }
    expect(events.at(-1)).toBe(finished);
    expect(log.types(runId).filter((t) => t === 'crashed')).toEqual([]);
    // The supervisor shut the trainer down after the terminal event.
    await vi.waitFor(() => expect(sup.activeRunIds()).toEqual([]), { timeout: 5000 });
    expect(() => process.kill(pids[0], 0)).toThrow();
  });

  it('reads a path data source in the trainer process, and fails cleanly on a missing file', async () => {
    const log = new EventLog<RunEvent>();
    const sup = makeSupervisor(log, []);
    const ok = await sup.start(
      {},
      { kind: 'path', path: iris },
      { backend: 'cpu', demo: { epochs: 1, batchesPerEpoch: 2, batchDelayMs: 0 } },
    );
    await log.next((e) => e.type === 'finished' && e.runId === ok.runId, 'finished');

    const missing = path.join(root, 'test/fixtures/data/does-not-exist.csv');
    const bad = await sup.start({}, { kind: 'path', path: missing }, { backend: 'cpu' });
    const failed = await log.next((e) => e.type === 'failed' && e.runId === bad.runId, 'failed');
    expect(failed).toMatchObject({ code: 'bad-data' });
    expect((failed as { message: string }).message).toContain('does-not-exist.csv');
  });

  it('pauses (no batch after "paused" but requested steps), steps, resumes and stops', async () => {
    const log = new EventLog<RunEvent>();
    const sup = makeSupervisor(log, []);
    const { runId } = await sup.start(
      {},
      { kind: 'bytes', name: 'd.csv', bytes: bytes('1') },
      {
        backend: 'cpu',
        demo: { epochs: 1000, batchesPerEpoch: 5, batchDelayMs: 2 },
      },
    );
    await log.next((e) => e.type === 'batch' && e.runId === runId, 'first batch');
    sup.control(runId, 'pause');
    await log.next((e) => e.type === 'paused', 'paused');
    sup.control(runId, 'step');
    const pausedAt = log.events.findIndex((e) => e.type === 'paused');
    await log.next((e) => e.type === 'batch' && log.events.indexOf(e) > pausedAt, 'stepped batch');
    sup.control(runId, 'step');
    await vi.waitFor(() =>
      expect(log.events.slice(pausedAt + 1).filter((e) => e.type === 'batch')).toHaveLength(2),
    );
    sup.control(runId, 'resume');
    await log.next((e) => e.type === 'resumed', 'resumed');
    const resumedAt = log.events.findIndex((e) => e.type === 'resumed');
    // Only the two requested steps happened while paused.
    expect(log.events.slice(pausedAt + 1, resumedAt).map((e) => e.type)).toEqual(['batch', 'batch']);
    await log.next((e) => e.type === 'epoch' && log.events.indexOf(e) > resumedAt, 'an epoch after resume');
    sup.control(runId, 'stop');
    const stopped = await log.next((e) => e.type === 'stopped' && e.runId === runId, 'stopped');
    expect((stopped as { epoch: number }).epoch).toBeGreaterThanOrEqual(1);
    expect(log.types(runId).filter((t) => ['finished', 'failed', 'crashed'].includes(t))).toEqual([]);
  });

  it('reports kill -9 mid-run as a crash, and a new trainer can start afterwards', async () => {
    const log = new EventLog<RunEvent>();
    const pids: number[] = [];
    const sup = makeSupervisor(log, pids);
    const first = await sup.start(
      {},
      { kind: 'bytes', name: 'd.csv', bytes: bytes('1') },
      {
        backend: 'cpu',
        demo: { epochs: 1000, batchesPerEpoch: 10, batchDelayMs: 2 },
      },
    );
    await log.next((e) => e.type === 'batch' && e.runId === first.runId, 'a batch');
    process.kill(pids[0], 'SIGKILL');
    const crashed = await log.next((e) => e.type === 'crashed' && e.runId === first.runId, 'crashed');
    expect(crashed).toMatchObject({ type: 'crashed', exit: 'SIGKILL' });
    expect((crashed as { message: string }).message).toMatch(/unexpectedly/);
    expect(sup.activeRunIds()).toEqual([]);

    const second = await sup.start(
      {},
      { kind: 'bytes', name: 'd.csv', bytes: bytes('1') },
      {
        backend: 'cpu',
        demo: { epochs: 2, batchesPerEpoch: 2, batchDelayMs: 0 },
      },
    );
    expect(second.runId).not.toBe(first.runId);
    await log.next((e) => e.type === 'finished' && e.runId === second.runId, 'second run finished');
    // Exactly one terminal event per run.
    for (const id of [first.runId, second.runId]) {
      expect(
        log.types(id).filter((t) => ['finished', 'stopped', 'failed', 'crashed'].includes(t)),
      ).toHaveLength(1);
    }
  });
});
