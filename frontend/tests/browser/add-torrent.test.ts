// Adding torrents: a magnet link, a .torrent dropped anywhere on the page
// (with a category that fills in the save path, started paused), a file
// chosen with the picker, and a refused magnet showing the server's words.

import { join } from 'node:path';

import { afterAll, beforeAll, expect, inject, test } from 'vitest';

import { api, waitFor } from '../support/api';
import { openBrowser, signIn, type Browser } from '../support/browser';
import { dropFiles, row, toastWith } from '../support/page-helpers';
import { startServer, type MosaicServer } from '../support/server';

interface Row {
  id: string;
  save_path: string;
  paused: boolean;
  category_id: number | null;
}

let server: MosaicServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer('add-torrent');
  browser = await openBrowser();
  await signIn(browser.page, server);
});

afterAll(async () => {
  await browser.close();
  await server.stop();
});

async function torrent(id: string): Promise<Row> {
  return waitFor(`torrent ${id}`, async () => {
    const list = await api<Row[]>(server, 'GET', '/api/torrents');
    return list.body.find((t) => t.id === id);
  });
}

test('a magnet link is added to the default save path', async () => {
  // Proves the magnet form reaches POST /api/torrents/magnet and the new
  // row arrives over the socket.
  const { page, guard } = browser;
  const live = inject('swarm').live;
  await page.getByRole('button', { name: 'Add torrents' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add torrents' });
  await expect.poll(() => dialog.getByLabel('Save path').inputValue()).toBe(server.savePath);
  await dialog.getByLabel('Magnet links (one per line)').fill(live.magnet);
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  await toastWith(page, 'Added 1 torrent');

  await row(page, live.infoHash).waitFor();
  expect((await torrent(live.infoHash)).save_path).toBe(server.savePath);
  guard.check();
});

test('a dropped .torrent file is added paused into its category', async () => {
  // Proves drag-and-drop anywhere opens the dialog with the file, that a
  // category pre-fills its save path, and that "start paused" is sent.
  const { page, guard } = browser;
  const album = inject('swarm').album;
  const music = join(server.savePath, 'music');
  const made = await api<{ id: number }>(server, 'POST', '/api/categories', {
    name: 'Music',
    default_save_path: music,
    color: '#8b5cf6',
  });
  await page.reload();
  await page.getByRole('grid', { name: 'Torrents' }).waitFor();

  await dropFiles(page, [album.torrentPath]);
  const dialog = page.getByRole('dialog', { name: 'Add torrents' });
  await dialog
    .getByRole('list', { name: 'Chosen files' })
    .getByText(`${album.name}.torrent`)
    .waitFor();
  await dialog.getByLabel('Category').selectOption({ label: 'Music' });
  expect(await dialog.getByLabel('Save path').inputValue()).toBe(music);
  await dialog.getByLabel('Start paused').check();
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });

  const added = await torrent(album.infoHash);
  expect(added).toMatchObject({ paused: true, category_id: made.body.id, save_path: music });
  const line = row(page, album.infoHash);
  await expect.poll(() => line.locator('.state-badge').textContent()).toBe('Paused');
  expect(await line.locator('.col-category').textContent()).toBe('Music');
  guard.check();
});

test('the file picker adds files and a bad magnet shows the server message', async () => {
  // Proves picked files are listed and removable, and that a refused add
  // keeps the dialog open with the server's own error text.
  const { page, guard } = browser;
  guard.allow(/status of 400/);
  const album = inject('swarm').album;
  await page.getByRole('button', { name: 'Add torrents' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add torrents' });
  await dialog.locator('input[type=file]').setInputFiles(album.torrentPath);
  const chips = dialog.getByRole('list', { name: 'Chosen files' });
  await chips.getByText(`${album.name}.torrent`).waitFor();
  await dialog.getByRole('button', { name: `Remove ${album.name}.torrent` }).click();
  await chips.waitFor({ state: 'detached' });

  await dialog.getByLabel('Magnet links (one per line)').fill('magnet:?xt=urn:btih:nothex');
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  const refusal = dialog.getByRole('alert');
  await refusal.waitFor();
  const expected = await api<{ error: string }>(server, 'POST', '/api/torrents/magnet', {
    magnet: 'magnet:?xt=urn:btih:nothex',
    save_path: '',
  });
  expect(expected.status).toBe(400);
  expect(await refusal.textContent()).toBe(`magnet link: ${expected.body.error}`);
  await toastWith(page, expected.body.error);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  guard.check();
});
