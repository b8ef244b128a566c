//! One FTP control connection out of a capture: both directions reassembled,
//! command lines cut out of the client's stream, replies decoded out of the
//! server's, and each reply paired with the command it answers, in capture-time
//! order, with resynchronisation after gaps.

use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};

use bytes::BytesMut;

use super::packet::Segment;
use super::reassembly::{Piece, Reassembler};
use super::{
    CommandRecord, Detection, Direction, EndReason, ExchangeEnd, ExchangeKind, ExchangeRecord,
    Record, RecordKind, ReplyRecord, Timestamp,
};
use crate::session::{CommandHandle, Event, Interrupt, Io, Session, SessionConfig};
use crate::{Command, CommandLine, DecoderConfig, Exchange, ExchangeState, Reply, ReplyDecoder};

/// The longest command line kept; the rest of a longer line is dropped.
pub const MAX_COMMAND_LINE: usize = 4096;
/// The most commands awaiting replies on one connection; past it the oldest is
/// ended as unanswered.
const MAX_PENDING: usize = 256;
/// The most room an emptied reply buffer keeps for the next reply: past it (a
/// long reply was read) the buffer is given back, so that an idle connection
/// holds none of a reply it was sent long ago.
const KEPT_REPLY_ROOM: usize = 4096;
/// A command line is at least this long (`NOOP\r\n`): bounds how many commands a
/// gap may have held.
const MIN_COMMAND_LINE: u64 = 6;

/// A data connection a control connection announced: the addresses it may be
/// opened to.
pub(crate) struct Expect {
    pub control: u64,
    pub client: SocketAddr,
    pub server: SocketAddr,
    pub passive: bool,
    pub addrs: Vec<SocketAddr>,
}

/// What a pending slot stands for.
#[derive(Debug)]
enum Slot {
    Greeting,
    Command(CommandRecord),
    /// Commands the client's gap may have held (at most `capacity`).
    Lost {
        capacity: u64,
    },
    /// A command lost in a gap that a reply was given to.
    LostCommand,
}

/// A slot awaiting replies: about 200 bytes, kept boxed in the connection's
/// queues, so that a connection holds room for the slots it has rather than a
/// queue's four (most hold none or one).
#[derive(Debug)]
struct Pending {
    /// The session's handle, once the command was given to it (none for the
    /// greeting).
    handle: Option<CommandHandle>,
    slot: Slot,
    /// The command line as parsed when it was read, until it is given to the
    /// session (none for the greeting, a lost command, a line that does not parse).
    line: Option<CommandLine>,
    /// When it was sent (a lost command: when the gap was found).
    ts: Timestamp,
    replies: Vec<ReplyRecord>,
    errors: Vec<(u64, crate::DecodeError)>,
    preliminary_lost: bool,
}

impl Pending {
    fn new(slot: Slot, ts: Timestamp) -> Box<Pending> {
        Box::new(Pending {
            handle: None,
            slot,
            line: None,
            ts,
            replies: Vec::new(),
            errors: Vec::new(),
            preliminary_lost: false,
        })
    }

    fn command(&self) -> Option<Command> {
        match &self.slot {
            Slot::Command(c) => Some(c.command),
            _ => None,
        }
    }
}

/// A verb for commands whose line does not parse, and for lost commands: no reply
/// table, so replies are judged by their first digit.
fn unknown_command() -> Command {
    Command::from_verb(b"UNKNOWN").unwrap_or(Command::Noop)
}

fn fits(exchange: &Exchange, code: crate::ReplyCode) -> bool {
    !exchange.clone().feed_code(code).is_unexpected()
}

/// The first preliminary reply `exchange`'s command lists (the one a gap is
/// taken to have swallowed), if it lists any.
fn first_preliminary(exchange: &Exchange) -> Option<crate::ReplyCode> {
    exchange
        .command()
        .and_then(|c| c.expected())
        .and_then(|e| e.preliminary.first().copied())
        .and_then(crate::ReplyCode::new)
}

/// Whether `code` would fit `exchange` had a preliminary reply come first.
fn fits_after_preliminary(exchange: &Exchange, code: crate::ReplyCode) -> bool {
    let Some(prelim) = first_preliminary(exchange) else {
        return false;
    };
    if exchange.state() != ExchangeState::AwaitingReply {
        return false;
    }
    let mut x = exchange.clone();
    !x.feed_code(prelim).is_unexpected() && !x.feed_code(code).is_unexpected()
}

