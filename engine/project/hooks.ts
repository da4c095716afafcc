/**
 * Plug points for per-type checks and migrations of node params (optimizers, schedules, losses
 * are nodes too), so the
 * project file can be validated generically now and precisely once the registries exist
 * (tldraw's `{type, version, config}` per record: migrate the params, then validate them).
 *
 * Invariant: hooks see only schema-valid data, and whatever they throw is turned into a
 * `ProjectFileError` ('invalid-params') naming the node, never passed through.
 */
import type { JsonObject } from './json-value';

/** A problem in a node's params; `path` is relative to the params object. */
export interface ParamProblem {
  path: (string | number)[];
  message: string;
}

/** Checks one node's params; returns [] when they are fine (an unknown type should be one problem). */
export type ParamValidator = (type: string, version: number, params: JsonObject) => ParamProblem[];

/** Upgrades one node's params to its type's current version (returns them unchanged when current). */
export type ParamMigrator = (
  type: string,
  version: number,
  params: JsonObject,
) => { version: number; params: JsonObject };

/** Registry hooks for loading. All optional: without them params are only checked to be JSON objects. */
export interface ProjectHooks {
  /** Applied to every node (the project graph and each run's graph snapshot), before `validateNode`. */
  migrateNode?: ParamMigrator;
  validateNode?: ParamValidator;
}
