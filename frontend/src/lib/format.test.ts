// How values are shown.

import { describe, expect, it } from 'vitest';

import { bytes, duration, eta, percent, rate, ratio, shortDate } from './format';

describe('format', () => {
  it('shows sizes in binary units with three significant digits', () => {
    // Proves rounding never shows "10.00" or "1024 KiB".
    expect(bytes(0)).toBe('0 B');
    expect(bytes(1536)).toBe('1.50 KiB');
    expect(bytes(10 * 1024 - 1)).toBe('10.0 KiB');
    expect(bytes(8 * 1024 * 1024)).toBe('8.00 MiB');
    expect(bytes(123.4 * 1024 ** 3)).toBe('123 GiB');
    expect(bytes(-1)).toBe('—');
  });

  it('shows rates, percentages, ratios and durations', () => {
    // Proves idle rates are a dash and 99.99 % is not rounded up to 100.
    expect(rate(0)).toBe('—');
    expect(rate(2048)).toBe('2.00 KiB/s');
    expect(percent(0.9999)).toBe('99.9 %');
    expect(percent(1)).toBe('100 %');
    expect(percent(0)).toBe('0 %');
    expect(ratio(1.234)).toBe('1.23');
    expect(ratio(Infinity)).toBe('∞');
    expect(duration(null)).toBe('∞');
    expect(duration(45)).toBe('45 s');
    expect(duration(3725)).toBe('1 h 2 m');
    expect(duration(90061)).toBe('1 d 1 h');
    expect(duration(3600)).toBe('1 h');
    expect(eta(60, true, false)).toBe('');
    expect(eta(60, false, false)).toBe('1 m');
  });

  it('shows list dates compactly', () => {
    // Proves today shows a time, this year a day, older ones a year.
    const now = new Date(2026, 5, 15, 12, 0);
    const at = (d: Date) => Math.floor(d.getTime() / 1000);
    expect(shortDate(at(new Date(2026, 5, 15, 9, 5)), now)).toMatch(/9.05|09.05/);
    expect(shortDate(at(new Date(2026, 0, 2)), now)).not.toMatch(/2026/);
    expect(shortDate(at(new Date(2024, 0, 2)), now)).toMatch(/2024/);
    expect(shortDate(null, now)).toBe('—');
  });
});
