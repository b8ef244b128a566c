//! The invariant checks of the fuzz targets, shared with `tests/corpus.rs`.
//!
//! Each `pub fn` named after a fuzz target takes that target's raw input, derives
//! its test case from the bytes deterministically (with [`Source`]), runs the
//! library and panics on any broken invariant. The fuzz targets call these
//! functions, and `tests/corpus.rs` includes this file with `#[path]` and replays
//! the committed corpus through them, so a corpus file or a regression fails plain
//! `cargo test` exactly as it fails under libFuzzer.
//!
//! Only `std`, `bytes` and `ftp_reply` are used here: the main crate's tests can
//! compile this file without the fuzz crate's dependencies.

use bytes::BytesMut;
use ftp_reply::{
    DecodeError, DecoderConfig, EncodeError, Reply, ReplyCode, ReplyDecoder, encode_reply,
};

/// Reads a test case off the front of a fuzz input. Past the end it reads zeros,
/// so every input, however short, gives a test case.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    data: &'a [u8],
}

impl<'a> Source<'a> {
    /// A reader over `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Source { data }
    }

    /// The next byte, or 0 past the end.
    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    /// The next `n` bytes, or fewer at the end.
    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let (taken, rest) = self.data.split_at(n.min(self.data.len()));
        self.data = rest;
        taken
    }

    /// Everything not read yet.
    pub fn rest(self) -> &'a [u8] {
        self.data
    }
}

/// A decoder configuration read from one flag byte (and three more bytes with
/// small limits):
///
/// - bit 0: strict line endings; bit 1: Telnet off;
/// - bit 2: small limits from the next three bytes (line 0–255 bytes, reply
///   0–1020 bytes, 0–31 lines), where limit errors and recovery are frequent;
/// - bit 3 (without bit 2): no limits at all;
/// - otherwise the default limits.
pub fn config(src: &mut Source<'_>) -> DecoderConfig {
    let flags = src.byte();
    let base = if flags & 4 != 0 {
        DecoderConfig::new()
            .max_line_len(usize::from(src.byte()))
            .max_reply_len(usize::from(src.byte()) * 4)
            .max_lines(usize::from(src.byte() % 32))
    } else if flags & 8 != 0 {
        DecoderConfig::unbounded()
    } else {
        DecoderConfig::new()
    };
    base.strict_line_endings(flags & 1 != 0)
        .telnet(flags & 2 == 0)
}

/// One result of a decoded stream, with the decoder's stream offset right after it.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A reply, and the stream offset of its end.
    Reply(Reply, u64),
    /// An error, and the decoder's stream offset when it was returned.
    Error(DecodeError, u64),
}

/// A stream decoded with every invariant checked on the way.
#[derive(Debug)]
pub struct Decoded {
    /// The replies and errors, in order, end of stream included.
    pub items: Vec<Item>,
    /// The decoder's stream offset at the end.
    pub end: u64,
}

/// Decodes `input` fed in reads of the sizes `sizes` yields (a 0 is a call to
/// `decode` without new bytes; once it stops yielding, the rest arrives at once),
/// then the end of the stream, and checks after every call:
///
/// - every byte fed is either consumed or still buffered;
/// - a reply is exactly the input bytes at the offsets it claims, and keeps the
///   framing rules and limits (see [`check_reply`]);
/// - an error is about a byte that has arrived and is still buffered, names it
///   correctly (see [`check_error`]), and lies strictly after everything before it,
///   so decoding always moves forward;
/// - `Ok(None)` leaves at most `max_reply_len` bytes buffered (2, the start of a
///   Telnet sequence, while discarding);
/// - at the end the buffer is empty, the decoder is idle and at the stream's end.
pub fn decode_in_reads(
    config: DecoderConfig,
    input: &[u8],
    sizes: impl IntoIterator<Item = usize>,
) -> Decoded {
    let mut decoder = ReplyDecoder::with_config(config);
    let mut buf = BytesMut::new();
    let mut items = Vec::new();
    let mut fed = 0usize;
    let mut cursor = Cursor::default();
    // The given reads, then whatever is left in one.
    for read in sizes.into_iter().map(Some).chain([None]) {
        let n = read.unwrap_or(usize::MAX).min(input.len() - fed);
        if read.is_none() && n == 0 {
            break;
        }
        buf.extend_from_slice(&input[fed..fed + n]);
        fed += n;
        loop {
            let result = decoder.decode(&mut buf);
            assert_eq!(
                decoder.stream_offset() + buf.len() as u64,
                fed as u64,
                "bytes lost or invented: offset {} + buffered {} != fed {fed}",
                decoder.stream_offset(),
                buf.len()
            );
            match result {
                Ok(Some(reply)) => {
                    items.push(cursor.reply(&config, input, reply, decoder.stream_offset()));
                }
                Ok(None) => {
                    let bound = config.get_max_reply_len().max(2);
                    assert!(
                        buf.len() <= bound,
                        "{} bytes buffered waiting for more, over {bound}",
                        buf.len()
                    );
                    break;
                }
                Err(e) => {
                    check_error(&config, input, &e, decoder.stream_offset(), fed);
                    cursor.error(&e);
                    items.push(Item::Error(e, decoder.stream_offset()));
                }
            }
        }
    }
    // The end of the stream.
    loop {
        let before = decoder.stream_offset();
        let left = buf.len();
        match decoder.decode_eof(&mut buf) {
            Ok(Some(reply)) => {
                items.push(cursor.reply(&config, input, reply, decoder.stream_offset()));
            }
            Ok(None) => break,
            Err(e) => {
                if let DecodeError::Truncated { offset, buffered } = e {
                    assert_eq!(offset, before, "Truncated names the unfinished reply");
                    assert_eq!(buffered, left, "Truncated counts what was buffered");
                    assert!(buffered > 0, "Truncated with nothing buffered");
                    assert!(buf.is_empty(), "Truncated left bytes behind");
                } else {
                    check_error(&config, input, &e, decoder.stream_offset(), fed);
                }
                cursor.error(&e);
                items.push(Item::Error(e, decoder.stream_offset()));
            }
        }
    }
    assert!(buf.is_empty(), "decode_eof left {} bytes", buf.len());
    assert_eq!(decoder.stream_offset(), input.len() as u64);
    assert!(!decoder.is_mid_reply(), "mid-reply after decode_eof");
    Decoded {
        items,
        end: decoder.stream_offset(),
    }
}

/// The position of the last item, to check that items move strictly forward.
#[derive(Debug, Default)]
struct Cursor {
    /// The last item's position: a reply's first byte, an error's offset.
    last: Option<u64>,
    /// The end of the last reply.
    reply_end: u64,
}

impl Cursor {
    fn advance(&mut self, pos: u64, what: &str) {
        if let Some(last) = self.last {
            assert!(
                pos > last,
                "{what} at {pos} does not come after the previous item at {last}"
            );
        }
        assert!(
            pos >= self.reply_end,
            "{what} at {pos} inside the last reply"
        );
        self.last = Some(pos);
    }

    fn reply(&mut self, config: &DecoderConfig, input: &[u8], reply: Reply, end: u64) -> Item {
        let len = reply.raw().len() as u64;
        assert!(end >= len, "a reply longer than the stream before it");
        let start = end - len;
        assert_eq!(
            &input[start as usize..end as usize],
            reply.raw(),
            "the reply's bytes are not the input at {start}..{end}"
        );
        self.advance(start, "a reply");
        self.reply_end = end;
        check_reply(config, &reply);
        Item::Reply(reply, end)
    }

    fn error(&mut self, e: &DecodeError) {
        self.advance(e.offset(), "an error");
    }
}

