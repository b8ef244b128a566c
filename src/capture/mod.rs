//! FTP control connections read straight from packet captures (feature `pcap`).
//!
//! [`Capture`] reads a pcap or pcapng file as it streams in, finds the FTP
//! control connections in it (TCP port 21, the ports in
//! [`CaptureConfig::ports`], and any connection whose server speaks first with a
//! `120`/`220` reply line and whose client answers with a command line), puts each
//! direction of each back in order, and pairs every command with its replies. It
//! is an iterator of [`Record`]s: one per command (with its replies), one per reply
//! that answers no command, and one per event — a connection's start and end, a
//! gap the capture lost, an overlap whose bytes disagree, the start of TLS, a data
//! connection.
//!
//! ```no_run
//! use ftp_reply::capture::{Capture, RecordKind};
//!
//! let file = std::fs::File::open("session.pcap")?;
//! for record in Capture::new(file)? {
//!     let record = record?;
//!     if let RecordKind::Exchange(x) = &record.kind {
//!         let command = x.command.as_ref().map(|c| c.shown());
//!         let codes: Vec<u16> = x.replies.iter().map(|r| r.reply.code().as_u16()).collect();
//!         println!("{} {command:?} {codes:?}", record.conn);
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Link layers
//! Ethernet (with 802.1Q/802.1ad VLAN tags), Linux cooked capture (SLL and SLL2),
//! raw IP and BSD loopback; IPv4 and IPv6 with extension headers; TCP.
//!
//! ## Loss, overlaps, TLS
//! Bytes a direction is missing (the capture dropped a packet, or cut one at its
//! snaplen) are reported as a [`RecordKind::Gap`]; a hole is given up on when the
//! peer acknowledges the bytes in it, when too much is held behind it, or when the
//! connection ends. Decoding resumes at the next line start. Pairing uses the
//! capture's timestamps and the replies each command may get: a reply after a gap
//! in the client's direction that the awaiting command cannot explain answers a
//! command lost in the gap ([`ExchangeKind::LostCommand`]); a command whose reply
//! a gap in the server's direction swallowed ends with
//! [`ExchangeEnd::LostInGap`], and the next reply goes to the command it fits.
//!
//! Retransmitted bytes are dropped; a segment whose bytes differ from those
//! already taken for the same position is reported as a [`RecordKind::Overlap`]
//! and the first bytes are kept.
//!
//! After `234` to `AUTH`, the connection is encrypted: one [`RecordKind::Tls`]
//! record, and nothing more is decoded from it.
//!
//! ## Bounds
//! Memory depends on what is live, never on the capture's size:
//!
//! | what | bound |
//! |---|---|
//! | one capture record | [`MAX_RECORD_LEN`] (1 MiB; the buffer starts at 64 KiB) |
//! | connections tracked at once | [`CaptureConfig::max_connections`] (131 072); past it the least recently active eighth is ended |
//! | bytes held out of order, per direction | [`MAX_OUT_OF_ORDER_BYTES`] (256 KiB) in at most [`MAX_OUT_OF_ORDER_SEGMENTS`] segments |
//! | a command line | [`MAX_COMMAND_LINE`] (4 KiB); longer lines are cut |
//! | a reply | [`CaptureConfig::decoder`]: lines of 1 MiB, replies of 1 MiB |
//! | all buffered bytes, all connections | [`CaptureConfig::max_buffered`] (256 MiB); past it the connection growing drops what it holds out of order and moves on: a [`GapCause::BufferLimit`] gap for those bytes, [`GapCause::CaptureLoss`] for the holes before them |
//! | data connections expected at once | [`MAX_EXPECTED_DATA`] (65 536) |

mod control;
mod file;
mod packet;
mod reassembly;

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::io::Read;
use std::net::{IpAddr, SocketAddr};

use crate::{Command, CommandLine, DecodeError, DecoderConfig, Outcome, Reply};

pub use control::MAX_COMMAND_LINE;
pub use file::MAX_RECORD_LEN;
pub use reassembly::{MAX_OUT_OF_ORDER_BYTES, MAX_OUT_OF_ORDER_SEGMENTS};

use control::Control;
use packet::{Decoded, Segment};

/// The most data connections awaited at once (announced by `227`/`228`/`229` or
/// `PORT`/`EPRT` and not yet seen).
pub const MAX_EXPECTED_DATA: usize = 65_536;
/// How many held bytes a content-detected connection may hold before its client
/// speaks.
const MAX_CANDIDATE_BYTES: usize = 4096;

/// A capture timestamp, in nanoseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(u64);

