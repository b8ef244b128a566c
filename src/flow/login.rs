//! The greeting and the login (RFC 959 §5.4: `USER`, `PASS`, `ACCT`).

use crate::command::Command;
use crate::encode::CommandLine;
use crate::exchange::Outcome;
use crate::payload::parse_ready_in;
use crate::reply::Reply;
use crate::session::{CommandHandle, Event, Session};

use super::{Flow, FlowError, Seen, Step, fail, watch};

/// The greeting: `220`, or `120` and later `220` (RFC 959 §5.4: "Connection
/// Establishment 120 220 220 421"). Run it first, before any other flow.
#[derive(Debug, Clone, Default)]
pub struct Greeting {
    delay: Option<Delay>,
}

/// A `120` (service ready in nnn minutes) before the greeting.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delay {
    /// The `120` reply.
    pub reply: Reply,
    /// The minutes it announced (`in 15 minutes`), when it said.
    pub minutes: Option<u32>,
}

/// The server is ready.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Greeted {
    /// The `220`.
    pub reply: Reply,
    /// The `120` that came before it, if one did.
    pub delay: Option<Delay>,
}

impl Greeting {
    /// Waits for the greeting; sends nothing.
    #[must_use]
    pub fn new() -> Greeting {
        Greeting { delay: None }
    }
}

impl Flow for Greeting {
    type Output = Greeted;

    fn on_event(&mut self, _: &mut Session, event: &Event) -> Step<Greeted> {
        if let Err(e) = watch(event, &[]) {
            return fail(e);
        }
        match event {
            Event::Greeting { reply, done, .. } => {
                let code = reply.code().as_u16();
                if !done && code == 120 {
                    let minutes = parse_ready_in(reply.first_line()).ok().flatten();
                    self.delay = Some(Delay {
                        reply: reply.clone(),
                        minutes,
                    });
                    Step::Continue
                } else if reply.code().is_completion() {
                    Step::Done(Ok(Greeted {
                        reply: reply.clone(),
                        delay: self.delay.take(),
                    }))
                } else if *done {
                    fail(FlowError::Unexpected {
                        command: None,
                        reply: reply.clone(),
                    })
                } else {
                    Step::Continue
                }
            }
            Event::StreamError {
                error,
                handle: None,
                done: true,
            } => fail(FlowError::Stream {
                error: error.clone(),
            }),
            _ => Step::Continue,
        }
    }
}

/// `USER`, then `PASS` and `ACCT` as the server asks for them (RFC 959 §5.4:
/// `230` right after `USER`, `331` → `PASS`, `332` → `ACCT`).
///
/// All three command lines are built before anything is sent, so a name,
/// password or account holding CR or LF is refused and never leaves the client.
#[derive(Debug, Clone)]
pub struct Login {
    user: CommandLine,
    pass: CommandLine,
    account: Option<CommandLine>,
    /// The command sent last, and its handle.
    sent: (CommandHandle, Command),
}

/// The server accepted the login.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoggedIn {
    /// The `230` (or `202`, "command not implemented, superfluous", to `ACCT`).
    pub reply: Reply,
}

impl Login {
    /// Sends `USER user`.
    ///
    /// # Errors
    ///
    /// [`FlowError::Argument`] when an argument holds CR, LF or NUL (or is too
    /// long), [`FlowError::Session`] when the session refused the command.
    pub fn start(
        session: &mut Session,
        user: impl AsRef<[u8]>,
        pass: impl AsRef<[u8]>,
        account: Option<&[u8]>,
    ) -> Result<Login, FlowError> {
        let (user, pass) = (user.as_ref(), pass.as_ref());
        let user = CommandLine::new(Command::User, user)?;
        // RFC 959 allows an empty password; PASS's argument rule requires one, so
        // an empty password is sent as the bare verb.
        let pass = if pass.is_empty() {
            CommandLine::parse(b"PASS")?
        } else {
            CommandLine::new(Command::Pass, pass)?
        };
        let account = account
            .map(|a| CommandLine::new(Command::Acct, a))
            .transpose()?;
        let handle = session.send(user.clone())?;
        Ok(Login {
            user,
            pass,
            account,
            sent: (handle, Command::User),
        })
    }

    fn line(&self) -> &CommandLine {
        match self.sent.1 {
            Command::User => &self.user,
            Command::Pass => &self.pass,
            _ => self.account.as_ref().unwrap_or(&self.user),
        }
    }

    fn send(&mut self, session: &mut Session, command: Command) -> Step<LoggedIn> {
        let line = match command {
            Command::Pass => self.pass.clone(),
            _ => match &self.account {
                Some(account) => account.clone(),
                None => return Step::Continue,
            },
        };
        match session.send(line) {
            Ok(handle) => {
                self.sent = (handle, command);
                Step::Continue
            }
            Err(e) => fail(e.into()),
        }
    }
}

impl Flow for Login {
    type Output = LoggedIn;

    fn on_event(&mut self, session: &mut Session, event: &Event) -> Step<LoggedIn> {
        let (reply, outcome) = match watch(event, &[self.sent.0]) {
            Err(e) => return fail(e),
            Ok(Seen::Reply { reply, outcome, .. }) => (reply, outcome),
            Ok(_) => return Step::Continue,
        };
        let code = reply.code().as_u16();
        match outcome {
            // By its first digit: a 2yz other than 230 and 202 still logged in.
            _ if reply.code().is_completion() => Step::Done(Ok(LoggedIn {
                reply: reply.clone(),
            })),
            Outcome::SendNext(_) if code == 331 && self.sent.1 == Command::User => {
                self.send(session, Command::Pass)
            }
            Outcome::SendNext(_) if code == 332 && self.sent.1 != Command::Acct => {
                if self.account.is_none() {
                    return fail(FlowError::AccountRequired {
                        reply: reply.clone(),
                    });
                }
                self.send(session, Command::Acct)
            }
            Outcome::TransientFailure | Outcome::PermanentFailure => {
                fail(FlowError::rejected(self.line(), reply))
            }
            // A 1yz: the final reply follows.
            Outcome::Pending => Step::Continue,
            _ if reply.code().is_negative() => fail(FlowError::rejected(self.line(), reply)),
            _ => fail(FlowError::Unexpected {
                command: Some(self.sent.1),
                reply: reply.clone(),
            }),
        }
    }
}
