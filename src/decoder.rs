//! The streaming reply decoder: finds where each reply ends, in one pass over the
//! bytes, keeping its position between calls.

use bytes::{Buf, BytesMut};

use crate::code::ReplyCode;
use crate::error::DecodeError;
use crate::parse::{self, Head as HeadParse, Separator};
use crate::reply::{Reply, ReplyRef};
use crate::telnet::{self, IAC, Seq};

/// Limits and leniency of a [`ReplyDecoder`].
///
/// The defaults accept every reply real servers send (lines of several KiB, STAT
/// listings of thousands of lines) and still bound what a hostile server can make
/// the decoder buffer:
///
/// | setting | default |
/// |---|---|
/// | [`max_line_len`](Self::max_line_len) | 64 KiB |
/// | [`max_reply_len`](Self::max_reply_len) | 16 MiB |
/// | [`max_lines`](Self::max_lines) | 200 000 |
/// | [`strict_line_endings`](Self::strict_line_endings) | off (a bare LF ends a line) |
/// | [`telnet`](Self::telnet) | on (`IAC IAC` is 0xFF, Telnet commands are not text) |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecoderConfig {
    max_line_len: usize,
    max_reply_len: usize,
    max_lines: usize,
    strict_line_endings: bool,
    telnet: bool,
}

impl Default for DecoderConfig {
    fn default() -> Self {
        DecoderConfig::new()
    }
}

impl DecoderConfig {
    /// The default configuration (see the table above).
    #[must_use]
    pub const fn new() -> Self {
        DecoderConfig {
            max_line_len: 64 * 1024,
            max_reply_len: 16 * 1024 * 1024,
            max_lines: 200_000,
            strict_line_endings: false,
            telnet: true,
        }
    }

    /// No limits at all (but `u32::MAX` lines a reply, see
    /// [`max_lines`](Self::max_lines)).
    ///
    /// **Warning:** a server that never ends a line or a reply then makes the decoder
    /// buffer without bound, until memory runs out. Use this only for input that is
    /// already bounded and trusted (a file you wrote, a test).
    #[must_use]
    pub const fn unbounded() -> Self {
        DecoderConfig {
            max_line_len: usize::MAX,
            max_reply_len: usize::MAX,
            max_lines: MAX_LINES,
            ..DecoderConfig::new()
        }
    }

    /// The longest line, in bytes, its line ending included.
    #[must_use]
    pub const fn max_line_len(mut self, bytes: usize) -> Self {
        self.max_line_len = bytes;
        self
    }

    /// The largest reply, in bytes, all its lines and line endings included.
    #[must_use]
    pub const fn max_reply_len(mut self, bytes: usize) -> Self {
        self.max_reply_len = bytes;
        self
    }

    /// The most lines one reply may have, at most `u32::MAX` (a [`Reply`] counts
    /// its lines in 32 bits; a larger value means `u32::MAX`).
    #[must_use]
    pub const fn max_lines(mut self, lines: usize) -> Self {
        self.max_lines = if lines < MAX_LINES { lines } else { MAX_LINES };
        self
    }

    /// With `true`, a line must end with CRLF, as RFC 959 requires; a bare LF is
    /// a [`DecodeError::BareLineFeed`]. By default a bare LF ends a line too. A CR
    /// that is not followed by LF is always text.
    #[must_use]
    pub const fn strict_line_endings(mut self, strict: bool) -> Self {
        self.strict_line_endings = strict;
        self
    }

    /// With `true` (the default), the control connection is read as a Telnet NVT:
    /// `IAC IAC` stands for one 0xFF text byte, and Telnet commands (`IAC` and a
    /// command byte, with an option byte after WILL/WONT/DO/DONT) are not text.
    /// [`Reply::raw`] keeps the bytes as received either way; the text is copied
    /// only when an `IAC` is actually present. With `false`, every byte is text.
    #[must_use]
    pub const fn telnet(mut self, telnet: bool) -> Self {
        self.telnet = telnet;
        self
    }

    /// See [`max_line_len`](Self::max_line_len).
    #[must_use]
    pub const fn get_max_line_len(&self) -> usize {
        self.max_line_len
    }

    /// See [`max_reply_len`](Self::max_reply_len).
    #[must_use]
    pub const fn get_max_reply_len(&self) -> usize {
        self.max_reply_len
    }

    /// See [`max_lines`](Self::max_lines).
    #[must_use]
    pub const fn get_max_lines(&self) -> usize {
        self.max_lines
    }

    /// See [`strict_line_endings`](Self::strict_line_endings).
    #[must_use]
    pub const fn get_strict_line_endings(&self) -> bool {
        self.strict_line_endings
    }

    /// See [`telnet`](Self::telnet).
    #[must_use]
    pub const fn get_telnet(&self) -> bool {
        self.telnet
    }
}

