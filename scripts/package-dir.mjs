#!/usr/bin/env node
/**
 * Offline check of the packaging step: runs electron-builder in --dir mode for Linux against a
 * STUB Electron distribution (no download; the Electron binary is not available here), then
 * verifies the unpacked app: the renamed executable, and an app.asar holding exactly the built
 * main/preload/renderer plus package.json (no node_modules, no source maps).
 *
 * Usage: npm run build && node scripts/package-dir.mjs
 * Equivalent manual command: npx electron-builder --dir --linux -c.electronDist=out/electron-stub
 * where out/electron-stub holds an executable file named `electron` (electron-builder renames it
 * to the app's executable) and a `version` file.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stub = path.join(root, 'out/electron-stub');
const outDir = path.join(root, 'release');
const unpacked = path.join(outDir, 'linux-unpacked');

for (const f of [
  'out/main/index.js',
  'out/main/trainer.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
]) {
  if (!existsSync(path.join(root, f))) {
    console.error(`Missing ${f}: run \`npm run build\` first.`);
    process.exit(1);
  }
}

rmSync(stub, { recursive: true, force: true });
mkdirSync(path.join(stub, 'resources'), { recursive: true });
writeFileSync(
  path.join(stub, 'electron'),
  '#!/bin/sh\necho "Electron stub used for the offline packaging check"\n',
);
chmodSync(path.join(stub, 'electron'), 0o755);
writeFileSync(path.join(stub, 'version'), 'v45.5.0');
writeFileSync(path.join(stub, 'LICENSE'), 'stub\n');
rmSync(unpacked, { recursive: true, force: true });

const builder = spawnSync(
  path.join(root, 'node_modules/.bin/electron-builder'),
  ['--dir', '--linux', '--x64', `-c.electronDist=${stub}`, '--publish', 'never'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_BUILDER_OFFLINE: '1' } },
);
if (builder.status !== 0) {
  console.error(`electron-builder failed (exit ${builder.status ?? builder.signal}).`);
  process.exit(1);
}

const problems = [];
const exe = path.join(unpacked, 'netloom');
if (!existsSync(exe)) problems.push(`no executable at ${path.relative(root, exe)}`);
const asarPath = path.join(unpacked, 'resources/app.asar');
if (!existsSync(asarPath)) problems.push('no resources/app.asar');
else {
  const list = spawnSync(path.join(root, 'node_modules/.bin/asar'), ['list', asarPath], { encoding: 'utf8' });
  const files = list.stdout.split('\n').filter(Boolean);
  for (const want of [
    '/package.json',
    '/out/main/index.js',
    '/out/main/trainer.js',
    '/out/preload/index.cjs',
    '/out/renderer/index.html',
  ])
    if (!files.includes(want)) problems.push(`app.asar lacks ${want}`);
  const unwanted = files.filter(
    (f) => f.startsWith('/node_modules') || f.endsWith('.map') || f.startsWith('/src'),
  );
  if (unwanted.length)
    problems.push(`app.asar contains unwanted files, e.g. ${unwanted.slice(0, 3).join(', ')}`);
  console.log(`app.asar: ${files.length} entries`);
}
if (problems.length) {
  console.error(`Packaging check FAILED:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `Packaging check passed: ${path.relative(root, unpacked)} (executable 'netloom', app.asar with out/ + package.json).`,
);
