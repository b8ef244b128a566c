//! Small status payloads: the 150/125 transfer-size hint, the 120 delay, the
//! 213 reply to SIZE and the 215 system type.

use nom::Parser;
use nom::bytes::complete::{tag_no_case, take_till1, take_while1};
use nom::character::complete::char;
use nom::combinator::{eof, opt};

use super::error::{Fail, PResult, PayloadError, PayloadKind, Reason, expecting, fail, finish};
use super::lex::{Decimal, decimal, digits_value, skip};

/// A file size: any number of digits, the value bounded by `u64`.
const SIZE: Decimal = Decimal {
    expected: "a decimal file size",
    name: "file size",
    max_digits: None,
    min: 0,
    max: u64::MAX,
};

/// Finds the transfer-size hint `(N bytes)` in the text of a 150 or 125 reply.
///
/// Servers that know the size say so in the text
/// (`Opening BINARY mode data connection for file.bin (1234 bytes).`); there
/// is no RFC form. The first `(`, digits, a space, `bytes` or `byte` in any
/// case, `)` anywhere in the text is the hint. `Ok(None)` when there is none.
///
/// ```
/// use ftp_reply::payload::parse_transfer_size;
/// let text = b"Opening BINARY mode data connection for file.bin (1234 bytes).";
/// assert_eq!(parse_transfer_size(text), Ok(Some(1234)));
/// assert_eq!(parse_transfer_size(b"Opening data connection."), Ok(None));
/// ```
///
/// # Errors
///
/// A [`PayloadError`] of kind `transfer-size` when the hint's number does not
/// fit in a `u64`.
pub fn parse_transfer_size(text: &[u8]) -> Result<Option<u64>, PayloadError> {
    finish(PayloadKind::TransferSize, 0, text, transfer_size(text))
}

/// Finds the delay `in N minutes` in the text of a 120 reply.
///
/// RFC 959 §4.2 gives the text as `Service ready in nnn minutes.`; servers
/// word the rest freely (`Try again in 5 minutes`), so `in`, digits and
/// `minutes` (or `minute`), in any case and separated by single spaces, are
/// looked for anywhere in the text, starting and ending at word boundaries.
/// `Ok(None)` when there is no such phrase.
///
/// ```
/// use ftp_reply::payload::parse_ready_in;
/// assert_eq!(parse_ready_in(b"Service ready in 15 minutes."), Ok(Some(15)));
/// assert_eq!(parse_ready_in(b"Service ready soon."), Ok(None));
/// ```
///
/// # Errors
///
/// A [`PayloadError`] of kind `ready-in` when the number does not fit in a `u32`.
pub fn parse_ready_in(text: &[u8]) -> Result<Option<u32>, PayloadError> {
    finish(PayloadKind::ReadyIn, 0, text, ready_in(text))
}

/// Parses the text of a 213 reply to SIZE: the size in octets.
///
/// The text must be only digits (RFC 3659 §4.1); leading zeros are fine, a
/// value over `u64::MAX`, a sign, spaces or other text are not.
///
/// ```
/// use ftp_reply::payload::parse_size;
/// assert_eq!(parse_size(b"1234"), Ok(1234));
/// assert!(parse_size(b"18446744073709551616").is_err());
/// ```
///
/// # Errors
///
/// A [`PayloadError`] of kind `size` saying what was wrong and where.
pub fn parse_size(text: &[u8]) -> Result<u64, PayloadError> {
    finish(PayloadKind::Size, 0, text, size_response(text))
}

/// The system type of a 215 reply to SYST: `UNIX Type: L8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SystemType<'a> {
    /// The system name, the first word (`UNIX`, `Windows_NT`), as sent.
    pub name: &'a [u8],
    /// The rest of the text after the space that ends the name (`Type: L8`),
    /// empty when there is none.
    pub rest: &'a [u8],
}

impl SystemType<'_> {
    /// Whether the name is `name`, compared ignoring ASCII case.
    #[must_use]
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name.as_bytes())
    }
}

/// Parses the text of a 215 reply to SYST.
///
/// ```
/// use ftp_reply::payload::parse_system_type;
/// let syst = parse_system_type(b"UNIX Type: L8").unwrap();
/// assert_eq!((syst.name, syst.rest), (&b"UNIX"[..], &b"Type: L8"[..]));
/// assert!(syst.is("unix"));
/// ```
///
/// # Errors
///
/// A [`PayloadError`] of kind `system-type` when the text does not start with
/// a name (it is empty or starts with a space).
pub fn parse_system_type(text: &[u8]) -> Result<SystemType<'_>, PayloadError> {
    finish(PayloadKind::SystemType, 0, text, system_type(text))
}