impl Timestamp {
    /// The timestamp `nanos` nanoseconds after the epoch.
    #[must_use]
    pub const fn from_nanos(nanos: u64) -> Timestamp {
        Timestamp(nanos)
    }

    /// Nanoseconds since the epoch.
    #[must_use]
    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    /// Seconds since the epoch.
    #[must_use]
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1e9
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{:06}",
            self.0 / 1_000_000_000,
            (self.0 % 1_000_000_000) / 1000
        )
    }
}

/// What stopped a capture from being read. Records before it were good.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CaptureError {
    /// The input is empty.
    Empty,
    /// The input is neither pcap nor pcapng.
    NotACapture,
    /// The file ends inside a record (or its header) that starts at `offset`.
    Truncated {
        /// Where the cut record starts.
        offset: u64,
    },
    /// A record's header at `offset` does not parse (a block type or length that
    /// makes no sense).
    CorruptRecord {
        /// Where the record starts.
        offset: u64,
    },
    /// A record at `offset` declares a length over `max` bytes.
    RecordTooLong {
        /// Where the record starts.
        offset: u64,
        /// The longest record read.
        max: usize,
    },
    /// A pcapng packet at `offset` names an interface that was not described.
    UnknownInterface {
        /// Where the packet block starts.
        offset: u64,
        /// The interface number it names.
        interface: u32,
    },
    /// A pcapng section at `offset` describes more interfaces than are kept.
    TooManyInterfaces {
        /// Where the interface block starts.
        offset: u64,
    },
    /// Reading failed.
    Io {
        /// How far reading got.
        offset: u64,
        /// What the reader said.
        message: String,
    },
}

impl CaptureError {
    /// A stable kebab-case name, as in the tool's JSON output.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            CaptureError::Empty => "empty",
            CaptureError::NotACapture => "not-a-capture",
            CaptureError::Truncated { .. } => "truncated",
            CaptureError::CorruptRecord { .. } => "corrupt-record",
            CaptureError::RecordTooLong { .. } => "record-too-long",
            CaptureError::UnknownInterface { .. } => "unknown-interface",
            CaptureError::TooManyInterfaces { .. } => "too-many-interfaces",
            CaptureError::Io { .. } => "io",
        }
    }

    /// The byte offset in the file where the problem is, when there is one.
    #[must_use]
    pub fn offset(&self) -> Option<u64> {
        match self {
            CaptureError::Empty | CaptureError::NotACapture => Some(0),
            CaptureError::Truncated { offset }
            | CaptureError::CorruptRecord { offset }
            | CaptureError::RecordTooLong { offset, .. }
            | CaptureError::UnknownInterface { offset, .. }
            | CaptureError::TooManyInterfaces { offset }
            | CaptureError::Io { offset, .. } => Some(*offset),
        }
    }
}

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaptureError::Empty => write!(f, "the capture is empty"),
            CaptureError::NotACapture => write!(f, "not a pcap or pcapng capture (at byte 0)"),
            CaptureError::Truncated { offset } => {
                write!(f, "the capture ends inside the record at byte {offset}")
            }
            CaptureError::CorruptRecord { offset } => {
                write!(f, "corrupt record header at byte {offset}")
            }
            CaptureError::RecordTooLong { offset, max } => {
                write!(f, "the record at byte {offset} is longer than {max} bytes")
            }
            CaptureError::UnknownInterface { offset, interface } => write!(
                f,
                "the packet at byte {offset} names interface {interface}, which was not described"
            ),
            CaptureError::TooManyInterfaces { offset } => {
                write!(f, "too many interfaces (at byte {offset})")
            }
            CaptureError::Io { offset, message } => {
                write!(f, "reading at byte {offset}: {message}")
            }
        }
    }
}

impl std::error::Error for CaptureError {}

/// A direction on a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Direction {
    /// Client to server: commands.
    ToServer,
    /// Server to client: replies.
    ToClient,
}

impl Direction {
    /// `to-server` or `to-client`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Direction::ToServer => "to-server",
            Direction::ToClient => "to-client",
        }
    }
}

/// How a control connection was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Detection {
    /// By its server port (21 or one of [`CaptureConfig::ports`]).
    Port(u16),
    /// By its content: a `120`/`220` line from the server, a command line back.
    Content,
}

impl Detection {
    /// `port` or `content`, as in the tool's JSON output (where a port is shown
    /// as `{"port": 21}`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Detection::Port(_) => "port",
            Detection::Content => "content",
        }
    }

    /// The server port it was recognised by, for [`Detection::Port`].
    #[must_use]
    pub const fn port(self) -> Option<u16> {
        match self {
            Detection::Port(port) => Some(port),
            Detection::Content => None,
        }
    }
}

