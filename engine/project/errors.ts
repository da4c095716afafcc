/**
 * The one error type of the project-file module.
 *
 * Invariant: every failure of loading, validating, serializing or writing a `.netloom.json`
 * file surfaces as a `ProjectFileError` with a machine-readable `code`; a JSON path (`path`,
 * e.g. `$.graph.nodes[2].params.units`) when the problem is at a place in the document; a
 * text position (`position`, 1-based line and column) when the file is not valid JSON.
 */

/** What went wrong, for the UI to pick a message or an action. */
export type ProjectFileErrorCode =
  /** The bytes are not valid UTF-8. */
  | 'not-utf8'
  /** The text is not valid JSON; see `position`. */
  | 'invalid-json'
  /** The JSON nests deeper than the format allows (guards the validators' recursion). */
  | 'too-deep'
  /** Valid JSON, but not a Netloom project (no `"format": "netloom-project"`). */
  | 'not-a-project'
  /** A format version this build cannot read (newer, older than any migration, or not an integer). */
  | 'unsupported-version'
  /** A migration between format versions failed. */
  | 'migration-failed'
  /** The document does not match the schema; see `path` and `issues`. */
  | 'invalid-schema'
  /** A node rejected its parameters (node-registry hook); see `path`. */
  | 'invalid-params'
  /** Saving: the in-memory project cannot be written (e.g. NaN inside node params). */
  | 'invalid-project'
  /** Reading or writing the file failed (permissions, disk full, missing file). */
  | 'io'
  /** A bug: an unexpected exception inside the loader, wrapped so callers see one error type. */
  | 'internal';

/** 1-based line and column (UTF-16 code units) plus the 0-based offset into the text. */
export interface TextPosition {
  line: number;
  column: number;
  offset: number;
}

/** One problem found while validating, located by JSON path. */
export interface ProjectIssue {
  path: string;
  message: string;
}

/** Failure of reading, validating, migrating or writing a project file. */
export class ProjectFileError extends Error {
  override readonly name = 'ProjectFileError';
  readonly code: ProjectFileErrorCode;
  /** JSON path of the (first) offending value, e.g. `$.runs[0].checkpoint.weights[1].data`. */
  readonly path: string | undefined;
  /** Where in the text the JSON syntax error is (only for `invalid-json`). */
  readonly position: TextPosition | undefined;
  /** Every problem found (schema and params errors can have several); the first one is `path`. */
  readonly issues: readonly ProjectIssue[];

  constructor(
    code: ProjectFileErrorCode,
    message: string,
    details: { path?: string; position?: TextPosition; issues?: ProjectIssue[]; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.path = details.path;
    this.position = details.position;
    this.issues = details.issues ?? (details.path ? [{ path: details.path, message }] : []);
  }

  /** Plain data for crossing a process boundary (IPC, worker messages drop custom error fields). */
  toJSON(): ProjectFileErrorData {
    return {
      name: 'ProjectFileError',
      code: this.code,
      message: this.message,
      ...(this.path === undefined ? {} : { path: this.path }),
      ...(this.position === undefined ? {} : { position: this.position }),
      issues: [...this.issues],
    };
  }

  /** Rebuilds an error from `toJSON()` output on the other side of a boundary. */
  static fromJSON(data: ProjectFileErrorData): ProjectFileError {
    return new ProjectFileError(data.code, data.message, {
      path: data.path,
      position: data.position,
      issues: data.issues,
    });
  }
}

/** `ProjectFileError` as plain data. */
export interface ProjectFileErrorData {
  name: 'ProjectFileError';
  code: ProjectFileErrorCode;
  message: string;
  path?: string;
  position?: TextPosition;
  issues: ProjectIssue[];
}

/** Formats path segments as a JSON path: `$`, `.key` for identifiers, `[3]`, `["odd key"]`. */
export function formatJsonPath(segments: readonly PropertyKey[]): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (typeof s === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(String(s))}]`;
  }
  return out;
}