/// One control connection.
pub(crate) struct Control {
    id: u64,
    client: SocketAddr,
    server: SocketAddr,
    detection: Detection,
    started: bool,
    from_syn: bool,
    to_server: Reassembler,
    to_client: Reassembler,
    fins: [bool; 2],
    reset: bool,
    ended: bool,
    tls: bool,
    /// The command line being read: its bytes, first byte's time and offset.
    line: Vec<u8>,
    line_start: Option<(Timestamp, u64)>,
    /// Discarding to the next line end (after a gap, or a line too long).
    line_skip: bool,
    /// Where the last gap in the client's direction ended.
    client_gap_end: Option<u64>,
    line_cut: bool,
    /// Decoding replies (its configuration is the one each new decoder gets).
    decoder: ReplyDecoder,
    reply_buf: BytesMut,
    /// The server-stream offset of the decoder's first byte.
    decoder_base: u64,
    /// Where each delivered chunk in `reply_buf` starts, and when it was captured.
    chunk_times: VecDeque<(u64, Timestamp)>,
    /// After a gap in the server's direction: skipping to a reply line's start.
    reply_resync: bool,
    /// While resynchronising: the next byte starts a line (the last byte seen was
    /// an LF, or none was seen since the gap), or `reply_buf` holds a line start
    /// too short to judge.
    resync_line_start: bool,
    /// A gap in the server's direction since the last reply was paired.
    server_gap: bool,
    /// The client has sent a command while another awaited its reply, with no gap
    /// to explain it.
    pipelining: bool,
    /// Pairs commands with replies; made when the connection starts (boxed: a
    /// connection that never carries a byte, as in a SYN flood, holds none).
    session: Option<Box<Session>>,
    /// Commands read but not yet given to the session: they go to it in capture
    /// time order with the replies (a reply never answers a command sent after it
    /// began).
    outbox: VecDeque<Box<Pending>>,
    /// What the session's commands awaiting replies stand for, in its order (the
    /// greeting first while awaited), with their replies so far.
    pending: VecDeque<Box<Pending>>,
    expectations: Vec<Expect>,
    /// The engine has scheduled the end of this reset connection.
    pub linger_scheduled: bool,
}

impl Control {
    pub fn new(
        id: u64,
        client: SocketAddr,
        server: SocketAddr,
        detection: Detection,
        decoder_config: DecoderConfig,
    ) -> Control {
        Control {
            id,
            client,
            server,
            detection,
            started: false,
            from_syn: false,
            to_server: Reassembler::new(),
            to_client: Reassembler::new(),
            fins: [false; 2],
            reset: false,
            ended: false,
            tls: false,
            line: Vec::new(),
            line_start: None,
            line_skip: false,
            client_gap_end: None,
            line_cut: false,
            decoder: ReplyDecoder::with_config(decoder_config),
            reply_buf: BytesMut::new(),
            decoder_base: 0,
            chunk_times: VecDeque::new(),
            reply_resync: false,
            resync_line_start: false,
            server_gap: false,
            pipelining: false,
            session: None,
            outbox: VecDeque::new(),
            pending: VecDeque::new(),
            expectations: Vec::new(),
            linger_scheduled: false,
        }
    }

    pub fn id(&self) -> u64 {
        self.id
    }

    pub fn started(&self) -> bool {
        self.started
    }

    /// The server's first bytes are its greeting (the connection was found by it).
    pub fn expect_greeting(&mut self) {
        self.from_syn = true;
    }

    /// Both sides sent FIN.
    pub fn is_ended(&self) -> bool {
        self.fins[0] && self.fins[1]
    }

    /// A side sent RST (segments may still trail it in the capture).
    pub fn is_reset(&self) -> bool {
        self.reset
    }

    pub fn retransmitted(&self) -> u64 {
        self.to_server.retransmitted + self.to_client.retransmitted
    }

    /// Bytes this connection holds in buffers.
    pub fn buffered(&self) -> usize {
        self.to_server.held_bytes()
            + self.to_client.held_bytes()
            + self.to_server.history_bytes()
            + self.to_client.history_bytes()
            + self.line.capacity()
            + self.reply_buf.capacity()
    }

    /// Gives back room that holds no byte still to be read (a global limit was
    /// reached): both directions' histories of delivered bytes, which only serve
    /// to compare retransmissions, and the room of an empty command line or reply
    /// buffer. No byte of either stream is lost. Returns the bytes freed.
    pub fn give_back_room(&mut self) -> usize {
        let before = self.buffered();
        self.to_server.forget_history();
        self.to_client.forget_history();
        if self.line.is_empty() {
            self.line = Vec::new();
        }
        if self.reply_buf.is_empty() {
            self.reply_buf = BytesMut::new();
            if !self.decoder.is_mid_reply() {
                self.chunk_times = VecDeque::new();
            }
        }
        before.saturating_sub(self.buffered())
    }

    pub fn take_expectations(&mut self) -> Vec<Expect> {
        std::mem::take(&mut self.expectations)
    }

    /// Where `p`'s exchange stands: the session's, for a command given to it; for
    /// the greeting, its replies so far fed to a greeting exchange; for anything
    /// not given to the session yet, one before any reply.
    fn exchange(&self, p: &Pending) -> Exchange {
        if let (Some(handle), Some(session)) = (p.handle, self.session.as_ref())
            && let Some(exchange) = session.exchange(handle)
        {
            return exchange;
        }
        match &p.slot {
            Slot::Greeting => {
                let mut greeting = Exchange::greeting();
                for r in &p.replies {
                    let _ = greeting.feed(&r.reply);
                }
                greeting
            }
            Slot::Command(c) => Exchange::new(c.command),
            Slot::Lost { .. } | Slot::LostCommand => Exchange::new(unknown_command()),
        }
    }

    fn record(&self, ts: Timestamp, kind: RecordKind) -> Record {
        Record {
            conn: self.id,
            ts,
            client: self.client,
            server: self.server,
            kind,
        }
    }

    fn start(&mut self, ts: Timestamp, out: &mut VecDeque<Record>) {
        if self.started {
            return;
        }
        self.started = true;
        let config = SessionConfig {
            decoder: *self.decoder.config(),
            max_pending: MAX_PENDING,
            expect_greeting: self.from_syn,
        };
        if config.expect_greeting {
            self.pending.push_front(Pending::new(Slot::Greeting, ts));
        }
        self.session = Some(Box::new(Session::with_config(config)));
        out.push_back(self.record(
            ts,
            RecordKind::Start {
                detected: self.detection,
                from_syn: self.from_syn,
            },
        ));
    }

