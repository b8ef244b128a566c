//! Known answers for the streaming decoder: framing (RFC 959 §4.2), line endings,
//! Telnet, limits and recovery, and chunking.

use bytes::BytesMut;
use ftp_reply::{DecodeError, DecoderConfig, Reply, ReplyCode, ReplyDecoder, encode_reply};

/// One item of a decoded stream.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Reply(u16, Vec<Vec<u8>>, Vec<u8>),
    Error(DecodeError),
}

fn item(reply: &Reply) -> Item {
    Item::Reply(
        reply.code().as_u16(),
        reply.lines().map(<[u8]>::to_vec).collect(),
        reply.raw().to_vec(),
    )
}

/// Decodes `input` fed in `chunks`-sized reads, then the end of the stream.
fn decode_chunked(config: DecoderConfig, input: &[u8], chunk: usize) -> Vec<Item> {
    let mut decoder = ReplyDecoder::with_config(config);
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    for piece in input.chunks(chunk.max(1)) {
        buf.extend_from_slice(piece);
        loop {
            match decoder.decode(&mut buf) {
                Ok(Some(r)) => out.push(item(&r)),
                Ok(None) => break,
                Err(e) => out.push(Item::Error(e)),
            }
        }
    }
    loop {
        match decoder.decode_eof(&mut buf) {
            Ok(Some(r)) => out.push(item(&r)),
            Ok(None) => break,
            Err(e) => out.push(Item::Error(e)),
        }
    }
    assert!(buf.is_empty(), "decode_eof left bytes behind");
    out
}

fn decode_all(input: &[u8]) -> Vec<Item> {
    decode_chunked(DecoderConfig::new(), input, input.len())
}

/// Decodes whole, then checks every chunk size up to 17 and byte-at-a-time agree.
fn decode_checked(config: DecoderConfig, input: &[u8]) -> Vec<Item> {
    let whole = decode_chunked(config, input, input.len());
    for chunk in 1..=17 {
        assert_eq!(
            decode_chunked(config, input, chunk),
            whole,
            "chunk size {chunk} differs"
        );
    }
    whole
}

fn one(input: &[u8]) -> Reply {
    let mut decoder = ReplyDecoder::new();
    let mut buf = BytesMut::from(input);
    let reply = decoder.decode(&mut buf).unwrap().expect("a complete reply");
    assert!(buf.is_empty(), "bytes left after the reply");
    reply
}

fn lines(reply: &Reply) -> Vec<&[u8]> {
    reply.lines().collect()
}

fn err_at(input: &[u8]) -> DecodeError {
    match decode_checked(DecoderConfig::new(), input)
        .into_iter()
        .next()
    {
        Some(Item::Error(e)) => e,
        other => panic!("expected an error first, got {other:?}"),
    }
}

#[test]
fn single_line() {
    let r = one(b"220 Service ready\r\n");
    assert_eq!(r.code(), ReplyCode::SERVICE_READY);
    assert_eq!(lines(&r), [&b"Service ready"[..]]);
    assert!(!r.is_multiline());
    assert_eq!(r.text(), "Service ready");
    assert_eq!(r.raw(), b"220 Service ready\r\n");
}

#[test]
fn empty_text() {
    let r = one(b"220\r\n");
    assert_eq!(r.code().as_u16(), 220);
    assert_eq!(lines(&r), [&b""[..]]);
    assert_eq!(r.text(), "");
}

#[test]
fn rfc959_example_is_one_reply_of_four_lines() {
    let input = b"123-First line\r\nSecond line\r\n  234 A line beginning with numbers\r\n123 The last line\r\n";
    let r = one(input);
    assert_eq!(r.code().as_u16(), 123);
    assert!(r.is_multiline());
    assert_eq!(r.line_count(), 4);
    assert_eq!(
        lines(&r),
        [
            &b"First line"[..],
            b"Second line",
            b"  234 A line beginning with numbers",
            b"The last line"
        ]
    );
}

