// The in-app Help: every registry node type has a generated page (so adding a node type without help
// fails here), formulas are the registry's own and parse in KaTeX, contents and search find pages,
// links between pages resolve, docs/nodes.md matches the generator, and F1 opens the user guide.
import { readFileSync } from 'node:fs';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { defaultParams, getNodeType, nodeTypes, PALETTE_GROUPS } from '../../../engine/graph';
import { allHelpPages, helpPage, helpToc, searchHelp } from '../../../src-renderer/help/help-index';
import { parseInline, plainText } from '../../../src-renderer/help/help-text';
import { renderNodeDocs } from '../../../src-renderer/help/node-docs';
import { nodeHelpPage, nodeHelpPages, nodePageId } from '../../../src-renderer/help/node-pages';
import { PANEL_PAGES } from '../../../src-renderer/help/panel-pages';
import { commandForKey, MENU_ACCELERATORS } from '../../../src-renderer/host/shortcuts';
import { activationPlot, initializerPlot, schedulePlot } from '../../../src-renderer/lib/plots';

describe('node help pages', () => {
  const types = [...nodeTypes().keys()];

  it('exist for every registry node type, once each', () => {
    expect(types.length).toBeGreaterThan(50);
    const pageTypes = nodeHelpPages().map((p) => p.type);
    expect(new Set(pageTypes).size).toBe(pageTypes.length);
    expect([...pageTypes].sort()).toEqual([...types].sort());
    for (const t of types) expect(helpPage(nodePageId(t))?.kind, t).toBe('node');
  });

  it.each(types)('%s has text, a formula, its params and ports, a lecture reference and tips', (type) => {
    const def = getNodeType(type)!;
    const page = nodeHelpPage(type)!;
    expect(page.title).toBe(def.label);
    expect(page.purpose.trim().length).toBeGreaterThan(10);
    // The registry's formula is shown unchanged; nodes without one get a help formula.
    if (def.formula !== undefined) {
      expect(page.formula).toBe(def.formula);
      expect(page.formulaSource).toBe('registry');
    } else {
      expect(page.formula.trim()).not.toBe('');
      expect(page.formulaSource).toBe('help');
    }
    expect(page.params.map((r) => r.name)).toEqual(def.params.map((p) => p.name));
    for (const [i, r] of page.params.entries()) {
      expect(r.label).toBe(def.params[i].label);
      expect(r.type).not.toBe('');
      expect(r.default).not.toBe('');
    }
    expect(page.ports.filter((r) => r.direction === 'input').map((r) => r.name)).toEqual(
      def.inputs.map((p) => p.name),
    );
    expect(page.ports.filter((r) => r.direction === 'output').map((r) => r.name)).toEqual(
      def.outputs.map((p) => p.name),
    );
    expect(page.lecture.trim()).not.toBe('');
    expect(page.tips.length).toBeGreaterThan(0);
    for (const tip of page.tips) expect(tip.trim()).not.toBe('');
  });

  it.each(types)('%s: its formula is valid LaTeX for KaTeX', (type) => {
    const f = nodeHelpPage(type)!.formula;
    expect(() => katex.renderToString(f, { throwOnError: true, displayMode: true })).not.toThrow();
  });

  it('shows a plot wherever the inspector has one, at the default params', () => {
    let plotted = 0;
    for (const page of nodeHelpPages()) {
      const def = getNodeType(page.type)!;
      const params = defaultParams(page.type);
      const inspector =
        def.family === 'activation'
          ? activationPlot(def.key, params)
          : def.family === 'initializer'
            ? initializerPlot(def.key, params, 16, 16)
            : def.family === 'schedule'
              ? schedulePlot(def.key, params, 0.01, 60)
              : null;
      // Wherever the inspector draws a plot, the help page asks for the same one, and only there.
      if (inspector) {
        expect(page.plot, page.type).toBe(def.family);
        plotted++;
      } else expect(page.plot, page.type).toBeNull();
    }
    expect(plotted).toBeGreaterThan(20);
  });

  it('describes ranges, enum choices and auto units from the registry', () => {
    const dense = nodeHelpPage('Dense')!;
    const units = dense.params.find((r) => r.name === 'units')!;
    expect(units.type).toBe('integer or auto');
    expect(units.range).toBe('[1, 65536]');
    expect(units.default).toBe('16');
    const dropout = nodeHelpPage('Dropout')!.params[0];
    expect(dropout.range).toBe('[0, 1)');
    const rbf = nodeHelpPage('RBF')!.params.find((r) => r.name === 'placement')!;
    expect(rbf.type).toBe('choice');
    expect(rbf.range.split(' | ')).toContain('kmeans++');
    const weightInit = dense.ports.find((r) => r.name === 'weightInit')!;
    expect(weightInit).toMatchObject({ direction: 'input', type: 'initializer' });
    expect(weightInit.notes).toContain('optional');
  });

  it('tells which initializer suits ReLU and which suits sigmoid', () => {
    expect(nodeHelpPage('Activation.relu')!.tips.join(' ')).toContain('He (Kaiming) normal');
    expect(nodeHelpPage('Activation.sigmoid')!.tips.join(' ')).toContain('Glorot');
    expect(nodeHelpPage('Activation.selu')!.tips.join(' ')).toContain('LeCun normal');
    expect(nodeHelpPage('Initializer.he_normal')!.tips.join(' ')).toMatch(/ReLU/);
  });

  it('names the lecture section (activations from their own registry source)', () => {
    expect(nodeHelpPage('Activation.leaky_relu')!.lecture).toBe('ReLU variants');
    expect(nodeHelpPage('Optimizer.adam')!.lecture).toBe('ADAM algorithm');
    expect(nodeHelpPage('Initializer.glorot_uniform')!.lecture).toBe('Glorot Initialization');
  });
});

