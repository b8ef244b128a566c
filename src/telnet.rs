//! The Telnet NVT layer of the control connection (RFC 959 §4.2, RFC 854).
//!
//! `IAC IAC` stands for one 0xFF data byte. `IAC` followed by a command byte
//! (240–250) is a two-byte command, and `IAC WILL/WONT/DO/DONT option` a
//! three-byte negotiation; neither is text. Subnegotiation is not interpreted:
//! `IAC SB` and `IAC SE` are dropped like other commands and the bytes between
//! them are kept as text (an FTP client never agrees to an option, so a server
//! has no reason to send one). An `IAC` followed by any other byte is kept as a
//! data byte, and the byte after it is read normally.

use alloc::vec::Vec;

/// Interpret As Command.
pub(crate) const IAC: u8 = 0xFF;

/// What the bytes at an `IAC` are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seq {
    /// A data byte (0xFF), and how many raw bytes stand for it (1 or 2).
    Data(usize),
    /// A command of this many bytes, which is not text.
    Command(usize),
    /// The sequence continues past the end of the buffer.
    Incomplete,
}

/// Classifies the Telnet sequence at the start of `bytes`, whose first byte is `IAC`.
#[inline]
pub(crate) fn sequence(bytes: &[u8]) -> Seq {
    match bytes.get(1) {
        None => Seq::Incomplete,
        Some(&IAC) => Seq::Data(2),
        Some(251..=254) => {
            if bytes.len() >= 3 {
                Seq::Command(3)
            } else {
                Seq::Incomplete
            }
        }
        Some(240..=250) => Seq::Command(2),
        Some(_) => Seq::Data(1),
    }
}

/// The text of `raw` with Telnet sequences interpreted, for bytes that were framed
/// with [`sequence`] (so no sequence is cut at the end; if one is, it is kept).
pub(crate) fn strip(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = memchr::memchr(IAC, rest) {
        out.extend_from_slice(&rest[..i]);
        match sequence(&rest[i..]) {
            Seq::Data(n) => {
                out.push(IAC);
                rest = &rest[i + n..];
            }
            Seq::Command(n) => rest = &rest[i + n..],
            Seq::Incomplete => {
                out.extend_from_slice(&rest[i..]);
                rest = &[];
            }
        }
    }
    out.extend_from_slice(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_escapes_and_commands() {
        assert_eq!(strip(b"a\xff\xffb"), b"a\xffb");
        assert_eq!(strip(b"\xff\xfb\x01220 x"), b"220 x");
        assert_eq!(strip(b"x\xff\xf1y"), b"xy");
        assert_eq!(strip(b"x\xffAy"), b"x\xffAy");
        assert_eq!(strip(b"x\xff"), b"x\xff");
        assert_eq!(strip(b"x\xff\xfd"), b"x\xff\xfd");
    }
}
