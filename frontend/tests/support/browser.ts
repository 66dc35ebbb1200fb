// Headless Debian Chromium driven by playwright-core, with a fresh
// profile, the server's self-signed certificate accepted, and a guard
// that fails the test on any console error, page error or CSP violation.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';

import type { MosaicServer } from './server';

export const CHROMIUM = process.env['CHROMIUM_BIN'] ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium tries to reach the
// internet (component updates, sync) and gets refused.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  guard: Guard;
  close: () => Promise<void>;
}

export async function openBrowser(
  options: { width?: number; height?: number } = {},
): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'mosaic-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    ignoreHTTPSErrors: true,
    viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
    colorScheme: 'light',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const guard = new Guard(page);
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, guard, close };
}

/** Collects what must never happen on a page. Network answers a test
 * provokes on purpose (a 404 from a route, a refused sign-in) can be
 * allowed by a pattern on their console text. */
export class Guard {
  readonly problems: string[] = [];
  private allowed: RegExp[] = [];

  constructor(page: Page) {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = `${message.text()} (${message.location().url})`;
      if (!this.allowed.some((pattern) => pattern.test(text)))
        this.problems.push(`console: ${text}`);
    });
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
    // Reported through a binding so a violation is caught even when the
    // browser does not log it.
    void page.exposeBinding('__mosaicCsp', (_source, text: string) => {
      this.problems.push(`csp: ${text}`);
    });
    void page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        const report = (window as unknown as { __mosaicCsp: (t: string) => void }).__mosaicCsp;
        report(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`);
      });
    });
  }

  /** Lets console errors matching `pattern` through (expected answers). */
  allow(pattern: RegExp): void {
    this.allowed.push(pattern);
  }

  /** Throws if anything went wrong so far. */
  check(): void {
    if (this.problems.length > 0) {
      throw new Error(`browser problems:\n${this.problems.join('\n')}`);
    }
  }
}

/** Opens the app and signs in through the form. */
export async function signIn(page: Page, server: MosaicServer): Promise<void> {
  await page.goto(server.url);
  await page.getByLabel('User name').fill(server.username);
  await page.getByLabel('Password').fill(server.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('grid', { name: 'Torrents' }).waitFor();
}
