//! The benchmark scenarios, one module each.

pub(crate) mod compare;
pub(crate) mod download;
pub(crate) mod hashing;
pub(crate) mod push;
pub(crate) mod scale;
