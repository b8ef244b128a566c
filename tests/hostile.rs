//! A hostile or broken server: endless lines and replies, slow drips, junk and
//! lies. Each case checks what the decoder reports, how much it buffers, and that
//! the documented recovery holds (where decoding resumes, at which stream offset).

use bytes::BytesMut;
use ftp_reply::{DecodeError, DecoderConfig, Reply, ReplyDecoder};

/// One result of a decoded stream.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    /// Code, text lines, and the stream offset of the reply's end.
    Reply(u16, Vec<Vec<u8>>, u64),
    Error(DecodeError),
}

fn reply_item(reply: &Reply, end: u64) -> Item {
    Item::Reply(
        reply.code().as_u16(),
        reply.lines().map(<[u8]>::to_vec).collect(),
        end,
    )
}

/// Decodes `input` in reads of `read` bytes, then the end of the stream.
fn decode_reads(config: DecoderConfig, input: &[u8], read: usize) -> Vec<Item> {
    let mut decoder = ReplyDecoder::with_config(config);
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    for piece in input.chunks(read.max(1)) {
        buf.extend_from_slice(piece);
        drain(&mut decoder, &mut buf, &mut out);
    }
    loop {
        match decoder.decode_eof(&mut buf) {
            Ok(Some(r)) => out.push(reply_item(&r, decoder.stream_offset())),
            Ok(None) => break,
            Err(e) => out.push(Item::Error(e)),
        }
    }
    assert!(buf.is_empty());
    out
}

/// Calls `decode` until it needs more bytes.
fn drain(decoder: &mut ReplyDecoder, buf: &mut BytesMut, out: &mut Vec<Item>) {
    loop {
        match decoder.decode(buf) {
            Ok(Some(r)) => out.push(reply_item(&r, decoder.stream_offset())),
            Ok(None) => return,
            Err(e) => out.push(Item::Error(e)),
        }
    }
}

/// Decodes whole, a byte at a time and in reads of 2 to 9 bytes; all must agree.
fn decode_every_way(config: DecoderConfig, input: &[u8]) -> Vec<Item> {
    let whole = decode_reads(config, input, input.len());
    for read in 1..10 {
        assert_eq!(
            decode_reads(config, input, read),
            whole,
            "reads of {read} bytes differ from the whole stream"
        );
    }
    whole
}

fn reply(code: u16, lines: &[&[u8]], end: u64) -> Item {
    Item::Reply(code, lines.iter().map(|l| l.to_vec()).collect(), end)
}

// ---------------------------------------------------------------------------
// Findings of the fuzz targets (fuzz/regressions/), kept as known answers.

/// decode_chunks: a limit crossed before a line's code was known (here by Telnet
/// commands in front of it) discarded only that line when the stream came in
/// small reads, but the whole multi-line reply when it came at once. The line
/// opens a multi-line reply, so the rest of the reply is discarded either way.
#[test]
fn limit_crossed_before_the_code_still_discards_the_whole_reply() {
    let config = DecoderConfig::new().max_line_len(6);
    let input = b"\xff\xfb\x01\xff\xf1220-x\n220 y\n200 k\n";
    let out = decode_every_way(config, input);
    assert_eq!(
        out,
        [
            Item::Error(DecodeError::LineTooLong {
                offset: 0,
                limit: 6
            }),
            reply(200, &[b"k"], 23),
        ]
    );
}

/// The same with the default limits: 64 KiB of Telnet NOPs before `220-`.
#[test]
fn telnet_padding_past_the_default_line_limit_discards_the_whole_reply() {
    let mut input = b"\xff\xf1".repeat(32 * 1024);
    input.extend_from_slice(b"220-first\r\n220-second\r\n220 end\r\n200 ok\r\n");
    let end = input.len() as u64;
    for read in [input.len(), 1000, 1, 7] {
        let out = decode_reads(DecoderConfig::new(), &input, read);
        assert_eq!(
            out,
            [
                Item::Error(DecodeError::LineTooLong {
                    offset: 0,
                    limit: 64 * 1024
                }),
                reply(200, &[b"ok"], end),
            ],
            "reads of {read}"
        );
    }
}

/// decode_chunks: a Telnet `IAC` that is the byte crossing a limit and is also
/// the line's invalid first byte was reported as `InvalidReplyLine` when the byte
/// after it came in the same read, as `ReplyTooLarge` otherwise. The limit wins.
#[test]
fn a_limit_and_an_invalid_byte_at_the_same_place_give_one_answer() {
    let config = DecoderConfig::new()
        .max_reply_len(0)
        .strict_line_endings(true);
    let out = decode_every_way(config, b"\xff\x00\x00\xff");
    assert_eq!(
        out,
        [Item::Error(DecodeError::ReplyTooLarge {
            offset: 0,
            limit: 0
        })]
    );
    // With the default limits: the IAC that is byte 65 536 of a line of Telnet
    // NOPs crosses the line limit.
    let mut input = b"\xff\xf1".repeat(32 * 1024);
    input.extend_from_slice(b"\xffA\r\n200 ok\r\n");
    let end = input.len() as u64;
    for read in [input.len(), 64 * 1024 + 1, 1] {
        assert_eq!(
            decode_reads(DecoderConfig::new(), &input, read),
            [
                Item::Error(DecodeError::LineTooLong {
                    offset: 0,
                    limit: 64 * 1024
                }),
                reply(200, &[b"ok"], end),
            ],
            "reads of {read}"
        );
    }
}

