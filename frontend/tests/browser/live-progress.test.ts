// Live updates: a magnet download under a speed limit set in Settings,
// watched rising to 100 % from the socket's frames without a reload.

import { afterAll, beforeAll, expect, inject, test } from 'vitest';

import { api } from '../support/api';
import { openBrowser, signIn, type Browser } from '../support/browser';
import { goTo } from '../support/page-helpers';
import { startServer, type MosaicServer } from '../support/server';

let server: MosaicServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer('live-progress');
  browser = await openBrowser();
});

afterAll(async () => {
  await browser.close();
  await server.stop();
});

test('progress of a limited download rises to 100 % live', async () => {
  // Proves the list, the status bar and the completion toast follow the
  // server's frames, and that the speed limit form reaches the server.
  const { page, guard } = browser;
  const live = inject('swarm').live;
  await signIn(page, server);

  await goTo(page, 'Settings');
  const speed = page.getByRole('region', { name: 'Speed limits' });
  await speed.getByLabel('Download', { exact: true }).fill('1024');
  await speed.getByRole('button', { name: 'Save limits' }).click();
  await page.getByRole('status').filter({ hasText: 'Speed limits saved' }).waitFor();
  const limits = await api<{ down_kbps: number }>(server, 'GET', '/api/settings/limits');
  expect(limits.body.down_kbps).toBe(1024);

  await goTo(page, 'Torrents');
  await page.getByRole('button', { name: 'Add torrents' }).click();
  await page.getByLabel('Magnet links (one per line)').fill(live.magnet);
  await page.getByRole('dialog').getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByRole('dialog').waitFor({ state: 'hidden' });

  const row = page.locator(`.row[data-id="${live.infoHash}"]`);
  await row.getByText(live.name).waitFor({ timeout: 30_000 });
  const progress = row.getByRole('progressbar');
  const seen: number[] = [];
  let rateShown = false;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    seen.push(Number(await progress.getAttribute('value')));
    const down = await page.getByTestId('global-down').textContent();
    if (down && /\d/.test(down)) rateShown = true;
    if (seen.at(-1) === 1) break;
    await page.waitForTimeout(400);
  }

  expect(seen.at(-1)).toBe(1);
  const between = new Set(seen.filter((p) => p > 0 && p < 1));
  expect(between.size).toBeGreaterThanOrEqual(3);
  for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1] ?? 0);
  expect(rateShown).toBe(true);
  await expect.poll(() => row.locator('.pct').textContent()).toBe('100 %');
  await expect.poll(() => row.locator('.state-badge').textContent()).toBe('Seeding');
  await page
    .getByRole('status')
    .filter({ hasText: `Finished downloading ${live.name}` })
    .waitFor();
  guard.check();
});
