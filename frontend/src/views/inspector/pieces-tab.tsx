// Pieces: a map of the pieces we have, drawn on a canvas. Large torrents
// fold several pieces into one cell, shaded by how many of them we have.

import { createEffect, createMemo, createSignal, onCleanup, onMount, type JSX } from 'solid-js';

import { countPieces, decodePieces } from '../../lib/bitfield';
import { bytes, percent } from '../../lib/format';
import type { Detail } from '../../lib/wire';
import { effectiveTheme } from '../../state/theme';
import { styleProp } from '../style-prop';

const MAX_HEIGHT = 240;
const CELL_SIZES = [12, 10, 8, 6, 5, 4, 3, 2];

interface Layout {
  cell: number;
  cols: number;
  rows: number;
  /** Pieces per cell. */
  group: number;
}

function layout(count: number, width: number): Layout {
  for (const cell of CELL_SIZES) {
    const cols = Math.max(1, Math.floor(width / cell));
    const rows = Math.ceil(count / cols);
    if (rows * cell <= MAX_HEIGHT) return { cell, cols, rows, group: 1 };
  }
  const cell = 2;
  const cols = Math.max(1, Math.floor(width / cell));
  const cells = cols * Math.floor(MAX_HEIGHT / cell);
  const group = Math.ceil(count / cells);
  return { cell, cols, rows: Math.ceil(count / group / cols), group };
}

export function PiecesTab(props: { detail: Detail }): JSX.Element {
  let canvas!: HTMLCanvasElement;
  const [width, setWidth] = createSignal(600);
  const have = createMemo(() => decodePieces(props.detail.pieces ?? '', props.detail.piece_count));
  const shape = createMemo(() => layout(props.detail.piece_count, width()));
  const summary = () => {
    const n = props.detail.piece_count;
    const got = countPieces(have());
    return n === 0
      ? 'No pieces yet: the metadata has not arrived.'
      : `${got} of ${n} pieces (${percent(n ? got / n : 0)}), ${bytes(props.detail.piece_length)} each`;
  };

  onMount(() => {
    const observer = new ResizeObserver(() => setWidth(canvas.clientWidth));
    observer.observe(canvas);
    setWidth(canvas.clientWidth);
    onCleanup(() => observer.disconnect());
  });

  createEffect(() => {
    effectiveTheme();
    draw(canvas, have(), shape());
  });

  return (
    <div class="pieces">
      <p class="pieces-summary">{summary()}</p>
      <canvas
        ref={(el) => {
          canvas = el;
          styleProp(el, 'height', () => `${shape().rows * shape().cell}px`);
        }}
        class="piece-map"
        role="img"
        aria-label={summary()}
      />
      <p class="legend">
        <span class="legend-have">have</span>
        <span class="legend-partial">some</span>
        <span class="legend-missing">missing</span>
      </p>
    </div>
  );
}

function draw(canvas: HTMLCanvasElement, have: Uint8Array, shape: Layout): void {
  const ratio = globalThis.devicePixelRatio || 1;
  const cssWidth = shape.cols * shape.cell;
  canvas.width = Math.round(canvas.clientWidth * ratio);
  canvas.height = Math.round(shape.rows * shape.cell * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, cssWidth, shape.rows * shape.cell);

  const css = getComputedStyle(canvas);
  const colours = {
    have: css.getPropertyValue('--piece-have').trim() || '#3b82f6',
    partial: css.getPropertyValue('--piece-partial').trim() || '#93c5fd',
    missing: css.getPropertyValue('--piece-missing').trim() || '#e5e7eb',
  };
  const gap = shape.cell >= 5 ? 1 : 0;
  const cells = Math.ceil(have.length / shape.group);
  for (let c = 0; c < cells; c++) {
    let got = 0;
    const start = c * shape.group;
    const end = Math.min(have.length, start + shape.group);
    for (let i = start; i < end; i++) got += have[i] ?? 0;
    ctx.fillStyle =
      got === end - start ? colours.have : got > 0 ? colours.partial : colours.missing;
    const x = (c % shape.cols) * shape.cell;
    const y = Math.floor(c / shape.cols) * shape.cell;
    ctx.fillRect(x, y, shape.cell - gap, shape.cell - gap);
  }
}
