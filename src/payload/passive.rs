//! Passive-mode addresses — 227 (PASV, RFC 959), 228 (LPSV, RFC 1639), 229
//! (EPSV, RFC 2428) — and the policy deciding where the data connection goes.
//!
//! # Safe by default
//!
//! A 227 or 228 reply names a host, and a client that connects to whatever
//! host it names can be sent anywhere: curl (CVE-2020-8284), CPython
//! (CVE-2021-4189) and Apache Commons Net (CVE-2021-37533) each shipped that
//! hole. [`passive_target`] with the default [`PassivePolicy::UseControlPeer`]
//! keeps the advertised port but connects to the host the control connection
//! is already talking to, and reports when the two hosts differed.
//!
//! ```
//! use core::net::{IpAddr, Ipv4Addr, SocketAddr};
//! use ftp_reply::payload::{parse_pasv, passive_target, PassivePolicy};
//!
//! let advertised = parse_pasv(b"Entering Passive Mode (10,0,0,7,4,1).").unwrap();
//! let peer = IpAddr::V4(Ipv4Addr::new(203, 0, 113, 5));
//! let target = passive_target(peer, SocketAddr::V4(advertised), PassivePolicy::default());
//! assert_eq!(target.addr, "203.0.113.5:1025".parse().unwrap());
//! assert!(target.advertised_host_differs);
//! ```

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use nom::bytes::complete::take_till;
use nom::character::complete::char;

use super::error::{Fail, PResult, PayloadError, PayloadKind, Reason, expecting, fail, finish};
use super::lex::{Decimal, decimal, skip};

/// An address or port byte.
const BYTE: Decimal = Decimal {
    expected: "a decimal number 0-255",
    name: "number",
    max_digits: Some(3),
    min: 0,
    max: 255,
};

/// An EPSV TCP port (0 is rejected separately, with its own reason).
const PORT: Decimal = Decimal {
    expected: "a port number",
    name: "port",
    max_digits: Some(5),
    min: 0,
    max: 65_535,
};

/// Parses the text of a 227 reply to PASV into the advertised address.
///
/// The six numbers `h1,h2,h3,h4,p1,p2` are found as RFC 1123 §4.1.2.6 asks,
/// by scanning for the first digit, so any text may come first
/// (`Entering Passive Mode (`, `=`, `PASV OK `), the parentheses may be
/// missing, and any text not starting with a digit, comma or parenthesis may
/// follow (`.`).
///
/// Accepted numbers are 0–255 written with one to three digits, so leading
/// zeros (`010`) are fine but a fourth digit (`0010`, `1216`) is rejected
/// rather than read. Rejected as well: fewer or more than six numbers, signs,
/// port 0, a `(` without its `)` (or the reverse, or `)(`).
///
/// ```
/// use ftp_reply::payload::parse_pasv;
/// let addr = parse_pasv(b"Entering Passive Mode (127,0,0,1,4,1).").unwrap();
/// assert_eq!(addr, "127.0.0.1:1025".parse().unwrap());
/// assert!(parse_pasv(b"Entering Passive Mode (256,0,0,1,4,1)").is_err());
/// ```
///
/// # Errors
///
/// A [`PayloadError`] of kind `pasv` saying what was wrong and where.
pub fn parse_pasv(text: &[u8]) -> Result<SocketAddrV4, PayloadError> {
    finish(PayloadKind::Pasv, 0, text, pasv_text(text))
}

/// Parses the text of a 228 reply to LPSV into the advertised address.
///
/// The numbers are found as in [`parse_pasv`] (first digit, optional
/// parentheses). Families 4 (IPv4, 4 address bytes) and 6 (IPv6, 16 address
/// bytes) are supported; the port must be two bytes and not 0.
///
/// ```
/// use ftp_reply::payload::parse_lpsv;
/// let addr = parse_lpsv(b"Entering Long Passive Mode (4,4,127,0,0,1,2,219,87)").unwrap();
/// assert_eq!(addr, "127.0.0.1:56151".parse().unwrap());
/// ```
///
/// # Errors
///
/// A [`PayloadError`] of kind `lpsv` saying what was wrong and where.
pub fn parse_lpsv(text: &[u8]) -> Result<SocketAddr, PayloadError> {
    finish(PayloadKind::Lpsv, 0, text, lpsv_text(text))
}

