// What the shared socket keeps current: the torrent rows, session totals
// and the connection status. Completed downloads, failures and updates
// also raise toasts from here.

import { createSignal } from 'solid-js';

import { TorrentTable } from '../lib/delta';
import { navigate } from '../lib/router';
import { transport, type LiveStatus } from '../lib/transport';
import type { Stats, Torrent } from '../lib/wire';
import { toast } from './toasts';

const table = new TorrentTable();
const [rows, setRows] = createSignal<Torrent[]>([]);
const [stats, setStats] = createSignal<Stats | null>(null);
const [status, setStatus] = createSignal<LiveStatus>('idle');
/** False until the first list arrives, so the list can say "loading". */
const [loaded, setLoaded] = createSignal(false);

export { rows, stats, status as liveStatus, loaded };

export function torrentById(id: string): Torrent | undefined {
  return table.get(id);
}

const live = transport.live;

live.onStatus(setStatus);

live.on('torrents:tick', (list) => {
  table.replace(list);
  setRows(table.values());
  setLoaded(true);
});

live.on('torrents:delta', (delta) => {
  table.apply(delta);
  setRows(table.values());
});

live.on('stats:tick', setStats);

live.on('torrent:completed', (event) => {
  toast('success', `Finished downloading ${event.name}`);
});

live.on('torrent:error', (event) => {
  toast('error', `${event.name}: ${event.error ?? 'failed'}`);
});

live.on('update:available', (info) => {
  const version = info.latest_version ?? 'A new version';
  toast('info', `Mosaic ${version} is available (you have ${info.current_version}).`, {
    label: 'Open updater',
    run: () => navigate('/settings'),
  });
});
