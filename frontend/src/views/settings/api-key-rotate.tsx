// Rotating the API key: confirm, then show the new key once with a copy
// button. The old key stops working at once.

import { Show, createSignal, type JSX } from 'solid-js';

import { api } from '../../lib/bindings';
import { CopyButton } from '../copy-button';
import { Modal } from '../modal';
import { ErrorNote, errorText } from './section';

export function ApiKeyRotate(props: { onRotated: () => void }): JSX.Element {
  const [confirming, setConfirming] = createSignal(false);
  const [key, setKey] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);

  const rotate = async () => {
    setConfirming(false);
    try {
      const answer = await api.rotateApiKey();
      setKey(answer.api_key);
      setError(null);
      props.onRotated();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div class="subsection">
      <h3>API key</h3>
      <p class="muted">
        Scripts use the key as a bearer token. Rotating it ends the old one at once.
      </p>
      <Show when={key()}>
        {(value) => (
          <div class="new-key" role="status">
            <label class="field">
              <span>New API key (shown only now)</span>
              <input
                class="input mono"
                readonly
                value={value()}
                data-testid="new-api-key"
                onFocus={(e) => e.currentTarget.select()}
              />
            </label>
            <div class="actions">
              <CopyButton text={value()} label="Copy API key" />
              <button type="button" class="button" onClick={() => setKey(null)}>
                Done
              </button>
            </div>
          </div>
        )}
      </Show>
      <ErrorNote text={error()} />
      <button type="button" class="button danger" onClick={() => setConfirming(true)}>
        Rotate API key
      </button>
      <Modal open={confirming()} title="Rotate the API key?" onClose={() => setConfirming(false)}>
        <p>Scripts and clients using the current key will be refused until they get the new one.</p>
        <div class="actions">
          <button type="button" class="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
          <button type="button" class="button danger" onClick={() => void rotate()}>
            Rotate
          </button>
        </div>
      </Modal>
    </div>
  );
}
