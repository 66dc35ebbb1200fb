//! Awaiting a call from asyncio: the request runs as a task on the
//! module's runtime and completes a future of the caller's event loop.
//!
//! Three parties, three threads: the asyncio loop awaits a plain
//! `asyncio.Future`; a runtime worker runs the request; and a blocking
//! thread of the runtime takes the GIL to hand the answer to the loop with
//! `call_soon_threadsafe`, because taking the GIL can wait on other Python
//! threads and a worker must not. Cancelling the asyncio future aborts the
//! task; a task that panics fails the future instead of leaving it pending.

use std::sync::Mutex;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use tokio::task::{AbortHandle, JoinError};

use crate::call::Pending;
use crate::json::{Outcome, Reply};
use crate::runtime;

/// An awaitable for `future`, made on (and for) the running event loop.
///
/// # Errors
/// `RuntimeError` from asyncio when no event loop is running.
pub(crate) fn awaitable<'py>(py: Python<'py>, future: Pending) -> PyResult<Bound<'py, PyAny>> {
    let event_loop = py.import("asyncio")?.call_method0("get_running_loop")?;
    let py_future = event_loop.call_method0("create_future")?;

    let task = runtime::runtime().spawn(future);
    let abort = AbortOnDone(task.abort_handle());
    py_future.call_method1("add_done_callback", (abort,))?;

    let event_loop = event_loop.unbind();
    let target = py_future.clone().unbind();
    runtime::runtime().spawn(async move {
        let finished = match task.await {
            Ok(outcome) => Finished::Answered(outcome),
            Err(e) if e.is_panic() => Finished::Panicked(panic_message(e)),
            // Aborted: the asyncio future was cancelled and wants nothing.
            Err(_) => return,
        };
        let complete = Complete {
            future: target,
            finished: Mutex::new(Some(finished)),
        };
        tokio::task::spawn_blocking(move || {
            Python::attach(|py| {
                // Fails only when the loop was closed meanwhile: nobody waits.
                let _ = event_loop.call_method1(py, "call_soon_threadsafe", (complete,));
            });
        });
    });
    py_future.call_method0("__await__")
}

enum Finished {
    Answered(Outcome),
    Panicked(String),
}

/// Done-callback of the asyncio future: stops the task when the future is
/// cancelled (after a normal completion the task has already ended).
#[pyclass(frozen)]
struct AbortOnDone(AbortHandle);

#[pymethods]
impl AbortOnDone {
    fn __call__(&self, _future: &Bound<'_, PyAny>) {
        self.0.abort();
    }
}

/// Run by the event loop: sets the future's result or exception, unless it
/// was cancelled in the meantime.
#[pyclass(frozen)]
struct Complete {
    future: Py<PyAny>,
    finished: Mutex<Option<Finished>>,
}

#[pymethods]
impl Complete {
    fn __call__(&self, py: Python<'_>) -> PyResult<()> {
        let future = self.future.bind(py);
        let finished = self.finished.lock().ok().and_then(|mut f| f.take());
        let Some(finished) = finished else {
            return Ok(());
        };
        if future.call_method0("done")?.is_truthy()? {
            return Ok(());
        }
        let result = match finished {
            Finished::Answered(outcome) => Reply(outcome).into_pyobject(py),
            Finished::Panicked(message) => Err(PyRuntimeError::new_err(message)),
        };
        match result {
            Ok(value) => future.call_method1("set_result", (value,))?,
            Err(error) => future.call_method1("set_exception", (error.value(py),))?,
        };
        Ok(())
    }
}

fn panic_message(error: JoinError) -> String {
    let payload = error.into_panic();
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_owned());
    format!("mosaic's native module failed: {text}")
}
