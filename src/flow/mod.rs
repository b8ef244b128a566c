//! Client flows on a [`Session`]: greeting and login, features, data connections,
//! transfers and their abort, paths and files, FTPS, quit. Each flow is a small
//! state machine without I/O that sends its commands through the session, reads
//! the events the session produces, and ends with a typed result.
//!
//! A flow is started with a constructor that takes the session (and sends the
//! first command), then given every [`Event`] the session produces through
//! [`Flow::on_event`], which answers with a [`Step`] ([`Flow::poll`] does both
//! and returns only what the driver must do, a [`Poll`]):
//!
//! - [`Step::Continue`]: keep going (write what the session has to write, read
//!   what the server sends);
//! - [`Step::Act`]: an [`Action`] the driver must take *before* it calls
//!   [`Session::next`] again: start TLS on the control connection, connect a data
//!   connection to an address, or move the data of a transfer;
//! - [`Step::Done`]: the flow's result, or a [`FlowError`] that keeps the reply.
//!
//! One flow runs at a time; events that do not concern it (a second reply to an
//! earlier command, which the session reports as [`Event::Unsolicited`]) are
//! left alone. A `421` (RFC 959: "Service not available, closing control
//! connection") ends any flow with [`FlowError::ClosedByServer`].
//!
//! ```
//! use ftp_reply::flow::{Flow, FlowError, Greeting, Login, Poll};
//! use ftp_reply::session::Session;
//!
//! /// A driver: the server's side is a byte string here, a socket in real life.
//! fn run<F: Flow>(session: &mut Session, mut flow: F, server: &mut &[u8], sent: &mut Vec<u8>)
//!     -> Result<F::Output, FlowError> {
//!     loop {
//!         match flow.poll(session, &mut |event| println!("{event:?}")) {
//!             Poll::Write(bytes) => sent.extend_from_slice(&bytes),
//!             Poll::Read => {
//!                 // A real driver reads the socket; here, one line at a time.
//!                 let n = server.iter().position(|&b| b == b'\n').map_or(server.len(), |i| i + 1);
//!                 session.enqueue_input(&server[..n]);
//!                 *server = &server[n..];
//!             }
//!             Poll::Act(action) => panic!("no data connection here: {action:?}"),
//!             Poll::Done(result) => return result,
//!         }
//!     }
//! }
//!
//! let mut server: &[u8] = b"120 Ready in 2 minutes.\r\n220 Ready.\r\n331 Password?\r\n230 Welcome.\r\n";
//! let mut sent = Vec::new();
//! let mut session = Session::new();
//! let greeted = run(&mut session, Greeting::new(), &mut server, &mut sent)?;
//! assert_eq!(greeted.delay.as_ref().and_then(|d| d.minutes), Some(2));
//! let login = Login::start(&mut session, b"ftptest", b"secret", None)?;
//! let logged_in = run(&mut session, login, &mut server, &mut sent)?;
//! assert_eq!(logged_in.reply.code().as_u16(), 230);
//! assert_eq!(sent, b"USER ftptest\r\nPASS secret\r\n");
//! # Ok::<(), ftp_reply::flow::FlowError>(())
//! ```
//!
//! A whole client on these flows is `examples/blocking_client.rs` (`std::net`)
//! and `examples/tokio_client.rs` (tokio), FTPS included.

mod data;
mod error;
mod features;
mod login;
mod paths;
mod quit;
mod tls;
mod transfer;

#[cfg(test)]
mod tests;

pub use data::{DataConfig, DataMode};
pub use error::FlowError;
pub use features::{Capabilities, Feat};
pub use login::{Delay, Greeted, Greeting, LoggedIn, Login};
pub use paths::{MlstEntry, Rename, Simple};
pub use quit::Quit;
pub use tls::{AuthTls, Protection};
pub use transfer::{Aborted, Transfer, TransferEnd, TransferFailure, Transferred};

use core::net::{IpAddr, SocketAddr};