/// The framing rules and limits a decoded reply keeps.
pub fn check_reply(config: &DecoderConfig, reply: &Reply) {
    let raw = reply.raw();
    let data = reply.data();
    let digits = reply.code().digits();
    assert!(raw.ends_with(b"\n"), "a reply that does not end a line");
    assert!(
        raw.len() <= config.get_max_reply_len(),
        "reply over the limit"
    );
    let n = reply.line_count();
    assert!(n >= 1 && n <= config.get_max_lines().max(1), "{n} lines");
    assert_eq!(reply.is_multiline(), n > 1);
    // Every line, as received, is within the line limit (an LF that is a Telnet
    // option byte splits a line here, which only makes the pieces shorter).
    for line in raw.split_inclusive(|&b| b == b'\n') {
        assert!(
            line.len() <= config.get_max_line_len(),
            "a line of {} bytes, over the limit {}",
            line.len(),
            config.get_max_line_len()
        );
    }
    // The text is the raw bytes with Telnet interpreted, or the raw bytes.
    if config.get_telnet() {
        assert_eq!(data, &telnet_text(raw)[..], "Telnet interpretation");
    } else {
        assert_eq!(data, raw, "Telnet off but the text differs from the bytes");
    }
    if config.get_strict_line_endings() {
        assert!(raw.ends_with(b"\r\n"), "strict mode took a bare LF");
    }
    let raw_lines: Vec<&[u8]> = reply.raw_lines().collect();
    assert_eq!(raw_lines.len(), n, "raw_lines() and line_count() disagree");
    assert_eq!(
        reply.lines().count(),
        n,
        "lines() and line_count() disagree"
    );
    // The first line: the code, then `-` for a multi-line reply, a space or
    // nothing for a single-line one.
    let first = raw_lines[0];
    assert_eq!(
        &first[..3.min(first.len())],
        &digits[..],
        "first line's code"
    );
    match (first.get(3), n > 1) {
        (Some(b'-'), true) | (Some(b' ') | None, false) => {}
        (sep, multi) => panic!("first line separator {sep:?} with multi-line {multi}"),
    }
    // Every later line but the last is not an end line; the last one is.
    let is_end =
        |l: &[u8]| l.len() >= 3 && l[..3] == digits && matches!(l.get(3), None | Some(b' '));
    if n > 1 {
        for line in &raw_lines[1..n - 1] {
            assert!(!is_end(line), "a middle line {line:?} is an end line");
        }
        assert!(is_end(raw_lines[n - 1]), "the last line is not an end line");
    }
    let _ = reply.text();
    let _ = reply.first_line();
    let _ = format!("{reply:?}");
}

/// What an error names must be true of the input. `after` is the decoder's stream
/// offset right after it returned the error (the start of the reply the error is
/// about), `fed` how many bytes had arrived.
pub fn check_error(config: &DecoderConfig, input: &[u8], e: &DecodeError, after: u64, fed: usize) {
    let offset = e.offset();
    assert!(
        offset >= after && offset < fed as u64,
        "{e:?}: offset outside the buffered bytes {after}..{fed}"
    );
    let at = offset as usize;
    let line_start = at == 0 || input[at - 1] == b'\n';
    match *e {
        DecodeError::InvalidReplyLine { found, .. } => {
            assert_eq!(
                input[at],
                found.unwrap_or(b'\n'),
                "{e:?} does not name the byte at its offset"
            );
        }
        DecodeError::LineTooLong { limit, .. } => {
            assert_eq!(limit, config.get_max_line_len());
            assert!(line_start, "{e:?} is not at a line's start");
        }
        DecodeError::ReplyTooLarge { limit, .. } => {
            assert_eq!(limit, config.get_max_reply_len());
            assert_eq!(offset, after, "{e:?} is not at the reply's start");
            assert!(line_start, "{e:?} is not at a line's start");
        }
        DecodeError::TooManyLines { limit, .. } => {
            assert_eq!(limit, config.get_max_lines());
            assert_eq!(offset, after, "{e:?} is not at the reply's start");
            assert!(line_start, "{e:?} is not at a line's start");
        }
        DecodeError::BareLineFeed { .. } => {
            assert!(config.get_strict_line_endings(), "{e:?} in lenient mode");
            assert_eq!(input[at], b'\n');
            assert!(at == 0 || input[at - 1] != b'\r', "{e:?} after a CR");
        }
        DecodeError::Truncated { .. } => panic!("{e:?} from decode, not decode_eof"),
        _ => panic!("an error kind these checks do not know: {e:?}"),
    }
    let _ = e.to_string();
    let _ = e.kind();
}

/// The text of `raw` as a Telnet NVT, written out plainly (RFC 854): `IAC IAC` is
/// 0xFF, `IAC` 251–254 and an option byte and `IAC` 240–250 are dropped, `IAC`
/// and any other byte is kept as it is.
pub fn telnet_text(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] != 0xFF {
            out.push(raw[i]);
            i += 1;
            continue;
        }
        match raw.get(i + 1) {
            Some(0xFF) => {
                out.push(0xFF);
                i += 2;
            }
            Some(251..=254) if i + 2 < raw.len() => i += 3,
            Some(240..=250) => i += 2,
            _ => {
                out.push(0xFF);
                i += 1;
            }
        }
    }
    out
}

/// Read sizes from the input: a count (0–15) and that many sizes (0–255 each),
/// used in turn until the input is used up.
fn read_sizes(src: &mut Source<'_>) -> Vec<usize> {
    let k = usize::from(src.byte() % 16);
    let mut sizes: Vec<usize> = src.take(k).iter().map(|&b| usize::from(b)).collect();
    if sizes.iter().all(|&s| s == 0) {
        sizes.push(1);
    }
    sizes
}

/// Sizes used in turn, for as many reads as `len` bytes need.
fn cycle(sizes: &[usize], len: usize) -> impl Iterator<Item = usize> + '_ {
    let mut left = len;
    sizes.iter().copied().cycle().map_while(move |s| {
        if left == 0 {
            return None;
        }
        left -= s.min(left);
        Some(s)
    })
}

/// Target `decode_chunks`: a configuration ([`config`]), read sizes, then the
/// stream. Decoded whole, a byte at a time and in the given reads, with every
/// invariant of [`decode_in_reads`] checked, the three must give the same replies
/// and errors at the same offsets.
pub fn decode_chunks(data: &[u8]) {
    let mut src = Source::new(data);
    let config = config(&mut src);
    let sizes = read_sizes(&mut src);
    let input = src.rest();
    let whole = decode_in_reads(config, input, [input.len()]);
    let bytewise = decode_in_reads(config, input, cycle(&[1], input.len()));
    assert_eq!(
        bytewise.items, whole.items,
        "a byte at a time differs from whole"
    );
    borrowed_replies(config, input, &whole.items);
    let reads = decode_in_reads(config, input, cycle(&sizes, input.len()));
    assert_eq!(
        reads.items, whole.items,
        "reads of {sizes:?} differ from whole"
    );
    assert_eq!(whole.end, input.len() as u64);
}

/// `ReplyDecoder::replies` over the whole input gives the items of the streaming
/// decoder, each reply borrowed from the input at its offset, with the same
/// lines and text as the owned reply.
fn borrowed_replies(config: DecoderConfig, input: &[u8], items: &[Item]) {
    let mut replies = ReplyDecoder::with_config(config).replies(input);
    let mut got = Vec::new();
    for _ in 0..=input.len() + 1 {
        let Some(next) = replies.next() else { break };
        got.push(match next {
            Ok(r) => {
                let start = r.raw().as_ptr() as usize - input.as_ptr() as usize;
                let end = (start + r.raw().len()) as u64;
                let owned = r.to_reply();
                assert_eq!(r.data(), owned.data());
                assert_eq!(
                    r.lines().collect::<Vec<_>>(),
                    owned.lines().collect::<Vec<_>>()
                );
                assert_eq!(
                    r.raw_lines().collect::<Vec<_>>(),
                    owned.raw_lines().collect::<Vec<_>>()
                );
                assert_eq!(
                    (r.text(), r.first_line()),
                    (owned.text(), owned.first_line())
                );
                assert_eq!(
                    (r.line_count(), r.is_multiline()),
                    (owned.line_count(), owned.is_multiline())
                );
                Ok((owned, end))
            }
            Err(e) => Err(e),
        });
    }
    assert!(replies.next().is_none(), "replies() does not end");
    let want: Vec<Result<(Reply, u64), DecodeError>> = items
        .iter()
        .map(|i| match i {
            Item::Reply(r, end) => Ok((r.clone(), *end)),
            Item::Error(e, _) => Err(e.clone()),
        })
        .collect();
    assert_eq!(got, want, "replies() differs from decode()");
}

