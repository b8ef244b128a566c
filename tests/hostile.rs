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
