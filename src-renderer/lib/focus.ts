/**
 * Focus helpers (framework-free; takes element-like objects so it is testable without a DOM).
 */

/** The fields of an element that decide whether it takes text input. */
export interface ElementLike {
  tagName: string;
  isContentEditable?: boolean;
  type?: string;
  readOnly?: boolean;
  disabled?: boolean;
}

const NON_TEXT_INPUTS = new Set([
  'button',
  'checkbox',
  'radio',
  'range',
  'color',
  'file',
  'submit',
  'reset',
  'image',
]);

/**
 * True when `el` edits text, so Edit-menu commands (undo, delete, select all) must act on the
 * text rather than on the graph (see MenuCommand in host/host.ts).
 */
export function isTextEntry(el: ElementLike | null | undefined): boolean {
  if (!el) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA') return !el.readOnly && !el.disabled;
  if (tag === 'INPUT')
    return !NON_TEXT_INPUTS.has((el.type ?? 'text').toLowerCase()) && !el.readOnly && !el.disabled;
  return false;
}
