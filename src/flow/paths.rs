//! Paths and files on the control connection: `PWD`, `MKD`, `CWD`, `CDUP`,
//! `RMD`, `DELE`, `RNFR`→`RNTO`, `SIZE`, `MDTM`, `MLST`, and any other command
//! with one reply.

use alloc::vec::Vec;

use crate::command::Command;
use crate::encode::CommandLine;
use crate::payload::{Facts, PayloadError, Timestamp};
use crate::reply::Reply;
use crate::session::{CommandHandle, Event, Session};

use super::{Flow, FlowError, Step, fail, judge};

/// One command and its positive completion reply, read by `read`.
#[derive(Clone)]
pub struct Simple<T> {
    handle: CommandHandle,
    line: CommandLine,
    read: fn(&Reply) -> Result<T, PayloadError>,
}

impl<T> core::fmt::Debug for Simple<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Simple")
            .field("handle", &self.handle)
            .field("line", &self.line)
            .finish_non_exhaustive()
    }
}

fn reply(reply: &Reply) -> Result<Reply, PayloadError> {
    Ok(reply.clone())
}

/// A `257` path, unquoted; a control character in it is an error, since the
/// path goes back to the server in later commands.
fn path(reply: &Reply) -> Result<Vec<u8>, PayloadError> {
    reply.pathname().map(|p| p.into_owned())
}

/// A `257` to `MKD` that names no path (aioftp sends `257 ` alone): the
/// directory was made, but what the server calls it is unknown.
fn made(reply: &Reply) -> Result<Option<Vec<u8>>, PayloadError> {
    if reply.first_line().contains(&b'"') {
        path(reply).map(Some)
    } else {
        Ok(None)
    }
}

fn size(reply: &Reply) -> Result<u64, PayloadError> {
    reply.size()
}

fn mdtm(reply: &Reply) -> Result<Timestamp, PayloadError> {
    reply.modification_time()
}

/// RFC 3659 §7.2: `250-Listing path`, one line ` facts path`, `250 End`; the
/// entry checked by [`Reply::mlst_facts`].
fn mlst(reply: &Reply) -> Result<MlstEntry, PayloadError> {
    let facts = reply.mlst_facts()?;
    let mut entry = Vec::with_capacity(facts.facts_bytes().len() + 1 + facts.pathname().len());
    entry.extend_from_slice(facts.facts_bytes());
    entry.push(b' ');
    entry.extend_from_slice(facts.pathname());
    Ok(MlstEntry {
        reply: reply.clone(),
        space: facts.facts_bytes().len(),
        entry,
    })
}

/// The entry of a `250` reply to `MLST` (RFC 3659 §7.2): the result of
/// [`Simple::mlst`]. It was checked as [`parse_facts`] checks an entry, so
/// [`facts`](MlstEntry::facts) cannot fail and reads it without copying.
///
/// ```
/// use ftp_reply::flow::{Flow, Poll, Simple};
/// use ftp_reply::payload::EntryType;
/// use ftp_reply::session::Session;
///
/// let mut session = Session::new();
/// session.enqueue_input(b"220 Ready.\r\n");
/// let mut mlst = Simple::mlst(&mut session, "hello.txt")?;
/// let mut server: &[u8] = b"250-Listing hello.txt\r\n type=file;size=8192; hello.txt\r\n250 End\r\n";
/// let entry = loop {
///     match mlst.poll(&mut session, &mut |_| {}) {
///         Poll::Write(_) => {} // `MLST hello.txt`, to the server
///         Poll::Read => session.enqueue_input(core::mem::take(&mut server)),
///         Poll::Act(action) => unreachable!("{action:?}"),
///         Poll::Done(result) => break result?,
///     }
/// };
/// assert_eq!(entry.pathname(), b"hello.txt");
/// assert_eq!(entry.facts().entry_type(), Some(EntryType::File));
/// assert_eq!(entry.facts().size(), Some(8192));
/// assert_eq!(entry.entry(), b"type=file;size=8192; hello.txt");
/// # Ok::<(), ftp_reply::flow::FlowError>(())
/// ```
///
/// [`parse_facts`]: crate::payload::parse_facts
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MlstEntry {
    reply: Reply,
    /// `facts pathname`: the entry line without the space that starts it.
    entry: Vec<u8>,
    /// Where the space between the facts and the pathname is in `entry`.
    space: usize,
}