// ---------------------------------------------------------------------------
// Endless lines and replies: limits fire early, memory stays bounded.

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;
/// One read from the socket.
const READ: usize = 64 * KIB;

/// Feeds `reads` to a decoder one at a time, checking after every append and
/// every call that at most `bound` bytes are buffered; returns every item with
/// the index of the read it came on.
fn feed_bounded(
    decoder: &mut ReplyDecoder,
    buf: &mut BytesMut,
    reads: impl Iterator<Item = Vec<u8>>,
    bound: usize,
) -> Vec<(usize, Item)> {
    let mut out = Vec::new();
    for (i, read) in reads.enumerate() {
        buf.extend_from_slice(&read);
        assert!(buf.len() <= bound, "read {i}: {} bytes buffered", buf.len());
        let mut items = Vec::new();
        drain(decoder, buf, &mut items);
        assert!(buf.len() <= bound, "read {i}: {} bytes buffered", buf.len());
        out.extend(items.into_iter().map(|item| (i, item)));
    }
    out
}

/// `n` reads of `READ` bytes: `first` and then `fill` bytes.
fn reads(first: &[u8], fill: u8, n: usize) -> impl Iterator<Item = Vec<u8>> {
    let mut head = first.to_vec();
    head.resize(READ, fill);
    let body = vec![fill; READ];
    std::iter::once(head).chain(std::iter::repeat_n(body, n - 1))
}

/// 1 GiB without a line end, in 64 KiB reads: the line limit fires on the read
/// that crosses it, the rest of the line is dropped as it arrives (never more than
/// the line limit plus one read buffered), and the next line decodes.
#[test]
fn endless_line_of_one_gib() {
    const TOTAL: usize = 1024 * MIB;
    let mut decoder = ReplyDecoder::new();
    let mut buf = BytesMut::new();
    let limit = decoder.config().get_max_line_len();
    let items = feed_bounded(
        &mut decoder,
        &mut buf,
        reads(b"220 ", b'x', TOTAL / READ),
        limit + READ,
    );
    assert_eq!(
        items,
        [(
            1,
            Item::Error(DecodeError::LineTooLong {
                offset: 0,
                limit: 64 * KIB
            })
        )]
    );
    assert!(buf.is_empty(), "discarded bytes are still buffered");
    assert_eq!(decoder.stream_offset(), TOTAL as u64);
    buf.extend_from_slice(b"\r\n220 ok\r\n");
    let mut out = Vec::new();
    drain(&mut decoder, &mut buf, &mut out);
    assert_eq!(out, [reply(220, &[b"ok"], TOTAL as u64 + 10)]);
}

/// An endless line of junk (no code) is refused at its first byte, then dropped
/// as it arrives.
#[test]
fn endless_junk_line() {
    let mut decoder = ReplyDecoder::new();
    let mut buf = BytesMut::new();
    let items = feed_bounded(&mut decoder, &mut buf, reads(b"", b'x', 256), READ);
    assert_eq!(
        items,
        [(
            0,
            Item::Error(DecodeError::InvalidReplyLine {
                offset: 0,
                reason: "expected a reply code's first digit (1-6)",
                found: Some(b'x'),
            })
        )]
    );
    assert!(buf.is_empty());
    buf.extend_from_slice(b"\n200 ok\r\n");
    let mut out = Vec::new();
    drain(&mut decoder, &mut buf, &mut out);
    assert_eq!(out, [reply(200, &[b"ok"], (256 * READ + 9) as u64)]);
}

/// An endless line inside a multi-line reply: the line limit fires, and the rest
/// of the reply is dropped up to its end line, whatever comes before it.
#[test]
fn endless_line_inside_a_multiline_reply() {
    let mut decoder = ReplyDecoder::new();
    let mut buf = BytesMut::new();
    let items = feed_bounded(
        &mut decoder,
        &mut buf,
        reads(b"220-hello\r\n", b'y', 64),
        64 * KIB + READ,
    );
    assert_eq!(
        items,
        [(
            1,
            Item::Error(DecodeError::LineTooLong {
                offset: 11,
                limit: 64 * KIB
            })
        )]
    );
    // Lines of other replies and other codes are still part of the dropped reply.
    buf.extend_from_slice(b"\r\n221 not the end\r\n220-nor this\r\n220 end\r\n200 ok\r\n");
    let mut out = Vec::new();
    drain(&mut decoder, &mut buf, &mut out);
    let end = (64 * READ) as u64 + 50;
    assert_eq!(out, [reply(200, &[b"ok"], end)]);
}

