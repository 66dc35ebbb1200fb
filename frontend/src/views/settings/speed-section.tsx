// Speed: global and alternative limits (KiB/s, 0 = unlimited) and the
// switch between them.

import { Show, createSignal, type JSX } from 'solid-js';

import { api } from '../../lib/bindings';
import type { SpeedLimits } from '../../lib/wire';
import { altActive, setAltActive, toggleAltSpeed } from '../../state/alt-speed';
import { toast } from '../../state/toasts';
import { ErrorNote, NumberField, Section, errorText, useLoaded } from './section';

export function SpeedSection(): JSX.Element {
  const loaded = useLoaded(() => api.limits());
  const [edit, setEdit] = createSignal<Partial<SpeedLimits>>({});
  const [error, setError] = createSignal<string | null>(null);
  const value = (): SpeedLimits | null => {
    const base = loaded.value();
    return base ? { ...base, ...edit(), alt_active: altActive() } : null;
  };
  const field = (key: keyof Omit<SpeedLimits, 'alt_active'>) => (v: number) =>
    setEdit((e) => ({ ...e, [key]: v }));

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const limits = value();
    if (!limits) return;
    try {
      await api.setLimits(limits);
      setError(null);
      toast('success', 'Speed limits saved');
      await loaded.reload();
      setEdit({});
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <Section id="speed" title="Speed limits">
      <ErrorNote text={loaded.error()} />
      <Show when={value()}>
        {(l) => (
          <form class="stack" onSubmit={(e) => void save(e)}>
            <p class="muted">KiB/s; 0 means unlimited.</p>
            <div class="field-row">
              <NumberField label="Download" value={l().down_kbps} onChange={field('down_kbps')} />
              <NumberField label="Upload" value={l().up_kbps} onChange={field('up_kbps')} />
            </div>
            <div class="field-row">
              <NumberField
                label="Alternative download"
                value={l().alt_down_kbps}
                onChange={field('alt_down_kbps')}
              />
              <NumberField
                label="Alternative upload"
                value={l().alt_up_kbps}
                onChange={field('alt_up_kbps')}
              />
            </div>
            <label class="check">
              <input
                type="checkbox"
                name="alt-active"
                checked={altActive()}
                onChange={(e) => {
                  const want = e.currentTarget.checked;
                  toggleAltSpeed().catch(() => setAltActive(!want));
                }}
              />
              <span>Use the alternative limits now</span>
            </label>
            <ErrorNote text={error()} />
            <div class="actions">
              <button type="submit" class="button primary">
                Save limits
              </button>
            </div>
          </form>
        )}
      </Show>
    </Section>
  );
}
