//! The control connection as a sans-IO state machine: commands in, bytes out, bytes
//! in, every reply matched to the command it answers.
//!
//! A [`Session`] owns no socket and no clock. The driver gives it the commands to
//! send ([`Session::send`], which returns a [`CommandHandle`]) and the bytes the
//! server sent ([`Session::enqueue_input`], [`Session::enqueue_eof`]), and calls
//! [`Session::next`] until it returns [`Io::NeedMoreInput`]: each call returns an
//! [`Event`] (a reply, with the handle of the command it answers), bytes to write
//! ([`Io::Output`]), or an error.
//!
//! ```
//! use ftp_reply::{Command, CommandLine, Outcome};
//! use ftp_reply::session::{Event, Interrupt, Io, Session};
//!
//! let mut session = Session::new();
//! let user = session.send(CommandLine::new(Command::User, b"anonymous")?)?;
//! // What the server sent, in whatever pieces the socket gave.
//! session.enqueue_input(b"220 ready\r\n331 Please spec");
//! session.enqueue_input(b"ify the password.\r\n");
//!
//! let mut written = Vec::new();
//! let mut events = Vec::new();
//! loop {
//!     match session.next() {
//!         Ok(event) => events.push(event),
//!         Err(Interrupt::Io(Io::Output(bytes))) => written.extend_from_slice(&bytes),
//!         Err(Interrupt::Io(Io::NeedMoreInput)) => break,
//!         Err(other) => panic!("{other:?}"),
//!     }
//! }
//! assert_eq!(written, b"USER anonymous\r\n");
//! assert!(matches!(events[0], Event::Greeting { done: true, .. }));
//! match &events[1] {
//!     Event::Reply { handle, reply, outcome, done, .. } => {
//!         assert_eq!(*handle, user);
//!         assert_eq!(reply.code().as_u16(), 331);
//!         assert_eq!(*outcome, Outcome::SendNext(&[Command::Pass]));
//!         assert!(*done);
//!     }
//!     other => panic!("{other:?}"),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Pairing
//! Replies answer commands in the order the commands were sent (RFC 959 §4.2: "the
//! server [...] sends replies in the order the commands were received"), the
//! greeting before all of them. Commands may be sent before the greeting and
//! before earlier commands are answered (pipelining); at most
//! [`SessionConfig::max_pending`] await replies at once. Each command's replies
//! are judged by an [`Exchange`]: a `1yz` leaves the command waiting for its final
//! reply (`done: false`), `110` restart markers may come in between, and the reply
//! that ends the exchange pops the command (`done: true`). Bytes given to
//! [`enqueue_input`](Session::enqueue_input) before a command was given to
//! [`send`](Session::send) were received before it was written, so they never
//! answer it: a reply that begins there goes to no command
//! ([`Event::Unsolicited`]), which keeps a server that answers one command twice
//! (`OPTS MLST`) from shifting the pairs after it. A reply the documents
//! do not list for the command waiting (`227` to `EPSV`, `200` where `250` is
//! listed) is still that command's reply, with [`Outcome::Unexpected`]: a server
//! that answers oddly never shifts every later pair.
//!
//! # ABOR
//! RFC 959 §4.1.3 gives `ABOR` two replies when a transfer is in progress: `426`
//! to the transfer, then `226` to `ABOR`; when the transfer had completed, its own
//! `226` and then `226` (or `225`) to `ABOR`. Both fit in-order pairing as they are.
//! Some servers send one reply only (the transfer's): `ABOR` then waits. When the
//! next reply is not one `ABOR` can get but is one the command after `ABOR` can
//! (a `200` to a following `NOOP`), the session gives up on `ABOR`
//! ([`Event::Unanswered`]) and gives the reply to that command. When no command
//! follows, nothing tells the session that no reply will come: a driver that
//! waits for `ABOR`'s reply should do so with a timeout and then
//! [`abandon`](Session::abandon) it.
//!
//! # Stream errors
//! The decoder's errors come as [`Event::StreamError`], naming the command that
//! was waiting. An error about a reply's size or line endings
//! ([`LineTooLong`](DecodeError::LineTooLong), [`ReplyTooLarge`](DecodeError::ReplyTooLarge),
//! [`TooManyLines`](DecodeError::TooManyLines), [`BareLineFeed`](DecodeError::BareLineFeed),
//! [`Truncated`](DecodeError::Truncated)) stands for a reply the server did send,
//! which the decoder dropped: it ends the waiting command (`done: true`), and the
//! next reply goes to the next command. A line that is not a reply at all
//! ([`InvalidReplyLine`](DecodeError::InvalidReplyLine): junk, a line after a
//! single-line reply that should have been a multi-line one) answers nothing: the
//! command goes on waiting (`done: false`).
//!
//! # Closing
//! A `421` ends the session whenever it comes (as the greeting, as a reply, or
//! unsolicited), a positive reply to `QUIT` ends it, and so does the end of the
//! stream, after the decoder's [`Truncated`](DecodeError::Truncated) if it ended
//! inside a reply. [`Event::Closed`] lists the commands left unanswered; then
//! `next` returns [`SessionError::Closed`].

