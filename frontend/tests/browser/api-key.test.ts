// Rotating the API key from Settings: the new key is shown once, copies
// to the clipboard, works at once, and the old key stops working.

import { afterAll, beforeAll, expect, test } from 'vitest';

import { api } from '../support/api';
import { openBrowser, signIn, type Browser } from '../support/browser';
import { goTo } from '../support/page-helpers';
import { startServer, type MosaicServer } from '../support/server';

let server: MosaicServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer('api-key');
  browser = await openBrowser();
  await signIn(browser.page, server);
});

afterAll(async () => {
  await browser.close();
  await server.stop();
});

test('rotating the key shows the new one once and retires the old one', async () => {
  // Proves the rotate button, the copy button and the hint, and that the
  // browser's own cookie session is unaffected.
  const { page, guard } = browser;
  await goTo(page, 'Settings');
  const web = page.getByRole('region', { name: 'Web interface' });
  const hint = web.getByTestId('api-key-hint');
  expect(server.apiKey.startsWith((await hint.textContent())?.replace('…', '') ?? '-')).toBe(true);

  await web.getByRole('button', { name: 'Rotate API key' }).click();
  await page
    .getByRole('dialog', { name: 'Rotate the API key?' })
    .getByRole('button', { name: 'Rotate' })
    .click();
  const shown = web.getByTestId('new-api-key');
  await shown.waitFor();
  const key = await shown.inputValue();
  expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(key).not.toBe(server.apiKey);

  await web.getByRole('button', { name: 'Copy API key' }).click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(key);

  expect((await api(server, 'GET', '/api/torrents', undefined, key)).status).toBe(200);
  expect((await api(server, 'GET', '/api/torrents', undefined, server.apiKey)).status).toBe(401);
  await expect
    .poll(async () => key.startsWith((await hint.textContent())?.replace('…', '') ?? '-'))
    .toBe(true);

  await web.getByRole('button', { name: 'Done' }).click();
  await shown.waitFor({ state: 'detached' });
  await goTo(page, 'Torrents');
  await expect.poll(() => page.getByRole('status').filter({ hasText: 'Live' }).count()).toBe(1);
  guard.check();
});
