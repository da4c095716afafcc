import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getNodeType, validateGraph } from '../../../engine/graph';
import {
  structureChanged,
  ViewCache,
  keyParamsText,
  edgePortType,
  edgePortTypes,
} from '../../../src-renderer/editor/flow-model';
import { layoutGraph } from '../../../src-renderer/editor/layout';
import { templateGraph } from '../../../src-renderer/editor/project-io';
import { EditorStore } from '../../../src-renderer/editor/store';
import { buildExamples, thumbnail } from '../../../src-renderer/lib/examples';

const iris = { featureWidth: 4, task: 'multiclass' as const, targetWidth: 1, numClasses: 3, trainRows: 120 };

describe('canvas views', () => {
  it('show each output shape from inference and key params from the registry', () => {
    const g = templateGraph();
    const views = new ViewCache().views(g, validateGraph(g, { dataset: iris }));
    expect(views.get('dense-1')!.outShape).toBe('[batch, 16]');
    expect(views.get('dense-2')!.outShape).toBe('[batch, 3]');
    expect(views.get('dataset-1')!.outputs.map((p) => [p.name, p.type, p.shape])).toEqual([
      ['features', 'tensor', '[batch, 4]'],
      ['targets', 'target', '[batch, 1]'],
    ]);
    expect(views.get('dense-1')!.inputs.map((p) => p.type)).toEqual(['tensor', 'initializer', 'initializer']);
    expect(keyParamsText(g.nodes[3])).toBe('units auto · bias');
    expect(edgePortType(g, 'optimizer-adam-1', 'optimizer')).toBe('optimizer');
  });

  it('carry a problem badge on the node a problem names', () => {
    const g = templateGraph();
    const views = new ViewCache().views(g, validateGraph(g, {}));
    // No CSV yet: the Dataset node reports it.
    expect(views.get('dataset-1')!.errors).toBeGreaterThan(0);
    expect(views.get('dataset-1')!.firstProblem).toMatch(/CSV|data/i);
  });

  it('are reused across a drag (positions only) and rebuilt after a param edit', () => {
    const s = new EditorStore();
    s.load(templateGraph());
    const cache = new ViewCache();
    const a = validateGraph(s.graph, { dataset: iris });
    const before = cache.views(s.graph, a);
    const g0 = s.graph;
    s.moveNodes(new Map([['dense-1', { x: 999, y: 5 }]]));
    expect(structureChanged(g0, s.graph)).toBe(false);
    expect(cache.views(s.graph, a).get('dense-1')).toBe(before.get('dense-1'));
    const g1 = s.graph;
    s.setParam('dense-1', 'units', 8);
    expect(structureChanged(g1, s.graph)).toBe(true);
    const after = cache.views(s.graph, validateGraph(s.graph, { dataset: iris }));
    expect(after.get('dense-1')!.outShape).toBe('[batch, 8]');
  });
});

describe('auto-layout', () => {
  it('places every edge source left of its target, without overlaps', () => {
    const g = templateGraph();
    const pos = layoutGraph(g);
    for (const e of g.edges) expect(pos.get(e.source)!.x, e.id).toBeLessThan(pos.get(e.target)!.x);
    const boxes = [...pos.values()];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const overlapX = Math.abs(boxes[i].x - boxes[j].x) < 176;
        const overlapY = Math.abs(boxes[i].y - boxes[j].y) < 72;
        expect(overlapX && overlapY).toBe(false);
      }
  });
});

describe('examples gallery', () => {
  const dir = 'examples';
  const files = readdirSync(dir);
  const projects = Object.fromEntries(
    files
      .filter((f) => f.endsWith('.netloom.json'))
      .map((f) => [`../../examples/${f}`, readFileSync(`${dir}/${f}`, 'utf8')]),
  );
  const csvs = Object.fromEntries(
    files.filter((f) => f.endsWith('.csv')).map((f) => [`../../examples/${f}`, `/assets/${f}`]),
  );

  it('lists every shipped example, loadable, with its CSV and a lesson', () => {
    const list = buildExamples(projects, csvs);
    expect(list).toHaveLength(Object.keys(projects).length);
    for (const ex of list) {
      expect(ex.error, ex.id).toBeNull();
      expect(ex.csvUrl, ex.id).toBe(`/assets/${ex.csvName}`);
      expect(ex.blurb.length, ex.id).toBeGreaterThan(10);
    }
  });

  it('reports a broken example instead of hiding it', () => {
    const list = buildExamples({ '../../examples/bad.netloom.json': '{' }, {});
    expect(list[0].error).toMatch(/JSON|position|line/i);
    expect(list[0].project).toBeNull();
  });

  it('draws a thumbnail with one box per node inside the box', () => {
    const g = templateGraph();
    const th = thumbnail(g, (t) => getNodeType(t)!.group, 240, 84);
    expect(th.boxes).toHaveLength(g.nodes.length);
    expect(th.lines).toHaveLength(g.edges.length);
    for (const b of th.boxes) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.x + b.w).toBeLessThanOrEqual(240 + 1e-9);
      expect(b.y + b.h).toBeLessThanOrEqual(84 + 1e-9);
    }
  });
});

describe('edge port types in one pass', () => {
  it('agrees with the per-edge lookup, and leaves out edges from unknown nodes/ports', () => {
    const g = templateGraph();
    const broken = {
      ...g,
      edges: [
        ...g.edges,
        { id: 'x', source: 'nope', sourcePort: 'out', target: g.nodes[1].id, targetPort: 'in' },
      ],
    };
    const types = edgePortTypes(broken);
    for (const e of g.edges) expect(types.get(e.id)).toBe(edgePortType(g, e.source, e.sourcePort));
    expect(new Set(types.values())).toEqual(new Set(['tensor', 'target', 'optimizer']));
    expect(types.has('x')).toBe(false);
  });
});
