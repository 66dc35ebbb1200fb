// Every binding sends the method, path and body of docs/API.md.

import { describe, expect, it } from 'vitest';

import { createApi, type Api } from './bindings';
import { Transport } from './transport';

interface Sent {
  method: string;
  path: string;
  body: unknown;
}

/** An API over a transport that records what it sends. */
function recording(): { api: Api; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetch: typeof globalThis.fetch = (url, init) => {
    const body = init?.body;
    sent.push({
      method: init?.method ?? 'GET',
      // The transport always passes a string URL.
      path: url as string,
      body: typeof body === 'string' ? (JSON.parse(body) as unknown) : body,
    });
    return Promise.resolve(new Response('{"ok":true}'));
  };
  return { api: createApi(new Transport({ fetch })), sent };
}

const HASH = '0123456789abcdef0123456789abcdef01234567';

const CASES: [string, (api: Api) => Promise<unknown>, string, string, unknown?][] = [
  [
    'login',
    (a) => a.login({ username: 'u', password: 'p' }),
    'POST',
    '/api/login',
    { username: 'u', password: 'p' },
  ],
  ['logout', (a) => a.logout(), 'POST', '/api/logout'],
  ['version', (a) => a.version(), 'GET', '/api/version'],
  ['listTorrents', (a) => a.listTorrents(), 'GET', '/api/torrents'],
  ['torrent', (a) => a.torrent(HASH), 'GET', `/api/torrents/${HASH}`],
  [
    'addMagnet',
    (a) => a.addMagnet({ magnet: 'magnet:?x', save_path: '', paused: true, category_id: 2 }),
    'POST',
    '/api/torrents/magnet',
    { magnet: 'magnet:?x', save_path: '', paused: true, category_id: 2 },
  ],
  ['pause', (a) => a.pause(HASH), 'POST', `/api/torrents/${HASH}/pause`],
  ['resume', (a) => a.resume(HASH), 'POST', `/api/torrents/${HASH}/resume`],
  ['recheck', (a) => a.recheck(HASH), 'POST', `/api/torrents/${HASH}/recheck`],
  ['remove', (a) => a.remove(HASH, false), 'DELETE', `/api/torrents/${HASH}`],
  ['remove with data', (a) => a.remove(HASH, true), 'DELETE', `/api/torrents/${HASH}?delete=1`],
  [
    'setCategory',
    (a) => a.setCategory(HASH, null),
    'POST',
    '/api/torrents/category',
    { infohash: HASH, category_id: null },
  ],
  [
    'setFilePriorities',
    (a) => a.setFilePriorities(HASH, { 0: 'skip', 3: 'max' }),
    'POST',
    '/api/torrents/file_priorities',
    { infohash: HASH, priorities: { '0': 'skip', '3': 'max' } },
  ],
  [
    'move',
    (a) => a.move(HASH, '/srv/x'),
    'POST',
    '/api/torrents/move',
    { infohash: HASH, save_path: '/srv/x' },
  ],
  ['stats', (a) => a.stats(), 'GET', '/api/stats'],
  [
    'focus',
    (a) => a.focus(HASH, ['overview', 'peers']),
    'POST',
    '/api/inspector/focus',
    { id: HASH, tabs: ['overview', 'peers'] },
  ],
  ['clearFocus', (a) => a.clearFocus(), 'POST', '/api/inspector/clear'],
  ['categories', (a) => a.categories(), 'GET', '/api/categories'],
  [
    'createCategory',
    (a) => a.createCategory({ name: 'n', default_save_path: '/d', color: '#123456' }),
    'POST',
    '/api/categories',
    { name: 'n', default_save_path: '/d', color: '#123456' },
  ],
  [
    'updateCategory',
    (a) => a.updateCategory({ id: 4, name: 'm' }),
    'PUT',
    '/api/categories',
    { id: 4, name: 'm' },
  ],
  ['deleteCategory', (a) => a.deleteCategory(4), 'DELETE', '/api/categories/4'],
  ['savePath', (a) => a.savePath(), 'GET', '/api/settings/save_path'],
  [
    'setSavePath',
    (a) => a.setSavePath({ path: '/p' }),
    'PUT',
    '/api/settings/save_path',
    { path: '/p' },
  ],
  ['limits', (a) => a.limits(), 'GET', '/api/settings/limits'],
  [
    'setLimits',
    (a) =>
      a.setLimits({ down_kbps: 1, up_kbps: 2, alt_down_kbps: 3, alt_up_kbps: 4, alt_active: true }),
    'PUT',
    '/api/settings/limits',
    { down_kbps: 1, up_kbps: 2, alt_down_kbps: 3, alt_up_kbps: 4, alt_active: true },
  ],
  ['toggleAltSpeed', (a) => a.toggleAltSpeed(), 'POST', '/api/settings/alt_speed/toggle'],
  ['connection', (a) => a.connection(), 'GET', '/api/settings/connection'],
  [
    'setConnection',
    (a) =>
      a.setConnection({
        listen_port: 1,
        dht_enabled: false,
        max_peers_per_torrent: 5,
        upnp_enabled: false,
      }),
    'PUT',
    '/api/settings/connection',
    { listen_port: 1, dht_enabled: false, max_peers_per_torrent: 5, upnp_enabled: false },
  ],
  ['web', (a) => a.web(), 'GET', '/api/settings/web'],
  [
    'setWeb',
    (a) => a.setWeb({ session_ttl_secs: 60 }),
    'PUT',
    '/api/settings/web',
    { session_ttl_secs: 60 },
  ],
  [
    'changePassword',
    (a) => a.changePassword({ old_password: 'o', new_password: 'n' }),
    'PUT',
    '/api/settings/web/password',
    { old_password: 'o', new_password: 'n' },
  ],
  ['rotateApiKey', (a) => a.rotateApiKey(), 'POST', '/api/settings/web/api_key/rotate'],
  ['blocklist', (a) => a.blocklist(), 'GET', '/api/settings/blocklist'],
  [
    'setBlocklist',
    (a) => a.setBlocklist({ url: 'https://l', enabled: true }),
    'PUT',
    '/api/settings/blocklist',
    { url: 'https://l', enabled: true },
  ],
  ['refreshBlocklist', (a) => a.refreshBlocklist(), 'POST', '/api/settings/blocklist/refresh'],
  ['updater', (a) => a.updater(), 'GET', '/api/settings/updater'],
  [
    'setUpdater',
    (a) => a.setUpdater({ enabled: true, channel: 'beta', feed_url: 'https://f' }),
    'PUT',
    '/api/settings/updater',
    { enabled: true, channel: 'beta', feed_url: 'https://f' },
  ],
  ['checkUpdate', (a) => a.checkUpdate(), 'POST', '/api/updater/check'],
  ['installUpdate', (a) => a.installUpdate(), 'POST', '/api/updater/install'],
];