mod event;

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use bytes::BytesMut;

pub use event::{CloseReason, CommandHandle, Event, Interrupt, Io, SessionError};

use crate::command::Command;
use crate::decoder::{DecoderConfig, ReplyDecoder};
use crate::encode::CommandLine;
use crate::error::DecodeError;
use crate::exchange::{Exchange, ExchangeState, Outcome};
use crate::reply::Reply;

/// A session's limits and expectations.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SessionConfig {
    /// How replies are framed and bounded.
    pub decoder: DecoderConfig,
    /// The most commands that may await replies at once; past it
    /// [`Session::send`] returns [`SessionError::TooManyPending`]. Default 64.
    /// Bounds the session's memory: each waiting command holds its line until it
    /// is written and a small record until it is answered.
    pub max_pending: usize,
    /// Whether the server's first reply is a greeting that answers no command
    /// (true, the default, for a new connection; false to join a connection
    /// already under way, as a capture may).
    pub expect_greeting: bool,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            decoder: DecoderConfig::default(),
            max_pending: 64,
            expect_greeting: true,
        }
    }
}

/// A command awaiting replies: 32 bytes, with only the state of its
/// [`Exchange`] (built again for each reply, at no cost).
#[derive(Debug, Clone)]
struct Pending {
    handle: CommandHandle,
    command: Command,
    state: ExchangeState,
    /// Stream offset of the first input byte enqueued after the command was sent:
    /// bytes before it were received before the command was written, so they
    /// cannot answer it.
    mark: u64,
}

impl Pending {
    fn exchange(&self) -> Exchange {
        Exchange::resume(self.command, self.state)
    }

    /// Judges `reply` (the reply inside a protected reply when `protected`):
    /// its outcome, and whether the command is done.
    #[inline(always)]
    fn feed(&mut self, reply: &Reply, protected: bool) -> (Outcome, bool) {
        let mut exchange = self.exchange();
        let outcome = if protected {
            exchange.feed_protected(reply)
        } else {
            exchange.feed(reply)
        };
        self.state = exchange.state();
        (outcome, exchange.is_finished())
    }
}

/// The control connection of one FTP client, without I/O; see the
/// [module documentation](self).
#[derive(Debug, Clone)]
pub struct Session {
    config: SessionConfig,
    decoder: ReplyDecoder,
    input: BytesMut,
    /// How many input bytes were enqueued in all.
    received: u64,
    eof: bool,
    output: BytesMut,
    /// The greeting's exchange while it is awaited.
    greeting: Option<Exchange>,
    pending: VecDeque<Pending>,
    next_handle: u64,
    /// Events produced ahead of being returned (a reply and then `Closed`).
    queued: VecDeque<Event>,
    /// Whether `Closed` was produced.
    closed: bool,
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

impl Session {
    /// A session for a new connection, with the default [`SessionConfig`].
    #[must_use]
    pub fn new() -> Session {
        Session::with_config(SessionConfig::default())
    }

    /// A session with the given limits and expectations.
    #[must_use]
    pub fn with_config(config: SessionConfig) -> Session {
        Session {
            decoder: ReplyDecoder::with_config(config.decoder),
            greeting: config.expect_greeting.then(Exchange::greeting),
            config,
            input: BytesMut::new(),
            received: 0,
            eof: false,
            output: BytesMut::new(),
            pending: VecDeque::new(),
            next_handle: 0,
            queued: VecDeque::new(),
            closed: false,
        }
    }

    /// The configuration in use.
    #[must_use]
    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    /// Queues `line` to be written ([`Io::Output`]); from now on it awaits replies.
    ///
    /// # Errors
    ///
    /// [`SessionError::Closed`] after the session closed,
    /// [`SessionError::TooManyPending`] when [`SessionConfig::max_pending`]
    /// commands already await replies.
    pub fn send(&mut self, line: CommandLine) -> Result<CommandHandle, SessionError> {
        if self.closed {
            return Err(SessionError::Closed);
        }
        if self.pending.len() >= self.config.max_pending {
            return Err(SessionError::TooManyPending {
                limit: self.config.max_pending,
            });
        }
        let handle = CommandHandle(self.next_handle);
        self.next_handle += 1;
        self.output.extend_from_slice(line.as_bytes());
        self.pending.push_back(Pending {
            handle,
            command: line.command(),
            state: ExchangeState::AwaitingReply,
            mark: self.received,
        });
        Ok(handle)
    }

