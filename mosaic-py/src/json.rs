//! What a finished call hands to Python: a JSON value as lists, dicts and
//! scalars, or a failure raised as one of the package's exceptions.

use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde::Serialize;
use serde_json::Value;

use crate::errors::Failure;

/// The result of one call: the answer as JSON, or why there is none.
pub(crate) type Outcome = Result<Value, Failure>;

/// Turns a client result into an [`Outcome`], serializing the wire type
/// the client decoded back into the server's JSON shape.
pub(crate) fn outcome<T: Serialize>(result: mosaic_client::Result<T>) -> Outcome {
    let answer = result?;
    serde_json::to_value(answer).map_err(|e| Failure::from(mosaic_client::Error::Decode(e)))
}

/// An [`Outcome`] on its way into Python: converting it raises the failure.
///
/// Converting needs the interpreter, which a Tokio worker must not wait
/// for, so the conversion is left to whoever holds it (pyo3-async-runtimes
/// does it on a blocking thread when completing an awaitable).
pub(crate) struct Reply(pub(crate) Outcome);

impl<'py> IntoPyObject<'py> for Reply {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.0 {
            Ok(value) => to_python(py, &value),
            Err(failure) => Err(failure.into_py_err(py)),
        }
    }
}

/// A JSON value as the matching Python object.
pub(crate) fn to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_bound_py_any(py)?,
        Value::Number(n) => number(py, n)?,
        Value::String(s) => s.into_bound_py_any(py)?,
        Value::Array(items) => {
            let items = items
                .iter()
                .map(|item| to_python(py, item))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, item) in map {
                dict.set_item(key, to_python(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// Integers stay integers (byte counts pass 2^53); everything else is a
/// float.
fn number<'py>(py: Python<'py>, n: &serde_json::Number) -> PyResult<Bound<'py, PyAny>> {
    if let Some(i) = n.as_i64() {
        i.into_bound_py_any(py)
    } else if let Some(u) = n.as_u64() {
        u.into_bound_py_any(py)
    } else {
        n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py)
    }
}
