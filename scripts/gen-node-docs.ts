/**
 * Writes docs/nodes.md (the node reference) from the node registry, through the help pages the app
 * shows (src-renderer/help/node-docs.ts). Run after adding or changing a node type:
 *   npx tsx scripts/gen-node-docs.ts          # write
 *   npx tsx scripts/gen-node-docs.ts --check  # exit 1 when docs/nodes.md is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderNodeDocs } from '../src-renderer/help/node-docs';

const target = fileURLToPath(new URL('../docs/nodes.md', import.meta.url));
const text = renderNodeDocs();

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing: out of date
  }
  if (current !== text) {
    console.error('docs/nodes.md is out of date: run `npx tsx scripts/gen-node-docs.ts`.');
    process.exit(1);
  }
  console.log('docs/nodes.md is up to date.');
} else {
  writeFileSync(target, text);
  console.log(`Wrote ${target}`);
}
