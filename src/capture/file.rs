//! Reading frames out of a pcap or pcapng file as it streams in, through
//! `pcap-parser`: the buffer holds at most one record, never the file.

use std::io::Read;

use pcap_parser::pcapng::Block;
use pcap_parser::traits::PcapReaderIterator;
use pcap_parser::{PcapBlockOwned, PcapError};

use super::{CaptureError, Timestamp};

/// The largest record (packet block) the reader accepts: its buffer grows up to
/// this size from 64 KiB.
pub const MAX_RECORD_LEN: usize = 1 << 20;
/// The read buffer's first size.
const INITIAL_BUFFER: usize = 64 * 1024;
/// The most pcapng interfaces kept per section.
const MAX_INTERFACES: usize = 4096;

/// One captured frame, borrowed from the reader's buffer.
pub(crate) struct Frame<'a> {
    pub ts: Timestamp,
    pub linktype: i32,
    pub data: &'a [u8],
}

#[derive(Clone, Copy)]
struct Interface {
    linktype: i32,
    /// Timestamp units per second.
    resolution: u64,
    offset_secs: i64,
}

/// Streams frames out of a capture file.
pub(crate) struct FrameReader<'r> {
    inner: Box<dyn PcapReaderIterator + 'r>,
    offset: u64,
    /// The legacy header's link type and whether its fraction is nanoseconds.
    legacy: Option<(i32, bool)>,
    interfaces: Vec<Interface>,
    done: bool,
    capacity: usize,
}

fn nom_error<I>(e: &PcapError<I>, offset: u64) -> CaptureError {
    match e {
        PcapError::HeaderNotRecognized => CaptureError::NotACapture,
        PcapError::Eof | PcapError::UnexpectedEof | PcapError::Incomplete(_) => {
            CaptureError::Truncated { offset }
        }
        PcapError::BufferTooSmall => CaptureError::RecordTooLong {
            offset,
            max: MAX_RECORD_LEN,
        },
        PcapError::ReadError => CaptureError::Io {
            offset,
            message: "read failed".into(),
        },
        PcapError::NomError(..) | PcapError::OwnedNomError(..) => {
            CaptureError::CorruptRecord { offset }
        }
    }
}

impl<'r> FrameReader<'r> {
    /// Opens a capture; reads its first bytes to tell pcap from pcapng.
    pub fn new(reader: impl Read + 'r) -> Result<FrameReader<'r>, CaptureError> {
        let inner = match pcap_parser::create_reader(INITIAL_BUFFER, reader) {
            Ok(inner) => inner,
            Err(PcapError::Eof) => return Err(CaptureError::Empty),
            Err(PcapError::Incomplete(_)) => return Err(CaptureError::Truncated { offset: 0 }),
            Err(e) => return Err(nom_error(&e, 0)),
        };
        Ok(FrameReader {
            inner,
            offset: 0,
            legacy: None,
            interfaces: Vec::new(),
            done: false,
            capacity: INITIAL_BUFFER,
        })
    }

    /// The next frame, `Ok(None)` at the end of the file.
    pub fn next_frame<T>(
        &mut self,
        mut with: impl FnMut(Frame<'_>) -> T,
    ) -> Result<Option<T>, CaptureError> {
        loop {
            if self.done {
                return Ok(None);
            }
            let (len, block) = match self.inner.next() {
                Ok(b) => b,
                Err(PcapError::Eof) => {
                    self.done = true;
                    return Ok(None);
                }
                Err(PcapError::BufferTooSmall) if self.capacity < MAX_RECORD_LEN => {
                    // A record larger than the buffer: grow it, up to the limit.
                    self.capacity = (self.capacity * 4).min(MAX_RECORD_LEN);
                    if !self.inner.grow(self.capacity) {
                        self.done = true;
                        return Err(CaptureError::RecordTooLong {
                            offset: self.offset,
                            max: MAX_RECORD_LEN,
                        });
                    }
                    // No refill here: the larger buffer is judged first, so a record
                    // too long even for it is `RecordTooLong`, not `Truncated`.
                    continue;
                }
                Err(PcapError::Incomplete(_)) => {
                    if let Err(e) = self.inner.refill() {
                        self.done = true;
                        return Err(nom_error(&e, self.offset));
                    }
                    continue;
                }
                Err(e) => {
                    self.done = true;
                    return Err(nom_error(&e, self.offset));
                }
            };
            let offset = self.offset;
            let mut out = None;
            match block {
                PcapBlockOwned::LegacyHeader(h) => {
                    self.legacy = Some((h.network.0, h.is_nanosecond_precision()));
                }
                PcapBlockOwned::Legacy(b) => {
                    let (linktype, nanos) = self.legacy.unwrap_or((1, false));
                    let frac = if nanos {
                        u64::from(b.ts_usec)
                    } else {
                        u64::from(b.ts_usec) * 1000
                    };
                    let ts = Timestamp::from_nanos(u64::from(b.ts_sec) * 1_000_000_000 + frac);
                    out = Some(with(Frame {
                        ts,
                        linktype,
                        data: b.data,
                    }));
                }
                PcapBlockOwned::NG(Block::SectionHeader(_)) => self.interfaces.clear(),
                PcapBlockOwned::NG(Block::InterfaceDescription(idb)) => {
                    if self.interfaces.len() >= MAX_INTERFACES {
                        self.done = true;
                        return Err(CaptureError::TooManyInterfaces { offset });
                    }
                    self.interfaces.push(Interface {
                        linktype: idb.linktype.0,
                        resolution: idb.ts_resolution().unwrap_or(1_000_000).max(1),
                        offset_secs: idb.ts_offset(),
                    });
                }
                PcapBlockOwned::NG(Block::EnhancedPacket(epb)) => {
                    let Some(iface) = usize::try_from(epb.if_id)
                        .ok()
                        .and_then(|i| self.interfaces.get(i))
                        .copied()
                    else {
                        self.done = true;
                        return Err(CaptureError::UnknownInterface {
                            offset,
                            interface: epb.if_id,
                        });
                    };
                    let units = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
                    let nanos = (u128::from(units) * 1_000_000_000 / u128::from(iface.resolution))
                        as i128
                        + i128::from(iface.offset_secs) * 1_000_000_000;
                    let ts = Timestamp::from_nanos(u64::try_from(nanos.max(0)).unwrap_or(u64::MAX));
                    out = Some(with(Frame {
                        ts,
                        linktype: iface.linktype,
                        data: epb.data,
                    }));
                }
                PcapBlockOwned::NG(Block::SimplePacket(spb)) => {
                    if let Some(iface) = self.interfaces.first().copied() {
                        out = Some(with(Frame {
                            ts: Timestamp::from_nanos(0),
                            linktype: iface.linktype,
                            data: spb.data,
                        }));
                    }
                }
                PcapBlockOwned::NG(_) => {}
            }
            self.inner.consume(len);
            self.offset += len as u64;
            if let Some(out) = out {
                return Ok(Some(out));
            }
        }
    }
}