#[test]
fn other_code_inside_multiline_is_text() {
    let r = one(b"220-a\r\n221 other\r\n220 end\r\n");
    assert_eq!(r.code().as_u16(), 220);
    assert_eq!(lines(&r), [&b"a"[..], b"221 other", b"end"]);
}

#[test]
fn two_multiline_replies() {
    let out = decode_checked(
        DecoderConfig::new(),
        b"150-A\r\n160-B\r\n150 C\r\n200-D\r\n200 Done\r\n",
    );
    assert_eq!(out.len(), 2);
    assert!(
        matches!(&out[0], Item::Reply(150, l, _) if l == &[b"A".to_vec(), b"160-B".to_vec(), b"C".to_vec()])
    );
    assert!(matches!(&out[1], Item::Reply(200, l, _) if l == &[b"D".to_vec(), b"Done".to_vec()]));
}

#[test]
fn code_alone_ends_multiline() {
    let r = one(b"220-a\r\n220\r\n");
    assert_eq!(lines(&r), [&b"a"[..], b""]);
}

#[test]
fn same_code_with_hyphen_is_text_and_stripped() {
    let r = one(b"211-Features:\r\n211-AUTH TLS\r\n211-UTF8\r\n211 End\r\n");
    assert_eq!(lines(&r), [&b"Features:"[..], b"AUTH TLS", b"UTF8", b"End"]);
    assert_eq!(r.text(), "Features:\nAUTH TLS\nUTF8\nEnd");
}

#[test]
fn feat_with_leading_spaces() {
    let r = one(b"211-Features:\r\n MDTM\r\n SIZE\r\n211 End\r\n");
    assert_eq!(lines(&r), [&b"Features:"[..], b" MDTM", b" SIZE", b"End"]);
    let raw: Vec<&[u8]> = r.raw_lines().collect();
    assert_eq!(raw, [&b"211-Features:"[..], b" MDTM", b" SIZE", b"211 End"]);
}

#[test]
fn non_utf8_text_is_kept() {
    let r = one(b"550 Datei \xe4 nicht gefunden\r\n");
    assert_eq!(lines(&r), [&b"Datei \xe4 nicht gefunden"[..]]);
    assert_eq!(r.text(), "Datei \u{fffd} nicht gefunden");
}

#[test]
fn truncated_at_eof() {
    let out = decode_checked(DecoderConfig::new(), b"220-a\r\n");
    assert_eq!(
        out,
        [Item::Error(DecodeError::Truncated {
            offset: 0,
            buffered: 7
        })]
    );
    let out = decode_checked(DecoderConfig::new(), b"200 ok\r\n220 no line end");
    assert_eq!(out.len(), 2);
    assert_eq!(
        out[1],
        Item::Error(DecodeError::Truncated {
            offset: 8,
            buffered: 15
        })
    );
}

#[test]
fn empty_stream_at_eof_is_nothing() {
    assert!(decode_all(b"").is_empty());
}

#[test]
fn reply_split_across_two_reads() {
    let mut decoder = ReplyDecoder::new();
    let mut buf = BytesMut::from(&b"220 hel"[..]);
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    buf.extend_from_slice(b"lo\r\n");
    let r = decoder.decode(&mut buf).unwrap().unwrap();
    assert_eq!(lines(&r), [&b"hello"[..]]);
}

#[test]
fn replies_queued_in_one_read() {
    let out = decode_checked(
        DecoderConfig::new(),
        b"220 a\r\n331 b\r\n230-c\r\n230 d\r\n221 bye\r\n",
    );
    let codes: Vec<u16> = out
        .iter()
        .map(|i| match i {
            Item::Reply(c, ..) => *c,
            Item::Error(e) => panic!("{e}"),
        })
        .collect();
    assert_eq!(codes, [220, 331, 230, 221]);
}

