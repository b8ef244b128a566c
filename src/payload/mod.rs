//! Typed payloads carried in reply text: passive-mode addresses, restart markers,
//! pathnames, protected replies and more.
//!
//! Every parser is a function over bytes. The single-line ones take a reply
//! line's *text*: what follows the three-digit code and its separator, line
//! ending removed (for `227 Entering Passive Mode (127,0,0,1,4,1).` the text
//! is `Entering Passive Mode (127,0,0,1,4,1).`). The multi-line ones,
//! [`parse_feat`], [`parse_mlst`] and [`parse_protected`], take the reply's
//! lines as received, line endings removed and code prefixes kept
//! (`211-Features:`, ` UTF8`, `211 End`). [`parse_facts`] and [`parse_mlsd`]
//! read what MLSD sends on the data connection.
//!
//! | Reply | Parser | Result |
//! |---|---|---|
//! | 227 PASV | [`parse_pasv`] | [`core::net::SocketAddrV4`] |
//! | 228 LPSV | [`parse_lpsv`] | [`core::net::SocketAddr`] |
//! | 229 EPSV | [`parse_epsv`] | port, `u16` |
//! | 110 restart marker | [`parse_restart_marker`] | [`RestartMarker`] |
//! | 257 pathname | [`parse_pathname`] | `Cow<[u8]>` |
//! | 631/632/633 protected | [`parse_protected`] | [`ProtectedPayload`] |
//! | 150/125 `(N bytes)` | [`parse_transfer_size`] | `Option<u64>` |
//! | 120 `in N minutes` | [`parse_ready_in`] | `Option<u32>` |
//! | 213 to SIZE | [`parse_size`] | `u64` |
//! | 213 to MDTM | [`parse_mdtm`] | [`Timestamp`] |
//! | 211 to FEAT | [`parse_feat`] | [`Features`] |
//! | 215 to SYST | [`parse_system_type`] | [`SystemType`] |
//! | 250 to MLST | [`parse_mlst`] | [`Facts`] |
//! | an MLSD line | [`parse_facts`] | [`Facts`] |
//! | an MLSD listing | [`parse_mlsd`] | [`Facts`] per line |
//!
//! SIZE, MDTM and FEAT replies can only be told apart by the command that was
//! sent, so nothing calls these parsers implicitly.
//!
//! A passive-mode address is not where to connect: see [`passive_target`],
//! which by default keeps the control connection's host.
//!
//! # Errors
//!
//! Every parser fails with a [`PayloadError`]: which payload
//! ([`PayloadKind`]), what was wrong ([`Reason`]), and the byte offset (and,
//! for multi-line payloads, the line) where it went wrong. No parser panics
//! or allocates except for what it returns (an unescaped pathname, decoded
//! Base64, the feature list).
//!
//! ```
//! use ftp_reply::payload::{parse_epsv, Reason};
//! let err = parse_epsv(b"Entering Extended Passive Mode (|||0|)").unwrap_err();
//! assert_eq!((err.kind(), err.offset, err.reason), ("epsv", 35, Reason::PortZero));
//! ```

mod error;
mod lex;

pub mod facts;
pub mod feat;
pub mod marker;
pub mod mdtm;
pub mod passive;
pub mod pathname;
pub mod protected;
pub mod status;

pub use error::{PayloadError, PayloadKind, Reason};
pub use facts::{
    EntryType, Fact, Facts, FactsIter, MlsdEntries, Perm, encode_facts, parse_facts, parse_mlsd,
    parse_mlst,
};
pub use feat::{Feature, Features, parse_feat};
pub use marker::{RestartMarker, parse_restart_marker};
pub use mdtm::{Timestamp, parse_mdtm};
pub use passive::{
    PassivePolicy, PassiveTarget, parse_epsv, parse_lpsv, parse_pasv, passive_target,
};
pub use pathname::parse_pathname;
pub use protected::{Cleartext, ProtectedPayload, Protection, SecurityMechanism, parse_protected};
pub use status::{SystemType, parse_ready_in, parse_size, parse_system_type, parse_transfer_size};
