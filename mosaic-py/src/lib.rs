//! `mosaic._mosaic`, the private native half of the `mosaic` Python
//! package: mosaic-client driven from Python.
//!
//! The module owns one Tokio runtime for every client in the process
//! ([`runtime`]). Each route is one method of [`Connection`] that returns a
//! [`Call`]: the request, not yet sent, which the synchronous client waits
//! for with the GIL released and the asyncio client awaits. Answers cross
//! into Python as plain lists and dicts (the server's JSON, decoded by the
//! Rust client's wire types first, so a drift fails here rather than in a
//! script); the pure-Python layer turns them into its frozen classes.
//! Errors are raised as the exception classes of `mosaic._errors`
//! ([`errors`]).

mod bridge;
mod call;
mod connection;
mod errors;
mod events;
mod json;
mod runtime;
mod settings;

use pyo3::prelude::*;

/// The native module. Nothing here is public API: `mosaic` wraps it.
#[pymodule]
fn _mosaic(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<connection::Connection>()?;
    module.add_class::<call::Call>()?;
    module.add_class::<events::EventStream>()?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