/// Target `decode_eof`: a configuration, a cut byte, then the stream. The stream is
/// ended at the cut (`decode_eof`) and the same decoder then reads the rest as a new
/// stream, as after a reconnect. Checks:
///
/// - `decode_eof` alone gives what `decode` then `decode_eof` give;
/// - at most one `Truncated`, last, covering exactly the bytes left;
/// - after `decode_eof` the decoder is idle and empty, and decodes the rest exactly
///   as a new decoder does (offsets shifted by the cut);
/// - every strict prefix of a decoded first reply needs more bytes (`Ok(None)`,
///   nothing consumed) and is `Truncated` at the end of the stream.
pub fn decode_eof(data: &[u8]) {
    let mut src = Source::new(data);
    let config = config(&mut src);
    let cut_at = src.byte();
    let input = src.rest();
    let cut = input.len() * usize::from(cut_at) / 255;
    let (head, tail) = input.split_at(cut);

    // Ended at the cut, then reused for the rest.
    let mut decoder = ReplyDecoder::with_config(config);
    let mut buf = BytesMut::from(head);
    let first = eof_items(&mut decoder, &mut buf);
    assert!(buf.is_empty() && !decoder.is_mid_reply());
    assert_eq!(decoder.stream_offset(), cut as u64);
    let mut buf = BytesMut::from(tail);
    let second = eof_items(&mut decoder, &mut buf);
    assert_eq!(decoder.stream_offset(), input.len() as u64);

    // The same as decoding each part with all invariants, on its own.
    let reference = decode_in_reads(config, head, [head.len()]);
    assert_eq!(first, plain(&reference.items), "decode_eof alone differs");
    let reference = decode_in_reads(config, tail, [tail.len()]);
    let shifted: Vec<Result<Reply, DecodeError>> = plain(&reference.items)
        .into_iter()
        .map(|r| r.map_err(|e| shift(e, cut as u64)))
        .collect();
    assert_eq!(second, shifted, "the decoder is not fresh after decode_eof");

    for items in [&first, &second] {
        let truncated = items
            .iter()
            .filter(|r| matches!(r, Err(DecodeError::Truncated { .. })))
            .count();
        assert!(truncated <= 1, "more than one Truncated");
        if truncated == 1 {
            assert!(matches!(
                items.last(),
                Some(Err(DecodeError::Truncated { .. }))
            ));
        }
    }

    // Strict prefixes of the first reply.
    if let Some(Ok(reply)) = first.first() {
        let raw = reply.raw();
        let step = (raw.len() / 64).max(1);
        for n in (0..raw.len()).step_by(step) {
            let mut decoder = ReplyDecoder::with_config(config);
            let mut buf = BytesMut::from(&raw[..n]);
            assert_eq!(decoder.decode(&mut buf), Ok(None), "prefix {n} of a reply");
            assert_eq!(buf.len(), n, "prefix {n} consumed");
            let end = decoder.decode_eof(&mut buf);
            if n == 0 {
                assert_eq!(end, Ok(None));
            } else {
                assert_eq!(
                    end,
                    Err(DecodeError::Truncated {
                        offset: 0,
                        buffered: n
                    })
                );
            }
        }
    }
}

/// Calls `decode_eof` until it returns `Ok(None)`.
fn eof_items(decoder: &mut ReplyDecoder, buf: &mut BytesMut) -> Vec<Result<Reply, DecodeError>> {
    let mut out = Vec::new();
    // Every item takes at least one byte.
    let limit = buf.len() + 1;
    loop {
        match decoder.decode_eof(buf) {
            Ok(Some(r)) => out.push(Ok(r)),
            Ok(None) => return out,
            Err(e) => out.push(Err(e)),
        }
        assert!(out.len() <= limit, "decode_eof does not stop");
    }
}

fn plain(items: &[Item]) -> Vec<Result<Reply, DecodeError>> {
    items
        .iter()
        .map(|i| match i {
            Item::Reply(r, _) => Ok(r.clone()),
            Item::Error(e, _) => Err(e.clone()),
        })
        .collect()
}

/// `e` with its offset moved on by `by`.
fn shift(e: DecodeError, by: u64) -> DecodeError {
    let mut e = e;
    match &mut e {
        DecodeError::InvalidReplyLine { offset, .. }
        | DecodeError::LineTooLong { offset, .. }
        | DecodeError::ReplyTooLarge { offset, .. }
        | DecodeError::TooManyLines { offset, .. }
        | DecodeError::BareLineFeed { offset }
        | DecodeError::Truncated { offset, .. } => *offset += by,
        _ => panic!("an error kind these checks do not know: {e:?}"),
    }
    e
}

/// A reply to encode: a code and text lines, read from a fuzz input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenReply {
    /// The reply code.
    pub code: ReplyCode,
    /// The text lines (may contain LF, which the encoder must refuse).
    pub lines: Vec<Vec<u8>>,
}

impl GenReply {
    /// Two bytes of code (100–699), a line count (0–8), then per line a kind byte
    /// (a prefix: none, the code, the code and a space or hyphen, another code), a
    /// length (0–63) and its bytes.
    pub fn read(src: &mut Source<'_>) -> GenReply {
        let n = u16::from_le_bytes([src.byte(), src.byte()]);
        let code = ReplyCode::new(100 + n % 600).expect("100..=699 is a code");
        let count = src.byte() % 9;
        let digits = code.digits();
        let lines = (0..count)
            .map(|_| {
                let kind = src.byte();
                let len = usize::from(src.byte() % 64);
                let mut line = match kind % 8 {
                    4 => digits.to_vec(),
                    5 => [&digits[..], b" "].concat(),
                    6 => [&digits[..], b"-"].concat(),
                    7 => b"226 ".to_vec(),
                    _ => Vec::new(),
                };
                line.extend_from_slice(src.take(len));
                line
            })
            .collect();
        GenReply { code, lines }
    }
}

/// Target `roundtrip`: an encoded reply decodes back to the same code and lines,
/// byte for byte, with every setting that can read it; a line with LF is refused
/// with the right position and nothing written.
pub fn roundtrip(reply: &GenReply) {
    let GenReply { code, lines } = reply;
    let mut dst = BytesMut::from(&b"before"[..]);
    let result = encode_reply(*code, lines, &mut dst);
    let first_lf = lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| l.iter().position(|&b| b == b'\n').map(|offset| (i, offset)));
    if let Some((line, offset)) = first_lf {
        assert_eq!(result, Err(EncodeError::LineFeedInText { line, offset }));
        assert_eq!(&dst[..], b"before", "bytes written for a refused reply");
        assert_eq!(
            Reply::new(*code, lines),
            Err(EncodeError::LineFeedInText { line, offset })
        );
        return;
    }
    assert_eq!(result, Ok(()));
    let wire = dst.split_off(6).freeze();
    let expected: Vec<Vec<u8>> = if lines.is_empty() {
        vec![Vec::new()]
    } else {
        lines.clone()
    };
    let has_iac = lines.iter().any(|l| l.contains(&0xFF));

    let mut configs = vec![
        DecoderConfig::new(),
        DecoderConfig::new().strict_line_endings(true),
        DecoderConfig::unbounded(),
    ];
    if !has_iac {
        configs.push(DecoderConfig::new().telnet(false));
    }
    for config in configs {
        for sizes in [vec![wire.len()], vec![1]] {
            let decoded = decode_in_reads(config, &wire, cycle(&sizes, wire.len()));
            let [Item::Reply(got, _)] = &decoded.items[..] else {
                panic!("{config:?}: not one reply: {:?}", decoded.items);
            };
            assert_eq!(got.code(), *code);
            assert_eq!(got.raw(), &wire);
            let got_lines: Vec<Vec<u8>> = got.lines().map(<[u8]>::to_vec).collect();
            assert_eq!(got_lines, expected, "{config:?}: lines differ");
            assert_eq!(got.line_count(), expected.len());
            assert_eq!(got.is_multiline(), expected.len() > 1);
            let text: Vec<String> = expected
                .iter()
                .map(|l| String::from_utf8_lossy(l).into_owned())
                .collect();
            assert_eq!(got.text(), text.join("\n"));
        }
    }

    // Reply::new is the same reply; re-encoding the decoded lines the same bytes.
    let made = Reply::new(*code, lines).expect("no LF");
    assert_eq!(made.raw(), &wire);
    let again = Reply::new(*code, &made.lines().collect::<Vec<_>>()).expect("no LF");
    assert_eq!(
        again, made,
        "re-encoding the decoded lines changed the reply"
    );

    // Two copies back to back are two equal replies.
    let twice = [&wire[..], &wire[..]].concat();
    let decoded = decode_in_reads(DecoderConfig::new(), &twice, [twice.len()]);
    match &decoded.items[..] {
        [Item::Reply(a, _), Item::Reply(b, _)] => {
            assert_eq!(a, b);
            assert_eq!(a, &made);
        }
        other => panic!("two copies: {other:?}"),
    }
}

