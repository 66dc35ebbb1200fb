// Settings: the default save path, the blocklist (a refresh that fails
// shows the server's 502 reason) and the updater (channel, a check the
// server refuses).

import { afterAll, beforeAll, expect, test } from 'vitest';

import { api } from '../support/api';
import { openBrowser, signIn, type Browser } from '../support/browser';
import { dismissToasts, goTo, toastWith } from '../support/page-helpers';
import { startServer, type MosaicServer } from '../support/server';
import { freePort } from '../support/swarm';

let server: MosaicServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer('settings');
  browser = await openBrowser();
  await signIn(browser.page, server);
  await goTo(browser.page, 'Settings');
});

afterAll(async () => {
  await browser.close();
  await server.stop();
});

test('the default save path is saved', async () => {
  // Proves the Downloads card reads and writes /api/settings/save_path.
  const { page, guard } = browser;
  const card = page.getByRole('region', { name: 'Downloads' });
  const field = card.getByLabel('Default save path');
  await expect.poll(() => field.inputValue()).toBe(server.savePath);
  await field.fill(`${server.savePath}/elsewhere`);
  await card.getByRole('button', { name: 'Save' }).click();
  await toastWith(page, 'Default save path saved');
  const saved = await api<{ path: string }>(server, 'GET', '/api/settings/save_path');
  expect(saved.body.path).toBe(`${server.savePath}/elsewhere`);
  guard.check();
});

test('a blocklist refresh that fails shows the server reason', async () => {
  // Proves the blocklist card saves its URL and shows a 502's message.
  const { page, guard } = browser;
  guard.allow(/status of 502/);
  const card = page.getByRole('region', { name: 'Blocklist' });
  const url = `http://127.0.0.1:${await freePort()}/blocklist.p2p`;
  await card.getByLabel('Blocklist URL').fill(url);
  await card.getByLabel('Block the addresses on this list').check();
  await card.getByRole('button', { name: 'Save' }).click();
  await toastWith(page, 'Blocklist saved');
  expect((await api(server, 'GET', '/api/settings/blocklist')).body).toMatchObject({
    url,
    enabled: true,
  });

  await card.getByRole('button', { name: 'Refresh now' }).click();
  const refusal = card.getByRole('alert');
  await refusal.waitFor({ timeout: 20_000 });
  const direct = await api<{ error: string }>(server, 'POST', '/api/settings/blocklist/refresh');
  expect(direct.status).toBe(502);
  expect(await refusal.textContent()).toBe(direct.body.error);
  guard.check();
});

test('the update channel is saved and a refused check is explained', async () => {
  // Proves the updater card writes its settings and shows the server's
  // message when a check cannot run (no feed configured).
  const { page, guard } = browser;
  guard.allow(/status of 400/);
  await dismissToasts(page);
  const card = page.getByRole('region', { name: 'Updates' });
  await card.getByLabel('Channel').selectOption('beta');
  await card.getByRole('button', { name: 'Save' }).click();
  await toastWith(page, 'Update settings saved');
  const saved = await api<{ channel: string }>(server, 'GET', '/api/settings/updater');
  expect(saved.body.channel).toBe('beta');

  await card.getByRole('button', { name: 'Check now' }).click();
  const direct = await api<{ error: string }>(server, 'POST', '/api/updater/check');
  expect(direct.status).toBeGreaterThanOrEqual(400);
  await expect.poll(() => card.getByRole('alert').textContent()).toBe(direct.body.error);
  guard.check();
});