/// Parses the text of a 229 reply to EPSV into the port.
///
/// Text before the first `(` is skipped. The delimiter may be any printable
/// ASCII character but a digit (RFC 2428 allows 33–126; a digit delimiter
/// cannot be told from the port); the host is the control connection's.
///
/// ```
/// use ftp_reply::payload::parse_epsv;
/// assert_eq!(parse_epsv(b"Entering Extended Passive Mode (|||6446|)"), Ok(6446));
/// assert_eq!(parse_epsv(b"Entering Extended Passive Mode (!!!6446!)"), Ok(6446));
/// assert!(parse_epsv(b"Entering Extended Passive Mode (!!6446!)").is_err());
/// ```
///
/// # Errors
///
/// A [`PayloadError`] of kind `epsv` saying what was wrong and where.
pub fn parse_epsv(text: &[u8]) -> Result<u16, PayloadError> {
    finish(PayloadKind::Epsv, 0, text, epsv_text(text))
}

/// `pasv-text = *(%x00-2F / %x3A-FF) [ "(" ] host-port [ ")" ] [ rest ]`
///
/// RFC 1123 §4.1.2.6: "an FTP client cannot assume that the parentheses
/// shown on page 40 of RFC-959 will be present (and in fact, Figure 3 on page
/// 43 omits them). Therefore, a User-FTP program that interprets the PASV
/// reply must scan the reply for the first digit of the host and port
/// numbers."
fn pasv_text(input: &[u8]) -> PResult<'_, SocketAddrV4> {
    let (rest, opened) = numbers_start(input)?;
    let (rest, [h1, h2, h3, h4, p1, p2]) = host_port(rest)?;
    let port = u16::from_be_bytes([p1.0, p2.0]);
    if port == 0 {
        return fail(p1.1, Reason::PortZero);
    }
    let (rest, ()) = numbers_end(rest, opened)?;
    let host = Ipv4Addr::new(h1.0, h2.0, h3.0, h4.0);
    Ok((rest, SocketAddrV4::new(host, port)))
}

/// `host-port = host-number "," port-number`,
/// `host-number = number "," number "," number "," number`,
/// `port-number = number "," number` (RFC 959 §5.3.2).
///
/// Each number comes with the input at its first digit, for error offsets.
fn host_port(input: &[u8]) -> PResult<'_, [(u8, &[u8]); 6]> {
    let mut out = [(0u8, input); 6];
    let mut rest = input;
    for (i, slot) in out.iter_mut().enumerate() {
        let (r, n) = listed_number(rest, i, 6)?;
        *slot = n;
        rest = r;
    }
    let (rest, ()) = no_more_numbers(rest, 6)?;
    Ok((rest, out))
}

/// `long-host-port = af "," hal "," h1 "," … "," pal "," p1 "," p2`
/// (RFC 1639 §2), between optional parentheses found like PASV's.
///
/// RFC 1639: "228 Entering Long Passive Mode (long-host-port)".
fn lpsv_text(input: &[u8]) -> PResult<'_, SocketAddr> {
    let (rest, opened) = numbers_start(input)?;
    let (rest, addr) = long_host_port(rest)?;
    let (rest, ()) = numbers_end(rest, opened)?;
    Ok((rest, addr))
}

