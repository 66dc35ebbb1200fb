// Decoding the piece bitfield.

import { describe, expect, it } from 'vitest';

import { countPieces, decodePieces } from './bitfield';

describe('decodePieces', () => {
  it('reads the first piece from the high bit and ignores padding', () => {
    // Proves bit order and that trailing bits beyond the count are dropped.
    const base64 = btoa(String.fromCharCode(0b1010_0000, 0b1111_1111));
    expect([...decodePieces(base64, 10)]).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 1, 1]);
    expect(countPieces(decodePieces(base64, 10))).toBe(4);
  });

  it('treats a short or empty bitfield as missing pieces', () => {
    // Proves a torrent without metadata draws an empty map.
    expect([...decodePieces('', 3)]).toEqual([0, 0, 0]);
  });
});
