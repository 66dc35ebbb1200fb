// Downloads: the default save path for torrents added without one.

import { Show, createSignal, type JSX } from 'solid-js';

import { api } from '../../lib/bindings';
import { toast } from '../../state/toasts';
import { ErrorNote, Section, errorText, useLoaded } from './section';

export function DownloadsSection(): JSX.Element {
  const loaded = useLoaded(() => api.savePath());
  const [path, setPath] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const value = (path() ?? loaded.value()?.path ?? '').trim();
    try {
      await api.setSavePath({ path: value });
      setError(null);
      toast('success', 'Default save path saved');
      await loaded.reload();
      setPath(null);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <Section id="downloads" title="Downloads">
      <ErrorNote text={loaded.error()} />
      <Show when={loaded.value()}>
        {(current) => (
          <form class="stack" onSubmit={(e) => void save(e)}>
            <label class="field">
              <span>Default save path</span>
              <input
                class="input"
                name="default-save-path"
                value={path() ?? current().path}
                onInput={(e) => setPath(e.currentTarget.value)}
              />
            </label>
            <ErrorNote text={error()} />
            <div class="actions">
              <button type="submit" class="button primary">
                Save
              </button>
            </div>
          </form>
        )}
      </Show>
    </Section>
  );
}
