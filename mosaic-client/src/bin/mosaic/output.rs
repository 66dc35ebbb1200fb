//! Human formats (sizes, rates, times) and a plain text table.

use std::fmt::Write as _;

/// `1.5 MiB`, `512 B`.
pub(crate) fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// `1.5 MiB/s`, or `-` when nothing moves.
pub(crate) fn rate(bytes_per_second: u64) -> String {
    if bytes_per_second == 0 {
        return "-".into();
    }
    format!("{}/s", bytes(bytes_per_second))
}

/// `45s`, `12m05s`, `3h12m`, `2d04h`; `-` when unknown.
pub(crate) fn eta(seconds: Option<u64>) -> String {
    let Some(s) = seconds else {
        return "-".into();
    };
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        3600..86_400 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d{:02}h", s / 86_400, s % 86_400 / 3600),
    }
}

/// `45.2%` of a 0..1 fraction.
pub(crate) fn percent(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

/// `2026-05-01 12:00:00 UTC` for Unix seconds.
pub(crate) fn time(unix: i64) -> String {
    let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    let (year, month, day) = civil_date(days);
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    format!("{year:04}-{month:02}-{day:02} {h:02}:{m:02}:{s:02} UTC")
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard
/// Hinnant's days-to-civil, shifted to years starting in March).
fn civil_date(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;

    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Columns of text; numbers are right-aligned.
pub(crate) struct Table {
    headers: Vec<&'static str>,
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these headers; a header starting with `>` names a
    /// right-aligned column (the `>` is not shown).
    pub(crate) fn new(headers: &[&'static str]) -> Self {
        Self {
            headers: headers.iter().map(|h| h.trim_start_matches('>')).collect(),
            right: headers.iter().map(|h| h.starts_with('>')).collect(),
            rows: Vec::new(),
        }
    }

    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub(crate) fn render(&self) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let headers: Vec<String> = self.headers.iter().map(|h| (*h).to_owned()).collect();
        for row in std::iter::once(&headers).chain(&self.rows) {
            self.line(&mut out, row, &widths);
        }
        out
    }

    fn line(&self, out: &mut String, row: &[String], widths: &[usize]) {
        let last = row.len().saturating_sub(1);
        for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
            let gap = if i == 0 { "" } else { "  " };
            let _ = match (self.right[i], i == last) {
                (true, _) => write!(out, "{gap}{cell:>width$}"),
                (false, true) => write!(out, "{gap}{cell}"),
                (false, false) => write!(out, "{gap}{cell:<width$}"),
            };
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_formats() {
        // Proves sizes, rates, ETAs and dates read the way the table shows them.
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(25_165_824), "24.0 MiB");
        assert_eq!(rate(0), "-");
        assert_eq!(rate(1536), "1.5 KiB/s");
        assert_eq!(eta(Some(725)), "12m05s");
        assert_eq!(eta(Some(90_000)), "1d01h");
        assert_eq!(eta(None), "-");
        assert_eq!(time(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(time(1_709_210_096), "2024-02-29 12:34:56 UTC");
    }

    #[test]
    fn tables_align_columns() {
        // Proves left and right alignment and that the last column is not padded.
        let mut table = Table::new(&["ID", ">SIZE", "NAME"]);
        table.row(vec!["a".into(), "1.0 KiB".into(), "x".into()]);
        table.row(vec!["bbbb".into(), "2 B".into(), "longer".into()]);
        assert_eq!(
            table.render(),
            "ID       SIZE  NAME\na     1.0 KiB  x\nbbbb      2 B  longer\n"
        );
    }
}