/// `220-` and then millions of short lines: the line-count limit fires on the
/// line that needs one line too many, at most the reply limit plus one read is
/// ever buffered, and the rest of the reply is dropped up to its end line.
#[test]
fn endless_multiline_reply_of_short_lines() {
    const LINES: usize = 5_000_000;
    let mut decoder = ReplyDecoder::new();
    let max_lines = decoder.config().get_max_lines();
    let bound = decoder.config().get_max_reply_len() + READ;
    let mut buf = BytesMut::new();
    let opening = b"220-start\r\n";
    let mut stream = opening.to_vec();
    stream.extend(b"a\r\n".repeat(LINES));
    let reads = stream.chunks(READ).map(<[u8]>::to_vec);
    let items = feed_bounded(&mut decoder, &mut buf, reads, bound);
    // Line k (1-based, the opening is line 1) ending without closing the reply
    // means k + 1 lines: the error comes with the LF of line `max_lines`.
    let lf = opening.len() + (max_lines - 1) * 3 - 1;
    assert_eq!(
        items,
        [(
            lf / READ,
            Item::Error(DecodeError::TooManyLines {
                offset: 0,
                limit: 200_000
            })
        )]
    );
    assert!(buf.len() <= 2);
    buf.extend_from_slice(b"220 end\r\n200 ok\r\n");
    let mut out = Vec::new();
    drain(&mut decoder, &mut buf, &mut out);
    assert_eq!(out, [reply(200, &[b"ok"], stream.len() as u64 + 17)]);
}

/// Long lines: the reply-size limit fires first, on the read that crosses it.
#[test]
fn endless_multiline_reply_of_long_lines() {
    let mut decoder = ReplyDecoder::new();
    let max_reply = decoder.config().get_max_reply_len();
    let mut buf = BytesMut::new();
    let mut line = vec![b'z'; 1000];
    line.extend_from_slice(b"\r\n");
    let mut stream = b"211-start\r\n".to_vec();
    while stream.len() < 2 * max_reply {
        stream.extend_from_slice(&line);
    }
    let items = feed_bounded(
        &mut decoder,
        &mut buf,
        stream.chunks(READ).map(<[u8]>::to_vec),
        max_reply + READ,
    );
    assert_eq!(
        items,
        [(
            max_reply / READ,
            Item::Error(DecodeError::ReplyTooLarge {
                offset: 0,
                limit: 16 * MIB
            })
        )]
    );
    buf.extend_from_slice(b"211 end\r\n");
    let mut out = Vec::new();
    drain(&mut decoder, &mut buf, &mut out);
    assert!(out.is_empty() && buf.is_empty());
    assert!(!decoder.is_mid_reply());
}

/// A 1 MiB multi-line reply fed one byte at a time completes on its last byte.
#[test]
fn slow_drip_of_a_one_mib_reply() {
    let mut stream = b"211-Status follows\r\n".to_vec();
    let mut n = 0;
    while stream.len() < MIB {
        stream.extend_from_slice(format!(" line {n:07} of the listing\r\n").as_bytes());
        n += 1;
    }
    stream.extend_from_slice(b"211 End\r\n");
    let mut decoder = ReplyDecoder::new();
    let mut buf = BytesMut::new();
    let (last, body) = stream.split_last().unwrap();
    for &b in body {
        buf.extend_from_slice(&[b]);
        assert_eq!(decoder.decode(&mut buf), Ok(None));
    }
    assert_eq!(buf.len(), body.len());
    buf.extend_from_slice(&[*last]);
    let r = decoder.decode(&mut buf).unwrap().expect("the whole reply");
    assert!(buf.is_empty());
    assert_eq!(r.code().as_u16(), 211);
    assert_eq!(r.raw(), &stream[..]);
    assert_eq!(r.line_count(), n + 2);
    let lines: Vec<&[u8]> = r.lines().collect();
    assert_eq!(lines[0], b"Status follows");
    assert_eq!(
        lines[n],
        format!(" line {:07} of the listing", n - 1).as_bytes()
    );
    assert_eq!(lines[n + 1], b"End");
    assert_eq!(decoder.stream_offset(), stream.len() as u64);
}

// ---------------------------------------------------------------------------
// Junk and lies. Each stream is decoded whole, a byte at a time and in reads of
// 2 to 9 bytes, which must all agree; the expected items say where decoding
// resumed after each error (the stream offset at the end of each reply).

fn invalid(offset: u64, found: Option<u8>, reason: &'static str) -> Item {
    Item::Error(DecodeError::InvalidReplyLine {
        offset,
        reason,
        found,
    })
}

const FIRST_DIGIT: &str = "expected a reply code's first digit (1-6)";
const DIGIT: &str = "expected a reply code's digit";
const SEPARATOR: &str = "expected a space, a hyphen or the line end after the reply code";

#[test]
fn nul_bytes() {
    let out = decode_every_way(
        DecoderConfig::new(),
        b"\0\0\0\r\n2\x0000 x\r\n200 a\0b\r\n220-\0\r\n\x00220 \0\r\n220 end\r\n",
    );
    assert_eq!(
        out,
        [
            // A line of NULs: refused at its first byte, the line is dropped.
            invalid(0, Some(0), FIRST_DIGIT),
            // A NUL inside the code.
            invalid(6, Some(0), DIGIT),
            // NUL in text is text.
            reply(200, &[b"a\0b"], 22),
            // A NUL before the code of a would-be end line makes it text.
            reply(220, &[b"\0", b"\x00220 \0", b"end"], 46),
        ]
    );
}

