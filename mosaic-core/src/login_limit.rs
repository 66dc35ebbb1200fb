//! The sign-in limiter: a token bucket per client address (burst 5, one
//! more every 12 s). Attempts are counted before the password is checked,
//! so a flood costs the attacker the wait and the server no hashing.
//!
//! Time is read from Tokio's clock so tests can pause and advance it.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

use parking_lot::Mutex;
use tokio::time::Instant;

/// Attempts allowed at once.
pub const BURST: u32 = 5;
/// Time for one more attempt to become available.
pub const REFILL: Duration = Duration::from_secs(12);
/// Addresses tracked at most; beyond it, addresses with a full bucket are
/// forgotten first (they carry no state worth keeping).
const MAX_TRACKED: usize = 65_536;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Per-address sign-in limiter.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

impl LoginLimiter {
    /// Takes one attempt for `ip`, or tells how long to wait for one.
    ///
    /// # Errors
    /// The time until the next attempt is allowed.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock();
        if buckets.len() >= MAX_TRACKED && !buckets.contains_key(&ip) {
            buckets.retain(|_, b| refill(*b, now).tokens < f64::from(BURST));
        }
        let full = Bucket {
            tokens: f64::from(BURST),
            updated: now,
        };
        let bucket = buckets.entry(ip).or_insert(full);
        *bucket = refill(*bucket, now);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let missing = 1.0 - bucket.tokens;
        Err(REFILL.mul_f64(missing))
    }
}

fn refill(bucket: Bucket, now: Instant) -> Bucket {
    let earned = now.duration_since(bucket.updated).as_secs_f64() / REFILL.as_secs_f64();
    Bucket {
        tokens: (bucket.tokens + earned).min(f64::from(BURST)),
        updated: now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn burst_then_one_per_refill() {
        let limiter = LoginLimiter::default();
        let ip: IpAddr = "127.0.0.2".parse().unwrap();
        for _ in 0..BURST {
            assert!(limiter.check(ip).is_ok());
        }
        let wait = limiter.check(ip).unwrap_err();
        assert_eq!(wait.as_secs().div_ceil(1), 12);
        assert!(
            limiter.check("127.0.0.3".parse().unwrap()).is_ok(),
            "other addresses unaffected"
        );

        tokio::time::advance(wait).await;
        assert!(limiter.check(ip).is_ok());
        assert!(limiter.check(ip).is_err());
    }
}
