// One typed function per route of the remote API (docs/API.md). Views and
// stores call these; only transport.ts touches the network.

import { transport, type Transport } from './transport';
import type {
  AddFileOptions,
  AddMagnet,
  Added,
  AltSpeed,
  BlocklistSettings,
  BlocklistUpdate,
  Category,
  CategoryId,
  CategoryUpdate,
  ConnectionSettings,
  Created,
  Detail,
  InfoHash,
  InspectorTab,
  Login,
  NewApiKey,
  NewCategory,
  Ok,
  PasswordChange,
  Priority,
  SavePath,
  SpeedLimits,
  Stats,
  Torrent,
  UpdateInfo,
  UpdaterSettings,
  Version,
  WebSettings,
  WebSettingsUpdate,
} from './wire';

/** Builds the API over a transport (the page's own, or a test's). */
export function createApi(t: Transport) {
  const id = (hash: InfoHash) => encodeURIComponent(hash);
  return {
    // Sign-in (§2). The form shows a refusal itself, so it is not toasted.
    login: (body: Login) =>
      t.request<Ok>('POST', '/api/login', { json: body, anonymous: true, quiet: true }),
    logout: () => t.request<Ok>('POST', '/api/logout'),
    version: () => t.request<Version>('GET', '/api/version'),

    // Torrents (§3)
    listTorrents: () => t.request<Torrent[]>('GET', '/api/torrents'),
    torrent: (hash: InfoHash) => t.request<Detail>('GET', `/api/torrents/${id(hash)}`),
    addMagnet: (body: AddMagnet) =>
      t.request<Added>('POST', '/api/torrents/magnet', { json: body }),
    addFile: (file: Blob, name: string, options: AddFileOptions = {}) =>
      t.request<Added>('POST', '/api/torrents/file', { form: uploadForm(file, name, options) }),
    pause: (hash: InfoHash) => t.request<Ok>('POST', `/api/torrents/${id(hash)}/pause`),
    resume: (hash: InfoHash) => t.request<Ok>('POST', `/api/torrents/${id(hash)}/resume`),
    recheck: (hash: InfoHash) => t.request<Ok>('POST', `/api/torrents/${id(hash)}/recheck`),
    remove: (hash: InfoHash, deleteData: boolean) =>
      t.request<Ok>('DELETE', `/api/torrents/${id(hash)}${deleteData ? '?delete=1' : ''}`),
    setCategory: (infohash: InfoHash, categoryId: CategoryId | null) =>
      t.request<Ok>('POST', '/api/torrents/category', {
        json: { infohash, category_id: categoryId },
      }),
    setFilePriorities: (infohash: InfoHash, priorities: Record<number, Priority>) =>
      t.request<Ok>('POST', '/api/torrents/file_priorities', {
        json: { infohash, priorities: stringKeys(priorities) },
      }),
    move: (infohash: InfoHash, savePath: string) =>
      t.request<Ok>('POST', '/api/torrents/move', { json: { infohash, save_path: savePath } }),
    stats: () => t.request<Stats>('GET', '/api/stats'),

    // Inspector focus (§4)
    focus: (hash: InfoHash, tabs: InspectorTab[]) =>
      t.request<Ok>('POST', '/api/inspector/focus', { json: { id: hash, tabs } }),
    clearFocus: () => t.request<Ok>('POST', '/api/inspector/clear'),

    // Categories (§5)
    categories: () => t.request<Category[]>('GET', '/api/categories'),
    createCategory: (body: NewCategory) =>
      t.request<Created>('POST', '/api/categories', { json: body }),
    updateCategory: (body: CategoryUpdate) =>
      t.request<Ok>('PUT', '/api/categories', { json: body }),
    deleteCategory: (categoryId: CategoryId) =>
      t.request<Ok>('DELETE', `/api/categories/${categoryId}`),

    // Settings (§6)
    savePath: () => t.request<SavePath>('GET', '/api/settings/save_path'),
    setSavePath: (body: SavePath) =>
      t.request<Ok>('PUT', '/api/settings/save_path', { json: body }),
    limits: () => t.request<SpeedLimits>('GET', '/api/settings/limits'),
    setLimits: (body: SpeedLimits) => t.request<Ok>('PUT', '/api/settings/limits', { json: body }),
    toggleAltSpeed: () => t.request<AltSpeed>('POST', '/api/settings/alt_speed/toggle'),
    connection: () => t.request<ConnectionSettings>('GET', '/api/settings/connection'),
    setConnection: (body: ConnectionSettings) =>
      t.request<Ok>('PUT', '/api/settings/connection', { json: body }),
    web: () => t.request<WebSettings>('GET', '/api/settings/web'),
    setWeb: (body: WebSettingsUpdate) => t.request<Ok>('PUT', '/api/settings/web', { json: body }),
    changePassword: (body: PasswordChange) =>
      t.request<Ok>('PUT', '/api/settings/web/password', { json: body }),
    rotateApiKey: () => t.request<NewApiKey>('POST', '/api/settings/web/api_key/rotate'),
    blocklist: () => t.request<BlocklistSettings>('GET', '/api/settings/blocklist'),
    setBlocklist: (body: BlocklistUpdate) =>
      t.request<Ok>('PUT', '/api/settings/blocklist', { json: body }),
    refreshBlocklist: () => t.request<Ok>('POST', '/api/settings/blocklist/refresh'),
    updater: () => t.request<UpdaterSettings>('GET', '/api/settings/updater'),
    setUpdater: (body: UpdaterSettings) =>
      t.request<Ok>('PUT', '/api/settings/updater', { json: body }),

    // Updater (§7)
    checkUpdate: () => t.request<UpdateInfo>('POST', '/api/updater/check'),
    installUpdate: () => t.request<Ok>('POST', '/api/updater/install'),
  };
}

export type Api = ReturnType<typeof createApi>;

/** The page's API, over the shared transport. */
export const api: Api = createApi(transport);

function uploadForm(file: Blob, name: string, options: AddFileOptions): FormData {
  const form = new FormData();
  form.append('file', file, name);
  if (options.save_path) form.append('save_path', options.save_path);
  if (options.category_id != null) form.append('category_id', String(options.category_id));
  if (options.paused) form.append('paused', 'true');
  return form;
}

function stringKeys(priorities: Record<number, Priority>): Record<string, Priority> {
  return Object.fromEntries(Object.entries(priorities));
}
