// The inspector: which torrent and tab are open, the latest detail frame,
// and the speed history drawn by the Speed tab. Opening a tab sends the
// focus to the server, which then sends `inspector:tick` every second.

import { createSignal } from 'solid-js';

import { api } from '../lib/bindings';
import { transport } from '../lib/transport';
import type { Detail, InfoHash, InspectorTab } from '../lib/wire';

export type InspectorView = 'overview' | 'files' | 'peers' | 'trackers' | 'pieces' | 'speed';

export const INSPECTOR_VIEWS: readonly { id: InspectorView; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'files', label: 'Files' },
  { id: 'peers', label: 'Peers' },
  { id: 'trackers', label: 'Trackers' },
  { id: 'pieces', label: 'Pieces' },
  { id: 'speed', label: 'Speed' },
];

export interface SpeedSample {
  /** Milliseconds since the epoch. */
  at: number;
  down: number;
  up: number;
}

/** Five minutes of one-second samples. */
export const MAX_SAMPLES = 300;

const [openId, setOpenId] = createSignal<InfoHash | null>(null);
const [view, setView] = createSignal<InspectorView>('overview');
const [detail, setDetail] = createSignal<Detail | null>(null);
const [samples, setSamples] = createSignal<SpeedSample[]>([]);

export { openId as inspectedId, view as inspectorView, detail, samples };

/** The server's tabs for a view: the overview fields always come along. */
function focusTabs(v: InspectorView): InspectorTab[] {
  return v === 'overview' || v === 'speed' ? ['overview'] : ['overview', v];
}

function sendFocus(): void {
  const id = openId();
  if (id) api.focus(id, focusTabs(view())).catch(() => undefined);
}

export function openInspector(id: InfoHash): void {
  if (openId() === id) return;
  setOpenId(id);
  setDetail(null);
  setSamples([]);
  sendFocus();
  api
    .torrent(id)
    .then((d) => {
      if (openId() === id) setDetail((current) => (current ? { ...d, ...current } : d));
    })
    .catch(() => undefined);
}

export function closeInspector(): void {
  if (openId() === null) return;
  setOpenId(null);
  setDetail(null);
  setSamples([]);
  api.clearFocus().catch(() => undefined);
}

export function showView(v: InspectorView): void {
  setView(v);
  sendFocus();
}

/** Applies a change made from the inspector before the next frame shows
 * it (file priorities), so controls do not jump back. */
export function patchDetail(patch: (d: Detail) => Detail): void {
  setDetail((d) => (d ? patch(d) : d));
}

transport.live.on('inspector:tick', (frame) => {
  if (frame.id !== openId()) return;
  // Tabs that were not focused are absent; keep what we had for them.
  setDetail((current) => (current && current.id === frame.id ? { ...current, ...frame } : frame));
  const sample = { at: Date.now(), down: frame.download_rate, up: frame.upload_rate };
  setSamples((list) => [...list, sample].slice(-MAX_SAMPLES));
});

transport.live.on('torrent:removed', (event) => {
  if (event.id === openId()) closeInspector();
});

transport.live.onStatus((status) => {
  // A new socket of the same session keeps the server-side focus, but a
  // restarted server forgets it.
  if (status === 'open') sendFocus();
});
