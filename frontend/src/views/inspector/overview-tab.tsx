// Overview: the torrent's facts and the actions on it (pause or resume,
// recheck, move its data, change its category).

import { For, Show, createSignal, type JSX } from 'solid-js';

import { api } from '../../lib/bindings';
import { bytes, date, duration, percent, rate, ratio, stateLabel } from '../../lib/format';
import type { Detail } from '../../lib/wire';
import { categories } from '../../state/categories';
import { toast } from '../../state/toasts';
import { CopyButton } from '../copy-button';

export function OverviewTab(props: { detail: Detail }): JSX.Element {
  const d = () => props.detail;
  const [moveTo, setMoveTo] = createSignal<string | null>(null);

  const facts = (): [string, string][] => [
    ['State', d().error ? `${stateLabel(d().state)}: ${d().error}` : stateLabel(d().state)],
    ['Size', d().total_bytes > 0 ? bytes(d().total_bytes) : 'unknown until metadata arrives'],
    ['Done', `${bytes(d().bytes_done)} (${percent(d().progress)})`],
    ['Download', `${rate(d().download_rate)} · ${bytes(d().downloaded)} in total`],
    ['Upload', `${rate(d().upload_rate)} · ${bytes(d().uploaded)} in total`],
    ['Ratio', ratio(d().ratio)],
    ['ETA', d().completed ? 'done' : duration(d().eta_secs)],
    ['Peers', `${d().peers} connected, ${d().seeds} seeds`],
    ['Added', date(d().added_at)],
    ['Completed', date(d().completed_at)],
    ['Pieces', d().piece_count > 0 ? `${d().piece_count} × ${bytes(d().piece_length)}` : '—'],
    ['Private', d().private ? 'yes' : 'no'],
    ['Created by', d().created_by ?? '—'],
    ['Comment', d().comment ?? '—'],
  ];

  const move = async (event: SubmitEvent) => {
    event.preventDefault();
    const target = moveTo();
    if (!target) return;
    await api.move(d().id, target);
    toast('success', `Moving data to ${target}`);
    setMoveTo(null);
  };

  return (
    <div class="overview">
      <div class="actions-row">
        <Show
          when={d().paused}
          fallback={
            <button
              type="button"
              class="button"
              onClick={() => void api.pause(d().id).catch(() => undefined)}
            >
              Pause
            </button>
          }
        >
          <button
            type="button"
            class="button"
            onClick={() => void api.resume(d().id).catch(() => undefined)}
          >
            Resume
          </button>
        </Show>
        <button
          type="button"
          class="button"
          onClick={() => void api.recheck(d().id).catch(() => undefined)}
        >
          Recheck
        </button>
        <label class="inline-field">
          <span>Category</span>
          <select
            class="select"
            value={d().category_id ?? ''}
            onChange={(e) => {
              const v = e.currentTarget.value;
              void api.setCategory(d().id, v === '' ? null : Number(v)).catch(() => undefined);
            }}
          >
            <option value="">None</option>
            <For each={categories()}>{(c) => <option value={c.id}>{c.name}</option>}</For>
          </select>
        </label>
      </div>
      <dl class="facts">
        <For each={facts()}>
          {([term, value]) => (
            <div class="fact">
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          )}
        </For>
        <div class="fact">
          <dt>Info hash</dt>
          <dd class="mono">
            {d().id} <CopyButton text={d().id} label="Copy info hash" />
          </dd>
        </div>
        <div class="fact">
          <dt>Magnet</dt>
          <dd>
            <CopyButton text={d().magnet} label="Copy magnet link" />
          </dd>
        </div>
        <div class="fact wide">
          <dt>Save path</dt>
          <dd>
            <form class="inline-form" onSubmit={(e) => void move(e).catch(() => undefined)}>
              <label class="sr-only" for="move-path">
                Save path
              </label>
              <input
                id="move-path"
                class="input"
                value={moveTo() ?? d().save_path}
                onInput={(e) => setMoveTo(e.currentTarget.value)}
              />
              <button
                type="submit"
                class="button"
                disabled={moveTo() === null || moveTo() === d().save_path}
              >
                Move
              </button>
            </form>
          </dd>
        </div>
      </dl>
    </div>
  );
}
