//! The 110 restart marker reply (RFC 959 §4.2, block and compressed modes).

use nom::bytes::complete::{tag, take_while1};
use nom::combinator::eof;

use super::error::{PResult, PayloadError, PayloadKind, Reason, expecting, fail, finish};

/// The two markers of a 110 reply: where the user process and the server
/// each are in the data stream, to be given back in a later `REST`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RestartMarker<'a> {
    /// `yyyy`: the user-process data stream marker.
    pub user: &'a [u8],
    /// `mmmm`: the server's equivalent marker.
    pub server: &'a [u8],
}

/// Parses the text of a 110 reply: `MARK yyyy = mmmm`, exactly.
///
/// RFC 959 says this text "is exact and not left to the particular
/// implementation", so `MARK` is matched case-sensitively, the single spaces
/// around `=` are required, and nothing may follow the server marker. A
/// marker is one or more printable ASCII characters other than space
/// (`%x21-7E`); it is kept as sent (the server may use any representation,
/// not only decimal).
///
/// ```
/// use ftp_reply::payload::parse_restart_marker;
/// let m = parse_restart_marker(b"MARK 1024 = 2048").unwrap();
/// assert_eq!((m.user, m.server), (&b"1024"[..], &b"2048"[..]));
/// assert!(parse_restart_marker(b"MARK 1024=2048").is_err());
/// ```
///
/// # Errors
///
/// A [`PayloadError`] of kind `restart-marker` saying what was wrong and where.
pub fn parse_restart_marker(text: &[u8]) -> Result<RestartMarker<'_>, PayloadError> {
    finish(PayloadKind::RestartMarker, 0, text, restart_marker(text))
}

/// `restart-marker = "MARK" SP marker SP "=" SP marker`
///
/// RFC 959 §4.2: "110 Restart marker reply. In this case, the text is exact
/// and not left to the particular implementation; it must read: MARK yyyy =
/// mmmm Where yyyy is User-process data stream marker, and mmmm server's
/// equivalent marker (note the spaces between markers and "=")."
fn restart_marker(input: &[u8]) -> PResult<'_, RestartMarker<'_>> {
    let (rest, _) = expecting("\"MARK \"", tag(&b"MARK "[..])(input))?;
    let (rest, user) = marker(rest)?;
    let (rest, _) = expecting("\" = \" after the marker", tag(&b" = "[..])(rest))?;
    let (rest, server) = marker(rest)?;
    let (rest, _) = expecting("the end of the text after the marker", eof(rest))?;
    Ok((rest, RestartMarker { user, server }))
}

/// `marker = 1*(%x21-7E)` — the markers' form is the server's; this is the
/// widest form the fixed `MARK yyyy = mmmm` layout can carry unambiguously.
fn marker(input: &[u8]) -> PResult<'_, &[u8]> {
    let found: PResult<'_, &[u8]> = take_while1(|b: u8| b.is_ascii_graphic())(input);
    match found {
        Ok(ok) => Ok(ok),
        Err(_) => fail(
            input,
            Reason::Expected("a marker (printable ASCII, no space)"),
        ),
    }
}
