//! The `capture` target's check, two ways by the first byte:
//!
//! - arbitrary capture bytes (with a valid pcap or pcapng header now and then, so
//!   the records behind it get reached): reading never panics, ends, and every
//!   record is consistent;
//! - a server stream cut into segments sent in an arbitrary order, some twice: the
//!   replies and stream errors are those of the same segments in order.

use ftp_reply::capture::{Capture, RecordKind};

use crate::checks::Source;

/// What a capture gave: per record, a comparable line.
fn outline(bytes: &[u8]) -> Vec<String> {
    let Ok(capture) = Capture::new(bytes) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut records = 0usize;
    for r in capture {
        records += 1;
        // Each record comes from at least one frame or one ended connection: a
        // file of n bytes cannot give unboundedly many.
        assert!(records <= 16 + bytes.len() * 4, "too many records");
        match r {
            Ok(r) => {
                if !matches!(r.kind, RecordKind::Summary(_)) {
                    assert!(r.conn > 0);
                }
                match &r.kind {
                    RecordKind::Exchange(x) => {
                        let mut last = None;
                        for reply in &x.replies {
                            // Replies of one exchange come in stream order.
                            assert!(last.is_none_or(|l| l < reply.offset));
                            last = Some(reply.offset);
                            out.push(format!(
                                "reply {:?}",
                                String::from_utf8_lossy(reply.reply.raw())
                            ));
                        }
                        for (_, e) in &x.errors {
                            out.push(format!("error {}", e.kind()));
                        }
                    }
                    RecordKind::StreamError { error, .. } => {
                        out.push(format!("error {}", error.kind()));
                    }
                    RecordKind::Gap { len, .. } => {
                        assert!(*len > 0);
                        out.push("gap".into());
                    }
                    _ => {}
                }
            }
            Err(e) => {
                let _ = e.to_string();
                out.push(format!("capture-error {}", e.kind()));
            }
        }
    }
    out
}

const PCAP_HEADER: [u8; 24] = [
    0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0,
];

/// An Ethernet/IPv4/TCP frame from 10.0.0.2:21 to 10.0.0.1:40000 (checksums are
/// not checked by the reader, so they are left zero).
fn frame(seq: u32, syn: bool, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00];
    let total = (20 + 20 + payload.len()) as u16;
    f.extend_from_slice(&[
        0x45,
        0,
        (total >> 8) as u8,
        total as u8,
        0,
        0,
        0x40,
        0,
        64,
        6,
        0,
        0,
    ]);
    f.extend_from_slice(&[10, 0, 0, 2, 10, 0, 0, 1]);
    f.extend_from_slice(&21u16.to_be_bytes());
    f.extend_from_slice(&40000u16.to_be_bytes());
    f.extend_from_slice(&seq.to_be_bytes());
    f.extend_from_slice(&0u32.to_be_bytes());
    // SYN+ACK from the server, or PSH+ACK; the acknowledgment number stays 0.
    f.extend_from_slice(&[0x50, if syn { 0x12 } else { 0x18 }, 0xff, 0xff, 0, 0, 0, 0]);
    f.extend_from_slice(payload);
    f
}

fn pcap(frames: &[Vec<u8>]) -> Vec<u8> {
    let mut out = PCAP_HEADER.to_vec();
    for (i, f) in frames.iter().enumerate() {
        out.extend_from_slice(&(i as u32).to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&(f.len() as u32).to_le_bytes());
        out.extend_from_slice(&(f.len() as u32).to_le_bytes());
        out.extend_from_slice(f);
    }
    out
}

/// Runs one input.
pub fn capture(data: &[u8]) {
    let mut src = Source::new(data);
    match src.byte() % 4 {
        0 => {
            outline(src.rest());
        }
        1 => {
            let mut bytes = PCAP_HEADER.to_vec();
            bytes.extend_from_slice(src.rest());
            outline(&bytes);
        }
        2 => {
            // pcapng: a section header and an Ethernet interface, then the input.
            let mut bytes = vec![
                0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff,
                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 28, 0, 0, 0, 1, 0, 0, 0, 20, 0, 0, 0, 1,
                0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0,
            ];
            bytes.extend_from_slice(src.rest());
            outline(&bytes);
        }
        _ => segments(&mut src),
    }
}

/// The server stream in segments, in order and shuffled.
fn segments(src: &mut Source<'_>) {
    let isn = u32::from_le_bytes([src.byte(), src.byte(), src.byte(), src.byte()]);
    let count = usize::from(src.byte() % 48) + 1;
    let cuts: Vec<usize> = (0..count)
        .map(|_| usize::from(src.byte() % 64) + 1)
        .collect();
    let order: Vec<u8> = (0..count).map(|_| src.byte()).collect();
    let stream = src.clone().rest();
    let mut pieces = Vec::new();
    let mut at = 0;
    for cut in cuts {
        if at >= stream.len() {
            break;
        }
        let end = (at + cut).min(stream.len());
        pieces.push((at, &stream[at..end]));
        at = end;
    }
    if at < stream.len() {
        pieces.push((at, &stream[at..]));
    }
    let syn = frame(isn, true, b"");
    let seg = |(at, bytes): &(usize, &[u8])| frame(isn.wrapping_add(1 + *at as u32), false, bytes);
    let mut in_order = vec![syn.clone()];
    in_order.extend(pieces.iter().map(seg));
    // Shuffle by the order bytes; a piece whose byte is odd is sent twice.
    let mut shuffled: Vec<(u8, usize)> = pieces
        .iter()
        .enumerate()
        .map(|(i, _)| (order.get(i).copied().unwrap_or(0), i))
        .collect();
    shuffled.sort();
    let mut out_of_order = vec![syn];
    for (key, i) in shuffled {
        out_of_order.push(seg(&pieces[i]));
        if key % 2 == 1 {
            out_of_order.push(seg(&pieces[i]));
        }
    }
    let a = outline(&pcap(&in_order));
    let b = outline(&pcap(&out_of_order));
    assert_eq!(a, b, "segments out of order reassemble differently");
}
