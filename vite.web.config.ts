// Web edition of Netloom: the same renderer as the desktop app, served by Vite, with the
// browser host (training in a Web Worker). `npm run web` serves it for development,
// `npm run build:web` writes out/web, and Playwright serves out/web with `vite preview`.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: fileURLToPath(new URL('./src-renderer', import.meta.url)),
  // Relative asset URLs so the same build works from any path (and from file://).
  base: './',
  plugins: [svelte()],
  // The renderer imports engine/ and build/icon.svg from outside its root.
  // Cross-origin isolation (COOP + COEP): SharedArrayBuffer, hence the trainer's GEMM helper threads
  // (engine/backend/wasm/threads.web.ts). A server hosting out/web must send the same two headers.
  server: { fs: { allow: [repoRoot] }, port: 5173, headers: CROSS_ORIGIN_ISOLATION },
  preview: { port: 4173, headers: CROSS_ORIGIN_ISOLATION },
  worker: { format: 'es' },
  build: {
    // NETLOOM_WEB_OUT: another output folder, so parallel work on one checkout can build and serve
    // its own copy (Playwright's preview reads the same variable through this config).
    outDir: process.env.NETLOOM_WEB_OUT
      ? resolve(process.env.NETLOOM_WEB_OUT)
      : fileURLToPath(new URL('./out/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Everything ships in the bundle: the app must load no remote resources. Fonts (KaTeX) and CSVs
    // (examples) are never inlined as data: URLs, which the page's CSP (default-src 'self',
    // connect-src 'self') refuses; other small assets are.
    assetsInlineLimit: (file: string) => (/\.(woff2?|ttf|csv)$/i.test(file) ? false : undefined),
    sourcemap: true,
  },
});
