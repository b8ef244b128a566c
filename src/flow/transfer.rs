//! Transfers (`RETR`, `STOR`, `APPE`, `LIST`, `NLST`, `MLSD`), with an optional
//! `REST` offset, and their abort (`ABOR`, RFC 959 §4.1.3).

use alloc::format;

use crate::command::Command;
use crate::encode::CommandLine;
use crate::payload::{MlsdEntries, parse_mlsd, parse_transfer_size};
use crate::reply::Reply;
use crate::session::{CommandHandle, Event, Session};

use super::data::{DataSetup, Ready};
use super::{
    Action, DataConfig, Flow, FlowError, Poll, Seen, Step, Verdict, fail, judge, poll_session,
    verdict, watch,
};

/// One transfer on its own data connection.
///
/// The flow makes the data connection ([`Action::ConnectData`] in passive
/// mode), sends `REST offset` when one is given and waits for its `350` (a
/// refused `REST` must not be followed by a transfer from the start), sends the
/// command, and on `125`/`150` asks the driver to move the data
/// ([`Action::MoveData`]). It completes when both the driver said the data
/// connection ended ([`Transfer::data_ended`]) and the final reply (`226`,
/// `250`) arrived, in either order: servers send `226` before the data is
/// drained, and ProFTPD holds its `226` until the client closes the data
/// connection, so close it before waiting for the reply.
#[derive(Debug, Clone)]
pub struct Transfer {
    config: DataConfig,
    line: CommandLine,
    rest: Option<CommandLine>,
    state: State,
    extended_refused: bool,
    preliminary: Option<Reply>,
}

#[derive(Debug, Clone)]
enum State {
    Data(DataSetup),
    Rest(CommandHandle, CommandLine),
    Command(CommandHandle),
    Moving {
        handle: CommandHandle,
        /// The final reply, when it came before the data ended.
        reply: Option<Reply>,
        data_ended: bool,
    },
    Aborting(Abort),
    Over,
}

#[derive(Debug, Clone)]
struct Abort {
    /// The transfer, while it awaits its final reply.
    transfer: Option<CommandHandle>,
    transfer_reply: Option<Reply>,
    abor: Option<CommandHandle>,
    abor_reply: Option<Reply>,
    /// `NOOP`, once sent: after the transfer's final reply, since a server may
    /// drop what it read with `ABOR` during the transfer (Pure-FTPd does).
    noop: Option<CommandHandle>,
    noop_line: CommandLine,
}

/// How a transfer ended.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransferEnd {
    /// The whole transfer happened.
    Completed(Transferred),
    /// [`Transfer::abort`] stopped it, and the control connection answers again.
    Aborted(Aborted),
}

/// A completed transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Transferred {
    /// The transfer command (`RETR`, `MLSD`, ...).
    pub command: Command,
    /// The `125` or `150` (absent if the server sent the final reply alone).
    pub preliminary: Option<Reply>,
    /// The final reply (`226`, `250`).
    pub reply: Reply,
}

impl Transferred {
    /// The entries of an `MLSD` listing (RFC 3659 §7.2): `received` is what
    /// the data connection carried, all of it. Each item is one line's entry,
    /// borrowed from `received`, or a [`PayloadError`] of kind `mlsd` with the
    /// index of the line and the byte offset in it; a bad line does not stop
    /// the lines after it (see [`parse_mlsd`]).
    ///
    /// [`PayloadError`]: crate::payload::PayloadError
    ///
    /// ```
    /// use ftp_reply::Command;
    /// use ftp_reply::flow::{Action, DataConfig, Flow, Poll, Transfer, TransferEnd};
    /// use ftp_reply::session::Session;
    ///
    /// let mut session = Session::new();
    /// session.enqueue_input(b"220 Ready.\r\n");
    /// let config = DataConfig::passive([127, 0, 0, 1].into());
    /// let mut mlsd = Transfer::start(&mut session, &config, Command::Mlsd, "", None)?;
    /// let mut server: &[&[u8]] = &[b"229 (|||2121|)\r\n", b"150 Here.\r\n", b"226 Done.\r\n"];
    /// // What the data connection carried; its third line has a bad size.
    /// let received = b"type=cdir; .\r\ntype=file;size=8192; hello.txt\r\nsize=x; bad\r\n";
    /// let end = loop {
    ///     match mlsd.poll(&mut session, &mut |_| {}) {
    ///         Poll::Write(_) => {} // EPSV, MLSD
    ///         Poll::Read => {
    ///             session.enqueue_input(server[0]);
    ///             server = &server[1..];
    ///         }
    ///         Poll::Act(Action::ConnectData { .. }) => {} // connect to the server
    ///         Poll::Act(_) => mlsd.data_ended()?,        // read it all, then close
    ///         Poll::Done(end) => break end?,
    ///     }
    /// };
    /// let TransferEnd::Completed(done) = end else { unreachable!() };
    /// let mut entries = done.mlsd(received)?;
    /// assert_eq!(entries.next().unwrap()?.pathname(), b".");
    /// let file = entries.next().unwrap()?;
    /// assert_eq!((file.pathname(), file.size()), (&b"hello.txt"[..], Some(8192)));
    /// let bad = entries.next().unwrap().unwrap_err();
    /// assert_eq!((bad.line, bad.offset), (2, 5));
    /// assert!(entries.next().is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`FlowError::Misuse`] when the transfer was not `MLSD`.
    pub fn mlsd<'d>(&self, received: &'d [u8]) -> Result<MlsdEntries<'d>, FlowError> {
        match self.command {
            Command::Mlsd => Ok(parse_mlsd(received)),
            _ => Err(FlowError::Misuse(
                "entries read from a transfer other than MLSD",
            )),
        }
    }
}

