// A modal built on <dialog>: focus is trapped and Escape closes it, both
// natively.

import { createEffect, onCleanup, type JSX } from 'solid-js';

export interface ModalProps {
  open: boolean;
  title: string;
  onClose: () => void;
  class?: string;
  children: JSX.Element;
}

export function Modal(props: ModalProps): JSX.Element {
  let dialog!: HTMLDialogElement;
  const titleId = `modal-${Math.random().toString(36).slice(2)}`;

  createEffect(() => {
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  });
  onCleanup(() => {
    if (dialog.open) dialog.close();
  });

  return (
    <dialog
      ref={dialog}
      class={`modal ${props.class ?? ''}`}
      aria-labelledby={titleId}
      onClose={() => props.onClose()}
      onClick={(e) => {
        // A click on the backdrop lands on the dialog element itself.
        if (e.target === dialog) props.onClose();
      }}
    >
      <div class="modal-body">
        <h2 id={titleId} class="modal-title">
          {props.title}
        </h2>
        {props.children}
      </div>
    </dialog>
  );
}