/// Looks for a `size-hint` at every `(`, the first one found winning.
fn transfer_size(input: &[u8]) -> PResult<'_, Option<u64>> {
    let mut rest = input;
    // Each turn moves past one `(`.
    while let Some(i) = rest.iter().position(|&b| b == b'(') {
        let at = skip(rest, i);
        match size_hint(at) {
            Ok((after, n)) => return Ok((after, Some(n))),
            Err(nom::Err::Failure(f)) => return Err(nom::Err::Failure(f)),
            Err(_) => rest = skip(at, 1),
        }
    }
    Ok((rest, None))
}

/// `size-hint = "(" 1*DIGIT SP "byte" ["s"] ")"`, case-insensitive — the
/// wu-ftpd wording, which vsftpd and ProFTPD kept.
fn size_hint(input: &[u8]) -> PResult<'_, u64> {
    let (number, _) = char('(')(input)?;
    let (rest, digits) = take_while1(|b: u8| b.is_ascii_digit())(number)?;
    let (rest, _) = char(' ')(rest)?;
    let (rest, _) = tag_no_case(&b"byte"[..])(rest)?;
    let (rest, _) = opt(tag_no_case(&b"s"[..])).parse(rest)?;
    let (rest, _) = char(')')(rest)?;
    match digits_value(digits) {
        Some(n) => Ok((rest, n)),
        None => Err(nom::Err::Failure(Fail {
            rest: number,
            reason: Reason::OutOfRange {
                what: "transfer size",
                min: 0,
                max: u64::MAX,
            },
        })),
    }
}

/// Looks for `ready-in` at the start of every word, the first one found winning.
fn ready_in(input: &[u8]) -> PResult<'_, Option<u32>> {
    for i in 0..input.len() {
        let word_start = i == 0 || input.get(i - 1).is_some_and(|b| !b.is_ascii_alphanumeric());
        if !word_start {
            continue;
        }
        match in_minutes(skip(input, i)) {
            Ok((after, n)) => return Ok((after, Some(n))),
            Err(nom::Err::Failure(f)) => return Err(nom::Err::Failure(f)),
            Err(_) => {}
        }
    }
    Ok((skip(input, input.len()), None))
}

/// `ready-in = "in" SP 1*DIGIT SP "minute" ["s"]`, case-insensitive, ending a word.
///
/// RFC 959 §4.2: "120 Service ready in nnn minutes."
fn in_minutes(input: &[u8]) -> PResult<'_, u32> {
    let (number, _) = tag_no_case(&b"in "[..])(input)?;
    let (rest, digits) = take_while1(|b: u8| b.is_ascii_digit())(number)?;
    let (rest, _) = char(' ')(rest)?;
    let (rest, _) = tag_no_case(&b"minute"[..])(rest)?;
    let (rest, _) = opt(tag_no_case(&b"s"[..])).parse(rest)?;
    if rest.first().is_some_and(u8::is_ascii_alphanumeric) {
        return fail(rest, Reason::Expected("the end of the word \"minutes\""));
    }
    match digits_value(digits).and_then(|n| u32::try_from(n).ok()) {
        Some(n) => Ok((rest, n)),
        None => Err(nom::Err::Failure(Fail {
            rest: number,
            reason: Reason::OutOfRange {
                what: "minutes",
                min: 0,
                max: u64::from(u32::MAX),
            },
        })),
    }
}

/// `size-response = "213" SP 1*DIGIT` (RFC 3659 §4.1); this is the part after
/// the code and space.
///
/// RFC 3659 §4.1: "Note that when the 213 response is issued, that is, when
/// there is no error, the format MUST be exactly as specified."
fn size_response(input: &[u8]) -> PResult<'_, u64> {
    let (rest, size) = decimal(input, SIZE)?;
    let (rest, _) = expecting("only digits", eof(rest))?;
    Ok((rest, size))
}

/// `syst-text = system-name [ SP *OCTET ]`
///
/// RFC 959 §4.2: "215 NAME system type. Where NAME is an official system name
/// from the list in the Assigned Numbers document."
fn system_type(input: &[u8]) -> PResult<'_, SystemType<'_>> {
    let (rest, name) = expecting("a system name", take_till1(|b: u8| b == b' ')(input))?;
    let rest = skip(rest, 1);
    Ok((&[][..], SystemType { name, rest }))
}