/// Decodes FTP replies from the bytes of a control connection, as they arrive.
///
/// Give it whatever the socket returned, appended to one [`BytesMut`]; each call
/// to [`decode`](Self::decode) takes one complete reply off the front of the
/// buffer, or returns `Ok(None)` when more bytes are needed. A short reply is
/// copied into the [`Reply`], a longer one holds its bytes as one [`bytes::Bytes`]
/// split off the buffer, without a copy (see [`Reply`]). This is the shape of
/// `tokio_util::codec::Decoder` (implemented with the `tokio` feature).
///
/// ```
/// use bytes::BytesMut;
/// use ftp_reply::{ReplyCode, ReplyDecoder};
///
/// let mut decoder = ReplyDecoder::new();
/// let mut buf = BytesMut::from(&b"220-Welcome\r\n220 rea"[..]);
/// assert!(decoder.decode(&mut buf)?.is_none()); // half a reply: wait for more
/// buf.extend_from_slice(b"dy\r\n331 Password required\r\n");
/// let greeting = decoder.decode(&mut buf)?.unwrap();
/// assert_eq!(greeting.code(), ReplyCode::SERVICE_READY);
/// assert_eq!(greeting.lines().collect::<Vec<_>>(), [&b"Welcome"[..], b"ready"]);
/// let next = decoder.decode(&mut buf)?.unwrap();
/// assert_eq!(next.code(), ReplyCode::NEED_PASSWORD);
/// # Ok::<(), ftp_reply::DecodeError>(())
/// ```
///
/// # Framing (RFC 959 §4.2)
///
/// A reply starts with a line of a three-digit code (first digit 1–6) followed by a
/// space (a single-line reply), a hyphen (a multi-line reply) or the line end (empty
/// text). A multi-line reply ends at the first later line that is the same code
/// followed by a space or the line end; every line in between is text, whatever it
/// starts with. Lines end with CRLF, or a bare LF unless
/// [`strict_line_endings`](DecoderConfig::strict_line_endings) is set.
///
/// # Cost
///
/// The decoder remembers how far it has looked, so each byte is examined a bounded
/// number of times however the stream is cut: feeding a reply one byte at a time
/// costs time linear in its size. Line ends are found a word at a time in the
/// first bytes of a reply's first line and with `memchr` after; `IAC` bytes are looked for with
/// `memchr` a few kilobytes ahead of the line being read.
///
/// # Errors and recovery
///
/// An error is reported as soon as the bytes seen prove it, at the earliest
/// offending byte, so the same stream gives the same replies and errors however
/// it is cut into reads. Limits are reported as soon as they are crossed, never
/// after buffering the rest. After an error the decoder resumes by itself:
///
/// - a line that does not start a reply ([`DecodeError::InvalidReplyLine`]), and any
///   error on a single-line reply: the rest of that line is discarded, and
///   decoding resumes at the next line;
/// - an error in any line of a multi-line reply, its first line included (a limit
///   crossed, a bare LF in strict mode): the rest of the reply is discarded, up to
///   and including its end line, and decoding resumes after it;
/// - [`DecodeError::Truncated`] (from [`decode_eof`](Self::decode_eof)): the partial
///   reply is discarded; the decoder is then empty.
///
/// Discarded bytes are dropped from the buffer as they arrive, so recovery from an
/// endless line or reply uses no more memory than one read.
///
/// The buffer must only be appended to between calls (or cleared, which also
/// resets the decoder's position in it).
#[derive(Debug, Clone)]
pub struct ReplyDecoder {
    config: DecoderConfig,
    /// Stream offset of `buf[0]`.
    consumed: u64,
    mode: Mode,
    /// The code of the multi-line reply whose first line has been read.
    open: Option<ReplyCode>,
    /// Complete lines of the current reply.
    lines: usize,
    /// Buffer offset of the current line's first byte.
    line_start: usize,
    /// Buffer offset up to which bytes have been examined; never inside a Telnet sequence.
    scan: usize,
    /// The first data bytes of the current line.
    head: LineHead,
    /// Whether the current reply has Telnet sequences that change its text.
    iac: bool,
    /// The digits of `open`, compared against the start of every line.
    open_digits: [u8; 3],
    /// `buf[plain_from..plain_to]` holds no `IAC`; `buf[plain_to]`, if it exists,
    /// is one or has not been searched yet. Lets whole lines be taken with one
    /// search when Telnet is on.
    plain_from: usize,
    plain_to: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Reading replies.
    Normal,
    /// Dropping bytes up to and including the current line's end.
    SkipLine,
    /// Dropping lines up to and including the end line of a reply with this code.
    SkipReply(ReplyCode),
}

/// Up to five data bytes from the start of a line and where they were: the first
/// and the last raw byte of each (two apart for `IAC IAC`).
#[derive(Debug, Clone, Copy, Default)]
struct LineHead {
    bytes: [u8; 5],
    pos: [usize; 5],
    end: [usize; 5],
    len: usize,
}

impl LineHead {
    const CAP: usize = 5;

    #[inline]
    fn full(&self) -> bool {
        self.len == Self::CAP
    }

