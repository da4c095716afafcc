/**
 * File-format migrations: an ordered list of steps v_n → v_{n+1} applied to the raw JSON before
 * validation (load = migrate, then validate).
 *
 * Invariants: a migration takes a document of version `from` and returns one of version
 * `from + 1`; it works on plain JSON (it runs before the schema), must not mutate its input
 * (the runner hands it a private copy anyway) and must be pure. The runner sets `formatVersion`.
 *
 * Adding format v2: write `migrations/v1-to-v2.ts` exporting a `Migration` {from: 1, to: 2},
 * append it to `MIGRATIONS`, raise `CURRENT_FORMAT_VERSION`, add `schema-v2.ts` (and point the
 * loader/codec at it), and freeze a v2 fixture under test/fixtures/project/v2/. The v1 fixtures stay
 * and must keep loading (through the new migration).
 */
import { ProjectFileError } from './errors';
import { cloneJson, type JsonObject } from './json-value';

/** The format version this build writes and reads natively. */
export const CURRENT_FORMAT_VERSION = 1;

/** One step of the format's history. */
export interface Migration {
  from: number;
  to: number;
  /** One line for the changelog and error messages, e.g. 'rename training.lr to learningRate'. */
  description: string;
  up(doc: JsonObject): JsonObject;
}

/** The real migrations, oldest first. v1 is the first format version, so there are none yet. */
export const MIGRATIONS: readonly Migration[] = [];

/**
 * Checks that `migrations` form one chain from some start version to `target`.
 * @throws Error naming the gap or the bad step (a programming error, caught by the tests).
 */
export function assertMigrationChain(migrations: readonly Migration[], target: number): void {
  migrations.forEach((m, i) => {
    if (!Number.isInteger(m.from) || m.to !== m.from + 1)
      throw new Error(`migration ${i} must go from n to n+1 (got ${m.from} → ${m.to})`);
    if (i > 0 && migrations[i - 1].to !== m.from)
      throw new Error(`migrations ${i - 1} and ${i} do not chain (${migrations[i - 1].to} vs ${m.from})`);
  });
  if (migrations.length > 0 && migrations[migrations.length - 1].to !== target) {
    throw new Error(
      `the last migration ends at v${migrations[migrations.length - 1].to}, not at the current v${target}`,
    );
  }
}

/** The oldest version the chain can read. */
export function oldestReadableVersion(migrations: readonly Migration[], target: number): number {
  return migrations.length > 0 ? migrations[0].from : target;
}

/**
 * Brings `doc` (of version `version`) up to `target` by applying the migrations in order.
 * @throws ProjectFileError `unsupported-version` when no chain covers `version`,
 *   `migration-failed` when a step throws or returns something that is not an object.
 */
export function migrateDocument(
  doc: JsonObject,
  version: number,
  migrations: readonly Migration[] = MIGRATIONS,
  target: number = CURRENT_FORMAT_VERSION,
): JsonObject {
  assertMigrationChain(migrations, target);
  const oldest = oldestReadableVersion(migrations, target);
  if (version < oldest) {
    throw new ProjectFileError(
      'unsupported-version',
      `This project file has format version ${version}, which is older than any this Netloom can read (oldest: ${oldest}).`,
      { path: '$.formatVersion' },
    );
  }
  let current = doc;
  for (let v = version; v < target; v++) {
    const step = migrations.find((m) => m.from === v);
    if (!step) {
      throw new ProjectFileError(
        'unsupported-version',
        `No migration from format version ${v} to ${v + 1}.`,
        {
          path: '$.formatVersion',
        },
      );
    }
    let next: unknown;
    try {
      next = step.up(cloneJson(current));
    } catch (cause) {
      const why = cause instanceof Error ? cause.message : String(cause);
      throw new ProjectFileError(
        'migration-failed',
        `Could not upgrade the project from format v${step.from} to v${step.to} (${step.description}): ${why}`,
        { cause },
      );
    }
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      throw new ProjectFileError(
        'migration-failed',
        `Migration v${step.from} → v${step.to} did not return an object.`,
      );
    }
    current = { ...(next as JsonObject), formatVersion: step.to };
  }
  return current;
}
