/**
 * Loading a project: bytes/text → JSON → format check → migrations → schema (zod) → registry
 * hooks → in-memory `Project`.
 *
 * Invariant: `loadProject` either returns a valid current-version project or throws a
 * `ProjectFileError`; any other exception (a bug, a hook that throws) is wrapped, so callers
 * and the fuzz tests see exactly one error type.
 */
import type * as z from 'zod';
import { projectFromFile } from './codec';
import { ProjectFileError, formatJsonPath, type ProjectIssue } from './errors';
import type { ParamMigrator, ParamValidator, ProjectHooks } from './hooks';
import { decodeUtf8, parseJsonText } from './json-text';
import { isPlainObject, type JsonObject } from './json-value';
import { CURRENT_FORMAT_VERSION, MIGRATIONS, migrateDocument, type Migration } from './migrations';
import { projectSchemaV1, type ProjectFileV1 } from './schema-v1';
import { PROJECT_FORMAT, type Project } from './types';

export interface LoadOptions {
  /** Registry hooks for per-type params (see hooks.ts). */
  hooks?: ProjectHooks;
  /** The migration chain; defaults to the real one. Tests pass synthetic chains. */
  migrations?: readonly Migration[];
}

/** The zod issues as JSON-path issues, the first `limit` of them. */
export function zodIssues(error: z.ZodError, limit = 20): ProjectIssue[] {
  return error.issues.slice(0, limit).map((i) => ({ path: formatJsonPath(i.path), message: i.message }));
}

/**
 * Validates a (current-version) document against the schema.
 * @throws ProjectFileError `invalid-schema` with the first problem's `path` and all `issues`.
 */
export function validateDocument(doc: unknown, what = 'The project file'): ProjectFileV1 {
  const result = projectSchemaV1.safeParse(doc);
  if (result.success) return result.data;
  const issues = zodIssues(result.error);
  const more =
    result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problem(s))` : '';
  throw new ProjectFileError(
    'invalid-schema',
    `${what} does not match format v${CURRENT_FORMAT_VERSION} at ${issues[0].path}: ${issues[0].message}${more}.`,
    { path: issues[0].path, issues },
  );
}

/** Reads the format tag and version, with the errors a user can act on. */
function checkHeader(doc: unknown): { doc: JsonObject; version: number } {
  if (!isPlainObject(doc) || doc.format !== PROJECT_FORMAT) {
    throw new ProjectFileError(
      'not-a-project',
      `This is not a Netloom project file (it lacks "format": "${PROJECT_FORMAT}" at the top level).`,
      { path: '$.format' },
    );
  }
  const version = doc.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new ProjectFileError('unsupported-version', 'The project file has no integer "formatVersion".', {
      path: '$.formatVersion',
    });
  }
  if (version > CURRENT_FORMAT_VERSION) {
    const app =
      isPlainObject(doc.app) && typeof doc.app.version === 'string' ? ` by Netloom ${doc.app.version}` : '';
    throw new ProjectFileError(
      'unsupported-version',
      `This project was saved${app} in format version ${version}; this Netloom reads up to version ` +
        `${CURRENT_FORMAT_VERSION}. Update Netloom to open it.`,
      { path: '$.formatVersion' },
    );
  }
  return { doc: doc as JsonObject, version };
}

type Slot = { type: string; version: number; params: JsonObject };

/** Runs a node's migrate and validate hooks, turning problems and exceptions into one error. */
function applyHooks(
  slot: Slot,
  where: (string | number)[],
  what: string,
  migrate: ParamMigrator | undefined,
  validate: ParamValidator | undefined,
): void {
  const base = formatJsonPath(where);
  try {
    if (migrate) {
      const out = migrate(slot.type, slot.version, slot.params);
      if (
        !isPlainObject(out) ||
        !Number.isInteger(out.version) ||
        out.version < 1 ||
        !isPlainObject(out.params)
      ) {
        throw new Error(
          'the migrate hook returned something other than { version: integer ≥ 1, params: object }',
        );
      }
      slot.version = out.version;
      slot.params = out.params;
    }
    const problems = validate ? validate(slot.type, slot.version, slot.params) : [];
    if (problems.length > 0) {
      const issues = problems.map((p) => ({
        path: formatJsonPath([...where, 'params', ...p.path]),
        message: p.message,
      }));
      throw new ProjectFileError(
        'invalid-params',
        `${what} (${slot.type} v${slot.version}) has invalid parameters at ${issues[0].path}: ${issues[0].message}.`,
        { path: issues[0].path, issues },
      );
    }
  } catch (cause) {
    if (cause instanceof ProjectFileError) throw cause;
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new ProjectFileError('invalid-params', `${what} (${slot.type}) could not be checked: ${why}`, {
      path: base,
      cause,
    });
  }
}

function runHooks(doc: ProjectFileV1, hooks: ProjectHooks): void {
  const graphs: Array<[ProjectFileV1['graph'], (string | number)[], string]> = [[doc.graph, ['graph'], '']];
  doc.runs.forEach((r, i) => graphs.push([r.graph, ['runs', i, 'graph'], ` in run '${r.id}'`]));
  for (const [graph, where, suffix] of graphs) {
    graph.nodes.forEach((node, i) => {
      applyHooks(
        node,
        [...where, 'nodes', i],
        `Node '${node.id}'${suffix}`,
        hooks.migrateNode,
        hooks.validateNode,
      );
    });
  }
}

/**
 * Loads a project from the bytes or text of a `.netloom.json` file.
 * Older format versions are migrated to the current one; a newer version is refused.
 * @throws ProjectFileError — `not-utf8`, `invalid-json` (with `position`), `too-deep`,
 *   `not-a-project`, `unsupported-version`, `migration-failed`, `invalid-schema` (with `path`),
 *   `invalid-params` (from hooks), or `internal` (a bug, wrapped).
 */
export function loadProject(input: string | Uint8Array, options: LoadOptions = {}): Project {
  try {
    const text = typeof input === 'string' ? input : decodeUtf8(input);
    const migrations = options.migrations ?? MIGRATIONS;
    const header = checkHeader(parseJsonText(text));
    const migrated = migrateDocument(header.doc, header.version, migrations, CURRENT_FORMAT_VERSION);
    const what =
      header.version === CURRENT_FORMAT_VERSION
        ? 'The project file'
        : `The project file (migrated from v${header.version})`;
    const doc = validateDocument(migrated, what);
    if (options.hooks) runHooks(doc, options.hooks);
    return projectFromFile(doc);
  } catch (cause) {
    if (cause instanceof ProjectFileError) throw cause;
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new ProjectFileError(
      'internal',
      `Unexpected error while loading the project (please report it): ${why}`,
      {
        cause,
      },
    );
  }
}
