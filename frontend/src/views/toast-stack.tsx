// Where toasts appear: errors are announced assertively, the rest politely.

import { For, Show, type JSX } from 'solid-js';

import { dismiss, toasts } from '../state/toasts';
import { Icon } from './icons';

export function ToastStack(): JSX.Element {
  return (
    <div class="toasts" aria-live="polite">
      <For each={toasts()}>
        {(t) => (
          <div class={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
            <span class="toast-message">{t.message}</span>
            <Show when={t.action}>
              {(action) => (
                <button
                  type="button"
                  class="button small"
                  onClick={() => {
                    action().run();
                    dismiss(t.id);
                  }}
                >
                  {action().label}
                </button>
              )}
            </Show>
            <button
              type="button"
              class="icon-button small"
              aria-label="Dismiss"
              onClick={() => dismiss(t.id)}
            >
              <Icon name="close" />
            </button>
          </div>
        )}
      </For>
    </div>
  );
}