    /// Takes one segment of this connection.
    pub fn segment(&mut self, ts: Timestamp, seg: &Segment<'_>, out: &mut VecDeque<Record>) {
        let to_server = seg.src == self.client;
        if seg.syn {
            if to_server {
                self.to_server.syn(seg.seq);
                self.from_syn = true;
            } else {
                self.to_client.syn(seg.seq);
                // A SYN/ACK alone also shows the capture holds the start.
                self.from_syn = true;
            }
        }
        if seg.rst {
            self.reset = true;
        }
        let has_payload = !seg.payload.is_empty() || seg.missing > 0;
        if has_payload {
            self.start(ts, out);
        }
        // The acknowledgment first: it may show bytes of the other direction lost,
        // and those come before this segment's payload.
        if let Some(ack) = seg.ack
            && self.started
        {
            self.reassemble(!to_server, ts, out, |stream, piece| {
                stream.acked(ack, &mut |p| piece(p));
            });
        }
        self.reassemble(to_server, ts, out, |stream, piece| {
            stream.segment(ts, seg.seq, seg.payload, seg.missing, seg.fin, &mut |p| {
                piece(p);
            });
            if seg.fin {
                stream.finish(&mut |p| piece(p));
            }
        });
        if seg.fin {
            self.fins[usize::from(!to_server)] = true;
        }
    }

