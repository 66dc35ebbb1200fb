// Web interface: who is signed in, session lifetime, extra host names,
// the password and the API key.

import { Show, createSignal, type JSX } from 'solid-js';

import { api } from '../../lib/bindings';
import { toast } from '../../state/toasts';
import { ApiKeyRotate } from './api-key-rotate';
import { PasswordForm } from './password-form';
import { ErrorNote, NumberField, Section, errorText, useLoaded } from './section';

export function WebSection(): JSX.Element {
  const loaded = useLoaded(() => api.web());
  const [hours, setHours] = createSignal<number | null>(null);
  const [hosts, setHosts] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const current = loaded.value();
    if (!current) return;
    const names = (hosts() ?? current.host_names.join(', '))
      .split(/[\s,]+/)
      .filter((n) => n !== '');
    const ttl = Math.round((hours() ?? current.session_ttl_secs / 3600) * 3600);
    try {
      await api.setWeb({ host_names: names, session_ttl_secs: ttl });
      setError(null);
      toast('success', 'Web settings saved');
      await loaded.reload();
      setHours(null);
      setHosts(null);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <Section id="web" title="Web interface">
      <ErrorNote text={loaded.error()} />
      <Show when={loaded.value()}>
        {(web) => (
          <>
            <dl class="facts compact">
              <div class="fact">
                <dt>User</dt>
                <dd>{web().username}</dd>
              </div>
              <div class="fact">
                <dt>API key</dt>
                <dd class="mono" data-testid="api-key-hint">
                  {web().api_key_hint}…
                </dd>
              </div>
            </dl>
            <form class="stack" onSubmit={(e) => void save(e)}>
              <div class="field-row">
                <NumberField
                  label="Session lifetime (hours)"
                  value={hours() ?? web().session_ttl_secs / 3600}
                  min={0.02}
                  max={720}
                  onChange={setHours}
                />
                <label class="field grow">
                  <span>Extra host names</span>
                  <input
                    class="input"
                    placeholder="mosaic.lan, nas.local"
                    value={hosts() ?? web().host_names.join(', ')}
                    onInput={(e) => setHosts(e.currentTarget.value)}
                  />
                </label>
              </div>
              <ErrorNote text={error()} />
              <div class="actions">
                <button type="submit" class="button primary">
                  Save
                </button>
              </div>
            </form>
            <ApiKeyRotate onRotated={() => void loaded.reload()} />
            <PasswordForm />
          </>
        )}
      </Show>
    </Section>
  );
}