#[test]
fn bare_lf_accepted_by_default() {
    let r = one(b"220-a\n220 b\n");
    assert_eq!(lines(&r), [&b"a"[..], b"b"]);
}

#[test]
fn bare_lf_rejected_when_strict() {
    let strict = DecoderConfig::new().strict_line_endings(true);
    let out = decode_checked(strict, b"220 a\n200 ok\r\n");
    assert_eq!(out[0], Item::Error(DecodeError::BareLineFeed { offset: 5 }));
    // Recovery: the single-line reply's line is dropped, the next reply decodes.
    assert!(matches!(&out[1], Item::Reply(200, ..)));
    assert_eq!(out.len(), 2);
    // Inside a multi-line reply, the rest of the reply is dropped.
    let out = decode_checked(strict, b"211-a\r\nb\nc\r\n211 end\r\n200 ok\r\n");
    assert_eq!(out[0], Item::Error(DecodeError::BareLineFeed { offset: 8 }));
    assert!(matches!(&out[1], Item::Reply(200, ..)));
    assert_eq!(out.len(), 2);
}

#[test]
fn lone_cr_is_text() {
    let r = one(b"200 a\rb\r\n");
    assert_eq!(lines(&r), [&b"a\rb"[..]]);
}

#[test]
fn invalid_first_lines_name_the_byte() {
    let cases: [(&[u8], u64, Option<u8>); 9] = [
        (b"+20 hi\r\n", 0, Some(b'+')),
        (b"2200 ok\r\n", 3, Some(b'0')),
        (b"10054 Connection reset\r\n", 3, Some(b'5')),
        (b"SSH-2.0-OpenSSH_7.4\r\n", 0, Some(b'S')),
        (b"22 x\r\n", 2, Some(b' ')),
        (b"abc\r\n", 0, Some(b'a')),
        (b"000 zero\r\n", 0, Some(b'0')),
        (b"22\r\n", 2, Some(b'\r')),
        (b"22\n", 2, None),
    ];
    for (input, offset, found) in cases {
        match err_at(input) {
            DecodeError::InvalidReplyLine {
                offset: o,
                found: f,
                ..
            } => {
                assert_eq!(
                    (o, f),
                    (offset, found),
                    "{:?}",
                    String::from_utf8_lossy(input)
                );
            }
            e => panic!("{e:?}"),
        }
    }
    assert!(matches!(
        err_at(b"999 x\r\n"),
        DecodeError::InvalidReplyLine { offset: 0, .. }
    ));
    assert!(matches!(
        err_at(b"700 x\r\n"),
        DecodeError::InvalidReplyLine { offset: 0, .. }
    ));
}

#[test]
fn invalid_line_reported_before_its_end_arrives() {
    let mut decoder = ReplyDecoder::new();
    let mut buf = BytesMut::from(&b"SSH-2.0-Open"[..]);
    assert!(matches!(
        decoder.decode(&mut buf),
        Err(DecodeError::InvalidReplyLine { offset: 0, .. })
    ));
    // The rest of the line is dropped as it arrives; the next line decodes.
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    assert!(buf.is_empty());
    buf.extend_from_slice(b"SSH_7.4\r\n220 ok\r\n");
    let r = decoder.decode(&mut buf).unwrap().unwrap();
    assert_eq!(r.code().as_u16(), 220);
    assert_eq!(decoder.stream_offset(), 29);
}

#[test]
fn errors_carry_stream_offsets() {
    let out = decode_checked(DecoderConfig::new(), b"200 ok\r\n200 ok\r\nxyz\r\n");
    assert_eq!(out.len(), 3);
    assert!(matches!(
        out[2],
        Item::Error(DecodeError::InvalidReplyLine { offset: 16, .. })
    ));
}

