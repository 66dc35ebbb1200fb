// Applying live list frames gives the same list a plain client receives.

import { describe, expect, it } from 'vitest';

import { TorrentTable } from './delta';
import { torrentRow } from './test-rows';

describe('TorrentTable', () => {
  it('merges changes by id, adds new rows whole and removes rows', () => {
    // Proves the delta rules of docs/API.md.
    const table = new TorrentTable();
    table.replace([torrentRow({ id: 'a', added_at: 1 }), torrentRow({ id: 'b', added_at: 2 })]);
    table.apply({
      seq: 2,
      changed: [{ id: 'a', progress: 0.5, bytes_done: 50 }, torrentRow({ id: 'c', added_at: 3 })],
      removed: ['b'],
    });
    expect(table.list().map((t) => [t.id, t.progress])).toEqual([
      ['c', 0],
      ['a', 0.5],
    ]);
    expect(table.get('a')?.bytes_done).toBe(50);
    expect(
      table
        .values()
        .map((t) => t.id)
        .sort(),
    ).toEqual(['a', 'c']);
    expect(table.size).toBe(2);
  });

  it('orders newest first with ties by id', () => {
    // Proves the list order matches the server's.
    const table = new TorrentTable();
    table.replace([
      torrentRow({ id: 'b', added_at: 5 }),
      torrentRow({ id: 'a', added_at: 5 }),
      torrentRow({ id: 'z', added_at: 9 }),
    ]);
    expect(table.list().map((t) => t.id)).toEqual(['z', 'a', 'b']);
  });

  it('keeps the object of a row that did not change', () => {
    // Proves unchanged rows keep their identity, so views skip them.
    const table = new TorrentTable();
    const a = torrentRow({ id: 'a' });
    table.replace([a, torrentRow({ id: 'b' })]);
    table.replace([{ ...a }, torrentRow({ id: 'b', progress: 1 })]);
    expect(table.get('a')).toBe(a);
    expect(table.get('b')?.progress).toBe(1);
    table.apply({ seq: 3, changed: [{ id: 'b', peers: 2 }], removed: [] });
    expect(table.get('a')).toBe(a);
  });

  it('drops rows a full list no longer has', () => {
    // Proves a full tick after dropped frames repairs the list.
    const table = new TorrentTable();
    table.replace([torrentRow({ id: 'a' }), torrentRow({ id: 'b' })]);
    table.replace([torrentRow({ id: 'b' })]);
    expect(table.list().map((t) => t.id)).toEqual(['b']);
  });
});
