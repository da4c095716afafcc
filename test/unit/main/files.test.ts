import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppFiles, withProjectExtension, type Dialogs } from '../../../src-main/app-files';
import { writeFileAtomic } from '../../../src-main/files/atomic-write';
import { FileGrants } from '../../../src-main/files/grants';
import { projectPathsFromArgv } from '../../../src-main/files/open-args';
import { MAX_RECENT, addRecent, parseRecent, removeRecent } from '../../../src-main/files/recent';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'netloom-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes and replaces a file, leaving no temporary file', async () => {
    const f = path.join(dir, 'p.netloom.json');
    await writeFileAtomic(f, 'one');
    await writeFileAtomic(f, new TextEncoder().encode('two'));
    expect(await readFile(f, 'utf8')).toBe('two');
    expect(await readdir(dir)).toEqual(['p.netloom.json']);
  });
  it('leaves the target untouched and cleans up when the rename fails', async () => {
    const target = path.join(dir, 'occupied');
    await mkdir(target);
    await writeFile(path.join(target, 'keep'), 'x');
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow(`Could not save '${target}'`);
    expect(await readdir(dir)).toEqual(['occupied']);
    expect(await readFile(path.join(target, 'keep'), 'utf8')).toBe('x');
  });
  it('reports a missing folder with the path', async () => {
    const f = path.join(dir, 'nope', 'a.json');
    await expect(writeFileAtomic(f, 'x')).rejects.toThrow(f);
  });
});

describe('FileGrants', () => {
  it('mints stable opaque ids and resolves them back', () => {
    let n = 0;
    const g = new FileGrants(() => `id${++n}`);
    const a = g.grant('/p/a.netloom.json', 'project');
    expect(a).toEqual({ id: 'id1', name: 'a.netloom.json', path: '/p/a.netloom.json' });
    expect(g.grant('/p/../p/a.netloom.json', 'project').id).toBe('id1');
    expect(g.resolve(a, 'project')).toBe('/p/a.netloom.json');
  });
  it('refuses ids it never minted and kind confusion', () => {
    const g = new FileGrants();
    expect(() => g.resolve({ id: 'forged', name: 'passwd' }, 'data')).toThrow(
      "'passwd' is not a file this window opened",
    );
    const d = g.grant('/d/x.csv', 'data');
    expect(() => g.resolve(d, 'project')).toThrow('opened as data, not as project');
  });
  it('resolves dataset paths relative to the project, only for data extensions', () => {
    const g = new FileGrants();
    const p = g.grant('/work/proj/m.netloom.json', 'project');
    const d = g.resolveRelative(p, '../data/iris.CSV');
    expect(g.resolve(d, 'data')).toBe('/work/data/iris.CSV');
    expect(() => g.resolveRelative(p, '../../etc/passwd')).toThrow('not a data file');
    expect(() => g.resolveRelative(p, '/home/u/.ssh/id_rsa')).toThrow('not a data file');
    expect(() => g.resolveRelative(g.grant('/x.csv', 'data'), 'y.csv')).toThrow('not as project');
  });
});

describe('recent list', () => {
  it('puts the newest first without duplicates and trims', () => {
    let list = parseRecent([]);
    for (let i = 0; i < MAX_RECENT + 3; i++)
      list = addRecent(list, `/p/${i}.netloom.json`, new Date(Date.UTC(2026, 0, 1, 0, i)));
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0].path).toBe(`/p/${MAX_RECENT + 2}.netloom.json`);
    list = addRecent(list, '/p/5.netloom.json', new Date(Date.UTC(2027, 0, 1)));
    expect(list[0]).toEqual({ path: '/p/5.netloom.json', openedAt: '2027-01-01T00:00:00.000Z' });
    expect(list.filter((e) => e.path === '/p/5.netloom.json')).toHaveLength(1);
    expect(removeRecent(list, '/p/5.netloom.json').some((e) => e.path === '/p/5.netloom.json')).toBe(false);
  });
  it('drops malformed stored entries', () => {
    expect(parseRecent({})).toEqual([]);
    expect(
      parseRecent([{ path: 'relative.json', openedAt: 'x' }, { path: '/a', openedAt: 't' }, 5, null]),
    ).toEqual([{ path: '/a', openedAt: 't' }]);
  });
});

describe('projectPathsFromArgv', () => {
  it('keeps only .netloom.json arguments, resolved against the cwd', () => {
    const argv = [
      '/opt/Netloom/netloom',
      '--no-sandbox',
      'a.netloom.json',
      '/abs/B.NETLOOM.JSON',
      'data.csv',
      'a.netloom.json',
    ];
    expect(projectPathsFromArgv(argv, '/home/u')).toEqual(['/home/u/a.netloom.json', '/abs/B.NETLOOM.JSON']);
  });
});

describe('AppFiles', () => {
  function files(answers: (string | null)[]) {
    const asked: string[] = [];
    const dialogs: Dialogs = {
      openFile: async (o) => (asked.push(o.title), answers.shift() ?? null),
      saveFile: async (o) => (asked.push(`${o.title}:${o.defaultPath}`), answers.shift() ?? null),
    };
    return { f: new AppFiles(path.join(dir, 'userData'), dialogs), asked };
  }

  it('opens, saves in place, saves as, and records recent projects', async () => {
    const proj = path.join(dir, 'm.netloom.json');
    await writeFile(proj, '{"v":1}');
    const { f, asked } = files([proj, path.join(dir, 'copy.json')]);
    await f.init();
    const opened = await f.openProjectDialog();
    expect(opened?.text).toBe('{"v":1}');
    await f.saveProject('{"v":2}', opened!.file, null);
    expect(await readFile(proj, 'utf8')).toBe('{"v":2}');
    const copy = await f.saveProject('{"v":3}', null, 'm2.netloom.json');
    expect(copy?.name).toBe('copy.netloom.json');
    expect(asked).toEqual(['Open Netloom project', 'Save Netloom project:m2.netloom.json']);
    expect((await f.recentProjects()).map((r) => r.file.name)).toEqual([
      'copy.netloom.json',
      'm.netloom.json',
    ]);
    // The list survives a restart.
    const again = files([]).f;
    await again.init();
    expect(again.recentPaths()).toEqual([path.join(dir, 'copy.netloom.json'), proj]);
  });

  it('returns null on cancel and names the file when it cannot be opened', async () => {
    const { f } = files([null]);
    await f.init();
    expect(await f.openProjectDialog()).toBeNull();
    await expect(f.openProjectPath(path.join(dir, 'gone.netloom.json'))).rejects.toThrow('gone.netloom.json');
  });

  it("reads a project's dataset by relative path and reports a missing one as null", async () => {
    const proj = path.join(dir, 'p', 'm.netloom.json');
    await mkdir(path.dirname(proj));
    await writeFile(proj, '{}');
    await writeFile(path.join(dir, 'iris.csv'), 'a,b\n1,2\n');
    const { f } = files([]);
    await f.init();
    const opened = await f.openProjectPath(proj);
    const data = await f.readRelative(opened.file, '../iris.csv');
    expect(new TextDecoder().decode(data!.bytes)).toBe('a,b\n1,2\n');
    expect(await f.readRelative(opened.file, '../missing.csv')).toBeNull();
  });

  it('names saved projects with the .netloom.json extension', () => {
    expect(withProjectExtension('/a/b')).toBe('/a/b.netloom.json');
    expect(withProjectExtension('/a/b.json')).toBe('/a/b.netloom.json');
    expect(withProjectExtension('/a/b.NETLOOM.json')).toBe('/a/b.NETLOOM.json');
  });
});