#[test]
fn every_strict_prefix_needs_more() {
    let inputs: [&[u8]; 6] = [
        b"220 Service ready\r\n",
        b"220\r\n",
        b"123-First line\r\nSecond line\r\n  234 A line beginning with numbers\r\n123 The last line\r\n",
        b"211-Features:\r\n211-AUTH TLS\r\n211-UTF8\r\n211 End\r\n",
        b"220-a\r\n220\r\n",
        b"200 \xff\xffx\xff\xfb\x01y\r\n",
    ];
    for input in inputs {
        for n in 0..input.len() {
            let mut decoder = ReplyDecoder::new();
            let mut buf = BytesMut::from(&input[..n]);
            assert_eq!(
                decoder.decode(&mut buf),
                Ok(None),
                "prefix {n} of {input:?}"
            );
            assert_eq!(buf.len(), n, "a prefix must stay buffered");
        }
    }
}

#[test]
fn telnet_escapes_and_commands() {
    let r = one(b"550 \xff\xff file\r\n");
    assert_eq!(lines(&r), [&b"\xff file"[..]]);
    assert_eq!(r.raw(), b"550 \xff\xff file\r\n");
    // A negotiation before the code, and a command inside the text.
    let r = one(b"\xff\xfb\x01226 Tra\xff\xf1nsfer complete\r\n");
    assert_eq!(r.code().as_u16(), 226);
    assert_eq!(lines(&r), [&b"Transfer complete"[..]]);
    // An option byte that is LF does not end the line.
    let r = one(b"200 a\xff\xfd\nb\r\n");
    assert_eq!(lines(&r), [&b"ab"[..]]);
    // Verbatim mode keeps every byte as text.
    let mut decoder = ReplyDecoder::with_config(DecoderConfig::new().telnet(false));
    let mut buf = BytesMut::from(&b"550 \xff\xff file\r\n"[..]);
    let r = decoder.decode(&mut buf).unwrap().unwrap();
    assert_eq!(lines(&r), [&b"\xff\xff file"[..]]);
}

#[test]
fn telnet_same_across_chunkings() {
    let input = b"\xff\xfb\x01220-a\xff\xff\r\n\xff\xf1220 b\r\n200 \xffx\r\n";
    let out = decode_checked(DecoderConfig::new(), input);
    assert_eq!(out.len(), 2);
    assert!(matches!(&out[0], Item::Reply(220, l, _) if l == &[b"a\xff".to_vec(), b"b".to_vec()]));
    assert!(matches!(&out[1], Item::Reply(200, l, _) if l == &[b"\xffx".to_vec()]));
}

#[test]
fn decode_max_line_length() {
    let config = DecoderConfig::new().max_line_len(16);
    let mut input = b"200 ".to_vec();
    input.extend(std::iter::repeat_n(b'x', 40));
    input.extend_from_slice(b"\r\n220 next\r\n");
    let out = decode_checked(config, &input);
    assert_eq!(
        out,
        [
            Item::Error(DecodeError::LineTooLong {
                offset: 0,
                limit: 16
            }),
            Item::Reply(220, vec![b"next".to_vec()], b"220 next\r\n".to_vec())
        ]
    );
}

#[test]
fn decode_max_line_length_reported_before_line_end() {
    let config = DecoderConfig::new().max_line_len(16);
    let mut decoder = ReplyDecoder::with_config(config);
    let mut buf = BytesMut::from(&b"200 0123456789ab"[..]);
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    buf.extend_from_slice(b"c");
    assert_eq!(
        decoder.decode(&mut buf),
        Err(DecodeError::LineTooLong {
            offset: 0,
            limit: 16
        })
    );
    // Discarding: nothing is kept while the line goes on.
    for _ in 0..100 {
        buf.extend_from_slice(b"yyyyyyyy");
        assert_eq!(decoder.decode(&mut buf), Ok(None));
        assert!(buf.is_empty());
    }
    buf.extend_from_slice(b"\r\n200 ok\r\n");
    assert_eq!(
        decoder.decode(&mut buf).unwrap().unwrap().code().as_u16(),
        200
    );
}