    /// Gives the session bytes the server sent, in order, in any pieces. They are
    /// decoded by [`next`](Self::next); call it until it returns
    /// [`Io::NeedMoreInput`] before reading more. Ignored once the session is closed.
    pub fn enqueue_input(&mut self, bytes: &[u8]) {
        if !self.closed && !self.eof {
            self.input.extend_from_slice(bytes);
            self.received += bytes.len() as u64;
        }
    }

    /// Gives the session a reply its driver decoded itself (a capture reader that
    /// must see each reply before deciding what a gap in the capture lost), as if
    /// its bytes had come through [`enqueue_input`](Self::enqueue_input): it is
    /// paired and judged the same way, and the events come from
    /// [`next`](Self::next) (the reply's own event, and any [`Event::Unanswered`]
    /// or [`Event::Closed`] it causes) before anything is decoded from the input.
    /// `offset` is the stream offset of the reply's first byte; a driver that uses
    /// this gives the session no input bytes, and reports input positions through
    /// `offset` alone (the bytes before a command's [`send`](Self::send) are those
    /// below the largest offset plus length given so far).
    ///
    /// Ignored once the session is closed.
    pub fn receive_reply(&mut self, reply: Reply, offset: u64) {
        if self.closed {
            return;
        }
        let end = offset + reply.raw().len() as u64;
        self.received = self.received.max(end);
        // `on_reply_at` expects no events waiting: it returns the first event in
        // stream order and leaves the ones after it queued.
        let earlier = core::mem::take(&mut self.queued);
        let first = self.on_reply_at(reply, offset);
        let later = core::mem::replace(&mut self.queued, earlier);
        // Room for these events alone, not a queue's usual four: a capture reader
        // keeps a session per connection, and most replies bring one event.
        self.queued.reserve_exact(1 + later.len());
        self.queued.push_back(first);
        self.queued.extend(later);
    }

    /// Tells the session that the server closed its side: what is left in the
    /// input is decoded, and then the session closes.
    pub fn enqueue_eof(&mut self) {
        self.eof = true;
    }

    /// Stops waiting for replies to `handle`, for a command the driver decided
    /// will never be answered (after a timeout). Replies that come later go to the
    /// commands after it.
    ///
    /// # Errors
    ///
    /// [`SessionError::NotPending`] when no command with that handle awaits a reply.
    pub fn abandon(&mut self, handle: CommandHandle) -> Result<Command, SessionError> {
        let i = self.position(handle)?;
        self.pending
            .remove(i)
            .map(|pending| pending.command)
            .ok_or(SessionError::NotPending { handle })
    }

    /// Gives the reply found inside a protected reply (`631`–`633`, RFC 2228) to
    /// the command `handle` it answers, after [`Event::Reply`] brought the
    /// protected reply with [`Outcome::Protected`]. Returns the inner reply's
    /// outcome and whether the command is done.
    ///
    /// # Errors
    ///
    /// [`SessionError::NotPending`] when no command with that handle awaits a reply.
    pub fn unprotected(
        &mut self,
        handle: CommandHandle,
        inner: &Reply,
    ) -> Result<(Outcome, bool), SessionError> {
        let i = self.position(handle)?;
        let pending = &mut self.pending[i];
        let (outcome, done) = pending.feed(inner, true);
        if done {
            self.pending.remove(i);
        }
        if inner.code().closes_control_connection() {
            self.close(CloseReason::ServiceClosing);
        }
        Ok((outcome, done))
    }

    fn position(&self, handle: CommandHandle) -> Result<usize, SessionError> {
        self.pending
            .iter()
            .position(|p| p.handle == handle)
            .ok_or(SessionError::NotPending { handle })
    }

