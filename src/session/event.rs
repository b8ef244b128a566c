//! What a [`Session`](super::Session) tells its driver.

use alloc::vec::Vec;
use bytes::Bytes;
use core::fmt;

use crate::command::Command;
use crate::error::DecodeError;
use crate::exchange::Outcome;
use crate::reply::Reply;

/// Names one command given to [`Session::send`](super::Session::send); every event
/// about that command carries it. Handles are never reused within a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CommandHandle(pub(crate) u64);

impl CommandHandle {
    /// The handle's number: 0 for the first command sent, then counting up.
    #[must_use]
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for CommandHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Something that happened on the control connection; see
/// [`Session::next`](super::Session::next).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The server's greeting, which answers no command: a `120` (`done: false`)
    /// and then the `220` or `421` that ends it (`done: true`).
    #[non_exhaustive]
    Greeting {
        /// The reply.
        reply: Reply,
        /// What it means for the connection ([`Exchange::greeting`](crate::Exchange::greeting)).
        outcome: Outcome,
        /// Whether the greeting is over.
        done: bool,
        /// Stream offset of the reply's first byte.
        offset: u64,
    },
    /// A reply to the command `handle`.
    #[non_exhaustive]
    Reply {
        /// Stream offset of the reply's first byte.
        offset: u64,
        /// The command it answers.
        handle: CommandHandle,
        /// That command's verb.
        command: Command,
        /// The reply.
        reply: Reply,
        /// What the reply means for the command ([`Exchange::feed`](crate::Exchange::feed)).
        outcome: Outcome,
        /// Whether no further reply to the command will come: false after a `1yz`
        /// (and after a protected `63z`, until
        /// [`Session::unprotected`](super::Session::unprotected) is given the reply
        /// inside), true after the reply that ends the command's exchange.
        done: bool,
    },
    /// A reply that arrived while no command awaited one (and the greeting was over).
    #[non_exhaustive]
    Unsolicited {
        /// The reply.
        reply: Reply,
        /// Stream offset of the reply's first byte.
        offset: u64,
    },
    /// The session stopped waiting for a reply to `handle` without one: `ABOR` that
    /// the server answered with a single reply, which went to the transfer it
    /// aborted (see [`Session`](super::Session#abor)).
    #[non_exhaustive]
    Unanswered {
        /// The command.
        handle: CommandHandle,
        /// Its verb.
        command: Command,
    },
    /// The decoder found bytes that break the framing rules or a limit
    /// ([`DecodeError`]). It recovers by itself and the session goes on.
    #[non_exhaustive]
    StreamError {
        /// What was wrong, and where.
        error: DecodeError,
        /// The command awaiting a reply when it happened (the front of the queue),
        /// `None` for the greeting or when no command was waiting.
        handle: Option<CommandHandle>,
        /// Whether the error took the place of that command's reply, which then
        /// gets no other ([`Session`](super::Session#stream-errors) says when).
        done: bool,
    },
    /// The session is over; [`Session::next`](super::Session::next) produces
    /// nothing more and [`Session::send`](super::Session::send) fails.
    #[non_exhaustive]
    Closed {
        /// Why.
        reason: CloseReason,
        /// The commands still awaiting replies, in the order they were sent.
        unanswered: Vec<(CommandHandle, Command)>,
    },
}

impl Event {
    /// The reply the event carries, if it carries one.
    #[must_use]
    pub fn reply(&self) -> Option<&Reply> {
        match self {
            Event::Greeting { reply, .. }
            | Event::Reply { reply, .. }
            | Event::Unsolicited { reply, .. } => Some(reply),
            _ => None,
        }
    }

    /// The command the event concerns, if any.
    #[must_use]
    pub fn handle(&self) -> Option<CommandHandle> {
        match self {
            Event::Reply { handle, .. } | Event::Unanswered { handle, .. } => Some(*handle),
            Event::StreamError { handle, .. } => *handle,
            _ => None,
        }
    }
}

/// Why a session closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CloseReason {
    /// The server sent `421` (service not available, closing control connection).
    ServiceClosing,
    /// `QUIT` was answered.
    Quit,
    /// The stream ended ([`Session::enqueue_eof`](super::Session::enqueue_eof)).
    EndOfStream,
}

impl CloseReason {
    /// A stable kebab-case name: `service-closing`, `quit`, `end-of-stream`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            CloseReason::ServiceClosing => "service-closing",
            CloseReason::Quit => "quit",
            CloseReason::EndOfStream => "end-of-stream",
        }
    }
}

impl fmt::Display for CloseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why [`Session::next`](super::Session::next) returned no event: I/O the driver
/// must do, or an error.
///
/// Not `#[non_exhaustive]`: a driver's loop matches every case, with no wildcard
/// that would hide a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interrupt {
    /// The driver must write or read.
    Io(Io),
    /// The session cannot go on.
    Error(SessionError),
}

/// I/O for the driver to do.
///
/// Not `#[non_exhaustive]`, like [`Interrupt`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Io {
    /// Write these bytes to the server, in order, before anything given later.
    /// Every command sent since the last `Output` comes in one buffer, so
    /// pipelined commands go out in one write.
    Output(Bytes),
    /// Nothing more can happen until more bytes arrive: read from the server and
    /// give them to [`Session::enqueue_input`](super::Session::enqueue_input) (or
    /// call [`Session::enqueue_eof`](super::Session::enqueue_eof) when it closed).
    NeedMoreInput,
}

/// What the session refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// The session is over ([`Event::Closed`] was produced).
    #[error("the session is closed")]
    Closed,
    /// As many commands as [`SessionConfig::max_pending`](super::SessionConfig::max_pending)
    /// already await replies.
    #[error("{limit} commands already await replies")]
    TooManyPending {
        /// The limit.
        limit: usize,
    },
    /// No command with this handle awaits a reply.
    #[error("command {handle} awaits no reply")]
    NotPending {
        /// The handle.
        handle: CommandHandle,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An event carrying a reply is moved at least twice on its way to the
    /// driver; at 128 bytes or less a move is a few vector loads and stores
    /// instead of a call to `memcpy`.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn an_event_fits_in_128_bytes() {
        assert!(core::mem::size_of::<Event>() <= 128);
        assert!(core::mem::size_of::<Result<Event, Interrupt>>() <= 128);
    }
}