#[test]
fn decode_max_line_length_inside_multiline_discards_reply() {
    let config = DecoderConfig::new().max_line_len(16);
    let input = b"211-a\r\nbbbbbbbbbbbbbbbbbbbbbbbb\r\n211-c\r\n211 end\r\n200 ok\r\n";
    let out = decode_checked(config, input);
    assert_eq!(
        out[0],
        Item::Error(DecodeError::LineTooLong {
            offset: 7,
            limit: 16
        })
    );
    assert!(matches!(&out[1], Item::Reply(200, ..)));
    assert_eq!(out.len(), 2);
}

#[test]
fn decode_max_line_length_on_a_long_end_line() {
    // The end line itself is too long: discarding stops after it.
    let config = DecoderConfig::new().max_line_len(16);
    let input = b"211-a\r\n211 eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\r\n200 ok\r\n";
    let out = decode_checked(config, input);
    assert_eq!(out.len(), 2);
    assert!(matches!(&out[1], Item::Reply(200, ..)));
}

#[test]
fn decode_max_reply_size() {
    let config = DecoderConfig::new().max_reply_len(64);
    let mut input = b"211-start\r\n".to_vec();
    for _ in 0..20 {
        input.extend_from_slice(b" line\r\n");
    }
    input.extend_from_slice(b"211 end\r\n226 next\r\n");
    let out = decode_checked(config, &input);
    assert_eq!(
        out,
        [
            Item::Error(DecodeError::ReplyTooLarge {
                offset: 0,
                limit: 64
            }),
            Item::Reply(226, vec![b"next".to_vec()], b"226 next\r\n".to_vec())
        ]
    );
}

#[test]
fn decode_max_lines() {
    let config = DecoderConfig::new().max_lines(3);
    // Three lines fit.
    let out = decode_checked(config, b"211-a\r\nb\r\n211 c\r\n");
    assert!(matches!(&out[..], [Item::Reply(211, ..)]));
    // A fourth is refused as soon as the third line is not the end.
    let out = decode_checked(config, b"211-a\r\nb\r\nc\r\n211 d\r\n200 ok\r\n");
    assert_eq!(
        out[0],
        Item::Error(DecodeError::TooManyLines {
            offset: 0,
            limit: 3
        })
    );
    assert!(matches!(&out[1], Item::Reply(200, ..)));
    assert_eq!(out.len(), 2);
}

#[test]
fn decode_discard_repeat() {
    // Several bad lines in a row: one error each, then decoding resumes.
    let out = decode_checked(DecoderConfig::new(), b"x\r\ny\r\nz\r\n220 ok\r\n");
    assert_eq!(out.len(), 4);
    assert!(matches!(
        out[2],
        Item::Error(DecodeError::InvalidReplyLine { offset: 6, .. })
    ));
    assert!(matches!(&out[3], Item::Reply(220, ..)));
}

#[test]
fn decode_underrun_multiline_end_without_code_match() {
    // The end line carries another code: the reply never ends; EOF truncates it.
    let out = decode_checked(DecoderConfig::new(), b"220-a\r\n221 b\r\n");
    assert_eq!(
        out,
        [Item::Error(DecodeError::Truncated {
            offset: 0,
            buffered: 14
        })]
    );
}

#[test]
fn eof_while_discarding_is_quiet() {
    let config = DecoderConfig::new().max_line_len(8);
    let out = decode_checked(config, b"200 aaaaaaaaaaaaaaaa");
    assert_eq!(
        out,
        [Item::Error(DecodeError::LineTooLong {
            offset: 0,
            limit: 8
        })]
    );
}

#[test]
fn cleared_buffer_resets_position() {
    let mut decoder = ReplyDecoder::new();
    let mut buf = BytesMut::from(&b"220-partial\r\nmore"[..]);
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    buf.clear();
    buf.extend_from_slice(b"200 ok\r\n");
    assert_eq!(
        decoder.decode(&mut buf).unwrap().unwrap().code().as_u16(),
        200
    );
}