/// Why bytes are missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GapCause {
    /// The capture does not hold them (lost, or cut at the snaplen).
    CaptureLoss,
    /// They were dropped to stay within [`CaptureConfig::max_buffered`].
    BufferLimit,
}

impl GapCause {
    /// `capture-loss` or `buffer-limit`, as in the tool's JSON output.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            GapCause::CaptureLoss => "capture-loss",
            GapCause::BufferLimit => "buffer-limit",
        }
    }

    /// Why the bytes are missing, in words (the transcript's):
    /// `not in the capture`, `dropped at the memory limit`.
    #[must_use]
    pub const fn reason(self) -> &'static str {
        match self {
            GapCause::CaptureLoss => "not in the capture",
            GapCause::BufferLimit => "dropped at the memory limit",
        }
    }
}

/// How a connection's record stream ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndReason {
    /// Both sides sent FIN.
    Fin,
    /// A side sent RST.
    Reset,
    /// The capture ended first.
    EndOfCapture,
    /// Ended to make room ([`CaptureConfig::max_connections`]).
    Evicted,
}

impl EndReason {
    /// A stable kebab-case name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            EndReason::Fin => "fin",
            EndReason::Reset => "reset",
            EndReason::EndOfCapture => "end-of-capture",
            EndReason::Evicted => "evicted",
        }
    }
}

/// A command line as the client sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRecord {
    /// When its first byte was captured.
    pub ts: Timestamp,
    /// Its offset in the client's stream.
    pub offset: u64,
    /// The line without its line ending.
    pub line: Vec<u8>,
    /// The command (`Command::Other` for an unknown verb or a line that is not a
    /// command).
    pub command: Command,
    /// The line was cut: by a gap (`Some(true)`) or at [`MAX_COMMAND_LINE`]
    /// (`Some(false)`).
    pub cut_by_gap: Option<bool>,
}

impl CommandRecord {
    /// The line as shown: the argument of `PASS` and `ACCT` masked, even when
    /// the line does not parse ([`CommandLine::shown_raw`]).
    #[must_use]
    pub fn shown(&self) -> String {
        CommandLine::shown_raw(&self.line)
    }
}

/// One reply, with when it came and what it means for its command.
#[derive(Debug, Clone)]
pub struct ReplyRecord {
    /// When its first byte was captured.
    pub ts: Timestamp,
    /// Its offset in the server's stream.
    pub offset: u64,
    /// The reply.
    pub reply: Reply,
    /// What it means for the command ([`crate::Exchange`]).
    pub outcome: Outcome,
}

/// What a reply record answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExchangeKind {
    /// A command the capture holds.
    Command,
    /// The connection greeting.
    Greeting,
    /// Nothing: the server spoke unasked.
    Unsolicited,
    /// A command lost in a gap in the client's direction.
    LostCommand,
}

impl ExchangeKind {
    /// `command`, `greeting`, `unsolicited` or `lost-command`, as in the tool's
    /// JSON output.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            ExchangeKind::Command => "command",
            ExchangeKind::Greeting => "greeting",
            ExchangeKind::Unsolicited => "unsolicited",
            ExchangeKind::LostCommand => "lost-command",
        }
    }
}

/// How a command's exchange ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExchangeEnd {
    /// Its final reply came (or, for a greeting or unsolicited reply, the reply).
    Final,
    /// A gap in the server's direction swallowed its (final) reply.
    LostInGap,
    /// The connection ended first.
    Unanswered,
    /// The connection turned to TLS first.
    Encrypted,
}

/// A command with its replies (or a reply that answers no command).
#[derive(Debug, Clone)]
pub struct ExchangeRecord {
    /// What the replies answer.
    pub kind: ExchangeKind,
    /// The command, for [`ExchangeKind::Command`].
    pub command: Option<CommandRecord>,
    /// The replies, in order.
    pub replies: Vec<ReplyRecord>,
    /// Stream errors while its replies were due: (offset in the server's stream,
    /// error).
    pub errors: Vec<(u64, DecodeError)>,
    /// How it ended.
    pub end: ExchangeEnd,
    /// A gap in the server's direction swallowed a positive preliminary reply
    /// before the final one.
    pub preliminary_lost: bool,
}

impl ExchangeRecord {
    /// The outcome of the last reply, if the exchange ended with one.
    #[must_use]
    pub fn outcome(&self) -> Option<Outcome> {
        match self.end {
            ExchangeEnd::Final => self.replies.last().map(|r| r.outcome),
            _ => None,
        }
    }

