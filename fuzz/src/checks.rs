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
            &reply.raw()[..],
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
        assert_eq!(&data[..], &telnet_text(raw)[..], "Telnet interpretation");
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
    let reads = decode_in_reads(config, input, cycle(&sizes, input.len()));
    assert_eq!(
        reads.items, whole.items,
        "reads of {sizes:?} differ from whole"
    );
    assert_eq!(whole.end, input.len() as u64);
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