#[test]
fn encoder_pads_lines_that_look_like_the_end() {
    let mut buf = BytesMut::new();
    let lines: [&[u8]; 5] = [b"first", b"220 not the end", b"220", b"220-x", b"end"];
    encode_reply(ReplyCode::SERVICE_READY, &lines, &mut buf).unwrap();
    assert_eq!(
        &buf[..],
        b"220-first\r\n220-220 not the end\r\n220-220\r\n220-220-x\r\n220 end\r\n"
    );
    let r = one(&buf);
    assert_eq!(lines.to_vec(), r.lines().collect::<Vec<_>>());
    // Ordinary lines between are written bare, as in RFC 959's example.
    let r = Reply::new(
        ReplyCode::new(123).unwrap(),
        &["First line", "  234 A line", "The last line"],
    )
    .unwrap();
    assert_eq!(
        r.raw(),
        b"123-First line\r\n  234 A line\r\n123 The last line\r\n"
    );
}

#[test]
fn encoder_escapes_iac_and_rejects_lf() {
    let r = Reply::new(ReplyCode::FILE_UNAVAILABLE, &[&b"\xff name"[..]]).unwrap();
    assert_eq!(r.raw(), b"550 \xff\xff name\r\n");
    assert_eq!(r.lines().next().unwrap(), b"\xff name");
    assert!(matches!(
        Reply::new(ReplyCode::COMMAND_OK, &["a\nb"]),
        Err(ftp_reply::EncodeError::LineFeedInText { line: 0, offset: 1 })
    ));
}

#[test]
fn limits_with_telnet_before_the_code() {
    let config = DecoderConfig::new()
        .max_line_len(4)
        .max_reply_len(8)
        .max_lines(1);
    let out = decode_checked(config, b"\xff\xfb\x01\xff\xf1100-\r\n100 \r\n");
    assert_eq!(
        out,
        [Item::Error(DecodeError::LineTooLong {
            offset: 0,
            limit: 4
        })]
    );
}

#[test]
fn cr_after_code_then_escaped_iac_orders_errors_by_what_was_seen() {
    // The CR after "100" is only known to be wrong once the byte after it (an
    // escaped 0xFF) is seen, by which time the line limit is crossed: the limit is
    // the first error however the bytes arrive.
    let config = DecoderConfig::new()
        .max_line_len(4)
        .max_reply_len(8)
        .max_lines(1);
    let out = decode_checked(config, b"100\r\xff\xff\r\n200 ok\r\n");
    assert_eq!(
        out[0],
        Item::Error(DecodeError::LineTooLong {
            offset: 0,
            limit: 4
        })
    );
    // With room, the same line is an invalid reply line at the CR.
    let out = decode_checked(DecoderConfig::new(), b"100\r\xff\xff\r\n200 ok\r\n");
    assert_eq!(
        out[0],
        Item::Error(DecodeError::InvalidReplyLine {
            offset: 3,
            reason: "expected a space, a hyphen or the line end after the reply code",
            found: Some(b'\r')
        })
    );
    assert!(matches!(&out[1], Item::Reply(200, ..)));
}

#[test]
fn telnet_in_an_early_line_is_interpreted_when_later_lines_are_plain() {
    // The first line has an escaped 0xFF; the lines after it, in a later read, have
    // no Telnet bytes at all: the reply's text must still be the interpreted one.
    let input = b"211-a\xff\xffb\r\n plain\r\n211 end\r\n";
    let out = decode_checked(DecoderConfig::new(), input);
    assert_eq!(
        out,
        [Item::Reply(
            211,
            vec![b"a\xffb".to_vec(), b" plain".to_vec(), b"end".to_vec()],
            input.to_vec()
        )]
    );
    let borrowed: Vec<Vec<Vec<u8>>> = ReplyDecoder::new()
        .replies(input)
        .map(|r| r.unwrap().lines().map(<[u8]>::to_vec).collect())
        .collect();
    assert_eq!(
        borrowed,
        [vec![
            b"a\xffb".to_vec(),
            b" plain".to_vec(),
            b"end".to_vec()
        ]]
    );
}

