// Signing in and out: a refused password, a session that survives a
// reload, signing out, and an ended session sending the user back to the
// sign-in page with a message.

import { afterAll, beforeAll, expect, test } from 'vitest';

import { api } from '../support/api';
import { openBrowser, signIn, type Browser } from '../support/browser';
import { startServer, type MosaicServer } from '../support/server';

let server: MosaicServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer('session');
  browser = await openBrowser();
});

afterAll(async () => {
  await browser.close();
  await server.stop();
});

test('a wrong password is refused with the server message', async () => {
  // Proves the form shows the server's refusal and stays on sign-in.
  const { page, guard } = browser;
  guard.allow(/status of 401/);
  await page.goto(server.url);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toBe('invalid credentials');
  guard.check();
});

test('a session survives a reload and ends on sign-out', async () => {
  // Proves the cookie session, the sign-out button, and that a signed-out
  // browser is not let back in by reloading.
  const { page, guard } = browser;
  await signIn(page, server);
  await page.reload();
  await page.getByRole('grid', { name: 'Torrents' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect
    .poll(() => page.getByRole('status').first().textContent())
    .toBe('You have signed out.');
  await page.reload();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  expect(await page.getByRole('grid').count()).toBe(0);
  guard.check();
});

test('an ended session sends the user to sign-in with a message', async () => {
  // Proves a 1008 close of the live socket (here: the password changed
  // elsewhere, which ends every session) leads back to sign-in.
  const { page, guard } = browser;
  await signIn(page, server);
  const changed = await api(server, 'PUT', '/api/settings/web/password', {
    old_password: server.password,
    new_password: 'a much better password',
  });
  expect(changed.status).toBe(200);
  server.password = 'a much better password';

  await page
    .getByText('Your session has ended. Please sign in again.')
    .waitFor({ timeout: 10_000 });
  expect(new URL(page.url()).pathname).toBe('/login');
  await signIn(page, server);
  guard.check();
});
