//! Explicit FTPS (RFC 4217): `AUTH TLS`, then `PBSZ 0` and `PROT P` (or `C`)
//! on the protected control connection.

use crate::command::Command;
use crate::encode::CommandLine;
use crate::session::{CommandHandle, Event, Session};

use super::{Action, Flow, FlowError, Step, fail, judge};

/// `AUTH TLS` → `234` → [`Action::StartTls`], then `PBSZ 0` and `PROT P`
/// (`PROT C` when data connections stay clear), both written only after the
/// driver started TLS. Run it after the greeting and before the login, so that
/// the password is protected (RFC 4217 §4).
#[derive(Debug, Clone)]
pub struct AuthTls {
    handle: CommandHandle,
    line: CommandLine,
    private: bool,
    /// `PROT`'s handle once `PBSZ` and `PROT` were sent.
    prot: Option<(CommandHandle, CommandLine)>,
}

/// The protection agreed for data connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protection {
    /// `PROT P`: data connections are TLS too.
    Private,
    /// `PROT C`: data connections are in clear text.
    Clear,
}

impl AuthTls {
    /// Sends `AUTH TLS`; `private` asks for TLS data connections (`PROT P`).
    ///
    /// # Errors
    ///
    /// [`FlowError::Session`] when the session refused the command.
    pub fn start(session: &mut Session, private: bool) -> Result<AuthTls, FlowError> {
        let line = CommandLine::new(Command::Auth, b"TLS")?;
        let handle = session.send(line.clone())?;
        Ok(AuthTls {
            handle,
            line,
            private,
            prot: None,
        })
    }
}

impl Flow for AuthTls {
    type Output = Protection;

    fn on_event(&mut self, session: &mut Session, event: &Event) -> Step<Protection> {
        let reply = match judge(event, self.handle, &self.line) {
            Ok(None) => return Step::Continue,
            Ok(Some(reply)) => reply,
            Err(e) => return fail(e),
        };
        let code = reply.code().as_u16();
        match (&self.prot, self.line.command()) {
            (None, Command::Auth) if code == 234 => {
                // Anything already received after the 234 came in clear text.
                if session.buffered_input() > 0 {
                    return fail(FlowError::DataAfterAuth {
                        bytes: session.buffered_input(),
                    });
                }
                // RFC 4217 §9: "PBSZ 0" before PROT, which it must precede.
                let pbsz = CommandLine::new(Command::Pbsz, b"0").expect("a valid line");
                let level: &[u8] = if self.private { b"P" } else { b"C" };
                let prot = CommandLine::new(Command::Prot, level).expect("a valid line");
                let sent = session
                    .send(pbsz.clone())
                    .and_then(|pbsz_handle| session.send(prot.clone()).map(|h| (pbsz_handle, h)));
                match sent {
                    Ok((pbsz_handle, prot_handle)) => {
                        (self.handle, self.line) = (pbsz_handle, pbsz);
                        self.prot = Some((prot_handle, prot));
                        Step::Act(Action::StartTls)
                    }
                    Err(e) => fail(e.into()),
                }
            }
            (Some((prot_handle, prot)), Command::Pbsz) if reply.code().is_completion() => {
                (self.handle, self.line) = (*prot_handle, prot.clone());
                Step::Continue
            }
            (Some(_), Command::Prot) if reply.code().is_completion() => {
                Step::Done(Ok(if self.private {
                    Protection::Private
                } else {
                    Protection::Clear
                }))
            }
            _ => fail(FlowError::Unexpected {
                command: Some(self.line.command()),
                reply: reply.clone(),
            }),
        }
    }
}
