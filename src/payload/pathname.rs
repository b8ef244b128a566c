//! The 257 pathname reply (RFC 959 Appendix II), to PWD, MKD, XPWD and XMKD.

use alloc::borrow::Cow;
use alloc::vec::Vec;

use nom::bytes::complete::take_till;
use nom::character::complete::char;

use super::error::{Fail, PResult, PayloadError, PayloadKind, Reason, expecting, fail, finish};
use super::lex::skip;

/// Parses the text of a 257 reply into the pathname between its quotes.
///
/// Text before the first `"` is skipped. Inside, `""` stands for one `"`
/// (RFC 959 Appendix II), and the result is borrowed from `text` unless such
/// a pair had to be unescaped. Bytes that are not UTF-8 are kept.
///
/// Some servers (pure-ftpd, GridFTP, inetutils among them) do not double the
/// quotes inside a pathname. When the quote that ends the pathname by the
/// RFC's reading is followed by something other than a space or the end of
/// the text, the pathname instead ends at the last quote after it that is
/// followed by a space or the end, and is taken as sent (no unescaping); when
/// there is no such quote, the RFC's reading stands (`"/home".` gives
/// `/home`). The RFC's form always wins where both readings end with a
/// space: `"/a""b" created` is `/a"b`.
///
/// Rejected: no quote, no closing quote, an empty pathname, and any control
/// character (0x00–0x1F, 0x7F) in the pathname, since it is sent back in
/// later commands.
///
/// ```
/// use ftp_reply::payload::parse_pathname;
/// assert_eq!(&*parse_pathname(br#""/usr/dm" created."#).unwrap(), b"/usr/dm");
/// assert_eq!(&*parse_pathname(br#""/a""b" created"#).unwrap(), br#"/a"b"#);
/// assert_eq!(
///     &*parse_pathname(br#""/tmp/dir with "quotes"" is current directory."#).unwrap(),
///     br#"/tmp/dir with "quotes""#,
/// );
/// ```
///
/// # Errors
///
/// A [`PayloadError`] of kind `pathname` saying what was wrong and where.
pub fn parse_pathname(text: &[u8]) -> Result<Cow<'_, [u8]>, PayloadError> {
    finish(PayloadKind::Pathname, 0, text, pathname_reply(text))
}

/// `pathname-reply = *(%x00-21 / %x23-FF) DQUOTE pathname DQUOTE [ SP commentary ]`
///
/// RFC 959 Appendix II: "upon successful completion of an MKD command, the
/// server should return a line of the form:
/// `257<space>"<directory-name>"<space><commentary>` … The directory name can
/// contain any character; embedded double-quotes should be escaped by
/// double-quotes (the "quote-doubling" convention)."
fn pathname_reply(input: &[u8]) -> PResult<'_, Cow<'_, [u8]>> {
    let (rest, _) = take_till::<_, _, Fail<'_>>(|b: u8| b == b'"')(input)?;
    let (body, _) = expecting("a '\"' opening the pathname", char('"')(rest))?;
    let (after, (raw, doubled)) = pathname(body)?;
    let (raw, doubled) = match after.first() {
        None | Some(b' ') => (raw, doubled),
        Some(_) => match undoubled_end(after) {
            Some(i) => {
                let end = body.len().saturating_sub(after.len()).saturating_add(i);
                (body.get(..end).unwrap_or(raw), false)
            }
            None => (raw, doubled),
        },
    };
    if raw.is_empty() {
        return fail(body, Reason::Empty("pathname"));
    }
    if let Some(i) = raw.iter().position(|&b| b < 0x20 || b == 0x7F) {
        let byte = raw.get(i).copied().unwrap_or_default();
        return fail(skip(body, i), Reason::ControlCharacter(byte));
    }
    let path = if doubled {
        Cow::Owned(undouble(raw))
    } else {
        Cow::Borrowed(raw)
    };
    Ok((after, path))
}

/// `pathname = *( %x00-21 / %x23-FF / 2DQUOTE )`, then its closing `DQUOTE`.
///
/// Returns the pathname as sent (pairs still doubled), whether it had a pair,
/// and the text after the closing quote.
fn pathname(input: &[u8]) -> PResult<'_, (&[u8], bool)> {
    let mut rest = input;
    let mut doubled = false;
    // Each turn consumes at least two bytes or returns.
    loop {
        let (at_quote, _) = take_till::<_, _, Fail<'_>>(|b: u8| b == b'"')(rest)?;
        match (at_quote.first(), at_quote.get(1)) {
            (None, _) => {
                return fail(
                    at_quote,
                    Reason::Unterminated("pathname (no closing quote)"),
                );
            }
            (Some(_), Some(b'"')) => {
                doubled = true;
                rest = skip(at_quote, 2);
            }
            (Some(_), _) => {
                let len = input.len().saturating_sub(at_quote.len());
                let raw = input.get(..len).unwrap_or_default();
                return Ok((skip(at_quote, 1), (raw, doubled)));
            }
        }
    }
}

/// In the text after a closing quote that is not followed by a space or the
/// end: the index of the last quote that is, if any — where a server that does
/// not double embedded quotes ended the pathname.
fn undoubled_end(after: &[u8]) -> Option<usize> {
    after
        .iter()
        .enumerate()
        .rev()
        .find(|&(i, &b)| b == b'"' && matches!(after.get(i.saturating_add(1)), None | Some(b' ')))
        .map(|(i, _)| i)
}

/// Replaces each `""` by `"`.
fn undouble(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut after_quote = false;
    for &b in raw {
        if b == b'"' && after_quote {
            after_quote = false;
            continue;
        }
        after_quote = b == b'"';
        out.push(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undouble_pairs() {
        assert_eq!(undouble(br#"a""b"#), br#"a"b"#);
        assert_eq!(undouble(b"\"\"\"\""), b"\"\"");
        assert_eq!(undouble(b"plain"), b"plain");
    }

    #[test]
    fn undoubled_end_finds_the_last_quote_before_a_space_or_the_end() {
        assert_eq!(undoubled_end(br#"quotes"" is"#), Some(7));
        assert_eq!(undoubled_end(br#"b""#), Some(1));
        assert_eq!(undoubled_end(b"."), None);
        assert_eq!(undoubled_end(br#"x"y"#), None);
    }

    #[test]
    fn pathname_rule_leaves_the_commentary() {
        let (rest, (raw, doubled)) = pathname(br#"/a""b" created"#).unwrap();
        assert_eq!(
            (rest, raw, doubled),
            (&b" created"[..], &br#"/a""b"#[..], true)
        );
    }
}
