//! Shared by the integration tests that talk to real servers or replay their
//! captures. Each test crate uses only part of it.
#![allow(dead_code)]

pub mod chunks;
pub mod deviations;
pub mod json;
pub mod servers;
