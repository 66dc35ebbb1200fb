// Client-side paths: the server answers every non-API path with the app,
// so plain URLs (`/settings`) work on reload and can be bookmarked.

import { createSignal } from 'solid-js';

export type Route = '/' | '/categories' | '/settings' | '/login';

const ROUTES: readonly Route[] = ['/', '/categories', '/settings', '/login'];

function current(): Route {
  const path = globalThis.location.pathname;
  return ROUTES.find((r) => r === path) ?? '/';
}

const [route, setRoute] = createSignal<Route>(current());

globalThis.addEventListener('popstate', () => setRoute(current()));

export { route };

export function navigate(to: Route, replace = false): void {
  if (to === route() && globalThis.location.pathname === to) return;
  if (replace) globalThis.history.replaceState(null, '', to);
  else globalThis.history.pushState(null, '', to);
  setRoute(to);
}
