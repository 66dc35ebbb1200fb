// Trackers: announce URLs and what is known of them (the engine reports
// no announce status yet, so those columns show a dash rather than a
// made-up value).

import { For, Show, type JSX } from 'solid-js';

import { date } from '../../lib/format';
import type { Tracker } from '../../lib/wire';

const dash = (v: string | number | null) => (v === null ? '—' : String(v));

export function TrackersTab(props: { trackers: Tracker[] | undefined }): JSX.Element {
  return (
    <Show
      when={(props.trackers?.length ?? 0) > 0}
      fallback={
        <p class="muted">
          {props.trackers ? 'No trackers: peers come from DHT or the magnet.' : 'Loading trackers…'}
        </p>
      }
    >
      <div class="table-wrap">
        <table class="table trackers-table">
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Status</th>
              <th scope="col">Message</th>
              <th scope="col" class="num">
                Seeds
              </th>
              <th scope="col" class="num">
                Peers
              </th>
              <th scope="col">Last announce</th>
              <th scope="col">Next announce</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.trackers}>
              {(t) => (
                <tr>
                  <td class="mono break">{t.url}</td>
                  <td>{dash(t.status)}</td>
                  <td>{dash(t.message)}</td>
                  <td class="num">{dash(t.seeds)}</td>
                  <td class="num">{dash(t.peers)}</td>
                  <td>{date(t.last_announce)}</td>
                  <td>{date(t.next_announce)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </Show>
  );
}
