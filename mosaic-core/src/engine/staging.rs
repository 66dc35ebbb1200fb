//! Priority staging: librqbit downloads a set of selected files with equal
//! priority, so levels are emulated by selecting the `max` files first, then
//! adding `high` and `normal` files as the earlier stages complete.

use std::collections::BTreeSet;

use crate::Priority;

/// The files librqbit should download now.
///
/// The current stage is the highest level that still has an incomplete
/// file; every file at that level or above is selected (complete files of
/// higher levels stay selected so they keep seeding). When every wanted file
/// is complete, all wanted files are selected.
pub(crate) fn selected_files(
    priorities: &[Priority],
    sizes: &[u64],
    have: &[u64],
) -> BTreeSet<usize> {
    let incomplete = |i: usize| have.get(i).copied().unwrap_or(0) < sizes[i];
    let stage = priorities
        .iter()
        .enumerate()
        .filter(|&(i, p)| *p != Priority::Skip && incomplete(i))
        .map(|(_, p)| *p)
        .max()
        .unwrap_or(Priority::Normal);
    priorities
        .iter()
        .enumerate()
        .filter(|&(_, p)| *p != Priority::Skip && *p >= stage)
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Priority::{High, Max, Normal, Skip};

    #[test]
    fn max_files_go_first_then_lower_stages_join() {
        let prios = [Normal, Max, High, Skip];
        let sizes = [10, 10, 10, 10];
        assert_eq!(
            selected_files(&prios, &sizes, &[0, 0, 0, 0]),
            BTreeSet::from([1])
        );
        assert_eq!(
            selected_files(&prios, &sizes, &[0, 10, 0, 0]),
            BTreeSet::from([1, 2])
        );
        assert_eq!(
            selected_files(&prios, &sizes, &[0, 10, 10, 0]),
            BTreeSet::from([0, 1, 2])
        );
        assert_eq!(
            selected_files(&prios, &sizes, &[10, 10, 10, 0]),
            BTreeSet::from([0, 1, 2])
        );
    }

    #[test]
    fn all_normal_selects_every_wanted_file() {
        let prios = [Normal, Skip, Normal];
        assert_eq!(
            selected_files(&prios, &[5, 5, 0], &[]),
            BTreeSet::from([0, 2])
        );
        assert_eq!(selected_files(&[Skip, Skip], &[1, 1], &[]), BTreeSet::new());
    }
}