#[test]
fn lone_carriage_returns() {
    let out = decode_every_way(
        DecoderConfig::new(),
        b"\r\r\r\n\r\n220\r\r\n200 a\rb\r\r\n211-\r\r\n211\r\r\n211 \r\n",
    );
    assert_eq!(
        out,
        [
            invalid(0, Some(b'\r'), FIRST_DIGIT),
            // An empty CRLF line: the CR is named, as before its LF arrived.
            invalid(4, Some(b'\r'), FIRST_DIGIT),
            // `220 CR CR LF`: the first CR is not a separator.
            invalid(9, Some(b'\r'), SEPARATOR),
            reply(200, &[b"a\rb\r"], 22),
            // `211 CR CR LF` inside the reply is text, not its end.
            reply(211, &[b"\r", b"211\r", b""], 41),
        ]
    );
}

#[test]
fn telnet_iac_storms() {
    // 20 000 NOPs before the code, IAC IAC storms in the text, negotiations
    // between replies and inside the code.
    let mut input = b"\xff\xf1".repeat(20_000);
    input.extend_from_slice(b"220 ok\r\n");
    let nops = input.len() as u64;
    input.extend_from_slice(b"200 ");
    input.extend(b"\xff\xff".repeat(10_000));
    input.extend_from_slice(b"\r\n");
    let escaped = input.len() as u64;
    input.extend(b"\xff\xfb\x01\xff\xfd\x03\xff\xfe\x18".repeat(100));
    input.extend_from_slice(b"2\xff\xf13\xff\xfb\x010 in\r\n");
    let end = input.len() as u64;
    let out = decode_every_way(DecoderConfig::new(), &input);
    assert_eq!(
        out,
        [
            reply(220, &[b"ok"], nops),
            reply(200, &[&[0xFF; 10_000][..]], escaped),
            reply(230, &[b"in"], end),
        ]
    );
    // More NOPs than a line may hold: the line limit counts raw bytes.
    let mut input = b"\xff\xf1".repeat(40_000);
    input.extend_from_slice(b"220 ok\r\n200 next\r\n");
    let end = input.len() as u64;
    let out = decode_reads(DecoderConfig::new(), &input, READ);
    assert_eq!(
        out,
        [
            Item::Error(DecodeError::LineTooLong {
                offset: 0,
                limit: 64 * KIB
            }),
            reply(200, &[b"next"], end),
        ]
    );
    // An IAC at the end of the stream: the reply is truncated.
    let out = decode_every_way(DecoderConfig::new(), b"200 a\r\n220 b\xff");
    assert_eq!(
        out,
        [
            reply(200, &[b"a"], 7),
            Item::Error(DecodeError::Truncated {
                offset: 7,
                buffered: 6
            }),
        ]
    );
}

#[test]
fn invalid_utf8_is_kept_as_bytes() {
    let out = decode_every_way(
        DecoderConfig::new(),
        b"550 \xc3\x28 \xe4\x80 \xf0\x28\x8c\xbc\r\n",
    );
    assert_eq!(
        out,
        [reply(550, &[b"\xc3\x28 \xe4\x80 \xf0\x28\x8c\xbc"], 16)]
    );
    let mut decoder = ReplyDecoder::new();
    let mut buf = BytesMut::from(&b"550 \xc3\x28 caf\xc3\xa9\r\n"[..]);
    let r = decoder.decode(&mut buf).unwrap().unwrap();
    assert_eq!(r.text(), "\u{fffd}( caf\u{e9}");
}

#[test]
fn codes_of_the_wrong_length_or_range() {
    let out = decode_every_way(
        DecoderConfig::new(),
        b"22 two\r\n2200 four\r\n10054 five\r\n000 zero\r\n999 nines\r\n099 x\r\n700 x\r\n22\r\n220 ok\r\n",
    );
    assert_eq!(
        out,
        [
            invalid(2, Some(b' '), DIGIT),
            invalid(11, Some(b'0'), SEPARATOR),
            invalid(22, Some(b'5'), SEPARATOR),
            invalid(31, Some(b'0'), FIRST_DIGIT),
            invalid(41, Some(b'9'), FIRST_DIGIT),
            invalid(52, Some(b'0'), FIRST_DIGIT),
            invalid(59, Some(b'7'), FIRST_DIGIT),
            invalid(68, Some(b'\r'), DIGIT),
            reply(220, &[b"ok"], 78),
        ]
    );
    // Inside a multi-line reply, any of them is text.
    let out = decode_every_way(
        DecoderConfig::new(),
        b"211-a\r\n22 x\r\n2110 x\r\n21100\r\n000\r\n999 x\r\n211 end\r\n",
    );
    assert_eq!(
        out,
        [reply(
            211,
            &[b"a", b"22 x", b"2110 x", b"21100", b"000", b"999 x", b"end"],
            49
        )]
    );
}

