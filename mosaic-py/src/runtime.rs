//! The one Tokio runtime of the module, and waiting on it from Python.
//!
//! Every client in the process shares the runtime: its worker threads
//! carry the connections, and asyncio awaitables are completed from it
//! ([`crate::bridge`]). A process forked from one that used the module has
//! the runtime but none of its threads, so each process builds its own.

use std::future::Future;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use tokio::runtime::{Builder, Runtime};

/// How long a blocking wait runs without looking at Python's signals, so
/// that Ctrl-C interrupts a wait within a tenth of a second.
const SIGNAL_CHECK: Duration = Duration::from_millis(100);

/// Worker threads: a client waits on the network, it does not compute.
const WORKERS: usize = 2;

/// The runtime and the process that built it.
static RUNTIME: Mutex<Option<(u32, &'static Runtime)>> = Mutex::new(None);

/// This process's runtime, started on first use.
pub(crate) fn runtime() -> &'static Runtime {
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(PoisonError::into_inner);
    match *slot {
        Some((owner, runtime)) if owner == pid => runtime,
        // None yet, or one inherited through fork(), whose threads stayed
        // in the parent: it is leaked, since dropping it would wait for
        // them.
        _ => {
            let runtime: &'static Runtime = Box::leak(Box::new(build()));
            *slot = Some((pid, runtime));
            runtime
        }
    }
}

fn build() -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .thread_name("mosaic-io")
        .enable_all()
        .build()
        .expect("a Tokio runtime builds when threads can be started")
}

/// Runs `future` to completion on the runtime with the GIL released.
///
/// Python's signal handlers run every [`SIGNAL_CHECK`]: when one raises
/// (`KeyboardInterrupt`), the future is dropped, which cancels the
/// request, and the exception propagates.
///
/// # Errors
/// The exception a signal handler raised, or `RuntimeError` when called
/// from one of the runtime's own threads, where blocking would deadlock.
pub(crate) fn block_on<F>(py: Python<'_>, future: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(PyRuntimeError::new_err(
            "the synchronous mosaic.Client cannot wait inside the client's own threads",
        ));
    }
    let mut future = std::pin::pin!(future);
    loop {
        // The timer is made inside the runtime, which it needs.
        let slice = py.detach(|| {
            let slice = async { tokio::time::timeout(SIGNAL_CHECK, future.as_mut()).await };
            runtime().block_on(slice)
        });
        match slice {
            Ok(output) => return Ok(output),
            Err(_still_running) => py.check_signals()?,
        }
    }
}
