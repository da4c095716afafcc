import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, type AtomicWriteFs } from '../../../engine/project/atomic-write.node';
import { readProjectFile, saveProjectFile } from '../../../engine/project/file.node';
import { ProjectFileError, serializeProject } from '../../../engine/project';
import { comparable, sampleProject } from './helpers';

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'netloom-project-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

/** The real fs calls, with one step made to fail. */
function failingFs(step: 'open' | 'write' | 'sync' | 'rename'): AtomicWriteFs {
  const boom = (): never => {
    throw Object.assign(new Error(`simulated ${step} failure`), { code: 'EIO' });
  };
  return {
    stat: fsp.stat,
    unlink: fsp.unlink,
    rename: step === 'rename' ? async () => boom() : fsp.rename,
    open: (async (...args: Parameters<typeof fsp.open>) => {
      if (step === 'open') boom();
      const h = await fsp.open(...args);
      if (step === 'write') h.writeFile = async () => boom();
      if (step === 'sync') h.sync = async () => boom();
      return h;
    }) as typeof fsp.open,
  };
}

describe('writeFileAtomic', () => {
  it('creates and replaces a file, leaving no temporary file', async () => {
    const f = path.join(dir, 'p.netloom.json');
    await writeFileAtomic(f, 'one');
    await writeFileAtomic(f, new TextEncoder().encode('two'));
    expect(await fsp.readFile(f, 'utf8')).toBe('two');
    expect(await fsp.readdir(dir)).toEqual(['p.netloom.json']);
  });

  it.each(['open', 'write', 'sync', 'rename'] as const)(
    'a failing %s leaves the original untouched and no temporary file',
    async (step) => {
      const f = path.join(dir, 'p.netloom.json');
      await fsp.writeFile(f, 'original');
      await expect(writeFileAtomic(f, 'replacement', failingFs(step))).rejects.toThrow(
        `simulated ${step} failure`,
      );
      expect(await fsp.readFile(f, 'utf8')).toBe('original');
      expect(await fsp.readdir(dir)).toEqual(['p.netloom.json']);
    },
  );

  it('keeps the permission bits of the file it replaces', async () => {
    if (process.platform === 'win32') return;
    const f = path.join(dir, 'p.netloom.json');
    await fsp.writeFile(f, 'x');
    await fsp.chmod(f, 0o600);
    await writeFileAtomic(f, 'y');
    expect((await fsp.stat(f)).mode & 0o777).toBe(0o600);
  });

  it('fails cleanly when the folder does not exist', async () => {
    await expect(writeFileAtomic(path.join(dir, 'nope', 'p.json'), 'x')).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});

describe('saveProjectFile / readProjectFile', () => {
  it('round-trip through the disk', async () => {
    const f = path.join(dir, 'p.netloom.json');
    await saveProjectFile(f, sampleProject());
    expect(await fsp.readFile(f, 'utf8')).toBe(serializeProject(sampleProject()));
    expect(comparable(await readProjectFile(f))).toEqual(comparable(sampleProject()));
  });

  it('report io errors as ProjectFileError, and keep the old file when saving fails', async () => {
    await expect(readProjectFile(path.join(dir, 'missing.netloom.json'))).rejects.toMatchObject({
      name: 'ProjectFileError',
      code: 'io',
      message: expect.stringContaining('does not exist'),
    });
    const f = path.join(dir, 'p.netloom.json');
    await fsp.writeFile(f, 'old');
    const bad = sampleProject();
    bad.graph.nodes[0].params.width = Infinity;
    const err = await saveProjectFile(f, bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProjectFileError);
    expect((err as ProjectFileError).code).toBe('invalid-project');
    expect(await fsp.readFile(f, 'utf8')).toBe('old');
    const dirErr = await saveProjectFile(path.join(dir, 'no', 'p.json'), sampleProject()).catch(
      (e: unknown) => e,
    );
    expect((dirErr as ProjectFileError).code).toBe('io');
  });
});