    /// The outcome's kebab-case name: the last reply's outcome, or
    /// `reply-lost-in-gap`, `unanswered`, `encrypted`.
    #[must_use]
    pub fn outcome_name(&self) -> &'static str {
        match self.end {
            ExchangeEnd::Final => self
                .replies
                .last()
                .map_or("stream-error", |r| r.outcome.name()),
            ExchangeEnd::LostInGap => "reply-lost-in-gap",
            ExchangeEnd::Unanswered => "unanswered",
            ExchangeEnd::Encrypted => "encrypted",
        }
    }
}

/// A data connection that a control connection announced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataRecord {
    /// The endpoint that opened it.
    pub client: SocketAddr,
    /// The endpoint that accepted it.
    pub server: SocketAddr,
    /// `passive` (announced by `227`/`228`/`229`) or `active` (`PORT`/`EPRT`).
    pub passive: bool,
    /// Payload bytes from the opener, retransmissions not counted.
    pub bytes_from_client: u64,
    /// Payload bytes from the acceptor.
    pub bytes_from_server: u64,
    /// The first packet's time.
    pub first: Timestamp,
    /// The last packet's time.
    pub last: Timestamp,
}

/// Counts over the whole capture.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Frames read.
    pub frames: u64,
    /// Frames that were not IP (or of a link type not read).
    pub not_ip: u64,
    /// IP packets that were not TCP (or were fragments).
    pub not_tcp: u64,
    /// Frames whose headers were cut or inconsistent.
    pub malformed: u64,
    /// Control connections that carried no payload (a SYN and nothing more).
    pub silent_connections: u64,
    /// Connections ended to make room.
    pub evicted: u64,
    /// Retransmitted bytes dropped on control connections.
    pub retransmitted: u64,
}

/// What a record tells.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum RecordKind {
    /// A control connection starts (its first payload).
    Start {
        /// How it was recognised.
        detected: Detection,
        /// Whether the capture holds its start (its SYN, or for a connection found
        /// by content the greeting it was found by); if not, no greeting is
        /// awaited.
        from_syn: bool,
    },
    /// A command with its replies, or a reply that answers no command.
    Exchange(Box<ExchangeRecord>),
    /// Bytes missing in one direction.
    Gap {
        /// Which direction.
        direction: Direction,
        /// Offset in that direction's stream.
        offset: u64,
        /// How many bytes.
        len: u64,
        /// Why.
        cause: GapCause,
    },
    /// A segment's bytes differ from those already taken at the same position
    /// (the first ones are kept).
    Overlap {
        /// Which direction.
        direction: Direction,
        /// Offset of the first differing byte.
        offset: u64,
        /// Bytes from the first to the last that differ.
        len: u64,
    },
    /// `234` to `AUTH`: the connection is encrypted from here on.
    Tls,
    /// A stream error with no command awaiting replies.
    StreamError {
        /// Offset in the server's stream.
        offset: u64,
        /// The error.
        error: DecodeError,
    },
    /// A data connection of this control connection ended.
    Data(DataRecord),
    /// The control connection ended.
    End {
        /// Why.
        reason: EndReason,
        /// Bytes from the client (offset reached in its stream).
        client_bytes: u64,
        /// Bytes from the server.
        server_bytes: u64,
    },
    /// The end of the capture: counts over it (`conn` is 0).
    Summary(Stats),
}

/// One thing the capture shows, on one control connection.
#[derive(Debug, Clone)]
pub struct Record {
    /// The connection's id, unique in the capture (from 1).
    pub conn: u64,
    /// When it happened: the command's first packet, the reply's, the event's.
    pub ts: Timestamp,
    /// The control connection's client.
    pub client: SocketAddr,
    /// The control connection's server.
    pub server: SocketAddr,
    /// What it is.
    pub kind: RecordKind,
}

/// What [`Capture`] looks for, and its bounds.
#[derive(Debug, Clone)]
pub struct CaptureConfig {
    /// Server ports of control connections, besides 21.
    pub ports: Vec<u16>,
    /// Also recognise control connections by content on any port.
    pub detect_by_content: bool,
    /// The most connections tracked at once.
    pub max_connections: usize,
    /// The most bytes buffered over all connections.
    pub max_buffered: usize,
    /// Limits for each reply.
    pub decoder: DecoderConfig,
}

impl Default for CaptureConfig {
    fn default() -> Self {
        CaptureConfig {
            ports: Vec::new(),
            detect_by_content: true,
            max_connections: 131_072,
            max_buffered: 256 * 1024 * 1024,
            decoder: DecoderConfig::new()
                .max_line_len(1024 * 1024)
                .max_reply_len(1024 * 1024),
        }
    }
}

