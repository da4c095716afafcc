/**
 * Saving a project: prune checkpoints → file document → schema check → canonical JSON text.
 *
 * Invariants: the text is deterministic (same project, same bytes; see canonical-json.ts);
 * nothing is produced that `loadProject` would refuse (the document is validated before it is
 * written); and load(serialize(p)) equals pruneCheckpoints(p).
 */
import { NotJsonError, stringifyCanonical } from './canonical-json';
import { projectToFile } from './codec';
import { ProjectFileError } from './errors';
import { validateDocument } from './load';
import { CURRENT_FORMAT_VERSION } from './migrations';
import { PROJECT_FORMAT, type Project, type TrainingSettings } from './types';

/**
 * The project with checkpoints (weights, optimizer state) kept only on the latest run (the last
 * in `runs`) and on pinned runs; older unpinned runs keep their history and metrics.
 * Returns a new top-level object; runs that change are shallow-copied, nothing is mutated.
 */
export function pruneCheckpoints(project: Project): Project {
  const last = project.runs.length - 1;
  return {
    ...project,
    runs: project.runs.map((r, i) =>
      i === last || r.pinned || r.checkpoint === null ? r : { ...r, checkpoint: null },
    ),
  };
}

/**
 * The `.netloom.json` text for a project (after `pruneCheckpoints`).
 * @throws ProjectFileError `invalid-project` naming the path when the project cannot be written
 *   (NaN or a class instance inside params, a tensor whose length does not match its shape,
 *   a duplicate id, …).
 */
export function serializeProject(project: Project): string {
  const doc = projectToFile(pruneCheckpoints(project));
  let text: string;
  try {
    text = stringifyCanonical(doc);
  } catch (cause) {
    if (cause instanceof NotJsonError) {
      throw new ProjectFileError('invalid-project', `Cannot save the project: ${cause.message}.`, {
        path: cause.path,
        cause,
      });
    }
    throw cause;
  }
  try {
    // Validate what will be written, exactly as the loader will see it (after JSON round trip).
    validateDocument(JSON.parse(text), 'The project to save');
  } catch (cause) {
    if (cause instanceof ProjectFileError) {
      throw new ProjectFileError(
        'invalid-project',
        cause.message.replace(/^The project to save/, 'Cannot save the project: it'),
        {
          path: cause.path,
          issues: [...cause.issues],
          cause,
        },
      );
    }
    throw cause;
  }
  return text;
}

/** Training settings for a new project: 10 epochs, batch 32, seed 42, auto backend, no early stopping. */
export function defaultTrainingSettings(): TrainingSettings {
  return {
    epochs: 10,
    batchSize: 32,
    seed: 42,
    backend: 'auto',
    earlyStopping: null,
  };
}

/** An empty project (no nodes, no dataset, no runs). */
export function createProject(options: { name: string; appVersion: string }): Project {
  return {
    format: PROJECT_FORMAT,
    formatVersion: CURRENT_FORMAT_VERSION,
    app: { name: 'Netloom', version: options.appVersion },
    name: options.name,
    graph: { nodes: [], edges: [] },
    dataset: null,
    training: defaultTrainingSettings(),
    runs: [],
  };
}
