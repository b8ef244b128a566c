//! A decoded reply, its lines, and the encoder that writes replies.

use alloc::borrow::Cow;
use alloc::string::String;
use bytes::Bytes;
use core::fmt;

use crate::code::ReplyCode;

/// One complete reply: its code and the exact bytes received.
///
/// A reply is an owned value: it can be kept, cloned and sent to another thread
/// or task. How it holds its bytes depends on their size:
///
/// - a short reply (at most [`Reply::INLINE_CAPACITY`] bytes, with no Telnet
///   sequence) is copied into the `Reply` itself. Copying a few dozen bytes costs
///   less than sharing the buffer (an atomic increment when the reply is split off
///   and a decrement when it is dropped), and most replies a client reads are short
///   single lines (`200`, `226`, `150`, `227`, `331`…);
/// - a longer reply is one [`Bytes`] split off the decoder's buffer (no copy);
///   cloning the `Reply` then shares it instead of copying it.
///
/// Lines are found when asked for. When the bytes held Telnet sequences, the text
/// with them interpreted is kept beside the raw bytes.
#[derive(Clone)]
pub struct Reply {
    code: ReplyCode,
    /// How many bytes of an inline body are the reply's.
    inline_len: u8,
    /// 32 bits ([`DecoderConfig::max_lines`](crate::DecoderConfig::max_lines) is
    /// bounded by it): with it a `Reply` takes 72 bytes, and an
    /// [`Event`](crate::session::Event) carrying one fits in the 128 bytes that
    /// are moved without a call to `memcpy`.
    lines: u32,
    body: Body,
}

/// The bytes of a [`Reply`].
#[derive(Clone)]
enum Body {
    /// A short reply whose text is its raw bytes, copied: the first `inline_len`
    /// bytes (the bytes after them are never read).
    Inline([u8; Reply::INLINE_CAPACITY]),
    /// A reply shared with the buffer it was split off.
    Shared {
        raw: Bytes,
        /// The raw bytes with Telnet sequences interpreted, when that changes them.
        text: Option<Bytes>,
    },
}

impl Reply {
    /// The largest reply, in bytes (line endings included), that a `Reply` holds
    /// inline, copied, rather than sharing the buffer it was read into. A `Reply`
    /// takes the same room either way.
    pub const INLINE_CAPACITY: usize = 56;

    /// A reply of `raw` with no Telnet sequence to interpret, copied inline;
    /// `None` if it is longer than [`INLINE_CAPACITY`](Self::INLINE_CAPACITY).
    pub(crate) fn inline(code: ReplyCode, raw: &[u8], lines: usize) -> Option<Reply> {
        let mut bytes = [0; Reply::INLINE_CAPACITY];
        bytes.get_mut(..raw.len())?.copy_from_slice(raw);
        Some(Reply::from_inline(code, bytes, raw.len(), lines))
    }

    /// The bytes of a short reply that is the first `len` bytes of `window` (at
    /// most [`INLINE_CAPACITY`](Self::INLINE_CAPACITY)), for
    /// [`from_inline`](Self::from_inline). When `window` has enough bytes, a
    /// fixed-size block is copied (cheaper than a copy of `len` bytes): the bytes
    /// after the reply's come with it, and are never read.
    #[inline(always)]
    pub(crate) fn inline_block(window: &[u8], len: usize) -> [u8; Reply::INLINE_CAPACITY] {
        match window.first_chunk::<{ Reply::INLINE_CAPACITY }>() {
            Some(block) => *block,
            None => Reply::inline_block_end(window, len),
        }
    }

    /// [`inline_block`](Self::inline_block) near the end of the buffer.
    #[cold]
    #[inline(never)]
    fn inline_block_end(window: &[u8], len: usize) -> [u8; Reply::INLINE_CAPACITY] {
        let len = len.min(window.len()).min(Reply::INLINE_CAPACITY);
        let mut bytes = [0; Reply::INLINE_CAPACITY];
        bytes[..len].copy_from_slice(&window[..len]);
        bytes
    }

    /// A short reply with no Telnet sequence to interpret, of the first `len` bytes
    /// of `bytes` (at most [`INLINE_CAPACITY`](Self::INLINE_CAPACITY)).
    #[inline(always)]
    pub(crate) fn from_inline(
        code: ReplyCode,
        bytes: [u8; Reply::INLINE_CAPACITY],
        len: usize,
        lines: usize,
    ) -> Reply {
        Reply {
            code,
            // INLINE_CAPACITY is below 256.
            inline_len: len.min(Reply::INLINE_CAPACITY) as u8,
            lines: count(lines),
            body: Body::Inline(bytes),
        }
    }

