// The torrent list as the live socket describes it: a whole list from
// `torrents:tick`, then `torrents:delta` frames that carry only what
// changed. Unchanged rows keep their object identity, so views redraw only
// the rows that moved.

import type { InfoHash, Torrent, TorrentsDelta } from './wire';

export class TorrentTable {
  private rows = new Map<InfoHash, Torrent>();

  /** Replaces everything with a full list. */
  replace(list: readonly Torrent[]): void {
    const next = new Map<InfoHash, Torrent>();
    for (const row of list) {
      const old = this.rows.get(row.id);
      next.set(row.id, old && sameRow(old, row) ? old : row);
    }
    this.rows = next;
  }

  /** Applies a delta frame: removals first, then changes merged by id. A
   * row not known yet arrives whole. */
  apply(delta: TorrentsDelta): void {
    for (const id of delta.removed) this.rows.delete(id);
    for (const change of delta.changed) {
      const old = this.rows.get(change.id);
      this.rows.set(change.id, old ? { ...old, ...change } : (change as Torrent));
    }
  }

  get size(): number {
    return this.rows.size;
  }

  get(id: InfoHash): Torrent | undefined {
    return this.rows.get(id);
  }

  /** Every row, in no particular order (views sort it themselves). */
  values(): Torrent[] {
    return [...this.rows.values()];
  }

  /** Rows newest first by `added_at`, ties by id: the server's own order. */
  list(): Torrent[] {
    return [...this.rows.values()].sort(
      (a, b) => b.added_at - a.added_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  }
}

function sameRow(a: Torrent, b: Torrent): boolean {
  for (const key of Object.keys(b) as (keyof Torrent)[]) {
    if (a[key] !== b[key]) return false;
  }
  return true;
}
