// One row of the torrent list. A grid row on wide screens, a two-line
// card on narrow ones (the stylesheet decides which cells show).

import { Show, type JSX } from 'solid-js';

import { bytes, date, eta, percent, rate, ratio, shortDate, stateLabel } from '../lib/format';
import type { Torrent } from '../lib/wire';
import { categoryById } from '../state/categories';
import { styleProp } from './style-prop';

export interface TorrentRowProps {
  torrent: Torrent;
  /** Position in the whole list, which places the row. */
  index: number;
  height: number;
  selected: boolean;
  cursor: boolean;
  onClick: (event: MouseEvent) => void;
  onToggle: () => void;
}

export function TorrentRow(props: TorrentRowProps): JSX.Element {
  const t = () => props.torrent;
  const category = () => categoryById(t().category_id);

  return (
    <div
      id={`row-${t().id}`}
      class="row"
      classList={{ selected: props.selected, cursor: props.cursor }}
      role="row"
      aria-rowindex={props.index + 2}
      aria-selected={props.selected}
      data-id={t().id}
      data-state={t().state}
      ref={(el) => styleProp(el, 'transform', () => `translateY(${props.index * props.height}px)`)}
      onClick={(e) => props.onClick(e)}
    >
      <span class="cell col-select" role="gridcell">
        <input
          type="checkbox"
          tabindex="-1"
          aria-label={`Select ${t().name}`}
          checked={props.selected}
          onClick={(e) => {
            e.stopPropagation();
            props.onToggle();
          }}
        />
      </span>
      <span class="cell col-name" role="gridcell" title={t().name}>
        <span class="name-text">{t().name}</span>
      </span>
      <span class="cell col-size" role="gridcell">
        {t().total_bytes > 0 ? bytes(t().total_bytes) : '—'}
      </span>
      <span class="cell col-progress" role="gridcell">
        <progress
          max="1"
          value={t().progress}
          aria-label={`Progress of ${t().name}`}
          data-state={t().state}
        />
        <span class="pct">{percent(t().progress)}</span>
      </span>
      <span class="cell col-state" role="gridcell">
        <span class="state-badge" data-state={t().state} title={t().error ?? undefined}>
          {stateLabel(t().state)}
        </span>
      </span>
      <span
        class="cell col-down num"
        role="gridcell"
        data-zero={t().download_rate === 0 ? '' : undefined}
      >
        {rate(t().download_rate)}
      </span>
      <span
        class="cell col-up num"
        role="gridcell"
        data-zero={t().upload_rate === 0 ? '' : undefined}
      >
        {rate(t().upload_rate)}
      </span>
      <span class="cell col-eta num" role="gridcell">
        {eta(t().eta_secs, t().completed, t().paused)}
      </span>
      <span class="cell col-ratio num" role="gridcell">
        {ratio(t().ratio)}
      </span>
      <span class="cell col-peers num" role="gridcell" title="Connected peers (seeds)">
        {t().peers} ({t().seeds})
      </span>
      <span class="cell col-category" role="gridcell">
        <Show when={category()}>
          {(c) => (
            <span class="category-tag">
              <span
                class="swatch"
                aria-hidden="true"
                ref={(el) => styleProp(el, 'background-color', () => c().color)}
              />
              {c().name}
            </span>
          )}
        </Show>
      </span>
      <span class="cell col-added" role="gridcell" title={date(t().added_at)}>
        {shortDate(t().added_at)}
      </span>
    </div>
  );
}
