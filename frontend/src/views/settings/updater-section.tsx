// Updates: automatic checks and their channel, a check on demand, and
// installing a verified release.

import { Show, createSignal, type JSX } from 'solid-js';

import { api } from '../../lib/bindings';
import { date } from '../../lib/format';
import type { UpdateChannel, UpdateInfo, UpdaterSettings } from '../../lib/wire';
import { toast } from '../../state/toasts';
import { Modal } from '../modal';
import { ErrorNote, Section, errorText, useLoaded } from './section';

export function UpdaterSection(): JSX.Element {
  const loaded = useLoaded(() => api.updater());
  const [edit, setEdit] = createSignal<Partial<UpdaterSettings>>({});
  const [info, setInfo] = createSignal<UpdateInfo | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [confirming, setConfirming] = createSignal(false);
  const current = (): UpdaterSettings => ({
    enabled: edit().enabled ?? loaded.value()?.enabled ?? true,
    channel: edit().channel ?? loaded.value()?.channel ?? 'stable',
    feed_url: edit().feed_url ?? loaded.value()?.feed_url ?? '',
  });

  const act = async (what: () => Promise<void>) => {
    setBusy(true);
    try {
      await what();
      setError(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const body = current();
    void act(async () => {
      await api.setUpdater(body);
      toast('success', 'Update settings saved');
      await loaded.reload();
      setEdit({});
    });
  };
  const check = () =>
    void act(async () => {
      setInfo(await api.checkUpdate());
      await loaded.reload();
    });
  const install = () => {
    setConfirming(false);
    void act(async () => {
      await api.installUpdate();
      toast('info', 'Update installed; the server is restarting');
    });
  };

  return (
    <Section id="updater" title="Updates">
      <ErrorNote text={loaded.error()} prefix="Could not load the update settings" />
      <form class="stack" onSubmit={save}>
        <label class="check">
          <input
            type="checkbox"
            checked={current().enabled}
            onChange={(e) => setEdit((x) => ({ ...x, enabled: e.currentTarget.checked }))}
          />
          <span>Check for updates daily</span>
        </label>
        <div class="field-row">
          <label class="field">
            <span>Channel</span>
            <select
              class="select"
              value={current().channel}
              onChange={(e) =>
                setEdit((x) => ({ ...x, channel: e.currentTarget.value as UpdateChannel }))
              }
            >
              <option value="stable">Stable</option>
              <option value="beta">Beta</option>
            </select>
          </label>
          <label class="field grow">
            <span>Release feed</span>
            <input
              class="input"
              type="url"
              value={current().feed_url}
              onInput={(e) => setEdit((x) => ({ ...x, feed_url: e.currentTarget.value }))}
            />
          </label>
        </div>
        <p class="muted">Last checked: {date(loaded.value()?.last_checked_at ?? null)}</p>
        <Show when={info()}>
          {(i) => (
            <div class="update-info" role="status">
              <Show
                when={i().available}
                fallback={<p>Mosaic {i().current_version} is up to date.</p>}
              >
                <p>
                  Mosaic {i().latest_version} is available (you have {i().current_version}).
                </p>
                <Show when={i().release_notes}>
                  {(notes) => <pre class="notes">{notes()}</pre>}
                </Show>
                <button
                  type="button"
                  class="button primary"
                  disabled={busy()}
                  onClick={() => setConfirming(true)}
                >
                  Install {i().latest_version}
                </button>
              </Show>
            </div>
          )}
        </Show>
        <ErrorNote text={error()} />
        <div class="actions">
          <button type="button" class="button" disabled={busy()} onClick={check}>
            Check now
          </button>
          <button type="submit" class="button primary" disabled={busy()}>
            Save
          </button>
        </div>
      </form>
      <Modal open={confirming()} title="Install the update?" onClose={() => setConfirming(false)}>
        <p>The server checks the release's signature, replaces itself and restarts.</p>
        <div class="actions">
          <button type="button" class="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
          <button type="button" class="button primary" onClick={install}>
            Install and restart
          </button>
        </div>
      </Modal>
    </Section>
  );
}
