#!/usr/bin/env node
/**
 * `npm run build:trainer`: bundles the trainer entry (src-main/trainer/entry.ts) for plain Node
 * into out/trainer/trainer.mjs. The integration tests and the command-line tool fork this file
 * with child_process.fork; the desktop app uses the copy electron-vite writes to out/main.
 */
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const r = (p) => fileURLToPath(new URL(p, import.meta.url));
const started = Date.now();

await build({
  configFile: false,
  logLevel: 'warn',
  root: r('..'),
  build: {
    ssr: r('../src-main/trainer/entry.ts'),
    outDir: r('../out/trainer'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rolldownOptions: {
      external: ['webgpu', 'electron', ...builtinModules.flatMap((m) => [m, `node:${m}`])],
      output: { format: 'es', entryFileNames: 'trainer.mjs' },
    },
  },
  ssr: { noExternal: true },
});

console.log(`trainer built: out/trainer/trainer.mjs (${Date.now() - started} ms)`);
