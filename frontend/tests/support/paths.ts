// Where the tests find the server binary and keep their output.

import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const FRONTEND = resolve(import.meta.dirname, '..', '..');
export const REPO = resolve(FRONTEND, '..');

/** The server under test: the debug build unless MOSAIC_SERVER_BIN says
 * otherwise. */
export const SERVER_BIN =
  process.env['MOSAIC_SERVER_BIN'] ?? join(REPO, 'target', 'debug', 'mosaic-server');

/** Screenshots, logs and timings of the run. */
export const RESULTS = join(FRONTEND, 'test-results');

export function resultsDir(...parts: string[]): string {
  const dir = join(RESULTS, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `mosaic-ui-${prefix}-`));
}