/// A connection's two endpoints, the lower first: addresses and ports alone (38
/// bytes, where two `SocketAddr`s take 64; the table holds one per connection).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct FlowKey {
    ips: [IpAddr; 2],
    ports: [u16; 2],
}

impl FlowKey {
    fn of(a: SocketAddr, b: SocketAddr) -> FlowKey {
        let (a, b) = ((a.ip(), a.port()), (b.ip(), b.port()));
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        FlowKey {
            ips: [low.0, high.0],
            ports: [low.1, high.1],
        }
    }
}

struct Expectation {
    control: u64,
    control_client: SocketAddr,
    control_server: SocketAddr,
    passive: bool,
}

struct DataConn {
    control: u64,
    control_client: SocketAddr,
    control_server: SocketAddr,
    record: DataRecord,
    /// Highest sequence end seen per direction (opener, acceptor).
    high: [Option<u32>; 2],
    fins: u8,
}

struct Candidate {
    server: SocketAddr,
    client: SocketAddr,
    held: Vec<(Timestamp, u32, Vec<u8>)>,
    held_bytes: usize,
}

enum Conn {
    Control(Box<Control>),
    Data(Box<DataConn>),
    Candidate(Box<Candidate>),
    /// Judged not FTP: ignored until it ends.
    Ignored,
}

struct Entry {
    id: u64,
    last_seen: Timestamp,
    conn: Conn,
}

/// Reads FTP control connections out of a capture: an iterator of [`Record`]s.
///
/// Errors in the file end the iteration with one `Err` (after the records of what
/// was read, each connection flushed).
pub struct Capture<'r> {
    frames: file::FrameReader<'r>,
    engine: Engine,
    error: Option<CaptureError>,
    finished: bool,
}

impl<'r> Capture<'r> {
    /// Reads `reader` with the default configuration.
    ///
    /// # Errors
    /// [`CaptureError`] if the input is empty or not a capture.
    pub fn new(reader: impl Read + 'r) -> Result<Capture<'r>, CaptureError> {
        Capture::with_config(reader, CaptureConfig::default())
    }

    /// Reads `reader` with `config`.
    ///
    /// # Errors
    /// [`CaptureError`] if the input is empty or not a capture.
    pub fn with_config(
        reader: impl Read + 'r,
        config: CaptureConfig,
    ) -> Result<Capture<'r>, CaptureError> {
        Ok(Capture {
            frames: file::FrameReader::new(reader)?,
            engine: Engine::new(config),
            error: None,
            finished: false,
        })
    }

    /// Counts so far.
    #[must_use]
    pub fn stats(&self) -> &Stats {
        &self.engine.stats
    }
}

impl Iterator for Capture<'_> {
    type Item = Result<Record, CaptureError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(r) = self.engine.out.pop_front() {
                return Some(Ok(r));
            }
            if self.finished {
                return self.error.take().map(Err);
            }
            let engine = &mut self.engine;
            match self.frames.next_frame(|frame| engine.frame(&frame)) {
                Ok(Some(())) => {}
                Ok(None) => {
                    self.engine.finish();
                    self.finished = true;
                }
                Err(e) => {
                    self.error = Some(e);
                    self.engine.finish();
                    self.finished = true;
                }
            }
        }
    }
}

/// The flow table and everything above the file.
struct Engine {
    config: CaptureConfig,
    flows: HashMap<FlowKey, Entry>,
    expected: HashMap<SocketAddr, Expectation>,
    expected_order: VecDeque<SocketAddr>,
    next_id: u64,
    buffered: usize,
    out: VecDeque<Record>,
    stats: Stats,
    last_ts: Timestamp,
    /// Reset connections, ended once the capture is past their deadline (segments
    /// sent before the RST may still be in flight).
    closing: VecDeque<(Timestamp, FlowKey, u64)>,
}

/// How long a reset connection is kept for segments that trail the RST.
const RESET_LINGER_NANOS: u64 = 1_000_000_000;

/// Whether `payload` starts like a reply line a server greets with: a `120` or
/// `220` reply head as the decoder reads it (the code, then a space, a hyphen or
/// the line end: CRLF, or a bare LF as the default decoder allows).
fn looks_like_greeting(payload: &[u8]) -> bool {
    let line_end = payload.get(3) == Some(&b'\n') || payload.get(3..5) == Some(b"\r\n");
    let (content, complete) = if line_end {
        (&payload[..3], true)
    } else {
        (&payload[..payload.len().min(4)], false)
    };
    matches!(
        crate::parse::reply_head(content, complete),
        crate::parse::Head::Valid(code, _) if matches!(code.as_u16(), 120 | 220)
    )
}