/// Target `roundtrip` on raw bytes, as `tests/corpus.rs` replays it.
pub fn roundtrip_bytes(data: &[u8]) {
    roundtrip(&GenReply::read(&mut Source::new(data)));
}

// ---------------------------------------------------------------------------
// Payloads. Each target either parses arbitrary text or builds a valid payload
// from the input (which must then parse to exactly what was built), compares
// the parser with a plain reference reading of its documented grammar, and
// checks that the reply accessors give what the parsers give.

use ftp_reply::payload::{
    self, Cleartext, PassivePolicy, PayloadError, PayloadKind, ProtectedPayload, Protection,
    SecurityMechanism,
};
use ftp_reply::{Payload, UnprotectError};
use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

/// What every payload error must be: of the right kind, on an existing line, at
/// an offset inside that line (or just past its end), and printable.
fn check_payload_error(e: &PayloadError, kind: PayloadKind, lines: &[&[u8]]) {
    assert_eq!(e.payload, kind, "{e:?}");
    if kind.is_multiline() {
        assert!(e.line <= lines.len(), "{e:?}: line past the end");
    } else {
        assert_eq!(e.line, 0, "{e:?}");
    }
    let len = lines.get(e.line).map_or(0, |l| l.len());
    assert!(e.offset <= len, "{e:?}: offset past the line's {len} bytes");
    let _ = e.to_string();
}

/// A reply with `code` and the single text line `text`, as a server sends it and
/// this crate decodes it; `None` when the text cannot be one line (it has an LF).
fn one_line_reply(code: u16, text: &[u8]) -> Option<Reply> {
    let code = ReplyCode::new(code).expect("a code");
    let reply = Reply::new(code, &[text]).ok()?;
    assert_eq!(
        reply.first_line(),
        text,
        "the text does not survive a reply"
    );
    Some(reply)
}

/// The run of ASCII digits at the start of `s`.
fn digit_run(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
    &s[..n]
}

/// The reference reading of a comma-separated list of numbers of 1–3 digits,
/// 0–255, as PASV and LPSV write them: the numbers and what follows, or `None`.
fn ref_number_list(s: &[u8]) -> Option<(Vec<u8>, &[u8])> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        let digits = digit_run(rest);
        if digits.is_empty() || digits.len() > 3 {
            return None;
        }
        let value: u16 = std::str::from_utf8(digits).ok()?.parse().ok()?;
        out.push(u8::try_from(value).ok()?);
        rest = &rest[digits.len()..];
        match rest.split_first() {
            Some((b',', r)) => rest = r,
            _ => return Some((out, rest)),
        }
    }
}

/// The reference reading of PASV/LPSV text around the numbers (RFC 1123
/// §4.1.2.6: scan for the first digit): the numbers, or `None` when the text
/// is not of the documented form.
fn ref_numbers(text: &[u8]) -> Option<Vec<u8>> {
    let first = text.iter().position(u8::is_ascii_digit)?;
    let opened = match first.checked_sub(1).map(|i| text[i]) {
        Some(b'+' | b'-' | b')') => return None,
        Some(b'(') => true,
        _ => false,
    };
    let (numbers, rest) = ref_number_list(&text[first..])?;
    let rest = match (opened, rest.first()) {
        (true, Some(b')')) => &rest[1..],
        (true, _) | (false, Some(b')')) => return None,
        (false, _) => rest,
    };
    match rest.first() {
        Some(b'(' | b')' | b',') => None,
        Some(b) if b.is_ascii_digit() => None,
        _ => Some(numbers),
    }
}

fn ref_pasv(text: &[u8]) -> Option<SocketAddrV4> {
    let n = ref_numbers(text)?;
    let [a, b, c, d, p1, p2] = <[u8; 6]>::try_from(n).ok()?;
    let port = u16::from_be_bytes([p1, p2]);
    (port != 0).then(|| SocketAddrV4::new(Ipv4Addr::new(a, b, c, d), port))
}

fn ref_lpsv(text: &[u8]) -> Option<SocketAddr> {
    let n = ref_numbers(text)?;
    let host_len = match n.first()? {
        4 => 4,
        6 => 16,
        _ => return None,
    };
    if n.len() != host_len + 5 || usize::from(n[1]) != host_len || n[host_len + 2] != 2 {
        return None;
    }
    let port = u16::from_be_bytes([n[host_len + 3], n[host_len + 4]]);
    if port == 0 {
        return None;
    }
    let host = &n[2..2 + host_len];
    Some(if host_len == 4 {
        SocketAddr::V4(SocketAddrV4::new(
            Ipv4Addr::new(host[0], host[1], host[2], host[3]),
            port,
        ))
    } else {
        let octets: [u8; 16] = host.try_into().ok()?;
        SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::from(octets), port, 0, 0))
    })
}

/// RFC 2428: text, `(`, a delimiter (printable ASCII, not a digit) three times,
/// a port of 1–5 digits in 1–65535, the delimiter, `)`.
fn ref_epsv(text: &[u8]) -> Option<u16> {
    let open = text.iter().position(|&b| b == b'(')?;
    let rest = &text[open + 1..];
    let d = *rest.first()?;
    if !(33..=126).contains(&d) || d.is_ascii_digit() || rest.get(1..3)? != [d, d] {
        return None;
    }
    let rest = &rest[3..];
    let digits = digit_run(rest);
    if digits.is_empty() || digits.len() > 5 {
        return None;
    }
    let port: u32 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    let port = u16::try_from(port).ok().filter(|&p| p != 0)?;
    (rest.get(digits.len()..digits.len() + 2)? == [d, b')']).then_some(port)
}

/// The numbers as text, each with `zeros` (0–2) leading zeros where they fit.
fn number_text(numbers: &[u8], zeros: &[u8]) -> Vec<u8> {
    let parts: Vec<String> = numbers
        .iter()
        .zip(zeros.iter().chain(std::iter::repeat(&0)))
        .map(|(n, z)| {
            let s = n.to_string();
            let pad = usize::from(z % 3).min(3 - s.len());
            format!("{}{s}", "0".repeat(pad))
        })
        .collect();
    parts.join(",").into_bytes()
}

/// Text before PASV/LPSV numbers: no digit, and not ending in a sign or a
/// parenthesis (which would change the reading).
fn numbers_prefix(src: &mut Source<'_>, open: bool) -> Vec<u8> {
    let len = usize::from(src.byte() % 40);
    let mut p: Vec<u8> = src
        .take(len)
        .iter()
        .map(|&b| if b.is_ascii_digit() { b'x' } else { b })
        .collect();
    if let Some(last) = p.last_mut()
        && matches!(*last, b'+' | b'-' | b'(' | b')')
    {
        *last = b' ';
    }
    if open {
        p.push(b'(');
    }
    p
}

/// Text after PASV/LPSV numbers (and their `)`): anything not starting with a
/// digit, a comma or a parenthesis.
fn numbers_suffix(src: &mut Source<'_>) -> Vec<u8> {
    let len = usize::from(src.byte() % 40);
    let mut s = src.take(len).to_vec();
    if let Some(first) = s.first_mut()
        && (first.is_ascii_digit() || matches!(*first, b',' | b'(' | b')'))
    {
        *first = b'.';
    }
    s
}