    /// The exchange of the command `handle` as it stands: the command, and where
    /// its replies so far have brought it (awaiting a reply, or its final reply
    /// after a `1yz`). `None` once no command with that handle awaits a reply
    /// (answered, abandoned, or the session closed). The session keeps each
    /// waiting command's state alone, so the exchange is built on each call.
    ///
    /// ```
    /// use ftp_reply::session::{Interrupt, Io, SessionConfig, Session};
    /// use ftp_reply::{Command, CommandLine, ExchangeState};
    ///
    /// let mut config = SessionConfig::default();
    /// config.expect_greeting = false;
    /// let mut session = Session::with_config(config);
    /// let retr = session.send(CommandLine::new(Command::Retr, b"file")?)?;
    /// let drain = |session: &mut Session| loop {
    ///     match session.next() {
    ///         Err(Interrupt::Io(Io::NeedMoreInput)) => break,
    ///         Err(Interrupt::Error(e)) => panic!("{e:?}"),
    ///         _ => {}
    ///     }
    /// };
    /// drain(&mut session);
    /// let exchange = session.exchange(retr).unwrap();
    /// assert_eq!(exchange.command(), Some(Command::Retr));
    /// assert_eq!(exchange.state(), ExchangeState::AwaitingReply);
    ///
    /// session.enqueue_input(b"150 Opening data connection.\r\n");
    /// drain(&mut session);
    /// assert_eq!(session.exchange(retr).unwrap().state(), ExchangeState::AwaitingFinalReply);
    ///
    /// session.enqueue_input(b"226 Transfer complete.\r\n");
    /// drain(&mut session);
    /// assert!(session.exchange(retr).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn exchange(&self, handle: CommandHandle) -> Option<Exchange> {
        self.pending
            .iter()
            .find(|p| p.handle == handle)
            .map(Pending::exchange)
    }

