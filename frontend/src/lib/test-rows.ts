// Torrent rows for unit tests.

import type { Torrent } from './wire';

export function torrentRow(over: Partial<Torrent> & { id: string }): Torrent {
  return {
    name: over.id,
    magnet: `magnet:?xt=urn:btih:${over.id}`,
    save_path: '/d',
    state: 'paused',
    error: null,
    total_bytes: 100,
    bytes_done: 0,
    progress: 0,
    download_rate: 0,
    upload_rate: 0,
    downloaded: 0,
    uploaded: 0,
    ratio: 0,
    eta_secs: null,
    peers: 0,
    seeds: 0,
    paused: true,
    completed: false,
    added_at: 1000,
    completed_at: null,
    category_id: null,
    ...over,
  };
}