fn check_passive_target(peer: IpAddr, advertised: SocketAddr) {
    let differs =
        advertised.ip().is_unspecified() || advertised.ip().to_canonical() != peer.to_canonical();
    let safe = payload::passive_target(peer, advertised, PassivePolicy::UseControlPeer);
    assert_eq!(safe.addr, SocketAddr::new(peer, advertised.port()));
    assert_eq!(safe.advertised_host_differs, differs);
    let default = payload::passive_target(peer, advertised, PassivePolicy::default());
    assert_eq!(default, safe, "the default policy is not the safe one");
    let trusting = payload::passive_target(peer, advertised, PassivePolicy::TrustAdvertised);
    let host = if advertised.ip().is_unspecified() {
        peer
    } else {
        advertised.ip()
    };
    assert_eq!(trusting.addr, SocketAddr::new(host, advertised.port()));
    assert_eq!(trusting.advertised_host_differs, differs);
}

/// Target `passive`: a mode byte, then for 227, 228 and 229 either arbitrary
/// text or a valid payload built from the input (numbers, leading zeros,
/// parentheses, text around). The parser must agree with the reference reading,
/// give back exactly what was built, and the reply accessors must agree with it.
pub fn passive(data: &[u8]) {
    let mut src = Source::new(data);
    let mode = src.byte() % 6;
    let peer = if src.byte().is_multiple_of(2) {
        IpAddr::V4(Ipv4Addr::from(u32::from_le_bytes([
            src.byte(),
            src.byte(),
            src.byte(),
            src.byte(),
        ])))
    } else {
        let mut o = [0u8; 16];
        o.iter_mut().for_each(|b| *b = src.byte());
        IpAddr::V6(Ipv6Addr::from(o))
    };
    let (code, text, built): (u16, Vec<u8>, Option<Option<SocketAddr>>) = match mode {
        0..=2 => (227 + u16::from(mode), src.rest().to_vec(), None),
        3 => {
            let numbers: Vec<u8> = src.take(6).to_vec();
            let numbers: Vec<u8> = numbers.into_iter().chain([0; 6]).take(6).collect();
            let zeros = src.take(6).to_vec();
            let open = src.byte().is_multiple_of(2);
            let mut text = numbers_prefix(&mut src, open);
            text.extend(number_text(&numbers, &zeros));
            if open {
                text.push(b')');
            }
            text.extend(numbers_suffix(&mut src));
            let port = u16::from_be_bytes([numbers[4], numbers[5]]);
            let addr = SocketAddr::V4(SocketAddrV4::new(
                Ipv4Addr::new(numbers[0], numbers[1], numbers[2], numbers[3]),
                port,
            ));
            (227, text, Some((port != 0).then_some(addr)))
        }
        4 => {
            let v6 = src.byte() % 2 == 1;
            let host_len = if v6 { 16 } else { 4 };
            let mut numbers = vec![if v6 { 6 } else { 4 }, host_len];
            numbers.extend((0..host_len).map(|_| src.byte()));
            let (p1, p2) = (src.byte(), src.byte());
            numbers.extend([2, p1, p2]);
            let zeros = src.take(numbers.len()).to_vec();
            let open = src.byte().is_multiple_of(2);
            let mut text = numbers_prefix(&mut src, open);
            text.extend(number_text(&numbers, &zeros));
            if open {
                text.push(b')');
            }
            text.extend(numbers_suffix(&mut src));
            let port = u16::from_be_bytes([p1, p2]);
            let host = &numbers[2..2 + usize::from(host_len)];
            let ip = if v6 {
                IpAddr::V6(Ipv6Addr::from(<[u8; 16]>::try_from(host).expect("16")))
            } else {
                IpAddr::V4(Ipv4Addr::new(host[0], host[1], host[2], host[3]))
            };
            (
                228,
                text,
                Some((port != 0).then_some(SocketAddr::new(ip, port))),
            )
        }
        _ => {
            let plen = usize::from(src.byte() % 40);
            let mut text: Vec<u8> = src
                .take(plen)
                .iter()
                .map(|&b| if b == b'(' { b'[' } else { b })
                .collect();
            let d = match src.byte() % 84 {
                b @ 0..=14 => 33 + b, // ! .. /
                b => 58 - 15 + b,     // : .. ~
            };
            let port = u16::from_le_bytes([src.byte(), src.byte()]);
            let zeros = usize::from(src.byte() % 5).min(5 - port.to_string().len());
            text.extend([b'(', d, d, d]);
            text.extend(format!("{}{port}", "0".repeat(zeros)).bytes());
            text.extend([d, b')']);
            text.extend(src.rest());
            let addr = SocketAddr::new(peer, port);
            (229, text, Some((port != 0).then_some(addr)))
        }
    };

    let parsed: Result<SocketAddr, PayloadError> = match code {
        227 => {
            let r = payload::parse_pasv(&text);
            assert_eq!(r.ok(), ref_pasv(&text), "PASV differs from the reference");
            r.map(SocketAddr::V4)
        }
        228 => {
            let r = payload::parse_lpsv(&text);
            assert_eq!(r.ok(), ref_lpsv(&text), "LPSV differs from the reference");
            r
        }
        _ => {
            let r = payload::parse_epsv(&text);
            assert_eq!(r.ok(), ref_epsv(&text), "EPSV differs from the reference");
            r.map(|port| SocketAddr::new(peer, port))
        }
    };
    let kind = match code {
        227 => PayloadKind::Pasv,
        228 => PayloadKind::Lpsv,
        _ => PayloadKind::Epsv,
    };
    match &parsed {
        Ok(addr) => {
            assert_ne!(addr.port(), 0, "port 0 accepted");
            if code != 229 {
                check_passive_target(peer, *addr);
            }
        }
        Err(e) => check_payload_error(e, kind, &[&text]),
    }
    if let Some(expected) = built {
        assert_eq!(parsed.as_ref().ok(), expected.as_ref(), "a built payload");
    }

    // Through a reply: the accessors give the parser's answer.
    if let Some(reply) = one_line_reply(code, &text) {
        let payload = reply.payload().expect("a passive reply has a payload");
        match code {
            227 => {
                let direct = payload::parse_pasv(&text);
                assert_eq!(reply.passive_addr(), direct);
                assert_eq!(payload, direct.map(Payload::Passive));
            }
            228 => {
                let direct = payload::parse_lpsv(&text);
                assert_eq!(reply.long_passive_addr(), direct);
                assert_eq!(payload, direct.map(Payload::LongPassive));
            }
            _ => {
                let direct = payload::parse_epsv(&text);
                assert_eq!(reply.extended_passive_port(), direct);
                assert_eq!(payload, direct.map(Payload::ExtendedPassive));
            }
        }
    }
}

/// The reference reading of a 257 text, as the parser documents it.
fn ref_pathname(text: &[u8]) -> Option<Vec<u8>> {
    let q = text.iter().position(|&b| b == b'"')?;
    let body = &text[q + 1..];
    // The last quote in `s` followed by a space or the end: where a server that
    // does not double quotes ended the pathname.
    let undoubled_end = |s: &[u8]| {
        (0..s.len())
            .rev()
            .find(|&j| s[j] == b'"' && matches!(s.get(j + 1), None | Some(b' ')))
    };
    // RFC 959: `""` is a quote; the first lone quote ends the pathname.
    let mut i = 0;
    let mut doubled = false;
    let end = loop {
        match (body.get(i), body.get(i + 1)) {
            (None, _) => break None,
            (Some(b'"'), Some(b'"')) => {
                doubled = true;
                i += 2;
            }
            (Some(b'"'), _) => break Some(i),
            _ => i += 1,
        }
    };
    let end = match end {
        Some(end) => end,
        // No closing quote by the RFC's reading: the last quotes were not a pair.
        None => {
            doubled = false;
            undoubled_end(body)?
        }
    };
    let after = &body[end + 1..];
    let mut raw = &body[..end];
    if !matches!(after.first(), None | Some(b' ')) {
        // A server that does not double quotes: the last quote followed by a
        // space or the end, taken as sent.
        if let Some(j) = undoubled_end(after) {
            raw = &body[..end + 1 + j];
            doubled = false;
        }
    }
    if raw.is_empty() || raw.iter().any(|&b| b < 0x20 || b == 0x7F) {
        return None;
    }
    Some(if doubled {
        let mut out = Vec::new();
        let mut k = 0;
        while k < raw.len() {
            out.push(raw[k]);
            k += if raw[k] == b'"' { 2 } else { 1 };
        }
        out
    } else {
        raw.to_vec()
    })
}

