// Confirms removing the selected torrents, optionally with their data.

import { createSignal, type JSX } from 'solid-js';

import { api } from '../lib/bindings';
import { closeInspector, inspectedId } from '../state/inspector';
import { clearSelection, selected } from '../state/list';
import { Modal } from './modal';

export function RemoveDialog(props: { open: boolean; onClose: () => void }): JSX.Element {
  const [withData, setWithData] = createSignal(false);
  const [busy, setBusy] = createSignal(false);

  const remove = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    const ids = [...selected()];
    await Promise.allSettled(ids.map((id) => api.remove(id, withData())));
    const open = inspectedId();
    if (open && ids.includes(open)) closeInspector();
    clearSelection();
    setBusy(false);
    setWithData(false);
    props.onClose();
  };

  return (
    <Modal open={props.open} title="Remove torrents" onClose={() => props.onClose()}>
      <form class="stack" onSubmit={(e) => void remove(e)}>
        <p>
          Remove {selected().size} torrent{selected().size === 1 ? '' : 's'} from Mosaic?
        </p>
        <label class="check">
          <input
            type="checkbox"
            checked={withData()}
            onChange={(e) => setWithData(e.currentTarget.checked)}
          />
          <span>Also delete the downloaded data</span>
        </label>
        <div class="actions">
          <button type="button" class="button" onClick={() => props.onClose()}>
            Cancel
          </button>
          <button type="submit" class="button danger" disabled={busy()}>
            Remove
          </button>
        </div>
      </form>
    </Modal>
  );
}