#[test]
fn end_line_with_another_code() {
    // 220- closed by 221: not an end line; the reply goes on until 220 comes.
    let out = decode_every_way(
        DecoderConfig::new(),
        b"220-a\r\n221 b\r\n230 c\r\n220 d\r\n",
    );
    assert_eq!(out, [reply(220, &[b"a", b"221 b", b"230 c", b"d"], 28)]);
    // It never comes: the stream ends inside the reply.
    let out = decode_every_way(DecoderConfig::new(), b"220-a\r\n221 b\r\n");
    assert_eq!(
        out,
        [Item::Error(DecodeError::Truncated {
            offset: 0,
            buffered: 14
        })]
    );
    // It never comes, and the lines pile up to the line limit; then the rest is
    // dropped up to an end line that never comes either.
    let config = DecoderConfig::new().max_lines(4);
    let out = decode_every_way(config, b"220-a\r\n221 b\r\n221 c\r\n221 d\r\n221 e\r\n");
    assert_eq!(
        out,
        [Item::Error(DecodeError::TooManyLines {
            offset: 0,
            limit: 4
        })]
    );
}

#[test]
fn end_line_missing_at_eof() {
    let out = decode_every_way(DecoderConfig::new(), b"200 ok\r\n230-a\r\nb\r\n230");
    assert_eq!(
        out,
        [
            reply(200, &[b"ok"], 8),
            Item::Error(DecodeError::Truncated {
                offset: 8,
                buffered: 13
            }),
        ]
    );
    // The decoder is empty after decode_eof and reads a new stream from there.
    let mut decoder = ReplyDecoder::new();
    let mut buf = BytesMut::from(&b"230-a\r\nb\r\n"[..]);
    assert_eq!(
        decoder.decode_eof(&mut buf),
        Err(DecodeError::Truncated {
            offset: 0,
            buffered: 10
        })
    );
    assert!(buf.is_empty() && !decoder.is_mid_reply());
    assert_eq!(decoder.decode_eof(&mut buf), Ok(None));
    buf.extend_from_slice(b"230 in\r\n");
    let r = decoder.decode(&mut buf).unwrap().unwrap();
    assert_eq!((r.code().as_u16(), r.line_count()), (230, 1));
    assert_eq!(decoder.stream_offset(), 18);
}

#[test]
fn replies_queued_in_one_read() {
    let mut input = Vec::new();
    for i in 0..1000 {
        if i % 3 == 0 {
            input.extend_from_slice(format!("211-{i}\r\n x\r\n211 end\r\n").as_bytes());
        } else {
            input.extend_from_slice(format!("200 {i}\r\n").as_bytes());
        }
    }
    let out = decode_reads(DecoderConfig::new(), &input, input.len());
    assert_eq!(out.len(), 1000);
    let mut end = 0;
    for (i, item) in out.iter().enumerate() {
        let Item::Reply(code, lines, at) = item else {
            panic!("{item:?}");
        };
        let expected: Vec<Vec<u8>> = if i % 3 == 0 {
            vec![i.to_string().into_bytes(), b" x".to_vec(), b"end".to_vec()]
        } else {
            vec![i.to_string().into_bytes()]
        };
        assert_eq!(
            (*code, lines),
            (if i % 3 == 0 { 211 } else { 200 }, &expected)
        );
        assert!(*at > end);
        end = *at;
    }
    assert_eq!(end, input.len() as u64);
    // The same in small reads.
    assert_eq!(decode_reads(DecoderConfig::new(), &input, 13), out);
}

// ---------------------------------------------------------------------------
// Recovery after each kind of error, at the documented point.

/// InvalidReplyLine: the rest of the line is dropped, decoding resumes at the
/// next line, even when that line is a multi-line reply's continuation.
#[test]
fn recovery_after_an_invalid_line_is_the_next_line() {
    let out = decode_every_way(
        DecoderConfig::new(),
        b"hello 220 x\r\n220-a\r\nb\r\n220 c\r\n",
    );
    assert_eq!(
        out,
        [
            invalid(0, Some(b'h'), FIRST_DIGIT),
            reply(220, &[b"a", b"b", b"c"], 30),
        ]
    );
    // Lines of a reply whose first line was junk are refused one by one.
    let out = decode_every_way(DecoderConfig::new(), b"2x0-a\r\nb\r\n220 c\r\n");
    assert_eq!(
        out,
        [
            invalid(1, Some(b'x'), DIGIT),
            invalid(7, Some(b'b'), FIRST_DIGIT),
            reply(220, &[b"c"], 17),
        ]
    );
}

/// A single-line reply over a limit: that line only.
#[test]
fn recovery_after_a_long_single_line_is_the_next_line() {
    let config = DecoderConfig::new().max_line_len(10);
    let out = decode_every_way(config, b"200 0123456789\r\n220-a\r\n220 b\r\n");
    assert_eq!(
        out,
        [
            Item::Error(DecodeError::LineTooLong {
                offset: 0,
                limit: 10
            }),
            reply(220, &[b"a", b"b"], 30),
        ]
    );
}

/// Inside a multi-line reply: everything up to and including its end line, even
/// lines that look like other replies.
#[test]
fn recovery_inside_a_multiline_reply_is_after_its_end_line() {
    let config = DecoderConfig::new().max_reply_len(20);
    let out = decode_every_way(
        config,
        b"211-a\r\n0123456789\r\n200 not a reply\r\n211-x\r\n211 end\r\n226 ok\r\n",
    );
    assert_eq!(
        out,
        [
            Item::Error(DecodeError::ReplyTooLarge {
                offset: 0,
                limit: 20
            }),
            reply(226, &[b"ok"], 60),
        ]
    );
    // Strict line endings: a bare LF inside a reply drops the reply.
    let config = DecoderConfig::new().strict_line_endings(true);
    let out = decode_every_way(config, b"211-a\r\nb\n211 c\r\n200 ok\r\n");
    assert_eq!(
        out,
        [
            Item::Error(DecodeError::BareLineFeed { offset: 8 }),
            reply(200, &[b"ok"], 24),
        ]
    );
}

