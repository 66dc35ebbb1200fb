// Settings: one card per area, each saved on its own.

import type { JSX } from 'solid-js';

import { BlocklistSection } from './blocklist-section';
import { ConnectionSection } from './connection-section';
import { DownloadsSection } from './downloads-section';
import { SpeedSection } from './speed-section';
import { UpdaterSection } from './updater-section';
import { WebSection } from './web-section';

export function SettingsPage(): JSX.Element {
  return (
    <div class="page">
      <h1 class="page-title">Settings</h1>
      <div class="settings-grid">
        <DownloadsSection />
        <SpeedSection />
        <WebSection />
        <ConnectionSection />
        <BlocklistSection />
        <UpdaterSection />
      </div>
    </div>
  );
}
