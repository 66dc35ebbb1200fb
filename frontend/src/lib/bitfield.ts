// The inspector's piece map: the server sends the pieces we have as a
// base64 bitfield, first piece in the high bit of the first byte.

/** Decodes a base64 bitfield into one boolean per piece. */
export function decodePieces(base64: string, pieceCount: number): Uint8Array {
  const raw = atob(base64);
  const have = new Uint8Array(pieceCount);
  for (let i = 0; i < pieceCount; i++) {
    const byte = raw.charCodeAt(i >> 3);
    have[i] = Number.isNaN(byte) ? 0 : (byte >> (7 - (i & 7))) & 1;
  }
  return have;
}

/** How many pieces are set. */
export function countPieces(have: Uint8Array): number {
  let n = 0;
  for (const bit of have) n += bit;
  return n;
}