    #[inline]
    fn push(&mut self, byte: u8, pos: usize, end: usize) {
        if self.len < Self::CAP {
            self.bytes[self.len] = byte;
            self.pos[self.len] = pos;
            self.end[self.len] = end;
            self.len += 1;
        }
    }

    /// The line's content bytes held here, once the line is complete: a CR that was
    /// the last data byte before the LF is the line ending, not content.
    fn content(&self, complete: bool) -> &[u8] {
        let b = &self.bytes[..self.len];
        if complete && !self.full() && b.last() == Some(&b'\r') {
            &b[..b.len() - 1]
        } else {
            b
        }
    }

    fn parse(&self, complete: bool) -> HeadParse {
        // A full head holds enough to decide; it is never parsed as the whole line.
        let complete = complete && !self.full();
        parse::reply_head(self.content(complete), complete)
    }

    /// Whether a complete line is the end line of a multi-line reply with `code`:
    /// the code followed by a space or the line end.
    fn is_end_line(&self, code: ReplyCode) -> bool {
        let c = self.content(true);
        c.len() >= 3
            && c[..3] == code.digits()
            && (c.get(3) == Some(&b' ') || (c.len() == 3 && !self.full()))
    }
}

/// A reply found at the front of the buffer.
#[derive(Debug, Clone, Copy)]
struct Found {
    code: ReplyCode,
    /// Its length: it is `buf[..end]`.
    end: usize,
    lines: usize,
    /// Whether its text differs from its bytes by Telnet sequences.
    iac: bool,
}

/// What one call of the framer found.
#[derive(Debug)]
enum Framed {
    Reply(Found),
    NeedMore,
    Error(DecodeError),
}

/// One violation of the framing rules or limits: the error, and the buffer position
/// of the byte that proves it, which orders violations found in the same line.
struct Violation {
    pos: usize,
    error: DecodeError,
}

impl Default for ReplyDecoder {
    fn default() -> Self {
        ReplyDecoder::new()
    }
}

impl ReplyDecoder {
    /// A decoder with the default [`DecoderConfig`].
    #[must_use]
    pub fn new() -> Self {
        ReplyDecoder::with_config(DecoderConfig::new())
    }

    /// A decoder with the given limits and leniency.
    #[must_use]
    pub fn with_config(config: DecoderConfig) -> Self {
        ReplyDecoder {
            config,
            consumed: 0,
            mode: Mode::Normal,
            open: None,
            lines: 0,
            line_start: 0,
            scan: 0,
            head: LineHead::default(),
            iac: false,
            open_digits: [0; 3],
            plain_from: 0,
            plain_to: 0,
        }
    }

    /// The configuration in use.
    #[must_use]
    pub fn config(&self) -> &DecoderConfig {
        &self.config
    }

    /// Stream offset of the first byte still in the buffer: how many bytes have been
    /// taken off it as replies or discarded.
    #[must_use]
    pub fn stream_offset(&self) -> u64 {
        self.consumed
    }

    /// Whether the decoder is in the middle of a reply, or discarding after an error:
    /// whether it holds state about bytes it has examined. Bytes it has not examined
    /// yet do not count (an `IAC` at the front of the buffer whose sequence is cut by
    /// the buffer's end waits unexamined), so a caller checking for a clean end of
    /// stream checks that the buffer is empty too, as [`decode_eof`](Self::decode_eof)
    /// does.
    #[must_use]
    pub fn is_mid_reply(&self) -> bool {
        self.mode != Mode::Normal || self.open.is_some() || self.scan > 0
    }

