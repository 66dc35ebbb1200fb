//! Load generation with `wrk`: a request described once ([`Target`]),
//! replayed on keep-alive connections for a fixed time, and the
//! throughput and latency percentiles read back from wrk's report.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};

/// Threads of the load generator (the machine's cores are shared with the
/// server under test, so more would only steal from it).
pub(crate) const THREADS: usize = 2;
/// Connections kept open at once.
pub(crate) const CONNECTIONS: usize = 4;
/// A response slower than this counts as a timeout instead of a latency.
const TIMEOUT: &str = "60s";
/// Why a run that completed nothing failed.
const NOTHING_COMPLETED: &str = "no request completed within the run";
/// Requests a run should complete at least, so that a slow server still
/// gives percentiles worth the name.
const MIN_REQUESTS: f64 = 100.0;
/// The longest a single run may be stretched to (a server needing seconds
/// per answer then completes fewer requests, and its p99 is near its max).
const MAX_RUN: Duration = Duration::from_secs(60);

/// Replays `target` briefly (warming the server up) and answers how long
/// each measured run must last: `planned`, or longer when at the warm-up's
/// rate that would complete fewer than [`MIN_REQUESTS`] requests. `one` is
/// how long a single request took, to size the warm-up itself.
///
/// # Errors
///
/// When wrk fails.
pub(crate) async fn run_length(
    target: &Target,
    planned: Duration,
    one: Duration,
    scratch: &Path,
) -> anyhow::Result<Duration> {
    let warm_up = (one * 4).clamp(Duration::from_secs(2), Duration::from_secs(60));
    let rate = match run(target, warm_up, scratch).await {
        Ok(load) => load.requests_per_sec,
        // Slower than the warm-up under load: assume one answer at a time.
        Err(e) if format!("{e:#}").contains(NOTHING_COMPLETED) => 1.0 / one.as_secs_f64(),
        Err(e) => return Err(e),
    };
    Ok(duration_for(planned, Some(rate)))
}

/// `planned`, or the time `MIN_REQUESTS` take at `rate` requests per
/// second (the cap when no request completed), whichever is longer.
fn duration_for(planned: Duration, rate: Option<f64>) -> Duration {
    let needed = match rate {
        Some(rate) if rate > 0.0 => Duration::from_secs_f64(MIN_REQUESTS / rate).min(MAX_RUN),
        _ => MAX_RUN,
    };
    planned.max(Duration::from_secs(needed.as_secs_f64().ceil() as u64))
}

/// One HTTP request to replay.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    url: String,
    method: &'static str,
    headers: Vec<(String, String)>,
    body: Option<String>,
}

impl Target {
    /// `GET url`.
    pub(crate) fn get(url: &str) -> Self {
        Self {
            url: url.to_owned(),
            method: "GET",
            headers: Vec::new(),
            body: None,
        }
    }

    /// `POST url` with a JSON body.
    pub(crate) fn post_json(url: &str, body: &str) -> Self {
        Self {
            url: url.to_owned(),
            method: "POST",
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: Some(body.to_owned()),
        }
    }

    /// The same request with one more header.
    pub(crate) fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// `METHOD url` for the report; header values are left out, they may
    /// hold keys.
    pub(crate) fn describe(&self) -> String {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        let mut text = format!("{} {}", self.method, self.url);
        if !names.is_empty() {
            text.push_str(&format!(" (headers: {})", names.join(", ")));
        }
        if let Some(body) = &self.body {
            text.push_str(&format!(" body {body}"));
        }
        text
    }

    /// Sends the request once and answers the size of the response body
    /// and how long the whole exchange took; an error status is an error.
    pub(crate) async fn fetch_once(&self) -> anyhow::Result<(u64, Duration)> {
        let http = reqwest::Client::builder()
            .no_proxy()
            .tls_danger_accept_invalid_certs(true)
            .build()?;
        let method = reqwest::Method::from_bytes(self.method.as_bytes())?;
        let mut request = http.request(method, &self.url);
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        if let Some(body) = &self.body {
            request = request.body(body.clone());
        }
        let started = std::time::Instant::now();
        let response = request.send().await?.error_for_status()?;
        let len = response.bytes().await?.len() as u64;
        Ok((len, started.elapsed()))
    }

    /// The Lua script that makes wrk send this request. Values go in long
    /// brackets, which need no escaping.
    fn script(&self) -> String {
        let mut lua = format!("wrk.method = \"{}\"\n", self.method);
        if let Some(body) = &self.body {
            lua.push_str(&format!("wrk.body = [==[{body}]==]\n"));
        }
        for (name, value) in &self.headers {
            lua.push_str(&format!("wrk.headers[\"{name}\"] = [==[{value}]==]\n"));
        }
        lua
    }
}

/// What one wrk run measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Load {
    pub(crate) requests_per_sec: f64,
    pub(crate) p50_ms: f64,
    pub(crate) p99_ms: f64,
    pub(crate) requests: u64,
}

/// The wrk command line used, for the report.
pub(crate) fn command_line(duration: Duration) -> String {
    format!(
        "wrk -t{THREADS} -c{CONNECTIONS} -d{}s --timeout {TIMEOUT} --latency -s <request.lua> <url>",
        duration.as_secs()
    )
}