/// An aborted transfer: RFC 959 §4.1.3's outcomes. When the transfer was still
/// going, the server answers it `426` and `ABOR` `226`; when it had completed,
/// it answers it `226` and `ABOR` `225` or `226`; some servers answer only once,
/// and `ABOR` then has no reply of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Aborted {
    /// The transfer's final reply (`426`, `226`, ...), unless it had come before
    /// the abort.
    pub transfer: Option<Reply>,
    /// `ABOR`'s own reply, when the server sent one.
    pub abor: Option<Reply>,
    /// The reply to the `NOOP` sent after `ABOR` (`200`; `502` from a server
    /// without `NOOP`): the control connection answers.
    pub noop: Reply,
}

/// What a refused transfer's reply says went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransferFailure {
    /// `425`: can't open data connection.
    CannotOpenData,
    /// `426`: connection closed; transfer aborted.
    DataClosed,
    /// `450`: file unavailable (busy).
    FileBusy,
    /// `451`: local error in processing.
    LocalError,
    /// `550`: file unavailable (not found, no access).
    FileUnavailable,
    /// `552`: exceeded storage allocation.
    StorageExceeded,
    /// Any other refusal.
    Other,
}

impl TransferFailure {
    /// What `reply`'s code says.
    #[must_use]
    pub fn of(reply: &Reply) -> TransferFailure {
        match reply.code().as_u16() {
            425 => TransferFailure::CannotOpenData,
            426 => TransferFailure::DataClosed,
            450 => TransferFailure::FileBusy,
            451 => TransferFailure::LocalError,
            550 => TransferFailure::FileUnavailable,
            552 => TransferFailure::StorageExceeded,
            _ => TransferFailure::Other,
        }
    }
}

impl Transfer {
    /// Starts `command argument` (one of `RETR`, `STOR`, `APPE`, `LIST`,
    /// `NLST`, `MLSD`), from byte `rest` of the file when given (RFC 3659 §5:
    /// `REST` immediately before).
    ///
    /// # Errors
    ///
    /// [`FlowError::Argument`] when the argument holds CR, LF or NUL (nothing is
    /// sent), [`FlowError::Misuse`] for a command that transfers no data.
    pub fn start(
        session: &mut Session,
        config: &DataConfig,
        command: Command,
        argument: impl AsRef<[u8]>,
        rest: Option<u64>,
    ) -> Result<Transfer, FlowError> {
        if !matches!(
            command,
            Command::Retr
                | Command::Stor
                | Command::Appe
                | Command::List
                | Command::Nlst
                | Command::Mlsd
        ) {
            return Err(FlowError::Misuse("not a transfer command"));
        }
        let line = CommandLine::new(command, argument.as_ref())?;
        let rest = rest
            .map(|n| CommandLine::new(Command::Rest, format!("{n}").as_bytes()))
            .transpose()?;
        let setup = DataSetup::start(session, *config)?;
        Ok(Transfer {
            config: *config,
            line,
            rest,
            state: State::Data(setup),
            extended_refused: false,
            preliminary: None,
        })
    }

    /// Whether the server refused `EPSV`/`EPRT` (and `PASV`/`PORT` was used):
    /// the caller may clear [`DataConfig::extended`] for the next transfers.
    #[must_use]
    pub fn epsv_refused(&self) -> bool {
        self.extended_refused
    }

