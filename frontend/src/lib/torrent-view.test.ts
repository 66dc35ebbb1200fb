// Filtering, searching and sorting the list, including at 10,000 rows.

import { describe, expect, it } from 'vitest';

import { torrentRow } from './test-rows';
import {
  DEFAULT_QUERY,
  categoryCounts,
  stateCounts,
  viewRows,
  type ViewQuery,
} from './torrent-view';

const rows = [
  torrentRow({
    id: 'a',
    name: 'Ubuntu 24.04',
    total_bytes: 30,
    added_at: 3,
    category_id: 1,
    state: 'seeding',
    paused: false,
    completed: true,
    progress: 1,
    upload_rate: 5,
  }),
  torrentRow({
    id: 'b',
    name: 'debian 12',
    total_bytes: 20,
    added_at: 2,
    state: 'downloading',
    paused: false,
    progress: 0.5,
    download_rate: 9,
    eta_secs: 60,
  }),
  torrentRow({
    id: 'c',
    name: 'Fedora 40',
    total_bytes: 10,
    added_at: 1,
    category_id: 2,
    state: 'error',
    paused: false,
    error: 'disk full',
  }),
  torrentRow({ id: 'd', name: 'Arch 2024', total_bytes: 40, added_at: 4 }),
];

const query = (over: Partial<ViewQuery>): ViewQuery => ({ ...DEFAULT_QUERY, ...over });
const ids = (q: Partial<ViewQuery>, names?: Map<number, string>) =>
  viewRows(rows, query(q), names).map((t) => t.id);

describe('viewRows', () => {
  it('sorts newest first by default and by any column both ways', () => {
    // Proves every sort key orders as a user expects; unknown ETAs last.
    expect(ids({})).toEqual(['d', 'a', 'b', 'c']);
    expect(ids({ sort: 'name', descending: false })).toEqual(['d', 'b', 'c', 'a']);
    expect(ids({ sort: 'size', descending: true })).toEqual(['d', 'a', 'b', 'c']);
    expect(ids({ sort: 'progress', descending: true })).toEqual(['a', 'b', 'c', 'd']);
    expect(ids({ sort: 'down', descending: true })[0]).toBe('b');
    expect(ids({ sort: 'up', descending: true })[0]).toBe('a');
    expect(ids({ sort: 'eta', descending: false })[0]).toBe('b');
    expect(ids({ sort: 'state', descending: false })).toEqual(['b', 'c', 'd', 'a']);
    const names = new Map([
      [1, 'Linux'],
      [2, 'Another'],
    ]);
    expect(ids({ sort: 'category', descending: false }, names)).toEqual(['b', 'd', 'c', 'a']);
  });

  it('filters by state, category and a case-insensitive name search', () => {
    // Proves the filters combine.
    expect(ids({ state: 'downloading' })).toEqual(['b']);
    expect(ids({ state: 'seeding' })).toEqual(['a']);
    expect(ids({ state: 'completed' })).toEqual(['a']);
    expect(ids({ state: 'paused' })).toEqual(['d']);
    expect(ids({ state: 'active' })).toEqual(['a', 'b']);
    expect(ids({ state: 'error' })).toEqual(['c']);
    expect(ids({ category: 1 })).toEqual(['a']);
    expect(ids({ category: 'none' })).toEqual(['d', 'b']);
    expect(ids({ search: '  UBUNTU ' })).toEqual(['a']);
    expect(ids({ search: 'e', state: 'error' })).toEqual(['c']);
  });

  it('counts rows per state filter and per category', () => {
    // Proves the sidebar's numbers.
    const counts = stateCounts(rows);
    expect(counts).toMatchObject({
      all: 4,
      downloading: 1,
      seeding: 1,
      paused: 1,
      error: 1,
      inactive: 2,
    });
    expect(categoryCounts(rows)).toEqual(
      new Map<number | 'none', number>([
        [1, 1],
        ['none', 2],
        [2, 1],
      ]),
    );
  });

  it('handles 10,000 rows quickly enough for every keystroke', () => {
    // Proves searching and sorting the whole list stays well within a
    // frame budget on an ordinary machine (loose bound: shared CI).
    const many = Array.from({ length: 10_000 }, (_, i) =>
      torrentRow({
        id: String(i).padStart(40, '0'),
        name: `synthetic-${i}`,
        added_at: i,
        total_bytes: (i * 7919) % 10_007,
      }),
    );
    const started = performance.now();
    expect(viewRows(many, query({ search: 'synthetic-999' })).length).toBe(11);
    expect(viewRows(many, query({ sort: 'name', descending: false }))[0]?.name).toBe('synthetic-0');
    expect(viewRows(many, query({ sort: 'size' })).length).toBe(10_000);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
