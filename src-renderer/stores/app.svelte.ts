/**
 * Application state of the renderer: which screen is shown, the project being edited (an
 * EditorStore holding the graph, its history and dirty state), the dataset that gives shapes, the
 * canvas arrays Svelte Flow binds to, panels, and the project-file commands.
 *
 * Svelte 5 runes in a class (one instance per window, created in App.svelte). All graph edits go
 * through `this.editor` (framework-free, unit-tested); after each edit `#sync` re-validates (only
 * when something other than positions changed) and rebuilds the canvas arrays immutably, reusing
 * unchanged node views.
 */
/* eslint-disable svelte/prefer-svelte-reactivity -- the Sets/Maps here are local working values;
   reactivity lives in the $state.raw arrays, which are replaced, never mutated. */
import type { Connection, Edge, Node } from '@xyflow/svelte';
import {
  checkConnection,
  getNodeType,
  paletteEntries,
  summarize,
  validateGraph,
  type Graph,
  type GraphContext,
  type ModelSummary,
  type ProposedEdge,
  type ValidationResult,
} from '../../engine/graph';
import type { Project } from '../../engine/project';
import type { FileRef, MenuCommand, NetloomHost, OpenedText, RecentProject } from '../host';
import { edgePortTypes, structureChanged, ViewCache, type NodeView } from '../editor/flow-model';
import { layoutGraph } from '../editor/layout';
import {
  datasetReferenceToSave,
  loadCsv,
  newDocument,
  parseProject,
  serializeEditorProject,
  templateGraph,
  withImportSettings,
  withRunOutcome,
  type LoadedCsv,
  type RunOutcomeLike,
} from '../editor/project-io';
import { AUTOSAVE_INTERVAL_MS, RecoveryFile, type RecoverySnapshot } from '../editor/recovery';
import { EditorStore, type ClipboardData, type DocMeta } from '../editor/store';
import { keyboardDropPosition } from '../lib/draft-graph';
import { exampleForDataset, type ExampleEntry } from '../lib/examples';
import { EXAMPLES } from '../lib/examples-bundle';
import type { PaletteItem } from '../lib/palette';
import { BrowserRecent } from './browser-recent';
import { TrainerProbe } from './trainer-probe.svelte';
import { parseImportSettings } from '../wizard/model';
import { wizardState } from '../wizard/wizard-state.svelte';
import type { RunEvent } from '../host';
import { help } from '../help/help-state.svelte';
import { trainingSession } from '../training/session.svelte';

/** The dataset state recorded in the editor history (see AppState #datasetMeta). */
interface DatasetMeta extends Record<string, unknown> {
  reference: Project['dataset'];
  loaded: LoadedCsv | null;
  applied: typeof wizardState.applied;
}

/** A node as Svelte Flow holds it (with `selected`, `measured`, … managed by the flow). */
export type FlowNode = Node<NodeView, 'netloom'>;

export type View = 'welcome' | 'editor';
export type BottomTab = 'data' | 'summary' | 'problems' | 'training';

export const BOTTOM_TABS: readonly { id: BottomTab; label: string }[] = [
  { id: 'data', label: 'Data' },
  { id: 'summary', label: 'Summary' },
  { id: 'problems', label: 'Problems' },
  { id: 'training', label: 'Training' },
];

/** Canvas operations the app asks of the flow view (registered by FlowCanvas when mounted). */
export interface CanvasControls {
  /** Centre of the visible canvas area in flow coordinates. */
  visibleCentre(): { x: number; y: number };
  fitView(): void;
  zoomIn(): void;
  zoomOut(): void;
  zoomReset(): void;
  /** Centres the view on a node. */
  reveal(nodeId: string): void;
}

export interface Notice {
  kind: 'info' | 'error';
  text: string;
  /** A button offered with the notice (e.g. "Stop the run and edit"). */
  action?: { label: string; run: () => void };
}

/** Why the network cannot be edited while a training run is active (store lock reason). */
export const RUN_LOCK_REASON =
  'A training run is in progress, so the network cannot be changed (moving nodes is fine). Stop the run to edit it.';

/** A refused connection, shown next to the pointer where the wire was dropped. */
export interface Refusal {
  reason: string;
  x: number;
  y: number;
}

const stripProjectExtension = (name: string) => name.replace(/\.netloom\.json$/i, '').replace(/\.json$/i, '');

