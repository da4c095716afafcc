import { describe, expect, it } from 'vitest';
import {
  PROTOCOL_VERSION,
  TERMINAL_EVENTS,
  commandProblem,
  describeCommand,
  isTrainerCommand,
  isTrainerEvent,
  type TrainerCommand,
  type TrainerEvent,
} from '../../../engine/session/protocol';

const bytes = new Uint8Array([1, 2, 3]);

const validCommands: TrainerCommand[] = [
  { type: 'hello', protocol: PROTOCOL_VERSION, client: 'test' },
  {
    type: 'start',
    runId: 'r1',
    project: {},
    data: { kind: 'path', path: '/x.csv' },
    options: { backend: 'auto' },
  },
  {
    type: 'start',
    runId: 'r1',
    project: null,
    data: { kind: 'bytes', name: 'x.csv', bytes },
    options: { backend: 'cpu', demo: { epochs: 1, batchesPerEpoch: 2, batchDelayMs: 0 } },
  },
  { type: 'pause', runId: 'r1' },
  { type: 'resume', runId: 'r1' },
  { type: 'step', runId: 'r1' },
  { type: 'stop', runId: 'r1' },
  { type: 'shutdown' },
];

const validEvents: TrainerEvent[] = [
  {
    type: 'hello',
    protocol: 1,
    ok: true,
    trainerVersion: '0.1.0',
    runtime: 'node-child',
    backends: [{ kind: 'cpu', label: 'CPU' }],
  },
  { type: 'started', runId: 'r', backend: 'cpu', epochs: 2, batchesPerEpoch: 3 },
  { type: 'batch', runId: 'r', epoch: 1, batch: 1, batchesPerEpoch: 3, loss: 0.5 },
  {
    type: 'epoch',
    runId: 'r',
    epoch: 1,
    epochs: 2,
    train: { loss: 0.5 },
    validation: null,
    learningRate: 0.01,
    wallMs: 3,
  },
  { type: 'paused', runId: 'r' },
  { type: 'resumed', runId: 'r' },
  { type: 'finished', runId: 'r', epochs: 2, metrics: { train: { loss: 0.1 }, validation: { loss: 0.2 } } },
  { type: 'stopped', runId: 'r', epoch: 1 },
  { type: 'failed', runId: 'r', code: 'bad-data', message: 'row 3: not a number' },
  { type: 'protocol-error', message: 'x', command: 'start' },
];

describe('protocol guards', () => {
  it('start options take an integer thread count ≥ 1', () => {
    const start = (threads: unknown) => ({
      type: 'start',
      runId: 'r',
      project: {},
      data: { kind: 'path', path: 'a.csv' },
      options: { backend: 'cpu', threads },
    });
    expect(commandProblem(start(2))).toBeNull();
    for (const bad of [0, 1.5, -1, '2'])
      expect(commandProblem(start(bad))).toMatch(/threads\? \(integer ≥ 1\)/);
  });

  it.each(validCommands.map((c) => [c.type, c] as const))('accepts a valid %s command', (_t, c) => {
    expect(commandProblem(c)).toBeNull();
    expect(isTrainerCommand(structuredClone(c))).toBe(true);
  });

  it.each([
    [null, 'must be an object'],
    [[], "needs a string 'type'"],
    [{ type: 7 }, "needs a string 'type'"],
    [{ type: 'launch' }, "unknown command type 'launch'"],
    [{ type: 'hello', protocol: '1', client: 'x' }, "'hello' needs protocol"],
    [
      {
        type: 'start',
        runId: '',
        project: {},
        data: { kind: 'path', path: '/a' },
        options: { backend: 'cpu' },
      },
      'non-empty runId',
    ],
    [
      { type: 'start', runId: 'r', data: { kind: 'path', path: '/a' }, options: { backend: 'cpu' } },
      'needs a project',
    ],
    [
      {
        type: 'start',
        runId: 'r',
        project: {},
        data: { kind: 'path', path: '' },
        options: { backend: 'cpu' },
      },
      'needs data',
    ],
    [
      {
        type: 'start',
        runId: 'r',
        project: {},
        data: { kind: 'bytes', name: 'a', bytes: [1, 2] },
        options: { backend: 'cpu' },
      },
      'needs data',
    ],
    [
      {
        type: 'start',
        runId: 'r',
        project: {},
        data: { kind: 'path', path: '/a' },
        options: { backend: 'tpu' },
      },
      'needs options',
    ],
    [
      {
        type: 'start',
        runId: 'r',
        project: {},
        data: { kind: 'path', path: '/a' },
        options: { backend: 'cpu', demo: { epochs: -1, batchesPerEpoch: 1, batchDelayMs: 0 } },
      },
      'needs options',
    ],
    [{ type: 'stop' }, "'stop' needs a runId"],
  ])('rejects %j with a message naming the problem', (msg, fragment) => {
    const problem = commandProblem(msg);
    expect(problem).not.toBeNull();
    expect(problem).toContain(fragment);
    expect(isTrainerCommand(msg)).toBe(false);
  });

  it.each(validEvents.map((e) => [e.type, e] as const))('accepts a valid %s event', (_t, e) => {
    expect(isTrainerEvent(structuredClone(e))).toBe(true);
  });

  it('rejects events with missing or wrongly typed fields', () => {
    for (const e of validEvents) {
      for (const key of Object.keys(e)) {
        if (key === 'type' || key === 'error' || key === 'command') continue;
        const broken = { ...e, [key]: undefined };
        expect(isTrainerEvent(broken), `${e.type} without ${key}`).toBe(false);
      }
    }
    expect(
      isTrainerEvent({ type: 'batch', runId: 'r', epoch: 1, batch: 1, batchesPerEpoch: 3, loss: NaN }),
    ).toBe(false);
    expect(isTrainerEvent({ type: 'failed', runId: 'r', code: 'oops', message: 'x' })).toBe(false);
    expect(isTrainerEvent({ type: 'crashed', runId: 'r', exit: '9', message: 'x' })).toBe(false); // host-only
    expect(isTrainerEvent('hello')).toBe(false);
  });

  it('lists exactly the run-ending events as terminal', () => {
    expect([...TERMINAL_EVENTS].sort()).toEqual(['crashed', 'failed', 'finished', 'stopped']);
  });

  it('describes commands without dumping data bytes', () => {
    const start = validCommands[2];
    expect(describeCommand(start)).toBe('start run=r1 data=x.csv (3 bytes)');
    expect(describeCommand({ type: 'stop', runId: 'q' })).toBe('stop run=q');
  });
});
