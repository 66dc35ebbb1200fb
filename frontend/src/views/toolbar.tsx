// Above the list: add, bulk actions on the selection, search, and (on
// narrow screens) the filter drawer button and a sort picker.

import { For, Show, type JSX } from 'solid-js';

import { api } from '../lib/bindings';
import type { SortKey } from '../lib/torrent-view';
import { openAdd } from '../state/add';
import { categories } from '../state/categories';
import { filtersOpen, query, selected, setFiltersOpen, updateQuery } from '../state/list';
import { toast } from '../state/toasts';
import { Icon } from './icons';
import { COLUMNS } from './torrent-list';

export interface ToolbarProps {
  shown: number;
  onRemove: () => void;
}

/** Runs `action` on every selected torrent; failures are toasted by the
 * transport, so this only reports how many went through. */
async function forEachSelected(action: (id: string) => Promise<unknown>): Promise<void> {
  const ids = [...selected()];
  await Promise.allSettled(ids.map(action));
}

export function Toolbar(props: ToolbarProps): JSX.Element {
  const none = () => selected().size === 0;

  const setCategory = async (value: string) => {
    const id = value === 'none' ? null : Number(value);
    await forEachSelected((hash) => api.setCategory(hash, id));
    toast('success', `Category set for ${selected().size} torrent(s)`);
  };

  return (
    <div class="toolbar" role="toolbar" aria-label="Torrent actions">
      <button
        type="button"
        class="icon-button narrow-only"
        aria-label="Filters"
        aria-controls="filters"
        aria-expanded={filtersOpen()}
        onClick={() => setFiltersOpen(!filtersOpen())}
      >
        <Icon name="filter" />
      </button>
      <button
        type="button"
        class="button primary"
        aria-label="Add torrents"
        onClick={() => openAdd()}
      >
        <Icon name="add" />
        <span>Add</span>
      </button>
      <div class="toolbar-group" aria-label="Selection">
        <button
          type="button"
          class="button"
          aria-label="Resume selected"
          disabled={none()}
          onClick={() => void forEachSelected((id) => api.resume(id))}
        >
          <Icon name="play" />
          <span class="label-wide">Resume</span>
        </button>
        <button
          type="button"
          class="button"
          aria-label="Pause selected"
          disabled={none()}
          onClick={() => void forEachSelected((id) => api.pause(id))}
        >
          <Icon name="pause" />
          <span class="label-wide">Pause</span>
        </button>
        <button
          type="button"
          class="button danger"
          aria-label="Remove selected"
          disabled={none()}
          onClick={() => props.onRemove()}
        >
          <Icon name="trash" />
          <span class="label-wide">Remove</span>
        </button>
        <select
          class="select"
          aria-label="Set category of selected torrents"
          disabled={none()}
          value=""
          onChange={(e) => {
            const value = e.currentTarget.value;
            e.currentTarget.value = '';
            if (value) void setCategory(value);
          }}
        >
          <option value="">Category…</option>
          <option value="none">No category</option>
          <For each={categories()}>{(c) => <option value={c.id}>{c.name}</option>}</For>
        </select>
      </div>
      <span class="selection-count" aria-live="polite">
        <Show when={!none()} fallback={`${props.shown} shown`}>
          {selected().size} selected
        </Show>
      </span>
      <div class="toolbar-end">
        <select
          class="select narrow-only"
          aria-label="Sort by"
          value={query().sort}
          onChange={(e) => updateQuery({ sort: e.currentTarget.value as SortKey })}
        >
          <For each={COLUMNS}>{(c) => <option value={c.key}>{c.label}</option>}</For>
        </select>
        <label class="search">
          <Icon name="search" />
          <span class="sr-only">Search by name</span>
          <input
            type="search"
            placeholder="Search"
            value={query().search}
            onInput={(e) => updateQuery({ search: e.currentTarget.value })}
          />
        </label>
      </div>
    </div>
  );
}
