/**
 * Drag-and-drop of files onto the window, for both hosts: a dropped `.netloom.json` becomes an
 * open request, a dropped CSV/TSV/TXT a dataset. Other files are reported, not read.
 */

import type { OpenedBytes, OpenedText } from './host';

export interface DropCallbacks {
  onProject(project: OpenedText): void;
  onCsv(data: OpenedBytes): void;
  onRejected(fileName: string, reason: string): void;
  /** Mints the FileRef id of a dropped file. */
  newId(): string;
}

/** Classifies a dropped file by its name. */
export function dropKind(name: string): 'project' | 'csv' | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.netloom.json')) return 'project';
  if (/\.(csv|tsv|txt)$/.test(lower)) return 'csv';
  return null;
}

/** Installs window-level dragover/drop handlers; returns a function that removes them. */
export function installDropHandler(target: Window, cb: DropCallbacks): () => void {
  const onDragOver = (e: DragEvent) => {
    if (e.dataTransfer?.types.includes('Files')) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  };
  const onDrop = (e: DragEvent) => {
    const files = e.dataTransfer?.files;
    if (!files || files.length === 0) return;
    e.preventDefault(); // never let the page navigate to a dropped file
    for (const file of Array.from(files)) {
      const kind = dropKind(file.name);
      const ref = { id: cb.newId(), name: file.name };
      if (kind === 'project') void file.text().then((text) => cb.onProject({ file: ref, text }));
      else if (kind === 'csv')
        void file.arrayBuffer().then((buf) => cb.onCsv({ file: ref, bytes: new Uint8Array(buf) }));
      else cb.onRejected(file.name, 'Netloom opens .netloom.json projects and .csv/.tsv/.txt data files');
    }
  };
  target.addEventListener('dragover', onDragOver);
  target.addEventListener('drop', onDrop);
  return () => {
    target.removeEventListener('dragover', onDragOver);
    target.removeEventListener('drop', onDrop);
  };
}
