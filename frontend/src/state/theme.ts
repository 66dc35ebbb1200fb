// Light, dark, or whatever the system prefers (the default). The choice
// is kept in localStorage; the theme in force is set as `data-theme` on
// <html>, which the stylesheets key their colour variables on, and follows
// the system live while the choice is `system`.

import { createSignal } from 'solid-js';

export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'mosaic.theme';
const systemDark = globalThis.matchMedia('(prefers-color-scheme: dark)');

function stored(): ThemeChoice {
  const value = globalThis.localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

const [theme, setThemeSignal] = createSignal<ThemeChoice>(stored());
const [shown, setShown] = createSignal<'light' | 'dark'>('light');

export { theme, shown as effectiveTheme };

function apply(choice: ThemeChoice): void {
  const resolved = choice === 'system' ? (systemDark.matches ? 'dark' : 'light') : choice;
  document.documentElement.dataset['theme'] = resolved;
  setShown(resolved);
}

export function setTheme(choice: ThemeChoice): void {
  if (choice === 'system') globalThis.localStorage.removeItem(KEY);
  else globalThis.localStorage.setItem(KEY, choice);
  setThemeSignal(choice);
  apply(choice);
}

systemDark.addEventListener('change', () => {
  if (theme() === 'system') apply('system');
});

apply(theme());
