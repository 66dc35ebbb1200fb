// Changing the password. The server signs out every other session.

import { createSignal, type JSX } from 'solid-js';

import { api } from '../../lib/bindings';
import { toast } from '../../state/toasts';
import { ErrorNote, errorText } from './section';

const MIN_LENGTH = 8;

export function PasswordForm(): JSX.Element {
  const [old, setOld] = createSignal('');
  const [next, setNext] = createSignal('');
  const [again, setAgain] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (next().length < MIN_LENGTH) {
      setError(`the new password needs ${MIN_LENGTH} characters at least`);
      return;
    }
    if (next() !== again()) {
      setError('the new passwords differ');
      return;
    }
    try {
      await api.changePassword({ old_password: old(), new_password: next() });
      setError(null);
      setOld('');
      setNext('');
      setAgain('');
      toast('success', 'Password changed; other sessions were signed out');
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <form class="subsection stack" aria-label="Change password" onSubmit={(e) => void submit(e)}>
      <h3>Password</h3>
      <label class="field">
        <span>Current password</span>
        <input
          class="input"
          type="password"
          autocomplete="current-password"
          required
          value={old()}
          onInput={(e) => setOld(e.currentTarget.value)}
        />
      </label>
      <div class="field-row">
        <label class="field">
          <span>New password</span>
          <input
            class="input"
            type="password"
            autocomplete="new-password"
            required
            value={next()}
            onInput={(e) => setNext(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>Repeat new password</span>
          <input
            class="input"
            type="password"
            autocomplete="new-password"
            required
            value={again()}
            onInput={(e) => setAgain(e.currentTarget.value)}
          />
        </label>
      </div>
      <ErrorNote text={error()} />
      <div class="actions">
        <button type="submit" class="button">
          Change password
        </button>
      </div>
    </form>
  );
}