/// `long-host-port = af "," hal "," h1 "," h2 "," … "," pal "," p1 "," p2`
///
/// `af` is the address family (4: IPv4, 6: IPv6), `hal` the number of host
/// address bytes (4 or 16), `pal` the number of port bytes (2 for TCP).
fn long_host_port(input: &[u8]) -> PResult<'_, SocketAddr> {
    let (rest, (af, af_at)) = listed_number(input, 0, 3)?;
    let host_len: u8 = match af {
        4 => 4,
        6 => 16,
        other => return fail(af_at, Reason::UnsupportedFamily(other)),
    };
    // af, hal, the host bytes, pal, two port bytes.
    let total = usize::from(host_len) + 5;
    let (rest, (hal, hal_at)) = listed_number(rest, 1, total)?;
    if hal != host_len {
        return fail(
            hal_at,
            Reason::LengthMismatch {
                what: "host address length",
                expected: host_len,
                found: hal,
            },
        );
    }
    let mut host = [0u8; 16];
    let mut rest = rest;
    for (i, byte) in host.iter_mut().take(usize::from(host_len)).enumerate() {
        let (r, (b, _)) = listed_number(rest, i + 2, total)?;
        *byte = b;
        rest = r;
    }
    let pal_index = usize::from(host_len) + 2;
    let (rest, (pal, pal_at)) = listed_number(rest, pal_index, total)?;
    if pal != 2 {
        return fail(
            pal_at,
            Reason::LengthMismatch {
                what: "port address length",
                expected: 2,
                found: pal,
            },
        );
    }
    let (rest, (p1, p1_at)) = listed_number(rest, pal_index + 1, total)?;
    let (rest, (p2, _)) = listed_number(rest, pal_index + 2, total)?;
    let (rest, ()) = no_more_numbers(rest, total)?;
    let port = u16::from_be_bytes([p1, p2]);
    if port == 0 {
        return fail(p1_at, Reason::PortZero);
    }
    let addr = if af == 4 {
        let [a, b, c, d, ..] = host;
        SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::new(a, b, c, d), port))
    } else {
        SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::from(host), port, 0, 0))
    };
    Ok((rest, addr))
}

/// The text before the numbers, which RFC 1123 §4.1.2.6 says to skip by
/// scanning for the first digit. Says whether a `(` stands right before it.
fn numbers_start(input: &[u8]) -> PResult<'_, bool> {
    let (rest, prefix) = take_till::<_, _, Fail<'_>>(|b: u8| b.is_ascii_digit())(input)?;
    if rest.is_empty() {
        return fail(rest, Reason::Expected("comma-separated numbers"));
    }
    let before = skip(input, prefix.len().saturating_sub(1));
    match prefix.last() {
        Some(b'+' | b'-') => fail(before, Reason::Sign),
        Some(b')') => fail(before, Reason::UnbalancedParenthesis),
        Some(b'(') => Ok((rest, true)),
        _ => Ok((rest, false)),
    }
}

/// `number` at position `index` (from 0) of a list of `total`: the `","`
/// before it unless it is the first, then the number.
///
/// RFC 959 §5.3.2: `<number> ::= any decimal integer 1 through 255`. 0 is
/// accepted too: addresses and ports have zero bytes (`127,0,0,1`).
fn listed_number(input: &[u8], index: usize, total: usize) -> PResult<'_, (u8, &[u8])> {
    let rest = if index == 0 {
        input
    } else {
        let comma: PResult<'_, char> = char(',')(input);
        match comma {
            Ok((rest, _)) => rest,
            Err(_) => {
                return fail(
                    input,
                    Reason::TooFewNumbers {
                        expected: small(total),
                        found: small(index),
                    },
                );
            }
        }
    };
    let (after, n) = decimal(rest, BYTE)?;
    // BYTE caps the value at 255.
    let n = u8::try_from(n).unwrap_or(u8::MAX);
    Ok((after, (n, rest)))
}

/// After the last number of a list of `total`: no `","` for another one.
fn no_more_numbers(input: &[u8], total: usize) -> PResult<'_, ()> {
    if input.first() == Some(&b',') {
        return fail(
            input,
            Reason::TooManyNumbers {
                expected: small(total),
            },
        );
    }
    Ok((input, ()))
}