impl Engine {
    fn new(config: CaptureConfig) -> Engine {
        Engine {
            config,
            flows: HashMap::new(),
            expected: HashMap::new(),
            expected_order: VecDeque::new(),
            next_id: 1,
            buffered: 0,
            out: VecDeque::new(),
            stats: Stats::default(),
            last_ts: Timestamp::default(),
            closing: VecDeque::new(),
        }
    }

    fn is_control_port(&self, port: u16) -> bool {
        port == 21 || self.config.ports.contains(&port)
    }

    fn frame(&mut self, frame: &file::Frame<'_>) {
        self.stats.frames += 1;
        self.last_ts = self.last_ts.max(frame.ts);
        while let Some(&(deadline, key, id)) = self.closing.front() {
            if deadline > frame.ts {
                break;
            }
            self.closing.pop_front();
            if self.flows.get(&key).is_some_and(|e| e.id == id)
                && let Some(entry) = self.flows.remove(&key)
            {
                self.end_entry(entry, EndReason::Reset);
            }
        }
        match packet::decode(frame.linktype, frame.data) {
            Decoded::Tcp(seg) => self.segment(frame.ts, &seg),
            Decoded::NotIp => self.stats.not_ip += 1,
            Decoded::NotTcp => self.stats.not_tcp += 1,
            Decoded::Malformed => self.stats.malformed += 1,
        }
    }

    fn new_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// A new entry for a segment of a flow not in the table, if it is one to track.
    fn classify(&mut self, ts: Timestamp, seg: &Segment<'_>) -> Option<Conn> {
        let has_payload = !seg.payload.is_empty() || seg.missing > 0;
        if !seg.syn && !has_payload {
            return None;
        }
        // Data connections announced on a control connection.
        for addr in [seg.dst, seg.src] {
            if let Some(exp) = self.expected.remove(&addr) {
                let (client, server) = if addr == seg.dst {
                    (seg.src, seg.dst)
                } else {
                    (seg.dst, seg.src)
                };
                return Some(Conn::Data(Box::new(DataConn {
                    control: exp.control,
                    control_client: exp.control_client,
                    control_server: exp.control_server,
                    record: DataRecord {
                        client,
                        server,
                        passive: exp.passive,
                        bytes_from_client: 0,
                        bytes_from_server: 0,
                        first: ts,
                        last: ts,
                    },
                    high: [None, None],
                    fins: 0,
                })));
            }
        }
        // Control connections by port: the server is the side on the port (the SYN's
        // destination, the SYN/ACK's source).
        let server_is_dst = if seg.syn {
            seg.ack.is_none()
        } else {
            self.is_control_port(seg.dst.port())
        };
        let (client, server) = if server_is_dst {
            (seg.src, seg.dst)
        } else {
            (seg.dst, seg.src)
        };
        if self.is_control_port(server.port()) {
            let id = self.new_id();
            return Some(Conn::Control(Box::new(Control::new(
                id,
                client,
                server,
                Detection::Port(server.port()),
                self.config.decoder,
            ))));
        }
        if self.config.detect_by_content && !seg.syn && looks_like_greeting(seg.payload) {
            return Some(Conn::Candidate(Box::new(Candidate {
                server: seg.src,
                client: seg.dst,
                held: Vec::new(),
                held_bytes: 0,
            })));
        }
        None
    }

