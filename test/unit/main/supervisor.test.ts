import { describe, expect, it } from 'vitest';
import { memoryPair } from '../../../engine/session/port';
import type { RunEvent, TrainerCommand } from '../../../engine/session/protocol';
import { TrainerSupervisor, type TrainerHandle } from '../../../engine/session/supervisor';
import { startTrainer } from '../../../engine/session/trainer';

/** Manual timers so that grace periods and timeouts run on demand. */
function manualTimers() {
  const timers = new Map<number, () => void>();
  let next = 0;
  return {
    setTimer: (fn: () => void) => (timers.set(++next, fn), next),
    clearTimer: (t: unknown) => void timers.delete(t as number),
    fireAll: () => [...timers.entries()].forEach(([id, fn]) => (timers.delete(id), fn())),
    pending: () => timers.size,
  };
}

/** A trainer running in this thread behind a TrainerHandle, with a kill switch. */
function inProcessTrainer(opts: { wrapMessage?: (m: unknown) => unknown; mute?: boolean } = {}) {
  const { port, host } = memoryPair();
  startTrainer(port, {
    runtime: 'in-process',
    version: 't',
    sleep: () => new Promise((r) => setTimeout(r, 1)),
  });
  const exitHandlers: ((e: string) => void)[] = [];
  let dead = false;
  const posted: TrainerCommand[] = [];
  const handle: TrainerHandle = {
    post: (c) => {
      posted.push(c);
      if (!dead && !(opts.mute && c.type === 'stop')) host.send(c);
    },
    kill: () => {
      if (dead) return;
      dead = true;
      exitHandlers.forEach((h) => h('SIGKILL'));
    },
    onMessage: (h) => host.onEvent((e) => !dead && h(opts.wrapMessage ? opts.wrapMessage(e) : e)),
    onExit: (h) => exitHandlers.push(h),
  };
  return {
    handle,
    posted,
    crash: () => ((dead = true), exitHandlers.forEach((h) => h('3'))),
    /** Ends the in-thread trainer's loop after a simulated death. */
    cleanup: (runId: string) => host.send({ type: 'stop', runId }),
  };
}

async function until<T>(list: T[], pred: (e: T) => boolean): Promise<T> {
  for (let i = 0; i < 10_000; i++) {
    const e = list.find(pred);
    if (e) return e;
    await new Promise((r) => setTimeout(r, 0));
  }
  throw new Error('never arrived');
}

const data = { kind: 'bytes' as const, name: 'd', bytes: new Uint8Array(1) };
const long = { backend: 'cpu' as const, demo: { epochs: 1000, batchesPerEpoch: 3, batchDelayMs: 1 } };

describe('TrainerSupervisor', () => {
  it('reports handshake data through info() and shuts that trainer down', async () => {
    const t = inProcessTrainer();
    const timers = manualTimers();
    const sup = new TrainerSupervisor({
      spawn: () => t.handle,
      emit: () => undefined,
      client: 'u',
      ...timers,
    });
    const info = await sup.info();
    expect(info).toMatchObject({ protocol: 1, trainerVersion: 't', runtime: 'in-process' });
    expect(t.posted.map((c) => c.type)).toEqual(['hello', 'shutdown']);
  });

  it('turns an unexpected exit into exactly one crashed event', async () => {
    const t = inProcessTrainer();
    const events: RunEvent[] = [];
    const sup = new TrainerSupervisor({ spawn: () => t.handle, emit: (e) => events.push(e), client: 'u' });
    const { runId } = await sup.start({}, data, long);
    await until(events, (e) => e.type === 'batch');
    t.crash();
    t.crash();
    expect(events.filter((e) => e.type === 'crashed')).toEqual([
      expect.objectContaining({ runId, exit: '3', message: expect.stringContaining('unexpectedly') }),
    ]);
    expect(() => sup.control(runId, 'pause')).toThrow(`no active run '${runId}'`);
    t.cleanup(runId);
  });

  it('kills a trainer that ignores stop after the grace period and reports the run as stopped', async () => {
    const t = inProcessTrainer({ mute: true });
    const events: RunEvent[] = [];
    const timers = manualTimers();
    const sup = new TrainerSupervisor({
      spawn: () => t.handle,
      emit: (e) => events.push(e),
      client: 'u',
      ...timers,
    });
    const { runId } = await sup.start({}, data, long);
    await until(events, (e) => e.type === 'epoch');
    sup.control(runId, 'stop');
    expect(events.some((e) => e.type === 'stopped')).toBe(false);
    timers.fireAll();
    const stopped = events.filter((e) => e.type === 'stopped');
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatchObject({ runId });
    expect((stopped[0] as { epoch: number }).epoch).toBeGreaterThanOrEqual(1);
    expect(events.some((e) => e.type === 'crashed')).toBe(false);
    t.cleanup(runId);
  });

  it('drops malformed trainer messages with a warning', async () => {
    let n = 0;
    const t = inProcessTrainer({
      wrapMessage: (m) =>
        (m as { type: string }).type === 'batch' && ++n === 2 ? { type: 'batch', loss: 'x' } : m,
    });
    const events: RunEvent[] = [];
    const warnings: string[] = [];
    const sup = new TrainerSupervisor({
      spawn: () => t.handle,
      emit: (e) => events.push(e),
      client: 'u',
      onWarning: (w) => warnings.push(w),
    });
    const { runId } = await sup.start({}, data, {
      backend: 'cpu',
      demo: { epochs: 1, batchesPerEpoch: 3, batchDelayMs: 0 },
    });
    await until(events, (e) => e.type === 'finished');
    expect(events.filter((e) => e.type === 'batch')).toHaveLength(2);
    expect(warnings).toEqual([`run ${runId}: dropped a malformed trainer message`]);
  });

  it('rejects start when the handshake times out, and kills that trainer', async () => {
    let killed = false;
    const silent: TrainerHandle = {
      post: () => undefined,
      kill: () => (killed = true),
      onMessage: () => undefined,
      onExit: () => undefined,
    };
    const timers = manualTimers();
    const sup = new TrainerSupervisor({
      spawn: () => silent,
      emit: () => undefined,
      client: 'u',
      handshakeTimeoutMs: 1234,
      ...timers,
    });
    const p = sup.start({}, data, long);
    timers.fireAll();
    await expect(p).rejects.toThrow('did not answer within 1234 ms');
    expect(killed).toBe(true);
  });
});
