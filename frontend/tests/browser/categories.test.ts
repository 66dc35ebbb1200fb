// Managing categories: create, rename and recolour, assign from the list,
// filter by it, refuse a duplicate, delete.

import { afterAll, beforeAll, expect, test } from 'vitest';

import { api, uploadTorrent } from '../support/api';
import { openBrowser, signIn, type Browser } from '../support/browser';
import { goTo, row, toastWith } from '../support/page-helpers';
import { startServer, type MosaicServer } from '../support/server';
import { syntheticTorrent, infoHash } from '../support/torrent-file';

interface Category {
  id: number;
  name: string;
  default_save_path: string;
  color: string;
}

let server: MosaicServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer('categories');
  browser = await openBrowser();
  await signIn(browser.page, server);
});

afterAll(async () => {
  await browser.close();
  await server.stop();
});

const categories = async () => (await api<Category[]>(server, 'GET', '/api/categories')).body;

test('a category is created, edited, used as a filter and deleted', async () => {
  // Proves each form reaches the categories routes and the list, the
  // sidebar and the row's category column follow.
  const { page, guard } = browser;
  guard.allow(/status of 409/);
  const torrents = [syntheticTorrent(1), syntheticTorrent(2)];
  for (const t of torrents)
    expect((await uploadTorrent(server, t, { paused: 'true' })).status).toBe(200);
  const [first, second] = torrents.map(infoHash) as [string, string];

  await goTo(page, 'Categories');
  const form = page.getByRole('form', { name: 'New category' });
  await form.getByLabel('Name').fill('Linux ISOs');
  await form.getByLabel('Default save path').fill(`${server.savePath}/iso`);
  await form.getByLabel('Colour').fill('#10b981');
  await form.getByRole('button', { name: 'Create' }).click();
  await toastWith(page, 'Category Linux ISOs created');
  expect(await categories()).toEqual([
    expect.objectContaining({
      name: 'Linux ISOs',
      default_save_path: `${server.savePath}/iso`,
      color: '#10b981',
    }),
  ]);

  const item = page.getByRole('form', { name: 'Category Linux ISOs' });
  await item.getByLabel('Name').fill('Distros');
  await item.getByLabel('Colour').fill('#ef4444');
  await item.getByRole('button', { name: 'Save' }).click();
  await toastWith(page, 'Category Distros saved');
  expect(await categories()).toEqual([
    expect.objectContaining({ name: 'Distros', color: '#ef4444' }),
  ]);

  await form.getByLabel('Name').fill('Distros');
  await form.getByRole('button', { name: 'Create' }).click();
  await toastWith(page, 'category already exists');

  await goTo(page, 'Torrents');
  await row(page, first).click();
  await page.getByLabel('Set category of selected torrents').selectOption({ label: 'Distros' });
  await expect.poll(() => row(page, first).locator('.col-category').textContent()).toBe('Distros');
  const filters = page.getByRole('complementary', { name: 'Filters' });
  await filters.locator('[data-category="Distros"]').click();
  await expect.poll(() => page.locator('.row').count()).toBe(1);
  await row(page, second).waitFor({ state: 'detached' });
  await filters.getByRole('button', { name: /^Uncategorised/ }).click();
  await row(page, second).waitFor();
  await filters.getByRole('button', { name: /^All/ }).nth(1).click();

  await goTo(page, 'Categories');
  await page
    .getByRole('form', { name: 'Category Distros' })
    .getByRole('button', { name: 'Delete' })
    .click();
  await page
    .getByRole('dialog', { name: 'Delete category' })
    .getByRole('button', { name: 'Delete' })
    .click();
  await toastWith(page, 'Category Distros deleted');
  expect(await categories()).toEqual([]);
  await goTo(page, 'Torrents');
  await expect.poll(() => row(page, first).locator('.col-category').textContent()).toBe('');
  guard.check();
});