    /// Takes one complete reply off the front of `buf`.
    ///
    /// `Ok(None)` means more bytes are needed (never an error for a partial reply).
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] when the bytes break the framing rules or a limit; see
    /// [Errors and recovery](Self#errors-and-recovery) for what happens next.
    pub fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Reply>, DecodeError> {
        // The common case first, without the general framer's bookkeeping: a short
        // reply, copied out of the buffer (see `Reply`).
        if self.at_fresh_line(buf.len())
            && let Some(found) = self.fast_lines(buf)
        {
            if Self::is_inline(&found) {
                return Ok(Some(Self::take_inline(buf, found)));
            }
            return Self::split_found(buf, found);
        }
        let (dropped, framed) = self.frame(buf);
        if dropped > 0 {
            buf.advance(dropped);
        }
        match framed {
            Framed::Reply(found) => Ok(Some(Self::split_reply(buf, found))),
            Framed::NeedMore => Ok(None),
            Framed::Error(e) => Err(e),
        }
    }

    /// Whether the reply `found` is held inline (see [`Reply`]).
    #[inline(always)]
    fn is_inline(found: &Found) -> bool {
        !found.iac && found.end <= Reply::INLINE_CAPACITY
    }

    /// Takes the short reply `found` off the front of `buf`: copies it, then
    /// advances the buffer past it.
    #[inline(always)]
    fn take_inline(buf: &mut BytesMut, found: Found) -> Reply {
        let block = Reply::inline_block(buf, found.end);
        buf.advance(found.end);
        Reply::from_inline(found.code, block, found.end, found.lines)
    }

    /// Takes the reply `found`, too long to be held inline, off the front of `buf`,
    /// for [`decode`](Self::decode) (out of line, so that the short replies' path
    /// stays small).
    #[inline(never)]
    fn split_found(buf: &mut BytesMut, found: Found) -> Result<Option<Reply>, DecodeError> {
        Ok(Some(Self::split_shared(buf, found)))
    }

    /// Whether the decoder is reading replies and stands at the start of a line it
    /// has not looked at yet, in a buffer that was only appended to.
    #[inline]
    fn at_fresh_line(&self, len: usize) -> bool {
        self.mode == Mode::Normal
            && self.scan == self.line_start
            && self.head.len == 0
            && self.scan <= len
    }

    /// Takes the reply `found` off the front of `buf`: a short one is copied and
    /// the buffer advanced past it, a longer one split off (see [`Reply`]).
    #[inline]
    fn split_reply(buf: &mut BytesMut, found: Found) -> Reply {
        if Self::is_inline(&found) {
            return Self::take_inline(buf, found);
        }
        Self::split_shared(buf, found)
    }

    /// Splits the reply `found`, too long to be held inline, off the front of
    /// `buf` (see [`Reply`]).
    #[inline]
    fn split_shared(buf: &mut BytesMut, found: Found) -> Reply {
        let raw = buf.split_to(found.end).freeze();
        let text = found.iac.then(|| bytes::Bytes::from(telnet::strip(&raw)));
        Reply::shared(found.code, raw, text, found.lines)
    }

    /// Decodes the replies of a complete buffer the caller already holds, without
    /// copying or reference counting: each [`ReplyRef`] borrows from `input`. The end
    /// of `input` is the end of the stream (as with [`decode_eof`](Self::decode_eof)):
    /// an unfinished reply there is a [`DecodeError::Truncated`]. Limits, errors and
    /// recovery are those of [`decode`](Self::decode).
    ///
    /// ```
    /// use ftp_reply::ReplyDecoder;
    /// let input = b"220 ready\r\n331 password\r\n230-Welcome\r\n230 in\r\n";
    /// let codes: Vec<u16> = ReplyDecoder::new()
    ///     .replies(input)
    ///     .map(|r| r.map(|reply| reply.code().as_u16()))
    ///     .collect::<Result<_, _>>()?;
    /// assert_eq!(codes, [220, 331, 230]);
    /// # Ok::<(), ftp_reply::DecodeError>(())
    /// ```
    pub fn replies(self, input: &[u8]) -> Replies<'_> {
        Replies {
            decoder: self,
            input,
            pos: 0,
            done: false,
        }
    }

    /// Finds the next reply at the front of `input` (positions kept in the decoder
    /// are relative to `input[0]`): the number of bytes to discard from the front
    /// first, and what follows them.
    fn frame(&mut self, input: &[u8]) -> (usize, Framed) {
        let mut buf = input;
        let mut dropped = 0;
        if self.scan > buf.len() {
            // The caller emptied or replaced the buffer: start over on what is there.
            self.reset_reply();
            self.mode = Mode::Normal;
            self.plain_from = 0;
            self.plain_to = 0;
        }
        loop {
            if self.at_fresh_line(buf.len())
                && let Some(found) = self.fast_lines(buf)
            {
                return (dropped, Framed::Reply(found));
            }
            let lf = self.scan_line(buf);
            if self.mode != Mode::Normal {
                match lf {
                    None => {
                        // Drop what has been examined; the head keeps what the
                        // end-line test needs.
                        let n = self.scan;
                        self.drop_front(&mut buf, &mut dropped, n);
                        return (dropped, Framed::NeedMore);
                    }
                    Some(p) => {
                        let next = match self.mode {
                            Mode::SkipReply(code) if !self.head.is_end_line(code) => {
                                Mode::SkipReply(code)
                            }
                            // A skipped first line that opens a multi-line reply takes
                            // the whole reply with it. This is decided on the complete
                            // line, so that it does not depend on how much of the line
                            // had arrived when the error was found.
                            Mode::SkipLine => match self.head.parse(true) {
                                HeadParse::Valid(code, Separator::Hyphen) => Mode::SkipReply(code),
                                _ => Mode::Normal,
                            },
                            _ => Mode::Normal,
                        };
                        self.drop_front(&mut buf, &mut dropped, p + 1);
                        self.next_line_at(0);
                        self.mode = next;
                        if next == Mode::Normal {
                            self.reset_reply();
                        }
                        continue;
                    }
                }
            }

            let (head, violation) = self.check_line(buf, lf);
            if let Some(v) = violation {
                self.mode = match self.open {
                    Some(code) => Mode::SkipReply(code),
                    None => Mode::SkipLine,
                };
                // If the offending line is already complete, skipping starts at its end.
                return (dropped, Framed::Error(v.error.shift(self.consumed)));
            }
            let Some(p) = lf else {
                return (dropped, Framed::NeedMore);
            };
            match self.open {
                None => match head {
                    HeadParse::Valid(code, Separator::Hyphen) => {
                        self.open = Some(code);
                        self.open_digits = code.digits();
                        self.lines = 1;
                    }
                    HeadParse::Valid(code, _) => {
                        self.lines = 1;
                        return (dropped, Framed::Reply(self.take_reply(code, p + 1)));
                    }
                    // A complete first line always parses as valid or invalid, and an
                    // invalid one was reported above; answer defensively all the same.
                    HeadParse::Incomplete | HeadParse::Invalid { .. } => {
                        self.mode = Mode::SkipLine;
                        let error = DecodeError::InvalidReplyLine {
                            offset: self.consumed + self.line_start as u64,
                            reason: "expected a reply code",
                            found: None,
                        };
                        return (dropped, Framed::Error(error));
                    }
                },
                Some(code) => {
                    self.lines += 1;
                    if self.head.is_end_line(code) {
                        return (dropped, Framed::Reply(self.take_reply(code, p + 1)));
                    }
                }
            }
            self.next_line_at(p + 1);
        }
    }

    /// As [`decode`](Self::decode), at the end of the stream: bytes left that do not
    /// make a complete reply are a [`DecodeError::Truncated`]. `Ok(None)` only when
    /// the buffer holds nothing more.
    ///
    /// # Errors
    ///
    /// As [`decode`](Self::decode), and [`DecodeError::Truncated`].
    pub fn decode_eof(&mut self, buf: &mut BytesMut) -> Result<Option<Reply>, DecodeError> {
        if let Some(reply) = self.decode(buf)? {
            return Ok(Some(reply));
        }
        let len = buf.len();
        let result = self.end_of_stream(len);
        buf.advance(len);
        result
    }

    /// The end of the stream with `len` bytes left that make no reply: they are
    /// discarded, and are a [`DecodeError::Truncated`] unless they were being skipped.
    fn end_of_stream(&mut self, len: usize) -> Result<Option<Reply>, DecodeError> {
        let skipping = self.mode != Mode::Normal;
        let offset = self.consumed;
        self.consumed += len as u64;
        self.mode = Mode::Normal;
        self.reset_reply();
        self.plain_from = 0;
        self.plain_to = 0;
        if skipping || len == 0 {
            Ok(None)
        } else {
            Err(DecodeError::Truncated {
                offset,
                buffered: len,
            })
        }
    }

    /// Examines the current line from where the last call stopped, up to its LF
    /// (returned) or the end of the buffer, collecting its head.
    #[inline]
    fn scan_line(&mut self, buf: &[u8]) -> Option<usize> {
        let telnet = self.config.telnet;
        let mut i = self.scan;
        // The first data bytes of the line, one by one.
        while !self.head.full() {
            let Some(&b) = buf.get(i) else {
                self.scan = i;
                return None;
            };
            if b == b'\n' {
                self.scan = i;
                return Some(i);
            }
            if telnet && b == IAC {
                match telnet::sequence(&buf[i..]) {
                    Seq::Incomplete => {
                        self.scan = i;
                        return None;
                    }
                    Seq::Data(n) => {
                        // Known to be data only once the byte after the IAC is seen.
                        self.head.push(IAC, i, i + 1);
                        self.iac |= n == 2;
                        i += n;
                    }
                    Seq::Command(n) => {
                        self.iac = true;
                        i += n;
                    }
                }
            } else {
                self.head.push(b, i, i);
                i += 1;
            }
        }
        // The rest of the line: jump from one LF or IAC to the next.
        loop {
            let rest = buf.get(i..).unwrap_or_default();
            let found = if telnet {
                memchr::memchr2(b'\n', IAC, rest)
            } else {
                memchr::memchr(b'\n', rest)
            };
            let Some(k) = found else {
                self.scan = buf.len();
                return None;
            };
            let p = i + k;
            if buf[p] == b'\n' {
                self.scan = p;
                return Some(p);
            }
            match telnet::sequence(&buf[p..]) {
                Seq::Incomplete => {
                    self.scan = p;
                    return None;
                }
                Seq::Data(n) => {
                    self.iac |= n == 2;
                    i = p + n;
                }
                Seq::Command(n) => {
                    self.iac = true;
                    i = p + n;
                }
            }
        }
    }

    /// Checks the current line (complete when `lf` is given) against the framing
    /// rules and limits, and returns its head and the earliest violation, if any.
    fn check_line(&self, buf: &[u8], lf: Option<usize>) -> (HeadParse, Option<Violation>) {
        let complete = lf.is_some();
        let visible = lf.map_or(buf.len(), |p| p + 1);
        let mut first: Option<Violation> = None;
        let mut note = |pos: usize, error: DecodeError| {
            if first.as_ref().is_none_or(|v| pos < v.pos) {
                first = Some(Violation { pos, error });
            }
        };

        // Limits first: a limit is known as soon as the byte crossing it arrives,
        // while an IAC at that same byte is known to be an invalid first byte only
        // with the byte after it, so the limit must win a tie at one position for
        // the answer not to depend on how the stream is cut.
        let limits = &self.config;
        if visible - self.line_start > limits.max_line_len {
            note(
                self.line_start.saturating_add(limits.max_line_len),
                DecodeError::LineTooLong {
                    offset: self.line_start as u64,
                    limit: limits.max_line_len,
                },
            );
        }
        if visible > limits.max_reply_len {
            note(
                limits.max_reply_len,
                DecodeError::ReplyTooLarge {
                    offset: 0,
                    limit: limits.max_reply_len,
                },
            );
        }
        let head = if self.open.is_none() {
            let head = self.head.parse(complete);
            if let HeadParse::Invalid { index, reason } = head {
                let line_end = lf.unwrap_or(buf.len());
                // `at`: the offending byte; `seen`: the last byte needed to know it
                // offends, which orders this error among the others. A CR after the
                // code is only wrong once the byte after it is known not to be LF.
                let (at, seen, found) = if index < self.head.len {
                    let h = &self.head;
                    let seen = if index == 3 && h.bytes[3] == b'\r' {
                        if h.len > 4 { h.end[4] } else { line_end }
                    } else {
                        h.end[index]
                    };
                    // A CR that turned out to be the line ending is still named as
                    // the byte it is, as it was before the line's end arrived.
                    (h.pos[index], seen, Some(h.bytes[index]))
                } else {
                    (line_end, line_end, None)
                };
                note(
                    seen,
                    DecodeError::InvalidReplyLine {
                        offset: at as u64,
                        reason,
                        found,
                    },
                );
            }
            head
        } else {
            HeadParse::Incomplete
        };

        if let Some(p) = lf {
            if limits.strict_line_endings && (p == 0 || buf[p - 1] != b'\r') {
                note(p, DecodeError::BareLineFeed { offset: p as u64 });
            }
            // A line that does not end the reply means at least one more line.
            let continues = match (self.open, head) {
                (Some(code), _) => !self.head.is_end_line(code),
                (None, HeadParse::Valid(_, Separator::Hyphen)) => true,
                _ => false,
            };
            if continues && self.lines + 2 > limits.max_lines {
                note(
                    p,
                    DecodeError::TooManyLines {
                        offset: 0,
                        limit: limits.max_lines,
                    },
                );
            }
        }
        (head, first)
    }

    /// Ends the reply that is the first `end` bytes of the buffer: what the caller
    /// takes off it.
    #[inline]
    fn take_reply(&mut self, code: ReplyCode, end: usize) -> Found {
        let found = Found {
            code,
            end,
            lines: self.lines,
            iac: self.iac && self.config.telnet,
        };
        self.consumed += end as u64;
        self.open = None;
        self.lines = 0;
        self.iac = false;
        self.shift_positions(end);
        self.next_line_at(0);
        found
    }

    /// Discards the first `n` bytes of `buf` (counted in `dropped`, for the caller
    /// to take off its buffer).
    fn drop_front(&mut self, buf: &mut &[u8], dropped: &mut usize, n: usize) {
        *buf = &buf[n..];
        *dropped += n;
        self.consumed += n as u64;
        self.shift_positions(n);
    }

    /// Moves the positions kept in the buffer after `n` bytes left its front.
    #[inline]
    fn shift_positions(&mut self, n: usize) {
        self.scan -= n.min(self.scan);
        self.line_start = self.line_start.saturating_sub(n);
        self.plain_from = self.plain_from.saturating_sub(n);
        self.plain_to = self.plain_to.saturating_sub(n);
    }

    /// Starts a new line at buffer offset `at`.
    #[inline]
    fn next_line_at(&mut self, at: usize) {
        self.line_start = at;
        self.scan = at;
        self.head.len = 0;
    }

    /// Where the run of bytes without an `IAC` that starts at `from` ends, as far as
    /// it has been searched: at the next `IAC`, at the end of the buffer, or at
    /// least [`PLAIN_AHEAD`] / 2 bytes after `from`. Each byte is searched once.
    #[inline]
    fn plain_end(&mut self, buf: &[u8], from: usize) -> usize {
        if !self.config.telnet {
            return buf.len();
        }
        if from < self.plain_from || from > self.plain_to {
            self.plain_from = from;
            self.plain_to = from;
        }
        if self.plain_to - from < PLAIN_AHEAD / 2
            && self.plain_to < buf.len()
            && buf[self.plain_to] != IAC
        {
            let rest = &buf[self.plain_to..buf.len().min(self.plain_to + PLAIN_AHEAD)];
            self.plain_to += memchr::memchr(IAC, rest).unwrap_or(rest.len());
        }
        self.plain_to
    }

    /// The common case, without the per-byte machinery of [`scan_line`]: whole lines
    /// with no Telnet sequence and no limit or rule in question, each found with one
    /// search and judged by its first bytes. Stops (returning `None`, with the
    /// state at the start of a fresh line) at anything else, which the general path
    /// then handles; both give the same answers.
    #[inline(always)]
    fn fast_lines(&mut self, buf: &[u8]) -> Option<Found> {
        if self.open.is_none() {
            // The first line of a reply: most replies are this line alone.
            let first = self.line_start;
            let plain = self.plain_end(buf, first);
            let p = first + find_lf(&buf[first..plain])?;
            let len = self.plain_line(buf, first, p)?;
            let (code, sep) = plain_head(&buf[first..], len)?;
            if sep != Separator::Hyphen {
                // What take_reply does, for a reply read in one step: `open`,
                // `lines` and `iac` are as it leaves them.
                debug_assert!(self.lines == 0 && !self.iac);
                let end = p + 1;
                self.consumed += end as u64;
                self.shift_positions(end);
                return Some(Found {
                    code,
                    end,
                    lines: 1,
                    iac: false,
                });
            }
            if self.config.max_lines < 2 {
                return None;
            }
            self.lines = 1;
            self.open = Some(code);
            self.open_digits = code.digits();
            self.next_line_at(p + 1);
        }
        self.fast_more_lines(buf)
    }

    /// The lines after the first of a multi-line reply, for [`fast_lines`]
    /// (kept out of line, so that the single-line case stays small).
    #[inline(never)]
    fn fast_more_lines(&mut self, buf: &[u8]) -> Option<Found> {
        let mut start = self.line_start;
        loop {
            let plain = self.plain_end(buf, start);
            // One iterator across the lines: the search keeps its pace across line
            // ends instead of starting again for each line.
            let base = start;
            for k in memchr::memchr_iter(b'\n', &buf[base..plain]) {
                let p = base + k;
                let Some(len) = self.plain_line(buf, start, p) else {
                    self.next_line_at(start);
                    return None;
                };
                let content = &buf[start..start + len];
                let end = content.len() >= 3
                    && content[..3] == self.open_digits
                    && (content.len() == 3 || content[3] == b' ');
                if end {
                    self.lines += 1;
                    let code = self.open?;
                    return Some(self.take_reply(code, p + 1));
                }
                if self.lines + 2 > self.config.max_lines {
                    self.next_line_at(start);
                    return None;
                }
                self.lines += 1;
                start = p + 1;
            }
            // Go on past the bytes searched for `IAC` so far, unless an `IAC` or the
            // end of the buffer stopped them, or they held no whole line.
            if start == base || plain == buf.len() || buf[plain] == IAC {
                break;
            }
        }
        self.next_line_at(start);
        None
    }

    /// How many content bytes the complete line `buf[start..=lf]` has (its CR LF or
    /// LF not counted), or `None` when a limit or the strict line ending is in
    /// question, which the general path then judges.
    #[inline]
    fn plain_line(&self, buf: &[u8], start: usize, lf: usize) -> Option<usize> {
        let cr = lf > start && buf[lf - 1] == b'\r';
        let limits = &self.config;
        if lf + 1 - start > limits.max_line_len
            || lf + 1 > limits.max_reply_len
            || (limits.strict_line_endings && !cr)
        {
            return None;
        }
        Some(lf - start - usize::from(cr))
    }

    fn reset_reply(&mut self) {
        self.open = None;
        self.lines = 0;
        self.iac = false;
        self.next_line_at(0);
    }
}

