//! The one error type of the payload parsers, and the private glue that turns
//! a nom failure into it.

use core::fmt;

/// Which payload a [`PayloadError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PayloadKind {
    /// 227 PASV address (RFC 959, RFC 1123 §4.1.2.6).
    Pasv,
    /// 228 LPSV address (RFC 1639).
    Lpsv,
    /// 229 EPSV port (RFC 2428).
    Epsv,
    /// 110 restart marker (RFC 959).
    RestartMarker,
    /// 257 pathname (RFC 959 Appendix II).
    Pathname,
    /// 631/632/633 protected reply (RFC 2228).
    Protected,
    /// 150/125 `(N bytes)` transfer-size hint.
    TransferSize,
    /// 120 `in N minutes`.
    ReadyIn,
    /// 213 reply to SIZE (RFC 3659).
    Size,
    /// 213 reply to MDTM (RFC 3659).
    Mdtm,
    /// 211 reply to FEAT (RFC 2389).
    Feat,
    /// 215 reply to SYST (RFC 959).
    SystemType,
    /// One MLST or MLSD entry: facts and pathname (RFC 3659 §7).
    Facts,
    /// The lines of an MLSD listing (RFC 3659 §7).
    Mlsd,
    /// 250 reply to MLST (RFC 3659 §7).
    Mlst,
}

impl PayloadKind {
    /// A stable kebab-case name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            PayloadKind::Pasv => "pasv",
            PayloadKind::Lpsv => "lpsv",
            PayloadKind::Epsv => "epsv",
            PayloadKind::RestartMarker => "restart-marker",
            PayloadKind::Pathname => "pathname",
            PayloadKind::Protected => "protected",
            PayloadKind::TransferSize => "transfer-size",
            PayloadKind::ReadyIn => "ready-in",
            PayloadKind::Size => "size",
            PayloadKind::Mdtm => "mdtm",
            PayloadKind::Feat => "feat",
            PayloadKind::SystemType => "system-type",
            PayloadKind::Facts => "facts",
            PayloadKind::Mlsd => "mlsd",
            PayloadKind::Mlst => "mlst",
        }
    }

    /// Whether the payload spans several lines (FEAT, MLST and protected
    /// replies, MLSD listings).
    #[must_use]
    pub const fn is_multiline(self) -> bool {
        matches!(
            self,
            PayloadKind::Protected | PayloadKind::Feat | PayloadKind::Mlsd | PayloadKind::Mlst
        )
    }
}

impl fmt::Display for PayloadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What was wrong with a payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Reason {
    /// Something other than the named element was found.
    #[error("expected {0}")]
    Expected(&'static str),
    /// Something other than this byte was found.
    #[error("expected {}", Byte(*.0))]
    ExpectedByte(u8),
    /// A number is written with more digits than the payload allows.
    #[error("number has more than {max} digits")]
    TooManyDigits {
        /// The most digits allowed.
        max: u8,
    },
    /// A number or date field is outside its range.
    #[error("{what} is not in {min}..={max}")]
    OutOfRange {
        /// The field.
        what: &'static str,
        /// The smallest allowed value.
        min: u64,
        /// The largest allowed value.
        max: u64,
    },
    /// A `+` or `-` in front of a number: every number is an unsigned decimal.
    #[error("sign before a number (numbers are unsigned decimals)")]
    Sign,
    /// The port is 0, which no one can connect to.
    #[error("port 0")]
    PortZero,
    /// Fewer comma-separated numbers than the address needs.
    #[error("found {found} numbers, expected {expected}")]
    TooFewNumbers {
        /// How many the address needs.
        expected: u8,
        /// How many there were.
        found: u8,
    },
    /// More comma-separated numbers than the address needs.
    #[error("more than {expected} numbers")]
    TooManyNumbers {
        /// How many the address needs.
        expected: u8,
    },
    /// An LPSV address family other than 4 (IPv4) and 6 (IPv6).
    #[error("address family {0} (only 4 and 6 are supported)")]
    UnsupportedFamily(u8),
    /// An LPSV length field that does not match the family (host) or is not 2 (port).
    #[error("{what} is {found}, expected {expected}")]
    LengthMismatch {
        /// The length field.
        what: &'static str,
        /// The length the family requires.
        expected: u8,
        /// The length sent.
        found: u8,
    },
    /// A `(` without its `)`, a `)` without its `(`, or the two reversed.
    #[error("parentheses do not match")]
    UnbalancedParenthesis,
    /// An EPSV delimiter that is not printable ASCII (33–126), or is a digit.
    #[error("delimiter {} is not printable ASCII other than a digit", Byte(*.0))]
    InvalidDelimiter(u8),
    /// An EPSV delimiter that differs from the first one, or is missing.
    #[error("expected the delimiter {} again, found {}", Byte(*.expected), MaybeByte(*.found))]
    DelimiterMismatch {
        /// The first delimiter.
        expected: u8,
        /// What was there instead (`None`: the text ended).
        found: Option<u8>,
    },
    /// An EPSV network-protocol or network-address field that is not empty.
    #[error("the network protocol and address fields must be empty")]
    NetFieldNotEmpty,
    /// The text or the lines ended before the payload did.
    #[error("unterminated {0}")]
    Unterminated(&'static str),
    /// A control character (0x00–0x1F, 0x7F) in a pathname.
    #[error("control character {} in the pathname", Byte(*.0))]
    ControlCharacter(u8),
    /// A part that must not be empty is.
    #[error("empty {0}")]
    Empty(&'static str),
    /// A continuation line carries a different reply code than the first line.
    #[error("reply code differs from the first line's {0}")]
    CodeMismatch(u16),
    /// Invalid Base64.
    #[error("invalid Base64: {0}")]
    Base64(&'static str),
    /// Another line follows the final line of a multi-line reply.
    #[error("a line follows the final line")]
    AfterFinalLine,
    /// Something that may appear once appears again.
    #[error("{0} given twice")]
    Duplicate(&'static str),
    /// A byte that may not appear in this part.
    #[error("{} is not allowed in {what}", Byte(*.byte))]
    Forbidden {
        /// The byte.
        byte: u8,
        /// The part: "a fact name", "a pathname".
        what: &'static str,
    },
}

/// A payload that could not be parsed: which payload, what was wrong, and where.
///
/// `offset` is the byte offset within the text the parser was given (for the
/// multi-line parsers, within line `line`, code prefix included) at which the
/// parser found what was wrong.
///
/// ```
/// use ftp_reply::payload::{parse_pasv, PayloadKind, Reason};
/// let err = parse_pasv(b"Entering Passive Mode (256,0,0,1,4,1)").unwrap_err();
/// assert_eq!(err.payload, PayloadKind::Pasv);
/// assert_eq!(err.offset, 23);
/// assert!(matches!(err.reason, Reason::OutOfRange { .. }));
/// assert_eq!(err.to_string(), "pasv payload: number is not in 0..=255 at byte 23");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub struct PayloadError {
    /// Which payload.
    pub payload: PayloadKind,
    /// What was wrong.
    pub reason: Reason,
    /// The index of the line, counting from 0 (always 0 for single-line payloads).
    pub line: usize,
    /// The byte offset within that line's text.
    pub offset: usize,
}

impl PayloadError {
    /// The payload's short name, such as `"pasv"` or `"pathname"`.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        self.payload.name()
    }

    pub(crate) const fn new(
        payload: PayloadKind,
        reason: Reason,
        line: usize,
        offset: usize,
    ) -> Self {
        PayloadError {
            payload,
            reason,
            line,
            offset,
        }
    }
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} payload: {} at byte {}",
            self.payload, self.reason, self.offset
        )?;
        if self.payload.is_multiline() {
            // People count lines from 1.
            write!(f, " of line {}", self.line.saturating_add(1))?;
        }
        Ok(())
    }
}

