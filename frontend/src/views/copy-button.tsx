// Copies a text to the clipboard and says so.

import { createSignal, type JSX } from 'solid-js';

import { toast } from '../state/toasts';
import { Icon } from './icons';

export function CopyButton(props: { text: string; label: string }): JSX.Element {
  const [copied, setCopied] = createSignal(false);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      toast('error', 'The browser refused to copy; select the text and copy it instead.');
    }
  };

  return (
    <button
      type="button"
      class="button small"
      aria-label={props.label}
      title={props.label}
      onClick={() => void copy()}
    >
      <Icon name="copy" />
      <span>{copied() ? 'Copied' : 'Copy'}</span>
    </button>
  );
}