/// The end of the stream while dropping: quiet, and the decoder is empty after.
#[test]
fn eof_while_dropping_a_reply_is_quiet() {
    let config = DecoderConfig::new().max_line_len(8);
    let out = decode_every_way(config, b"211-a\r\n0123456789\r\nmore\r\n");
    assert_eq!(
        out,
        [Item::Error(DecodeError::LineTooLong {
            offset: 7,
            limit: 8
        })]
    );
}

// ---------------------------------------------------------------------------
// Payloads that lie. The reply itself decodes (it is well framed); its payload
// is refused with the reason and the byte offset in the reply's text, and the
// replies after it decode as usual.

use ftp_reply::payload::{Cleartext, PayloadError, PayloadKind, Reason};
use ftp_reply::{Payload, UnprotectError};

/// Decodes `wire` followed by `200 next`, which must decode too: the bad payload
/// does not disturb the stream. Returns the first reply.
fn reply_then_next(wire: &[u8]) -> Reply {
    let mut decoder = ReplyDecoder::new();
    let mut buf = BytesMut::from(wire);
    buf.extend_from_slice(b"200 next\r\n");
    let first = decoder.decode(&mut buf).unwrap().expect("the reply");
    let next = decoder.decode(&mut buf).unwrap().expect("the next reply");
    assert_eq!((next.code().as_u16(), next.text()), (200, "next".into()));
    assert_eq!(decoder.stream_offset(), wire.len() as u64 + 10);
    first
}

fn refused(wire: &[u8]) -> (PayloadKind, Reason, usize) {
    let reply = reply_then_next(wire);
    match reply.payload() {
        Some(Err(e)) => (e.payload, e.reason, e.offset),
        other => panic!("{:?}: {other:?}", String::from_utf8_lossy(wire)),
    }
}

#[test]
fn malformed_pasv_227() {
    use Reason::*;
    let out_of_range = OutOfRange {
        what: "number",
        min: 0,
        max: 255,
    };
    let cases: [(&[u8], Reason, usize); 15] = [
        (
            b"227 Entering Passive Mode (256,0,0,1,4,1)\r\n",
            out_of_range,
            23,
        ),
        (
            b"227 Entering Passive Mode (1,2,3,4,5)\r\n",
            TooFewNumbers {
                expected: 6,
                found: 5,
            },
            32,
        ),
        (
            b"227 Entering Passive Mode (1,2,3,4,5,6,7)\r\n",
            TooManyNumbers { expected: 6 },
            34,
        ),
        (b"227 Entering Passive Mode (1,2,3,4,0,0)\r\n", PortZero, 31),
        (
            b"227 Entering Passive Mode (0010,0,0,1,4,1)\r\n",
            TooManyDigits { max: 3 },
            23,
        ),
        (
            b"227 Entering Passive Mode (99999999999999999999999,0,0,1,4,1)\r\n",
            TooManyDigits { max: 3 },
            23,
        ),
        (b"227 Entering Passive Mode (-1,0,0,1,4,1)\r\n", Sign, 23),
        (
            b"227 Entering Passive Mode (1,2,3,4,5,6\r\n",
            UnbalancedParenthesis,
            34,
        ),
        (
            b"227 Entering Passive Mode 1,2,3,4,5,6)\r\n",
            UnbalancedParenthesis,
            33,
        ),
        (
            b"227 Entering Passive Mode )1,2,3,4,5,6(\r\n",
            UnbalancedParenthesis,
            22,
        ),
        (
            b"227 Entering Passive Mode (1,,2,3,4,5,6)\r\n",
            Expected("a decimal number 0-255"),
            25,
        ),
        (
            b"227 Entering Passive Mode (1, 2,3,4,5,6)\r\n",
            Expected("a decimal number 0-255"),
            25,
        ),
        (
            b"227 (1,2,3,4,5,6)7\r\n",
            Expected("the end of the numbers"),
            13,
        ),
        (
            b"227 Entering Passive Mode\r\n",
            Expected("comma-separated numbers"),
            21,
        ),
        (b"227\r\n", Expected("comma-separated numbers"), 0),
    ];
    for (wire, reason, offset) in cases {
        assert_eq!(
            refused(wire),
            (PayloadKind::Pasv, reason, offset),
            "{:?}",
            String::from_utf8_lossy(wire)
        );
    }
}