/// Shows a byte in an error message: `'x'` when printable ASCII, `0xNN` otherwise.
struct Byte(u8);

impl fmt::Display for Byte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_ascii_graphic() || self.0 == b' ' {
            write!(f, "'{}'", char::from(self.0))
        } else {
            write!(f, "0x{:02X}", self.0)
        }
    }
}

/// A byte, or the end of the text.
struct MaybeByte(Option<u8>);

impl fmt::Display for MaybeByte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(b) => Byte(b).fmt(f),
            None => f.write_str("the end of the text"),
        }
    }
}

/// The nom error of the payload grammars: the input left where the rule failed,
/// and why. Never leaves the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fail<'a> {
    pub(crate) rest: &'a [u8],
    pub(crate) reason: Reason,
}

impl<'a> nom::error::ParseError<&'a [u8]> for Fail<'a> {
    fn from_error_kind(input: &'a [u8], kind: nom::error::ErrorKind) -> Self {
        use nom::error::ErrorKind;
        let what = match kind {
            ErrorKind::Digit => "a digit",
            ErrorKind::Tag => "a keyword",
            ErrorKind::Eof => "the end of the text",
            ErrorKind::Space => "a space",
            _ => "something else",
        };
        Fail {
            rest: input,
            reason: Reason::Expected(what),
        }
    }

    fn append(_: &'a [u8], _: nom::error::ErrorKind, other: Self) -> Self {
        other
    }

    fn from_char(input: &'a [u8], c: char) -> Self {
        Fail {
            rest: input,
            // Every grammar here only asks for ASCII characters.
            reason: Reason::ExpectedByte(u8::try_from(c).unwrap_or(b'?')),
        }
    }
}

/// The result of a payload grammar rule.
pub(crate) type PResult<'a, T> = nom::IResult<&'a [u8], T, Fail<'a>>;

/// Fails a rule at `rest` for `reason`.
pub(crate) fn fail<T>(rest: &[u8], reason: Reason) -> PResult<'_, T> {
    Err(nom::Err::Error(Fail { rest, reason }))
}

/// Replaces the reason of a failed rule, keeping where it failed.
pub(crate) fn expecting<'a, T>(what: &'static str, result: PResult<'a, T>) -> PResult<'a, T> {
    result.map_err(|e| {
        e.map(|f| Fail {
            rest: f.rest,
            reason: Reason::Expected(what),
        })
    })
}

/// Converts the outcome of a grammar over `text` into the public error: the
/// offset is how much of `text` was consumed when the rule failed.
pub(crate) fn finish<'a, T>(
    payload: PayloadKind,
    line: usize,
    text: &'a [u8],
    result: PResult<'a, T>,
) -> Result<T, PayloadError> {
    match result {
        Ok((_, value)) => Ok(value),
        Err(nom::Err::Error(f) | nom::Err::Failure(f)) => Err(PayloadError::new(
            payload,
            f.reason,
            line,
            text.len().saturating_sub(f.rest.len()),
        )),
        // The grammars only use `complete` parsers, which never ask for more.
        Err(nom::Err::Incomplete(_)) => Err(PayloadError::new(
            payload,
            Reason::Unterminated("text"),
            line,
            text.len(),
        )),
    }
}
