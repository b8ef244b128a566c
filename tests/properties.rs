//! Properties of the decoder and encoder over generated input.

use bytes::BytesMut;
use ftp_reply::{DecodeError, DecoderConfig, Reply, ReplyCode, ReplyDecoder, encode_reply};
use proptest::prelude::*;

#[derive(Debug, Clone, PartialEq)]
enum Item {
    Reply(Reply),
    Error(DecodeError),
}

/// Decodes `input` cut at `cuts` (sorted positions), then the end of the stream,
/// checking after every `Ok(None)` that the buffer stays within the limits.
fn decode_cut(config: DecoderConfig, input: &[u8], cuts: &[usize]) -> Vec<Item> {
    let mut decoder = ReplyDecoder::with_config(config);
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    let mut from = 0;
    let ends = cuts
        .iter()
        .copied()
        .filter(|&c| c <= input.len())
        .chain([input.len()]);
    for to in ends {
        if to < from {
            continue;
        }
        buf.extend_from_slice(&input[from..to]);
        from = to;
        loop {
            match decoder.decode(&mut buf) {
                Ok(Some(r)) => out.push(Item::Reply(r)),
                Ok(None) => break,
                Err(e) => out.push(Item::Error(e)),
            }
        }
        assert!(
            buf.len() <= config.get_max_reply_len(),
            "{} bytes buffered, over the reply limit {}",
            buf.len(),
            config.get_max_reply_len()
        );
    }
    loop {
        match decoder.decode_eof(&mut buf) {
            Ok(Some(r)) => out.push(Item::Reply(r)),
            Ok(None) => break,
            Err(e) => out.push(Item::Error(e)),
        }
    }
    assert!(buf.is_empty());
    out
}

/// 512 cases, or `PROPTEST_CASES` for a longer run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512)
}

fn code() -> impl Strategy<Value = ReplyCode> {
    (100u16..700).prop_map(|c| ReplyCode::new(c).unwrap())
}

/// A text line: any bytes but LF, biased towards the ones that matter to framing.
fn text_line() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            4 => b' '..=b'~',
            1 => Just(b'\r'),
            1 => Just(0xFFu8),
            1 => Just(b'-'),
            1 => b'0'..=b'9',
            1 => any::<u8>().prop_filter("no LF", |b| *b != b'\n'),
        ],
        0..24,
    )
}

/// Text lines that often start with a code, to exercise end-line detection.
fn lines_for(code: ReplyCode) -> impl Strategy<Value = Vec<Vec<u8>>> {
    let digits = code.digits();
    prop::collection::vec(
        prop_oneof![
            3 => text_line(),
            1 => text_line().prop_map(move |t| {
                let mut l = digits.to_vec();
                l.extend(t);
                l
            }),
        ],
        1..6,
    )
}

fn reply() -> impl Strategy<Value = (ReplyCode, Vec<Vec<u8>>)> {
    code().prop_flat_map(|c| (Just(c), lines_for(c)))
}

fn stream() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            8 => reply().prop_map(|(c, lines)| {
                let mut b = BytesMut::new();
                encode_reply(c, &lines, &mut b).unwrap();
                b.to_vec()
            }),
            // Junk, bare LFs and Telnet commands between replies.
            1 => prop::collection::vec(any::<u8>(), 0..12),
            1 => Just(b"220-x\n211 y\n220\n".to_vec()),
            1 => Just(b"\xff\xfb\x01\xff\xf1".to_vec()),
        ],
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

fn cuts(max: usize) -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..=max, 0..12).prop_map(|mut v| {
        v.sort_unstable();
        v
    })
}

fn small_limits() -> impl Strategy<Value = DecoderConfig> {
    (
        4usize..64,
        8usize..256,
        1usize..8,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(line, reply, lines, strict, telnet)| {
            DecoderConfig::new()
                .max_line_len(line)
                .max_reply_len(reply)
                .max_lines(lines)
                .strict_line_endings(strict)
                .telnet(telnet)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// Splitting a stream of replies at arbitrary points gives exactly the replies
    /// (and errors) that decoding it whole gives.
    #[test]
    fn chunking_does_not_matter(input in stream(), cut in cuts(400)) {
        let config = DecoderConfig::new();
        let whole = decode_cut(config, &input, &[]);
        prop_assert_eq!(decode_cut(config, &input, &cut), whole.clone());
        // And byte at a time.
        let every: Vec<usize> = (0..input.len()).collect();
        prop_assert_eq!(decode_cut(config, &input, &every), whole);
    }

    /// The same holds with small limits and every leniency setting, where errors
    /// and recovery are frequent.
    #[test]
    fn chunking_does_not_matter_under_limits(
        config in small_limits(),
        input in stream(),
        cut in cuts(400),
    ) {
        let whole = decode_cut(config, &input, &[]);
        prop_assert_eq!(decode_cut(config, &input, &cut), whole.clone());
        let every: Vec<usize> = (0..input.len()).collect();
        prop_assert_eq!(decode_cut(config, &input, &every), whole);
    }

    /// The borrowed decoder over a whole buffer gives the same replies and errors as
    /// the streaming one.
    #[test]
    fn borrowed_replies_match_streaming(config in small_limits(), input in stream()) {
        let streamed = decode_cut(config, &input, &[]);
        let borrowed: Vec<Item> = ReplyDecoder::with_config(config)
            .replies(&input)
            .map(|r| match r {
                Ok(reply) => Item::Reply(reply.to_reply()),
                Err(e) => Item::Error(e),
            })
            .collect();
        prop_assert_eq!(borrowed, streamed);
    }

    /// Encoding then decoding gives back the code and the lines.
    #[test]
    fn encode_decode_is_identity((code, lines) in reply()) {
        let mut buf = BytesMut::new();
        encode_reply(code, &lines, &mut buf).unwrap();
        let wire = buf.clone();
        let mut decoder = ReplyDecoder::new();
        let reply = decoder.decode(&mut buf).unwrap().expect("one whole reply");
        prop_assert!(buf.is_empty());
        prop_assert_eq!(reply.code(), code);
        prop_assert_eq!(reply.is_multiline(), lines.len() > 1);
        let got: Vec<Vec<u8>> = reply.lines().map(<[u8]>::to_vec).collect();
        prop_assert_eq!(got, lines);
        prop_assert_eq!(reply.raw(), &wire[..]);
        // And re-encoding the decoded lines writes the same bytes.
        let again = Reply::new(code, &reply.lines().collect::<Vec<_>>()).unwrap();
        prop_assert_eq!(again.raw(), reply.raw());
    }

    /// Arbitrary bytes never panic, stay within the limits, and every error's
    /// offset lies inside the stream.
    #[test]
    fn arbitrary_bytes(config in small_limits(), input in prop::collection::vec(any::<u8>(), 0..600), cut in cuts(600)) {
        let out = decode_cut(config, &input, &cut);
        let mut end = 0u64;
        for item in &out {
            match item {
                Item::Reply(r) => {
                    prop_assert!(r.raw().len() <= config.get_max_reply_len());
                    prop_assert!(r.line_count() <= config.get_max_lines());
                    prop_assert!(r.raw().ends_with(b"\n"));
                    end += r.raw().len() as u64;
                }
                Item::Error(e) => prop_assert!(e.offset() <= input.len() as u64),
            }
        }
        prop_assert!(end <= input.len() as u64);
    }
}
