// The Files tab's tree: flat `path`s with `/` separators grouped into
// folders whose sizes, progress and priority summarise their files.

import type { Priority, TorrentFile } from './wire';

export interface FileNode {
  kind: 'file';
  name: string;
  path: string;
  file: TorrentFile;
}

export interface DirNode {
  kind: 'dir';
  name: string;
  path: string;
  children: TreeNode[];
  size: number;
  bytesDone: number;
  /** Indexes of every file below this folder. */
  indexes: number[];
  /** The common priority of those files, or `mixed`. */
  priority: Priority | 'mixed';
}

export type TreeNode = FileNode | DirNode;

function dir(name: string, path: string): DirNode {
  return {
    kind: 'dir',
    name,
    path,
    children: [],
    size: 0,
    bytesDone: 0,
    indexes: [],
    priority: 'normal',
  };
}

/** Groups files into folders; folders first, then names in natural order. */
export function buildTree(files: readonly TorrentFile[]): DirNode {
  const root = dir('', '');
  const folders = new Map<string, DirNode>([['', root]]);
  for (const file of files) {
    const parts = file.path.split('/').filter((p) => p !== '');
    let parent = root;
    for (let depth = 0; depth < parts.length - 1; depth++) {
      const path = parts.slice(0, depth + 1).join('/');
      let folder = folders.get(path);
      if (!folder) {
        folder = dir(parts[depth] ?? '', path);
        folders.set(path, folder);
        parent.children.push(folder);
      }
      parent = folder;
    }
    parent.children.push({ kind: 'file', name: parts.at(-1) ?? file.path, path: file.path, file });
  }
  summarise(root);
  return root;
}

const collator = new Intl.Collator(undefined, { numeric: true });

function summarise(node: DirNode): void {
  const priorities = new Set<Priority>();
  for (const child of node.children) {
    if (child.kind === 'dir') {
      summarise(child);
      node.size += child.size;
      node.bytesDone += child.bytesDone;
      node.indexes.push(...child.indexes);
      if (child.priority === 'mixed') priorities.add('skip').add('normal');
      else priorities.add(child.priority);
    } else {
      node.size += child.file.size;
      node.bytesDone += child.file.bytes_done;
      node.indexes.push(child.file.index);
      priorities.add(child.file.priority);
    }
  }
  const [only] = priorities;
  node.priority = priorities.size === 1 && only ? only : 'mixed';
  node.children.sort(
    (a, b) =>
      (a.kind === b.kind ? 0 : a.kind === 'dir' ? -1 : 1) || collator.compare(a.name, b.name),
  );
}

export interface TreeRow {
  node: TreeNode;
  depth: number;
}

/** The rows to draw: children of expanded folders only. */
export function visibleRows(root: DirNode, expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (node: DirNode, depth: number) => {
    for (const child of node.children) {
      rows.push({ node: child, depth });
      if (child.kind === 'dir' && expanded.has(child.path)) walk(child, depth + 1);
    }
  };
  walk(root, 0);
  return rows;
}

/** Folder paths to open at first: every folder when there are few. */
export function initiallyExpanded(root: DirNode, limit = 200): Set<string> {
  const open = new Set<string>();
  const walk = (node: DirNode) => {
    for (const child of node.children) {
      if (child.kind === 'dir' && open.size < limit) {
        open.add(child.path);
        walk(child);
      }
    }
  };
  walk(root);
  return open;
}
