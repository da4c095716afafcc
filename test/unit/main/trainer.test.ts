import { describe, expect, it } from 'vitest';
import { memoryPair, type HostEnd } from '../../../engine/session/port';
import { PROTOCOL_VERSION, type TrainerEvent } from '../../../engine/session/protocol';
import { startTrainer, type GpuLike, type TrainerEnv } from '../../../engine/session/trainer';

/** A trainer in this thread, with no real delays. */
function setup(env: Partial<TrainerEnv> = {}) {
  const { port, host } = memoryPair();
  const trainer = startTrainer(port, {
    runtime: 'in-process',
    version: '9.9.9',
    sleep: () => Promise.resolve(),
    ...env,
  });
  const events: TrainerEvent[] = [];
  host.onEvent((e) => events.push(e));
  return { host, trainer, events };
}

async function until(events: TrainerEvent[], pred: (e: TrainerEvent) => boolean): Promise<TrainerEvent> {
  for (let i = 0; i < 10_000; i++) {
    const e = events.find(pred);
    if (e) return e;
    await new Promise((r) => setTimeout(r, 0));
  }
  throw new Error('event never arrived');
}

async function hello(host: HostEnd, events: TrainerEvent[]) {
  host.send({ type: 'hello', protocol: PROTOCOL_VERSION, client: 'unit' });
  return until(events, (e) => e.type === 'hello');
}

const data = { kind: 'bytes' as const, name: 'd.csv', bytes: new Uint8Array(10) };

describe('trainer handshake', () => {
  it('offers only the CPU without a GPU', async () => {
    const { host, events } = setup();
    const h = await hello(host, events);
    expect(h).toMatchObject({
      ok: true,
      protocol: PROTOCOL_VERSION,
      trainerVersion: '9.9.9',
      runtime: 'in-process',
    });
    expect(h.type === 'hello' && h.backends.map((b) => b.kind)).toEqual(['cpu']);
  });

  it('offers WebGPU when an injected GPU gives an adapter, naming it', async () => {
    const gpu: GpuLike = {
      requestAdapter: async () => ({ info: { vendor: 'acme', architecture: 'rdna9' } }),
    };
    const { host, events } = setup({ gpu });
    const h = await hello(host, events);
    expect(h.type === 'hello' && h.backends).toEqual([
      { kind: 'cpu', label: 'CPU (in-process)' },
      { kind: 'webgpu', label: 'WebGPU (acme rdna9)' },
    ]);
  });

  it.each([
    ['gives no adapter', { requestAdapter: async () => null }],
    ['throws', { requestAdapter: () => Promise.reject(new Error('driver')) }],
  ])('falls back to CPU when the GPU %s', async (_what, gpu) => {
    const { host, events } = setup({ gpu: gpu as GpuLike });
    const h = await hello(host, events);
    expect(h.type === 'hello' && h.backends.map((b) => b.kind)).toEqual(['cpu']);
  });

  it('loads a lazily provided GPU, and survives a loader that throws', async () => {
    const a = setup({ gpu: async () => ({ requestAdapter: async () => ({}) }) });
    const ha = await hello(a.host, a.events);
    expect(ha.type === 'hello' && ha.backends.map((b) => b.label)).toEqual([
      'CPU (in-process)',
      'WebGPU (adapter)',
    ]);
    const b = setup({ gpu: () => Promise.reject(new Error('no native module')) });
    const hb = await hello(b.host, b.events);
    expect(hb.type === 'hello' && hb.backends.map((x) => x.kind)).toEqual(['cpu']);
  });

  it('answers garbage with protocol-error and keeps working', async () => {
    const { host, events } = setup();
    (host.send as (m: unknown) => void)({ type: 'fly' });
    const pe = await until(events, (e) => e.type === 'protocol-error');
    expect(pe).toMatchObject({ command: 'fly' });
    expect((await hello(host, events)).type).toBe('hello');
  });
});