    /// The driver's report that the data connection ended (all data read up
    /// to end of file, or all data written and the connection closed); the flow
    /// goes on at the next [`poll`](Flow::poll), which ends it at once when the
    /// final reply came first. After [`abort`](Transfer::abort), it changes
    /// nothing.
    ///
    /// # Errors
    ///
    /// [`FlowError::Misuse`] before the transfer began or after it ended.
    pub fn data_ended(&mut self) -> Result<(), FlowError> {
        match &mut self.state {
            State::Moving { data_ended, .. } => *data_ended = true,
            State::Aborting(_) => {}
            _ => return Err(FlowError::Misuse("data_ended outside a transfer")),
        }
        Ok(())
    }

    /// Aborts the transfer: sends `ABOR`, then, once the transfer's final reply
    /// came, `NOOP`, and ends when `NOOP` is answered, with
    /// [`TransferEnd::Aborted`]. The `NOOP` proves the control connection
    /// answers, and gives the session a reply to move past an `ABOR` that gets
    /// none. Keep reading the data connection until it ends: a server that reads
    /// commands only between transfers (vsftpd, inetutils ftpd, unless the Telnet
    /// Synch comes as TCP urgent data) finishes the transfer first, and some of
    /// them end the whole session when the data connection is closed under them.
    ///
    /// # Errors
    ///
    /// [`FlowError::Misuse`] before the transfer command was sent or after the
    /// flow ended; [`FlowError::Session`] when the session refused a command.
    pub fn abort(&mut self, session: &mut Session) -> Result<(), FlowError> {
        let transfer = match &self.state {
            State::Command(handle) => Some(*handle),
            State::Moving {
                handle,
                reply: None,
                ..
            } => Some(*handle),
            State::Moving { .. } => None,
            _ => return Err(FlowError::Misuse("no transfer to abort")),
        };
        let abor = session.send(CommandLine::new(Command::Abor, b"")?)?;
        let noop_line = CommandLine::new(Command::Noop, b"")?;
        let noop = match transfer {
            Some(_) => None,
            None => Some(session.send(noop_line.clone())?),
        };
        self.state = State::Aborting(Abort {
            transfer,
            transfer_reply: None,
            abor: Some(abor),
            abor_reply: None,
            noop,
            noop_line,
        });
        Ok(())
    }

    fn completed(&mut self, reply: Reply) -> Step<TransferEnd> {
        self.state = State::Over;
        Step::Done(Ok(TransferEnd::Completed(Transferred {
            command: self.line.command(),
            preliminary: self.preliminary.take(),
            reply,
        })))
    }

    /// The data connection is ready to be made: send REST or the command.
    fn ready(&mut self, session: &mut Session, ready: Ready) -> Step<TransferEnd> {
        let sent = match &self.rest {
            Some(rest) => session
                .send(rest.clone())
                .map(|h| State::Rest(h, rest.clone())),
            None => session.send(self.line.clone()).map(State::Command),
        };
        match sent {
            Ok(state) => self.state = state,
            Err(e) => return fail(e.into()),
        }
        match ready {
            Ready::Connect { addr, ignored_host } => Step::Act(Action::ConnectData {
                addr,
                tls: self.config.tls,
                ignored_host,
            }),
            Ready::Accept => Step::Continue,
        }
    }

    fn on_abort_event(
        abort: &mut Abort,
        session: &mut Session,
        event: &Event,
    ) -> Result<Option<Aborted>, FlowError> {
        if let Some(handle) = abort.transfer {
            // Whatever the transfer gets now (426, 226, 451) is how it ended.
            match watch(event, &[handle])? {
                Seen::Reply { reply, done, .. } => {
                    if done {
                        abort.transfer = None;
                        abort.transfer_reply = Some(reply.clone());
                        abort.noop = Some(session.send(abort.noop_line.clone())?);
                    }
                    return Ok(None);
                }
                Seen::Unanswered | Seen::Other => {}
            }
        }
        if let Some(handle) = abort.abor {
            match watch(event, &[handle])? {
                Seen::Reply { reply, done, .. } => {
                    if done {
                        abort.abor = None;
                        abort.abor_reply = Some(reply.clone());
                    }
                    return Ok(None);
                }
                Seen::Unanswered => {
                    abort.abor = None;
                    return Ok(None);
                }
                Seen::Other => {}
            }
        }
        let Some(noop) = abort.noop else {
            return Ok(None);
        };
        // Any reply but 421 (a 502 from a server without NOOP) shows the
        // connection answers.
        match watch(event, &[noop])? {
            Seen::Reply { reply, done, .. } if done => Ok(Some(Aborted {
                transfer: abort.transfer_reply.take(),
                abor: abort.abor_reply.take(),
                noop: reply.clone(),
            })),
            _ => Ok(None),
        }
    }
}

