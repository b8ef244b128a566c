//! # ftp-reply
//!
//! Turns the raw bytes an FTP server sends on the control connection into typed,
//! classified replies.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

extern crate alloc;

mod catalog;
mod code;
pub mod payload;

pub use catalog::{CatalogEntry, Lang, WinsockError, entries, winsock};
pub use code::{Class, Group, InvalidReplyCode, ReplyCode};
