//! Independent BitTorrent clients from the OS packages, run as real peers
//! on loopback: what Mosaic downloads from and seeds to in the tests.
//!
//! Every client is bound to 127.0.0.1 with DHT, local peer discovery and
//! peer exchange off, so it only meets the peers a test hands it (through
//! the test's tracker or a direct address).

mod aria2;
mod transmission;

pub use aria2::{Aria2Leecher, Aria2Seeder};
pub use transmission::{TransmissionSeeder, settings as transmission_settings};