impl Flow for Transfer {
    type Output = TransferEnd;

    /// [`Flow::poll`], which first ends the flow when both the data connection
    /// ended and the final reply came.
    fn poll(&mut self, session: &mut Session, seen: &mut dyn FnMut(&Event)) -> Poll<TransferEnd> {
        if let State::Moving {
            reply: reply @ Some(_),
            data_ended: true,
            ..
        } = &mut self.state
            && let Some(reply) = reply.take()
            && let Step::Done(end) = self.completed(reply)
        {
            return Poll::Done(end);
        }
        poll_session(self, session, seen)
    }

    /// Any error ends the flow for good (`abort` afterwards is a `Misuse`).
    fn on_event(&mut self, session: &mut Session, event: &Event) -> Step<TransferEnd> {
        let step = self.step(session, event);
        if matches!(step, Step::Done(Err(_))) {
            self.state = State::Over;
        }
        step
    }
}

impl Transfer {
    fn step(&mut self, session: &mut Session, event: &Event) -> Step<TransferEnd> {
        match &mut self.state {
            State::Data(setup) => {
                let ready = setup.on_event(session, event);
                self.extended_refused |= setup.extended_refused;
                match ready {
                    Ok(None) => Step::Continue,
                    Ok(Some(ready)) => self.ready(session, ready),
                    Err(e) => fail(e),
                }
            }
            State::Rest(handle, rest) => match judge(event, *handle, rest) {
                Ok(None) => Step::Continue,
                Ok(Some(reply)) if reply.code().as_u16() == 350 => {
                    match session.send(self.line.clone()) {
                        Ok(handle) => {
                            self.state = State::Command(handle);
                            Step::Continue
                        }
                        Err(e) => fail(e.into()),
                    }
                }
                Ok(Some(reply)) => fail(FlowError::Unexpected {
                    command: Some(Command::Rest),
                    reply: reply.clone(),
                }),
                Err(e) => fail(e),
            },
            State::Command(handle) => {
                let handle = *handle;
                match verdict(event, handle, &self.line) {
                    Ok(Verdict::Wait) => Step::Continue,
                    Ok(Verdict::Preliminary(reply)) => {
                        let size = parse_transfer_size(reply.first_line()).ok().flatten();
                        self.preliminary = Some(reply.clone());
                        self.state = State::Moving {
                            handle,
                            reply: None,
                            data_ended: false,
                        };
                        Step::Act(Action::MoveData {
                            tls: self.config.tls,
                            size,
                        })
                    }
                    Ok(Verdict::Positive(reply)) if reply.code().is_completion() => {
                        // The final reply alone: the data still has to be moved
                        // (or drained) and the connection closed.
                        self.state = State::Moving {
                            handle,
                            reply: Some(reply.clone()),
                            data_ended: false,
                        };
                        Step::Act(Action::MoveData {
                            tls: self.config.tls,
                            size: None,
                        })
                    }
                    Ok(Verdict::Positive(reply)) => fail(FlowError::Unexpected {
                        command: Some(self.line.command()),
                        reply: reply.clone(),
                    }),
                    Err(e) => fail(e),
                }
            }
            State::Moving {
                handle,
                reply: stored,
                data_ended,
            } => match judge(event, *handle, &self.line) {
                Ok(None) => Step::Continue,
                Ok(Some(reply)) if reply.code().is_completion() => {
                    if *data_ended {
                        self.completed(reply.clone())
                    } else {
                        *stored = Some(reply.clone());
                        Step::Continue
                    }
                }
                Ok(Some(reply)) => fail(FlowError::Unexpected {
                    command: Some(self.line.command()),
                    reply: reply.clone(),
                }),
                Err(e) => fail(e),
            },
            State::Aborting(abort) => match Transfer::on_abort_event(abort, session, event) {
                Ok(None) => Step::Continue,
                Ok(Some(aborted)) => {
                    self.state = State::Over;
                    Step::Done(Ok(TransferEnd::Aborted(aborted)))
                }
                Err(e) => fail(e),
            },
            State::Over => Step::Continue,
        }
    }
}
