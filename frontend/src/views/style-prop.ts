// Dynamic styles through the CSSOM. The server's Content-Security-Policy
// forbids style attributes in markup, but not `element.style`, so values
// that must be computed (row offsets, colours) are set here.

import { createRenderEffect } from 'solid-js';

/** Keeps `prop` of `el` equal to `value()`; `null` removes it. */
export function styleProp(
  el: HTMLElement | SVGElement,
  prop: string,
  value: () => string | null,
): void {
  createRenderEffect(() => {
    const v = value();
    if (v === null) el.style.removeProperty(prop);
    else el.style.setProperty(prop, v);
  });
}