describe('contents and search', () => {
  it('lists the guide pages in order, then every node group of the palette', () => {
    const toc = helpToc();
    expect(toc[0].entries.map((e) => e.title)).toEqual([
      'Getting started',
      'Editor',
      'Data import wizard',
      'Training panel',
      'Charts',
      'Experiments',
      'Export',
      'Keyboard shortcuts',
    ]);
    expect(toc.slice(1).map((g) => g.label)).toEqual(PALETTE_GROUPS.map((g) => `Nodes · ${g.label}`));
    const ids = toc.flatMap((g) => g.entries.map((e) => e.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(
      allHelpPages()
        .map((p) => p.id)
        .sort(),
    );
  });

  it('finds ReLU first for "ReLU" and "relu", then its variants', () => {
    for (const q of ['ReLU', 'relu', '  ReLU ']) {
      const r = searchHelp(q);
      expect(r[0].id).toBe('node:Activation.relu');
      expect(r.map((p) => p.id)).toContain('node:Activation.leaky_relu');
    }
  });

  it('needs every word, searches the text of pages, and returns nothing for a blank query', () => {
    expect(searchHelp('')).toEqual([]);
    expect(searchHelp('   ')).toEqual([]);
    expect(searchHelp('thousands separators').map((p) => p.id)).toContain('data-import');
    expect(searchHelp('warm restart')[0].id).toBe('node:Schedule.sgdr');
    expect(searchHelp('zzzz no such words')).toEqual([]);
    const both = searchHelp('adam weight decay').map((p) => p.id);
    expect(both).toContain('node:Optimizer.adamw');
    expect(both).not.toContain('node:Optimizer.sgd');
  });
});

describe('hand-written pages', () => {
  it('have unique ids outside the node namespace and non-empty sections', () => {
    const ids = PANEL_PAGES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of PANEL_PAGES) {
      expect(p.id.startsWith('node:')).toBe(false);
      expect(p.summary.trim()).not.toBe('');
      expect(p.sections.length).toBeGreaterThan(0);
      for (const s of p.sections) expect(s.blocks.length, `${p.id} / ${s.heading}`).toBeGreaterThan(0);
    }
  });

  it('link only to pages that exist', () => {
    const texts = PANEL_PAGES.flatMap((p) =>
      p.sections.flatMap((s) =>
        s.blocks.flatMap((b) => ('p' in b ? [b.p] : 'ul' in b ? b.ul : b.table.rows.flat())),
      ),
    );
    const links = texts.flatMap((t) => parseInline(t).filter((x) => x.kind === 'link'));
    expect(links.length).toBeGreaterThan(3);
    for (const l of links) if (l.kind === 'link') expect(helpPage(l.page), l.page).toBeDefined();
  });

  it('document F1 among the shortcuts', () => {
    expect(searchHelp('F1').map((p) => p.id)).toContain('shortcuts');
  });
});

describe('inline markup', () => {
  it('parses bold, code, keys and links, and leaves stray markers as text', () => {
    expect(parseInline('Press {F1} or **Help** for `x` and [[editor|the editor]].')).toEqual([
      { kind: 'text', text: 'Press ' },
      { kind: 'key', text: 'F1' },
      { kind: 'text', text: ' or ' },
      { kind: 'bold', text: 'Help' },
      { kind: 'text', text: ' for ' },
      { kind: 'code', text: 'x' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', page: 'editor', text: 'the editor' },
      { kind: 'text', text: '.' },
    ]);
    expect(parseInline('a * b ** c')).toEqual([{ kind: 'text', text: 'a * b ** c' }]);
    expect(plainText('**Save** with {Ctrl+S}')).toBe('Save with Ctrl+S');
  });
});

describe('docs/nodes.md and F1', () => {
  it('docs/nodes.md is the generator output (run `npx tsx scripts/gen-node-docs.ts` after a registry change)', () => {
    const committed = readFileSync(new URL('../../../docs/nodes.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderNodeDocs());
    for (const t of nodeTypes().keys()) expect(committed).toContain(`\`${t}\``);
  });

  it('F1 is the user-guide command in both editions', () => {
    expect(MENU_ACCELERATORS['help.userGuide']).toBe('F1');
    const f1 = { key: 'F1', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false };
    expect(commandForKey(f1, false, false)).toBe('help.userGuide');
    expect(commandForKey(f1, true, true)).toBe('help.userGuide');
  });
});