/// `[ ")" ]`: a `)` exactly when a `(` opened the numbers. Whatever follows
/// (`.`, more text) is not read, but must not go on with a digit, a comma or
/// another parenthesis.
fn numbers_end(input: &[u8], opened: bool) -> PResult<'_, ()> {
    let rest = match (opened, input.first()) {
        (true, Some(b')')) => skip(input, 1),
        (true, _) | (false, Some(b')')) => return fail(input, Reason::UnbalancedParenthesis),
        (false, _) => input,
    };
    match rest.first() {
        Some(b'(' | b')') => fail(rest, Reason::UnbalancedParenthesis),
        Some(&b) if b.is_ascii_digit() || b == b',' => {
            fail(rest, Reason::Expected("the end of the numbers"))
        }
        _ => Ok((rest, ())),
    }
}

/// `epsv-text = *(%x00-27 / %x29-FF) "(" d d d tcp-port d ")" [ rest ]`
///
/// RFC 2428 §3: "The text returned in response to the EPSV command MUST be:
/// `<text indicating server is entering extended passive mode>
/// (<d><d><d><tcp-port><d>)`. The first two fields contained in the
/// parenthesis MUST be blank. The third field MUST be the string
/// representation of the TCP port number on which the server is listening
/// for a data connection."
fn epsv_text(input: &[u8]) -> PResult<'_, u16> {
    let (rest, _) = take_till::<_, _, Fail<'_>>(|b: u8| b == b'(')(input)?;
    let (rest, _) = expecting("'(' before the port", char('(')(rest))?;
    let (rest, d) = delimiter(rest)?;
    let (rest, ()) = empty_field(rest, d)?; // net-prt
    let (rest, ()) = empty_field(rest, d)?; // net-addr
    let (rest, port) = tcp_port(rest)?;
    let (rest, ()) = same_delimiter(rest, d)?;
    let (rest, _) = char(')')(rest)?;
    Ok((rest, port))
}

/// `d = %x21-2F / %x3A-7E` — RFC 2428 §2: "The delimiter character MUST be
/// one of the ASCII characters in range 33-126 inclusive." Digits are refused
/// here: a digit delimiter could not be told from the port.
fn delimiter(input: &[u8]) -> PResult<'_, u8> {
    match input.first() {
        None => fail(input, Reason::Expected("a delimiter")),
        Some(&d) if (33..=126).contains(&d) && !d.is_ascii_digit() => Ok((skip(input, 1), d)),
        Some(&d) => fail(input, Reason::InvalidDelimiter(d)),
    }
}

/// An empty `net-prt` or `net-addr` field, then its delimiter `d`.
///
/// RFC 2428 §3: "The first two fields contained in the parenthesis MUST be
/// blank."
fn empty_field(input: &[u8], d: u8) -> PResult<'_, ()> {
    match input.first() {
        Some(&b) if b == d => Ok((skip(input, 1), ())),
        None => fail(
            input,
            Reason::DelimiterMismatch {
                expected: d,
                found: None,
            },
        ),
        Some(&b) => {
            // `(!!6446!)`: the port came one field early, a delimiter is
            // missing; anything else is a field that should have been blank.
            let (after, _) = take_till::<_, _, Fail<'_>>(|c: u8| c == d || c == b')')(input)?;
            if after.first() == Some(&d) && after.get(1) == Some(&b')') {
                fail(
                    input,
                    Reason::DelimiterMismatch {
                        expected: d,
                        found: Some(b),
                    },
                )
            } else {
                fail(input, Reason::NetFieldNotEmpty)
            }
        }
    }
}

