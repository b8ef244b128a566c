//! One direction of a TCP connection put back in order: segments ordered by
//! sequence number (wrap-around included), retransmissions and overlaps dropped,
//! an overlap that disagrees with the bytes already taken reported, segments that
//! arrive early held back up to a bound, and missing bytes reported as a gap.
//!
//! Positions are stream offsets (`u64`, from the first byte seen), so sequence
//! number wrap-around never shows above this module.

use std::collections::{BTreeMap, VecDeque};

use super::{GapCause, Timestamp};

/// The most bytes held back per direction while waiting for a hole to fill.
pub const MAX_OUT_OF_ORDER_BYTES: usize = 256 * 1024;
/// The most segments held back per direction.
pub const MAX_OUT_OF_ORDER_SEGMENTS: usize = 256;
/// The most recently delivered bytes kept per direction to compare overlaps with.
pub const HISTORY_LEN: usize = 4096;
/// A segment more than this far from the expected sequence number is not part of
/// the stream (a stray packet, or a number from another connection).
const MAX_WINDOW: i64 = 1 << 30;

/// What reassembly delivers, in stream order.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Bytes at `offset`, first captured at `ts`.
    Data {
        ts: Timestamp,
        offset: u64,
        bytes: &'a [u8],
    },
    /// `len` bytes at `offset` that are missing: the capture does not hold them,
    /// or they were dropped at the buffer limit ([`Reassembler::shed`]).
    Gap {
        offset: u64,
        len: u64,
        cause: GapCause,
    },
    /// A segment overlapped bytes already taken, and its bytes differ from them
    /// (`len` bytes at `offset` disagree).
    Conflict { offset: u64, len: u64 },
}

#[derive(Debug)]
struct Held {
    ts: Timestamp,
    bytes: Vec<u8>,
    /// Bytes after these that the packet carried but the capture cut (snaplen).
    missing: u64,
}

/// One direction's reassembly state.
#[derive(Debug, Default)]
pub struct Reassembler {
    /// The sequence number of the next byte expected, once known.
    next_seq: Option<u32>,
    /// The stream offset of `next_seq`.
    offset: u64,
    held: BTreeMap<u64, Held>,
    held_bytes: usize,
    /// The last bytes delivered, ending at `offset`.
    history: VecDeque<u8>,
    /// Bytes known missing up to this offset (a snaplen-cut packet was taken).
    missing_until: u64,
    /// The stream offset of the FIN, once seen.
    fin: Option<u64>,
    /// Identical retransmitted bytes dropped.
    pub retransmitted: u64,
}

impl Reassembler {
    /// A direction whose first sequence number is not known yet.
    pub fn new() -> Reassembler {
        Reassembler::default()
    }

    /// Starts the stream after a SYN with sequence number `isn`.
    pub fn syn(&mut self, isn: u32) {
        if self.next_seq.is_none() {
            self.next_seq = Some(isn.wrapping_add(1));
        }
    }

    /// The stream offset of the next byte expected.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Bytes held back.
    pub fn held_bytes(&self) -> usize {
        self.held_bytes
    }

    /// Heap bytes the history of delivered bytes takes (its capacity, up to
    /// about [`HISTORY_LEN`]): part of what the connection buffers.
    pub fn history_bytes(&self) -> usize {
        self.history.capacity()
    }

    /// Gives the history's room back (a memory limit was reached). No byte of the
    /// stream is lost: a later retransmission of bytes it covered is counted as a
    /// retransmission without being compared, as one older than the history is.
    /// Returns the bytes freed.
    pub fn forget_history(&mut self) -> usize {
        let freed = self.history.capacity();
        self.history = VecDeque::new();
        freed
    }

    /// The stream offset for sequence number `seq`, or `None` if it is far outside
    /// the window (or the stream has not started).
    fn offset_of(&self, seq: u32) -> Option<u64> {
        let next = self.next_seq?;
        let rel = i64::from(seq.wrapping_sub(next) as i32);
        if rel.abs() > MAX_WINDOW {
            return None;
        }
        u64::try_from(self.offset as i64 + rel).ok()
    }