impl MlstEntry {
    /// The entry's facts and pathname, borrowed from it.
    #[must_use]
    pub fn facts(&self) -> Facts<'_> {
        Facts::from_checked(self.facts_bytes(), self.pathname())
    }

    /// The pathname, as sent (RFC 3659 §7.2: every byte after the space that
    /// ends the facts).
    #[must_use]
    pub fn pathname(&self) -> &[u8] {
        self.entry.get(self.space + 1..).unwrap_or_default()
    }

    /// The entry as sent, `facts pathname`, without the space that starts its
    /// line: what [`Simple::mlst`] returned before it returned an `MlstEntry`.
    #[must_use]
    pub fn entry(&self) -> &[u8] {
        &self.entry
    }

    /// The whole `250` reply.
    #[must_use]
    pub fn reply(&self) -> &Reply {
        &self.reply
    }

    fn facts_bytes(&self) -> &[u8] {
        self.entry.get(..self.space).unwrap_or_default()
    }
}

impl<T> Simple<T> {
    fn start(
        session: &mut Session,
        command: Command,
        argument: impl AsRef<[u8]>,
        read: fn(&Reply) -> Result<T, PayloadError>,
    ) -> Result<Simple<T>, FlowError> {
        let line = CommandLine::new(command, argument.as_ref())?;
        let handle = session.send(line.clone())?;
        Ok(Simple { handle, line, read })
    }
}

impl Simple<Reply> {
    /// Any command with one positive completion reply (`TYPE I`, `NOOP`,
    /// `SITE ...`); the result is the reply.
    ///
    /// # Errors
    ///
    /// [`FlowError::Argument`] when the argument holds CR, LF or NUL (nothing is
    /// sent), or breaks the command's argument rule; [`FlowError::Session`].
    pub fn command(
        session: &mut Session,
        command: Command,
        argument: impl AsRef<[u8]>,
    ) -> Result<Self, FlowError> {
        Simple::start(session, command, argument, reply)
    }

    /// `CWD path`.
    ///
    /// # Errors
    ///
    /// As [`Simple::command`].
    pub fn cwd(session: &mut Session, path: impl AsRef<[u8]>) -> Result<Self, FlowError> {
        Simple::start(session, Command::Cwd, path, reply)
    }

    /// `CDUP`.
    ///
    /// # Errors
    ///
    /// As [`Simple::command`].
    pub fn cdup(session: &mut Session) -> Result<Self, FlowError> {
        Simple::start(session, Command::Cdup, b"", reply)
    }

    /// `RMD path`.
    ///
    /// # Errors
    ///
    /// As [`Simple::command`].
    pub fn rmd(session: &mut Session, path: impl AsRef<[u8]>) -> Result<Self, FlowError> {
        Simple::start(session, Command::Rmd, path, reply)
    }

    /// `DELE path`.
    ///
    /// # Errors
    ///
    /// As [`Simple::command`].
    pub fn dele(session: &mut Session, path: impl AsRef<[u8]>) -> Result<Self, FlowError> {
        Simple::start(session, Command::Dele, path, reply)
    }
}

impl Simple<Vec<u8>> {
    /// `PWD`: the current directory.
    ///
    /// # Errors
    ///
    /// As [`Simple::command`].
    pub fn pwd(session: &mut Session) -> Result<Self, FlowError> {
        Simple::start(session, Command::Pwd, b"", path)
    }
}

