// Keyboard use of the torrent list: arrows, Page Up/Down, Home/End move
// the cursor (Shift extends the selection, Ctrl moves without selecting),
// Space toggles, Enter opens the inspector, Ctrl+A selects all, Delete
// removes, Escape clears.

import type { Torrent } from '../lib/wire';
import { closeInspector, inspectedId, openInspector } from '../state/inspector';
import { clearSelection, cursor, select, selected, setCursor, toggleSelected } from '../state/list';

export interface ListKeyOptions {
  rows: () => Torrent[];
  indexOf: (id: string) => number | undefined;
  pageSize: () => number;
  reveal: (index: number) => void;
  onRemove: () => void;
}

export function useListKeys(o: ListKeyOptions): (event: KeyboardEvent) => void {
  /** Where the cursor goes for a movement key, or null for other keys. */
  const target = (key: string, from: number, last: number): number | null => {
    switch (key) {
      case 'ArrowDown':
        return Math.min(last, from + 1);
      case 'ArrowUp':
        return Math.max(0, from - 1);
      case 'PageDown':
        return Math.min(last, from + o.pageSize());
      case 'PageUp':
        return Math.max(0, from - o.pageSize());
      case 'Home':
        return 0;
      case 'End':
        return last;
      default:
        return null;
    }
  };

  const move = (event: KeyboardEvent, to: number, from: number) => {
    const rows = o.rows();
    const row = rows[to];
    if (!row) return;
    if (event.shiftKey) {
      const anchor = Math.max(0, from);
      const [a, b] = anchor < to ? [anchor, to] : [to, anchor];
      select(rows.slice(a, b + 1).map((t) => t.id));
    } else if (!event.ctrlKey && !event.metaKey) {
      select([row.id]);
      if (inspectedId()) openInspector(row.id);
    }
    setCursor(row.id);
    o.reveal(to);
  };

  return (event: KeyboardEvent) => {
    if (event.target !== event.currentTarget) return;
    const rows = o.rows();
    const current = cursor();
    const from = current === null ? -1 : (o.indexOf(current) ?? -1);
    const to = target(event.key, from, rows.length - 1);
    if (to !== null) {
      event.preventDefault();
      move(event, from < 0 && event.key === 'ArrowDown' ? 0 : to, from);
      return;
    }

    const key = event.key;
    if (key === ' ' && current) {
      event.preventDefault();
      toggleSelected(current);
    } else if (key === 'Enter' && current) {
      event.preventDefault();
      openInspector(current);
    } else if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === 'a') {
      event.preventDefault();
      select(rows.map((t) => t.id));
    } else if (key === 'Delete' && selected().size > 0) {
      event.preventDefault();
      o.onRemove();
    } else if (key === 'Escape') {
      if (inspectedId()) closeInspector();
      else clearSelection();
    }
  };
}
