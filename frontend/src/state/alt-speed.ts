// Whether the alternative speed limits are in force, shared by the status
// bar switch and the Speed settings.

import { createSignal } from 'solid-js';

import { api } from '../lib/bindings';

const [altActive, setAltActive] = createSignal(false);

export { altActive, setAltActive };

export async function loadAltSpeed(): Promise<void> {
  setAltActive((await api.limits()).alt_active);
}

export async function toggleAltSpeed(): Promise<void> {
  setAltActive((await api.toggleAltSpeed()).alt_active);
}