/// Target `pathname`: arbitrary 257 text, or a pathname built from the input,
/// quote-doubled, between text without quotes and an optional commentary.
pub fn pathname(data: &[u8]) {
    let mut src = Source::new(data);
    let mode = src.byte() % 2;
    let (text, built) = if mode == 0 {
        (src.rest().to_vec(), None)
    } else {
        let plen = usize::from(src.byte() % 20);
        let mut text: Vec<u8> = src
            .take(plen)
            .iter()
            .map(|&b| if b == b'"' { b'\'' } else { b })
            .collect();
        let n = usize::from(src.byte() % 60) + 1;
        let path: Vec<u8> = src
            .take(n)
            .iter()
            .map(|&b| if b < 0x20 || b == 0x7F { b'_' } else { b })
            .collect();
        let commentary = src.byte().is_multiple_of(2);
        text.push(b'"');
        for &b in &path {
            text.push(b);
            if b == b'"' {
                text.push(b'"');
            }
        }
        text.push(b'"');
        if commentary {
            text.push(b' ');
            text.extend(src.rest());
        }
        let expected = (!path.is_empty()).then_some(path);
        (text, Some(expected))
    };
    let parsed = payload::parse_pathname(&text);
    assert_eq!(
        parsed.as_deref().ok(),
        ref_pathname(&text).as_deref(),
        "pathname differs from the reference"
    );
    match &parsed {
        Ok(path) => {
            assert!(!path.is_empty());
            assert!(!path.iter().any(|&b| b < 0x20 || b == 0x7F));
            if let Cow::Borrowed(b) = path {
                // Borrowed means taken from the text as it is.
                assert!(text.windows(b.len()).any(|w| w == *b));
            }
        }
        Err(e) => check_payload_error(e, PayloadKind::Pathname, &[&text]),
    }
    if let Some(expected) = built {
        assert_eq!(
            parsed.as_deref().ok(),
            expected.as_deref(),
            "a built pathname"
        );
    }
    if let Some(reply) = one_line_reply(257, &text) {
        let direct = payload::parse_pathname(&text);
        assert_eq!(reply.pathname(), direct);
        assert_eq!(reply.payload(), Some(direct.map(Payload::Pathname)));
    }
}

/// RFC 959: `MARK yyyy = mmmm` exactly, markers of printable ASCII but space.
fn ref_restart_marker(text: &[u8]) -> Option<(&[u8], &[u8])> {
    let rest = text.strip_prefix(b"MARK ")?;
    let n = rest.iter().take_while(|b| b.is_ascii_graphic()).count();
    let (user, rest) = rest.split_at(n);
    let server = rest.strip_prefix(b" = ")?;
    let ok = !user.is_empty() && !server.is_empty() && server.iter().all(u8::is_ascii_graphic);
    ok.then_some((user, server))
}

/// Target `restart_marker`: arbitrary 110 text, or `MARK u = s` built from the
/// input.
pub fn restart_marker(data: &[u8]) {
    let mut src = Source::new(data);
    let mode = src.byte() % 2;
    let graphic = |b: &u8| 0x21 + b % 94;
    let (text, built) = if mode == 0 {
        (src.rest().to_vec(), None)
    } else {
        let n = usize::from(src.byte() % 30) + 1;
        let user: Vec<u8> = src.take(n).iter().map(graphic).collect();
        let server: Vec<u8> = src.rest().iter().map(graphic).collect();
        let text = [&b"MARK "[..], &user, b" = ", &server].concat();
        let ok = !user.is_empty() && !server.is_empty();
        (text, Some(ok.then_some((user, server))))
    };
    let parsed = payload::parse_restart_marker(&text);
    let as_pair = parsed.as_ref().ok().map(|m| (m.user, m.server));
    assert_eq!(
        as_pair,
        ref_restart_marker(&text),
        "differs from the reference"
    );
    if let Err(e) = &parsed {
        check_payload_error(e, PayloadKind::RestartMarker, &[&text]);
    }
    if let Some(expected) = built {
        let expected = expected.as_ref().map(|(u, s)| (&u[..], &s[..]));
        assert_eq!(as_pair, expected, "a built marker");
    }
    if let Some(reply) = one_line_reply(110, &text) {
        let direct = payload::parse_restart_marker(&text);
        assert_eq!(reply.restart_marker(), direct);
        assert_eq!(reply.payload(), Some(direct.map(Payload::RestartMarker)));
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard Base64 with padding (RFC 4648 §4).
pub fn base64_encode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize]);
            } else {
                out.push(b'=');
            }
        }
    }
    out
}

/// Strict standard Base64: whole quads, padding only at the end and exactly as
/// the encoder writes it, unused bits zero. `None` when not canonical.
pub fn base64_decode(s: &[u8]) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(4) {
        return None;
    }
    let value = |c: u8| B64.iter().position(|&x| x == c).map(|v| v as u32);
    let mut out = Vec::new();
    let quads = s.len() / 4;
    for (q, quad) in s.chunks(4).enumerate() {
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && q + 1 != quads) {
            return None;
        }
        let mut n = 0u32;
        for &c in &quad[..4 - pad] {
            n = (n << 6) | value(c)?;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        let keep = 3 - pad;
        if (n & ((1 << (8 * pad as u32)) - 1)) != 0 {
            return None; // non-zero unused bits
        }
        out.extend_from_slice(&bytes[..keep]);
    }
    Some(out)
}

/// RFC 2228 §4 as the parser documents it: every line the same 63z code, `-`
/// on every line but the last, a space on the last, each fragment non-empty
/// canonical Base64. The protection and each line's decoded token.
fn ref_protected(lines: &[&[u8]]) -> Option<(Protection, Vec<Vec<u8>>)> {
    let first = lines.first()?;
    let code = ReplyCode::from_digits(first.get(..3)?.try_into().ok()?)?;
    let protection = Protection::from_code(code)?;
    let mut tokens = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.get(..3)? != code.digits() {
            return None;
        }
        let last = i + 1 == lines.len();
        if line.get(3) != Some(if last { &b' ' } else { &b'-' }) {
            return None;
        }
        let fragment = &line[4..];
        if fragment.is_empty() {
            return None;
        }
        tokens.push(base64_decode(fragment)?);
    }
    Some((protection, tokens))
}

/// What `Reply::unprotect` gives.
type Inner = Result<Reply, UnprotectError<Refused>>;

/// The inner reply of a plaintext, as `Reply::unprotect` documents it: the final
/// line ending optional, exactly one reply, the default limits.
fn ref_inner(plain: &[u8]) -> Inner {
    let mut wire = plain.to_vec();
    if !wire.ends_with(b"\n") {
        wire.extend_from_slice(b"\r\n");
    }
    let decoded = decode_in_reads(DecoderConfig::new(), &wire, [wire.len()]);
    match decoded.items.first() {
        Some(Item::Reply(r, end)) if *end == wire.len() as u64 => Ok(r.clone()),
        Some(Item::Reply(_, end)) => Err(UnprotectError::TrailingBytes {
            offset: *end as usize,
            extra: wire.len() - *end as usize,
        }),
        Some(Item::Error(e, _)) => Err(UnprotectError::Inner(e.clone())),
        None => unreachable!("a non-empty stream gives at least one item"),
    }
}

/// A mechanism that sees every token, checks the protection, and refuses the
/// token at `refuse` (if any).
struct Recording {
    protection: Protection,
    tokens: Vec<Vec<u8>>,
    refuse: Option<usize>,
}

/// The refusal of [`Recording`]: the index of the refused token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(usize);

impl SecurityMechanism for Recording {
    type Error = Refused;