use crate::encode::CommandLine;
use crate::exchange::Outcome;
use crate::reply::Reply;
use crate::session::{CommandHandle, Event, Interrupt, Io, Session};
use bytes::Bytes;

/// A client flow: a state machine fed with the session's events.
pub trait Flow {
    /// What the flow produces when it succeeds.
    type Output;

    /// Gives the flow one event from [`Session::next`]; every event should be
    /// given, in order, while the flow runs. The flow may send commands through
    /// `session`.
    fn on_event(&mut self, session: &mut Session, event: &Event) -> Step<Self::Output>;

    /// Runs the session and the flow until the driver has something to do:
    /// calls [`Session::next`], gives each event to `seen` (to log it) and then
    /// to [`on_event`](Flow::on_event), and returns the first I/O, action or
    /// result. This is the whole of a driver's loop apart from the I/O itself.
    fn poll(&mut self, session: &mut Session, seen: &mut dyn FnMut(&Event)) -> Poll<Self::Output>
    where
        Self: Sized,
    {
        poll_session(self, session, seen)
    }
}

/// [`Flow::poll`]'s loop, for flows that look at their own state first.
fn poll_session<F: Flow>(
    flow: &mut F,
    session: &mut Session,
    seen: &mut dyn FnMut(&Event),
) -> Poll<F::Output> {
    loop {
        match session.next() {
            Ok(event) => {
                seen(&event);
                match flow.on_event(session, &event) {
                    Step::Continue => {}
                    Step::Act(action) => return Poll::Act(action),
                    Step::Done(result) => return Poll::Done(result),
                }
            }
            Err(Interrupt::Io(Io::Output(bytes))) => return Poll::Write(bytes),
            Err(Interrupt::Io(Io::NeedMoreInput)) => return Poll::Read,
            Err(Interrupt::Error(e)) => return Poll::Done(Err(e.into())),
        }
    }
}

/// What the driver must do next; see [`Flow::poll`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum Poll<T> {
    /// Write these bytes to the control connection (through TLS once started).
    Write(Bytes),
    /// Read from the control connection and give the bytes to
    /// [`Session::enqueue_input`] (or call [`Session::enqueue_eof`]).
    Read,
    /// Take this action, then poll again.
    Act(Action),
    /// The flow is over.
    Done(Result<T, FlowError>),
}

/// What a flow asks of its driver after an event.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum Step<T> {
    /// Nothing to do but go on driving the session.
    Continue,
    /// Take this action before calling [`Session::next`] again (the session may
    /// already hold commands that must be written only after it).
    Act(Action),
    /// The flow is over; give it no more events.
    Done(Result<T, FlowError>),
}

/// Something only the driver can do: the flows never open a socket.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// The server agreed to `AUTH TLS` (`234`): start a TLS client handshake on
    /// the control connection now, and from then on give the session the
    /// decrypted bytes and write its output through TLS (RFC 4217 §4).
    StartTls,
    /// Open the data connection (passive mode): connect to `addr` now. When
    /// `tls` (RFC 4217 §9: `PROT P`), the TLS handshake on it must wait for
    /// [`Action::MoveData`]: servers start theirs only once the transfer command
    /// came, after this connection was made.
    ConnectData {
        /// Where to connect: the control connection's peer unless the caller chose
        /// [`PassivePolicy::TrustAdvertised`](crate::payload::PassivePolicy).
        addr: SocketAddr,
        /// Whether the data connection must be TLS.
        tls: bool,
        /// The host the server advertised when it was not the control connection's
        /// peer and was not used (`0.0.0.0`, a private address, another host).
        ignored_host: Option<IpAddr>,
    },
    /// The server is about to transfer (`125`, `150`): in active mode accept the
    /// server's connection on the caller's listener now (with TLS when `tls`),
    /// then send or receive the data, close the data connection, call
    /// [`Transfer::data_ended`] (or [`Transfer::abort`] to stop early), and poll
    /// on to the end.
    MoveData {
        /// Whether the data connection must be TLS.
        tls: bool,
        /// The size the server announced in its `150` (`(8192 bytes)`), if any.
        size: Option<u64>,
    },
}

