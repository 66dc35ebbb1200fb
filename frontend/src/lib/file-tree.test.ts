// The Files tab's tree from flat paths.

import { describe, expect, it } from 'vitest';

import { buildTree, initiallyExpanded, visibleRows } from './file-tree';
import type { TorrentFile } from './wire';

const file = (
  index: number,
  path: string,
  size: number,
  done: number,
  priority: TorrentFile['priority'] = 'normal',
): TorrentFile => ({
  index,
  path,
  size,
  bytes_done: done,
  progress: size ? done / size : 1,
  priority,
});

const files = [
  file(0, 'notes.txt', 10, 10),
  file(1, 'disc 10/b.flac', 100, 0, 'skip'),
  file(2, 'disc 2/a.flac', 100, 50),
  file(3, 'disc 2/deep/c.flac', 100, 100),
];

describe('buildTree', () => {
  it('groups folders first in natural order and sums their files', () => {
    // Proves folder sizes, progress and the mixed priority summary.
    const root = buildTree(files);
    expect(root.children.map((c) => c.name)).toEqual(['disc 2', 'disc 10', 'notes.txt']);
    const disc2 = root.children[0];
    expect(disc2).toMatchObject({ kind: 'dir', size: 200, bytesDone: 150, priority: 'normal' });
    expect(disc2?.kind === 'dir' && disc2.indexes.sort()).toEqual([2, 3]);
    expect(root.children[1]).toMatchObject({ priority: 'skip' });
    expect(root.priority).toBe('mixed');
    expect(root.size).toBe(310);
  });

  it('lists only the rows of open folders', () => {
    // Proves collapsing hides a folder's whole subtree.
    const root = buildTree(files);
    const all = visibleRows(root, initiallyExpanded(root));
    expect(all.map((r) => [r.node.name, r.depth])).toEqual([
      ['disc 2', 0],
      ['deep', 1],
      ['c.flac', 2],
      ['a.flac', 1],
      ['disc 10', 0],
      ['b.flac', 1],
      ['notes.txt', 0],
    ]);
    expect(visibleRows(root, new Set(['disc 10'])).map((r) => r.node.name)).toEqual([
      'disc 2',
      'disc 10',
      'b.flac',
      'notes.txt',
    ]);
  });
});