    /// The commands awaiting replies, the one the next reply answers first.
    pub fn pending(&self) -> impl ExactSizeIterator<Item = (CommandHandle, Command)> + '_ {
        self.pending.iter().map(|p| (p.handle, p.command))
    }

    /// Stops waiting for the greeting (for a reader that knows it was lost, as a
    /// capture with a gap may): the next reply goes to the first command. Returns
    /// whether the greeting was still awaited.
    pub fn abandon_greeting(&mut self) -> bool {
        self.greeting.take().is_some()
    }

    /// Whether the greeting is still awaited.
    #[must_use]
    pub fn awaits_greeting(&self) -> bool {
        self.greeting.is_some()
    }

    /// Whether the session is over ([`Event::Closed`] was produced).
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Stream offset of the next input byte to decode: how many bytes of the
    /// server's stream have been taken as replies or dropped.
    #[must_use]
    pub fn stream_offset(&self) -> u64 {
        self.decoder.stream_offset()
    }

    /// How many bytes were enqueued and not yet decoded. After a reply that
    /// changes how the stream is read (`234` to `AUTH TLS`: TLS starts right
    /// after it), any such byte came before the change and must not be taken as
    /// coming after it.
    #[must_use]
    pub fn buffered_input(&self) -> usize {
        self.input.len()
    }

    /// The next thing that happened, or the I/O needed before anything can: first
    /// any bytes to write, then the events from the input in stream order.
    ///
    /// # Errors
    ///
    /// [`Interrupt::Io`] for I/O to do; [`Interrupt::Error`] with
    /// [`SessionError::Closed`] once [`Event::Closed`] was returned.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Event, Interrupt> {
        if let Some(event) = self.queued.pop_front() {
            return Ok(event);
        }
        if self.closed {
            // Nothing is queued after `Closed`: the queue's room is given back.
            self.queued = VecDeque::new();
            return Err(Interrupt::Error(SessionError::Closed));
        }
        if !self.output.is_empty() {
            return Err(Interrupt::Io(Io::Output(self.output.split().freeze())));
        }
        let decoded = if self.eof {
            self.decoder.decode_eof(&mut self.input)
        } else {
            self.decoder.decode(&mut self.input)
        };
        match decoded {
            Ok(Some(reply)) => Ok(self.on_reply(reply)),
            Ok(None) if self.eof => {
                self.close(CloseReason::EndOfStream);
                self.queued
                    .pop_front()
                    .ok_or(Interrupt::Error(SessionError::Closed))
            }
            Ok(None) => Err(Interrupt::Io(Io::NeedMoreInput)),
            Err(error) => Ok(self.on_error(error)),
        }
    }

    fn on_reply(&mut self, reply: Reply) -> Event {
        let offset = self.decoder.stream_offset() - reply.raw().len() as u64;
        self.on_reply_at(reply, offset)
    }

    fn on_reply_at(&mut self, reply: Reply, offset: u64) -> Event {
        let code = reply.code();
        // The common case, with the event built where it is returned: a reply
        // while a command waits that is not an `ABOR` that might go unanswered,
        // with nothing queued ahead of it and the connection not closing.
        if self.greeting.is_none()
            && self.queued.is_empty()
            && !code.closes_control_connection()
            && self
                .pending
                .front()
                .is_some_and(|front| front.command != Command::Abor)
        {
            return self.answer_front(reply, offset);
        }
        let event = if let Some(greeting) = &mut self.greeting {
            let outcome = greeting.feed(&reply);
            let done = greeting.is_finished();
            if done {
                self.greeting = None;
            }
            Event::Greeting {
                reply,
                outcome,
                done,
                offset,
            }
        } else {
            self.skip_unanswered_abor(&reply, offset);
            self.answer_front(reply, offset)
        };
        if code.closes_control_connection() {
            self.close(CloseReason::ServiceClosing);
        }
        // Events queued by this reply (an `Unanswered` before it, `Closed` after
        // it) keep stream order around it.
        match self.queued.pop_front() {
            Some(first @ Event::Unanswered { .. }) => {
                let before = self
                    .queued
                    .iter()
                    .take_while(|e| matches!(e, Event::Unanswered { .. }))
                    .count();
                self.queued.insert(before, event);
                first
            }
            Some(other) => {
                self.queued.push_front(other);
                event
            }
            None => event,
        }
    }

    /// `reply` (which began at `offset`) as the answer to the front command: judged,
    /// and the command taken off the queue when done (and the session closed after
    /// `QUIT` succeeded). Unsolicited when no command waits, or when the reply
    /// began before the front command was sent (a second reply to a command
    /// already answered).
    #[inline(always)]
    fn answer_front(&mut self, reply: Reply, offset: u64) -> Event {
        let Some(front) = self
            .pending
            .front_mut()
            .filter(|front| front.mark <= offset)
        else {
            return Event::Unsolicited { reply, offset };
        };
        let handle = front.handle;
        let command = front.command;
        let (outcome, done) = front.feed(&reply, false);
        if done {
            self.pending.pop_front();
            if command == Command::Quit && reply.code().is_completion() {
                self.close(CloseReason::Quit);
            }
        }
        Event::Reply {
            handle,
            command,
            reply,
            outcome,
            done,
            offset,
        }
    }

    /// `ABOR` answered once (see [the module docs](self#abor)): when `ABOR` has had
    /// no reply, `reply` is not one it can get, and the command after it can (and
    /// was sent before the reply began, so `ABOR` was too), `ABOR` is given up.
    fn skip_unanswered_abor(&mut self, reply: &Reply, offset: u64) {
        let code = reply.code();
        if code.closes_control_connection() {
            return;
        }
        let (Some(front), Some(next)) = (self.pending.front(), self.pending.get(1)) else {
            return;
        };
        if front.command != Command::Abor
            || front.state != ExchangeState::AwaitingReply
            || fits(&front.exchange(), reply)
            || !fits(&next.exchange(), reply)
            || next.mark > offset
        {
            return;
        }
        let Some(front) = self.pending.pop_front() else {
            return;
        };
        self.queued.push_back(Event::Unanswered {
            handle: front.handle,
            command: front.command,
        });
    }

    fn on_error(&mut self, error: DecodeError) -> Event {
        // Errors about a reply the server did send end what was waiting for it.
        let replaces_reply = !matches!(error, DecodeError::InvalidReplyLine { .. });
        if self.greeting.is_some() {
            if replaces_reply {
                self.greeting = None;
            }
            return Event::StreamError {
                error,
                handle: None,
                done: replaces_reply,
            };
        }
        let handle = self
            .pending
            .front()
            .filter(|p| p.mark <= error.offset())
            .map(|p| p.handle);
        if replaces_reply && handle.is_some() {
            self.pending.pop_front();
        }
        Event::StreamError {
            error,
            handle,
            done: replaces_reply && handle.is_some(),
        }
    }

    fn close(&mut self, reason: CloseReason) {
        if self.closed {
            return;
        }
        self.closed = true;
        // Nothing is sent, received or awaited after this: the buffers' room is
        // given back, not only their contents.
        let unanswered: Vec<_> = core::mem::take(&mut self.pending)
            .into_iter()
            .map(|p| (p.handle, p.command))
            .collect();
        self.greeting = None;
        self.output = BytesMut::new();
        self.input = BytesMut::new();
        self.queued.push_back(Event::Closed { reason, unanswered });
    }
}

/// Whether the documents list `reply` for `exchange` at this point.
fn fits(exchange: &Exchange, reply: &Reply) -> bool {
    !exchange.clone().feed(reply).is_unexpected()
}