function localStore(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export class AppState {
  view = $state<View>('welcome');
  projectName = $state('Untitled project');
  projectFile = $state<FileRef | null>(null);
  /** Unsaved changes (mirrors editor.dirty). */
  edited = $state(false);
  canUndo = $state(false);
  canRedo = $state(false);
  /** Label of the step Undo would revert (mirrors editor.undoLabel), for the Undo button's tooltip. */
  undoLabel = $state<string | null>(null);

  readonly paletteItems: readonly PaletteItem[] = paletteEntries();
  paletteQuery = $state('');
  showPalette = $state(true);
  showInspector = $state(true);
  showBottomPanel = $state(true);
  bottomTab = $state<BottomTab>('data');

  /** Canvas graph; replaced immutably (Svelte Flow binds to these arrays). */
  nodes = $state.raw<FlowNode[]>([]);
  edges = $state.raw<Edge[]>([]);

  /** The project graph (the editor's, mirrored for components) and its validation. */
  graph = $state.raw<Graph>({ nodes: [], edges: [] });
  analysis = $state.raw<ValidationResult>(validateGraph({ nodes: [], edges: [] }));
  dataset = $state.raw<LoadedCsv | null>(null);
  /** Planned epochs and batch size (from the project's training settings). */
  epochs = $state(60);
  batchSize = $state(16);

  recent = $state.raw<RecentProject[]>([]);
  notice = $state<Notice | null>(null);
  refusal = $state<Refusal | null>(null);
  recovery = $state.raw<RecoverySnapshot | null>(null);
  /** The node whose "Connect to…" list is open (wiring by keyboard), or null. */
  connectFor = $state<string | null>(null);
  /** Editing is refused because a training run is active (see setRunActive). */
  runLocked = $state(false);
  /** Whether the Export dialog (src-renderer/export/ExportDialog.svelte) is open. */
  exportOpen = $state(false);

  /** From the validation's own shape inference (same graph and context), so it costs no second pass. */
  summary: ModelSummary = $derived(summarize(this.analysis.shapes.index, this.analysis.shapes));

  /** The single selected node's id, or null (none or several selected). */
  selectedId = $derived.by(() => {
    const selected = this.nodes.filter((n) => n.selected);
    return selected.length === 1 ? selected[0].id : null;
  });
  selectedCount = $derived(this.nodes.filter((n) => n.selected).length);

  /** The dummy-run probe of the Training tab; lives with the window so a run survives tab switches. */
  readonly trainerProbe: TrainerProbe;
  readonly editor = new EditorStore();

  #canvas: CanvasControls | null = null;
  #doc: Project;
  #views = new ViewCache();
  #lastGraph: Graph | null = null;
  /** The graph edges and analysis the canvas edges were last built from. */
  #edgesFrom: { edges: Graph['edges'] | null; analysis: ValidationResult | null } = {
    edges: null,
    analysis: null,
  };
  /** The editor's meta as last shown (see #datasetMeta). */
  #lastMeta: DocMeta = null;
  /** A node drag is in progress (Svelte Flow holds the live positions). */
  #dragging = false;
  #select = new Set<string>();
  #clipboard: ClipboardData | null = null;
  #recoveryFile: RecoveryFile | null;
  /** Web edition: recent projects kept in this browser (the host has no list of its own). */
  #browserRecent: BrowserRecent | null;
  #refusalTimer: ReturnType<typeof setTimeout> | undefined;
  /** Stops the active run (set by setRunActive while a run is active). */
  #stopRun: (() => unknown) | null = null;
  /** Bumped whenever another project is shown: a run's outcome belongs to the project that started it. */
  #generation = 0;
  /** Run id → the generation (project) it started in. */
  #runGenerations = new Map<string, number>();
  /** Document-level edits outside the graph history (import settings, runs): unsaved until Save. */
  #docEdited = false;
  /** The bundled CSV of an example opened as an untitled copy; copied next to it on its first save. */
  #exampleCsv: { name: string; bytes: Uint8Array } | null = null;

  constructor(readonly host: NetloomHost) {
    this.trainerProbe = new TrainerProbe(host);
    this.#doc = newDocument('Untitled project', host.appVersion);
    const storage = localStore();
    this.#recoveryFile = storage ? new RecoveryFile(storage) : null;
    this.#browserRecent = storage && host.kind === 'browser' ? new BrowserRecent(storage) : null;
    this.recovery = this.#recoveryFile?.read() ?? null;
    this.editor.subscribe(() => this.#sync());
    this.editor.onRefused((reason) =>
      this.notify('error', reason, { label: 'Stop the run and edit', run: () => this.stopRunAndEdit() }),
    );
    // Runs started from the Training tab end with their trained weights and fitted preprocessing.
    host.onRunEvent((e) => this.#onRunEvent(e));
  }

  /** Unsaved changes in the graph or in the rest of the document. */
  get dirty(): boolean {
    return this.editor.dirty || this.#docEdited;
  }

  #markDocEdited(): void {
    this.#docEdited = true;
    this.edited = true;
    this.syncDocumentState();
  }

  // ---- canvas registration, notices -----------------------------------------------------------

  /** Called by FlowCanvas on mount; returns the function that unregisters it. */
  registerCanvas(controls: CanvasControls): () => void {
    this.#canvas = controls;
    return () => {
      if (this.#canvas === controls) this.#canvas = null;
    };
  }

  async refreshRecent(): Promise<void> {
    try {
      this.recent = this.#browserRecent ? this.#browserRecent.list() : await this.host.recentProjects();
    } catch (err) {
      this.recent = [];
      this.notify('error', `Could not read the recent-projects list: ${errorText(err)}`);
    }
  }

  notify(kind: Notice['kind'], text: string, action?: Notice['action']): void {
    this.notice = action ? { kind, text, action } : { kind, text };
  }

  // ---- training-run lock ----------------------------------------------------------------------

  /**
   * Told by the workbench whether a training run is active: while one is, the editor store refuses
   * every change to the network (with a notice offering "Stop the run and edit"); `stop` ends the run.
   */
  setRunActive(active: boolean, stop: (() => unknown) | null = null): void {
    this.#stopRun = active ? stop : null;
    if (active === this.runLocked) return;
    this.runLocked = active;
    if (active) this.editor.lock(RUN_LOCK_REASON);
    else {
      this.editor.unlock();
      if (this.notice?.text === RUN_LOCK_REASON) this.notice = null;
    }
  }

  /** The notice's "Stop the run and edit": stops the run; editing unlocks when the run has ended. */
  stopRunAndEdit(): void {
    const stop = this.#stopRun;
    if (!stop) return;
    this.notify('info', 'Stopping the run… editing is possible as soon as it has stopped.');
    void Promise.resolve()
      .then(stop)
      .catch((err: unknown) => this.notify('error', `Could not stop the run: ${errorText(err)}`));
  }

  /** Shows why a wire was refused, at the pointer, for a few seconds. */
  showRefusal(reason: string, x: number, y: number): void {
    clearTimeout(this.#refusalTimer);
    this.refusal = { reason, x, y };
    this.#refusalTimer = setTimeout(() => (this.refusal = null), 5000);
  }

  /** Hides a shown refusal at once: a new wire drag must not carry the previous drop's reason. */
  clearRefusal(): void {
    clearTimeout(this.#refusalTimer);
    this.refusal = null;
  }

  // ---- analysis and canvas sync ---------------------------------------------------------------

  #context(): GraphContext {
    return { dataset: this.dataset?.info, batchSize: this.batchSize };
  }

  /**
   * Re-validates (unless only positions changed) and rebuilds the canvas arrays. During a node drag
   * Svelte Flow already holds the live positions, so a position-only change skips the rebuild (and
   * `graph`, so nothing derived from it recomputes per frame); the drag's end syncs once.
   */
  #sync(force = false): void {
    const meta = this.editor.meta;
    if (meta !== this.#lastMeta) {
      // Only undo/redo get here (our own meta changes set #lastMeta first).
      this.#lastMeta = meta;
      this.#restoreDatasetMeta(meta);
      force = true;
    }
    const graph = this.editor.graph;
    const structural = force || structureChanged(this.#lastGraph, graph);
    if (structural) this.analysis = validateGraph(graph, this.#context());
    this.#lastGraph = graph;
    this.edited = this.dirty;
    this.canUndo = this.editor.canUndo;
    this.canRedo = this.editor.canRedo;
    this.undoLabel = this.editor.undoLabel;
    if (!structural && this.#dragging) return;
    this.graph = graph;
    const views = this.#views.views(graph, this.analysis);
    const prev = new Map(this.nodes.map((n) => [n.id, n]));
    const select = this.#select;
    this.nodes = graph.nodes.map((n) => {
      const old = prev.get(n.id);
      const data = views.get(n.id)!;
      const selected = select.size > 0 ? select.has(n.id) : (old?.selected ?? false);
      if (
        old &&
        old.data === data &&
        old.position.x === n.position.x &&
        old.position.y === n.position.y &&
        old.selected === selected
      )
        return old;
      return {
        ...(old ?? {}),
        id: n.id,
        type: 'netloom',
        position: { x: n.position.x, y: n.position.y },
        data,
        selected,
      };
    });
    this.#select = new Set();
    // Edges depend on the graph's edges and the analysis (shape labels) only.
    if (graph.edges !== this.#edgesFrom.edges || this.analysis !== this.#edgesFrom.analysis) {
      this.#edgesFrom = { edges: graph.edges, analysis: this.analysis };
      const prevEdges = new Map(this.edges.map((e) => [e.id, e]));
      const shapes = this.analysis.shapes.edgeShapes;
      const portTypes = edgePortTypes(graph);
      this.edges = graph.edges.map((e) => {
        const shape = shapes.get(e.id);
        const label = shape ? `[batch, ${shape[1] ?? '?'}]` : undefined;
        const old = prevEdges.get(e.id);
        if (old && old.label === label && old.source === e.source && old.target === e.target) return old;
        return {
          id: e.id,
          source: e.source,
          target: e.target,
          sourceHandle: e.sourcePort,
          targetHandle: e.targetPort,
          label,
          class: `port-${portTypes.get(e.id) ?? 'tensor'}`,
          selected: old?.selected ?? false,
        };
      });
    }
    this.syncDocumentState();
  }

  syncDocumentState(): void {
    const title = this.view === 'welcome' ? 'Netloom' : this.projectName;
    this.host.setDocumentState({ title, edited: this.view === 'editor' && this.edited });
  }

  // ---- documents -----------------------------------------------------------------------------

  /** Asks before throwing away unsaved changes; true when it is fine to continue. */
  confirmDiscard(action: string): boolean {
    if (!this.dirty || this.view !== 'editor') return true;
    return (
      globalThis.confirm?.(`“${this.projectName}” has unsaved changes. ${action} anyway and lose them?`) ??
      true
    );
  }

  #show(
    doc: Project,
    name: string,
    file: FileRef | null,
    graph: Graph = doc.graph as Graph,
    unsaved = false,
  ): void {
    // A run of the project being left is stopped: its outcome would belong to no open project.
    const stoppedRun = this.#stopRun !== null;
    if (stoppedRun) void this.#stopRun?.();
    this.#generation++;
    this.#doc = doc;
    this.#docEdited = false;
    this.#exampleCsv = null;
    this.projectName = name;
    this.projectFile = file;
    this.epochs = doc.training.epochs;
    this.batchSize = doc.training.batchSize;
    this.dataset = null;
    this.notice = null;
    this.nodes = [];
    this.edges = [];
    this.#lastGraph = null;
    this.#dragging = false;
    this.view = 'editor';
    // The previous project's applied CSV must not train this one.
    wizardState.clearApplied();
    const meta = this.#datasetMeta();
    this.#lastMeta = meta;
    this.editor.load(graph, unsaved, meta);
    this.#reopenWizard(doc);
    // The Training tab shows this project's own runs and settings.
    trainingSession(this.host).adoptProject(doc.runs, doc.training);
    if (stoppedRun)
      this.notify(
        'info',
        "The previous project's training run was stopped; its result is not added to this one.",
      );
    // Fit once Svelte Flow has measured the new nodes.
    if (graph.nodes.length > 0) setTimeout(() => this.#canvas?.fitView(), 80);
  }

  /** New project from the template (Dataset → Dense → ReLU → Dense → Loss ← Adam); `empty` for a blank canvas. */
  newProject(empty = false): void {
    if (!this.confirmDiscard('Start a new project')) return;
    this.#recoveryFile?.clear();
    const doc = newDocument('Untitled project', this.host.appVersion);
    this.#show(doc, 'Untitled project', null, empty ? { nodes: [], edges: [] } : templateGraph());
    if (!empty)
      this.notify('info', 'New project from the template: choose a CSV in the Data tab to see the shapes.');
  }

  async openProject(): Promise<void> {
    if (!this.confirmDiscard('Open another project')) return;
    try {
      const opened = await this.host.openProject();
      if (opened) await this.showOpened(opened, true);
    } catch (err) {
      this.notify('error', `Could not open the project: ${errorText(err)}`);
    }
  }

  async openRecent(entry: RecentProject): Promise<void> {
    if (!this.confirmDiscard('Open another project')) return;
    try {
      const opened = this.#browserRecent
        ? this.#browserRecent.open(entry.file)
        : await this.host.openRecent(entry.file);
      await this.showOpened(opened, true);
    } catch (err) {
      this.notify('error', errorText(err));
      await this.refreshRecent();
    }
  }

  /** Shows an opened project file; a bad file is reported with its error, the current project stays. */
  async showOpened(opened: OpenedText, confirmed = false): Promise<void> {
    if (!confirmed && !this.confirmDiscard('Open another project')) return;
    let doc: Project;
    try {
      doc = parseProject(opened.text);
    } catch (err) {
      this.notify('error', `${opened.file.name} could not be opened: ${errorText(err)}`);
      return;
    }
    this.#recoveryFile?.clear();
    this.#show(doc, doc.name || stripProjectExtension(opened.file.name), opened.file);
    if (this.#browserRecent) {
      this.#browserRecent.remember(opened.file.name, opened.text);
      void this.refreshRecent();
    }
    await this.#relinkDataset(opened.file);
  }

  /** Loads the project's CSV through the host when it can resolve the path; else asks the user. */
  async #relinkDataset(file: FileRef | null): Promise<void> {
    const ref = this.#doc.dataset;
    if (!ref) return;
    const data = file ? await this.host.readRelative(file, ref.path).catch(() => null) : null;
    if (data) await this.useCsv(data.file.name, data.bytes, ref.path, false);
    else
      this.notify(
        'info',
        `This project uses ${ref.path}. Choose it in the Data tab to see the shapes (${this.host.kind === 'browser' ? 'the browser cannot open it by itself' : 'it was not found next to the project'}).`,
      );
  }

  /** Opens an example as an untitled copy, with its bundled CSV. */
  async openExample(ex: ExampleEntry): Promise<void> {
    if (!ex.project) {
      this.notify('error', `The example ${ex.id} could not be read: ${ex.error}`);
      return;
    }
    if (!this.confirmDiscard('Open an example')) return;
    this.#show(structuredClone(ex.project), ex.title, null);
    if ((await this.#loadExampleCsv(ex)) && this.notice?.kind !== 'error')
      this.notify(
        'info',
        `Opened the example “${ex.title}” as an untitled copy; Save asks where to keep it.`,
      );
  }

  /**
   * Reads an example's bundled CSV into the project just shown (also after recovering an example
   * copy, whose CSV is not on disk). False when it has none, it could not be read, or the user
   * opened another project meanwhile.
   */
  async #loadExampleCsv(ex: ExampleEntry): Promise<boolean> {
    if (!ex.csvUrl || !ex.csvName) return false;
    const generation = this.#generation;
    try {
      const bytes = await readBundled(ex.csvUrl);
      if (generation !== this.#generation) return false;
      await this.useCsv(ex.csvName, bytes, this.#doc.dataset?.path ?? ex.csvName, false);
      if (generation !== this.#generation) return false;
      // After useCsv: it does not clear this, and the first save copies the CSV next to the project.
      this.#exampleCsv = { name: ex.csvName, bytes };
      return true;
    } catch (err) {
      if (generation === this.#generation)
        this.notify('error', `The example's data ${ex.csvName} could not be read: ${errorText(err)}`);
      return false;
    }
  }

  /** Opens the Export dialog (editor only). */
  openExport(): void {
    if (this.view !== 'editor') this.notify('info', 'Open or train a project first, then export it.');
    else this.exportOpen = true;
  }

  /** The project as it is now (runs with their weights, fitted preprocessing), for export. */
  exportableProject(): Project {
    return { ...this.#doc, name: this.projectName };
  }

  /** Text of the project as it would be saved now. */
  projectText(): string {
    return serializeEditorProject(
      this.#doc,
      this.projectName,
      this.editor.graph,
      this.#doc.dataset,
      this.host.appVersion,
    );
  }

  /** Save (`as`: always ask where). Returns true when saved. */
  async save(as = false): Promise<boolean> {
    let text: string;
    try {
      text = this.projectText();
    } catch (err) {
      this.notify('error', `The project cannot be saved: ${errorText(err)}`);
      return false;
    }
    try {
      const target = as ? null : this.projectFile;
      const saved = await this.host.saveProject(text, target, `${this.projectName}.netloom.json`);
      if (!saved) return false;
      this.projectFile = saved;
      this.#browserRecent?.remember(saved.name, text);
      this.#docEdited = false;
      this.editor.markSaved();
      this.#recoveryFile?.clear();
      if (this.#exampleCsv) await this.#copyExampleCsv(saved);
      else if (this.dataset && this.host.kind === 'browser')
        this.notify(
          'info',
          `Saved ${saved.name}. Keep ${this.dataset.name} in the same folder so the project finds its data.`,
        );
      void this.refreshRecent();
      return true;
    } catch (err) {
      this.notify('error', `Could not save: ${errorText(err)}`);
      return false;
    }
  }

  /** First save of an example copy: offer its CSV to be saved next to the project (the path it refers to). */
  async #copyExampleCsv(saved: FileRef): Promise<void> {
    const csv = this.#exampleCsv;
    if (!csv) return;
    this.#exampleCsv = null;
    try {
      const copied = await this.host.exportFile({
        suggestedName: csv.name,
        bytes: csv.bytes,
        filterName: 'CSV file',
      });
      this.notify(
        'info',
        copied
          ? `Saved ${saved.name} and a copy of its data ${csv.name}; keep both in the same folder.`
          : `Saved ${saved.name}. Its data ${csv.name} was not copied: choose it in the Data tab after reopening.`,
      );
    } catch (err) {
      this.notify('error', `Saved ${saved.name}, but copying ${csv.name} failed: ${errorText(err)}`);
    }
  }

  // ---- dataset -------------------------------------------------------------------------------

  async chooseCsv(): Promise<void> {
    try {
      const data = await this.host.chooseCsv();
      if (data) await this.useCsv(data.file.name, data.bytes);
    } catch (err) {
      this.notify('error', `Could not read the CSV file: ${errorText(err)}`);
    }
  }

  /** Reads a CSV into the dataset that gives the graph its shapes; `recordParam` also sets the Dataset node's file. */
  async useCsv(
    name: string,
    bytes: Uint8Array,
    path = name,
    recordParam = true,
    importSettings?: object,
    relinkWizard = importSettings === undefined,
    undoLabel: string | null = null,
  ): Promise<void> {
    const settings =
      (importSettings as Record<string, unknown> | undefined) ??
      (this.#doc.dataset?.importSettings as Record<string, unknown> | undefined) ??
      {};
    // A CSV read for a project the user has since left (another example or file opened while this
    // one was parsing) must neither become the new project's dataset nor show its name in a notice.
    const generation = this.#generation;
    let loaded: Awaited<ReturnType<typeof loadCsv>>;
    try {
      loaded = await loadCsv(name, bytes, settings, path);
    } catch (err) {
      if (generation === this.#generation) this.notify('error', `${name} cannot be used: ${errorText(err)}`);
      return;
    }
    if (generation !== this.#generation) return;
    this.dataset = loaded;
    const before = this.#doc.dataset;
    const reference = datasetReferenceToSave(this.dataset.reference, before);
    this.#doc = { ...this.#doc, dataset: reference };
    // A different file or different settings than the saved ones is an unsaved change.
    if (
      before &&
      (before.path !== reference?.path ||
        before.sha256 !== reference.sha256 ||
        JSON.stringify(before.importSettings) !== JSON.stringify(reference.importSettings))
    )
      this.#markDocEdited();
    if (relinkWizard) {
      // The project now uses this file with its saved settings: that is what a run trains on.
      wizardState.load({ name, bytes }, this.#wizardSettings(this.#doc));
      wizardState.markApplied();
    }
    const dsNode = this.editor.graph.nodes.find((n) => n.type === 'Dataset');
    if (undoLabel) this.editor.beginGesture(undoLabel);
    if (recordParam && dsNode && dsNode.params.file !== path) this.editor.setParam(dsNode.id, 'file', path);
    // The dataset state now in force: an undoable step (the wizard's Apply) or the new baseline.
    const meta = this.#datasetMeta();
    this.#lastMeta = meta;
    if (undoLabel) {
      this.editor.setMeta(meta, undoLabel);
      this.editor.endGesture();
    } else this.editor.replaceMeta(meta);
    this.#sync(true);
    this.notify(
      'info',
      `Loaded ${name}: ${this.dataset.rows} rows, ${this.dataset.info.featureWidth} features, ${this.dataset.info.task}.`,
    );
  }

  /**
   * Stores the import wizard's settings in the document's `dataset.importSettings` (marks the project
   * edited). Called by the wizard's Apply before `useCsv`, which records them in the reference of the
   * newly read CSV as well and files the whole Apply as one undo step (see #datasetMeta).
   */
  setImportSettings(settings: object): void {
    this.#doc = withImportSettings(this.#doc, settings);
    this.#markDocEdited();
  }

  /** The wizard's Apply: keep its settings in the project, then read the CSV with them. */
  async applyWizard(settings: object, file: { name: string; bytes: Uint8Array }): Promise<void> {
    this.setImportSettings(settings);
    await this.useCsv(file.name, file.bytes, file.name, true, settings, false, 'Apply import settings');
  }

  /**
   * The dataset state an Apply of the wizard changes, as the editor history records it (its 'meta'):
   * the document's dataset reference (import settings included), the CSV as read, and the wizard's
   * applied file and settings. Undo/redo put it back through #restoreDatasetMeta.
   */
  #datasetMeta(): DatasetMeta {
    return { reference: this.#doc.dataset, loaded: this.dataset, applied: wizardState.applied };
  }

  /** Undo/redo reached a step with other dataset state: show it (document, shapes, wizard). */
  #restoreDatasetMeta(meta: DocMeta): void {
    const m = meta as DatasetMeta | null;
    if (!m) return;
    this.#doc = { ...this.#doc, dataset: m.reference };
    this.dataset = m.loaded;
    if (m.applied) {
      wizardState.load(m.applied.file, m.applied.settings);
      wizardState.markApplied();
    } else wizardState.clearApplied();
    this.#markDocEdited();
  }

  /** Opens the Data tab (the import wizard), e.g. from the Dataset node's inspector. */
  openDataWizard(): void {
    this.showBottomPanel = true;
    this.bottomTab = 'data';
  }

  /** The saved import settings of `doc` as the wizard holds them, or null (none, or damaged). */
  #wizardSettings(doc: Project): ReturnType<typeof parseImportSettings> | undefined {
    const saved = doc.dataset?.importSettings;
    if (!saved || Object.keys(saved).length === 0) return undefined;
    try {
      return parseImportSettings(saved);
    } catch (err) {
      this.notify('error', `${errorText(err)} The wizard starts from its defaults; choose again and Apply.`);
      return undefined;
    }
  }

  /** An opened project reopens the wizard with its saved settings (the file follows when found). */
  #reopenWizard(doc: Project): void {
    const settings = this.#wizardSettings(doc);
    if (settings) wizardState.update(settings);
  }

  /** A run ended: keep its record (weights included) and the fitted preprocessing in the project. */
  #onRunEvent(e: RunEvent): void {
    if (e.type === 'started') this.#runGenerations.set(e.runId, this.#generation);
    if (e.type !== 'finished' && e.type !== 'stopped' && e.type !== 'failed') return;
    const started = this.#runGenerations.get(e.runId);
    this.#runGenerations.delete(e.runId);
    // Another project was opened since this run started: its outcome is not this project's.
    if (started !== undefined && started !== this.#generation) return;
    if (!e.outcome || this.view !== 'editor') return;
    this.recordRunOutcome(e.outcome);
  }

  /** Appends `outcome.run` to the project's runs and stores `outcome.preprocessing` (marks edited). */
  recordRunOutcome(outcome: RunOutcomeLike): void {
    try {
      this.#doc = withRunOutcome(this.#doc, outcome);
    } catch (err) {
      this.notify('error', errorText(err));
      return;
    }
    this.#markDocEdited();
  }

  /** A data file was dropped on the window. */
  receiveDroppedData(name: string, bytes: Uint8Array): void {
    this.bottomTab = 'data';
    if (this.view !== 'editor') this.newProject();
    // The wizard follows dropped files by itself (wizardState.attach).
    void this.useCsv(name, bytes, name, true, undefined, false);
  }

  goHome(): void {
    this.view = 'welcome';
    this.syncDocumentState();
    void this.refreshRecent();
  }

  // ---- recovery ------------------------------------------------------------------------------

  /** One autosave tick (App calls it every AUTOSAVE_INTERVAL_MS). */
  autosave(): void {
    if (this.view !== 'editor') return;
    this.#recoveryFile?.tick(this.dirty, () => ({
      name: this.projectName,
      fileName: this.projectFile?.name ?? null,
      text: this.projectText(),
    }));
  }

  static readonly AUTOSAVE_MS = AUTOSAVE_INTERVAL_MS;

  /** Restores the recovery snapshot as an unsaved, untitled project. */
  recover(): void {
    const snap = this.recovery;
    if (!snap) return;
    try {
      const doc = parseProject(snap.text);
      // The recovered graph is unsaved work: it stays marked so closing asks again.
      this.#show(doc, snap.name, null, doc.graph as Graph, true);
      const text = `Recovered “${snap.name}” from ${new Date(snap.savedAt).toLocaleString()}. Save it to keep it.`;
      this.notify('info', text);
      // An untitled example copy has no CSV on disk: reload the example's bundled one.
      const ex = snap.fileName === null ? exampleForDataset(EXAMPLES, doc.dataset ?? null) : null;
      if (ex)
        void this.#loadExampleCsv(ex).then((ok) => {
          if (ok && this.notice?.kind !== 'error')
            this.notify('info', `${text} Its data ${ex.csvName} is loaded.`);
        });
    } catch (err) {
      this.notify('error', `The recovery snapshot could not be read: ${errorText(err)}`);
    }
    this.recovery = null;
  }

  discardRecovery(): void {
    this.#recoveryFile?.clear();
    this.recovery = null;
  }

  /** Called when the window closes cleanly: no recovery offer next time unless there are unsaved changes. */
  closing(): void {
    if (!this.dirty) this.#recoveryFile?.clear();
    else this.autosave();
  }

  // ---- graph commands ------------------------------------------------------------------------

  selectedIds(): string[] {
    return this.nodes.filter((n) => n.selected).map((n) => n.id);
  }

  /** Add a node of registry type `type` at `position` (flow units) or at the centre of the view. */
  addNode(type: string, position?: { x: number; y: number }): void {
    if (!getNodeType(type)) {
      this.notify('error', `Unknown node type '${type}': it is not in the palette.`);
      return;
    }
    const at =
      position ??
      keyboardDropPosition(
        this.#canvas?.visibleCentre() ?? { x: 0, y: 0 },
        this.editor.graph.nodes.map((n) => n.position),
      );
    // The new node becomes the only selection so the inspector shows it.
    this.#peekNewId(() => this.editor.addNode(type, at)?.id ?? '');
  }

  /** Runs an edit that creates nodes and selects exactly those. */
  #peekNewId<T extends string | string[]>(edit: () => T): T {
    const before = new Set(this.editor.graph.nodes.map((n) => n.id));
    this.#select = new Set(['\u0000']); // non-empty: deselect everything unless the edit adds nodes
    const r = edit();
    const added = this.editor.graph.nodes.filter((n) => !before.has(n.id)).map((n) => n.id);
    this.#select = new Set(added);
    this.#sync();
    return r;
  }

  connect(c: Connection): void {
    const r = this.editor.connect(toProposed(c));
    if (!r.ok) this.notify('error', r.reason);
    this.#sync();
  }

  /** Opens "Connect to…" for the single selected node (Ctrl/Cmd+K); says what to do otherwise. */
  openConnect(): void {
    const id = this.selectedId;
    if (this.view !== 'editor') return;
    if (!id) {
      this.notify('info', 'Select one node, then press Ctrl+K (⌘K on a Mac) to connect it by keyboard.');
      return;
    }
    this.connectFor = id;
  }

  /** Adds one wire (one undo step); true when it was added, else the reason is shown as a notice. */
  connectEdge(edge: ProposedEdge): boolean {
    const r = this.editor.connect(edge);
    if (!r.ok) {
      if (!this.editor.locked) this.notify('error', r.reason);
      return false;
    }
    const name = (id: string) => {
      const n = this.editor.node(id);
      return n?.label || id;
    };
    this.notify('info', `Connected ${name(edge.source)} → ${name(edge.target)}. Undo with Ctrl+Z.`);
    return true;
  }

  /** Svelte Flow's live check while dragging a wire. */
  isValidConnection = (c: Connection | Edge): boolean => checkConnection(this.editor.graph, toProposed(c)).ok;

  /** The reason a wire between these handles is refused, or null. */
  refusalReason(c: Connection): string | null {
    const r = checkConnection(this.editor.graph, toProposed(c));
    return r.ok ? null : r.reason;
  }

  deleteSelected(): void {
    const nodes = this.selectedIds();
    const edges = this.edges.filter((e) => e.selected).map((e) => e.id);
    if (nodes.length === 0 && edges.length === 0) return;
    this.editor.remove(nodes, edges);
  }

  deleteNode(id: string): void {
    this.editor.remove([id]);
  }

  copy(): void {
    const ids = this.selectedIds();
    if (ids.length) this.#clipboard = this.editor.copy(ids);
  }

  cut(): void {
    const ids = this.selectedIds();
    if (ids.length) this.#clipboard = this.editor.cut(ids) ?? this.#clipboard;
  }

  paste(): void {
    const clip = this.#clipboard;
    if (!clip) return;
    this.#peekNewId(() => this.editor.paste(clip));
    // Paste again lands further along, not on top of the previous paste.
    this.#clipboard = this.editor.copy(this.selectedIds());
  }

  duplicate(): void {
    const ids = this.selectedIds();
    if (ids.length) this.#peekNewId(() => this.editor.duplicate(ids));
  }

  repeatSelected(times: number): void {
    const ids = this.selectedIds();
    try {
      this.#peekNewId(() => this.editor.repeatChain(ids, times));
    } catch (err) {
      this.notify('error', errorText(err));
    }
  }

  selectAll(): void {
    this.nodes = this.nodes.map((n) => (n.selected ? n : { ...n, selected: true }));
  }

  clearSelection(): void {
    this.nodes = this.nodes.map((n) => (n.selected ? { ...n, selected: false } : n));
    this.edges = this.edges.map((e) => (e.selected ? { ...e, selected: false } : e));
  }

  /** Selects one node and centres the view on it (problems list, summary table). */
  selectNode(id: string): void {
    this.nodes = this.nodes.map((n) => {
      const s = n.id === id;
      return n.selected === s ? n : { ...n, selected: s };
    });
    this.#canvas?.reveal(id);
  }

  autoLayout(): void {
    const sizes = new Map(
      this.nodes
        .filter((n) => n.measured?.width)
        .map((n) => [n.id, { width: n.measured!.width!, height: n.measured!.height! }]),
    );
    this.editor.setPositions(layoutGraph(this.editor.graph, sizes));
    this.#canvas?.fitView();
  }

  undo(): void {
    this.#dragging = false;
    this.editor.undo();
  }

  redo(): void {
    this.#dragging = false;
    this.editor.redo();
  }

  /** Drag gesture from Svelte Flow: start, per-frame positions, end (one undo step). */
  dragStart(): void {
    this.#dragging = true;
    this.editor.beginGesture('Move');
  }
  dragMove(nodes: readonly { id: string; position: { x: number; y: number } }[]): void {
    this.editor.moveNodes(new Map(nodes.map((n) => [n.id, n.position])));
  }
  dragStop(nodes: readonly { id: string; position: { x: number; y: number } }[]): void {
    this.#dragging = false;
    this.dragMove(nodes);
    this.editor.endGesture();
    // The last frame may have changed nothing (no emit): bring `graph` and the canvas up to date.
    this.#sync();
  }

  setParam(nodeId: string, name: string, value: unknown): void {
    this.editor.setParam(nodeId, name, value);
  }

  /** Sets the planned epochs (for the schedule plot); part of the project's training settings. */
  setEpochs(epochs: number): void {
    if (!Number.isInteger(epochs) || epochs < 1) return;
    this.epochs = epochs;
    this.#doc = { ...this.#doc, training: { ...this.#doc.training, epochs } };
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
      case 'file.save':
        if (this.view === 'editor') void this.save();
        return;
      case 'file.saveAs':
        if (this.view === 'editor') void this.save(true);
        return;
      case 'edit.undo':
        this.undo();
        return;
      case 'edit.redo':
        this.redo();
        return;
      case 'edit.delete':
        this.deleteSelected();
        return;
      case 'edit.selectAll':
        this.selectAll();
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
      case 'file.export':
        this.openExport();
        return;
      case 'help.about':
        this.notify(
          'info',
          `Netloom ${this.host.appVersion} (${this.host.kind === 'electron' ? 'desktop' : 'web edition'}).`,
        );
        return;
      case 'help.userGuide':
        help.show();
        return;
      default:
        command satisfies never;
    }
  }
}

/** Bytes of a bundled asset; small ones are inlined as data: URLs, which the CSP's connect-src refuses to fetch. */
async function readBundled(url: string): Promise<Uint8Array> {
  const m = /^data:[^,]*?(;base64)?,(.*)$/s.exec(url);
  if (!m) return new Uint8Array(await (await fetch(url)).arrayBuffer());
  if (!m[1]) return new TextEncoder().encode(decodeURIComponent(m[2]));
  const bin = atob(m[2]);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function toProposed(c: Connection | Edge): ProposedEdge {
  return {
    source: c.source,
    sourcePort: c.sourceHandle ?? '',
    target: c.target,
    targetPort: c.targetHandle ?? '',
  };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