#[test]
fn encoder_prefixes_every_line_of_a_protected_reply() {
    // RFC 2228 §4: each line before the last is the code, a hyphen and a fragment.
    let fragments = ["MjUwLUZp", "cnN0DQoyNTAgRG9u", "ZQ0K"];
    let reply = Reply::new(ReplyCode::INTEGRITY_PROTECTED, &fragments).unwrap();
    assert_eq!(
        reply.raw(),
        b"631-MjUwLUZp\r\n631-cnN0DQoyNTAgRG9u\r\n631 ZQ0K\r\n"
    );
    assert_eq!(
        reply.lines().collect::<Vec<_>>(),
        fragments.map(str::as_bytes)
    );
    let inner = reply.unprotect(&mut ftp_reply::payload::Cleartext).unwrap();
    assert_eq!(inner.text(), "First\nDone");
}

/// The replies of `input` as (code, text lines, raw bytes), decoded by the streaming
/// decoder in `read`-sized reads.
fn texts_in_reads(input: &[u8], read: usize) -> Vec<(u16, Vec<Vec<u8>>, Vec<u8>)> {
    decode_chunked(DecoderConfig::new(), input, read)
        .into_iter()
        .map(|item| match item {
            Item::Reply(code, lines, raw) => (code, lines, raw),
            Item::Error(e) => panic!("unexpected error {e}"),
        })
        .collect()
}

#[test]
fn long_stream_across_the_telnet_lookahead() {
    // The decoder looks for IAC some kilobytes ahead of the line it reads, not to
    // the end of the buffer. Lines longer than that look-ahead, multi-line replies
    // that run across many of its steps and 0xFF text bytes (sent as IAC IAC) at
    // every distance must decode as they were written, however the stream is cut.
    let mut expected: Vec<(u16, Vec<Vec<u8>>)> = Vec::new();
    let short = |i: usize| format!("Reply number {i}, {}", "x".repeat(i % 40)).into_bytes();
    for i in 0..900 {
        expected.push((200, vec![short(i)]));
        if i % 97 == 0 {
            let mut with_iac = short(i);
            with_iac.insert(i % with_iac.len(), 0xFF);
            expected.push((550, vec![with_iac]));
        }
        if i % 300 == 0 {
            // One line longer than the look-ahead, one of about half of it.
            expected.push((211, vec![vec![b'a'; 20_000]]));
            expected.push((212, vec![vec![b'b'; 8_200], b"end".to_vec()]));
        }
        if i % 250 == 0 {
            let mut lines: Vec<Vec<u8>> = (0..900)
                .map(|k| format!(" -rw-r--r-- 1 ftp ftp {k:8} file-{k}.txt").into_bytes())
                .collect();
            lines[k_of(i)].push(0xFF);
            expected.push((213, lines));
        }
    }
    let mut input = BytesMut::new();
    for (code, lines) in &expected {
        encode_reply(ReplyCode::new(*code).unwrap(), lines, &mut input).unwrap();
    }
    assert!(input.len() > 200_000);
    let whole = texts_in_reads(&input, input.len());
    let got: Vec<(u16, Vec<Vec<u8>>)> = whole.iter().map(|(c, l, _)| (*c, l.clone())).collect();
    assert_eq!(got, expected);
    let raw: Vec<u8> = whole.iter().flat_map(|(_, _, raw)| raw.clone()).collect();
    assert_eq!(raw, &input[..]);
    for read in [1, 7, 4096, 10_000] {
        assert_eq!(texts_in_reads(&input, read), whole, "{read}-byte reads");
    }
    let borrowed: Vec<(u16, Vec<Vec<u8>>, Vec<u8>)> = ReplyDecoder::new()
        .replies(&input)
        .map(|r| {
            let r = r.unwrap();
            (
                r.code().as_u16(),
                r.lines().map(<[u8]>::to_vec).collect(),
                r.raw().to_vec(),
            )
        })
        .collect();
    assert_eq!(borrowed, whole);
}

