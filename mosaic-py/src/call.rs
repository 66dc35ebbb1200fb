//! [`Call`]: one request in flight, waited for by the synchronous client
//! or awaited by the asyncio one, so that each route is written once.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use crate::bridge;
use crate::json::{Outcome, Reply};
use crate::runtime;

/// A request's future, boxed so that every route has one type.
pub(crate) type Pending = Pin<Box<dyn Future<Output = Outcome> + Send>>;

/// A request that has not run yet. Nothing is sent until it is waited for
/// or awaited, which can happen once.
#[pyclass(frozen, module = "mosaic._mosaic")]
pub(crate) struct Call {
    // A std mutex: it is held only to take the future out, never across a
    // wait.
    future: Mutex<Option<Pending>>,
}

impl Call {
    pub(crate) fn new(future: impl Future<Output = Outcome> + Send + 'static) -> Self {
        Self {
            future: Mutex::new(Some(Box::pin(future))),
        }
    }

    fn take(&self) -> PyResult<Pending> {
        let mut slot = self
            .future
            .lock()
            .map_err(|_| PyRuntimeError::new_err("a call was interrupted while starting"))?;
        slot.take()
            .ok_or_else(|| PyRuntimeError::new_err("this call was already run"))
    }
}

#[pymethods]
impl Call {
    /// Runs the request and blocks until it answers, with the GIL released;
    /// Ctrl-C cancels it.
    pub(crate) fn wait(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let future = self.take()?;
        let outcome = runtime::block_on(py, future)?;
        Ok(Reply(outcome).into_pyobject(py)?.unbind())
    }

    /// Runs the request on the runtime and completes an asyncio future of
    /// the running loop; cancelling that future drops the request.
    fn __await__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        bridge::awaitable(py, self.take()?)
    }
}
