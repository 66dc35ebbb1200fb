// The categories, loaded once after sign-in and refreshed after each
// change made from this page.

import { createSignal } from 'solid-js';

import { api } from '../lib/bindings';
import type { Category, CategoryId, CategoryUpdate, NewCategory } from '../lib/wire';

const [categories, setCategories] = createSignal<Category[]>([]);

export { categories };

let names: { source: Category[]; map: Map<CategoryId, string> } | null = null;

/** Id → name, for the list's category column and sorting (tracked). */
export function categoryNames(): Map<CategoryId, string> {
  const source = categories();
  if (names?.source !== source) {
    names = { source, map: new Map(source.map((c) => [c.id, c.name])) };
  }
  return names.map;
}

export function categoryById(id: CategoryId | null): Category | undefined {
  return id === null ? undefined : categories().find((c) => c.id === id);
}

export async function loadCategories(): Promise<void> {
  setCategories(await api.categories());
}

export async function createCategory(body: NewCategory): Promise<CategoryId> {
  const { id } = await api.createCategory(body);
  await loadCategories();
  return id;
}

export async function updateCategory(body: CategoryUpdate): Promise<void> {
  try {
    await api.updateCategory(body);
  } finally {
    await loadCategories();
  }
}

export async function deleteCategory(id: CategoryId): Promise<void> {
  await api.deleteCategory(id);
  await loadCategories();
}
