//! Command lines out: the only way a command reaches the wire.
//!
//! RFC 959 §5.3: "The commands begin with a command code followed by an argument
//! field. [...] The argument field consists of a variable length character string
//! ending with the character sequence `<CRLF>`". An argument that holds CR or LF
//! would end the line early, and whatever follows would be read by the server as
//! another command (command injection: CVE-2017-3533 in Java's FtpClient, bpo-30119
//! in CPython's ftplib, and the same class of bug in Rust and Node clients); a NUL
//! ends the line for servers written in C. [`CommandLine::new`] refuses all three.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::command::{ArgumentRule, Command, CommandError};
use crate::telnet::{self, IAC};

/// The longest command line [`CommandLine::new`] builds, line ending included.
///
/// RFC 959 sets no limit, but servers do, and what a server does with a longer
/// line is the danger: pyftpdlib answers `500 Command too long.` once it has
/// buffered more than 2048 bytes and then reads the rest of the line as a *second*
/// command, so a long argument would smuggle a command of the argument's choosing.
/// vsftpd cuts at 4096 bytes; ProFTPD ignores a 10000-byte line. 2048 bytes is
/// below every limit seen, and above any path the servers accept (`PATH_MAX` is
/// 4096, but a path component is at most 255 bytes on common file systems, and a
/// client can `CWD` step by step).
pub const MAX_COMMAND_LINE_LEN: usize = 2048;

/// Why [`CommandLine::new`] or [`CommandLine::parse`] refused a command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CommandLineError {
    /// The argument holds a CR, LF or NUL, which would end the line early: the bytes
    /// after it would reach the server as another command.
    #[error("byte {offset} of the argument is {}, which would end the command line early", byte_name(*byte))]
    ForbiddenByte {
        /// Position of the byte in the argument ([`CommandLine::new`]) or in the
        /// line ([`CommandLine::parse`]).
        offset: usize,
        /// The byte: `\r`, `\n` or `\0`.
        byte: u8,
    },
    /// The command requires an argument (RFC 959 §5.3.1) and none was given.
    #[error("{command} requires an argument (RFC 959 §5.3.1)")]
    MissingArgument {
        /// The command.
        command: Command,
    },
    /// The command takes no argument (RFC 959 §5.3.1) and one was given.
    #[error("{command} takes no argument (RFC 959 §5.3.1)")]
    UnexpectedArgument {
        /// The command.
        command: Command,
    },
    /// The line would be longer than [`MAX_COMMAND_LINE_LEN`].
    #[error("command line of {len} bytes is longer than {limit} bytes")]
    TooLong {
        /// The line's length, line ending and doubled `IAC` bytes included.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// The verb of a line given to [`CommandLine::parse`] is not valid.
    #[error("{0}")]
    Verb(#[from] CommandError),
}

fn byte_name(byte: u8) -> &'static str {
    match byte {
        b'\r' => "CR",
        b'\n' => "LF",
        _ => "NUL",
    }
}

/// One command line, as it goes on the wire: the verb, a space and the argument
/// (with `0xFF` doubled as Telnet `IAC IAC`, RFC 959 §4.1 and RFC 2640 §3.1), then
/// CRLF. It never holds CR, LF or NUL outside its ending.
///
/// ```
/// use ftp_reply::{Command, CommandLine, CommandLineError};
/// let line = CommandLine::new(Command::Retr, b"/pub/file.txt")?;
/// assert_eq!(line.as_bytes(), b"RETR /pub/file.txt\r\n");
///
/// // An argument that would smuggle a second command is refused.
/// let err = CommandLine::new(Command::Cwd, b"x\r\nDELE y").unwrap_err();
/// assert_eq!(err, CommandLineError::ForbiddenByte { offset: 1, byte: b'\r' });
///
/// // Passwords never reach a log through Display or Debug.
/// let pass = CommandLine::new(Command::Pass, b"secret")?;
/// assert_eq!(pass.to_string(), "PASS ****");
/// assert!(!format!("{pass:?}").contains("secret"));
/// # Ok::<(), CommandLineError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CommandLine {
    command: Command,
    /// The wire bytes, CRLF included.
    line: Vec<u8>,
    /// Where the argument starts in `line` (`line.len() - 2` when there is none).
    argument: usize,
}

impl CommandLine {
    /// Builds the line `VERB SP argument CRLF` (`VERB CRLF` for an empty
    /// argument).
    ///
    /// # Errors
    ///
    /// [`CommandLineError`] when the argument holds CR, LF or NUL, is missing where
    /// the command requires one or present where it takes none
    /// ([`Command::argument_rule`]), or the line would be longer than
    /// [`MAX_COMMAND_LINE_LEN`].
    pub fn new(command: Command, argument: &[u8]) -> Result<CommandLine, CommandLineError> {
        if let Some(offset) = argument
            .iter()
            .position(|&b| matches!(b, b'\r' | b'\n' | 0))
        {
            return Err(CommandLineError::ForbiddenByte {
                offset,
                byte: argument[offset],
            });
        }
        match (command.argument_rule(), argument.is_empty()) {
            (ArgumentRule::Required, true) => {
                return Err(CommandLineError::MissingArgument { command });
            }
            (ArgumentRule::None, false) => {
                return Err(CommandLineError::UnexpectedArgument { command });
            }
            _ => {}
        }
        let verb = command.as_str().as_bytes();
        let iacs = memchr::memchr_iter(IAC, argument).count();
        let len = verb.len() + usize::from(!argument.is_empty()) + argument.len() + iacs + 2;
        if len > MAX_COMMAND_LINE_LEN {
            return Err(CommandLineError::TooLong {
                len,
                limit: MAX_COMMAND_LINE_LEN,
            });
        }
        let mut line = Vec::with_capacity(len);
        line.extend_from_slice(verb);
        if !argument.is_empty() {
            line.push(b' ');
        }
        let start = line.len();
        for &b in argument {
            line.push(b);
            if b == IAC {
                line.push(IAC);
            }
        }
        line.extend_from_slice(b"\r\n");
        Ok(CommandLine {
            command,
            line,
            argument: start,
        })
    }

