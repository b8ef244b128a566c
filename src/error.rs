//! The decoder's and encoder's errors.

/// What was wrong with the bytes a server sent, and where.
///
/// Every variant carries `offset`: the position, counted in bytes from the start of
/// the stream given to this decoder, of the byte the problem is about (see each
/// variant). What the decoder does after each error is documented on
/// [`ReplyDecoder`](crate::ReplyDecoder#errors-and-recovery).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// A line that should start a reply does not begin with a three-digit reply code
    /// (first digit `1`–`6`) followed by a space, a hyphen or the line end.
    /// `offset` is the first byte that does not fit.
    #[error("byte {offset}: not the start of a reply: {reason}{}", found_text(*found))]
    InvalidReplyLine {
        /// Stream offset of the offending byte (of the line end, if the line was too short).
        offset: u64,
        /// What was expected there.
        reason: &'static str,
        /// The offending byte, or `None` if the line ended there.
        found: Option<u8>,
    },
    /// A line grew longer than [`DecoderConfig::max_line_len`](crate::DecoderConfig::max_line_len)
    /// bytes (line ending included). `offset` is the line's first byte.
    #[error("byte {offset}: line longer than {limit} bytes")]
    LineTooLong {
        /// Stream offset of the line's first byte.
        offset: u64,
        /// The limit that was crossed.
        limit: usize,
    },
    /// A reply grew larger than [`DecoderConfig::max_reply_len`](crate::DecoderConfig::max_reply_len)
    /// bytes. `offset` is the reply's first byte.
    #[error("byte {offset}: reply larger than {limit} bytes")]
    ReplyTooLarge {
        /// Stream offset of the reply's first byte.
        offset: u64,
        /// The limit that was crossed.
        limit: usize,
    },
    /// A multi-line reply needs more than [`DecoderConfig::max_lines`](crate::DecoderConfig::max_lines)
    /// lines. `offset` is the reply's first byte.
    #[error("byte {offset}: reply has more than {limit} lines")]
    TooManyLines {
        /// Stream offset of the reply's first byte.
        offset: u64,
        /// The limit that was crossed.
        limit: usize,
    },
    /// With [`DecoderConfig::strict_line_endings`](crate::DecoderConfig::strict_line_endings),
    /// a line ended with LF alone instead of CRLF. `offset` is the LF.
    #[error("byte {offset}: line ends with a bare LF, not CRLF")]
    BareLineFeed {
        /// Stream offset of the LF.
        offset: u64,
    },
    /// The stream ended inside a reply. `offset` is the reply's first byte.
    #[error("byte {offset}: stream ended inside a reply ({buffered} bytes without its end)")]
    Truncated {
        /// Stream offset of the unfinished reply's first byte.
        offset: u64,
        /// How many bytes of it had arrived.
        buffered: usize,
    },
}

fn found_text(found: Option<u8>) -> FoundText {
    FoundText(found)
}

struct FoundText(Option<u8>);

impl core::fmt::Display for FoundText {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.0 {
            None => f.write_str(", found the line end"),
            Some(b) if b.is_ascii_graphic() => write!(f, ", found '{}'", b as char),
            Some(b) => write!(f, ", found byte 0x{b:02x}"),
        }
    }
}

impl DecodeError {
    /// The stream offset the error is about (see each variant).
    #[must_use]
    pub fn offset(&self) -> u64 {
        match *self {
            DecodeError::InvalidReplyLine { offset, .. }
            | DecodeError::LineTooLong { offset, .. }
            | DecodeError::ReplyTooLarge { offset, .. }
            | DecodeError::TooManyLines { offset, .. }
            | DecodeError::BareLineFeed { offset }
            | DecodeError::Truncated { offset, .. } => offset,
        }
    }

    /// A stable kebab-case name for the kind of error, as used in the tool's JSON output.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            DecodeError::InvalidReplyLine { .. } => "invalid-reply-line",
            DecodeError::LineTooLong { .. } => "line-too-long",
            DecodeError::ReplyTooLarge { .. } => "reply-too-large",
            DecodeError::TooManyLines { .. } => "too-many-lines",
            DecodeError::BareLineFeed { .. } => "bare-line-feed",
            DecodeError::Truncated { .. } => "truncated",
        }
    }

    pub(crate) fn shift(self, by: u64) -> DecodeError {
        let mut e = self;
        match &mut e {
            DecodeError::InvalidReplyLine { offset, .. }
            | DecodeError::LineTooLong { offset, .. }
            | DecodeError::ReplyTooLarge { offset, .. }
            | DecodeError::TooManyLines { offset, .. }
            | DecodeError::BareLineFeed { offset }
            | DecodeError::Truncated { offset, .. } => *offset += by,
        }
        e
    }
}

/// Why a reply could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// A text line contains a line feed, which would end the line early.
    #[error("text line {line} contains a line feed at byte {offset}")]
    LineFeedInText {
        /// Index of the line.
        line: usize,
        /// Position of the LF within that line.
        offset: usize,
    },
}
