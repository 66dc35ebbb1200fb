// How numbers from the wire are shown: sizes, rates, durations, dates.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** `1536` → `1.5 KiB`. */
export function bytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // Chosen after rounding, so 9.999 shows as "10.0", not "10.00".
  const digits = unit === 0 || value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit] ?? 'B'}`;
}

/** Bytes per second; zero shows as a dash so busy rows stand out. */
export function rate(n: number): string {
  return n > 0 ? `${bytes(n)}/s` : '—';
}

/** `0.4567` → `45.7 %`; whole numbers at the ends. */
export function percent(p: number): string {
  if (p >= 1) return '100 %';
  if (p <= 0) return '0 %';
  return `${(Math.floor(p * 1000) / 10).toFixed(1)} %`;
}

/** Seconds as the two largest units: `1 h 5 m`, `45 s`, `∞` for null. */
export function duration(secs: number | null): string {
  if (secs === null || !Number.isFinite(secs)) return '∞';
  const s = Math.max(0, Math.round(secs));
  const parts: [number, string][] = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([v]) => v > 0);
  if (first < 0) return '0 s';
  return parts
    .slice(first, first + 2)
    .filter(([v]) => v > 0)
    .map(([v, u]) => `${v} ${u}`)
    .join(' ');
}

/** ETA column: nothing for finished or stopped torrents. */
export function eta(secs: number | null, completed: boolean, paused: boolean): string {
  if (completed || paused) return '';
  return duration(secs);
}

export function ratio(r: number): string {
  return Number.isFinite(r) ? r.toFixed(2) : '∞';
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Unix seconds as a local date and time; a dash for null. */
export function date(unix: number | null): string {
  return unix === null || unix <= 0 ? '—' : dateTime.format(new Date(unix * 1000));
}

const STATE_LABELS: Record<string, string> = {
  metadata: 'Fetching metadata',
  checking: 'Checking',
  downloading: 'Downloading',
  seeding: 'Seeding',
  paused: 'Paused',
  queued: 'Queued',
  error: 'Error',
};

export function stateLabel(state: string): string {
  return STATE_LABELS[state] ?? state;
}

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayMonth = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const dayMonthYear = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** A list column's date: the time today, the day this year, else the
 * full date. `now` is for tests. */
export function shortDate(unix: number | null, now = new Date()): string {
  if (unix === null || unix <= 0) return '—';
  const d = new Date(unix * 1000);
  if (d.toDateString() === now.toDateString()) return timeOnly.format(d);
  if (d.getFullYear() === now.getFullYear()) return dayMonth.format(d);
  return dayMonthYear.format(d);
}