    fn unwrap(&mut self, protection: Protection, token: &[u8]) -> Result<Vec<u8>, Refused> {
        assert_eq!(protection, self.protection, "wrong protection given");
        let index = self.tokens.len();
        self.tokens.push(token.to_vec());
        if self.refuse == Some(index) {
            return Err(Refused(index));
        }
        Ok(token.to_vec())
    }
}

fn same_inner<E: std::fmt::Debug + PartialEq>(
    got: &Result<Reply, UnprotectError<E>>,
    want: &Inner,
) {
    match (got, want) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "inner reply"),
        (Err(UnprotectError::Inner(a)), Err(UnprotectError::Inner(b))) => assert_eq!(a, b),
        (
            Err(UnprotectError::TrailingBytes { offset, extra }),
            Err(UnprotectError::TrailingBytes {
                offset: o,
                extra: x,
            }),
        ) => assert_eq!((offset, extra), (o, x)),
        (got, want) => panic!("unprotect gave {got:?}, expected {want:?}"),
    }
}

/// Target `protected`: 631/632/633 replies, single and multi-line.
///
/// - mode 0: a plaintext cut into fragments, each Base64-encoded on its own line:
///   the tokens are the fragments, and `unprotect` through a no-op mechanism gives
///   the inner reply the plaintext decodes to (or the inner decoder's error);
/// - mode 1: the same, then one byte of one line replaced: the parser must agree
///   with the reference reading of RFC 2228 §4;
/// - mode 2: arbitrary lines.
///
/// Whenever the lines make one reply on the wire, the reply's accessors must give
/// what the parser gives, and a mechanism that refuses a token stops there.
pub fn protected(data: &[u8]) {
    let mut src = Source::new(data);
    let mode = src.byte() % 3;
    let code = 631 + u16::from(src.byte() % 3);
    let digits = ReplyCode::new(code).expect("a code").digits();
    let refuse = src.byte();
    let mut built: Option<Vec<Vec<u8>>> = None;
    let lines: Vec<Vec<u8>> = if mode < 2 {
        let k = usize::from(src.byte() % 6) + 1;
        let mut sizes: Vec<usize> = src
            .take(k - 1)
            .iter()
            .map(|&b| usize::from(b % 48) + 1)
            .collect();
        let plain = src.rest();
        // Cut the plaintext: the given sizes, then the rest as the last fragment.
        let mut fragments = Vec::new();
        let mut at = 0;
        for size in sizes.drain(..) {
            let end = (at + size).min(plain.len());
            if end > at {
                fragments.push(plain[at..end].to_vec());
            }
            at = end;
        }
        if at < plain.len() || fragments.is_empty() {
            fragments.push(plain[at..].to_vec());
        }
        let n = fragments.len();
        let lines: Vec<Vec<u8>> = fragments
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let sep = if i + 1 == n { b' ' } else { b'-' };
                [&digits[..], &[sep], &base64_encode(f)].concat()
            })
            .collect();
        // An empty plaintext makes an empty fragment, which is refused.
        built = (!plain.is_empty()).then_some(fragments);
        if mode == 1 {
            // Replace one byte: line, position and byte from the plaintext's end.
            let mut lines = lines;
            let tail = plain.iter().rev().copied().chain([0; 3]);
            let [a, b, c]: [u8; 3] = tail.take(3).collect::<Vec<_>>().try_into().expect("3");
            let line = usize::from(a) % lines.len();
            let pos = usize::from(b) % lines[line].len();
            lines[line][pos] = c;
            built = None;
            lines
        } else {
            lines
        }
    } else {
        src.rest()
            .split(|&b| b == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l).to_vec())
            .collect()
    };
    let line_refs: Vec<&[u8]> = lines.iter().map(Vec::as_slice).collect();

    let parsed = payload::parse_protected(&line_refs);
    let reference = ref_protected(&line_refs);
    match (&parsed, &reference) {
        (Ok(p), Some((protection, tokens))) => {
            assert_eq!(p.protection, *protection);
            let got: Vec<&[u8]> = p.tokens().collect();
            assert_eq!(got, tokens.iter().map(Vec::as_slice).collect::<Vec<_>>());
            assert_eq!(p.data, tokens.concat());
        }
        (Err(e), None) => check_payload_error(e, PayloadKind::Protected, &line_refs),
        (got, want) => panic!("parse_protected gave {got:?}, the reference {want:?}"),
    }
    if let Some(fragments) = &built {
        let p = parsed.as_ref().expect("a built protected reply parses");
        assert_eq!(
            p.tokens().map(<[u8]>::to_vec).collect::<Vec<_>>(),
            *fragments
        );
    }
    let Ok(payload) = &parsed else {
        return through_reply(&line_refs, &parsed, None);
    };

    // Through a no-op mechanism into the inner decoder.
    let plain = payload
        .unwrap_with(&mut Cleartext)
        .expect("Cleartext never fails");
    assert_eq!(plain, payload.data);
    let want = ref_inner(&plain);
    let n = payload.tokens().count();
    let mut recording = Recording {
        protection: payload.protection,
        tokens: Vec::new(),
        refuse: Some(usize::from(refuse) % (n + 1)).filter(|&r| r < n),
    };
    let unwrapped = payload.unwrap_with(&mut recording);
    match recording.refuse {
        Some(r) => {
            assert_eq!(unwrapped, Err(Refused(r)));
            assert_eq!(recording.tokens.len(), r + 1, "tokens after a refusal");
        }
        None => assert_eq!(unwrapped.as_ref(), Ok(&plain)),
    }
    through_reply(&line_refs, &parsed, Some((&want, recording.refuse)));
}

/// The lines as one reply on the wire (when they make exactly one): its
/// accessors agree with the parser, and `unprotect` with the reference.
fn through_reply(
    lines: &[&[u8]],
    parsed: &Result<ProtectedPayload, PayloadError>,
    inner: Option<(&Inner, Option<usize>)>,
) {
    let mut wire = Vec::new();
    for line in lines {
        wire.extend_from_slice(line);
        wire.extend_from_slice(b"\r\n");
    }
    let decoded = decode_in_reads(DecoderConfig::new(), &wire, [wire.len()]);
    let [Item::Reply(reply, _)] = &decoded.items[..] else {
        return;
    };
    let raw_lines: Vec<&[u8]> = reply.raw_lines().collect();
    if raw_lines != lines || reply.data() != reply.raw() {
        // Telnet bytes in the lines: the reply's text is not the lines.
        return;
    }
    assert_eq!(&reply.protected(), parsed);
    if (631..=633).contains(&reply.code().as_u16()) {
        assert_eq!(
            reply.payload(),
            Some(parsed.clone().map(Payload::Protected))
        );
    }
    let got = reply.unprotect(&mut Cleartext);
    match (parsed, inner) {
        (Err(e), _) => assert_eq!(got, Err(UnprotectError::Payload(*e))),
        (Ok(_), Some((want, refuse))) => {
            same_inner(&got, want);
            if let Some(r) = refuse {
                let p = parsed.as_ref().expect("parsed");
                let mut recording = Recording {
                    protection: p.protection,
                    tokens: Vec::new(),
                    refuse: Some(r),
                };
                assert_eq!(
                    reply.unprotect(&mut recording),
                    Err(UnprotectError::Mechanism(Refused(r)))
                );
            }
        }
        (Ok(_), None) => unreachable!("a parsed payload comes with its inner reply"),
    }
}

