// Small steps several browser tests share.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

import type { Page } from 'playwright-core';

/** Drags .torrent files over the page and drops them, as a user would
 * from a file manager. Returns once the drop was dispatched. */
export async function dropFiles(page: Page, paths: string[], target = 'main'): Promise<void> {
  const files = paths.map((p) => ({ name: basename(p), b64: readFileSync(p).toString('base64') }));
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name, { type: 'application/x-bittorrent' }));
    }
    return dt;
  }, files);
  await page.dispatchEvent(target, 'dragenter', { dataTransfer });
  await page.dispatchEvent(target, 'dragover', { dataTransfer });
  await page.getByText('Drop .torrent files to add them').waitFor();
  await page.dispatchEvent(target, 'drop', { dataTransfer });
}

/** The list row of a torrent. */
export function row(page: Page, infoHash: string) {
  return page.locator(`.row[data-id="${infoHash}"]`);
}

/** Waits for a toast whose text contains `text`. */
export async function toastWith(page: Page, text: string): Promise<void> {
  await page.locator('.toast').filter({ hasText: text }).first().waitFor();
}

/** Follows one of the top bar's page links. */
export async function goTo(
  page: Page,
  name: 'Torrents' | 'Categories' | 'Settings',
): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name }).click();
}

/** Closes every toast, so none covers a control the test clicks next. */
export async function dismissToasts(page: Page): Promise<void> {
  const buttons = page.locator('.toast').getByRole('button', { name: 'Dismiss' });
  while ((await buttons.count()) > 0) await buttons.first().click();
}

const CONTROL_ROLES = new Set([
  'button',
  'checkbox',
  'combobox',
  'link',
  'radio',
  'searchbox',
  'slider',
  'spinbutton',
  'switch',
  'tab',
  'textbox',
]);

interface AxNode {
  ignored: boolean;
  role?: { value?: string };
  name?: { value?: string };
}

/** Controls whose accessible name, as Chromium computes it, is empty. */
export async function unlabelledControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
  await cdp.detach();
  return nodes
    .filter((n) => !n.ignored && CONTROL_ROLES.has(n.role?.value ?? ''))
    .filter((n) => !(n.name?.value ?? '').trim())
    .map((n) => n.role?.value ?? '?');
}
