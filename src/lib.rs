//! # ftp-reply
//!
//! Turns the raw bytes an FTP server sends on the control connection into typed,
//! classified replies: a streaming decoder ([`ReplyDecoder`]) that takes whatever
//! the socket gave and returns complete [`Reply`] values, the classification of
//! every [`ReplyCode`] by digit ([`Class`], [`Group`]) with the reference
//! documents' meanings in English, Russian and Chinese, and typed payloads
//! ([`payload`]): passive-mode addresses, restart markers, pathnames and RFC 2228
//! protected replies.
//!
//! ```
//! use bytes::BytesMut;
//! use ftp_reply::{Class, ReplyDecoder};
//!
//! let mut decoder = ReplyDecoder::new();
//! let mut buf = BytesMut::new();
//! // The socket gave half a reply...
//! buf.extend_from_slice(b"227 Entering Passive Mode (127,0,0");
//! assert!(decoder.decode(&mut buf)?.is_none());
//! // ...then the rest.
//! buf.extend_from_slice(b",1,4,1).\r\n");
//! let reply = decoder.decode(&mut buf)?.expect("a complete reply");
//! assert_eq!(reply.code().as_u16(), 227);
//! assert_eq!(reply.code().class(), Class::PositiveCompletion);
//! assert_eq!(reply.text(), "Entering Passive Mode (127,0,0,1,4,1).");
//! # Ok::<(), ftp_reply::DecodeError>(())
//! ```
//!
//! ## Streaming
//! [`ReplyDecoder::decode`] has the shape of `tokio_util::codec::Decoder` (which it
//! implements with the `tokio` feature): it consumes one reply from the front of a
//! [`bytes::BytesMut`] or returns `Ok(None)` when more bytes are needed. It keeps its
//! scan position between calls, so feeding a reply a byte at a time costs time
//! linear in its size.
//!
//! ## Untrusted input and limits
//! Every input gives replies or a typed [`DecodeError`] naming the problem and its
//! byte offset in the stream; nothing panics. [`DecoderConfig`] bounds the longest
//! line, the largest reply and the most lines per reply, and a limit is reported
//! as soon as it is crossed; the decoder then discards the offending line or reply
//! as it arrives and resumes.
//!
//! ## Leniency
//! A bare LF ends a line unless [`DecoderConfig::strict_line_endings`] is set.
//! Telnet sequences (`IAC …`) are interpreted unless [`DecoderConfig::telnet`] is off.
//!
//! ## Classification
//! [`ReplyCode::class`], [`ReplyCode::group`] and [`ReplyCode::detail`] read the three
//! digits; [`ReplyCode::meaning`] gives the reference documents' wording in English,
//! Russian or Chinese ([`Lang`]), [`ReplyCode::advice`] their troubleshooting notes.
//! [`Exchange`] judges each reply against the replies RFC 959 §5.4 (and the later RFCs)
//! list for the [`Command`] it answers.
//!
//! ## The session
//! [`session::Session`] is the control connection of a client without the I/O:
//! commands go in as [`CommandLine`]s (which refuse CR, LF and NUL in arguments),
//! the server's bytes go in as they were read, and [`session::Session::next`] gives
//! each reply with the handle of the command it answers, bytes to write, or a
//! request for more input. The [`session`] module documents the pairing rules
//! (pipelining, `1yz`, `ABOR`, `421`, stream errors) and has a complete example.
//!
//! ## Payloads
//! [`Reply::payload`] parses what a reply's code calls for (227/228/229 addresses,
//! 110 markers, 257 paths, 631–633 protected replies, …); connect to a passive
//! address only through [`payload::passive_target`], which keeps the control
//! connection's host by default.
//!
//! ## Features
//! - `std` (default): `std::error::Error` through the dependencies; without it the
//!   crate is `no_std` + `alloc`.
//! - `tokio`: `tokio_util::codec::{Decoder, Encoder}` for [`ReplyDecoder`].
//! - `cli`: the `ftp-reply` command-line tool.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

extern crate alloc;

mod accessors;
#[cfg(feature = "pcap")]
pub mod capture;
mod catalog;
mod code;
#[cfg(feature = "tokio")]
mod codec;
mod command;
mod decoder;
mod encode;
mod error;
mod exchange;
pub mod flow;
mod parse;
pub mod payload;
mod reply;
pub mod session;
mod telnet;

pub use accessors::{Payload, UnprotectError};
pub use catalog::{CatalogEntry, Lang, WinsockError, entries, winsock};
pub use code::{Class, Group, InvalidReplyCode, ReplyCode};
#[cfg(feature = "tokio")]
pub use codec::CodecError;
pub use command::{
    ArgumentRule, Command, CommandError, Expected, MAX_VERB_LEN, ParsedCommand, Verb,
};
pub use decoder::{DecoderConfig, Replies, ReplyDecoder};
pub use encode::{CommandLine, CommandLineError, MAX_COMMAND_LINE_LEN, encode_reply};
pub use error::{DecodeError, EncodeError};
pub use exchange::{ClassOutcome, Exchange, ExchangeState, Outcome, UnexpectedReason};
pub use reply::{Lines, RawLines, Reply, ReplyRef};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
