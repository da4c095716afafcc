/**
 * Application state of the renderer shell: which screen is shown, the draft graph on the
 * canvas, panel visibility, the bottom panel's tab and the palette search.
 *
 * Svelte 5 runes in a class (one instance per window, created in App.svelte and passed down
 * through context). Logic that can live outside Svelte lives in ../lib and is unit-tested
 * there; this class only wires it to reactive state and to the host.
 */
import type { Edge, Node } from '@xyflow/svelte';
import type { FileRef, MenuCommand, NetloomHost, RecentProject } from '../host';
import { createDraftNode, keyboardDropPosition, type DraftNodeData } from '../lib/draft-graph';
import { findPaletteItem, PLACEHOLDER_PALETTE, type PaletteItem } from '../lib/palette';
import { TrainerProbe } from './trainer-probe.svelte';

/** A node as Svelte Flow holds it (with `selected`, `measured`, … managed by the flow). */
export type FlowNode = Node<DraftNodeData, 'netloom'>;

export type View = 'welcome' | 'editor';
export type BottomTab = 'data' | 'training' | 'problems';

export const BOTTOM_TABS: readonly { id: BottomTab; label: string }[] = [
  { id: 'data', label: 'Data' },
  { id: 'training', label: 'Training' },
  { id: 'problems', label: 'Problems' },
];

/** Canvas operations the app asks of the flow view (registered by FlowCanvas when mounted). */
export interface CanvasControls {
  /** Centre of the visible canvas area in flow coordinates. */
  visibleCentre(): { x: number; y: number };
  fitView(): void;
  zoomIn(): void;
  zoomOut(): void;
  zoomReset(): void;
}

export interface Notice {
  kind: 'info' | 'error';
  text: string;
}

const stripProjectExtension = (name: string) => name.replace(/\.netloom\.json$/i, '').replace(/\.json$/i, '');

export class AppState {
  view = $state<View>('welcome');
  projectName = $state('Untitled project');
  projectFile = $state<FileRef | null>(null);
  edited = $state(false);

  paletteItems: readonly PaletteItem[] = PLACEHOLDER_PALETTE;
  paletteQuery = $state('');
  showPalette = $state(true);
  showInspector = $state(true);
  showBottomPanel = $state(true);
  bottomTab = $state<BottomTab>('data');

  /** Canvas graph; replaced immutably (Svelte Flow binds to these arrays). */
  nodes = $state.raw<FlowNode[]>([]);
  edges = $state.raw<Edge[]>([]);

  recent = $state.raw<RecentProject[]>([]);
  notice = $state<Notice | null>(null);

  /** The single selected node, or null (none or several selected). */
  selectedNode = $derived.by(() => {
    const selected = this.nodes.filter((n) => n.selected);
    return selected.length === 1 ? selected[0] : null;
  });
  selectedCount = $derived(this.nodes.filter((n) => n.selected).length);

  /** The dummy-run probe of the Training tab; lives with the window so a run survives tab switches. */
  readonly trainerProbe: TrainerProbe;

  #canvas: CanvasControls | null = null;

  constructor(readonly host: NetloomHost) {
    this.trainerProbe = new TrainerProbe(host);
  }

