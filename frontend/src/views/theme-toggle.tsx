// One button cycling the theme: system → light → dark → system.

import type { JSX } from 'solid-js';

import { setTheme, theme, type ThemeChoice } from '../state/theme';
import { Icon } from './icons';

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<ThemeChoice, string> = {
  system: 'Theme: system',
  light: 'Theme: light',
  dark: 'Theme: dark',
};

export function ThemeToggle(): JSX.Element {
  return (
    <button
      type="button"
      class="icon-button"
      data-theme-choice={theme()}
      aria-label={`${LABEL[theme()]} (switch to ${NEXT[theme()]})`}
      title={LABEL[theme()]}
      onClick={() => setTheme(NEXT[theme()])}
    >
      <Icon name={theme() === 'dark' ? 'moon' : theme() === 'light' ? 'sun' : 'auto'} />
    </button>
  );
}