/// Where the 0xFF goes in the `i`th listing of `long_stream_across_the_telnet_lookahead`.
fn k_of(i: usize) -> usize {
    (i * 7) % 900
}

#[test]
fn short_and_long_replies_behave_alike() {
    // A reply up to Reply::INLINE_CAPACITY bytes is copied, a longer one (or one with
    // Telnet bytes) shares the buffer: nothing else may tell them apart.
    let cap = Reply::INLINE_CAPACITY;
    for len in [6, cap - 1, cap, cap + 1, 4 * cap] {
        for iac in [false, true] {
            let mut text = vec![b'z'; len - 6];
            if iac && !text.is_empty() {
                text[0] = 0xFF;
            }
            let mut wire = BytesMut::new();
            encode_reply(ReplyCode::new(250).unwrap(), &[&text], &mut wire).unwrap();
            let raw = wire.to_vec();
            let reply = one(&raw);
            assert_eq!(reply.raw(), &raw[..], "{len} {iac}");
            assert_eq!(reply.first_line(), &text[..], "{len} {iac}");
            let data: Vec<u8> = [&b"250 "[..], &text, b"\r\n"].concat();
            assert_eq!(reply.data(), &data[..], "{len} {iac}");
            assert_eq!(&reply.raw_bytes()[..], &raw[..]);
            assert_eq!(&reply.data_bytes()[..], &data[..]);
            // The same reply made three ways, and cloned, is equal and hashes alike.
            let borrowed = ReplyDecoder::new().replies(&raw).next().unwrap().unwrap();
            let copies = [
                reply.clone(),
                borrowed.to_reply(),
                Reply::new(ReplyCode::new(250).unwrap(), &[&text]).unwrap(),
            ];
            for copy in &copies {
                assert_eq!(copy, &reply, "{len} {iac}");
                assert_eq!(hash_of(copy), hash_of(&reply), "{len} {iac}");
                assert_eq!(copy.data(), reply.data());
                assert_eq!(copy.as_reply_ref().data(), reply.data());
            }
        }
    }
    // Same bytes, different text: Telnet off keeps an IAC IAC as two bytes.
    let raw = b"250 \xff\xff\r\n";
    let on = one(raw);
    let mut buf = BytesMut::from(&raw[..]);
    let off = ReplyDecoder::with_config(DecoderConfig::new().telnet(false))
        .decode(&mut buf)
        .unwrap()
        .unwrap();
    assert_eq!(on.raw(), off.raw());
    assert_ne!(on, off);
}

fn hash_of(reply: &Reply) -> u64 {
    use std::hash::{BuildHasher, RandomState};
    thread_local!(static STATE: RandomState = RandomState::new());
    STATE.with(|s| s.hash_one(reply))
}

#[test]
fn replies_are_owned_values_that_cross_threads() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<Reply>();
    let mut buf = BytesMut::from(&b"226 Transfer complete.\r\n211-x\r\n y\r\n211 z\r\n"[..]);
    let mut decoder = ReplyDecoder::new();
    let short = decoder.decode(&mut buf).unwrap().unwrap();
    let long = decoder.decode(&mut buf).unwrap().unwrap();
    // The buffer is reused after the replies are taken; they keep their bytes.
    buf.clear();
    buf.extend_from_slice(b"421 overwritten\r\n");
    let texts = std::thread::spawn(move || (short.text(), long.text()))
        .join()
        .unwrap();
    assert_eq!(
        texts,
        ("Transfer complete.".to_string(), "x\n y\nz".to_string())
    );
}