#[test]
fn malformed_lpsv_228() {
    use Reason::*;
    let cases: [(&[u8], Reason, usize); 6] = [
        (
            b"228 Entering Long Passive Mode (5,4,127,0,0,1,2,4,1)\r\n",
            UnsupportedFamily(5),
            28,
        ),
        (
            b"228 Entering Long Passive Mode (4,16,127,0,0,1,2,4,1)\r\n",
            LengthMismatch {
                what: "host address length",
                expected: 4,
                found: 16,
            },
            30,
        ),
        (
            b"228 Entering Long Passive Mode (4,4,127,0,0,1,3,4,1)\r\n",
            LengthMismatch {
                what: "port address length",
                expected: 2,
                found: 3,
            },
            42,
        ),
        (
            b"228 Entering Long Passive Mode (4,4,127,0,0,1,2,4)\r\n",
            TooFewNumbers {
                expected: 9,
                found: 8,
            },
            45,
        ),
        (
            b"228 Entering Long Passive Mode (4,4,127,0,0,1,2,0,0)\r\n",
            PortZero,
            44,
        ),
        (
            b"228 Entering Long Passive Mode (6,16,1,2,3,4,2,4,1)\r\n",
            TooFewNumbers {
                expected: 21,
                found: 9,
            },
            46,
        ),
    ];
    for (wire, reason, offset) in cases {
        assert_eq!(
            refused(wire),
            (PayloadKind::Lpsv, reason, offset),
            "{:?}",
            String::from_utf8_lossy(wire)
        );
    }
}

#[test]
fn malformed_epsv_229() {
    use Reason::*;
    let cases: [(&[u8], Reason, usize); 12] = [
        (
            b"229 Entering Extended Passive Mode (|||0|)\r\n",
            PortZero,
            35,
        ),
        (
            b"229 Entering Extended Passive Mode (|||65536|)\r\n",
            OutOfRange {
                what: "port",
                min: 0,
                max: 65535,
            },
            35,
        ),
        (
            b"229 Entering Extended Passive Mode (|||123456|)\r\n",
            TooManyDigits { max: 5 },
            35,
        ),
        (
            b"229 Entering Extended Passive Mode (!!6446!)\r\n",
            DelimiterMismatch {
                expected: b'!',
                found: Some(b'6'),
            },
            34,
        ),
        (
            b"229 Entering Extended Passive Mode (|||6446!)\r\n",
            DelimiterMismatch {
                expected: b'|',
                found: Some(b'!'),
            },
            39,
        ),
        (
            b"229 Entering Extended Passive Mode (|2|::1|6446|)\r\n",
            NetFieldNotEmpty,
            33,
        ),
        (
            b"229 Entering Extended Passive Mode (11164461)\r\n",
            InvalidDelimiter(b'1'),
            32,
        ),
        (
            b"229 Entering Extended Passive Mode ( 6446 )\r\n",
            InvalidDelimiter(b' '),
            32,
        ),
        (
            b"229 Entering Extended Passive Mode (|||6446|\r\n",
            ExpectedByte(b')'),
            40,
        ),
        (
            b"229 Entering Extended Passive Mode |||6446|\r\n",
            Expected("'(' before the port"),
            39,
        ),
        (b"229 Entering Extended Passive Mode (|||-1|)\r\n", Sign, 35),
        (
            b"229 Entering Extended Passive Mode (|||\xff\xff|)\r\n",
            Expected("a port number"),
            35,
        ),
    ];
    for (wire, reason, offset) in cases {
        assert_eq!(
            refused(wire),
            (PayloadKind::Epsv, reason, offset),
            "{:?}",
            String::from_utf8_lossy(wire)
        );
    }
}

/// A passive reply naming another host is parsed, but the safe default connects
/// to the control connection's peer and says the hosts differed.
#[test]
fn passive_reply_aiming_elsewhere() {
    use ftp_reply::payload::{PassivePolicy, passive_target};
    use std::net::{IpAddr, Ipv4Addr, SocketAddr};
    let reply = reply_then_next(b"227 Entering Passive Mode (169,254,169,254,0,80)\r\n");
    let advertised = SocketAddr::V4(reply.passive_addr().unwrap());
    let peer = IpAddr::V4(Ipv4Addr::new(203, 0, 113, 5));
    let target = passive_target(peer, advertised, PassivePolicy::default());
    assert_eq!(target.addr, SocketAddr::new(peer, 80));
    assert!(target.advertised_host_differs);
}

fn protected_refused(wire: &[u8]) -> (Reason, usize, usize) {
    let reply = reply_then_next(wire);
    let e: PayloadError = reply.protected().unwrap_err();
    assert_eq!(e.payload, PayloadKind::Protected);
    assert_eq!(
        reply.unprotect(&mut Cleartext),
        Err(UnprotectError::Payload(e))
    );
    (e.reason, e.line, e.offset)
}

#[test]
fn protected_63z_with_invalid_base64_or_framing() {
    use Reason::*;
    let cases: [(&[u8], Reason, usize, usize); 12] = [
        (
            b"631 !!!!\r\n",
            Base64("byte outside the standard alphabet"),
            0,
            4,
        ),
        (
            b"631 MjAw IE9L\r\n",
            Base64("byte outside the standard alphabet"),
            0,
            8,
        ),
        (b"631 MjA\r\n", Base64("missing or wrong padding"), 0, 7),
        (
            b"631 MjB=\r\n",
            Base64("last symbol has non-zero unused bits"),
            0,
            6,
        ),
        (b"631 M===\r\n", Base64("padding before the end"), 0, 5),
        (b"631 Mj=A\r\n", Base64("padding before the end"), 0, 6),
        // Empty payloads.
        (b"631 \r\n", Empty("Base64 fragment"), 0, 4),
        (
            b"631\r\n",
            Expected("'-' or ' ' after the reply code"),
            0,
            3,
        ),
        (b"631-\r\n631 MjAw\r\n", Empty("Base64 fragment"), 0, 4),
        (
            b"631-MjAw\r\n631\r\n",
            Expected("'-' or ' ' after the reply code"),
            1,
            3,
        ),
        // A line of another code, or with no code, inside.
        (
            b"631-MjAw\r\n632 MjAw\r\n631 MjAw\r\n",
            CodeMismatch(631),
            1,
            0,
        ),
        (
            b"631-MjAw\r\nMjAw\r\n631 MjAw\r\n",
            Expected("reply code 631, 632 or 633"),
            1,
            0,
        ),
    ];
    for (wire, reason, line, offset) in cases {
        assert_eq!(
            protected_refused(wire),
            (reason, line, offset),
            "{:?}",
            String::from_utf8_lossy(wire)
        );
    }
}