    fn segment(&mut self, ts: Timestamp, seg: &Segment<'_>) {
        let key = FlowKey::of(seg.src, seg.dst);
        if seg.syn
            && seg.ack.is_none()
            && self
                .flows
                .get(&key)
                .is_some_and(|e| matches!(&e.conn, Conn::Control(c) if c.started() || c.is_reset()))
            && let Some(old) = self.flows.remove(&key)
        {
            // The 4-tuple is reused by a new connection.
            self.end_entry(old, EndReason::Reset);
        }
        if !self.flows.contains_key(&key) {
            let Some(conn) = self.classify(ts, seg) else {
                return;
            };
            if self.flows.len() >= self.config.max_connections.max(1) {
                self.evict();
            }
            let id = match &conn {
                Conn::Control(c) => c.id(),
                _ => 0,
            };
            self.flows.insert(
                key,
                Entry {
                    id,
                    last_seen: ts,
                    conn,
                },
            );
        }
        let Some(mut entry) = self.flows.remove(&key) else {
            return;
        };
        entry.last_seen = ts;
        let keep = match &mut entry.conn {
            Conn::Control(c) => {
                let before = c.buffered();
                c.segment(ts, seg, &mut self.out);
                let after = c.buffered();
                self.buffered = (self.buffered + after).saturating_sub(before);
                if self.buffered > self.config.max_buffered {
                    // First room that holds no byte still to be read (what was
                    // delivered and kept only to compare retransmissions with,
                    // empty buffers): giving it up loses nothing.
                    let freed = c.give_back_room();
                    self.buffered = self.buffered.saturating_sub(freed);
                }
                if self.buffered > self.config.max_buffered {
                    let freed = c.shed(ts, &mut self.out);
                    self.buffered = self.buffered.saturating_sub(freed);
                }
                for exp in c.take_expectations() {
                    self.expect(exp);
                }
                if c.is_reset() && !c.linger_scheduled {
                    c.linger_scheduled = true;
                    self.closing.push_back((
                        Timestamp::from_nanos(ts.as_nanos().saturating_add(RESET_LINGER_NANOS)),
                        key,
                        entry.id,
                    ));
                }
                if c.is_ended() {
                    self.end_control(c, ts, EndReason::Fin);
                    false
                } else {
                    true
                }
            }
            Conn::Data(d) => {
                data_segment(d, ts, seg);
                if seg.rst || d.fins >= 2 {
                    self.data_end(d);
                    false
                } else {
                    true
                }
            }
            Conn::Candidate(cand) => {
                if seg.src == cand.server {
                    if cand.held_bytes + seg.payload.len() > MAX_CANDIDATE_BYTES {
                        entry.conn = Conn::Ignored;
                    } else {
                        cand.held_bytes += seg.payload.len();
                        cand.held.push((ts, seg.seq, seg.payload.to_vec()));
                    }
                    true
                } else if seg.payload.is_empty() {
                    true
                } else if control::looks_like_command_start(seg.payload) {
                    let cand = std::mem::replace(&mut entry.conn, Conn::Ignored);
                    let Conn::Candidate(cand) = cand else { return };
                    let id = self.new_id();
                    let mut control = Box::new(Control::new(
                        id,
                        cand.client,
                        cand.server,
                        Detection::Content,
                        self.config.decoder,
                    ));
                    control.expect_greeting();
                    for (hts, seq, bytes) in &cand.held {
                        let held = Segment {
                            src: cand.server,
                            dst: cand.client,
                            seq: *seq,
                            ack: None,
                            syn: false,
                            fin: false,
                            rst: false,
                            payload: bytes,
                            missing: 0,
                        };
                        control.segment(*hts, &held, &mut self.out);
                    }
                    control.segment(ts, seg, &mut self.out);
                    entry.id = id;
                    entry.conn = Conn::Control(control);
                    true
                } else {
                    entry.conn = Conn::Ignored;
                    true
                }
            }
            Conn::Ignored => !(seg.rst || seg.fin),
        };
        if keep {
            self.flows.insert(key, entry);
        }
    }

    fn expect(&mut self, exp: control::Expect) {
        while self.expected.len() >= MAX_EXPECTED_DATA {
            match self.expected_order.pop_front() {
                Some(old) => {
                    self.expected.remove(&old);
                }
                None => break,
            }
        }
        for addr in exp.addrs {
            self.expected_order.push_back(addr);
            self.expected.insert(
                addr,
                Expectation {
                    control: exp.control,
                    control_client: exp.client,
                    control_server: exp.server,
                    passive: exp.passive,
                },
            );
        }
        // Keep the order list from outgrowing the map (entries used or replaced).
        if self.expected_order.len() > 2 * MAX_EXPECTED_DATA {
            let expected = &self.expected;
            self.expected_order.retain(|a| expected.contains_key(a));
        }
    }

    fn data_end(&mut self, d: &DataConn) {
        self.out.push_back(Record {
            conn: d.control,
            ts: d.record.first,
            client: d.control_client,
            server: d.control_server,
            kind: RecordKind::Data(d.record.clone()),
        });
    }

    /// Ends the least recently active eighth of the connections.
    fn evict(&mut self) {
        let mut seen: Vec<Timestamp> = self.flows.values().map(|e| e.last_seen).collect();
        let n = (seen.len() / 8).max(1);
        let (_, cut, _) = seen.select_nth_unstable(n - 1);
        let cut = *cut;
        let old: Vec<FlowKey> = self
            .flows
            .iter()
            .filter(|(_, e)| e.last_seen <= cut)
            .map(|(k, _)| *k)
            .take(n)
            .collect();
        for key in old {
            if let Some(entry) = self.flows.remove(&key) {
                self.stats.evicted += 1;
                self.end_entry(entry, EndReason::Evicted);
            }
        }
    }

