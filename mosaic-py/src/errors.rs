//! Failures raised into Python as the exception classes of
//! `mosaic._errors`, sorted by what the Rust client's error says happened.
//!
//! The classes are defined in Python (they inherit from builtins such as
//! `PermissionError`, which a native class cannot combine with a base of
//! its own) and looked up when an error is raised.

use std::error::Error as _;

use mosaic_client::Error;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};

/// The Python module that defines the exception classes.
const ERRORS_MODULE: &str = "mosaic._errors";

/// Why a call has no answer.
pub(crate) enum Failure {
    /// The client failed: the server refused, or it could not be reached.
    Client(Error),
    /// A failure found here, raised as the named class of `mosaic._errors`.
    Local {
        class: &'static str,
        description: String,
    },
    /// A local file could not be read; raised as the matching `OSError`.
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        match error {
            Error::Read { path, source } => Self::Io { path, source },
            other => Self::Client(other),
        }
    }
}

impl Failure {
    /// The exception to raise. Failing to build it (the Python half of the
    /// package is missing) raises that failure instead.
    pub(crate) fn into_py_err(self, py: Python<'_>) -> PyErr {
        let built = match self {
            Self::Client(error) => client_error(py, &error),
            Self::Local { class, description } => exception(py, class, &description, None),
            Self::Io { path, source } => io_error(py, &path, &source),
        };
        built.unwrap_or_else(|failed_to_build| failed_to_build)
    }
}

/// Raises `description` as the class named `class` of `mosaic._errors`.
pub(crate) fn raise(py: Python<'_>, class: &'static str, description: &str) -> PyErr {
    exception(py, class, description, None).unwrap_or_else(|failed_to_build| failed_to_build)
}

/// The class of `mosaic._errors` for a client error.
fn class_of(error: &Error) -> &'static str {
    match error.status() {
        Some(400 | 413 | 422) => "BadRequestError",
        Some(401) => "AuthError",
        Some(403) => "ForbiddenError",
        Some(404) => "NotFoundError",
        Some(409) => "ConflictError",
        Some(429) => "RateLimitedError",
        Some(500..) => "ServerError",
        Some(_) => "MosaicError",
        None if error.is_tls() => "TlsError",
        None if error.is_connect() => "ConnectionError",
        None if error.is_timeout() => "TimeoutError",
        None => match error {
            Error::Config(_) => "ConfigError",
            // The connection broke after it was made.
            Error::Http(_) | Error::WebSocket(_) => "ConnectionError",
            _ => "MosaicError",
        },
    }
}

fn client_error(py: Python<'_>, error: &Error) -> PyResult<PyErr> {
    let class = class_of(error);
    let kwargs = PyDict::new(py);
    kwargs.set_item("status", error.status())?;
    kwargs.set_item("message", error.message())?;
    if class == "RateLimitedError" {
        let retry_after = error.retry_after().map(|d| d.as_secs_f64());
        kwargs.set_item("retry_after", retry_after)?;
    }
    exception(py, class, &describe(error), Some(&kwargs))
}

fn exception(
    py: Python<'_>,
    class: &'static str,
    description: &str,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyErr> {
    let class = errors_module(py)?.getattr(class)?;
    let instance = class.call((description,), kwargs)?;
    Ok(PyErr::from_value(instance))
}

/// `OSError(errno, strerror, filename)`, which Python turns into the
/// fitting subclass (`FileNotFoundError`, `PermissionError`, …).
fn io_error(py: Python<'_>, path: &std::path::Path, source: &std::io::Error) -> PyResult<PyErr> {
    let os_error = py.import("builtins")?.getattr("OSError")?;
    let filename = path.to_string_lossy();
    let instance = match source.raw_os_error() {
        Some(errno) => {
            let strerror = py.import("os")?.call_method1("strerror", (errno,))?;
            os_error.call1((errno, strerror, filename))?
        }
        None => os_error.call1((format!("cannot read {filename}: {source}"),))?,
    };
    Ok(PyErr::from_value(instance))
}

fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    MODULE
        .get_or_try_init(py, || py.import(ERRORS_MODULE).map(Bound::unbind))
        .map(|module| module.bind(py))
}

/// The error and its causes, `: `-separated, leaving out causes whose text
/// an earlier one already holds. The client keeps secrets out of all of
/// them.
fn describe(error: &Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(current) = cause {
        let part = current.to_string();
        if !part.is_empty() && !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        cause = current.source();
    }
    text
}
