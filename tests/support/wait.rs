//! Polling for conditions that other processes make true.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

/// The first and the largest pause between two probes. Starting short keeps
/// fast conditions fast; the cap keeps slow ones from hammering a server.
const FIRST_PAUSE: Duration = Duration::from_millis(20);
const MAX_PAUSE: Duration = Duration::from_millis(250);

/// Calls `probe` until it returns `Some`, for at most `timeout`.
///
/// The probe runs at least once, and once more at the deadline, so a
/// condition that became true during the last pause is still seen. Returns
/// `None` when time ran out.
pub async fn wait_until<T, F, Fut>(timeout: Duration, mut probe: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    let mut pause = FIRST_PAUSE;
    loop {
        if let Some(value) = probe().await {
            return Some(value);
        }
        let now = Instant::now();
        if now >= deadline {
            return None;
        }

        tokio::time::sleep(pause.min(deadline - now)).await;
        pause = (pause * 2).min(MAX_PAUSE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn returns_first_some() {
        // Proves the value of the first successful probe is returned.
        let mut calls = 0;
        let found = wait_until(Duration::from_secs(5), || {
            calls += 1;
            std::future::ready((calls == 3).then_some(calls))
        })
        .await;
        assert_eq!(found, Some(3));
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_at_deadline() {
        // Proves a never-true condition ends in None after the timeout.
        let start = Instant::now();
        let found: Option<()> = wait_until(Duration::from_secs(2), || async { None }).await;
        assert_eq!(found, None);
        assert!(start.elapsed() >= Duration::from_secs(2));
    }
}
