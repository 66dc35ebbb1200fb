//! Repeated measurements reduced to a median and a range, and the
//! comparison of two of them.

use serde::Serialize;

/// The median, minimum and maximum of a series of runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub(crate) struct Summary {
    pub(crate) median: f64,
    pub(crate) min: f64,
    pub(crate) max: f64,
    pub(crate) runs: usize,
}

impl Summary {
    /// Summarises `values`; an empty series gives zeros with `runs == 0`.
    pub(crate) fn of(values: &[f64]) -> Self {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if sorted.is_empty() {
            return Self::default();
        }
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        Self {
            median,
            min: sorted[0],
            max: sorted[n - 1],
            runs: n,
        }
    }

    /// `median (min–max)` with `digits` decimals.
    pub(crate) fn show(&self, digits: usize) -> String {
        if self.runs == 0 {
            return "–".to_owned();
        }
        format!(
            "{:.digits$} ({:.digits$}–{:.digits$})",
            self.median, self.min, self.max
        )
    }
}

/// Which direction of a metric is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum Better {
    Lower,
    Higher,
}

/// Mosaic's median divided by a peer's, and whether that means Mosaic did
/// worse. `None` when either side has no measurement.
pub(crate) fn ratio(mosaic: &Summary, peer: &Summary, better: Better) -> Option<(f64, bool)> {
    if mosaic.runs == 0 || peer.runs == 0 || peer.median == 0.0 {
        return None;
    }
    let ratio = mosaic.median / peer.median;
    let worse = match better {
        Better::Lower => ratio > 1.0,
        Better::Higher => ratio < 1.0,
    };
    Some((ratio, worse))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_series() {
        // Proves the middle value (or the mean of the two middle ones) and the range.
        let odd = Summary::of(&[5.0, 1.0, 3.0]);
        assert_eq!((odd.median, odd.min, odd.max, odd.runs), (3.0, 1.0, 5.0, 3));
        let even = Summary::of(&[4.0, 1.0, 2.0, 3.0]);
        assert_eq!(even.median, 2.5);
        assert_eq!(Summary::of(&[]).runs, 0);
        assert_eq!(Summary::of(&[f64::NAN, 2.0]).median, 2.0);
    }

    #[test]
    fn ratios_know_which_way_is_better() {
        // Proves a higher time is worse, a higher throughput is better, and empty sides give none.
        let two = Summary::of(&[2.0]);
        let four = Summary::of(&[4.0]);
        assert_eq!(ratio(&four, &two, Better::Lower), Some((2.0, true)));
        assert_eq!(ratio(&four, &two, Better::Higher), Some((2.0, false)));
        assert_eq!(ratio(&Summary::default(), &two, Better::Lower), None);
        assert_eq!(two.show(1), "2.0 (2.0–2.0)");
    }
}
