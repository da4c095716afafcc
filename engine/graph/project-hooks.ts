/**
 * The node registry's hooks for loading project files (engine/project `ProjectHooks`): per-type param
 * migration and validation, so a saved node with an unknown type, a newer params version or a bad param
 * is reported when the file is opened, naming the node and the param.
 *
 * Invariants: pure; every node type is at params version 1, so migration is the identity until a type's
 * params change (then add its step to MIGRATIONS below — a one-line change per type and version).
 */
import type { ParamMigrator, ParamProblem, ParamValidator, ProjectHooks } from '../project/hooks';
import type { JsonObject } from '../project/json-value';
import { paramError } from './params';
import { getNodeType } from './registry';

/** Per-type param migrations: MIGRATIONS[type][v] upgrades params from version v to v + 1. */
const MIGRATIONS: Readonly<Record<string, Readonly<Record<number, (p: JsonObject) => JsonObject>>>> = {};

/** Upgrades a node's params to its type's current version; unknown types pass through unchanged. */
export const migrateNodeParams: ParamMigrator = (type, version, params) => {
  const def = getNodeType(type);
  if (!def) return { version, params };
  let v = version;
  let p = params;
  while (v < def.version) {
    const step = MIGRATIONS[type]?.[v];
    if (!step) break; // validateNodeParams reports the version it cannot read
    p = step(p);
    v++;
  }
  return { version: v, params: p };
};

/** Problems with a node's params after migration; [] when they are fine. */
export const validateNodeParams: ParamValidator = (type, version, params) => {
  const def = getNodeType(type);
  if (!def)
    return [{ path: [], message: `unknown node type '${type}'; this version of Netloom cannot use it` }];
  if (version !== def.version)
    return [
      {
        path: [],
        message:
          version > def.version
            ? `node type '${type}' params version ${version} is newer than this app reads (${def.version}); update Netloom`
            : `node type '${type}' params version ${version} cannot be upgraded to ${def.version}`,
      },
    ];
  const problems: ParamProblem[] = [];
  for (const spec of def.params) {
    if (!Object.prototype.hasOwnProperty.call(params, spec.name)) continue;
    const why = paramError(spec, params[spec.name]);
    if (why !== null) problems.push({ path: [spec.name], message: `'${spec.label}' ${why}` });
  }
  return problems;
};

/** Pass as `loadProject(text, { hooks: graphProjectHooks })`. */
export const graphProjectHooks: ProjectHooks = {
  migrateNode: migrateNodeParams,
  validateNode: validateNodeParams,
};
