//! `Reply`'s typed views of its payload, through the parsers of [`crate::payload`].

use alloc::borrow::Cow;
use alloc::vec::Vec;
use bytes::BytesMut;
use core::net::{SocketAddr, SocketAddrV4};

use crate::decoder::{DecoderConfig, ReplyDecoder};
use crate::error::DecodeError;
use crate::payload::{
    self, Facts, Features, PayloadError, ProtectedPayload, RestartMarker, SecurityMechanism,
    SystemType, Timestamp,
};
use crate::reply::Reply;

/// A payload a reply carries by its code alone, whatever command it answers.
///
/// What [`Reply::payload`] finds. Payloads that depend on the command sent (SIZE and
/// MDTM both answer 213, FEAT and STAT both 211, MLST like most commands 250) are
/// explicit calls instead: [`Reply::size`], [`Reply::modification_time`],
/// [`Reply::features`], [`Reply::mlst_facts`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Payload<'a> {
    /// 227: the address of a PASV reply.
    Passive(SocketAddrV4),
    /// 228: the address of an LPSV reply (RFC 1639).
    LongPassive(SocketAddr),
    /// 229: the port of an EPSV reply (RFC 2428).
    ExtendedPassive(u16),
    /// 110: a restart marker.
    RestartMarker(RestartMarker<'a>),
    /// 257: a pathname, unquoted.
    Pathname(Cow<'a, [u8]>),
    /// 631, 632, 633: a protected reply's decoded tokens (RFC 2228).
    Protected(ProtectedPayload),
    /// 125 or 150 with a `(N bytes)` hint: the size of the coming transfer.
    TransferSize(u64),
    /// 120: the minutes until the service is ready.
    ReadyIn(u32),
}

impl Payload<'_> {
    /// A stable kebab-case name, as used in the tool's JSON output.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Payload::Passive(_) => "passive",
            Payload::LongPassive(_) => "long-passive",
            Payload::ExtendedPassive(_) => "extended-passive",
            Payload::RestartMarker(_) => "restart-marker",
            Payload::Pathname(_) => "pathname",
            Payload::Protected(_) => "protected",
            Payload::TransferSize(_) => "transfer-size",
            Payload::ReadyIn(_) => "ready-in",
        }
    }
}

/// Why a protected (63z) reply could not be opened into its inner reply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnprotectError<E> {
    /// The reply is not a well-formed 631/632/633 reply.
    #[error(transparent)]
    Payload(#[from] PayloadError),
    /// The security mechanism refused a token.
    #[error("the security mechanism could not unwrap the reply")]
    Mechanism(E),
    /// The plaintext is not a valid reply; the offset counts from the plaintext's start.
    #[error("inner reply: {0}")]
    Inner(DecodeError),
    /// The plaintext holds more than one reply; `offset` is where the second starts.
    #[error("inner reply: {extra} bytes after the reply, at byte {offset}")]
    TrailingBytes {
        /// Where the extra bytes start in the plaintext.
        offset: usize,
        /// How many there are.
        extra: usize,
    },
}

impl Reply {
    /// The text a single-line payload is read from: the first line's text.
    fn payload_text(&self) -> &[u8] {
        self.first_line()
    }