/// Inner replies that are themselves malformed: the outer reply is fine, the
/// inner decoder's error (with offsets in the plaintext) comes back.
#[test]
fn protected_63z_with_malformed_inner_replies() {
    use ftp_reply::DecodeError::*;
    let unprotect = |wire: &[u8]| reply_then_next(wire).unprotect(&mut Cleartext);
    // "xyz": not a reply.
    assert_eq!(
        unprotect(b"631 eHl6\r\n"),
        Err(UnprotectError::Inner(InvalidReplyLine {
            offset: 0,
            reason: "expected a reply code's first digit (1-6)",
            found: Some(b'x')
        }))
    );
    // "\r\n": an empty line.
    assert!(matches!(
        unprotect(b"631 DQo=\r\n"),
        Err(UnprotectError::Inner(InvalidReplyLine { offset: 0, .. }))
    ));
    // "220-open\r\n": a multi-line reply that never ends.
    assert_eq!(
        unprotect(b"631 MjIwLW9wZW4NCg==\r\n"),
        Err(UnprotectError::Inner(Truncated {
            offset: 0,
            buffered: 10
        }))
    );
    // "200 a\r\n200 b\r\n": two replies in one.
    assert_eq!(
        unprotect(b"631 MjAwIGENCjIwMCBiDQo=\r\n"),
        Err(UnprotectError::TrailingBytes {
            offset: 7,
            extra: 7
        })
    );
    // The same tokens on three lines: "200200200" is not a reply either.
    assert!(matches!(
        unprotect(b"631-MjAw\r\n631-MjAw\r\n631 MjAw\r\n"),
        Err(UnprotectError::Inner(InvalidReplyLine { offset: 3, .. }))
    ));
    // "200" without a line end, and a reply with invalid UTF-8: both fine.
    let r = unprotect(b"631 MjAw\r\n").unwrap();
    assert_eq!((r.code().as_u16(), r.text()), (200, String::new()));
    let r = unprotect(b"633 MjIwIOKA\r\n").unwrap();
    assert_eq!(
        (r.code().as_u16(), r.lines().next().unwrap()),
        (220, &b"\xe2\x80"[..])
    );
}

/// An oversized protected reply is stopped by the outer decoder's limits like any
/// reply; one within them is opened, and its inner reply is held to the default
/// limits too (here it has one line too many), unless the caller gives others.
#[test]
fn oversized_protected_replies() {
    let b64 = |data: &[u8]| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(data)
    };
    // A single Base64 line over the line limit.
    let mut wire = b"631 ".to_vec();
    wire.extend(b64(&vec![b'a'; 60 * KIB]).bytes());
    wire.extend_from_slice(b"\r\n200 next\r\n");
    let out = decode_reads(DecoderConfig::new(), &wire, READ);
    assert_eq!(
        out,
        [
            Item::Error(DecodeError::LineTooLong {
                offset: 0,
                limit: 64 * KIB
            }),
            reply(200, &[b"next"], wire.len() as u64),
        ]
    );
    // An inner reply of 250 000 lines in lines of 48 KiB of Base64.
    let mut plain = b"211-x\r\n".to_vec();
    plain.extend(b"\n".repeat(250_000));
    plain.extend_from_slice(b"211 end\r\n");
    let chunks: Vec<&[u8]> = plain.chunks(36 * KIB).collect();
    let mut wire = Vec::new();
    for (i, chunk) in chunks.iter().enumerate() {
        let sep = if i + 1 == chunks.len() { " " } else { "-" };
        wire.extend(format!("632{sep}{}\r\n", b64(chunk)).bytes());
    }
    let outer = reply_then_next(&wire);
    assert_eq!(outer.line_count(), chunks.len());
    assert!(matches!(
        outer.unprotect(&mut Cleartext),
        Err(UnprotectError::Inner(DecodeError::TooManyLines {
            offset: 0,
            limit: 200_000
        }))
    ));
    let inner = outer
        .unprotect_with_config(&mut Cleartext, DecoderConfig::unbounded())
        .unwrap();
    assert_eq!(inner.code().as_u16(), 211);
    assert_eq!(inner.line_count(), 250_002);
    assert!(inner.line_count() > DecoderConfig::new().get_max_lines());
    assert!(matches!(outer.payload(), Some(Ok(Payload::Protected(_)))));
}
