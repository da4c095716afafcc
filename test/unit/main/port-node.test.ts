import { describe, expect, it } from 'vitest';
import { nodeTrainerPort } from '../../../engine/session/port.node';

const hello = { type: 'protocol-error' as const, message: 'x' };

describe('nodeTrainerPort', () => {
  it('uses process.parentPort in an Electron utilityProcess', () => {
    const posted: unknown[] = [];
    let listener: ((e: { data: unknown }) => void) | null = null;
    const proc = {
      parentPort: {
        postMessage: (m: unknown) => posted.push(m),
        on: (_: string, l: typeof listener) => (listener = l),
      },
    } as unknown as NodeJS.Process;
    const { port, runtime } = nodeTrainerPort(proc);
    expect(runtime).toBe('utility-process');
    port.send(hello);
    const got: unknown[] = [];
    port.onCommand((m) => got.push(m));
    listener!({ data: { type: 'shutdown' } });
    expect(posted).toEqual([hello]);
    expect(got).toEqual([{ type: 'shutdown' }]);
  });

  it('uses process.send in a forked child and exits only after pending sends flushed', () => {
    const callbacks: (() => void)[] = [];
    const exits: number[] = [];
    const proc = {
      connected: true,
      send: (_m: unknown, _h: unknown, _o: unknown, cb: () => void) => (callbacks.push(cb), true),
      on: () => undefined,
      exit: (code: number) => exits.push(code),
    } as unknown as NodeJS.Process;
    const { port, runtime } = nodeTrainerPort(proc);
    expect(runtime).toBe('node-child');
    port.send(hello);
    port.send(hello);
    port.close();
    expect(exits).toEqual([]);
    callbacks[0]();
    expect(exits).toEqual([]);
    callbacks[1]();
    expect(exits).toEqual([0]);
  });

  it('explains how to start the trainer when there is no parent channel', () => {
    expect(() => nodeTrainerPort({} as NodeJS.Process)).toThrow('must be started by a host');
  });
});
