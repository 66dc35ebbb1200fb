// The inspector: every tab shows live data for the focused torrent, and
// the tabs work from the keyboard.

import { afterAll, beforeAll, expect, inject, test } from 'vitest';

import { api } from '../support/api';
import { openBrowser, signIn, type Browser } from '../support/browser';
import { row } from '../support/page-helpers';
import { startServer, type MosaicServer } from '../support/server';

let server: MosaicServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer('inspector');
  browser = await openBrowser();
  await signIn(browser.page, server);
});

afterAll(async () => {
  await browser.close();
  await server.stop();
});

test('each tab shows the focused torrent while it downloads', async () => {
  // Proves focus reaches /api/inspector/focus with each tab (peers and
  // trackers only arrive when focused) and every tab renders its data.
  const { page, guard } = browser;
  const live = inject('swarm').live;
  await api(server, 'PUT', '/api/settings/limits', {
    down_kbps: 256,
    up_kbps: 0,
    alt_down_kbps: 0,
    alt_up_kbps: 0,
    alt_active: false,
  });
  const added = await api<{ id: string }>(server, 'POST', '/api/torrents/magnet', {
    magnet: live.magnet,
    save_path: '',
  });
  expect(added.body.id).toBe(live.infoHash);

  await row(page, live.infoHash).getByText(live.name).waitFor({ timeout: 30_000 });
  await row(page, live.infoHash).click();
  const inspector = page.getByRole('region', { name: `Details of ${live.name}` });
  await inspector.waitFor();
  const panel = inspector.getByRole('tabpanel');

  await panel.getByText(live.infoHash).waitFor();
  await panel.getByRole('button', { name: 'Copy magnet link' }).waitFor();

  await inspector.getByRole('tab', { name: 'Files' }).click();
  await panel.getByRole('cell', { name: live.name }).waitFor();

  await inspector.getByRole('tab', { name: 'Peers' }).click();
  await panel
    .getByRole('cell', { name: /^127\.0\.0\.1:\d+$/ })
    .first()
    .waitFor({ timeout: 20_000 });

  await inspector.getByRole('tab', { name: 'Trackers' }).click();
  await panel.getByRole('cell', { name: inject('swarm').announce }).waitFor();

  await inspector.getByRole('tab', { name: 'Pieces' }).click();
  const map = panel.getByRole('img', { name: /of 32 pieces/ });
  await map.waitFor();
  const first = await map.getAttribute('aria-label');
  await expect.poll(() => map.getAttribute('aria-label'), { timeout: 20_000 }).not.toBe(first);

  await inspector.getByRole('tab', { name: 'Speed' }).click();
  const graph = panel.getByRole('img', { name: /Speed over the last \d+ seconds/ });
  await graph.waitFor({ timeout: 10_000 });
  const line = graph.locator('polyline.line-down');
  expect((await line.getAttribute('points'))?.split(' ').length).toBeGreaterThan(1);
  await expect.poll(() => panel.locator('.legend-down').textContent()).toMatch(/Down \d/);

  // Arrow keys move between tabs; the selected tab is the focused one.
  await inspector.getByRole('tab', { name: 'Speed' }).focus();
  await page.keyboard.press('ArrowLeft');
  await expect
    .poll(() => inspector.getByRole('tab', { name: 'Pieces' }).getAttribute('aria-selected'))
    .toBe('true');
  await page.keyboard.press('Home');
  await expect
    .poll(() => inspector.getByRole('tab', { name: 'Overview' }).getAttribute('aria-selected'))
    .toBe('true');

  await inspector.getByRole('button', { name: 'Close details' }).click();
  await inspector.waitFor({ state: 'detached' });
  guard.check();
});

test('the list is usable from the keyboard', async () => {
  // Proves arrow keys move the cursor, Enter opens the inspector, Space
  // selects, Escape closes, and the toolbar acts on the selection.
  const { page, guard } = browser;
  const grid = page.getByRole('grid', { name: 'Torrents' });
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const inspector = page.getByRole('region', { name: /^Details of / });
  await inspector.waitFor();
  await grid.focus();
  await page.keyboard.press('Escape');
  await inspector.waitFor({ state: 'detached' });
  await page.keyboard.press('Control+a');
  await expect.poll(() => page.locator('.selection-count').textContent()).toBe('1 selected');
  await page.getByRole('button', { name: 'Pause selected' }).click();
  const live = inject('swarm').live;
  await expect
    .poll(() => row(page, live.infoHash).locator('.state-badge').textContent())
    .toBe('Paused');
  guard.check();
});
