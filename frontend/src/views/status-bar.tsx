// The bottom bar: global rates and counts from `stats:tick`, the
// alternative-speed switch, and whether the live connection is up.

import { Show, type JSX } from 'solid-js';

import { bytes, rate } from '../lib/format';
import { altActive, toggleAltSpeed } from '../state/alt-speed';
import { liveStatus, stats } from '../state/live';
import { Icon } from './icons';

const STATUS_TEXT = {
  idle: 'Offline',
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
} as const;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function StatusBar(): JSX.Element {
  return (
    <footer class="statusbar" aria-label="Session status">
      <span class="stat" data-testid="global-down" title="Download rate">
        <Icon name="down" />
        <span class="sr-only">Download </span>
        {rate(stats()?.total_download_rate ?? 0)}
      </span>
      <span class="stat" data-testid="global-up" title="Upload rate">
        <Icon name="up" />
        <span class="sr-only">Upload </span>
        {rate(stats()?.total_upload_rate ?? 0)}
      </span>
      <Show when={stats()}>
        {(s) => (
          <>
            <span class="stat wide-only">
              {plural(s().total_torrents, 'torrent')} · {s().active_torrents} active ·{' '}
              {s().seeding_torrents} seeding
            </span>
            <span class="stat wide-only">{plural(s().total_peers, 'peer')}</span>
            <span class="stat wide-only" title="Free space under the default save path">
              {bytes(s().free_space)} free
            </span>
          </>
        )}
      </Show>
      <span class="statusbar-end">
        <button
          type="button"
          class="chip"
          classList={{ on: altActive() }}
          aria-pressed={altActive()}
          title="Alternative speed limits"
          onClick={() => void toggleAltSpeed().catch(() => undefined)}
        >
          <Icon name="turtle" />
          <span>Alt speed</span>
        </button>
        <span class="live" data-status={liveStatus()} role="status">
          <span class="dot" aria-hidden="true" />
          {STATUS_TEXT[liveStatus()]}
        </span>
      </span>
    </footer>
  );
}
