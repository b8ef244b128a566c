//! `QUIT` (RFC 959 §5.4: `221`, `500`).

use crate::command::Command;
use crate::encode::CommandLine;
use crate::reply::Reply;
use crate::session::{CloseReason, CommandHandle, Event, Session};

use super::{Flow, FlowError, Step, fail, judge};

/// `QUIT`, ending with the `221`; a server that just closes the connection
/// ends it too (`None`).
#[derive(Debug, Clone)]
pub struct Quit {
    handle: CommandHandle,
    line: CommandLine,
}

impl Quit {
    /// Sends `QUIT`.
    ///
    /// # Errors
    ///
    /// [`FlowError::Session`] when the session is already closed.
    pub fn start(session: &mut Session) -> Result<Quit, FlowError> {
        let line = CommandLine::new(Command::Quit, b"")?;
        let handle = session.send(line.clone())?;
        Ok(Quit { handle, line })
    }
}

impl Flow for Quit {
    type Output = Option<Reply>;

    fn on_event(&mut self, _: &mut Session, event: &Event) -> Step<Option<Reply>> {
        match judge(event, self.handle, &self.line) {
            Ok(None) => Step::Continue,
            Ok(Some(reply)) => Step::Done(Ok(Some(reply.clone()))),
            Err(FlowError::Disconnected {
                reason: CloseReason::EndOfStream,
            }) => Step::Done(Ok(None)),
            Err(e) => fail(e),
        }
    }
}