describe('bindings', () => {
  it.each(CASES)('%s', async (_name, call, method, path, body) => {
    // Proves this binding matches the wire contract's route and body.
    const { api, sent } = recording();
    await call(api);
    expect(sent).toEqual([{ method, path, body }]);
  });

  it('covers every function of the API', () => {
    // Proves no binding was added without a case above.
    const named = new Set(CASES.map(([name]) => name.split(' ')[0]));
    const missing = Object.keys(recording().api).filter((k) => k !== 'addFile' && !named.has(k));
    expect(missing).toEqual([]);
  });

  it('uploads .torrent files as multipart with only the options given', async () => {
    // Proves the multipart field names of POST /api/torrents/file.
    const { api, sent } = recording();
    const file = new Blob([new Uint8Array([100, 101])]);
    await api.addFile(file, 'a.torrent', { save_path: '/s', category_id: 3, paused: true });
    await api.addFile(file, 'b.torrent');
    const [full, bare] = sent.map((s) => s.body as FormData);
    expect(sent.map((s) => [s.method, s.path])).toEqual([
      ['POST', '/api/torrents/file'],
      ['POST', '/api/torrents/file'],
    ]);
    expect((full?.get('file') as File).name).toBe('a.torrent');
    expect([full?.get('save_path'), full?.get('category_id'), full?.get('paused')]).toEqual([
      '/s',
      '3',
      'true',
    ]);
    expect([...(bare?.keys() ?? [])]).toEqual(['file']);
  });

  it('escapes ids that land in a path', async () => {
    // Proves a malformed id cannot reach another route.
    const { api, sent } = recording();
    await api.pause('../settings');
    expect(sent[0]?.path).toBe('/api/torrents/..%2Fsettings/pause');
  });
});
