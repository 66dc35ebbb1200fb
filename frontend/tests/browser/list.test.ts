// The torrent list: selecting with clicks, Ctrl-click and Shift-click,
// bulk resume, pause and remove, sorting by a header, and searching.

import { afterAll, beforeAll, expect, test } from 'vitest';

import { api, uploadTorrent } from '../support/api';
import { openBrowser, signIn, type Browser } from '../support/browser';
import { row } from '../support/page-helpers';
import { startServer, type MosaicServer } from '../support/server';
import { infoHash, syntheticTorrent } from '../support/torrent-file';

let server: MosaicServer;
let browser: Browser;
const ids: string[] = [];

beforeAll(async () => {
  server = await startServer('list');
  for (let i = 0; i < 5; i++) {
    const torrent = syntheticTorrent(500 + i);
    expect((await uploadTorrent(server, torrent, { paused: 'true' })).status).toBe(200);
    ids.push(infoHash(torrent));
  }
  browser = await openBrowser();
  await signIn(browser.page, server);
});

afterAll(async () => {
  await browser.close();
  await server.stop();
});

const names = (page: Browser['page']) => page.locator('.row .name-text').allTextContents();

test('sorting by a header and searching by name', async () => {
  // Proves header clicks sort both ways and announce it, and the search
  // box narrows the rows.
  const { page, guard } = browser;
  const header = page.getByRole('columnheader', { name: 'Name' });
  await header.getByRole('button').click();
  expect(await header.getAttribute('aria-sort')).toBe('ascending');
  await expect
    .poll(() => names(page))
    .toEqual([0, 1, 2, 3, 4].map((i) => `synthetic-0050${i}.bin`));
  await header.getByRole('button').click();
  expect(await header.getAttribute('aria-sort')).toBe('descending');
  await expect.poll(async () => (await names(page))[0]).toBe('synthetic-00504.bin');

  await page.getByRole('searchbox', { name: 'Search by name' }).fill('00502');
  await expect.poll(() => names(page)).toEqual(['synthetic-00502.bin']);
  await page.getByRole('searchbox', { name: 'Search by name' }).fill('');
  await expect.poll(async () => (await names(page)).length).toBe(5);
  guard.check();
});

test('bulk resume, pause and remove act on the selection', async () => {
  // Proves Ctrl-click and Shift-click build the selection and the toolbar
  // and the remove dialog reach every selected torrent, and only those.
  const { page, guard } = browser;
  const [a, b, c, d, e] = (await names(page)).map((n) => n.replace('.bin', ''));
  const id = (name: string | undefined) => ids[Number(name?.slice(-3)) - 500] ?? '';
  const state = (hash: string) => row(page, hash).locator('.state-badge').textContent();

  await row(page, id(a)).click();
  await page.getByRole('button', { name: 'Close details' }).click();
  await row(page, id(b)).click({ modifiers: ['Control'] });
  await expect.poll(() => page.locator('.selection-count').textContent()).toBe('2 selected');
  await page.getByRole('button', { name: 'Resume selected' }).click();
  await expect.poll(() => state(id(a))).not.toBe('Paused');
  await expect.poll(() => state(id(b))).not.toBe('Paused');
  expect(await state(id(c))).toBe('Paused');
  await page.getByRole('button', { name: 'Pause selected' }).click();
  await expect.poll(() => state(id(a))).toBe('Paused');
  await expect.poll(() => state(id(b))).toBe('Paused');

  await row(page, id(c)).click();
  await page.getByRole('button', { name: 'Close details' }).click();
  await row(page, id(e)).click({ modifiers: ['Shift'] });
  await expect.poll(() => page.locator('.selection-count').textContent()).toBe('3 selected');
  await page.getByRole('button', { name: 'Remove selected' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove torrents' });
  await dialog.getByText('Remove 3 torrents from Mosaic?').waitFor();
  await dialog.getByLabel('Also delete the downloaded data').check();
  await dialog.getByRole('button', { name: 'Remove' }).click();
  for (const name of [c, d, e]) await row(page, id(name)).waitFor({ state: 'detached' });

  const left = await api<{ id: string }[]>(server, 'GET', '/api/torrents');
  expect(left.body.map((t) => t.id).sort()).toEqual([id(a), id(b)].sort());
  await expect.poll(() => page.locator('.selection-count').textContent()).toBe('2 shown');
  guard.check();
});