    pub(crate) fn shared(code: ReplyCode, raw: Bytes, text: Option<Bytes>, lines: usize) -> Reply {
        Reply {
            code,
            inline_len: 0,
            lines: count(lines),
            body: Body::Shared { raw, text },
        }
    }

    /// The telnet-interpreted text, when it differs from the raw bytes.
    #[inline]
    fn interpreted(&self) -> Option<&[u8]> {
        match &self.body {
            Body::Inline(_) => None,
            Body::Shared { text, .. } => text.as_deref(),
        }
    }

    /// The reply code.
    #[must_use]
    pub fn code(&self) -> ReplyCode {
        self.code
    }

    /// The exact bytes received, line endings and any Telnet sequences included.
    #[must_use]
    #[inline]
    pub fn raw(&self) -> &[u8] {
        match &self.body {
            Body::Inline(bytes) => &bytes[..usize::from(self.inline_len)],
            Body::Shared { raw, .. } => raw,
        }
    }

    /// The bytes with Telnet sequences interpreted (the same as [`raw`](Self::raw)
    /// when there were none, or when the decoder's Telnet handling was off).
    #[must_use]
    #[inline]
    pub fn data(&self) -> &[u8] {
        match &self.body {
            Body::Inline(bytes) => &bytes[..usize::from(self.inline_len)],
            Body::Shared { raw, text } => text.as_deref().unwrap_or(raw),
        }
    }

    /// The exact bytes received as a [`Bytes`]: the shared bytes of a long reply
    /// (no copy), a copy of a short one (see [`Reply`]).
    #[must_use]
    pub fn raw_bytes(&self) -> Bytes {
        match &self.body {
            Body::Inline(_) => Bytes::copy_from_slice(self.raw()),
            Body::Shared { raw, .. } => raw.clone(),
        }
    }

    /// [`data`](Self::data) as a [`Bytes`], shared or copied as
    /// [`raw_bytes`](Self::raw_bytes) is.
    #[must_use]
    pub fn data_bytes(&self) -> Bytes {
        match &self.body {
            Body::Inline(_) => Bytes::copy_from_slice(self.data()),
            Body::Shared { raw, text } => text.as_ref().unwrap_or(raw).clone(),
        }
    }

    /// Whether the reply was sent as a multi-line reply.
    #[must_use]
    pub fn is_multiline(&self) -> bool {
        self.lines > 1
    }

    /// How many lines the reply has.
    #[must_use]
    pub fn line_count(&self) -> usize {
        self.lines as usize
    }

    /// The text lines, line endings removed.
    ///
    /// The code and its separator (four bytes: `220-`, `220 `; three if the line is
    /// only the code) are removed from the first and the last line, and from every
    /// line in between that starts with the reply's own code followed by `-` or a
    /// space. Any other line is given whole.
    #[must_use]
    pub fn lines(&self) -> Lines<'_> {
        Lines::new(self.data(), self.code)
    }

    /// The lines as received (Telnet sequences interpreted), with only their line
    /// endings removed: codes and separators are kept.
    #[must_use]
    pub fn raw_lines(&self) -> RawLines<'_> {
        RawLines { rest: self.data() }
    }

    /// The first text line (after the code and separator).
    #[must_use]
    pub fn first_line(&self) -> &[u8] {
        self.lines().next().unwrap_or_default()
    }

    /// The text lines joined by `\n`, as UTF-8 with invalid bytes replaced.
    #[must_use]
    pub fn text(&self) -> String {
        join_lossy(self.lines())
    }

    /// A view of this reply that borrows from it.
    #[must_use]
    pub fn as_reply_ref(&self) -> ReplyRef<'_> {
        ReplyRef {
            code: self.code,
            raw: self.raw(),
            text: self.interpreted().map(Cow::Borrowed),
            lines: self.lines as usize,
        }
    }
}

/// Replies are equal when their codes, bytes, texts and line counts are, however
/// each holds its bytes.
impl PartialEq for Reply {
    fn eq(&self, other: &Reply) -> bool {
        self.code == other.code
            && self.lines == other.lines
            && self.raw() == other.raw()
            && self.data() == other.data()
    }
}

impl Eq for Reply {}

impl core::hash::Hash for Reply {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.code.hash(state);
        self.lines.hash(state);
        // Equal bytes with different texts are rare; hashing the bytes is enough.
        self.raw().hash(state);
    }
}

/// A line count as a [`Reply`] keeps it; the decoder never counts past `u32::MAX`.
fn count(lines: usize) -> u32 {
    u32::try_from(lines).unwrap_or(u32::MAX)
}

fn join_lossy<'a>(lines: impl Iterator<Item = &'a [u8]>) -> String {
    let mut out = String::new();
    for (i, line) in lines.enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&String::from_utf8_lossy(line));
    }
    out
}

