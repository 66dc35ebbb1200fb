// The torrent list: a virtualised grid that draws only the rows in view,
// so 10,000 torrents scroll like 50. Rows have a fixed height (taller
// cards on narrow screens) and sit at their index's offset, so a scroll
// only adds the rows that come into view and drops those that leave.

import { For, Show, createMemo, createSignal, onCleanup, onMount, type JSX } from 'solid-js';

import type { SortKey } from '../lib/torrent-view';
import type { Torrent } from '../lib/wire';
import { openInspector } from '../state/inspector';
import { loaded } from '../state/live';
import { cursor, query, select, selected, setCursor, sortBy, toggleSelected } from '../state/list';
import { TorrentRow } from './torrent-row';
import { useListKeys } from './list-keys';
import { styleProp } from './style-prop';

export const COLUMNS: readonly { key: SortKey; label: string; class: string }[] = [
  { key: 'name', label: 'Name', class: 'col-name' },
  { key: 'size', label: 'Size', class: 'col-size' },
  { key: 'progress', label: 'Progress', class: 'col-progress' },
  { key: 'state', label: 'State', class: 'col-state' },
  { key: 'down', label: 'Down', class: 'col-down' },
  { key: 'up', label: 'Up', class: 'col-up' },
  { key: 'eta', label: 'ETA', class: 'col-eta' },
  { key: 'ratio', label: 'Ratio', class: 'col-ratio' },
  { key: 'peers', label: 'Peers', class: 'col-peers' },
  { key: 'category', label: 'Category', class: 'col-category' },
  { key: 'added', label: 'Added', class: 'col-added' },
];

/** Rows drawn beyond each edge of the viewport. */
const OVERSCAN = 8;
const NARROW = '(max-width: 720px)';

export interface TorrentListProps {
  rows: Torrent[];
  onRemove: () => void;
}

export function TorrentList(props: TorrentListProps): JSX.Element {
  let scroller!: HTMLDivElement;
  const [scrollTop, setScrollTop] = createSignal(0);
  const [viewport, setViewport] = createSignal(600);
  const [narrow, setNarrow] = createSignal(globalThis.matchMedia(NARROW).matches);
  const rowHeight = () => (narrow() ? 68 : 36);

  onMount(() => {
    const media = globalThis.matchMedia(NARROW);
    const onMedia = () => setNarrow(media.matches);
    media.addEventListener('change', onMedia);
    const resize = new ResizeObserver(() => setViewport(scroller.clientHeight));
    resize.observe(scroller);
    setViewport(scroller.clientHeight);
    onCleanup(() => {
      media.removeEventListener('change', onMedia);
      resize.disconnect();
    });
  });

  const range = createMemo(() => {
    const h = rowHeight();
    const first = Math.max(0, Math.floor(scrollTop() / h) - OVERSCAN);
    const count = Math.ceil(viewport() / h) + 2 * OVERSCAN;
    return { first, last: Math.min(props.rows.length, first + count) };
  });
  const slice = createMemo(() => props.rows.slice(range().first, range().last));
  const indexOf = createMemo(() => new Map(props.rows.map((t, i) => [t.id, i])));

  /** Scrolls just enough to show row `index` below the sticky header. */
  const reveal = (index: number) => {
    const h = rowHeight();
    const header = narrow() ? 0 : h;
    const top = index * h;
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + h > scroller.scrollTop + scroller.clientHeight - header) {
      scroller.scrollTop = top + h - scroller.clientHeight + header;
    }
  };

  const onKeyDown = useListKeys({
    rows: () => props.rows,
    indexOf: (id) => indexOf().get(id),
    pageSize: () => Math.max(1, Math.floor(viewport() / rowHeight()) - 1),
    reveal,
    onRemove: () => props.onRemove(),
  });

  const onRowClick = (event: MouseEvent, torrent: Torrent) => {
    const id = torrent.id;
    if (event.ctrlKey || event.metaKey) {
      toggleSelected(id);
    } else if (event.shiftKey && cursor()) {
      const from = indexOf().get(cursor() ?? '') ?? 0;
      const to = indexOf().get(id) ?? 0;
      const [a, b] = from < to ? [from, to] : [to, from];
      select(props.rows.slice(a, b + 1).map((t) => t.id));
    } else {
      select([id]);
      openInspector(id);
    }
    setCursor(id);
  };

  const sortState = (key: SortKey) =>
    query().sort === key ? (query().descending ? 'descending' : 'ascending') : 'none';

  return (
    <div
      ref={scroller}
      class="list-scroller"
      role="grid"
      tabindex="0"
      aria-label="Torrents"
      aria-multiselectable="true"
      aria-rowcount={props.rows.length + 1}
      aria-activedescendant={
        cursor() && indexOf().has(cursor() ?? '') ? `row-${cursor()}` : undefined
      }
      onScroll={() => setScrollTop(scroller.scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div class="list-header" role="row" aria-rowindex="1">
        <span class="cell col-select" role="columnheader">
          <span class="sr-only">Selected</span>
        </span>
        <For each={COLUMNS}>
          {(column) => (
            <span
              class={`cell ${column.class}`}
              role="columnheader"
              aria-sort={sortState(column.key)}
            >
              <button
                type="button"
                class="sort-button"
                tabindex="-1"
                onClick={() => sortBy(column.key)}
              >
                {column.label}
                <span class="sort-mark" aria-hidden="true">
                  {sortState(column.key) === 'ascending'
                    ? '▲'
                    : sortState(column.key) === 'descending'
                      ? '▼'
                      : ''}
                </span>
              </button>
            </span>
          )}
        </For>
      </div>
      <div
        class="list-body"
        ref={(el) => styleProp(el, 'height', () => `${props.rows.length * rowHeight()}px`)}
      >
        {/* Keyed by row: scrolling creates only the rows coming into view and
            leaves the others untouched, so the browser repaints little. */}
        <For each={slice()}>
          {(torrent) => (
            <TorrentRow
              torrent={torrent}
              index={indexOf().get(torrent.id) ?? 0}
              height={rowHeight()}
              selected={selected().has(torrent.id)}
              cursor={cursor() === torrent.id}
              onClick={(e) => onRowClick(e, torrent)}
              onToggle={() => {
                toggleSelected(torrent.id);
                setCursor(torrent.id);
              }}
            />
          )}
        </For>
      </div>
      <Show when={props.rows.length === 0}>
        <p class="list-empty">{loaded() ? 'No torrents match.' : 'Loading torrents…'}</p>
      </Show>
    </div>
  );
}