/// The replies of a complete buffer, borrowed from it; see [`ReplyDecoder::replies`].
#[derive(Debug, Clone)]
pub struct Replies<'a> {
    decoder: ReplyDecoder,
    input: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> Iterator for Replies<'a> {
    type Item = Result<ReplyRef<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let rest = &self.input[self.pos..];
        if self.decoder.at_fresh_line(rest.len())
            && let Some(found) = self.decoder.fast_lines(rest)
        {
            let raw = &rest[..found.end];
            self.pos += found.end;
            let text = found.iac.then(|| telnet::strip(raw));
            return Some(Ok(ReplyRef::from_parts(found.code, raw, text, found.lines)));
        }
        let (dropped, framed) = self.decoder.frame(rest);
        self.pos += dropped;
        match framed {
            Framed::Reply(found) => {
                let raw = &self.input[self.pos..self.pos + found.end];
                self.pos += found.end;
                let text = found.iac.then(|| telnet::strip(raw));
                Some(Ok(ReplyRef::from_parts(found.code, raw, text, found.lines)))
            }
            Framed::Error(e) => Some(Err(e)),
            Framed::NeedMore => {
                self.done = true;
                let left = self.input.len() - self.pos;
                self.pos = self.input.len();
                self.decoder.end_of_stream(left).err().map(Err)
            }
        }
    }
}

