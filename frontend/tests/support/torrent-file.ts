// Just enough bencode to write .torrent files and read their info hash:
// synthetic torrents for the 10,000-row test, and hashes of the ones
// mktorrent makes.

import { createHash, randomBytes } from 'node:crypto';

export type Bencoded = number | string | Buffer | Bencoded[] | { [key: string]: Bencoded };

export function encode(value: Bencoded): Buffer {
  if (typeof value === 'number') return Buffer.from(`i${Math.trunc(value)}e`);
  if (typeof value === 'string') return encode(Buffer.from(value));
  if (Buffer.isBuffer(value)) return Buffer.concat([Buffer.from(`${value.length}:`), value]);
  if (Array.isArray(value)) {
    return Buffer.concat([Buffer.from('l'), ...value.map(encode), Buffer.from('e')]);
  }
  const keys = Object.keys(value).sort();
  const parts = keys.flatMap((k) => [encode(k), encode(value[k] as Bencoded)]);
  return Buffer.concat([Buffer.from('d'), ...parts, Buffer.from('e')]);
}

/** The raw bytes of the `info` dictionary inside a .torrent file. */
function infoSlice(torrent: Buffer): Buffer {
  const key = Buffer.from('4:infod');
  const start = torrent.indexOf(key);
  if (start < 0) throw new Error('no info dictionary');
  const begin = start + key.length - 1;
  return torrent.subarray(begin, skip(torrent, begin));
}

/** The offset just past the bencoded value starting at `at`. */
function skip(buf: Buffer, at: number): number {
  const c = String.fromCharCode(buf[at] ?? 0);
  if (c === 'i') return buf.indexOf('e', at) + 1;
  if (c === 'l' || c === 'd') {
    let i = at + 1;
    while (buf[i] !== 0x65) i = skip(buf, i);
    return i + 1;
  }
  const colon = buf.indexOf(':', at);
  return colon + 1 + Number(buf.subarray(at, colon).toString());
}

/** The v1 info hash of a .torrent file, lowercase hex. */
export function infoHash(torrent: Buffer): string {
  return createHash('sha1').update(infoSlice(torrent)).digest('hex');
}

/** A valid single-file torrent with random piece hashes: never
 * downloadable, which suits torrents that stay paused. */
export function syntheticTorrent(index: number): Buffer {
  const pieceLength = 262144;
  const length = pieceLength * (1 + (index % 64)) - (index % 1000);
  const pieces = Math.ceil(length / pieceLength);
  return encode({
    announce: 'http://127.0.0.1:9/announce',
    info: {
      length,
      name: `synthetic-${String(index).padStart(5, '0')}.bin`,
      'piece length': pieceLength,
      pieces: randomBytes(20 * pieces),
    },
  });
}