    /// Takes a segment: `payload` at sequence number `seq`, and `missing` bytes
    /// after it that the capture cut. Calls `out` for each piece now in order.
    pub fn segment(
        &mut self,
        ts: Timestamp,
        seq: u32,
        payload: &[u8],
        missing: u32,
        fin: bool,
        out: &mut impl FnMut(Piece<'_>),
    ) {
        if self.next_seq.is_none() {
            if payload.is_empty() && missing == 0 {
                return;
            }
            self.next_seq = Some(seq);
        }
        let Some(start) = self.offset_of(seq) else {
            return;
        };
        let len = payload.len() as u64 + u64::from(missing);
        if fin && self.fin.is_none() {
            self.fin = Some(start + len);
        }
        if len == 0 {
            return;
        }
        let end = start + len;
        if end <= self.offset {
            self.compare(start, payload, out);
            return;
        }
        if start <= self.offset && self.held.is_empty() {
            // The common case: in order, nothing held. No copy.
            let skip = (self.offset - start) as usize;
            if skip > 0 {
                self.compare(start, payload, out);
            }
            let fresh = payload.get(skip..).unwrap_or_default();
            let missing_from = start + payload.len() as u64;
            self.deliver(ts, fresh, out);
            if u64::from(missing) > 0 {
                self.missing_until = self.missing_until.max(missing_from + u64::from(missing));
                self.drain(out);
            }
            return;
        }
        self.hold(start, ts, payload, u64::from(missing));
        self.drain(out);
        if self.held_bytes > MAX_OUT_OF_ORDER_BYTES || self.held.len() > MAX_OUT_OF_ORDER_SEGMENTS {
            self.skip_hole(out);
        }
    }

    fn hold(&mut self, start: u64, ts: Timestamp, payload: &[u8], missing: u64) {
        match self.held.get_mut(&start) {
            Some(h) if h.bytes.len() as u64 + h.missing >= payload.len() as u64 + missing => {
                self.retransmitted += payload.len() as u64;
            }
            _ => {
                let new = Held {
                    ts,
                    bytes: payload.to_vec(),
                    missing,
                };
                self.held_bytes += new.bytes.len();
                if let Some(old) = self.held.insert(start, new) {
                    self.held_bytes -= old.bytes.len();
                }
            }
        }
    }

    /// Compares bytes at `start` that were already delivered with what was taken,
    /// as far as the history reaches.
    fn compare(&mut self, start: u64, payload: &[u8], out: &mut impl FnMut(Piece<'_>)) {
        let hist_start = self.offset - self.history.len() as u64;
        let from = start.max(hist_start);
        let to = (start + payload.len() as u64).min(self.offset);
        if from >= to {
            self.retransmitted += payload.len() as u64;
            return;
        }
        let mut first = None;
        let mut last = 0;
        for pos in from..to {
            let seen = self.history[(pos - hist_start) as usize];
            if seen != payload[(pos - start) as usize] {
                first.get_or_insert(pos);
                last = pos + 1;
            }
        }
        match first {
            Some(first) => out(Piece::Conflict {
                offset: first,
                len: last - first,
            }),
            None => self.retransmitted += payload.len() as u64,
        }
    }

    fn deliver(&mut self, ts: Timestamp, bytes: &[u8], out: &mut impl FnMut(Piece<'_>)) {
        if bytes.is_empty() {
            return;
        }
        out(Piece::Data {
            ts,
            offset: self.offset,
            bytes,
        });
        self.offset += bytes.len() as u64;
        self.next_seq = self.next_seq.map(|s| s.wrapping_add(bytes.len() as u32));
        let keep = bytes.len().min(HISTORY_LEN);
        let excess = (self.history.len() + keep).saturating_sub(HISTORY_LEN);
        self.history.drain(..excess);
        self.history.extend(&bytes[bytes.len() - keep..]);
    }

    fn gap(&mut self, len: u64, out: &mut impl FnMut(Piece<'_>)) {
        self.gap_for(len, GapCause::CaptureLoss, out);
    }

    fn gap_for(&mut self, len: u64, cause: GapCause, out: &mut impl FnMut(Piece<'_>)) {
        if len == 0 {
            return;
        }
        out(Piece::Gap {
            offset: self.offset,
            len,
            cause,
        });
        self.offset += len;
        self.next_seq = self.next_seq.map(|s| s.wrapping_add(len as u32));
        self.history.clear();
    }

    /// Delivers held segments that are now in order, and bytes known missing.
    fn drain(&mut self, out: &mut impl FnMut(Piece<'_>)) {
        loop {
            let next_held = self.held.first_key_value().map(|(&k, _)| k);
            match next_held {
                Some(start) if start <= self.offset => {
                    let Some((_, h)) = self.held.pop_first() else {
                        return;
                    };
                    self.held_bytes -= h.bytes.len();
                    let taken = start + h.bytes.len() as u64;
                    if taken <= self.offset {
                        self.compare(start, &h.bytes, out);
                    } else {
                        let skip = (self.offset - start) as usize;
                        if skip > 0 {
                            self.compare(start, &h.bytes[..skip], out);
                        }
                        self.deliver(h.ts, &h.bytes[skip..], out);
                    }
                    if h.missing > 0 {
                        self.missing_until = self.missing_until.max(taken + h.missing);
                    }
                }
                _ if self.missing_until > self.offset => {
                    let end = next_held.map_or(self.missing_until, |k| k.min(self.missing_until));
                    self.gap(end - self.offset, out);
                }
                _ => return,
            }
        }
    }

    /// Gives up on the first hole: reports it as a gap and delivers what follows.
    pub fn skip_hole(&mut self, out: &mut impl FnMut(Piece<'_>)) {
        if let Some(&start) = self.held.keys().next()
            && start > self.offset
        {
            self.gap(start - self.offset, out);
        }
        self.drain(out);
    }

    /// The peer acknowledged everything before sequence number `ack`: bytes up to
    /// it that the capture does not hold were lost by the capture.
    pub fn acked(&mut self, ack: u32, out: &mut impl FnMut(Piece<'_>)) {
        let Some(mut target) = self.offset_of(ack) else {
            return;
        };
        if let Some(fin) = self.fin {
            target = target.min(fin);
        }
        while target > self.offset {
            match self.held.keys().next() {
                Some(&start) if start <= self.offset => self.drain(out),
                Some(&start) => {
                    self.gap(start.min(target) - self.offset, out);
                    self.drain(out);
                }
                None => self.gap(target - self.offset, out),
            }
        }
    }

    /// The connection ended: everything held is delivered, holes as gaps.
    pub fn finish(&mut self, out: &mut impl FnMut(Piece<'_>)) {
        while !self.held.is_empty() || self.missing_until > self.offset {
            let before = (self.offset, self.held.len());
            self.skip_hole(out);
            if (self.offset, self.held.len()) == before {
                // Only held bytes already behind us remain.
                self.held.clear();
                self.held_bytes = 0;
                break;
            }
        }
        if let Some(fin) = self.fin
            && fin > self.offset
        {
            self.gap(fin - self.offset, out);
        }
    }

    /// Drops everything held (a memory limit was reached) and gives up on the holes
    /// before it, as [`skip_hole`](Self::skip_hole) does when too much is held: the
    /// stream moves on past the last byte held. Each byte range is reported once,
    /// in stream order: the bytes held and dropped as a [`GapCause::BufferLimit`]
    /// gap (adjacent segments as one), the holes before and between them, and
    /// bytes a snaplen cut, as [`GapCause::CaptureLoss`]. Returns the bytes freed.
    pub fn shed(&mut self, out: &mut impl FnMut(Piece<'_>)) -> usize {
        let freed = self.held_bytes;
        let held = std::mem::take(&mut self.held);
        self.held_bytes = 0;
        // The missing ranges in order, each as far as it reaches, merged while the
        // cause stays the same; reported when the cause changes.
        let mut run: Option<(GapCause, u64)> = None;
        let mut reached = self.offset;
        let mut extend = |this: &mut Self, cause: GapCause, end: u64, out: &mut _| {
            if end <= reached {
                return;
            }
            reached = end;
            match run {
                Some((c, _)) if c == cause => run = Some((c, end)),
                Some((c, e)) => {
                    this.gap_for(e - this.offset, c, out);
                    run = Some((cause, end));
                }
                None => run = Some((cause, end)),
            }
        };
        for (start, h) in held {
            let taken = start + h.bytes.len() as u64;
            extend(self, GapCause::CaptureLoss, start, out);
            extend(self, GapCause::BufferLimit, taken, out);
            extend(self, GapCause::CaptureLoss, taken + h.missing, out);
        }
        extend(self, GapCause::CaptureLoss, self.missing_until, out);
        if let Some((cause, end)) = run {
            self.gap_for(end - self.offset, cause, out);
        }
        freed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: impl FnOnce(&mut Reassembler, &mut dyn FnMut(Piece<'_>))) -> Vec<String> {
        let mut r = Reassembler::new();
        r.syn(999);
        let mut got = Vec::new();
        f(&mut r, &mut |p| got.push(format!("{p:?}")));
        got
    }

    /// A retransmission that differs from what was delivered is a conflict while
    /// the history holds those bytes; once the history's room is given back (a
    /// memory limit), the same bytes are a retransmission, not compared, and the
    /// stream goes on as before.
    #[test]
    fn forgetting_the_history_loses_no_byte() {
        let mut freed = 0;
        let mut retransmitted = 0;
        let got = run(|r, out| {
            let mut out = |p: Piece<'_>| out(p);
            let ts = Timestamp::from_nanos(1);
            r.segment(ts, 1000, b"abcdef", 0, false, &mut out);
            r.segment(ts, 1000, b"abXdef", 0, false, &mut out);
            assert!(r.history_bytes() >= 6);
            freed = r.forget_history();
            assert_eq!(r.history_bytes(), 0);
            r.segment(ts, 1000, b"abYdef", 0, false, &mut out);
            r.segment(ts, 1006, b"gh", 0, false, &mut out);
            retransmitted = r.retransmitted;
        });
        assert!(freed >= 6, "{freed}");
        assert_eq!(retransmitted, 6);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(
            got[0].starts_with("Data") && got[0].contains("offset: 0"),
            "{got:?}"
        );
        assert!(
            got[1].starts_with("Conflict { offset: 2, len: 1 }"),
            "{got:?}"
        );
        assert!(
            got[2].starts_with("Data") && got[2].contains("offset: 6"),
            "{got:?}"
        );
    }

    /// Shedding reports every range once, in order, with its cause, and the
    /// stream goes on after the last byte held; the bytes shed never come again as
    /// capture loss.
    #[test]
    fn shed_reports_each_range_once() {
        let mut freed = 0;
        let mut after = 0;
        let got = run(|r, out| {
            let mut out = |p: Piece<'_>| out(p);
            let ts = Timestamp::from_nanos(1);
            r.segment(ts, 1000, b"abc", 0, false, &mut out);
            // A hole at 3..8, then two adjacent held segments, a hole, and a
            // segment cut at the snaplen (2 bytes missing).
            r.segment(ts, 1008, b"hello", 0, false, &mut out);
            r.segment(ts, 1013, b"wxyz", 0, false, &mut out);
            r.segment(ts, 1020, b"cut", 2, false, &mut out);
            assert_eq!(r.held_bytes(), 12);
            freed = r.shed(&mut out);
            after = r.offset();
            // In order now; a late copy of bytes shed is behind the stream.
            r.segment(ts, 1025, b"next", 0, false, &mut out);
            r.segment(ts, 1008, b"hello", 0, false, &mut out);
            r.acked(1029, &mut out);
            r.finish(&mut out);
        });
        assert_eq!(freed, 12);
        assert_eq!(after, 25);
        assert_eq!(
            got,
            [
                "Data { ts: Timestamp(1), offset: 0, bytes: [97, 98, 99] }",
                "Gap { offset: 3, len: 5, cause: CaptureLoss }",
                "Gap { offset: 8, len: 9, cause: BufferLimit }",
                "Gap { offset: 17, len: 3, cause: CaptureLoss }",
                "Gap { offset: 20, len: 3, cause: BufferLimit }",
                "Gap { offset: 23, len: 2, cause: CaptureLoss }",
                "Data { ts: Timestamp(1), offset: 25, bytes: [110, 101, 120, 116] }",
            ]
        );
    }

    /// Nothing held: shedding reports nothing and the stream stays where it is.
    #[test]
    fn shed_with_nothing_held_is_silent() {
        let got = run(|r, out| {
            let mut out = |p: Piece<'_>| out(p);
            r.segment(Timestamp::default(), 1000, b"abc", 0, false, &mut out);
            assert_eq!(r.shed(&mut out), 0);
            assert_eq!(r.offset(), 3);
        });
        assert_eq!(got.len(), 1);
    }
}
