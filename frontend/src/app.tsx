// The application shell: sign-in or the signed-in pages, plus toasts and
// the page-wide drop target for .torrent files.

import { Match, Switch, createEffect, on, onMount, type JSX } from 'solid-js';

import { route } from './lib/router';
import { loadAltSpeed } from './state/alt-speed';
import { loadCategories } from './state/categories';
import { restoreSession, sessionState } from './state/session';
import { AddDialog } from './views/add-dialog';
import { CategoriesPage } from './views/categories-page';
import { DropZone } from './views/drop-zone';
import { Header } from './views/header';
import { SettingsPage } from './views/settings/settings-page';
import { SignIn } from './views/sign-in';
import { StatusBar } from './views/status-bar';
import { ToastStack } from './views/toast-stack';
import { TorrentsPage } from './views/torrents-page';

export function App(): JSX.Element {
  onMount(() => void restoreSession());

  return (
    <>
      <Switch>
        <Match when={sessionState() === 'checking'}>
          <div class="splash" role="status">
            Loading…
          </div>
        </Match>
        <Match when={sessionState() === 'signed-out'}>
          <SignIn />
        </Match>
        <Match when={sessionState() === 'signed-in'}>
          <Shell />
        </Match>
      </Switch>
      <ToastStack />
    </>
  );
}

function Shell(): JSX.Element {
  onMount(() => {
    loadCategories().catch(() => undefined);
    loadAltSpeed().catch(() => undefined);
  });
  // Keyboard users land on the page's main region after navigating.
  createEffect(
    on(route, () => document.querySelector<HTMLElement>('main')?.focus(), { defer: true }),
  );

  return (
    <div class="app">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main" class="content" tabindex="-1">
        <Switch fallback={<TorrentsPage />}>
          <Match when={route() === '/categories'}>
            <CategoriesPage />
          </Match>
          <Match when={route() === '/settings'}>
            <SettingsPage />
          </Match>
        </Switch>
      </main>
      <StatusBar />
      <AddDialog />
      <DropZone />
    </div>
  );
}
