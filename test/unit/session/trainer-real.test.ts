// The trainer state machine driving a real training session in-process (memory port): single steps
// while paused are reported one batch each; continuing a run by id; bad continue ids.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memoryPair } from '../../../engine/session/port';
import { PROTOCOL_VERSION, type TrainerEvent } from '../../../engine/session/protocol';
import { startTrainer } from '../../../engine/session/trainer';
import type { Run } from '../../../engine/project';

const project = JSON.parse(readFileSync('examples/iris.netloom.json', 'utf8')) as Record<string, unknown>;
const irisBytes = new Uint8Array(readFileSync('examples/iris.csv'));

function setup() {
  const { port, host } = memoryPair();
  const events: TrainerEvent[] = [];
  host.onEvent((e) => events.push(e));
  startTrainer(port, { runtime: 'in-process', version: 'test', readFile: async () => irisBytes });
  host.send({ type: 'hello', protocol: PROTOCOL_VERSION, client: 'test' });
  const until = (pred: (e: TrainerEvent) => boolean, ms = 20_000) =>
    new Promise<TrainerEvent>((resolve, reject) => {
      const t0 = Date.now();
      const tick = () => {
        const e = events.find(pred);
        if (e) resolve(e);
        else if (Date.now() - t0 > ms) reject(new Error('timed out'));
        else setTimeout(tick, 2);
      };
      tick();
    });
  return { host, events, until };
}

describe('trainer with real training', () => {
  it('reports each single step taken while paused as one batch', async () => {
    const { host, events, until } = setup();
    host.send({
      type: 'start',
      runId: 's',
      project,
      data: { kind: 'path', path: '/iris.csv' },
      options: { backend: 'cpu', epochs: 100_000 },
    });
    await until((e) => e.type === 'epoch');
    host.send({ type: 'pause', runId: 's' });
    await until((e) => e.type === 'paused');
    const at = events.findIndex((e) => e.type === 'paused');
    host.send({ type: 'step', runId: 's' });
    host.send({ type: 'step', runId: 's' });
    host.send({ type: 'step', runId: 's' });
    await until(
      (e) => events.indexOf(e) > at && events.slice(at).filter((x) => x.type === 'batch').length === 3,
    );
    await new Promise((r) => setTimeout(r, 50));
    const batches = events.slice(at).filter((e) => e.type === 'batch') as Extract<
      TrainerEvent,
      { type: 'batch' }
    >[];
    expect(batches).toHaveLength(3);
    // Consecutive steps: batch numbers follow each other (wrapping at the end of an epoch).
    const idx = batches.map((b) => (b.epoch - 1) * b.batchesPerEpoch + b.batch);
    expect(idx[1] - idx[0]).toBe(1);
    expect(idx[2] - idx[1]).toBe(1);
    host.send({ type: 'stop', runId: 's' });
    const stopped = await until((e) => e.type === 'stopped');
    const run = (stopped as Extract<TrainerEvent, { type: 'stopped' }>).outcome!.run as Run;
    expect(run.checkpoint!.step).toBe(idx[2]);
  });

  it('continues a run of the project by id and refuses an unknown id', async () => {
    const first = setup();
    first.host.send({
      type: 'start',
      runId: 'r1',
      project,
      data: { kind: 'bytes', name: 'iris.csv', bytes: irisBytes },
      options: { backend: 'cpu', epochs: 2 },
    });
    const fin = (await first.until((e) => e.type === 'finished')) as Extract<
      TrainerEvent,
      { type: 'finished' }
    >;
    const run = fin.outcome!.run as Run;
    // The host stores the run; the trainer takes the project as file JSON (weights as base64).
    const { serializeProject, loadProject } = await import('../../../engine/project');
    const { graphProjectHooks } = await import('../../../engine/graph');
    const p = loadProject(JSON.stringify(project), { hooks: graphProjectHooks });
    const withRun = JSON.parse(serializeProject({ ...p, runs: [run] })) as unknown;
    const second = setup();
    second.host.send({
      type: 'start',
      runId: 'r2',
      project: withRun,
      data: { kind: 'bytes', name: 'iris.csv', bytes: irisBytes },
      options: { backend: 'cpu', epochs: 4, continueRunId: 'r1' },
    });
    const fin2 = (await second.until((e) => e.type === 'finished')) as Extract<
      TrainerEvent,
      { type: 'finished' }
    >;
    const epochs = second.events.filter((e) => e.type === 'epoch').map((e) => (e as { epoch: number }).epoch);
    expect(epochs).toEqual([3, 4]);
    expect((fin2.outcome!.run as Run).history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    const third = setup();
    third.host.send({
      type: 'start',
      runId: 'r3',
      project: withRun,
      data: { kind: 'bytes', name: 'iris.csv', bytes: irisBytes },
      options: { backend: 'cpu', continueRunId: 'ghost' },
    });
    expect(await third.until((e) => e.type === 'failed')).toMatchObject({ code: 'bad-project' });
  });
});
