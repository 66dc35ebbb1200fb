// The filter sidebar: states and categories with their counts. A drawer
// on narrow screens, opened from the toolbar.

import { For, createMemo, type JSX } from 'solid-js';

import { navigate } from '../lib/router';
import {
  STATE_FILTERS,
  categoryCounts,
  stateCounts,
  type CategoryFilter,
} from '../lib/torrent-view';
import { categories } from '../state/categories';
import { rows } from '../state/live';
import { filtersOpen, query, setFiltersOpen, updateQuery } from '../state/list';
import { styleProp } from './style-prop';

export function FilterSidebar(): JSX.Element {
  const states = createMemo(() => stateCounts(rows()));
  const perCategory = createMemo(() => categoryCounts(rows()));
  const pickCategory = (category: CategoryFilter) => {
    updateQuery({ category });
    setFiltersOpen(false);
  };

  return (
    <aside id="filters" class="filters" classList={{ open: filtersOpen() }} aria-label="Filters">
      <h2 class="filters-title">Status</h2>
      <ul class="filter-list">
        <For each={STATE_FILTERS}>
          {(f) => (
            <li>
              <button
                type="button"
                class="filter"
                data-filter={f.id}
                aria-pressed={query().state === f.id}
                onClick={() => {
                  updateQuery({ state: f.id });
                  setFiltersOpen(false);
                }}
              >
                <span>{f.label}</span>
                <span class="count">{states()[f.id]}</span>
              </button>
            </li>
          )}
        </For>
      </ul>
      <h2 class="filters-title">Categories</h2>
      <ul class="filter-list">
        <li>
          <button
            type="button"
            class="filter"
            aria-pressed={query().category === 'all'}
            onClick={() => pickCategory('all')}
          >
            <span>All</span>
            <span class="count">{rows().length}</span>
          </button>
        </li>
        <li>
          <button
            type="button"
            class="filter"
            aria-pressed={query().category === 'none'}
            onClick={() => pickCategory('none')}
          >
            <span>Uncategorised</span>
            <span class="count">{perCategory().get('none') ?? 0}</span>
          </button>
        </li>
        <For each={categories()}>
          {(c) => (
            <li>
              <button
                type="button"
                class="filter"
                data-category={c.name}
                aria-pressed={query().category === c.id}
                onClick={() => pickCategory(c.id)}
              >
                <span class="category-tag">
                  <span
                    class="swatch"
                    aria-hidden="true"
                    ref={(el) => styleProp(el, 'background-color', () => c.color)}
                  />
                  {c.name}
                </span>
                <span class="count">{perCategory().get(c.id) ?? 0}</span>
              </button>
            </li>
          )}
        </For>
      </ul>
      <a
        class="filters-manage"
        href="/categories"
        onClick={(e) => {
          e.preventDefault();
          navigate('/categories');
        }}
      >
        Manage categories
      </a>
    </aside>
  );
}
