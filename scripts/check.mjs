#!/usr/bin/env node
/**
 * `npm run check`: every static check, one after another (2-core friendly), with a clear
 * PASS/FAIL line per step and a summary. Exits non-zero when any step fails.
 *
 * Steps: tsc for each target (engine, node, test), svelte-check for the renderer (web target),
 * ESLint, Prettier --check, and the Electron security scan (Electronegativity on src-main,
 * with reviewed findings accepted in build/electronegativity-allowlist.json, each with a reason).
 *
 * Options: --only a,b (run only the named steps), --list (print step names).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** Runs a command, streaming its output; resolves with its exit code. */
function run(cmd, args, { quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (out += d));
    child.on('error', (e) => resolve({ code: 127, out: String(e) }));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

async function electronegativity() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netloom-eneg-'));
  const sarif = path.join(dir, 'result.sarif');
  try {
    const r = await run(bin('electronegativity'), ['-i', 'src-main', '-r', '-e', '45.5.0', '-o', sarif], {
      quiet: true,
    });
    let results;
    try {
      results = JSON.parse(readFileSync(sarif, 'utf8')).runs[0].results;
    } catch {
      console.error(r.out);
      console.error('Electronegativity produced no readable report.');
      return 1;
    }
    const allow = JSON.parse(
      readFileSync(path.join(root, 'build/electronegativity-allowlist.json'), 'utf8'),
    ).accepted;
    let open = 0;
    for (const f of results) {
      const file = f.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '?';
      const line = f.locations?.[0]?.physicalLocation?.region?.startLine ?? 0;
      const ok = allow.find((a) => a.check === f.ruleId && a.file === file);
      const where = `src-main/${file}:${line}`;
      if (ok) console.log(`  accepted ${f.ruleId} at ${where} — ${ok.reason.split('. ')[0]}.`);
      else {
        open++;
        console.log(`  FINDING  ${f.ruleId} at ${where}: ${f.message?.text}`);
      }
    }
    console.log(`  ${results.length} finding(s), ${open} not accepted`);
    return open === 0 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const steps = [
  ['tsc:engine', () => run(bin('tsc'), ['-p', 'tsconfig.engine.json']).then((r) => r.code)],
  ['tsc:node', () => run(bin('tsc'), ['-p', 'tsconfig.node.json']).then((r) => r.code)],
  ['tsc:test', () => run(bin('tsc'), ['-p', 'tsconfig.test.json']).then((r) => r.code)],
  [
    'svelte-check',
    () =>
      run(bin('svelte-check'), [
        '--tsconfig',
        './tsconfig.web.json',
        '--threshold',
        'error',
        '--output',
        'human',
      ]).then((r) => r.code),
  ],
  ['eslint', () => run(bin('eslint'), ['.', '--max-warnings', '0']).then((r) => r.code)],
  ['prettier', () => run(bin('prettier'), ['--check', '.', '--log-level', 'warn']).then((r) => r.code)],
  ['electronegativity', electronegativity],
  // docs/nodes.md is generated from the node registry: it must match the code.
  ['node-docs', () => run(bin('tsx'), ['scripts/gen-node-docs.ts', '--check']).then((r) => r.code)],
];

const argv = process.argv.slice(2);
if (argv.includes('--list')) {
  console.log(steps.map(([n]) => n).join('\n'));
  process.exit(0);
}
const onlyArg = argv.indexOf('--only');
const only = onlyArg >= 0 ? new Set((argv[onlyArg + 1] ?? '').split(',')) : null;
if (only) {
  const unknown = [...only].filter((n) => !steps.some(([s]) => s === n));
  if (unknown.length) {
    console.error(`Unknown step(s): ${unknown.join(', ')}. Steps: ${steps.map(([n]) => n).join(', ')}`);
    process.exit(2);
  }
}

const results = [];
for (const [name, fn] of steps) {
  if (only && !only.has(name)) continue;
  console.log(`\n▶ ${name}`);
  const t0 = Date.now();
  const code = await fn();
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  results.push([name, code, secs]);
  console.log(`${code === 0 ? 'PASS' : 'FAIL'}  ${name} (${secs} s)`);
}

console.log('\nSummary');
for (const [name, code, secs] of results)
  console.log(`  ${code === 0 ? 'PASS' : 'FAIL'}  ${name.padEnd(18)} ${secs} s`);
const failed = results.filter(([, code]) => code !== 0).map(([n]) => n);
console.log(failed.length === 0 ? '\ncheck: all steps passed' : `\ncheck: FAILED (${failed.join(', ')})`);
process.exit(failed.length === 0 ? 0 : 1);