/// What an event means to a flow that waits for replies to `handle`.
enum Seen<'e> {
    /// A reply to the command.
    Reply {
        reply: &'e Reply,
        outcome: Outcome,
        done: bool,
    },
    /// The session stopped waiting for the command without a reply
    /// ([`Event::Unanswered`]).
    Unanswered,
    /// Nothing for this flow.
    Other,
}

/// Reads `event` for a flow waiting on `handles`. `421`, the end of the session
/// and a stream error that replaced the reply end the flow with an error.
fn watch<'e>(event: &'e Event, handles: &[CommandHandle]) -> Result<Seen<'e>, FlowError> {
    if let Some(reply) = event.reply()
        && reply.code().as_u16() == 421
    {
        return Err(FlowError::ClosedByServer {
            reply: reply.clone(),
        });
    }
    match event {
        Event::Reply {
            handle,
            reply,
            outcome,
            done,
            ..
        } if handles.contains(handle) => Ok(Seen::Reply {
            reply,
            outcome: *outcome,
            done: *done,
        }),
        Event::Unanswered { handle, .. } if handles.contains(handle) => Ok(Seen::Unanswered),
        Event::StreamError {
            error,
            handle: Some(handle),
            done: true,
        } if handles.contains(handle) => Err(FlowError::Stream {
            error: error.clone(),
        }),
        Event::Closed { reason, .. } => Err(FlowError::Disconnected { reason: *reason }),
        _ => Ok(Seen::Other),
    }
}

/// `Step::Done(Err(e))` for a `watch` error.
fn fail<T>(error: FlowError) -> Step<T> {
    Step::Done(Err(error))
}

/// What one event says about a command's replies, as [`verdict`] reads it.
enum Verdict<'e> {
    /// Nothing yet: an event for something else, or the session gave up on
    /// the command without a reply.
    Wait,
    /// A `1yz`: more replies follow.
    Preliminary(&'e Reply),
    /// A positive final reply (`2yz`) or an intermediate one (`3yz`): the
    /// caller looks at the code.
    Positive(&'e Reply),
}

/// The reading of one command's replies that every flow shares: a `1yz` is
/// [`Verdict::Preliminary`], a `2yz` or `3yz` [`Verdict::Positive`], a `4yz`
/// or `5yz` [`FlowError::Rejected`], anything else [`FlowError::Unexpected`];
/// `421` and the end of the session are errors too (see [`watch`]).
fn verdict<'e>(
    event: &'e Event,
    handle: CommandHandle,
    line: &CommandLine,
) -> Result<Verdict<'e>, FlowError> {
    let Seen::Reply { reply, .. } = watch(event, &[handle])? else {
        return Ok(Verdict::Wait);
    };
    let code = reply.code();
    if code.is_preliminary() {
        Ok(Verdict::Preliminary(reply))
    } else if code.is_completion() || code.is_intermediate() {
        Ok(Verdict::Positive(reply))
    } else if code.is_negative() {
        Err(FlowError::rejected(line, reply))
    } else {
        Err(FlowError::Unexpected {
            command: Some(line.command()),
            reply: reply.clone(),
        })
    }
}

/// The usual reading of one command's replies: `Ok(None)` to wait (a `1yz`, an
/// event for something else), `Ok(Some(reply))` for a positive final reply
/// (`2yz`, `3yz`; the caller looks at the code), an error for a negative one.
fn judge<'e>(
    event: &'e Event,
    handle: CommandHandle,
    line: &CommandLine,
) -> Result<Option<&'e Reply>, FlowError> {
    match verdict(event, handle, line)? {
        Verdict::Positive(reply) => Ok(Some(reply)),
        Verdict::Wait | Verdict::Preliminary(_) => Ok(None),
    }
}
