/**
 * The shipped examples, bundled at build time by Vite (texts inlined, CSVs emitted as assets), so the
 * web and desktop editions open them offline. Only this file uses import.meta.glob.
 */
import { buildExamples, type ExampleEntry } from './examples';

const projects = import.meta.glob('../../examples/*.netloom.json', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;
const csvs = import.meta.glob('../../examples/*.csv', {
  query: '?url',
  import: 'default',
  eager: true,
}) as Record<string, string>;

/** All shipped examples (see ./examples.ts). */
export const EXAMPLES: readonly ExampleEntry[] = buildExamples(projects, csvs);