  /** Called by FlowCanvas on mount; returns the function that unregisters it. */
  registerCanvas(controls: CanvasControls): () => void {
    this.#canvas = controls;
    return () => {
      if (this.#canvas === controls) this.#canvas = null;
    };
  }

  async refreshRecent(): Promise<void> {
    try {
      this.recent = await this.host.recentProjects();
    } catch (err) {
      this.recent = [];
      this.notify('error', `Could not read the recent-projects list: ${errorText(err)}`);
    }
  }

  notify(kind: Notice['kind'], text: string): void {
    this.notice = { kind, text };
  }

  newProject(): void {
    this.nodes = [];
    this.edges = [];
    this.projectName = 'Untitled project';
    this.projectFile = null;
    this.edited = false;
    this.notice = null;
    this.view = 'editor';
    this.syncDocumentState();
  }

  async openProject(): Promise<void> {
    try {
      const opened = await this.host.openProject();
      if (opened) this.showOpened(opened.file);
    } catch (err) {
      this.notify('error', `Could not open the project: ${errorText(err)}`);
    }
  }

  async openRecent(entry: RecentProject): Promise<void> {
    try {
      const opened = await this.host.openRecent(entry.file);
      this.showOpened(opened.file);
    } catch (err) {
      this.notify('error', errorText(err));
      await this.refreshRecent();
    }
  }

  // NOTE: reading the project document into the graph arrives with engine/project (format and
  // migrations); until then opening shows the project's name on an empty canvas and says so.
  showOpened(file: FileRef): void {
    this.nodes = [];
    this.edges = [];
    this.projectName = stripProjectExtension(file.name);
    this.projectFile = file;
    this.edited = false;
    this.view = 'editor';
    this.notify(
      'info',
      `Opened ${file.name}. Loading saved graphs arrives with the project format; the canvas starts empty.`,
    );
    this.syncDocumentState();
  }

  /** A data file was dropped on the window. Loading data arrives with the Data tab (issue to come). */
  receiveDroppedData(name: string, byteLength: number): void {
    this.bottomTab = 'data';
    this.notify(
      'info',
      `Received ${name} (${byteLength.toLocaleString('en')} bytes). Loading CSV files into the Data tab arrives in a later version.`,
    );
  }

  goHome(): void {
    this.view = 'welcome';
    void this.refreshRecent();
  }

  /** Add a node of palette type `type` at `position` (flow coordinates) or, by default, at the
   * centre of the visible canvas. Unknown types are reported, not thrown. */
  addNode(type: string, position?: { x: number; y: number }): FlowNode | null {
    const item = findPaletteItem(this.paletteItems, type);
    if (!item) {
      this.notify('error', `Unknown node type '${type}': it is not in the palette.`);
      return null;
    }
    const at =
      position ??
      keyboardDropPosition(
        this.#canvas?.visibleCentre() ?? { x: 0, y: 0 },
        this.nodes.map((n) => n.position),
      );
    const node = createDraftNode(
      item,
      at,
      this.nodes.map((n) => n.id),
    );
    // The new node becomes the only selection so the inspector shows it.
    const added: FlowNode = { ...node, selected: true };
    this.nodes = [...this.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), added];
    this.markEdited();
    return added;
  }

  deleteSelected(): void {
    // Plain arrays, not a Set: a graph is small and this is not reactive state.
    const gone = this.nodes.filter((n) => n.selected).map((n) => n.id);
    const edgeGoes = (e: Edge) => e.selected || gone.includes(e.source) || gone.includes(e.target);
    if (gone.length === 0 && !this.edges.some(edgeGoes)) return;
    this.nodes = this.nodes.filter((n) => !gone.includes(n.id));
    this.edges = this.edges.filter((e) => !edgeGoes(e));
    this.markEdited();
  }

  markEdited(): void {
    if (!this.edited) {
      this.edited = true;
      this.syncDocumentState();
    }
  }

  syncDocumentState(): void {
    const title = this.view === 'welcome' ? 'Netloom' : `${this.projectName} — Netloom`;
    this.host.setDocumentState({ title, edited: this.view === 'editor' && this.edited });
  }

  /** Execute an application-menu command (Electron menu or browser shortcut). */
  runCommand(command: MenuCommand): void {
    switch (command) {
      case 'file.new':
        this.newProject();
        return;
      case 'file.open':
        void this.openProject();
        return;
      case 'edit.delete':
        this.deleteSelected();
        return;
      case 'edit.selectAll':
        this.nodes = this.nodes.map((n) => ({ ...n, selected: true }));
        return;
      case 'view.fit':
        this.#canvas?.fitView();
        return;
      case 'view.zoomIn':
        this.#canvas?.zoomIn();
        return;
      case 'view.zoomOut':
        this.#canvas?.zoomOut();
        return;
      case 'view.zoomReset':
        this.#canvas?.zoomReset();
        return;
      case 'view.togglePalette':
        this.showPalette = !this.showPalette;
        return;
      case 'view.toggleInspector':
        this.showInspector = !this.showInspector;
        return;
      case 'view.toggleBottomPanel':
        this.showBottomPanel = !this.showBottomPanel;
        return;
      case 'file.save':
      case 'file.saveAs':
      case 'file.export':
      case 'edit.undo':
      case 'edit.redo':
        this.notify('info', `“${command}” is not available yet in this version of Netloom.`);
        return;
      case 'help.about':
        this.notify(
          'info',
          `Netloom ${this.host.appVersion} (${this.host.kind === 'electron' ? 'desktop' : 'web edition'}).`,
        );
        return;
      case 'help.userGuide':
        this.notify('info', 'The user guide is docs/user-guide.md in the Netloom repository.');
        return;
      default:
        command satisfies never;
    }
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
