// File priorities from the Files tab: a skipped file stays incomplete
// while the rest of the torrent downloads.

import { afterAll, beforeAll, expect, inject, test } from 'vitest';

import { api, uploadTorrent, waitFor } from '../support/api';
import { openBrowser, signIn, type Browser } from '../support/browser';
import { row } from '../support/page-helpers';
import { startServer, type MosaicServer } from '../support/server';
import { readFileSync } from 'node:fs';

interface File {
  index: number;
  path: string;
  priority: string;
  progress: number;
}

let server: MosaicServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer('file-priorities');
  browser = await openBrowser();
  await signIn(browser.page, server);
});

afterAll(async () => {
  await browser.close();
  await server.stop();
});

async function files(id: string): Promise<File[]> {
  const detail = await api<{ files: File[] }>(server, 'GET', `/api/torrents/${id}`);
  return detail.body.files;
}

test('skipping a file in the tree keeps it from downloading', async () => {
  // Proves the per-file selector sends the priority, the folder shows a
  // mixed state, and the download honours it.
  const { page, guard } = browser;
  const album = inject('swarm').album;
  const added = await uploadTorrent(server, readFileSync(album.torrentPath), { paused: 'true' });
  expect(added.status).toBe(200);

  await row(page, album.infoHash).click();
  await page.getByRole('tab', { name: 'Files' }).click();
  const panel = page.getByRole('tabpanel');
  const skipped = '02 theme.flac';
  const picker = panel.getByLabel(`Priority of ${skipped}`);
  await picker.selectOption('skip');

  const skippedIndex = await waitFor('the skip priority', async () => {
    const file = (await files(album.infoHash)).find((f) => f.path.endsWith(skipped));
    return file?.priority === 'skip' ? file.index : undefined;
  });
  await expect.poll(() => panel.getByLabel('Priority of disc 1').inputValue()).toBe('mixed');
  await panel.getByRole('button', { name: 'Collapse disc 1' }).click();
  await picker.waitFor({ state: 'detached' });
  await panel.getByRole('button', { name: 'Expand disc 1' }).click();

  await page.getByRole('button', { name: 'Resume selected' }).click();
  await expect
    .poll(() => row(page, album.infoHash).locator('.pct').textContent(), { timeout: 90_000 })
    .toBe('100 %');

  const after = await files(album.infoHash);
  for (const file of after) {
    if (file.index === skippedIndex) expect(file.progress).toBeLessThan(1);
    else expect(file.progress).toBe(1);
  }
  await expect.poll(() => panel.getByLabel(`Priority of ${skipped}`).inputValue()).toBe('skip');
  const intro = panel.locator('tr', { hasText: '01 intro.flac' }).locator('.pct');
  await expect.poll(() => intro.textContent()).toBe('100 %');
  guard.check();
});