    /// Runs `f` on one direction's reassembler, with a function that handles each
    /// piece as the reassembler delivers it. The reassembler is taken out of
    /// `self` meanwhile (nothing a piece leads to reads it), so the bytes of a
    /// segment that arrives in order are handled where they lie, in the packet,
    /// with no copy and no list of pieces.
    fn reassemble(
        &mut self,
        to_server: bool,
        now: Timestamp,
        out: &mut VecDeque<Record>,
        f: impl FnOnce(&mut Reassembler, &mut dyn FnMut(Piece<'_>)),
    ) {
        let slot = if to_server {
            &mut self.to_server
        } else {
            &mut self.to_client
        };
        let mut stream = std::mem::take(slot);
        f(&mut stream, &mut |p| self.piece(to_server, now, p, out));
        let slot = if to_server {
            &mut self.to_server
        } else {
            &mut self.to_client
        };
        *slot = stream;
    }

    /// Handles one piece of a direction's stream; `now` is the time of the packet
    /// that brought it (a gap's or overlap's time).
    fn piece(
        &mut self,
        to_server: bool,
        now: Timestamp,
        piece: Piece<'_>,
        out: &mut VecDeque<Record>,
    ) {
        let direction = if to_server {
            Direction::ToServer
        } else {
            Direction::ToClient
        };
        match piece {
            Piece::Data { ts, offset, bytes } => {
                if self.tls {
                    return;
                }
                if to_server {
                    self.client_bytes(ts, offset, bytes);
                } else {
                    self.server_bytes(ts, offset, bytes, out);
                }
            }
            Piece::Gap { offset, len, cause } => {
                if !self.started {
                    self.start(now, out);
                }
                out.push_back(self.record(
                    now,
                    RecordKind::Gap {
                        direction,
                        offset,
                        len,
                        cause,
                    },
                ));
                if self.tls {
                    return;
                }
                if to_server {
                    self.client_gap(now, offset, len);
                } else {
                    self.server_gap(offset + len);
                }
            }
            Piece::Conflict { offset, len } => {
                out.push_back(self.record(
                    now,
                    RecordKind::Overlap {
                        direction,
                        offset,
                        len,
                    },
                ));
            }
        }
    }

    // ---- the client's direction: command lines ----

    fn client_bytes(&mut self, ts: Timestamp, offset: u64, bytes: &[u8]) {
        let mut at = 0;
        if self.line_skip && self.line.is_empty() && self.line_start.is_none() {
            // Just after a gap: keep the bytes if they start a command line.
            if looks_like_command_start(bytes) {
                self.line_skip = false;
            }
        }
        while at < bytes.len() {
            let rest = &bytes[at..];
            let nl = memchr::memchr(b'\n', rest);
            let part = &rest[..nl.map_or(rest.len(), |i| i + 1)];
            if self.line_skip {
                if nl.is_some() {
                    self.line_skip = false;
                }
                at += part.len();
                continue;
            }
            if self.line_start.is_none() {
                self.line_start = Some((ts, offset + at as u64));
            }
            let room = MAX_COMMAND_LINE.saturating_sub(self.line.len());
            if part.len() > room && nl.is_none_or(|i| i + 1 > room) {
                self.line.extend_from_slice(&part[..room]);
                self.line_cut = true;
                self.line_skip = nl.is_none();
                self.end_line(Some(false));
            } else {
                self.line.extend_from_slice(part);
                if nl.is_some() {
                    let cut = self.line_cut.then_some(false);
                    self.end_line(cut);
                }
            }
            at += part.len();
        }
    }

    fn end_line(&mut self, cut: Option<bool>) {
        let Some((ts, offset)) = self.line_start.take() else {
            return;
        };
        let mut line = std::mem::take(&mut self.line);
        self.line_cut = false;
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        // As the session reads it: Telnet commands before the verb (`IAC IP` before
        // `ABOR`) are dropped.
        let parsed = CommandLine::parse(&line).ok();
        let command = parsed
            .as_ref()
            .map_or_else(unknown_command, CommandLine::command);
        self.send(
            CommandRecord {
                ts,
                offset,
                line,
                command,
                cut_by_gap: cut,
            },
            parsed,
        );
    }

    fn client_gap(&mut self, ts: Timestamp, offset: u64, len: u64) {
        // A gap right after another (bytes the capture lost, then bytes shed at
        // the buffer limit) is one hole: it may hold commands whatever the first
        // part cut.
        let adjacent = self.client_gap_end == Some(offset);
        self.client_gap_end = Some(offset + len);
        let capacity = (len / MIN_COMMAND_LINE).max(1);
        if self.line_start.is_some() {
            // The gap cut the line being read: it is sent as far as it goes.
            self.end_line(Some(true));
        } else if adjacent
            && let Some(Pending {
                slot: Slot::Lost { capacity: held },
                ..
            }) = self.outbox.back_mut().map(|p| &mut **p)
        {
            *held += len / MIN_COMMAND_LINE;
        } else if adjacent || !self.line_skip {
            self.outbox
                .push_back(Pending::new(Slot::Lost { capacity }, ts));
        }
        self.line_skip = true;
    }

    /// Queues a command read, with its line as parsed (`None`: not a command line).
    fn send(&mut self, command: CommandRecord, parsed: Option<CommandLine>) {
        let ts = command.ts;
        let mut p = Pending::new(Slot::Command(command), ts);
        p.line = parsed;
        self.outbox.push_back(p);
    }

    /// Gives the session the commands read that were sent up to `until` (all of
    /// them for `None`).
    fn flush_outbox(&mut self, until: Option<Timestamp>, out: &mut VecDeque<Record>) {
        while self
            .outbox
            .front()
            .is_some_and(|p| until.is_none_or(|t| p.ts <= t))
        {
            let Some(p) = self.outbox.pop_front() else {
                return;
            };
            self.give(p, out);
        }
    }

    fn give(&mut self, mut p: Box<Pending>, out: &mut VecDeque<Record>) {
        if let Slot::Command(command) = &p.slot {
            // Pipelining: a command sent while another awaits its reply, not
            // during a transfer (where a command such as ABOR is usual) nor after a gap
            // in the server's direction (the reply may have been lost). Once
            // seen, it stays: the pending commands need no look.
            if !self.pipelining && !self.server_gap {
                let mut awaited = false;
                let mut during_transfer = false;
                for p in &self.pending {
                    match self.exchange(p).state() {
                        ExchangeState::AwaitingReply => {
                            awaited |= matches!(p.slot, Slot::Command(_) | Slot::Greeting);
                        }
                        ExchangeState::AwaitingFinalReply => {
                            during_transfer = true;
                            break;
                        }
                        _ => {}
                    }
                }
                self.pipelining = awaited && !during_transfer;
            }
            if matches!(command.command, Command::Port | Command::Eprt) {
                self.expect_active(command);
            }
        }
        // A line that is not a command, and a command lost in a gap, still await a
        // reply: as a verb with no reply table.
        let Some(line) = p
            .line
            .take()
            .or_else(|| CommandLine::new(unknown_command(), b"").ok())
        else {
            return;
        };
        // At the session's limit, the oldest command gives way.
        while self
            .session
            .as_ref()
            .is_some_and(|s| s.pending().len() >= s.config().max_pending)
        {
            let Some(i) = self.pending.iter().position(|p| p.handle.is_some()) else {
                return;
            };
            if let Some(old) = self.pending.remove(i) {
                self.abandon(old, ExchangeEnd::Unanswered, out);
            }
        }
        let Some(session) = self.session.as_mut() else {
            return;
        };
        match session.send(line) {
            Ok(handle) => {
                p.handle = Some(handle);
                self.pending.push_back(p);
            }
            Err(_) => {
                // The session closed (QUIT answered, 421): nothing answers it.
                self.emit(p, ExchangeEnd::Unanswered, out);
            }
        }
    }

    fn expect_active(&mut self, command: &CommandRecord) {
        let arg = command
            .line
            .splitn(2, |&b| b == b' ')
            .nth(1)
            .unwrap_or_default();
        let addr = if command.command == Command::Port {
            parse_port(arg)
        } else {
            parse_eprt(arg)
        };
        if let Some(addr) = addr {
            self.expect(addr, false);
        }
    }

    /// Notes a data connection announced to `addr`: to it, or to the same port
    /// at the address the capture shows for the side that announced it (a client
    /// or server behind NAT announces an address it is not seen at).
    fn expect(&mut self, addr: SocketAddr, passive: bool) {
        let announcer = if passive { self.server } else { self.client };
        let mut addrs = vec![addr];
        let seen = SocketAddr::new(announcer.ip(), addr.port());
        if seen != addr {
            addrs.push(seen);
        }
        self.expectations.push(Expect {
            control: self.id,
            client: self.client,
            server: self.server,
            passive,
            addrs,
        });
    }

    // ---- the server's direction: replies ----

    fn server_gap(&mut self, resume_at: u64) {
        // A reply cut by the gap is lost with it; decoding resumes at the next
        // line that starts a reply.
        self.reply_buf.clear();
        self.chunk_times.clear();
        self.decoder = ReplyDecoder::with_config(*self.decoder.config());
        self.decoder_base = resume_at;
        self.reply_resync = true;
        // The gap may end where a line starts.
        self.resync_line_start = true;
        self.server_gap = true;
    }

    fn server_bytes(
        &mut self,
        ts: Timestamp,
        offset: u64,
        bytes: &[u8],
        out: &mut VecDeque<Record>,
    ) {
        if self.reply_resync {
            // Skip to the first line that starts like a reply (three digits, then a
            // space, a hyphen or the line's end), keeping a line start that is too
            // short to judge: it is judged again with the bytes that follow it. A
            // segment that ends inside a line does not make the next one's first
            // bytes a line start.
            let mut line_start = self.resync_line_start;
            let mut held = std::mem::take(&mut self.reply_buf);
            let kept = held.len();
            held.extend_from_slice(bytes);
            let held_offset = offset - kept as u64;
            let mut at = 0;
            let found = loop {
                if at >= held.len() {
                    break None;
                }
                if line_start {
                    let rest = &held[at..];
                    match reply_start(rest) {
                        Some(true) => break Some(at),
                        None => break Some(at), // too short to judge: keep it
                        Some(false) => {}
                    }
                }
                match memchr::memchr(b'\n', &held[at..]) {
                    Some(i) => {
                        at += i + 1;
                        line_start = true;
                    }
                    None => {
                        at = held.len();
                        line_start = false;
                    }
                }
            };
            self.resync_line_start = line_start;
            match found {
                Some(at) if reply_start(&held[at..]) == Some(true) => {
                    self.reply_resync = false;
                    let start = held_offset + at as u64;
                    self.decoder = ReplyDecoder::with_config(*self.decoder.config());
                    self.decoder_base = start;
                    if at >= kept {
                        // The reply starts in these bytes; else it started in the
                        // kept line start, whose time `chunk_times` holds.
                        self.chunk_times.clear();
                        self.chunk_times.push_back((start, ts));
                    } else {
                        self.chunk_times.push_back((offset, ts));
                    }
                    self.reply_buf.extend_from_slice(&held[at..]);
                    self.decode(out);
                }
                Some(at) => {
                    // A short line start: wait for more.
                    if at >= kept {
                        self.chunk_times.clear();
                        self.chunk_times.push_back((held_offset + at as u64, ts));
                    } else {
                        self.chunk_times.push_back((offset, ts));
                    }
                    self.reply_buf.extend_from_slice(&held[at..]);
                }
                None => {}
            }
            return;
        }
        self.chunk_times.push_back((offset, ts));
        self.reply_buf.extend_from_slice(bytes);
        self.decode(out);
    }

    fn ts_at(&mut self, offset: u64) -> Timestamp {
        while self.chunk_times.len() > 1 && self.chunk_times[1].0 <= offset {
            self.chunk_times.pop_front();
        }
        self.chunk_times
            .front()
            .map_or(Timestamp::default(), |c| c.1)
    }

    fn decode(&mut self, out: &mut VecDeque<Record>) {
        self.decode_replies(false, out);
    }

    /// Decodes every reply the buffer holds (with `eof`, the stream's end: what
    /// is left is the decoder's `Truncated`) and hands each on.
    fn decode_replies(&mut self, eof: bool, out: &mut VecDeque<Record>) {
        let mut long = false;
        loop {
            if self.tls {
                self.reply_buf.clear();
                return;
            }
            let decoded = if eof {
                self.decoder.decode_eof(&mut self.reply_buf)
            } else {
                self.decoder.decode(&mut self.reply_buf)
            };
            match decoded {
                Ok(Some(reply)) => {
                    long |= reply.raw().len() > KEPT_REPLY_ROOM;
                    let end = self.decoder_base + self.decoder.stream_offset();
                    let offset = end - reply.raw().len() as u64;
                    let ts = self.ts_at(offset);
                    self.reply(ts, offset, reply, out);
                }
                Ok(None) => {
                    // A long reply shares its buffer (the reply keeps it while it
                    // lives); the buffer's room after it is not kept either, nor
                    // the times of its chunks once no reply is under way (the
                    // next byte read starts a chunk of its own).
                    if self.reply_buf.is_empty()
                        && (long || self.reply_buf.capacity() > KEPT_REPLY_ROOM)
                    {
                        self.reply_buf = BytesMut::new();
                        if !self.decoder.is_mid_reply() {
                            self.chunk_times = VecDeque::new();
                        }
                    }
                    return;
                }
                Err(e) => {
                    let offset = self.decoder_base + e.offset();
                    let ts = self.ts_at(offset);
                    self.stream_error(ts, offset, e, out);
                }
            }
        }
    }

    fn stream_error(
        &mut self,
        ts: Timestamp,
        offset: u64,
        e: crate::DecodeError,
        out: &mut VecDeque<Record>,
    ) {
        self.flush_outbox(Some(ts), out);
        // As the session would: an error about a reply the server did send ends
        // what was waiting for it; a line that is no reply answers nothing.
        let replaces_reply = !matches!(e, crate::DecodeError::InvalidReplyLine { .. });
        let Some(front) = self.pending.front_mut() else {
            out.push_back(self.record(ts, RecordKind::StreamError { offset, error: e }));
            return;
        };
        front.errors.push((offset, e));
        if replaces_reply && let Some(p) = self.pending.pop_front() {
            self.abandon(p, ExchangeEnd::Final, out);
        }
    }

    /// Gives up on the front slot: the gap swallowed its reply (or, for a lost
    /// command, the gap held no command awaiting one).
    fn drop_front(&mut self, out: &mut VecDeque<Record>) {
        if let Some(p) = self.pending.pop_front() {
            self.abandon(p, ExchangeEnd::LostInGap, out);
        }
    }

    /// Ends `p`, taken out of `pending`, with `end`: the session stops awaiting
    /// replies to its command.
    fn abandon(&mut self, p: Box<Pending>, end: ExchangeEnd, out: &mut VecDeque<Record>) {
        if let (Some(h), Some(session)) = (p.handle, self.session.as_mut()) {
            let _ = session.abandon(h);
        }
        self.emit(p, end, out);
    }

    /// After gaps, decides what a reply with `code` answers, ending the slots the
    /// gaps explain away: a command whose reply a gap in the server's direction
    /// swallowed, a lost command that was not one. Returns whether the reply is a
    /// final reply whose preliminary reply the gap swallowed.
    fn resync(&mut self, code: crate::ReplyCode, out: &mut VecDeque<Record>) -> bool {
        loop {
            let Some(front) = self.pending.front() else {
                return false;
            };
            let next = self.pending.get(1);
            match &front.slot {
                Slot::Lost { .. } => {
                    if let Some(next) = next {
                        let next_fits = fits(&self.exchange(next), code);
                        // A client that waits for each reply sent the next command
                        // only after the lost one was answered, so the gap held no
                        // command still awaiting a reply.
                        if next_fits || !self.pipelining {
                            self.drop_front(out);
                            continue;
                        }
                    }
                    return false;
                }
                Slot::Greeting => {
                    // A greeting the gap swallowed: the reply is the next command's.
                    let lost = self.server_gap
                        && front.replies.is_empty()
                        && next.is_some_and(|n| fits(&self.exchange(n), code))
                        && !fits(&self.exchange(front), code);
                    if !lost {
                        return false;
                    }
                    if let Some(session) = self.session.as_mut() {
                        session.abandon_greeting();
                    }
                    if let Some(p) = self.pending.pop_front() {
                        self.emit(p, ExchangeEnd::LostInGap, out);
                    }
                    continue;
                }
                Slot::LostCommand | Slot::Command(_) => {
                    if !self.server_gap {
                        return false;
                    }
                    let exchange = self.exchange(front);
                    let fits_front = fits(&exchange, code);
                    if !fits_front && fits_after_preliminary(&exchange, code) {
                        return true;
                    }
                    let later_fits = self.pending.iter().skip(1).any(|p| {
                        matches!(p.slot, Slot::Lost { .. }) || fits(&self.exchange(p), code)
                    });
                    let transfer = exchange.state() == ExchangeState::AwaitingFinalReply
                        && next.and_then(|n| n.command()).is_some_and(|c| {
                            matches!(c, Command::Abor | Command::Stat | Command::Noop)
                        });
                    let waits = next.is_some() && !self.pipelining && !transfer;
                    if (!fits_front && later_fits) || (fits_front && waits) {
                        self.drop_front(out);
                        continue;
                    }
                    return false;
                }
            }
        }
    }

    fn reply(&mut self, ts: Timestamp, offset: u64, reply: Reply, out: &mut VecDeque<Record>) {
        self.flush_outbox(Some(ts), out);
        let code = reply.code();
        // A final reply whose preliminary reply a gap swallowed is judged again
        // from where the front command's exchange stood before it.
        let mut preliminary_lost = self
            .resync(code, out)
            .then(|| self.pending.front())
            .flatten()
            .and_then(|p| Some((p.handle?, self.exchange(p))));
        self.server_gap = false;
        self.passive(&reply);
        let Some(session) = self.session.as_mut() else {
            return;
        };
        session.receive_reply(reply.clone(), offset);
        let mut answered = false;
        // Each event handled as the session gives it (handling one never calls
        // the session, so the events are the same as if all were taken first).
        while let Some(session) = self.session.as_mut() {
            let event = match session.next() {
                Ok(event) => event,
                Err(Interrupt::Io(Io::Output(_))) => continue,
                Err(Interrupt::Io(Io::NeedMoreInput)) | Err(Interrupt::Error(_)) => break,
            };
            match event {
                Event::Greeting {
                    reply,
                    outcome,
                    done,
                    ..
                } => {
                    answered = true;
                    let Some(p) = self
                        .pending
                        .iter_mut()
                        .find(|p| matches!(p.slot, Slot::Greeting))
                    else {
                        continue;
                    };
                    p.replies.push(ReplyRecord {
                        ts,
                        offset,
                        reply,
                        outcome,
                    });
                    if done
                        && let Some(i) = self
                            .pending
                            .iter()
                            .position(|p| matches!(p.slot, Slot::Greeting))
                        && let Some(p) = self.pending.remove(i)
                    {
                        self.emit(p, ExchangeEnd::Final, out);
                    }
                }
                Event::Reply {
                    handle,
                    reply,
                    outcome,
                    done,
                    ..
                } => {
                    answered = true;
                    self.answer(
                        handle,
                        ts,
                        offset,
                        reply,
                        outcome,
                        done,
                        preliminary_lost
                            .take_if(|(h, _)| *h == handle)
                            .map(|(_, x)| x),
                        out,
                    );
                }
                Event::Unsolicited { reply, .. } => {
                    answered = true;
                    self.unsolicited(ts, offset, reply, out);
                }
                Event::Unanswered { handle, .. } => {
                    self.end_handle(handle, ExchangeEnd::Unanswered, out)
                }
                Event::Closed { unanswered, .. } => {
                    for (handle, _) in unanswered {
                        self.end_handle(handle, ExchangeEnd::Unanswered, out);
                    }
                }
                Event::StreamError { error, .. } => {
                    // Not expected: the session is given whole replies only.
                    out.push_back(self.record(ts, RecordKind::StreamError { offset, error }));
                }
            }
        }
        if !answered {
            // The session closed before this reply (after QUIT, after 421).
            self.unsolicited(ts, offset, reply, out);
        }
    }

    fn end_handle(&mut self, handle: CommandHandle, end: ExchangeEnd, out: &mut VecDeque<Record>) {
        if let Some(i) = self.pending.iter().position(|p| p.handle == Some(handle))
            && let Some(p) = self.pending.remove(i)
        {
            self.emit(p, end, out);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn answer(
        &mut self,
        handle: CommandHandle,
        ts: Timestamp,
        offset: u64,
        reply: Reply,
        outcome: crate::Outcome,
        done: bool,
        before_lost_preliminary: Option<Exchange>,
        out: &mut VecDeque<Record>,
    ) {
        let Some(i) = self.pending.iter().position(|p| p.handle == Some(handle)) else {
            return;
        };
        if let Slot::Lost { capacity } = self.pending[i].slot {
            // The reply answers a command lost in the gap; the gap may have held more.
            self.pending[i].slot = Slot::LostCommand;
            if capacity > 1 {
                let lost_ts = self.pending[i].ts;
                self.outbox.push_front(Pending::new(
                    Slot::Lost {
                        capacity: capacity - 1,
                    },
                    lost_ts,
                ));
            }
        }
        let p = &mut self.pending[i];
        let mut outcome = outcome;
        if let Some(mut exchange) = before_lost_preliminary {
            // Judged as if the preliminary reply the gap swallowed had come (the
            // session judged it without: the same end, another outcome).
            p.preliminary_lost = true;
            if let Some(prelim) = first_preliminary(&exchange) {
                let _ = exchange.feed_code(prelim);
            }
            outcome = exchange.feed(&reply);
        }
        let auth_tls = reply.code().as_u16() == 234 && p.command() == Some(Command::Auth);
        p.replies.push(ReplyRecord {
            ts,
            offset,
            reply,
            outcome,
        });
        if done && let Some(p) = self.pending.remove(i) {
            self.emit(p, ExchangeEnd::Final, out);
        }
        if auth_tls {
            self.tls = true;
            out.push_back(self.record(ts, RecordKind::Tls));
            while let Some(p) = self.pending.pop_front() {
                self.emit(p, ExchangeEnd::Encrypted, out);
            }
            while let Some(p) = self.outbox.pop_front() {
                self.emit(p, ExchangeEnd::Encrypted, out);
            }
            self.reply_buf.clear();
            self.line.clear();
            self.line_start = None;
        }
    }

    fn unsolicited(
        &mut self,
        ts: Timestamp,
        offset: u64,
        reply: Reply,
        out: &mut VecDeque<Record>,
    ) {
        let mut x = Exchange::new(unknown_command());
        let outcome = x.feed(&reply);
        out.push_back(self.record(
            ts,
            RecordKind::Exchange(Box::new(ExchangeRecord {
                kind: ExchangeKind::Unsolicited,
                command: None,
                replies: vec![ReplyRecord {
                    ts,
                    offset,
                    reply,
                    outcome,
                }],
                errors: Vec::new(),
                end: ExchangeEnd::Final,
                preliminary_lost: false,
            })),
        ));
    }

    fn passive(&mut self, reply: &Reply) {
        let addr = match reply.code().as_u16() {
            227 => reply.passive_addr().ok().map(SocketAddr::V4),
            228 => reply.long_passive_addr().ok(),
            229 => reply
                .extended_passive_port()
                .ok()
                .map(|port| SocketAddr::new(self.server.ip(), port)),
            _ => None,
        };
        if let Some(addr) = addr {
            self.expect(addr, true);
        }
    }

    fn emit(&self, p: Box<Pending>, end: ExchangeEnd, out: &mut VecDeque<Record>) {
        let p = *p;
        let (kind, command) = match p.slot {
            Slot::Greeting => (ExchangeKind::Greeting, None),
            Slot::Command(c) => (ExchangeKind::Command, Some(c)),
            Slot::Lost { .. } => return,
            Slot::LostCommand => (ExchangeKind::LostCommand, None),
        };
        if kind == ExchangeKind::Greeting
            && p.replies.is_empty()
            && p.errors.is_empty()
            && end != ExchangeEnd::LostInGap
        {
            return;
        }
        let ts = command
            .as_ref()
            .map(|c| c.ts)
            .or_else(|| p.replies.first().map(|r| r.ts))
            .unwrap_or(p.ts);
        out.push_back(self.record(
            ts,
            RecordKind::Exchange(Box::new(ExchangeRecord {
                kind,
                command,
                replies: p.replies,
                errors: p.errors,
                end,
                preliminary_lost: p.preliminary_lost,
            })),
        ));
    }

    /// Frees what this connection holds (a global limit was reached): held
    /// segments are dropped and each direction moves on past them, the bytes
    /// dropped and the holes before them reported as gaps, once, and read as any
    /// gap is (the pairing resynchronised after them). Returns the bytes freed.
    pub fn shed(&mut self, ts: Timestamp, out: &mut VecDeque<Record>) -> usize {
        let before = self.buffered();
        for to_server in [true, false] {
            self.reassemble(to_server, ts, out, |stream, piece| {
                stream.shed(&mut |p| piece(p));
            });
        }
        before.saturating_sub(self.buffered())
    }

    /// Ends the connection: flushes both directions, then ends every command still
    /// awaiting replies.
    pub fn finish(&mut self, ts: Timestamp, reason: EndReason, out: &mut VecDeque<Record>) {
        if self.ended {
            return;
        }
        self.ended = true;
        if !self.started {
            return;
        }
        for to_server in [true, false] {
            self.reassemble(to_server, ts, out, |stream, piece| {
                stream.finish(&mut |p| piece(p));
            });
        }
        if !self.tls {
            // A line the client did not end, and a reply the server did not.
            if self.line_start.is_some() {
                self.end_line(None);
            }
            self.flush_outbox(None, out);
            if !self.reply_resync {
                self.decode_replies(true, out);
            }
        }
        self.flush_outbox(None, out);
        while let Some(p) = self.pending.pop_front() {
            self.emit(p, ExchangeEnd::Unanswered, out);
        }
        let reason = if self.reset && reason != EndReason::Evicted {
            EndReason::Reset
        } else {
            reason
        };
        out.push_back(self.record(
            ts,
            RecordKind::End {
                reason,
                client_bytes: self.to_server.offset(),
                server_bytes: self.to_client.offset(),
            },
        ));
    }
}

/// Whether `line` starts as the decoder reads a reply's first line (a reply code,
/// then a space, a hyphen or the line's end: `crate::parse::reply_head`);
/// `None` when too short to tell. Telnet commands before the code are not
/// looked through.
fn reply_start(line: &[u8]) -> Option<bool> {
    use crate::parse::{Head, reply_head};
    // The head's grammar looks at five content bytes at most: a line ending
    // further on does not change its answer.
    const HEAD: usize = 6;
    let head = &line[..line.len().min(HEAD)];
    let judged = match memchr::memchr(b'\n', head) {
        // As the decoder does: a CR just before the LF is the line ending.
        Some(lf) => {
            let content = &head[..lf];
            reply_head(content.strip_suffix(b"\r").unwrap_or(content), true)
        }
        None => reply_head(head, false),
    };
    match judged {
        Head::Valid(..) => Some(true),
        Head::Incomplete => None,
        Head::Invalid { .. } => Some(false),
    }
}

/// Whether `bytes` start with a known command verb and a space or line end.
pub(crate) fn looks_like_command_start(bytes: &[u8]) -> bool {
    let end = bytes
        .iter()
        .take(crate::MAX_VERB_LEN + 1)
        .position(|&b| matches!(b, b' ' | b'\r' | b'\n'));
    end.is_some_and(|end| Command::from_verb(&bytes[..end]).is_ok_and(|c| c.is_known()))
}

/// `PORT h1,h2,h3,h4,p1,p2` (RFC 959): the numbers a 227 carries.
fn parse_port(arg: &[u8]) -> Option<SocketAddr> {
    crate::payload::parse_pasv(arg).ok().map(SocketAddr::V4)
}

/// `EPRT |af|addr|port|` (RFC 2428).
fn parse_eprt(arg: &[u8]) -> Option<SocketAddr> {
    let text = std::str::from_utf8(arg).ok()?.trim();
    let delim = text.chars().next()?;
    let mut parts = text[delim.len_utf8()..].split(delim);
    let _af = parts.next()?;
    let ip: IpAddr = parts.next()?.parse().ok()?;
    let port: u16 = parts.next()?.parse().ok()?;
    Some(SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `reply_start` takes a line for a reply's start exactly when the decoder,
    /// given the whole line, decodes a reply from it; and answers `None` only for
    /// what a reply's first line may still become.
    #[test]
    fn reply_start_agrees_with_the_decoder() {
        let digits = [b'0', b'1', b'2', b'5', b'6', b'7', b'9', b'a'];
        let seps: [&[u8]; 7] = [b" ", b"-", b"\r\n", b"\n", b"\r", b"\rx", b"x"];
        let mut starts = 0;
        for &a in &digits {
            for &b in &digits[..3] {
                for &c in &digits[..3] {
                    for sep in seps {
                        let mut line = vec![a, b, c];
                        line.extend_from_slice(sep);
                        if !line.ends_with(b"\n") {
                            line.extend_from_slice(b" text\r\n");
                        }
                        let mut buf = BytesMut::from(&line[..]);
                        let decoded = ReplyDecoder::new().decode(&mut buf);
                        let single = !line[3..].starts_with(b"-");
                        let expected = if single {
                            matches!(decoded, Ok(Some(_)))
                        } else {
                            // A multi-line reply's first line: the decoder waits for
                            // more instead of failing.
                            decoded == Ok(None)
                        };
                        assert_eq!(
                            reply_start(&line),
                            Some(expected),
                            "{:?}",
                            String::from_utf8_lossy(&line)
                        );
                        starts += usize::from(expected);
                        // Every shorter prefix of an accepted line awaits more.
                        if expected {
                            for n in 0..4.min(line.len() - 1) {
                                assert_eq!(reply_start(&line[..n]), None, "{line:?}[..{n}]");
                            }
                        }
                    }
                }
            }
        }
        // 1-6 first: 4 of the digits above, 9 codes each, 4 separators.
        assert_eq!(starts, 4 * 9 * 4);
        assert_eq!(reply_start(b"999 x\r\n"), Some(false));
        assert_eq!(reply_start(b"000 x\r\n"), Some(false));
        assert_eq!(reply_start(b"220\r"), None);
    }
}
