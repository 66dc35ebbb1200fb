// Peers: who we are connected to and how fast data flows each way.

import { For, Show, type JSX } from 'solid-js';

import { bytes, percent, rate } from '../../lib/format';
import type { Peer } from '../../lib/wire';

export function PeersTab(props: { peers: Peer[] | undefined }): JSX.Element {
  return (
    <Show
      when={(props.peers?.length ?? 0) > 0}
      fallback={<p class="muted">{props.peers ? 'No connected peers.' : 'Loading peers…'}</p>}
    >
      <div class="table-wrap">
        <table class="table peers-table">
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Client</th>
              <th scope="col" class="num">
                Progress
              </th>
              <th scope="col" class="num">
                Down
              </th>
              <th scope="col" class="num">
                Up
              </th>
              <th scope="col" class="num">
                Downloaded
              </th>
              <th scope="col" class="num">
                Uploaded
              </th>
            </tr>
          </thead>
          <tbody>
            <For each={props.peers}>
              {(p) => (
                <tr>
                  <td class="mono">
                    {p.ip.includes(':') ? `[${p.ip}]:${p.port}` : `${p.ip}:${p.port}`}
                  </td>
                  <td>{p.client ?? '—'}</td>
                  <td class="num">{p.progress === null ? '—' : percent(p.progress)}</td>
                  <td class="num">{rate(p.download_rate)}</td>
                  <td class="num">{rate(p.upload_rate)}</td>
                  <td class="num">{bytes(p.downloaded)}</td>
                  <td class="num">{bytes(p.uploaded)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </Show>
  );
}