    fn end_entry(&mut self, mut entry: Entry, reason: EndReason) {
        match &mut entry.conn {
            Conn::Control(c) => self.end_control(c, self.last_ts, reason),
            Conn::Data(d) => self.data_end(d),
            Conn::Candidate(_) | Conn::Ignored => {}
        }
    }

    /// Ends a control connection taken out of the table: its last records, its
    /// bytes off the global count, its counts into the summary.
    fn end_control(&mut self, c: &mut Control, ts: Timestamp, reason: EndReason) {
        self.buffered = self.buffered.saturating_sub(c.buffered());
        c.finish(ts, reason, &mut self.out);
        self.stats.retransmitted += c.retransmitted();
        if !c.started() {
            self.stats.silent_connections += 1;
        }
    }

    fn finish(&mut self) {
        let mut entries: Vec<Entry> = self.flows.drain().map(|(_, e)| e).collect();
        entries.sort_by_key(|e| e.id);
        for entry in entries {
            self.end_entry(entry, EndReason::EndOfCapture);
        }
        self.out.push_back(Record {
            conn: 0,
            ts: self.last_ts,
            client: SocketAddr::from(([0, 0, 0, 0], 0)),
            server: SocketAddr::from(([0, 0, 0, 0], 0)),
            kind: RecordKind::Summary(self.stats.clone()),
        });
    }
}

fn data_segment(d: &mut DataConn, ts: Timestamp, seg: &Segment<'_>) {
    d.record.last = d.record.last.max(ts);
    let side = usize::from(seg.src != d.record.client);
    if seg.fin {
        d.fins = d.fins.saturating_add(1);
    }
    let len = seg.payload.len() as u32 + seg.missing;
    let seq = if seg.syn {
        seg.seq.wrapping_add(1)
    } else {
        seg.seq
    };
    let end = seq.wrapping_add(len);
    let fresh = match d.high[side] {
        None => len,
        Some(high) => {
            let ahead = end.wrapping_sub(high) as i32;
            // Sequence space past the highest byte seen: bytes the capture lost
            // in between still crossed the wire.
            if ahead <= 0 { 0 } else { ahead as u32 }
        }
    };
    if fresh > 0 || d.high[side].is_none() {
        d.high[side] = Some(end);
    }
    if side == 0 {
        d.record.bytes_from_client += u64::from(fresh);
    } else {
        d.record.bytes_from_server += u64::from(fresh);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names are the tool's JSON values: a contract.
    #[test]
    fn names_are_the_json_values() {
        assert_eq!(Detection::Port(21).name(), "port");
        assert_eq!(Detection::Port(2121).port(), Some(2121));
        assert_eq!(Detection::Content.name(), "content");
        assert_eq!(Detection::Content.port(), None);
        assert_eq!(GapCause::CaptureLoss.name(), "capture-loss");
        assert_eq!(GapCause::BufferLimit.name(), "buffer-limit");
        assert_eq!(ExchangeKind::Command.name(), "command");
        assert_eq!(ExchangeKind::Greeting.name(), "greeting");
        assert_eq!(ExchangeKind::Unsolicited.name(), "unsolicited");
        assert_eq!(ExchangeKind::LostCommand.name(), "lost-command");
    }

    #[test]
    fn greetings_are_reply_heads_the_decoder_reads() {
        for payload in [
            &b"220 ready\r\n"[..],
            b"220-welcome\r\n",
            b"120 soon\r\n",
            b"220 ",
            b"220\r\n",
            b"220\n",
        ] {
            assert!(looks_like_greeting(payload), "{payload:?}");
        }
        for payload in [
            &b""[..],
            b"220",
            b"2200 x",
            b"221 bye\r\n",
            b"000 x",
            b"999 x",
            b"720 x",
            b"22 x",
            b"220\r",
            b"220\r ",
            b"SSH-2.0-OpenSSH\r\n",
        ] {
            assert!(!looks_like_greeting(payload), "{payload:?}");
        }
    }

    #[test]
    fn command_record_masks_secrets_of_lines_that_do_not_parse() {
        let record = |line: &[u8]| CommandRecord {
            ts: Timestamp::default(),
            offset: 0,
            line: line.to_vec(),
            command: Command::Noop,
            cut_by_gap: None,
        };
        assert_eq!(record(b"PASS se\0cret").shown(), "PASS ****");
        assert_eq!(record(b"acct se\rcret").shown(), "acct ****");
        assert_eq!(record(b"pass secret").shown(), "PASS ****");
        assert_eq!(record(b"CWD a\0b").shown(), "CWD a\0b");
    }
}