impl Simple<MlstEntry> {
    /// `MLST path` (RFC 3659 §7): the entry the server gave, its facts typed.
    ///
    /// # Errors
    ///
    /// As [`Simple::command`]. The flow ends with [`FlowError::Payload`] (a
    /// [`PayloadError`] of kind `mlst` with the line and the byte offset) when
    /// the `250` reply holds no well-formed entry line or more than one.
    pub fn mlst(session: &mut Session, path: impl AsRef<[u8]>) -> Result<Self, FlowError> {
        Simple::start(session, Command::Mlst, path, mlst)
    }
}

impl Simple<Option<Vec<u8>>> {
    /// `MKD path`: the directory created, as the server names it (`None` when
    /// its `257` names none).
    ///
    /// # Errors
    ///
    /// As [`Simple::command`]; [`FlowError::Payload`] when the path holds a
    /// control character.
    pub fn mkd(session: &mut Session, path: impl AsRef<[u8]>) -> Result<Self, FlowError> {
        Simple::start(session, Command::Mkd, path, made)
    }
}

impl Simple<u64> {
    /// `SIZE path` (RFC 3659 §4): the size in bytes (in the current `TYPE`).
    ///
    /// # Errors
    ///
    /// As [`Simple::command`].
    pub fn size(session: &mut Session, path: impl AsRef<[u8]>) -> Result<Self, FlowError> {
        Simple::start(session, Command::Size, path, size)
    }
}

impl Simple<Timestamp> {
    /// `MDTM path` (RFC 3659 §3): the modification time, UTC.
    ///
    /// # Errors
    ///
    /// As [`Simple::command`].
    pub fn mdtm(session: &mut Session, path: impl AsRef<[u8]>) -> Result<Self, FlowError> {
        Simple::start(session, Command::Mdtm, path, mdtm)
    }
}

impl<T> Flow for Simple<T> {
    type Output = T;

    fn on_event(&mut self, _: &mut Session, event: &Event) -> Step<T> {
        match judge(event, self.handle, &self.line) {
            Ok(None) => Step::Continue,
            Ok(Some(reply)) if reply.code().is_completion() => {
                Step::Done((self.read)(reply).map_err(|error| FlowError::Payload {
                    command: self.line.command(),
                    reply: reply.clone(),
                    error: error.into(),
                }))
            }
            Ok(Some(reply)) => fail(FlowError::Unexpected {
                command: Some(self.line.command()),
                reply: reply.clone(),
            }),
            Err(e) => fail(e),
        }
    }
}

/// `RNFR from`, then on `350` `RNTO to` (RFC 959 §5.4). Both lines are built
/// before anything is sent.
#[derive(Debug, Clone)]
pub struct Rename {
    handle: CommandHandle,
    line: CommandLine,
    to: Option<CommandLine>,
}

impl Rename {
    /// Sends `RNFR from`.
    ///
    /// # Errors
    ///
    /// As [`Simple::command`].
    pub fn start(
        session: &mut Session,
        from: impl AsRef<[u8]>,
        to: impl AsRef<[u8]>,
    ) -> Result<Rename, FlowError> {
        let to = CommandLine::new(Command::Rnto, to.as_ref())?;
        let line = CommandLine::new(Command::Rnfr, from.as_ref())?;
        let handle = session.send(line.clone())?;
        Ok(Rename {
            handle,
            line,
            to: Some(to),
        })
    }
}

impl Flow for Rename {
    type Output = Reply;

    fn on_event(&mut self, session: &mut Session, event: &Event) -> Step<Reply> {
        let reply = match judge(event, self.handle, &self.line) {
            Ok(None) => return Step::Continue,
            Ok(Some(reply)) => reply,
            Err(e) => return fail(e),
        };
        match (reply.code().as_u16(), self.to.take()) {
            (350, Some(to)) => match session.send(to.clone()) {
                Ok(handle) => {
                    (self.handle, self.line) = (handle, to);
                    Step::Continue
                }
                Err(e) => fail(e.into()),
            },
            (_, None) if reply.code().is_completion() => Step::Done(Ok(reply.clone())),
            _ => fail(FlowError::Unexpected {
                command: Some(self.line.command()),
                reply: reply.clone(),
            }),
        }
    }
}