/// RFC 3659 §7.2 read plainly: the facts up to the first space, each
/// `name=value;` split at its first `=`, the pathname after the space; no CR
/// or LF anywhere; the standard facts at most once each (ignoring case), a
/// size all digits within `u64`, a modify or create time-val in range.
#[allow(clippy::type_complexity)]
fn ref_facts(line: &[u8]) -> Option<(Vec<(&[u8], &[u8])>, &[u8])> {
    if line.iter().any(|&b| b == b'\r' || b == b'\n') {
        return None;
    }
    let space = line.iter().position(|&b| b == b' ')?;
    let (facts, path) = (&line[..space], &line[space + 1..]);
    if path.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    if !facts.is_empty() {
        let facts = facts.strip_suffix(b";")?;
        for fact in facts.split(|&b| b == b';') {
            let eq = fact.iter().position(|&b| b == b'=')?;
            if eq == 0 {
                return None;
            }
            out.push((&fact[..eq], &fact[eq + 1..]));
        }
    }
    const STANDARD: [&str; 9] = [
        "type",
        "size",
        "modify",
        "create",
        "perm",
        "unique",
        "lang",
        "media-type",
        "charset",
    ];
    for (i, (name, value)) in out.iter().enumerate() {
        let Some(std) = STANDARD
            .iter()
            .find(|s| name.eq_ignore_ascii_case(s.as_bytes()))
        else {
            continue;
        };
        if out[..i]
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(std.as_bytes()))
        {
            return None;
        }
        let ok = match *std {
            "size" => ref_size(value).is_some(),
            "modify" | "create" => ref_time(value),
            _ => true,
        };
        if !ok {
            return None;
        }
    }
    Some((out, path))
}

/// `1*DIGIT` within `u64`.
fn ref_size(value: &[u8]) -> Option<u64> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(value).ok()?.parse().ok()
}

/// `time-val = 14DIGIT [ "." 1*DIGIT ]`, each field in its range.
fn ref_time(value: &[u8]) -> bool {
    if value.len() < 14 || !value[..14].iter().all(u8::is_ascii_digit) {
        return false;
    }
    match &value[14..] {
        [] => {}
        [b'.', frac @ ..] if !frac.is_empty() && frac.iter().all(u8::is_ascii_digit) => {}
        _ => return false,
    }
    let n = |r: std::ops::Range<usize>| -> u32 {
        value[r]
            .iter()
            .fold(0, |a, &d| a * 10 + u32::from(d - b'0'))
    };
    let (y, mo, d, h, mi, s) = (n(0..4), n(4..6), n(6..8), n(8..10), n(10..12), n(12..14));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match mo {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1000..=9999).contains(&y)
        && (1..=12).contains(&mo)
        && (1..=days).contains(&d)
        && h < 24
        && mi < 60
        && s <= 60
}

/// Checks one MLSD line: the parser against [`ref_facts`], the typed
/// accessors against the raw values, and the MLST forms against the line.
fn check_facts_line(line: &[u8]) {
    let parsed = payload::parse_facts(line);
    let got = parsed.as_ref().ok().map(|e| {
        (
            e.iter().map(|f| (f.name, f.value)).collect::<Vec<_>>(),
            e.pathname(),
        )
    });
    assert_eq!(got, ref_facts(line), "facts differ from the reference");
    match &parsed {
        Ok(entry) => {
            assert_eq!(entry.len(), entry.iter().count());
            assert_eq!(entry.size(), entry.get("size").and_then(ref_size));
            assert_eq!(entry.modify().is_some(), entry.get("modify").is_some());
            assert_eq!(entry.create().is_some(), entry.get("create").is_some());
            assert_eq!(entry.perm().map(|p| p.as_bytes()), entry.get("perm"));
            // Encoding the facts back gives the line itself.
            let again = payload::encode_facts(entry.iter(), entry.pathname());
            assert_eq!(again.as_deref(), Ok(line), "re-encoded line");
        }
        Err(e) => check_payload_error(e, PayloadKind::Facts, &[line]),
    }
    // MLST: the same entry on a line of its own after one space.
    let entry_line = [&b" "[..], line].concat();
    let lines: [&[u8]; 3] = [b"250-Listing", &entry_line, b"250 End"];
    let mlst = payload::parse_mlst(lines);
    match (&parsed, &mlst) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(a), Err(b)) => {
            assert_eq!((b.payload, b.line), (PayloadKind::Mlst, 1));
            assert_eq!((a.reason, a.offset + 1), (b.reason, b.offset));
        }
        _ => panic!("MLST {mlst:?} but the line {parsed:?}"),
    }
    let code = ReplyCode::new(250).expect("a code");
    if let Ok(reply) = Reply::new(code, &[&b"Listing"[..], &entry_line, b"End"])
        && reply.raw_lines().eq(lines)
    {
        assert_eq!(reply.mlst_facts(), mlst);
    }
}

/// Target `facts`: MLSD lines and MLST replies (RFC 3659 §7).
///
/// Mode 0: the rest of the input as an MLSD listing, each line checked against
/// the reference. Mode 1: facts and a pathname cut from the input as they are;
/// mode 2: the same with the delimiters a fact cannot hold replaced, so most
/// encode. Either way `encode_facts` succeeds exactly when the line it would
/// build parses back to the same facts and pathname.
pub fn facts(data: &[u8]) {
    let mut src = Source::new(data);
    let mode = src.byte() % 3;
    if mode == 0 {
        let listing = src.rest();
        // Lines end in LF, with one CR before it dropped; a last line without
        // an LF is a line too, as it is (a CR there ends no line).
        let lines: Vec<&[u8]> = {
            let mut v: Vec<&[u8]> = listing.split(|&b| b == b'\n').collect();
            let last = v.pop().filter(|l| !l.is_empty());
            let mut v: Vec<&[u8]> = v
                .into_iter()
                .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
                .collect();
            v.extend(last);
            v
        };
        let entries: Vec<_> = payload::parse_mlsd(listing).collect();
        assert_eq!(entries.len(), lines.len(), "MLSD line count");
        for (i, (entry, line)) in entries.iter().zip(&lines).enumerate() {
            match entry {
                Ok(e) => assert_eq!(Ok(*e), payload::parse_facts(line)),
                Err(e) => {
                    assert_eq!((e.payload, e.line), (PayloadKind::Mlsd, i));
                    let single = payload::parse_facts(line).expect_err("the line alone fails");
                    assert_eq!((e.reason, e.offset), (single.reason, single.offset));
                }
            }
            check_facts_line(line);
        }
        return;
    }
    let clean = |b: u8, bad: &[u8]| if bad.contains(&b) { b'x' } else { b };
    let standard: [&[u8]; 6] = [
        b"type",
        b"Size",
        b"modify",
        b"perm",
        b"UNIX.mode",
        b"unique",
    ];
    let count = usize::from(src.byte() % 8);
    let mut owned: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for _ in 0..count {
        let sel = src.byte();
        let mut name = if sel < 64 {
            standard[usize::from(sel) % standard.len()].to_vec()
        } else {
            src.take(usize::from(sel % 8)).to_vec()
        };
        let len = usize::from(src.byte() % 16);
        let mut value = src.take(len).to_vec();
        if mode == 2 {
            name = name.iter().map(|&b| clean(b, b"=; \r\n")).collect();
            value = value.iter().map(|&b| clean(b, b"; \r\n")).collect();
        }
        owned.push((name, value));
    }
    let mut path = src.rest().to_vec();
    if mode == 2 {
        path = path.iter().map(|&b| clean(b, b"\r\n")).collect();
    }
    let built: Vec<payload::Fact<'_>> = owned
        .iter()
        .map(|(n, v)| payload::Fact::new(n, v))
        .collect();
    let mut naive = Vec::new();
    for f in &built {
        naive.extend_from_slice(f.name);
        naive.push(b'=');
        naive.extend_from_slice(f.value);
        naive.push(b';');
    }
    naive.push(b' ');
    naive.extend_from_slice(&path);
    let round_trips = ref_facts(&naive).is_some_and(|(facts, p)| {
        p == &path[..]
            && facts.len() == built.len()
            && facts
                .iter()
                .zip(&built)
                .all(|(a, b)| a.0 == b.name && a.1 == b.value)
    });
    match payload::encode_facts(built.iter().copied(), &path) {
        Ok(line) => {
            assert!(round_trips, "encoded what the reference does not read back");
            assert_eq!(line, naive);
            let entry = payload::parse_facts(&line).expect("an encoded line parses");
            assert!(entry.iter().eq(built.iter().copied()));
            assert_eq!(entry.pathname(), &path[..]);
        }
        Err(e) => {
            assert!(!round_trips, "refused {e:?}, which round-trips");
            assert_eq!(e.payload, PayloadKind::Facts);
            assert!(e.offset <= naive.len(), "{e:?}");
        }
    }
    check_facts_line(&naive);
}