    /// Reads one command line as a client sent it (from a capture, a log, a
    /// transcript): one trailing CRLF, LF or CR is removed, the verb is read
    /// case-insensitively ([`Command::from_verb`]) and Telnet sequences are
    /// interpreted (`IAC IAC` is a `0xFF` byte of the argument; commands such as
    /// the `IAC IP` a client sends before `ABOR`, RFC 959 §4.1.3, are dropped).
    ///
    /// The argument rules of [`new`](Self::new) are not applied, since clients do
    /// not all follow them (`STOU name`, `PASS` with nothing after it); the line's
    /// length is not limited either. The result's [`as_bytes`](Self::as_bytes) is
    /// the line as [`new`](Self::new) would write it.
    ///
    /// ```
    /// use ftp_reply::{Command, CommandLine};
    /// let line = CommandLine::parse(b"\xff\xf4\xff\xf2abor\r\n")?;
    /// assert_eq!(line.command(), Command::Abor);
    /// assert_eq!(line.as_bytes(), b"ABOR\r\n");
    /// # Ok::<(), ftp_reply::CommandLineError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`CommandLineError::ForbiddenByte`] for a CR, LF or NUL before the line's
    /// end (offset in `line`), [`CommandLineError::Verb`] for an empty line or a
    /// verb that is not 1 to [`MAX_VERB_LEN`](crate::MAX_VERB_LEN) ASCII letters or
    /// digits.
    pub fn parse(line: &[u8]) -> Result<CommandLine, CommandLineError> {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if let Some(offset) = line.iter().position(|&b| matches!(b, b'\r' | b'\n' | 0)) {
            return Err(CommandLineError::ForbiddenByte {
                offset,
                byte: line[offset],
            });
        }
        let text: Cow<'_, [u8]> = if line.contains(&IAC) {
            Cow::Owned(telnet::strip(line))
        } else {
            Cow::Borrowed(line)
        };
        let (verb, argument) = match text.iter().position(|&b| b == b' ') {
            Some(i) => (&text[..i], &text[i + 1..]),
            None => (&text[..], &[][..]),
        };
        let command = Command::from_verb(verb)?;
        let mut out = Vec::with_capacity(verb.len() + argument.len() + 3);
        out.extend_from_slice(command.as_str().as_bytes());
        if !argument.is_empty() {
            out.push(b' ');
        }
        let start = out.len();
        for &b in argument {
            out.push(b);
            if b == IAC {
                out.push(IAC);
            }
        }
        out.extend_from_slice(b"\r\n");
        Ok(CommandLine {
            command,
            line: out,
            argument: start,
        })
    }

    /// The command.
    #[must_use]
    pub fn command(&self) -> Command {
        self.command
    }

    /// The argument, `IAC IAC` read back as one `0xFF` byte (empty when there is
    /// none).
    #[must_use]
    pub fn argument(&self) -> Cow<'_, [u8]> {
        let wire = self.wire_argument();
        if wire.contains(&IAC) {
            Cow::Owned(telnet::strip(wire))
        } else {
            Cow::Borrowed(wire)
        }
    }

    /// The argument as it is on the wire (`0xFF` doubled).
    fn wire_argument(&self) -> &[u8] {
        &self.line[self.argument..self.line.len() - 2]
    }

    /// The bytes to write, CRLF included.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.line
    }

    /// Whether the argument is secret (`PASS`, `ACCT`) and is masked by `Display`
    /// and `Debug`.
    #[must_use]
    pub fn is_secret(&self) -> bool {
        matches!(self.command, Command::Pass | Command::Acct)
    }

    /// The line as shown to people: the argument of `PASS` and `ACCT` replaced by
    /// `****`, invalid UTF-8 replaced, no line ending.
    #[must_use]
    pub fn shown(&self) -> String {
        alloc::format!("{self}")
    }
}

impl AsRef<[u8]> for CommandLine {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl fmt::Display for CommandLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.command.as_str())?;
        let argument = self.argument();
        if argument.is_empty() {
            return Ok(());
        }
        if self.is_secret() {
            return f.write_str(" ****");
        }
        write!(f, " {}", String::from_utf8_lossy(&argument))
    }
}

impl fmt::Debug for CommandLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CommandLine")
            .field(&alloc::format!("{self}"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iac_is_doubled_and_read_back() {
        let line = CommandLine::new(Command::Cwd, b"a\xffb").unwrap();
        assert_eq!(line.as_bytes(), b"CWD a\xff\xffb\r\n");
        assert_eq!(&line.argument()[..], b"a\xffb");
        assert_eq!(CommandLine::parse(line.as_bytes()).unwrap(), line);
    }

    #[test]
    fn length_counts_doubled_iac() {
        let arg = alloc::vec![0xFF; (MAX_COMMAND_LINE_LEN - 6) / 2];
        let line = CommandLine::new(Command::Cwd, &arg).unwrap();
        assert_eq!(line.as_bytes().len(), MAX_COMMAND_LINE_LEN);
        let arg = alloc::vec![0xFF; (MAX_COMMAND_LINE_LEN - 6) / 2 + 1];
        assert_eq!(
            CommandLine::new(Command::Cwd, &arg),
            Err(CommandLineError::TooLong {
                len: MAX_COMMAND_LINE_LEN + 2,
                limit: MAX_COMMAND_LINE_LEN
            })
        );
    }
}