/// The most lines a [`Reply`] counts.
const MAX_LINES: usize = u32::MAX as usize;

/// How many bytes [`ReplyDecoder::plain_end`] searches for `IAC` at once: enough
/// for `memchr` to run at full speed, few enough that the bytes are still in the
/// cache when their lines are read.
const PLAIN_AHEAD: usize = 16 * 1024;

/// The position of the first LF in `hay`.
///
/// Most lines are short. For a short line, `memchr`'s setup costs more than the
/// search, and a loop that stops at the word holding the LF mispredicts its exit
/// about once a line, as line lengths vary. So the first 64 bytes are tested as
/// eight words, all of them, with the SWAR zero-byte test (a word's lowest flagged
/// byte is always a true match, and a word without LF has none), and the first
/// word with a match picked without a branch; the rest is searched with `memchr`.
#[inline(always)]
fn find_lf(hay: &[u8]) -> Option<usize> {
    if let Some(block) = hay.first_chunk::<64>() {
        let mut pos = 64u32;
        let (words, _) = block.as_chunks::<8>();
        for (i, w) in words.iter().enumerate().rev() {
            let z = lf_flags(w);
            let at = 8 * i as u32 + z.trailing_zeros() / 8;
            pos = if z != 0 { at } else { pos };
        }
        if pos < 64 {
            return Some(pos as usize);
        }
        return memchr::memchr(b'\n', &hay[64..]).map(|k| 64 + k);
    }
    memchr::memchr(b'\n', hay)
}