/// Replays `target` for `duration`.
///
/// # Errors
///
/// When wrk cannot run, or the server answered errors or timed out.
pub(crate) async fn run(
    target: &Target,
    duration: Duration,
    scratch: &Path,
) -> anyhow::Result<Load> {
    let script = scratch.join("request.lua");
    std::fs::write(&script, target.script())?;
    let mut command = Command::new("wrk");
    command
        .arg(format!("-t{THREADS}"))
        .arg(format!("-c{CONNECTIONS}"))
        .arg(format!("-d{}s", duration.as_secs().max(1)))
        .args(["--timeout", TIMEOUT, "--latency", "-s"])
        .arg(&script)
        .arg(&target.url);
    let output = tokio::task::spawn_blocking(move || command.output())
        .await?
        .context("cannot run wrk (apt-get install wrk)")?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        bail!(
            "wrk failed: {text}{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    parse(&text).with_context(|| format!("unexpected wrk report:\n{text}"))
}

fn parse(report: &str) -> anyhow::Result<Load> {
    if let Some(line) = report
        .lines()
        .find(|l| l.contains("Non-2xx or 3xx responses"))
    {
        bail!("the server answered errors: {}", line.trim());
    }
    let socket_errors = report.lines().find(|l| l.contains("Socket errors"));
    if let Some(line) = socket_errors
        && !line.trim_end().ends_with("timeout 0")
    {
        bail!("requests timed out: {}", line.trim());
    }
    let field = |prefix: &str| {
        report
            .lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(str::trim)
            .with_context(|| format!("no {prefix} line"))
    };
    let total: u64 = report
        .lines()
        .find(|l| l.contains(" requests in "))
        .and_then(|l| l.split_whitespace().next())
        .context("no request count")?
        .parse()?;
    if total == 0 {
        bail!(NOTHING_COMPLETED);
    }
    Ok(Load {
        requests_per_sec: field("Requests/sec:")?.parse()?,
        p50_ms: duration_ms(field("50%")?)?,
        p99_ms: duration_ms(field("99%")?)?,
        requests: total,
    })
}

/// wrk's durations: `812.00us`, `1.23ms`, `2.01s`, `1.50m`.
fn duration_ms(text: &str) -> anyhow::Result<f64> {
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .with_context(|| format!("no unit in {text:?}"))?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse()?;
    let factor = match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1000.0,
        "m" => 60_000.0,
        other => bail!("unknown unit {other:?}"),
    };
    Ok(number * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "Running 2s test @ https://127.0.0.1:4000/api/torrents
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.12ms  300.00us   5.00ms   90.00%
    Req/Sec     1.80k   100.00     2.00k    70.00%
  Latency Distribution
     50%  812.00us
     75%    1.20ms
     90%    1.50ms
     99%    2.01s
  7200 requests in 2.00s, 10.00MB read
Requests/sec:   3600.50
Transfer/sec:      5.00MB
";

    #[test]
    fn reads_throughput_and_percentiles() {
        // Proves requests/s, p50 and p99 are read with their units.
        let load = parse(REPORT).unwrap();
        assert_eq!(load.requests_per_sec, 3600.5);
        assert!((load.p50_ms - 0.812).abs() < 1e-9);
        assert!((load.p99_ms - 2010.0).abs() < 1e-9);
        assert_eq!(load.requests, 7200);
    }

    #[test]
    fn refuses_runs_with_errors() {
        // Proves error answers and timeouts make the run fail instead of counting.
        let errors = format!("{REPORT}  Non-2xx or 3xx responses: 3\n");
        assert!(parse(&errors).is_err());
        let timeouts = format!("{REPORT}  Socket errors: connect 0, read 0, write 0, timeout 2\n");
        assert!(parse(&timeouts).is_err());
        let fine = format!("{REPORT}  Socket errors: connect 0, read 1, write 0, timeout 0\n");
        assert!(parse(&fine).is_ok());
    }

    #[test]
    fn slow_servers_get_longer_runs() {
        // Proves a run covers a hundred requests at the warm-up's rate, within the cap.
        let planned = Duration::from_secs(10);
        assert_eq!(duration_for(planned, Some(500.0)), planned);
        assert_eq!(duration_for(planned, Some(2.5)), Duration::from_secs(40));
        assert_eq!(duration_for(planned, Some(0.01)), MAX_RUN);
        assert_eq!(duration_for(planned, None), MAX_RUN);
    }

    #[test]
    fn scripts_set_method_body_and_headers() {
        // Proves the Lua script carries everything the request needs.
        let target =
            Target::post_json("http://127.0.0.1:1/rpc", r#"{"a":1}"#).header("X-Id", "abc");
        let lua = target.script();
        assert!(lua.contains("wrk.method = \"POST\""));
        assert!(lua.contains("wrk.body = [==[{\"a\":1}]==]"));
        assert!(lua.contains("wrk.headers[\"X-Id\"] = [==[abc]==]"));
        assert!(!target.describe().contains("abc"));
    }
}
