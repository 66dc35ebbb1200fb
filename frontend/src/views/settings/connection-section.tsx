// Connection: the peer port, DHT, peers per torrent and UPnP. The server
// stores them and applies port and DHT changes at its next start.

import { Show, createSignal, type JSX } from 'solid-js';

import { api } from '../../lib/bindings';
import type { ConnectionSettings } from '../../lib/wire';
import { toast } from '../../state/toasts';
import { ErrorNote, NumberField, Section, errorText, useLoaded } from './section';

export function ConnectionSection(): JSX.Element {
  const loaded = useLoaded(() => api.connection());
  const [edit, setEdit] = createSignal<Partial<ConnectionSettings>>({});
  const [error, setError] = createSignal<string | null>(null);
  const value = (): ConnectionSettings | null => {
    const base = loaded.value();
    return base ? { ...base, ...edit() } : null;
  };
  const patch = (p: Partial<ConnectionSettings>) => setEdit((e) => ({ ...e, ...p }));

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const settings = value();
    if (!settings) return;
    try {
      await api.setConnection(settings);
      setError(null);
      toast('success', 'Connection settings saved; port and DHT changes apply at the next start');
      await loaded.reload();
      setEdit({});
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <Section id="connection" title="Connection">
      <ErrorNote text={loaded.error()} />
      <Show when={value()}>
        {(c) => (
          <form class="stack" onSubmit={(e) => void save(e)}>
            <div class="field-row">
              <NumberField
                label="Peer port"
                value={c().listen_port}
                max={65535}
                hint="0 picks a free port"
                onChange={(v) => patch({ listen_port: v })}
              />
              <NumberField
                label="Peers per torrent"
                value={c().max_peers_per_torrent}
                min={1}
                onChange={(v) => patch({ max_peers_per_torrent: v })}
              />
            </div>
            <label class="check">
              <input
                type="checkbox"
                checked={c().dht_enabled}
                onChange={(e) => patch({ dht_enabled: e.currentTarget.checked })}
              />
              <span>Use the DHT</span>
            </label>
            <label class="check">
              <input
                type="checkbox"
                checked={c().upnp_enabled}
                onChange={(e) => patch({ upnp_enabled: e.currentTarget.checked })}
              />
              <span>Forward the peer port with UPnP</span>
            </label>
            <ErrorNote text={error()} />
            <div class="actions">
              <button type="submit" class="button primary">
                Save
              </button>
            </div>
          </form>
        )}
      </Show>
    </Section>
  );
}
