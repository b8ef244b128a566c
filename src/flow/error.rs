//! Why a flow failed; every error that came from a reply keeps it.

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;

use crate::command::Command;
use crate::encode::{CommandLine, CommandLineError};
use crate::error::DecodeError;
use crate::payload::PayloadError;
use crate::reply::Reply;
use crate::session::{CloseReason, SessionError};

/// Why a flow ended without its result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FlowError {
    /// The server refused a command (a `4yz` or `5yz` reply, `530` to `USER` or
    /// `PASS`, `550` to `RETR`, ...).
    Rejected {
        /// The command.
        command: Command,
        /// The command line as shown to people (`PASS ****`).
        shown: String,
        /// The reply.
        reply: Reply,
    },
    /// The server sent `421` and is closing the control connection.
    ClosedByServer {
        /// The `421` reply.
        reply: Reply,
    },
    /// The control connection ended (end of stream, or `QUIT` answered) before
    /// the flow did.
    Disconnected {
        /// How the session closed.
        reason: CloseReason,
    },
    /// A reply no document lists for the command at this point, and that the
    /// flow cannot go on from (a `1yz` to `PWD`, a `3yz` to `PASS` other than
    /// `332`).
    Unexpected {
        /// The command (`None` for the greeting).
        command: Option<Command>,
        /// The reply.
        reply: Reply,
    },
    /// A reply's payload could not be read (a `227` without an address, a `257`
    /// path holding a control character, which must never be sent back).
    Payload {
        /// The command.
        command: Command,
        /// The reply.
        reply: Reply,
        /// What was wrong, and where.
        error: Box<PayloadError>,
    },
    /// The server asked for an account (`332`) and none was given.
    AccountRequired {
        /// The `332` reply.
        reply: Reply,
    },
    /// Bytes came after the `234` to `AUTH TLS` before TLS started: they were
    /// sent in clear text by someone, and would have been read as if protected
    /// (the STARTTLS injection of CVE-2011-0411).
    DataAfterAuth {
        /// How many bytes.
        bytes: usize,
    },
    /// The decoder dropped the reply the flow waited for (too long, a bare LF
    /// under strict line endings, ...).
    Stream {
        /// What was wrong, and where.
        error: DecodeError,
    },
    /// A command line could not be built: its argument holds CR, LF or NUL, or
    /// breaks the command's argument rule. Nothing was sent.
    Argument(CommandLineError),
    /// The session refused the command.
    Session(SessionError),
    /// The flow was used in a way it does not allow (`abort` before the command
    /// was sent, `data_ended` without a transfer).
    Misuse(&'static str),
}

impl FlowError {
    /// The reply the error came from, if any.
    #[must_use]
    pub fn reply(&self) -> Option<&Reply> {
        match self {
            FlowError::Rejected { reply, .. }
            | FlowError::ClosedByServer { reply }
            | FlowError::Unexpected { reply, .. }
            | FlowError::Payload { reply, .. }
            | FlowError::AccountRequired { reply } => Some(reply),
            _ => None,
        }
    }

    pub(crate) fn rejected(line: &CommandLine, reply: &Reply) -> FlowError {
        FlowError::Rejected {
            command: line.command(),
            shown: line.shown(),
            reply: reply.clone(),
        }
    }
}

impl From<CommandLineError> for FlowError {
    fn from(e: CommandLineError) -> Self {
        FlowError::Argument(e)
    }
}

impl From<SessionError> for FlowError {
    fn from(e: SessionError) -> Self {
        FlowError::Session(e)
    }
}

/// `CODE text`, lines joined by spaces.
struct Shown<'a>(&'a Reply);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0.code(), self.0.text().replace('\n', " "))
    }
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowError::Rejected { shown, reply, .. } => write!(f, "{shown}: {}", Shown(reply)),
            FlowError::ClosedByServer { reply } => {
                write!(f, "the server closed the connection: {}", Shown(reply))
            }
            FlowError::Disconnected { reason } => write!(f, "the session ended ({reason})"),
            FlowError::Unexpected {
                command: Some(command),
                reply,
            } => write!(f, "{command}: unexpected reply {}", Shown(reply)),
            FlowError::Unexpected {
                command: None,
                reply,
            } => write!(f, "unexpected greeting {}", Shown(reply)),
            FlowError::Payload {
                command,
                reply,
                error,
            } => write!(f, "{command}: {error} in {}", Shown(reply)),
            FlowError::AccountRequired { reply } => {
                write!(f, "an account is required: {}", Shown(reply))
            }
            FlowError::DataAfterAuth { bytes } => write!(
                f,
                "{bytes} bytes came after 234 to AUTH TLS before TLS started"
            ),
            FlowError::Stream { error } => write!(f, "{error}"),
            FlowError::Argument(e) => write!(f, "{e}"),
            FlowError::Session(e) => write!(f, "{e}"),
            FlowError::Misuse(what) => f.write_str(what),
        }
    }
}

impl core::error::Error for FlowError {}
