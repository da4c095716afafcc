#!/usr/bin/env node
/**
 * `npm test`: builds what the tests need, runs vitest (unit + integration) and the Playwright
 * suite, and prints `N skipped`, then one closing line `N passed, N failed` summed over both runners
 * (read from their JSON reporters, since neither prints that form). Exits non-zero when any
 * step or test failed. The summary is also written to test-reports/summary.json for .ci/run.
 *
 * Options: --unit (vitest only), --e2e (Playwright only).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const args = new Set(process.argv.slice(2));
const runUnit = !args.has('--e2e');
const runE2e = !args.has('--unit');
const reports = 'test-reports';
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];

function sh(label, cmd, cmdArgs, env = {}) {
  console.log(`\n▶ ${label}: ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) problems.push(`${label} exited with ${r.status ?? r.signal}`);
  return r.status === 0;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

if (runUnit) {
  if (sh('build trainer', 'npm', ['run', '--silent', 'build:trainer'])) {
    sh('vitest', 'npx', [
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${reports}/vitest.json`,
    ]);
  } else {
    totals.failed += 1;
  }
  const v = readJson(`${reports}/vitest.json`);
  if (v) {
    totals.passed += v.numPassedTests ?? 0;
    totals.failed += (v.numFailedTests ?? 0) + (v.numRuntimeErrorTestSuites ?? 0);
    totals.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
    // A test file that fails to load counts as a failure even when it reports no tests.
    for (const f of v.testResults ?? [])
      if (f.status === 'failed' && (f.assertionResults ?? []).length === 0) totals.failed += 1;
  } else if (!problems.some((p) => p.startsWith('build trainer'))) {
    totals.failed += 1;
    problems.push('vitest wrote no JSON report');
  }
}

if (runE2e) {
  // The Electron smoke test needs the desktop bundles, but only where an Electron binary exists.
  const electronBuilt =
    !existsSync('node_modules/electron/path.txt') || sh('build app', 'npm', ['run', '--silent', 'build']);
  if (electronBuilt && sh('build web', 'npm', ['run', '--silent', 'build:web'])) {
    sh('playwright', 'npx', ['playwright', 'test'], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: `${reports}/playwright.json`,
    });
  } else {
    totals.failed += 1;
  }
  const p = readJson(`${reports}/playwright.json`);
  if (p?.stats) {
    totals.passed += (p.stats.expected ?? 0) + (p.stats.flaky ?? 0);
    totals.failed += p.stats.unexpected ?? 0;
    totals.skipped += p.stats.skipped ?? 0;
    if ((p.errors ?? []).length > 0) {
      totals.failed += p.errors.length;
      problems.push(`playwright reported ${p.errors.length} error(s) outside tests`);
    }
  } else if (!problems.some((x) => x.startsWith('build web'))) {
    totals.failed += 1;
    problems.push('playwright wrote no JSON report');
  }
}

if (totals.failed === 0 && problems.length > 0) totals.failed += problems.length;
writeFileSync(`${reports}/summary.json`, JSON.stringify({ ...totals, problems }, null, 2) + '\n');
if (problems.length) console.log(`\nProblems:\n- ${problems.join('\n- ')}`);
console.log(`\n${totals.skipped} skipped`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 || problems.length > 0 ? 1 : 0);