/// The SWAR zero-byte test of the eight bytes of `word` against LF: the high bit of
/// each byte that is LF is set, and of none before the first LF (bytes after it may
/// be flagged wrongly). No bit is set when there is no LF.
#[inline(always)]
fn lf_flags(word: &[u8; 8]) -> u64 {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    const LFS: u64 = u64::from_le_bytes([b'\n'; 8]);
    let x = u64::from_le_bytes(*word) ^ LFS;
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// The head of a complete line with no Telnet sequence in it, which starts `line`
/// and has `len` content bytes before its line ending, when it is one of the common
/// valid forms: `reply-code` and `SP` or `-`, or the code alone. `None` for anything
/// else, which [`parse::reply_head`] then judges; where both answer, they agree
/// (checked exhaustively over a small alphabet in the tests). The bytes are read
/// from the line's start whatever its length, so that reading them does not wait
/// for the search for the line's end.
#[inline]
fn plain_head(line: &[u8], len: usize) -> Option<(ReplyCode, Separator)> {
    // A line with three content bytes has at least its LF after them.
    let &[a, b, c, d] = line.first_chunk::<4>()?;
    let code = ReplyCode::from_digits([a, b, c])?;
    let sep = match (len, d) {
        (0..3, _) => return None,
        (3, _) => Separator::LineEnd,
        (_, b' ') => Separator::Space,
        (_, b'-') => Separator::Hyphen,
        _ => return None,
    };
    Some((code, sep))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `Reply` counts its lines in 32 bits: no configuration lets the decoder
    /// count past that.
    #[test]
    fn max_lines_is_bounded_by_what_a_reply_counts() {
        let most = u32::MAX as usize;
        assert_eq!(DecoderConfig::unbounded().get_max_lines(), most);
        assert_eq!(
            DecoderConfig::new().max_lines(usize::MAX).get_max_lines(),
            most
        );
        assert_eq!(DecoderConfig::new().max_lines(7).get_max_lines(), 7);
    }

    /// `find_lf` finds the first LF as `memchr` does, wherever it is, among bytes
    /// the word-at-a-time test could take for one (a byte one above or below it, or
    /// with its high bit flipped) and with a second LF after it.
    #[test]
    fn find_lf_agrees_with_memchr() {
        let others = [0x0B, 0x09, 0x8A, 0x0A ^ 0xFF, 0xFF, 0x00, 0x01, b'2'];
        for len in 0..=140 {
            for lf in 0..=len {
                let mut hay: alloc::vec::Vec<u8> = (0..len).map(|i| others[i % 8]).collect();
                if lf < len {
                    hay[lf] = b'\n';
                    if lf + 3 < len {
                        hay[lf + 3] = b'\n';
                    }
                }
                assert_eq!(find_lf(&hay), memchr::memchr(b'\n', &hay), "{len} {lf}");
            }
        }
    }

    /// `plain_head` is a shortcut for `parse::reply_head` on complete plain lines:
    /// wherever it answers, it must answer as the nom grammar does.
    #[test]
    fn plain_head_agrees_with_the_grammar() {
        let alphabet = [b'0', b'1', b'6', b'7', b'9', b' ', b'-', b'\r', b'a', 0xFF];
        let mut checked = 0;
        for len in 0..=5u32 {
            for n in 0..alphabet.len().pow(len) {
                let mut line = [0u8; 5];
                let mut k = n;
                for b in line.iter_mut().take(len as usize) {
                    *b = alphabet[k % alphabet.len()];
                    k /= alphabet.len();
                }
                let content = &line[..len as usize];
                // As the decoder sees the line: its ending, and the next line's
                // first bytes after it.
                for ending in [&b"\r\n"[..], b"\n", b"\r\n220 x", b"\n1"] {
                    let ended = [content, ending].concat();
                    if let Some((code, sep)) = plain_head(&ended, content.len()) {
                        assert_eq!(
                            parse::reply_head(content, true),
                            HeadParse::Valid(code, sep),
                            "{content:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100);
    }
}
