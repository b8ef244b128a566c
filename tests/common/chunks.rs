//! Decoding the same bytes cut into reads of many sizes: the decoder must give
//! the same replies whatever the cuts.

use bytes::BytesMut;
use ftp_reply::{DecodeError, Reply, ReplyDecoder};

/// A reply as compared across decodings: its code and exact bytes.
pub type Decoded = (u16, Vec<u8>);

pub fn decoded(replies: &[Reply]) -> Vec<Decoded> {
    replies
        .iter()
        .map(|r| (r.code().as_u16(), r.raw().to_vec()))
        .collect()
}

/// SplitMix64: a tiny deterministic generator, so every run cuts alike.
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `1..=max`.
    pub fn size(&mut self, max: usize) -> usize {
        1 + (self.next_u64() % max as u64) as usize
    }
}

/// Decodes `bytes` fed in reads of the sizes `next_size` gives, then ends the
/// stream. Bytes left over at the end are an error too.
pub fn decode_in_reads(
    bytes: &[u8],
    mut next_size: impl FnMut() -> usize,
) -> Result<Vec<Reply>, String> {
    let mut decoder = ReplyDecoder::new();
    let mut buf = BytesMut::new();
    let mut replies = Vec::new();
    let mut rest = bytes;
    let describe = |e: DecodeError| format!("decode error: {e}");
    while !rest.is_empty() {
        let n = next_size().clamp(1, rest.len());
        buf.extend_from_slice(&rest[..n]);
        rest = &rest[n..];
        while let Some(reply) = decoder.decode(&mut buf).map_err(describe)? {
            replies.push(reply);
        }
    }
    while let Some(reply) = decoder.decode_eof(&mut buf).map_err(describe)? {
        replies.push(reply);
    }
    if !buf.is_empty() {
        return Err(format!("{} bytes left undecoded at the end", buf.len()));
    }
    Ok(replies)
}

/// The largest read of each seeded cutting: from 2 bytes (nearly every cut
/// inside a line) to more than most replies.
const MAX_READS: [usize; 8] = [2, 3, 5, 9, 17, 64, 512, 4096];

/// How many seeded cuttings each stream gets, besides whole and byte by byte.
pub const SEEDS: u64 = 64;

/// Asserts that `bytes` decodes to exactly `expected` (code and raw bytes)
/// whole, one byte at a time, and in `SEEDS` seeded random cuttings.
pub fn assert_same_in_any_reads(label: &str, bytes: &[u8], expected: &[Decoded]) {
    let check = |how: &str, got: Result<Vec<Reply>, String>| {
        let got = got.unwrap_or_else(|e| panic!("{label}, {how}: {e}"));
        let got = decoded(&got);
        if let Some(i) = (0..got.len().max(expected.len())).find(|&i| got.get(i) != expected.get(i))
        {
            let show = |d: Option<&Decoded>| {
                d.map(|(code, raw)| format!("{code} {:?}", String::from_utf8_lossy(raw)))
            };
            panic!(
                "{label}, {how}: {} replies where {} were expected; first difference at reply {i}:\n  got      {:?}\n  expected {:?}",
                got.len(),
                expected.len(),
                show(got.get(i)),
                show(expected.get(i)),
            );
        }
    };
    check("whole", decode_in_reads(bytes, || usize::MAX));
    check("1-byte reads", decode_in_reads(bytes, || 1));
    for seed in 0..SEEDS {
        let max = MAX_READS[seed as usize % MAX_READS.len()];
        let mut rng = SplitMix64::new(seed);
        check(
            &format!("reads of 1..={max} bytes, seed {seed}"),
            decode_in_reads(bytes, || rng.size(max)),
        );
    }
}
