//! Protected replies: 631, 632 and 633 (RFC 2228 §4).
//!
//! RFC 2228: "The 63z reply may be a multiline reply. In this case, the
//! plaintext reply must be broken up into a number of fragments. Each
//! fragment must be protected, then base 64 encoded in order into a separate
//! line of the multiline reply. There need not be any correspondence between
//! the line breaks in the plaintext reply and the encoded reply."
//!
//! So each line carries one complete Base64 encoding of one protected token.
//! [`parse_protected`] decodes the lines one by one and keeps the token
//! boundaries; [`ProtectedPayload::unwrap_with`] hands each token to the
//! security mechanism in order and concatenates the plaintexts, which form
//! the inner reply (whose own line breaks can fall anywhere).

use alloc::vec::Vec;
use core::convert::Infallible;
use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use nom::bytes::complete::take;

use super::error::{PResult, PayloadError, PayloadKind, Reason, fail, finish};
use super::lex::skip;
use crate::ReplyCode;

/// The protection a 63z reply carries (RFC 2228 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protection {
    /// 631: integrity protected (the `MIC` level).
    Integrity,
    /// 632: confidentiality and integrity protected (the `ENC` level).
    ConfidentialityAndIntegrity,
    /// 633: confidentiality protected (the `CONF` level).
    Confidentiality,
}

impl Protection {
    /// The protection of a 631, 632 or 633 reply; `None` for any other code.
    #[must_use]
    pub const fn from_code(code: ReplyCode) -> Option<Protection> {
        match code.as_u16() {
            631 => Some(Protection::Integrity),
            632 => Some(Protection::ConfidentialityAndIntegrity),
            633 => Some(Protection::Confidentiality),
            _ => None,
        }
    }

    /// The reply code: 631, 632 or 633.
    #[must_use]
    pub const fn code(self) -> ReplyCode {
        match self {
            Protection::Integrity => ReplyCode::INTEGRITY_PROTECTED,
            Protection::ConfidentialityAndIntegrity => {
                ReplyCode::CONFIDENTIALITY_AND_INTEGRITY_PROTECTED
            }
            Protection::Confidentiality => ReplyCode::CONFIDENTIALITY_PROTECTED,
        }
    }

    /// A stable kebab-case name: `integrity`, `confidentiality-and-integrity`
    /// or `confidentiality`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Protection::Integrity => "integrity",
            Protection::ConfidentialityAndIntegrity => "confidentiality-and-integrity",
            Protection::Confidentiality => "confidentiality",
        }
    }
}

impl fmt::Display for Protection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The security mechanism negotiated with `AUTH`/`ADAT`, seen from the reply
/// side: it turns one protected token back into plaintext, checking its
/// integrity and decrypting as `protection` says.
pub trait SecurityMechanism {
    /// Why a token could not be unwrapped.
    type Error;

    /// Unwraps one token (one line's decoded Base64) into its plaintext.
    ///
    /// # Errors
    ///
    /// Whatever the mechanism reports: a failed integrity check, a token it
    /// cannot decrypt, a protection level it did not negotiate.
    fn unwrap(&mut self, protection: Protection, token: &[u8]) -> Result<Vec<u8>, Self::Error>;
}

/// The identity mechanism: each token is its own plaintext. For tests, and
/// for looking inside replies whose tokens are not actually protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Cleartext;

impl SecurityMechanism for Cleartext {
    type Error = Infallible;

    fn unwrap(&mut self, _: Protection, token: &[u8]) -> Result<Vec<u8>, Infallible> {
        Ok(token.to_vec())
    }
}

/// A decoded 63z reply: its protection and its tokens, still protected.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProtectedPayload {
    /// The protection, from the reply code.
    pub protection: Protection,
    /// The decoded Base64 of every line, concatenated in order.
    pub data: Vec<u8>,
    /// Where in `data` each line's token ends.
    token_ends: Vec<usize>,
}

impl ProtectedPayload {
    /// The tokens, one per reply line, in order.
    pub fn tokens(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let starts = core::iter::once(0).chain(self.token_ends.iter().copied());
        starts
            .zip(self.token_ends.iter().copied())
            // `data` is public: if it was shortened, stop rather than panic.
            .map_while(|(start, end)| self.data.get(start..end))
    }

    /// Unwraps every token with `mechanism`, in order, and concatenates the
    /// plaintexts: the inner reply, line endings included.
    ///
    /// ```
    /// use ftp_reply::payload::{parse_protected, Cleartext};
    /// let lines: [&[u8]; 2] = [b"631-MjUwLUZpcnN0DQo=", b"631 MjUwIERvbmUNCg=="];
    /// let payload = parse_protected(lines).unwrap();
    /// assert_eq!(payload.unwrap_with(&mut Cleartext).unwrap(), b"250-First\r\n250 Done\r\n");
    /// ```
    ///
    /// # Errors
    ///
    /// The mechanism's error for the first token it could not unwrap.
    pub fn unwrap_with<M: SecurityMechanism>(
        &self,
        mechanism: &mut M,
    ) -> Result<Vec<u8>, M::Error> {
        let mut plaintext = Vec::new();
        for token in self.tokens() {
            plaintext.extend_from_slice(&mechanism.unwrap(self.protection, token)?);
        }
        Ok(plaintext)
    }
}

