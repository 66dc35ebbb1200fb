// Files: the torrent's folders and files as a tree, each with its progress
// and a priority picker (a folder's picker sets every file below it).

import { For, Index, Show, createMemo, createSignal, type JSX } from 'solid-js';

import { api } from '../../lib/bindings';
import { buildTree, initiallyExpanded, visibleRows, type TreeNode } from '../../lib/file-tree';
import { bytes, percent } from '../../lib/format';
import { PRIORITIES, type Detail, type Priority } from '../../lib/wire';
import { patchDetail } from '../../state/inspector';
import { Icon } from '../icons';
import { styleProp } from '../style-prop';

const PRIORITY_LABELS: Record<Priority, string> = {
  skip: "Don't download",
  normal: 'Normal',
  high: 'High',
  max: 'Maximum',
};

export function FilesTab(props: { detail: Detail }): JSX.Element {
  const tree = createMemo(() => buildTree(props.detail.files ?? []));
  const [expanded, setExpanded] = createSignal<ReadonlySet<string> | null>(null);
  const open = () => expanded() ?? initiallyExpanded(tree());
  const rows = createMemo(() => visibleRows(tree(), open()));

  const toggle = (path: string) => {
    const next = new Set(open());
    if (next.has(path)) next.delete(path);
    else next.add(path);
    setExpanded(next);
  };

  const setPriority = async (indexes: number[], priority: Priority) => {
    const wanted = new Set(indexes);
    patchDetail((d) =>
      d.files
        ? { ...d, files: d.files.map((f) => (wanted.has(f.index) ? { ...f, priority } : f)) }
        : d,
    );
    const body = Object.fromEntries(indexes.map((i) => [i, priority]));
    await api.setFilePriorities(props.detail.id, body).catch(() => undefined);
  };

  return (
    <Show
      when={(props.detail.files?.length ?? 0) > 0}
      fallback={<p class="muted">No files yet: the metadata has not arrived.</p>}
    >
      <div class="table-wrap">
        <table class="table files-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" class="num">
                Size
              </th>
              <th scope="col">Progress</th>
              <th scope="col">Priority</th>
            </tr>
          </thead>
          <tbody>
            {/* By position, so a tick refreshes the rows' values in place
                instead of rebuilding them under an open priority picker. */}
            <Index each={rows()}>
              {(row) => (
                <FileRow
                  node={row().node}
                  depth={row().depth}
                  expanded={open().has(row().node.path)}
                  onToggle={() => toggle(row().node.path)}
                  onPriority={(p) => {
                    const n = row().node;
                    void setPriority(n.kind === 'dir' ? n.indexes : [n.file.index], p);
                  }}
                />
              )}
            </Index>
          </tbody>
        </table>
      </div>
    </Show>
  );
}

interface FileRowProps {
  node: TreeNode;
  depth: number;
  expanded: boolean;
  onToggle: () => void;
  onPriority: (p: Priority) => void;
}

function FileRow(props: FileRowProps): JSX.Element {
  const n = () => props.node;
  const size = () => {
    const node = n();
    return node.kind === 'dir' ? node.size : node.file.size;
  };
  const done = () => {
    const node = n();
    if (node.kind === 'file') return node.file.progress;
    return node.size > 0 ? node.bytesDone / node.size : 1;
  };
  const priority = () => {
    const node = n();
    return node.kind === 'dir' ? node.priority : node.file.priority;
  };

  return (
    <tr data-path={n().path} data-kind={n().kind}>
      <td>
        <span class="tree-name" ref={(el) => styleProp(el, '--depth', () => String(props.depth))}>
          <Show when={n().kind === 'dir'} fallback={<Icon name="file" class="tree-icon" />}>
            <button
              type="button"
              class="tree-toggle"
              aria-expanded={props.expanded}
              aria-label={`${props.expanded ? 'Collapse' : 'Expand'} ${n().name}`}
              onClick={() => props.onToggle()}
            >
              <Icon name="chevron" />
            </button>
            <Icon name="folder" class="tree-icon" />
          </Show>
          <span class="tree-label" title={n().path}>
            {n().name}
          </span>
        </span>
      </td>
      <td class="num">{bytes(size())}</td>
      <td class="progress-cell">
        <progress max="1" value={done()} aria-label={`Progress of ${n().name}`} />
        <span class="pct">{percent(done())}</span>
      </td>
      <td>
        <select
          class="select small"
          aria-label={`Priority of ${n().name}`}
          value={priority()}
          onChange={(e) => props.onPriority(e.currentTarget.value as Priority)}
        >
          <Show when={priority() === 'mixed'}>
            <option value="mixed" disabled>
              Mixed
            </option>
          </Show>
          <For each={PRIORITIES}>{(p) => <option value={p}>{PRIORITY_LABELS[p]}</option>}</For>
        </select>
      </td>
    </tr>
  );
}
