// Electron smoke test: the desktop build opens a window showing the welcome screen.
// Skips itself (with the reason) where no Electron binary is installed. We never call
// require('electron') here: on a machine without the binary it would try to download one.
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function electronBinary(): { path: string | null; reason: string } {
  const pkg = join('node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      path: null,
      reason: `no Electron binary: ${pathFile} is missing (the electron package's download did not run)`,
    };
  }
  const rel = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist');
  const bin = join(dist, rel);
  return existsSync(bin) ? { path: bin, reason: '' } : { path: null, reason: `no Electron binary at ${bin}` };
}

const binary = electronBinary();

test('desktop app opens the welcome screen', async () => {
  test.skip(binary.path === null, binary.reason);
  expect(existsSync('out/main/index.js'), 'out/main/index.js is missing: run `npm run build` first').toBe(
    true,
  );
  const app = await electron.launch({ executablePath: binary.path!, args: ['.', '--no-sandbox'] });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { name: 'Netloom', level: 1 })).toBeVisible();
    await expect(window.getByRole('button', { name: /New project/ })).toBeVisible();
  } finally {
    await app.close();
  }
});