/// Parses the lines of a 631, 632 or 633 reply (as received, line endings
/// removed, code prefix kept) into its protection and tokens.
///
/// Every line but the last is the code and `-`, the last is the code and a
/// space; every line has the same code (RFC 2228 §4: "each line before the
/// last must be formed by the reply code, followed immediately by a hyphen,
/// followed by a base 64 encoded fragment of the reply"). Each line's
/// fragment is standard-alphabet Base64 with its padding (RFC 2228 refers to
/// RFC 1421's encoding), complete in itself; no whitespace, missing padding
/// or non-zero unused bits are accepted, and no fragment may be empty.
///
/// ```
/// use ftp_reply::payload::{parse_protected, Protection};
/// let payload = parse_protected([&b"632 MjAwIE9LDQo="[..]]).unwrap();
/// assert_eq!(payload.protection, Protection::ConfidentialityAndIntegrity);
/// assert_eq!(payload.data, b"200 OK\r\n");
/// ```
///
/// # Errors
///
/// A [`PayloadError`] of kind `protected` giving the line and offset of the
/// first problem: a prefix other than the first line's code and `-` or a
/// space, invalid Base64, an empty fragment, a line after the last, or no
/// last line.
pub fn parse_protected<I>(lines: I) -> Result<ProtectedPayload, PayloadError>
where
    I: IntoIterator,
    I::Item: AsRef<[u8]>,
{
    let mut protection = None;
    let mut data = Vec::new();
    let mut token_ends = Vec::new();
    let mut finished = false;
    let mut count = 0;
    for (index, line) in lines.into_iter().enumerate() {
        let line = line.as_ref();
        count = index.saturating_add(1);
        if finished {
            return Err(PayloadError::new(
                PayloadKind::Protected,
                Reason::AfterFinalLine,
                index,
                0,
            ));
        }
        let (this, last, fragment) = finish(
            PayloadKind::Protected,
            index,
            line,
            protected_line(line, protection),
        )?;
        let fragment_at = line.len().saturating_sub(fragment.len());
        if let Err(e) = STANDARD.decode_vec(fragment, &mut data) {
            let (at, what) = base64_problem(fragment, e);
            return Err(PayloadError::new(
                PayloadKind::Protected,
                Reason::Base64(what),
                index,
                fragment_at.saturating_add(at),
            ));
        }
        token_ends.push(data.len());
        protection = Some(this);
        finished = last;
    }
    match protection {
        Some(protection) if finished => Ok(ProtectedPayload {
            protection,
            data,
            token_ends,
        }),
        Some(_) => Err(PayloadError::new(
            PayloadKind::Protected,
            Reason::Unterminated("protected reply (no line with a space after the code)"),
            count,
            0,
        )),
        None => Err(PayloadError::new(
            PayloadKind::Protected,
            Reason::Expected("a 631, 632 or 633 line"),
            0,
            0,
        )),
    }
}

/// `protected-line = ("631" / "632" / "633") ("-" / SP) base64-fragment`,
/// the code the same on every line of the reply.
///
/// RFC 2228 §4: "each line before the last must be formed by the reply code,
/// followed immediately by a hyphen, followed by a base 64 encoded fragment
/// of the reply." Returns the protection, whether this is the last line (a
/// space after the code), and the fragment.
fn protected_line(
    input: &[u8],
    first: Option<Protection>,
) -> PResult<'_, (Protection, bool, &[u8])> {
    let (rest, protection) = protected_code(input, first)?;
    let (fragment, last) = match rest.first() {
        Some(b'-') => (skip(rest, 1), false),
        Some(b' ') => (skip(rest, 1), true),
        _ => return fail(rest, Reason::Expected("'-' or ' ' after the reply code")),
    };
    if fragment.is_empty() {
        return fail(fragment, Reason::Empty("Base64 fragment"));
    }
    Ok((&[][..], (protection, last, fragment)))
}

/// `protected-code = "631" / "632" / "633"`, equal to the first line's code.
fn protected_code(input: &[u8], first: Option<Protection>) -> PResult<'_, Protection> {
    let code: PResult<'_, &[u8]> = take(3usize)(input);
    let protection = match code {
        Ok((_, digits)) => match <[u8; 3]>::try_from(digits) {
            Ok(d) => ReplyCode::from_digits(d).and_then(Protection::from_code),
            Err(_) => None,
        },
        Err(_) => None,
    };
    match (protection, first) {
        (None, _) => fail(input, Reason::Expected("reply code 631, 632 or 633")),
        (Some(this), Some(first)) if this != first => {
            fail(input, Reason::CodeMismatch(first.code().as_u16()))
        }
        (Some(this), _) => Ok((skip(input, 3), this)),
    }
}

/// Where in a fragment Base64 decoding failed, and why.
fn base64_problem(fragment: &[u8], error: base64::DecodeError) -> (usize, &'static str) {
    use base64::DecodeError;
    match error {
        DecodeError::InvalidByte(at, b'=') => (at, "padding before the end"),
        DecodeError::InvalidByte(at, _) => (at, "byte outside the standard alphabet"),
        DecodeError::InvalidLength(_) => (fragment.len(), "a lone symbol in the last quad"),
        DecodeError::InvalidLastSymbol(at, _) => (at, "last symbol has non-zero unused bits"),
        DecodeError::InvalidPadding => (
            fragment
                .iter()
                .position(|&b| b == b'=')
                .unwrap_or(fragment.len()),
            "missing or wrong padding",
        ),
    }
}
