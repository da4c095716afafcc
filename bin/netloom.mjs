#!/usr/bin/env node
// Netloom command-line tool. Runs the TypeScript sources through tsx so that a clean
// checkout needs no build step before `npx netloom …` works.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src-main/cli/netloom.ts');
process.exitCode = await main(process.argv.slice(2));
