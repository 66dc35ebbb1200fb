// Building blocks of the settings page: a titled card, and a value loaded
// from the server whose failure is shown with the server's message.

import { Show, createSignal, onMount, type Accessor, type JSX } from 'solid-js';

import { ApiError } from '../../lib/transport';

export function Section(props: { id: string; title: string; children: JSX.Element }): JSX.Element {
  return (
    <section id={props.id} class="card settings-section" aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.children}
    </section>
  );
}

export function errorText(e: unknown): string {
  return e instanceof ApiError ? e.message : 'request failed';
}

export interface Loaded<T> {
  value: Accessor<T | null>;
  set: (v: T) => void;
  error: Accessor<string | null>;
  reload: () => Promise<void>;
}

/** Loads a value when the section mounts; on failure keeps the server's
 * message for the section to show. */
export function useLoaded<T>(load: () => Promise<T>): Loaded<T> {
  const [value, setValue] = createSignal<T | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const reload = async () => {
    try {
      const v = await load();
      setValue(() => v);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  };
  onMount(() => void reload());
  return { value, set: (v) => setValue(() => v), error, reload };
}

/** The server's refusal, where the user is looking. */
export function ErrorNote(props: { text: string | null; prefix?: string }): JSX.Element {
  return (
    <Show when={props.text}>
      {(text) => (
        <p class="form-error" role="alert">
          {props.prefix ? `${props.prefix}: ` : ''}
          {text()}
        </p>
      )}
    </Show>
  );
}

/** A number input bound to a field of a settings object. */
export function NumberField(props: {
  label: string;
  value: number;
  min?: number;
  max?: number;
  hint?: string;
  onChange: (v: number) => void;
}): JSX.Element {
  return (
    <label class="field">
      <span>{props.label}</span>
      <input
        class="input"
        type="number"
        inputmode="numeric"
        min={props.min ?? 0}
        max={props.max}
        value={props.value}
        onInput={(e) => {
          const v = e.currentTarget.valueAsNumber;
          if (Number.isFinite(v)) props.onChange(v);
        }}
      />
      <Show when={props.hint}>
        <small class="muted">{props.hint}</small>
      </Show>
    </label>
  );
}
