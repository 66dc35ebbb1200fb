// The main page: filters, toolbar, the list and the inspector.

import { Show, createEffect, createMemo, createSignal, type JSX } from 'solid-js';

import { viewRows } from '../lib/torrent-view';
import { categoryNames } from '../state/categories';
import { inspectedId } from '../state/inspector';
import { rows, torrentById } from '../state/live';
import { filtersOpen, pruneSelection, query, setFiltersOpen } from '../state/list';
import { FilterSidebar } from './filter-sidebar';
import { Inspector } from './inspector/inspector';
import { RemoveDialog } from './remove-dialog';
import { Toolbar } from './toolbar';
import { TorrentList } from './torrent-list';

export function TorrentsPage(): JSX.Element {
  const shown = createMemo(() => viewRows(rows(), query(), categoryNames()));
  const [removing, setRemoving] = createSignal(false);

  createEffect(() => {
    rows();
    pruneSelection((id) => torrentById(id) !== undefined);
  });

  return (
    <div class="torrents-page" classList={{ inspecting: inspectedId() !== null }}>
      <FilterSidebar />
      <Show when={filtersOpen()}>
        <div class="scrim narrow-only" aria-hidden="true" onClick={() => setFiltersOpen(false)} />
      </Show>
      <section class="list-area" aria-label="Torrent list">
        <Toolbar shown={shown().length} onRemove={() => setRemoving(true)} />
        <TorrentList rows={shown()} onRemove={() => setRemoving(true)} />
        <Show when={inspectedId()}>{(id) => <Inspector id={id()} />}</Show>
      </section>
      <RemoveDialog open={removing()} onClose={() => setRemoving(false)} />
    </div>
  );
}
