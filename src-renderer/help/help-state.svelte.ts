/**
 * Which help page is open, shared by every place that opens Help (top bar, F1 / Help menu,
 * inspector). One instance per window; HelpWindow.svelte shows it.
 */
import { FIRST_PAGE, helpPage } from './help-index';
import { nodePageId } from './node-pages';

class HelpState {
  open = $state(false);
  pageId = $state(FIRST_PAGE);

  /** Opens Help on `pageId` (the last page shown, or Getting started, when omitted or unknown). */
  show(pageId?: string): void {
    if (pageId && helpPage(pageId)) this.pageId = pageId;
    this.open = true;
  }

  /** Opens the help page of node type `type`. */
  showNode(type: string): void {
    this.show(nodePageId(type));
  }

  close(): void {
    this.open = false;
  }
}

export const help = new HelpState();
