//! The grammar of a reply's first line, with nom (RFC 959 §4.2).
//!
//! nom stays inside this module: callers get [`Head`] and never see nom's types.

use nom::{
    IResult, Parser, branch::alt, bytes::streaming::tag, character::streaming::satisfy,
    combinator::value,
};

use crate::code::ReplyCode;

/// What follows the code on a reply's first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Separator {
    /// `SP`: a single-line reply, or the end line of a multi-line one.
    Space,
    /// `-`: the first line of a multi-line reply.
    Hyphen,
    /// The line ends right after the code: a reply with empty text.
    LineEnd,
}

/// The result of reading the start of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Head {
    /// A reply code and its separator.
    Valid(ReplyCode, Separator),
    /// More bytes are needed to tell.
    Incomplete,
    /// Not the start of a reply; `index` is the first byte that does not fit
    /// (an index past the given bytes means the line end), `reason` what was expected.
    Invalid { index: usize, reason: &'static str },
}

/// `reply-code = %x31-36 DIGIT DIGIT`
///
/// RFC 959 §4.2: "A reply is defined to contain the 3-digit code"; its first digit is
/// 1–5, and RFC 2228 §3 adds 6 for protected replies.
fn reply_code(i: &[u8]) -> IResult<&[u8], ReplyCode> {
    let (i, (a, b, c)) = (
        satisfy(|c| ('1'..='6').contains(&c)),
        satisfy(|c| c.is_ascii_digit()),
        satisfy(|c| c.is_ascii_digit()),
    )
        .parse(i)?;
    let d = [a as u8, b as u8, c as u8];
    // from_digits cannot fail on what the three parsers accepted.
    Ok((
        i,
        ReplyCode::from_digits(d).unwrap_or(ReplyCode::SERIES_PRELIMINARY),
    ))
}

/// `separator = SP / "-" / CRLF`
///
/// RFC 959 §4.2: a single-line reply is "the three-digit code, followed by Space";
/// a multi-line reply's first line is "the exact required reply code, followed
/// immediately by a Hyphen". `220\r\n` (no text at all) is accepted as a reply with
/// empty text, as real servers send it.
fn separator(i: &[u8]) -> IResult<&[u8], Separator> {
    alt((
        value(Separator::Space, tag(&b" "[..])),
        value(Separator::Hyphen, tag(&b"-"[..])),
        value(Separator::LineEnd, tag(&b"\r\n"[..])),
    ))
    .parse(i)
}

/// `reply-head = reply-code separator`
///
/// `content` holds the first data bytes of a line (Telnet sequences already
/// removed, at most five). With `complete`, they are the whole line (its ending
/// removed); otherwise more may follow.
pub(crate) fn reply_head(content: &[u8], complete: bool) -> Head {
    let mut buf = [0u8; 8];
    let n = content.len().min(6);
    buf[..n].copy_from_slice(&content[..n]);
    let len = if complete {
        buf[n] = b'\r';
        buf[n + 1] = b'\n';
        n + 2
    } else {
        n
    };
    let input = &buf[..len];
    match (reply_code, separator).parse(input) {
        Ok((_, (code, sep))) => Head::Valid(code, sep),
        Err(nom::Err::Incomplete(_)) => Head::Incomplete,
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
            let index = len - e.input.len();
            let reason = match index {
                0 => "expected a reply code's first digit (1-6)",
                1 | 2 => "expected a reply code's digit",
                _ => "expected a space, a hyphen or the line end after the reply code",
            };
            Head::Invalid {
                index: index.min(n),
                reason,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(n: u16) -> ReplyCode {
        ReplyCode::new(n).unwrap()
    }

    #[test]
    fn heads() {
        assert_eq!(
            reply_head(b"220 ", false),
            Head::Valid(code(220), Separator::Space)
        );
        assert_eq!(
            reply_head(b"220-", false),
            Head::Valid(code(220), Separator::Hyphen)
        );
        assert_eq!(
            reply_head(b"220", true),
            Head::Valid(code(220), Separator::LineEnd)
        );
        assert_eq!(reply_head(b"220", false), Head::Incomplete);
        assert_eq!(reply_head(b"220\r", false), Head::Incomplete);
        assert_eq!(reply_head(b"", false), Head::Incomplete);
        assert!(matches!(
            reply_head(b"2200", false),
            Head::Invalid { index: 3, .. }
        ));
        assert!(matches!(
            reply_head(b"+20", false),
            Head::Invalid { index: 0, .. }
        ));
        assert!(matches!(
            reply_head(b"22 ", false),
            Head::Invalid { index: 2, .. }
        ));
        assert!(matches!(
            reply_head(b"22", true),
            Head::Invalid { index: 2, .. }
        ));
        assert!(matches!(
            reply_head(b"", true),
            Head::Invalid { index: 0, .. }
        ));
        assert!(matches!(
            reply_head(b"700 ", false),
            Head::Invalid { index: 0, .. }
        ));
        assert!(matches!(
            reply_head(b"220\rx", false),
            Head::Invalid { index: 3, .. }
        ));
    }
}
