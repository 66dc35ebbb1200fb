// The top bar: brand, the three pages, theme and sign-out.

import { For, type JSX } from 'solid-js';

import { navigate, route, type Route } from '../lib/router';
import { signOut, username } from '../state/session';
import { Icon } from './icons';
import { ThemeToggle } from './theme-toggle';

const PAGES: readonly { to: Route; label: string }[] = [
  { to: '/', label: 'Torrents' },
  { to: '/categories', label: 'Categories' },
  { to: '/settings', label: 'Settings' },
];

export function Header(): JSX.Element {
  const go = (event: MouseEvent, to: Route) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };

  return (
    <header class="topbar">
      <a class="brand" href="/" aria-label="Mosaic" onClick={(e) => go(e, '/')}>
        <span class="brand-mark" aria-hidden="true" />
        <span class="brand-name">Mosaic</span>
      </a>
      <nav class="pages" aria-label="Pages">
        <For each={PAGES}>
          {(page) => (
            <a
              href={page.to}
              classList={{ active: route() === page.to }}
              aria-current={route() === page.to ? 'page' : undefined}
              onClick={(e) => go(e, page.to)}
            >
              {page.label}
            </a>
          )}
        </For>
      </nav>
      <div class="topbar-end">
        <span class="user" title="Signed in as">
          {username()}
        </span>
        <ThemeToggle />
        <button
          type="button"
          class="icon-button"
          aria-label="Sign out"
          title="Sign out"
          onClick={() => void signOut()}
        >
          <Icon name="signOut" />
        </button>
      </div>
    </header>
  );
}
