// Adding torrents: magnet links and .torrent files (picked, or dropped
// anywhere on the page), a category whose default save path pre-fills the
// save path, and whether to start paused.

import { For, Show, createEffect, createSignal, on, type JSX } from 'solid-js';

import { api } from '../lib/bindings';
import { ApiError } from '../lib/transport';
import type { CategoryId } from '../lib/wire';
import { addOpen, closeAdd, droppedFiles } from '../state/add';
import { categories, categoryById } from '../state/categories';
import { toast } from '../state/toasts';
import { Icon } from './icons';
import { Modal } from './modal';

export function AddDialog(): JSX.Element {
  const [magnets, setMagnets] = createSignal('');
  const [files, setFiles] = createSignal<File[]>([]);
  const [categoryId, setCategoryId] = createSignal<CategoryId | null>(null);
  const [savePath, setSavePath] = createSignal('');
  const [defaultPath, setDefaultPath] = createSignal('');
  const [paused, setPaused] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [errors, setErrors] = createSignal<string[]>([]);

  /** The save path a category implies: its own default, else the global. */
  const impliedPath = (id: CategoryId | null) =>
    categoryById(id)?.default_save_path || defaultPath();

  createEffect(
    on(addOpen, (open) => {
      if (!open) return;
      setErrors([]);
      void loadDefaultPath();
    }),
  );

  // Files dropped on the page join the list, also while the dialog is open.
  createEffect(
    on(droppedFiles, (dropped) => {
      if (dropped.length > 0) setFiles((current) => [...current, ...dropped]);
    }),
  );

  const loadDefaultPath = async () => {
    const { path } = await api.savePath().catch(() => ({ path: '' }));
    setDefaultPath(path);
    if (!savePath()) setSavePath(impliedPath(categoryId()));
  };

  const chooseCategory = (value: string) => {
    const id = value === '' ? null : Number(value);
    setCategoryId(id);
    setSavePath(impliedPath(id));
  };

  const addFiles = (list: FileList | null) => {
    if (list) setFiles((current) => [...current, ...Array.from(list)]);
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const links = magnets()
      .split(/\s+/)
      .filter((l) => l !== '');
    if (links.length === 0 && files().length === 0) {
      setErrors(['Paste a magnet link or choose a .torrent file.']);
      return;
    }
    setBusy(true);
    const options = { save_path: savePath().trim(), category_id: categoryId(), paused: paused() };
    const failedLinks: string[] = [];
    const failedFiles: File[] = [];
    const messages: string[] = [];
    const note = (what: string, e: unknown) =>
      messages.push(`${what}: ${e instanceof ApiError ? e.message : 'failed'}`);

    for (const magnet of links) {
      await api.addMagnet({ magnet, ...options }).catch((e: unknown) => {
        failedLinks.push(magnet);
        note('magnet link', e);
      });
    }
    for (const file of files()) {
      await api.addFile(file, file.name, options).catch((e: unknown) => {
        failedFiles.push(file);
        note(file.name, e);
      });
    }
    setBusy(false);

    const added = links.length + files().length - failedLinks.length - failedFiles.length;
    if (added > 0) toast('success', `Added ${added} torrent${added === 1 ? '' : 's'}`);
    setMagnets(failedLinks.join('\n'));
    setFiles(failedFiles);
    setErrors(messages);
    if (messages.length === 0) close();
  };

  const close = () => {
    setMagnets('');
    setFiles([]);
    setSavePath('');
    setErrors([]);
    closeAdd();
  };

  return (
    <Modal open={addOpen()} title="Add torrents" class="add-dialog" onClose={close}>
      <form class="stack" onSubmit={(e) => void submit(e)}>
        <label class="field">
          <span>Magnet links (one per line)</span>
          <textarea
            name="magnet"
            rows="3"
            placeholder="magnet:?xt=urn:btih:…"
            value={magnets()}
            onInput={(e) => setMagnets(e.currentTarget.value)}
          />
        </label>
        <div class="field">
          <span id="add-files-label">Torrent files</span>
          <label class="file-pick">
            <input
              type="file"
              name="torrent-files"
              multiple
              accept=".torrent,application/x-bittorrent"
              aria-labelledby="add-files-label"
              onChange={(e) => {
                addFiles(e.currentTarget.files);
                e.currentTarget.value = '';
              }}
            />
            <span class="button">Choose files…</span>
            <span class="muted">or drop them anywhere on the page</span>
          </label>
          <Show when={files().length > 0}>
            <ul class="file-chips" aria-label="Chosen files">
              <For each={files()}>
                {(file) => (
                  <li class="file-chip">
                    <Icon name="file" />
                    <span>{file.name}</span>
                    <button
                      type="button"
                      class="icon-button small"
                      aria-label={`Remove ${file.name}`}
                      onClick={() => setFiles((list) => list.filter((f) => f !== file))}
                    >
                      <Icon name="close" />
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </div>
        <div class="field-row">
          <label class="field">
            <span>Category</span>
            <select
              class="select"
              name="category"
              value={categoryId() ?? ''}
              onChange={(e) => chooseCategory(e.currentTarget.value)}
            >
              <option value="">None</option>
              <For each={categories()}>{(c) => <option value={c.id}>{c.name}</option>}</For>
            </select>
          </label>
          <label class="field grow">
            <span>Save path</span>
            <input
              class="input"
              name="save-path"
              value={savePath()}
              placeholder={defaultPath()}
              onInput={(e) => setSavePath(e.currentTarget.value)}
            />
          </label>
        </div>
        <label class="check">
          <input
            type="checkbox"
            name="paused"
            checked={paused()}
            onChange={(e) => setPaused(e.currentTarget.checked)}
          />
          <span>Start paused</span>
        </label>
        <Show when={errors().length > 0}>
          <ul class="form-error" role="alert">
            <For each={errors()}>{(m) => <li>{m}</li>}</For>
          </ul>
        </Show>
        <div class="actions">
          <button type="button" class="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" class="button primary" disabled={busy()}>
            {busy() ? 'Adding…' : 'Add'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
