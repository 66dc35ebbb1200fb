// The torrent list's view state: the query (sort, filters, search), the
// selection, and the keyboard cursor. Shared by the toolbar, the filter
// sidebar and the list itself.

import { createSignal } from 'solid-js';

import { DEFAULT_QUERY, type SortKey, type ViewQuery } from '../lib/torrent-view';
import type { InfoHash } from '../lib/wire';

const [query, setQuery] = createSignal<ViewQuery>({ ...DEFAULT_QUERY });
const [selected, setSelected] = createSignal<ReadonlySet<InfoHash>>(new Set());
/** The row the keyboard cursor is on. */
const [cursor, setCursor] = createSignal<InfoHash | null>(null);
/** Whether the filter drawer is open on narrow screens. */
const [filtersOpen, setFiltersOpen] = createSignal(false);

export { query, selected, cursor, setCursor, filtersOpen, setFiltersOpen };

export function updateQuery(patch: Partial<ViewQuery>): void {
  setQuery((q) => ({ ...q, ...patch }));
}

/** Sorts by `key`; the same key again flips the direction. Numbers start
 * largest first, names A to Z. */
export function sortBy(key: SortKey): void {
  setQuery((q) =>
    q.sort === key
      ? { ...q, descending: !q.descending }
      : { ...q, sort: key, descending: key !== 'name' && key !== 'state' && key !== 'category' },
  );
}

export function select(ids: Iterable<InfoHash>): void {
  setSelected(new Set(ids));
}

export function toggleSelected(id: InfoHash): void {
  setSelected((current) => {
    const next = new Set(current);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });
}

export function clearSelection(): void {
  if (selected().size > 0) setSelected(new Set<InfoHash>());
}

/** Drops ids that left the list (removed torrents). */
export function pruneSelection(present: (id: InfoHash) => boolean): void {
  const current = selected();
  const kept = [...current].filter(present);
  if (kept.length !== current.size) setSelected(new Set(kept));
}
