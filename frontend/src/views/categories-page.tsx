// Categories: create, rename, recolour, change default save paths, delete
// (which detaches their torrents).

import { For, Show, createMemo, createSignal, type JSX } from 'solid-js';

import { categoryCounts } from '../lib/torrent-view';
import type { Category } from '../lib/wire';
import { categories, createCategory, deleteCategory, updateCategory } from '../state/categories';
import { rows } from '../state/live';
import { toast } from '../state/toasts';
import { Modal } from './modal';

const PALETTE = ['#3b82f6', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#ec4899', '#14b8a6'];

export function CategoriesPage(): JSX.Element {
  const counts = createMemo(() => categoryCounts(rows()));
  const [name, setName] = createSignal('');
  const [path, setPath] = createSignal('');
  const [color, setColor] = createSignal(PALETTE[0] ?? '#3b82f6');
  const [deleting, setDeleting] = createSignal<Category | null>(null);

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    await createCategory({ name: name().trim(), default_save_path: path().trim(), color: color() });
    toast('success', `Category ${name().trim()} created`);
    setName('');
    setPath('');
    setColor(PALETTE[categories().length % PALETTE.length] ?? '#3b82f6');
  };

  const confirmDelete = async () => {
    const c = deleting();
    setDeleting(null);
    if (!c) return;
    await deleteCategory(c.id);
    toast('success', `Category ${c.name} deleted`);
  };

  return (
    <div class="page">
      <h1 class="page-title">Categories</h1>
      <form
        class="card new-category"
        aria-label="New category"
        onSubmit={(e) => void create(e).catch(() => undefined)}
      >
        <label class="field">
          <span>Name</span>
          <input
            class="input"
            name="name"
            required
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <label class="field grow">
          <span>Default save path</span>
          <input
            class="input"
            name="default-save-path"
            placeholder="empty: the global default"
            value={path()}
            onInput={(e) => setPath(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>Colour</span>
          <input
            type="color"
            class="color"
            name="color"
            value={color()}
            onInput={(e) => setColor(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="button primary">
          Create
        </button>
      </form>
      <Show when={categories().length > 0} fallback={<p class="muted">No categories yet.</p>}>
        <ul class="category-list" aria-label="Categories">
          <For each={categories()}>
            {(c) => (
              <CategoryItem
                category={c}
                count={counts().get(c.id) ?? 0}
                onDelete={() => setDeleting(c)}
              />
            )}
          </For>
        </ul>
      </Show>
      <Modal open={deleting() !== null} title="Delete category" onClose={() => setDeleting(null)}>
        <p>
          Delete <strong>{deleting()?.name}</strong>? Its torrents stay, without a category.
        </p>
        <div class="actions">
          <button type="button" class="button" onClick={() => setDeleting(null)}>
            Cancel
          </button>
          <button
            type="button"
            class="button danger"
            onClick={() => void confirmDelete().catch(() => undefined)}
          >
            Delete
          </button>
        </div>
      </Modal>
    </div>
  );
}

function CategoryItem(props: {
  category: Category;
  count: number;
  onDelete: () => void;
}): JSX.Element {
  // Editing starts from the category's values as they were when drawn;
  // the list is redrawn from the server after each save.
  // eslint-disable-next-line solid/reactivity
  const initial = props.category;
  const [name, setName] = createSignal(initial.name);
  const [path, setPath] = createSignal(initial.default_save_path);
  const [color, setColor] = createSignal(initial.color);
  const changed = () =>
    name() !== props.category.name ||
    path() !== props.category.default_save_path ||
    color() !== props.category.color;

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    await updateCategory({
      id: props.category.id,
      name: name().trim(),
      default_save_path: path().trim(),
      color: color(),
    });
    toast('success', `Category ${name().trim()} saved`);
  };

  return (
    <li class="card category-item" data-category={props.category.name}>
      <form
        class="category-form"
        aria-label={`Category ${props.category.name}`}
        onSubmit={(e) => void save(e).catch(() => undefined)}
      >
        <label class="field">
          <span>Colour</span>
          <input
            type="color"
            class="color"
            value={color()}
            onInput={(e) => setColor(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>Name</span>
          <input
            class="input"
            required
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <label class="field grow">
          <span>Default save path</span>
          <input
            class="input"
            value={path()}
            placeholder="the global default"
            onInput={(e) => setPath(e.currentTarget.value)}
          />
        </label>
        <span class="category-count">
          {props.count} torrent{props.count === 1 ? '' : 's'}
        </span>
        <div class="actions">
          <button type="submit" class="button" disabled={!changed()}>
            Save
          </button>
          <button type="button" class="button danger" onClick={() => props.onDelete()}>
            Delete
          </button>
        </div>
      </form>
    </li>
  );
}
