// Blocklist: where to fetch it, whether it is on, and a refresh whose
// failure (502 with the reason) is shown as the server words it.

import { Show, createSignal, type JSX } from 'solid-js';

import { api } from '../../lib/bindings';
import { date } from '../../lib/format';
import type { BlocklistUpdate } from '../../lib/wire';
import { toast } from '../../state/toasts';
import { ErrorNote, Section, errorText, useLoaded } from './section';

export function BlocklistSection(): JSX.Element {
  const loaded = useLoaded(() => api.blocklist());
  const [edit, setEdit] = createSignal<Partial<BlocklistUpdate>>({});
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const url = () => edit().url ?? loaded.value()?.url ?? '';
  const enabled = () => edit().enabled ?? loaded.value()?.enabled ?? false;

  const run = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await what();
      setError(null);
      toast('success', done);
      await loaded.reload();
      setEdit({});
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const body = { url: url().trim(), enabled: enabled() };
    void run(() => api.setBlocklist(body), 'Blocklist saved');
  };

  return (
    <Section id="blocklist" title="Blocklist">
      <ErrorNote text={loaded.error()} prefix="Could not load the blocklist settings" />
      <form class="stack" onSubmit={save}>
        <label class="field">
          <span>Blocklist URL</span>
          <input
            class="input"
            type="url"
            name="blocklist-url"
            placeholder="https://example.org/list.p2p.gz"
            value={url()}
            onInput={(e) => setEdit((x) => ({ ...x, url: e.currentTarget.value }))}
          />
        </label>
        <label class="check">
          <input
            type="checkbox"
            name="blocklist-enabled"
            checked={enabled()}
            onChange={(e) => setEdit((x) => ({ ...x, enabled: e.currentTarget.checked }))}
          />
          <span>Block the addresses on this list</span>
        </label>
        <Show when={loaded.value()}>
          {(status) => (
            <p class="muted" data-testid="blocklist-status">
              {status().entries} entries · last loaded {date(status().last_loaded_at)}
              {status().error ? ` · last error: ${status().error}` : ''}
            </p>
          )}
        </Show>
        <ErrorNote text={error()} />
        <div class="actions">
          <button
            type="button"
            class="button"
            disabled={busy()}
            onClick={() => void run(() => api.refreshBlocklist(), 'Blocklist refreshed')}
          >
            Refresh now
          </button>
          <button type="submit" class="button primary" disabled={busy()}>
            Save
          </button>
        </div>
      </form>
    </Section>
  );
}
