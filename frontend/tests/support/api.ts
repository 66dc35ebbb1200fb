// The test side's own HTTPS client for setting up and checking a server
// with its API key (the browser under test uses its cookie session).

import { Agent, request } from 'node:https';

import type { MosaicServer } from './server';

const agent = new Agent({ rejectUnauthorized: false, keepAlive: true, maxSockets: 8 });

export interface Answer<T> {
  status: number;
  body: T;
}

function send<T>(
  server: MosaicServer,
  method: string,
  path: string,
  body?: Buffer,
  headers: Record<string, string> = {},
  key: string = server.apiKey,
): Promise<Answer<T>> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, server.url),
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body ? { 'content-length': String(body.length) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : null) as T });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A JSON request with the bearer key (or another `key`). */
export function api<T>(
  server: MosaicServer,
  method: string,
  path: string,
  json?: unknown,
  key?: string,
): Promise<Answer<T>> {
  const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
  const headers: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
  return send<T>(server, method, path, body, headers, key);
}

/** `POST /api/torrents/file` with a multipart body. */
export function uploadTorrent(
  server: MosaicServer,
  torrent: Buffer,
  fields: Record<string, string> = {},
): Promise<Answer<{ id?: string; error?: string }>> {
  const boundary = `mosaic${Math.random().toString(16).slice(2)}`;
  const part = (name: string, extra = '') =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n`;
  const chunks = [
    Buffer.from(
      `${part('file', '; filename="t.torrent"')}Content-Type: application/x-bittorrent\r\n\r\n`,
    ),
    torrent,
    Buffer.from('\r\n'),
    ...Object.entries(fields).map(([k, v]) => Buffer.from(`${part(k)}\r\n${v}\r\n`)),
    Buffer.from(`--${boundary}--\r\n`),
  ];
  return send(server, 'POST', '/api/torrents/file', Buffer.concat(chunks), {
    'content-type': `multipart/form-data; boundary=${boundary}`,
  });
}

/** Polls `check` every 250 ms until it returns a value or time runs out. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