    /// The payload this reply's code calls for, parsed from its text: `None` when
    /// the code carries none (or, for 125/150, when the optional size hint is absent).
    #[must_use]
    pub fn payload(&self) -> Option<Result<Payload<'_>, PayloadError>> {
        let text = self.payload_text();
        Some(match self.code().as_u16() {
            227 => payload::parse_pasv(text).map(Payload::Passive),
            228 => payload::parse_lpsv(text).map(Payload::LongPassive),
            229 => payload::parse_epsv(text).map(Payload::ExtendedPassive),
            110 => payload::parse_restart_marker(text).map(Payload::RestartMarker),
            257 => payload::parse_pathname(text).map(Payload::Pathname),
            631..=633 => payload::parse_protected(self.raw_lines()).map(Payload::Protected),
            125 | 150 => match payload::parse_transfer_size(text) {
                Ok(Some(n)) => Ok(Payload::TransferSize(n)),
                Ok(None) => return None,
                Err(e) => Err(e),
            },
            120 => match payload::parse_ready_in(text) {
                Ok(Some(n)) => Ok(Payload::ReadyIn(n)),
                Ok(None) => return None,
                Err(e) => Err(e),
            },
            _ => return None,
        })
    }

    /// A 227 reply's address (RFC 959, RFC 1123 §4.1.2.6). Connect to it only
    /// through [`payload::passive_target`], which by default keeps the control
    /// connection's host.
    ///
    /// # Errors
    ///
    /// A [`PayloadError`] if the text holds no valid `h1,h2,h3,h4,p1,p2`.
    pub fn passive_addr(&self) -> Result<SocketAddrV4, PayloadError> {
        payload::parse_pasv(self.payload_text())
    }

    /// A 228 reply's address (RFC 1639).
    ///
    /// # Errors
    ///
    /// A [`PayloadError`] if the text holds no valid long address.
    pub fn long_passive_addr(&self) -> Result<SocketAddr, PayloadError> {
        payload::parse_lpsv(self.payload_text())
    }

    /// A 229 reply's port (RFC 2428).
    ///
    /// # Errors
    ///
    /// A [`PayloadError`] if the text holds no valid `(|||port|)`.
    pub fn extended_passive_port(&self) -> Result<u16, PayloadError> {
        payload::parse_epsv(self.payload_text())
    }

    /// A 110 reply's restart marker.
    ///
    /// # Errors
    ///
    /// A [`PayloadError`] if the text is not `MARK yyyy = mmmm`.
    pub fn restart_marker(&self) -> Result<RestartMarker<'_>, PayloadError> {
        payload::parse_restart_marker(self.payload_text())
    }

    /// A 257 reply's pathname, unquoted (RFC 959 Appendix II).
    ///
    /// # Errors
    ///
    /// A [`PayloadError`] if there is no quoted path, or it holds a control character.
    pub fn pathname(&self) -> Result<Cow<'_, [u8]>, PayloadError> {
        payload::parse_pathname(self.payload_text())
    }

    /// A 213 reply to SIZE (RFC 3659): the size in bytes.
    ///
    /// # Errors
    ///
    /// A [`PayloadError`] if the text is not a decimal size.
    pub fn size(&self) -> Result<u64, PayloadError> {
        payload::parse_size(self.payload_text())
    }

    /// A 213 reply to MDTM (RFC 3659): the modification time, UTC.
    ///
    /// # Errors
    ///
    /// A [`PayloadError`] if the text is not a valid `YYYYMMDDHHMMSS[.sss]`.
    pub fn modification_time(&self) -> Result<Timestamp, PayloadError> {
        payload::parse_mdtm(self.payload_text())
    }

    /// A 211 reply to FEAT (RFC 2389): the features.
    ///
    /// # Errors
    ///
    /// A [`PayloadError`] if the reply is not a feature list.
    pub fn features(&self) -> Result<Features<'_>, PayloadError> {
        payload::parse_feat(self.raw_lines())
    }

    /// A 250 reply to MLST (RFC 3659 §7): the entry on the line that starts
    /// with a space, between the `250-` line and the final `250` line.
    ///
    /// ```
    /// use ftp_reply::{Reply, ReplyCode};
    /// let reply = Reply::new(
    ///     ReplyCode::FILE_ACTION_OK,
    ///     &["Listing tmp", " Type=dir;Modify=19981107085215;Perm=el; /tmp", "End"],
    /// )?;
    /// let entry = reply.mlst_facts().unwrap();
    /// assert_eq!(entry.pathname(), b"/tmp");
    /// assert!(entry.entry_type().unwrap().is_dir());
    /// # Ok::<(), ftp_reply::EncodeError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`PayloadError`] of kind `mlst` if the reply is not a 250 reply with
    /// exactly one well-formed entry line.
    pub fn mlst_facts(&self) -> Result<Facts<'_>, PayloadError> {
        payload::parse_mlst(self.raw_lines())
    }

    /// A 215 reply to SYST: the system type.
    ///
    /// # Errors
    ///
    /// A [`PayloadError`] if the text is empty.
    pub fn system_type(&self) -> Result<SystemType<'_>, PayloadError> {
        payload::parse_system_type(self.payload_text())
    }

    /// A 631/632/633 reply's decoded tokens (RFC 2228).
    ///
    /// # Errors
    ///
    /// A [`PayloadError`] for a malformed line, invalid Base64 or an empty payload.
    pub fn protected(&self) -> Result<ProtectedPayload, PayloadError> {
        payload::parse_protected(self.raw_lines())
    }

    /// Opens a protected reply: unwraps its tokens with `mechanism` and decodes the
    /// plaintext, with this crate's decoder, into the inner reply. The plaintext's
    /// final line ending is optional (RFC 2228 §4). The inner reply is held to the
    /// default [`DecoderConfig`] limits, as an unprotected reply would be; see
    /// [`unprotect_with_config`](Self::unprotect_with_config) for others.
    ///
    /// ```
    /// use ftp_reply::{Reply, ReplyCode, payload::Cleartext};
    /// let wrapped = Reply::new(ReplyCode::INTEGRITY_PROTECTED, &["MjUwLUZpcnN0DQo=", "MjUwIERvbmU="])?;
    /// let inner = wrapped.unprotect(&mut Cleartext).unwrap();
    /// assert_eq!(inner.code(), ReplyCode::FILE_ACTION_OK);
    /// assert_eq!(inner.text(), "First\nDone");
    /// # Ok::<(), ftp_reply::EncodeError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// An [`UnprotectError`] saying which step failed.
    pub fn unprotect<M: SecurityMechanism>(
        &self,
        mechanism: &mut M,
    ) -> Result<Reply, UnprotectError<M::Error>> {
        self.unprotect_with_config(mechanism, DecoderConfig::new())
    }

    /// As [`unprotect`](Self::unprotect), decoding the inner reply with `config`'s
    /// limits and leniency (the plaintext is already in memory and at most 3/4 of
    /// this reply's size, so even [`DecoderConfig::unbounded`] is bounded here).
    ///
    /// # Errors
    ///
    /// An [`UnprotectError`] saying which step failed.
    pub fn unprotect_with_config<M: SecurityMechanism>(
        &self,
        mechanism: &mut M,
        config: DecoderConfig,
    ) -> Result<Reply, UnprotectError<M::Error>> {
        let protected = self.protected()?;
        let plain = protected
            .unwrap_with(mechanism)
            .map_err(UnprotectError::Mechanism)?;
        decode_inner(plain, config)
    }
}

/// Decodes the plaintext of a protected reply into exactly one reply.
fn decode_inner<E>(mut plain: Vec<u8>, config: DecoderConfig) -> Result<Reply, UnprotectError<E>> {
    if !plain.ends_with(b"\n") {
        plain.extend_from_slice(b"\r\n");
    }
    let len = plain.len();
    let mut buf = BytesMut::from(&plain[..]);
    let mut decoder = ReplyDecoder::with_config(config);
    let reply = match decoder.decode_eof(&mut buf) {
        Ok(Some(reply)) => reply,
        Ok(None) => {
            return Err(UnprotectError::Inner(DecodeError::Truncated {
                offset: 0,
                buffered: 0,
            }));
        }
        Err(e) => return Err(UnprotectError::Inner(e)),
    };
    if !buf.is_empty() {
        return Err(UnprotectError::TrailingBytes {
            offset: len - buf.len(),
            extra: buf.len(),
        });
    }
    Ok(reply)
}