describe('trainer runs', () => {
  it('accepts a start sent right after hello and runs to the end', async () => {
    const { host, events, trainer } = setup();
    host.send({ type: 'hello', protocol: PROTOCOL_VERSION, client: 'unit' });
    host.send({
      type: 'start',
      runId: 'a',
      project: {},
      data,
      options: { backend: 'auto', demo: { epochs: 2, batchesPerEpoch: 2, batchDelayMs: 0 } },
    });
    await until(events, (e) => e.type === 'finished');
    await trainer.idle();
    expect(events.map((e) => e.type)).toEqual([
      'hello',
      'started',
      'batch',
      'batch',
      'epoch',
      'batch',
      'batch',
      'epoch',
      'finished',
    ]);
  });

  it('refuses a second run in the same trainer', async () => {
    const { host, events } = setup({ sleep: () => new Promise((r) => setTimeout(r, 1)) });
    await hello(host, events);
    const start = (runId: string) =>
      host.send({
        type: 'start',
        runId,
        project: {},
        data,
        options: { backend: 'cpu', demo: { epochs: 50, batchesPerEpoch: 5, batchDelayMs: 1 } },
      });
    start('a');
    await until(events, (e) => e.type === 'started');
    start('b');
    const pe = await until(events, (e) => e.type === 'protocol-error');
    expect(pe).toMatchObject({ command: 'start' });
    expect((pe as { message: string }).message).toContain("'a'");
    host.send({ type: 'stop', runId: 'a' });
    await until(events, (e) => e.type === 'stopped');
  });

  it.each([
    ['a non-object project', { project: 'nope', data }, 'bad-project'],
    [
      'a path source without file access',
      { project: {}, data: { kind: 'path' as const, path: '/d.csv' } },
      'bad-data',
    ],
  ])('fails with a clear code on %s', async (_what, cmd, code) => {
    const { host, events } = setup();
    await hello(host, events);
    host.send({ type: 'start', runId: 'x', ...cmd, options: { backend: 'cpu' } });
    expect(await until(events, (e) => e.type === 'failed')).toMatchObject({ runId: 'x', code });
  });

  it('fails when WebGPU is demanded but absent', async () => {
    const { host, events } = setup();
    await hello(host, events);
    host.send({ type: 'start', runId: 'g', project: {}, data, options: { backend: 'webgpu' } });
    expect(await until(events, (e) => e.type === 'failed')).toMatchObject({ code: 'backend' });
  });

  it('reads path sources through the injected reader', async () => {
    const read: string[] = [];
    const { host, events } = setup({ readFile: async (p) => (read.push(p), new Uint8Array(3)) });
    await hello(host, events);
    host.send({
      type: 'start',
      runId: 'p',
      project: {},
      data: { kind: 'path', path: '/data/iris.csv' },
      options: { backend: 'cpu', demo: { epochs: 1, batchesPerEpoch: 1, batchDelayMs: 0 } },
    });
    await until(events, (e) => e.type === 'finished');
    expect(read).toEqual(['/data/iris.csv']);
  });

  it('rejects control commands for unknown runs and step while running', async () => {
    const { host, events } = setup({ sleep: () => new Promise((r) => setTimeout(r, 1)) });
    await hello(host, events);
    host.send({ type: 'pause', runId: 'ghost' });
    expect(await until(events, (e) => e.type === 'protocol-error')).toMatchObject({ command: 'pause' });
    host.send({
      type: 'start',
      runId: 'r',
      project: {},
      data,
      options: { backend: 'cpu', demo: { epochs: 100, batchesPerEpoch: 5, batchDelayMs: 1 } },
    });
    await until(events, (e) => e.type === 'batch');
    host.send({ type: 'step', runId: 'r' });
    await until(events, (e) => e.type === 'protocol-error' && e.command === 'step');
    host.send({ type: 'stop', runId: 'r' });
    await until(events, (e) => e.type === 'stopped');
  });

  it('closes its port on shutdown', async () => {
    const { host, events } = setup();
    await hello(host, events);
    host.send({ type: 'shutdown' });
    await until(events, () => host.closed);
    expect(host.closed).toBe(true);
  });

  it('ends a running run on shutdown (in-thread ports have no process exit to stop it)', async () => {
    const { host, events, trainer } = setup({ sleep: () => new Promise((r) => setTimeout(r, 1)) });
    await hello(host, events);
    host.send({
      type: 'start',
      runId: 's',
      project: {},
      data,
      options: { backend: 'cpu', demo: { epochs: 100_000, batchesPerEpoch: 5, batchDelayMs: 1 } },
    });
    await until(events, (e) => e.type === 'batch');
    host.send({ type: 'shutdown' });
    await until(events, () => host.closed);
    await trainer.idle(); // resolves only once the run loop has returned
    expect(host.closed).toBe(true);
  });
});
