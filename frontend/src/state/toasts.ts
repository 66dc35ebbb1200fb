// Short notices in a corner: API errors (with the server's message),
// finished downloads, available updates.

import { createSignal } from 'solid-js';

export type ToastKind = 'error' | 'info' | 'success';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  action?: { label: string; run: () => void };
}

const LIFETIME: Record<ToastKind, number> = { error: 8000, info: 6000, success: 5000 };
/** More than this and the oldest go first. */
const MAX_TOASTS = 5;

const [toasts, setToasts] = createSignal<Toast[]>([]);
let nextId = 1;

export { toasts };

export function toast(kind: ToastKind, message: string, action?: Toast['action']): number {
  const id = nextId++;
  const entry: Toast = action ? { id, kind, message, action } : { id, kind, message };
  setToasts((list) => [...list, entry].slice(-MAX_TOASTS));
  setTimeout(() => dismiss(id), LIFETIME[kind]);
  return id;
}

export function dismiss(id: number): void {
  setToasts((list) => list.filter((t) => t.id !== id));
}
