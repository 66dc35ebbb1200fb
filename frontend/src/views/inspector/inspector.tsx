// The inspector panel for one torrent: a bottom panel on wide screens, a
// full-screen sheet on phones. Its tabs follow the WAI-ARIA tabs pattern.

import { For, Match, Show, Switch, type JSX } from 'solid-js';

import {
  INSPECTOR_VIEWS,
  closeInspector,
  detail,
  inspectorView,
  showView,
  type InspectorView,
} from '../../state/inspector';
import { torrentById } from '../../state/live';
import { Icon } from '../icons';
import { FilesTab } from './files-tab';
import { OverviewTab } from './overview-tab';
import { PeersTab } from './peers-tab';
import { PiecesTab } from './pieces-tab';
import { SpeedTab } from './speed-tab';
import { TrackersTab } from './trackers-tab';

export function Inspector(props: { id: string }): JSX.Element {
  const name = () => detail()?.name ?? torrentById(props.id)?.name ?? props.id;

  const onTabKey = (event: KeyboardEvent) => {
    const ids = INSPECTOR_VIEWS.map((v) => v.id);
    const at = ids.indexOf(inspectorView());
    let next: InspectorView | undefined;
    if (event.key === 'ArrowRight') next = ids[(at + 1) % ids.length];
    else if (event.key === 'ArrowLeft') next = ids[(at - 1 + ids.length) % ids.length];
    else if (event.key === 'Home') next = ids[0];
    else if (event.key === 'End') next = ids[ids.length - 1];
    if (!next) return;
    event.preventDefault();
    showView(next);
    document.getElementById(`tab-${next}`)?.focus();
  };

  return (
    <section class="inspector" aria-label={`Details of ${name()}`}>
      <div class="inspector-head">
        <h2 class="inspector-title" title={name()}>
          {name()}
        </h2>
        <button
          type="button"
          class="icon-button"
          aria-label="Close details"
          onClick={() => closeInspector()}
        >
          <Icon name="close" />
        </button>
      </div>
      <div class="tabs" role="tablist" aria-label="Detail tabs" onKeyDown={onTabKey}>
        <For each={INSPECTOR_VIEWS}>
          {(v) => (
            <button
              type="button"
              role="tab"
              id={`tab-${v.id}`}
              class="tab"
              aria-selected={inspectorView() === v.id}
              aria-controls="inspector-panel"
              tabindex={inspectorView() === v.id ? 0 : -1}
              onClick={() => showView(v.id)}
            >
              {v.label}
            </button>
          )}
        </For>
      </div>
      <div
        id="inspector-panel"
        class="tab-panel"
        role="tabpanel"
        aria-labelledby={`tab-${inspectorView()}`}
        tabindex="0"
      >
        <Show when={detail()} fallback={<p class="muted">Loading…</p>}>
          {(d) => (
            <Switch>
              <Match when={inspectorView() === 'overview'}>
                <OverviewTab detail={d()} />
              </Match>
              <Match when={inspectorView() === 'files'}>
                <FilesTab detail={d()} />
              </Match>
              <Match when={inspectorView() === 'peers'}>
                <PeersTab peers={d().peers_list} />
              </Match>
              <Match when={inspectorView() === 'trackers'}>
                <TrackersTab trackers={d().trackers} />
              </Match>
              <Match when={inspectorView() === 'pieces'}>
                <PiecesTab detail={d()} />
              </Match>
              <Match when={inspectorView() === 'speed'}>
                <SpeedTab />
              </Match>
            </Switch>
          )}
        </Show>
      </div>
    </section>
  );
}
