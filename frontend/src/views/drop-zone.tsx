// Dropping .torrent files anywhere on the page opens the add dialog with
// them. An overlay shows while files are dragged over the window.

import { Show, createSignal, onCleanup, onMount, type JSX } from 'solid-js';

import { navigate, route } from '../lib/router';
import { openAdd } from '../state/add';
import { toast } from '../state/toasts';

const isTorrent = (f: File) =>
  f.name.toLowerCase().endsWith('.torrent') || f.type === 'application/x-bittorrent';

export function DropZone(): JSX.Element {
  const [dragging, setDragging] = createSignal(false);
  // dragenter/dragleave fire for every child element crossed; count them.
  let depth = 0;

  const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;

  const onEnter = (e: DragEvent) => {
    if (!carriesFiles(e)) return;
    depth += 1;
    setDragging(true);
  };
  const onLeave = () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) setDragging(false);
  };
  const onOver = (e: DragEvent) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  };
  const onDrop = (e: DragEvent) => {
    depth = 0;
    setDragging(false);
    if (!carriesFiles(e)) return;
    e.preventDefault();
    const all = Array.from(e.dataTransfer?.files ?? []);
    const torrents = all.filter(isTorrent);
    if (torrents.length === 0) {
      toast('error', 'Only .torrent files can be dropped here.');
      return;
    }
    if (route() !== '/') navigate('/');
    openAdd(torrents);
  };

  onMount(() => {
    globalThis.addEventListener('dragenter', onEnter);
    globalThis.addEventListener('dragleave', onLeave);
    globalThis.addEventListener('dragover', onOver);
    globalThis.addEventListener('drop', onDrop);
    onCleanup(() => {
      globalThis.removeEventListener('dragenter', onEnter);
      globalThis.removeEventListener('dragleave', onLeave);
      globalThis.removeEventListener('dragover', onOver);
      globalThis.removeEventListener('drop', onDrop);
    });
  });

  return (
    <Show when={dragging()}>
      <div class="drop-overlay" aria-hidden="true">
        <p>Drop .torrent files to add them</p>
      </div>
    </Show>
  );
}
