// Speed: the focused torrent's download and upload rate over the time the
// inspector has been open, one point per `inspector:tick`.

import { Show, createMemo, type JSX } from 'solid-js';

import { rate } from '../../lib/format';
import { MAX_SAMPLES, samples } from '../../state/inspector';

const WIDTH = 600;
const HEIGHT = 180;
/** The graph spans at least a minute, growing to five as samples come. */
const MIN_WINDOW = 60;

/** x of each sample, newest at the right edge. */
function xs(count: number): number[] {
  const window = Math.min(MAX_SAMPLES, Math.max(MIN_WINDOW, count));
  const step = WIDTH / (window - 1);
  return Array.from({ length: count }, (_, i) => WIDTH - (count - 1 - i) * step);
}

/** Polyline points for `values`, scaled so `peak` touches the top. */
function points(values: number[], peak: number): string {
  const x = xs(values.length);
  return values
    .map((v, i) => `${(x[i] ?? 0).toFixed(1)},${(HEIGHT - (v / peak) * (HEIGHT - 4)).toFixed(1)}`)
    .join(' ');
}

export function SpeedTab(): JSX.Element {
  const down = createMemo(() => samples().map((s) => s.down));
  const up = createMemo(() => samples().map((s) => s.up));
  const peak = createMemo(() => Math.max(1024, ...down(), ...up()));
  const downLine = createMemo(() => points(down(), peak()));
  const downArea = () => {
    const x = xs(down().length);
    return `${x[0] ?? 0},${HEIGHT} ${downLine()} ${WIDTH},${HEIGHT}`;
  };
  const last = () => samples().at(-1);

  return (
    <div class="speed">
      <p class="speed-now">
        <span class="legend-down">Down {rate(last()?.down ?? 0)}</span>
        <span class="legend-up">Up {rate(last()?.up ?? 0)}</span>
        <span class="muted">peak {rate(peak())}</span>
      </p>
      <Show
        when={samples().length > 1}
        fallback={<p class="muted">Collecting samples (one per second)…</p>}
      >
        <svg
          class="speed-graph"
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={`Speed over the last ${samples().length} seconds`}
        >
          <line class="grid" x1="0" y1={HEIGHT / 2} x2={WIDTH} y2={HEIGHT / 2} />
          <polygon class="area-down" points={downArea()} />
          <polyline class="line-down" points={downLine()} />
          <polyline class="line-up" points={points(up(), peak())} />
        </svg>
      </Show>
    </div>
  );
}
