// Desktop build (electron-vite): main process + trainer entry → out/main (ESM, since package.json
// is "type": "module"), preload → out/preload/index.cjs (CommonJS: a sandboxed preload cannot be
// an ES module), renderer → out/renderer from the same src-renderer/index.html and main.ts as the
// web edition (vite.web.config.ts).
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: r('./out/main'),
      // Bundle zod & co. so the packaged app needs no node_modules at all.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: r('./src-main/index.ts'), trainer: r('./src-main/trainer/entry.ts') },
        // Dawn for Node is optional and native; the trainer loads it at run time if present.
        external: ['webgpu'],
        output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: r('./out/preload'),
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: r('./src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: r('./src-renderer'),
    plugins: [svelte()],
    server: { fs: { allow: [r('.')] } },
    worker: { format: 'es' },
    build: {
      outDir: r('./out/renderer'),
      emptyOutDir: true,
      target: 'chrome140',
      // Fonts and example CSVs stay files: the CSP refuses data: URLs for them.
      assetsInlineLimit: (file: string) => (/\.(woff2?|ttf|csv)$/i.test(file) ? false : undefined),
      rolldownOptions: { input: { index: r('./src-renderer/index.html') } },
    },
  },
});