/// A reply borrowed from a buffer the caller holds: what
/// [`ReplyDecoder::replies`](crate::ReplyDecoder::replies) gives, with no copy and
/// no reference counting. The same accessors as [`Reply`] for its lines;
/// [`to_reply`](Self::to_reply) makes an owned [`Reply`] (a copy).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ReplyRef<'a> {
    code: ReplyCode,
    raw: &'a [u8],
    /// The raw bytes with Telnet sequences interpreted, when that changes them.
    text: Option<Cow<'a, [u8]>>,
    lines: usize,
}

impl<'a> ReplyRef<'a> {
    pub(crate) fn from_parts(
        code: ReplyCode,
        raw: &'a [u8],
        text: Option<alloc::vec::Vec<u8>>,
        lines: usize,
    ) -> ReplyRef<'a> {
        ReplyRef {
            code,
            raw,
            text: text.map(Cow::Owned),
            lines,
        }
    }

    /// The reply code.
    #[must_use]
    pub fn code(&self) -> ReplyCode {
        self.code
    }

    /// The exact bytes received, line endings and any Telnet sequences included.
    #[must_use]
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The bytes with Telnet sequences interpreted; see [`Reply::data`].
    #[must_use]
    pub fn data(&self) -> &[u8] {
        self.text.as_deref().unwrap_or(self.raw)
    }

    /// Whether the reply was sent as a multi-line reply.
    #[must_use]
    pub fn is_multiline(&self) -> bool {
        self.lines > 1
    }

    /// How many lines the reply has.
    #[must_use]
    pub fn line_count(&self) -> usize {
        self.lines
    }

    /// The text lines; see [`Reply::lines`].
    #[must_use]
    pub fn lines(&self) -> Lines<'_> {
        Lines::new(self.data(), self.code)
    }

    /// The lines as received; see [`Reply::raw_lines`].
    #[must_use]
    pub fn raw_lines(&self) -> RawLines<'_> {
        RawLines { rest: self.data() }
    }

    /// The first text line (after the code and separator).
    #[must_use]
    pub fn first_line(&self) -> &[u8] {
        self.lines().next().unwrap_or_default()
    }

    /// The text lines joined by `\n`, as UTF-8 with invalid bytes replaced.
    #[must_use]
    pub fn text(&self) -> String {
        join_lossy(self.lines())
    }

    /// An owned [`Reply`] with the same bytes (copied).
    #[must_use]
    pub fn to_reply(&self) -> Reply {
        match &self.text {
            None => Reply::inline(self.code, self.raw, self.lines),
            Some(_) => None,
        }
        .unwrap_or_else(|| {
            Reply::shared(
                self.code,
                Bytes::copy_from_slice(self.raw),
                self.text.as_deref().map(Bytes::copy_from_slice),
                self.lines,
            )
        })
    }
}

impl fmt::Debug for ReplyRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplyRef")
            .field("code", &self.code.as_u16())
            .field("text", &self.text())
            .finish()
    }
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reply")
            .field("code", &self.code.as_u16())
            .field("text", &self.text())
            .finish()
    }
}

/// Splits off one line ending at LF (CR before it removed); the rest after the LF.
#[inline]
fn split_line(rest: &[u8]) -> (&[u8], &[u8]) {
    let (line, rest) = match memchr::memchr(b'\n', rest) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    (line.strip_suffix(b"\r").unwrap_or(line), rest)
}

/// The text lines of a [`Reply`]; see [`Reply::lines`].
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    rest: &'a [u8],
    digits: [u8; 3],
    first: bool,
}

impl<'a> Lines<'a> {
    fn new(data: &'a [u8], code: ReplyCode) -> Lines<'a> {
        Lines {
            rest: data,
            digits: code.digits(),
            first: true,
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.rest.is_empty() {
            return None;
        }
        let (line, rest) = split_line(self.rest);
        let edge = self.first || rest.is_empty();
        self.first = false;
        self.rest = rest;
        let coded = line.len() >= 3 && line[..3] == self.digits;
        Some(match line.get(3) {
            Some(b'-' | b' ') if coded => &line[4..],
            None if coded && edge => &line[3..],
            _ => line,
        })
    }
}

/// The raw lines of a [`Reply`]; see [`Reply::raw_lines`].
#[derive(Debug, Clone)]
pub struct RawLines<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for RawLines<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.rest.is_empty() {
            return None;
        }
        let (line, rest) = split_line(self.rest);
        self.rest = rest;
        Some(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A short reply's bytes fit in the room a shared one takes (two `Bytes`):
    /// holding them inline makes a `Reply` no larger than it was with only shared
    /// bytes.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn inline_replies_take_no_more_room() {
        assert_eq!(core::mem::size_of::<Body>(), 64);
        assert_eq!(core::mem::size_of::<Reply>(), 72);
    }
}
