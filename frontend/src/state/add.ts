// Whether the add dialog is open, and the .torrent files it starts with
// (chosen by dropping them anywhere on the page).

import { createSignal } from 'solid-js';

const [addOpen, setAddOpen] = createSignal(false);
const [droppedFiles, setDroppedFiles] = createSignal<File[]>([]);

export { addOpen, droppedFiles };

export function openAdd(files: File[] = []): void {
  setDroppedFiles(files);
  setAddOpen(true);
}

export function closeAdd(): void {
  setAddOpen(false);
  setDroppedFiles([]);
}