/// `tcp-port = 1*5DIGIT` — a decimal port 1–65535.
fn tcp_port(input: &[u8]) -> PResult<'_, u16> {
    let (rest, port) = decimal(input, PORT)?;
    match u16::try_from(port) {
        Ok(0) => fail(input, Reason::PortZero),
        Ok(port) => Ok((rest, port)),
        Err(_) => fail(
            input,
            Reason::OutOfRange {
                what: PORT.name,
                min: PORT.min,
                max: PORT.max,
            },
        ),
    }
}

/// The closing delimiter: the same `d` as the first.
fn same_delimiter(input: &[u8], d: u8) -> PResult<'_, ()> {
    match input.first() {
        Some(&b) if b == d => Ok((skip(input, 1), ())),
        found => fail(
            input,
            Reason::DelimiterMismatch {
                expected: d,
                found: found.copied(),
            },
        ),
    }
}

/// A count that fits in the error's `u8` (the lists here have at most 21 numbers).
fn small(n: usize) -> u8 {
    u8::try_from(n).unwrap_or(u8::MAX)
}

/// Which host a passive-mode data connection goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum PassivePolicy {
    /// Connect to the control connection's peer, at the advertised port. The
    /// advertised host is only compared, never used: this is what curl,
    /// CPython and Commons Net changed to after their CVEs.
    #[default]
    UseControlPeer,
    /// Connect to the advertised host (an explicit opt-in for servers behind
    /// NAT set-ups that really send data elsewhere). An advertised `0.0.0.0`
    /// or `::`, which cannot be connected to, still falls back to the
    /// control connection's peer.
    TrustAdvertised,
}

/// Where to open a passive-mode data connection, from [`passive_target`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PassiveTarget {
    /// The address to connect to.
    pub addr: SocketAddr,
    /// The advertised host was not the control connection's peer (a NAT
    /// misconfiguration, or a server trying to aim the client elsewhere).
    /// IPv4-mapped IPv6 addresses compare equal to their IPv4 address, and
    /// an advertised unspecified address (`0.0.0.0`, `::`) always differs.
    pub advertised_host_differs: bool,
}

/// Decides which address a passive-mode data connection goes to, given the
/// control connection's peer and the address a 227 or 228 reply advertised.
///
/// With [`PassivePolicy::UseControlPeer`] (the default) the result is the
/// control peer at the advertised port. With
/// [`PassivePolicy::TrustAdvertised`] it is the advertised address, except
/// that an unspecified host (`0.0.0.0`, `::`) is replaced by the control peer.
/// For a 229 reply, whose host is always the control peer's, connect to
/// `SocketAddr::new(control_peer, port)` directly.
///
/// ```
/// use core::net::{IpAddr, SocketAddr};
/// use ftp_reply::payload::{passive_target, PassivePolicy};
///
/// let peer: IpAddr = "192.0.2.1".parse().unwrap();
/// let advertised: SocketAddr = "10.1.1.1:2000".parse().unwrap();
/// let safe = passive_target(peer, advertised, PassivePolicy::UseControlPeer);
/// assert_eq!(safe.addr, "192.0.2.1:2000".parse().unwrap());
/// assert!(safe.advertised_host_differs);
/// let trusting = passive_target(peer, advertised, PassivePolicy::TrustAdvertised);
/// assert_eq!(trusting.addr, advertised);
/// ```
#[must_use]
pub fn passive_target(
    control_peer: IpAddr,
    advertised: SocketAddr,
    policy: PassivePolicy,
) -> PassiveTarget {
    let advertised_host = advertised.ip();
    let advertised_host_differs = advertised_host.is_unspecified()
        || advertised_host.to_canonical() != control_peer.to_canonical();
    let host = match policy {
        PassivePolicy::TrustAdvertised if !advertised_host.is_unspecified() => advertised_host,
        PassivePolicy::UseControlPeer | PassivePolicy::TrustAdvertised => control_peer,
    };
    PassiveTarget {
        addr: SocketAddr::new(host, advertised.port()),
        advertised_host_differs,
    }
}
