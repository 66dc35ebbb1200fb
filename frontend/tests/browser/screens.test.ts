// The main screens at desktop and phone width, light and dark: saved as
// screenshots under test-results/screenshots, checked for unlabelled
// controls and for sideways overflow at 375 px; and the theme toggle.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';

import { api, uploadTorrent, waitFor } from '../support/api';
import { openBrowser, signIn, type Browser } from '../support/browser';
import { goTo, row, unlabelledControls } from '../support/page-helpers';
import { resultsDir } from '../support/paths';
import { startServer, type MosaicServer } from '../support/server';
import { syntheticTorrent } from '../support/torrent-file';

let server: MosaicServer;
let browser: Browser;
const shots = resultsDir('screenshots');

beforeAll(async () => {
  server = await startServer('screens');
  browser = await openBrowser();
  const swarm = inject('swarm');
  const ids: number[] = [];
  for (const [name, color] of [
    ['Music', '#8b5cf6'],
    ['Linux', '#10b981'],
    ['Video', '#f59e0b'],
  ] as const) {
    const made = await api<{ id: number }>(server, 'POST', '/api/categories', { name, color });
    ids.push(made.body.id);
  }
  for (let i = 0; i < 14; i++) {
    const fields: Record<string, string> = { paused: 'true' };
    if (i % 3 !== 2) fields['category_id'] = String(ids[i % 3]);
    await uploadTorrent(server, syntheticTorrent(100 + i), fields);
  }
  await uploadTorrent(server, readFileSync(swarm.album.torrentPath), {
    category_id: String(ids[0]),
  });
  // The album completes at full speed; the limit then keeps the other
  // download going while the screens are taken.
  await waitFor('the album to complete', async () => {
    const list = await api<{ id: string; completed: boolean }[]>(server, 'GET', '/api/torrents');
    return list.body.find((t) => t.id === swarm.album.infoHash)?.completed;
  });
  await api(server, 'PUT', '/api/settings/limits', {
    down_kbps: 192,
    up_kbps: 0,
    alt_down_kbps: 64,
    alt_up_kbps: 32,
    alt_active: false,
  });
  await api(server, 'POST', '/api/torrents/magnet', { magnet: swarm.live.magnet, save_path: '' });
});

afterAll(async () => {
  await browser.close();
  await server.stop();
});

/** Saves a screenshot, after checking every control on it has a name. */
async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(350);
  expect(await unlabelledControls(page), name).toEqual([]);
  await page.screenshot({ path: join(shots, `${name}.png`) });
}

/** At phone width nothing may stick out sideways. */
async function fitsWidth(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);
}

async function desktop(page: Page, scheme: 'light' | 'dark'): Promise<void> {
  const swarm = inject('swarm');
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(server.url);
  await shot(page, `desktop-${scheme}-1-list`);
  await row(page, swarm.album.infoHash).click();
  await page.getByRole('tab', { name: 'Files' }).click();
  await page.getByRole('tabpanel').getByLabel('Priority of disc 1').waitFor();
  await shot(page, `desktop-${scheme}-2-inspector-files`);
  await row(page, swarm.live.infoHash).click();
  await page.getByRole('tab', { name: 'Speed' }).click();
  await page.waitForTimeout(6000);
  await shot(page, `desktop-${scheme}-3-inspector-speed`);
  await page.getByRole('tab', { name: 'Pieces' }).click();
  await shot(page, `desktop-${scheme}-4-inspector-pieces`);
  await page.getByRole('button', { name: 'Close details' }).click();
  await page.getByRole('button', { name: 'Add torrents' }).click();
  await shot(page, `desktop-${scheme}-5-add`);
  await page.keyboard.press('Escape');
  await goTo(page, 'Categories');
  await shot(page, `desktop-${scheme}-6-categories`);
  await goTo(page, 'Settings');
  await page.getByRole('region', { name: 'Web interface' }).getByTestId('api-key-hint').waitFor();
  await shot(page, `desktop-${scheme}-7-settings`);
  await goTo(page, 'Torrents');
}

async function phone(page: Page, scheme: 'light' | 'dark'): Promise<void> {
  const swarm = inject('swarm');
  await page.setViewportSize({ width: 375, height: 812 });
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(server.url);
  await row(page, swarm.album.infoHash).waitFor();
  await fitsWidth(page);
  await shot(page, `phone-${scheme}-1-list`);
  await page.getByRole('button', { name: 'Filters' }).click();
  await shot(page, `phone-${scheme}-2-filters`);
  await page
    .getByRole('complementary', { name: 'Filters' })
    .getByRole('button', { name: /^Seeding/ })
    .click();
  await row(page, swarm.album.infoHash).click();
  await page.getByRole('region', { name: /^Details of / }).waitFor();
  await fitsWidth(page);
  await shot(page, `phone-${scheme}-3-inspector`);
  await page.getByRole('tab', { name: 'Files' }).click();
  await shot(page, `phone-${scheme}-4-inspector-files`);
  await page.getByRole('button', { name: 'Close details' }).click();
  await page.getByRole('button', { name: 'Add torrents' }).click();
  await shot(page, `phone-${scheme}-5-add`);
  await page.keyboard.press('Escape');
  await goTo(page, 'Settings');
  await fitsWidth(page);
  await shot(page, `phone-${scheme}-6-settings`);
  await goTo(page, 'Categories');
  await fitsWidth(page);
  await shot(page, `phone-${scheme}-7-categories`);
  await goTo(page, 'Torrents');
  await page.getByRole('button', { name: 'Filters' }).click();
  await page
    .getByRole('complementary', { name: 'Filters' })
    .getByRole('button', { name: /^All/ })
    .first()
    .click();
}

test('sign-in looks right in both themes and sizes', async () => {
  // Proves the sign-in page renders under the CSP at both widths.
  const { page, guard } = browser;
  for (const [w, h, label] of [
    [1440, 900, 'desktop'],
    [375, 812, 'phone'],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(server.url);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await shot(page, `${label}-${scheme}-0-sign-in`);
    }
  }
  guard.check();
});

test('the main screens at desktop and phone width, light and dark', async () => {
  // Proves every main screen renders in both themes without a console
  // error or CSP violation, and phones get no sideways scrolling.
  const { page, guard } = browser;
  await page.emulateMedia({ colorScheme: 'light' });
  await signIn(page, server);
  for (const scheme of ['light', 'dark'] as const) {
    await desktop(page, scheme);
    await phone(page, scheme);
  }
  guard.check();
});

test('the theme toggle overrides the system and is remembered', async () => {
  // Proves system → light → dark → system, with the choice kept across a
  // reload and `system` following the emulated preference.
  const { page, guard } = browser;
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(server.url);
  const html = page.locator('html');
  const toggle = page.getByRole('button', { name: /^Theme:/ });
  await expect.poll(() => html.getAttribute('data-theme')).toBe('dark');
  await toggle.click();
  await expect.poll(() => html.getAttribute('data-theme')).toBe('light');
  await page.reload();
  await expect.poll(() => html.getAttribute('data-theme')).toBe('light');
  await toggle.click();
  await expect.poll(() => html.getAttribute('data-theme')).toBe('dark');
  await toggle.click();
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => html.getAttribute('data-theme')).toBe('light');
  guard.check();
});
