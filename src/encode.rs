//! Everything that goes out: command lines (the only way a command reaches the
//! wire) and replies (for servers, tests and fuzzing). It sits above the decoder,
//! so `Reply::new` can decode what it encodes without the reply type knowing of
//! the decoder.
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

use bytes::{BufMut, BytesMut};

use crate::code::ReplyCode;
use crate::command::{ArgumentRule, Command, CommandError};
use crate::decoder::{DecoderConfig, ReplyDecoder};
use crate::error::EncodeError;
use crate::reply::Reply;
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
    line: Storage,
    /// Where the argument starts in `line` (`line.len() - 2` when there is none).
    argument: usize,
}

/// Bytes kept inline up to [`INLINE`], on the heap beyond: most command lines
/// (`NOOP`, `PASV`, `RETR name`) then cost no allocation to build, send or drop.
#[derive(Clone)]
enum Storage {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Vec<u8>),
}

const INLINE: usize = 54;

impl Storage {
    fn with_capacity(capacity: usize) -> Storage {
        if capacity <= INLINE {
            Storage::Inline {
                len: 0,
                bytes: [0; INLINE],
            }
        } else {
            Storage::Heap(Vec::with_capacity(capacity))
        }
    }

    fn extend_from_slice(&mut self, more: &[u8]) {
        match self {
            Storage::Inline { len, bytes } => {
                let at = usize::from(*len);
                if let Some(dst) = bytes.get_mut(at..at + more.len()) {
                    dst.copy_from_slice(more);
                    // `at + more.len() <= INLINE`, which fits in a byte.
                    *len = (at + more.len()) as u8;
                } else {
                    let mut heap = Vec::with_capacity(at + more.len());
                    heap.extend_from_slice(&bytes[..at]);
                    heap.extend_from_slice(more);
                    *self = Storage::Heap(heap);
                }
            }
            Storage::Heap(heap) => heap.extend_from_slice(more),
        }
    }

    fn push(&mut self, byte: u8) {
        self.extend_from_slice(&[byte]);
    }

    fn len(&self) -> usize {
        self.as_slice().len()
    }

    fn as_slice(&self) -> &[u8] {
        match self {
            Storage::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Storage::Heap(heap) => heap,
        }
    }
}

impl PartialEq for Storage {
    fn eq(&self, other: &Storage) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Storage {}

impl core::hash::Hash for Storage {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
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
        Ok(CommandLine::assemble(command, argument, len))
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
        let len = verb.len() + argument.len() + 3;
        Ok(CommandLine::assemble(command, argument, len))
    }

    /// The line `VERB [SP argument] CRLF`, `0xFF` in the argument doubled; `len`
    /// is a capacity hint.
    fn assemble(command: Command, argument: &[u8], len: usize) -> CommandLine {
        let mut line = Storage::with_capacity(len);
        line.extend_from_slice(command.as_str().as_bytes());
        if !argument.is_empty() {
            line.push(b' ');
        }
        let start = line.len();
        escaped(argument, |piece| line.extend_from_slice(piece));
        line.extend_from_slice(b"\r\n");
        CommandLine {
            command,
            line,
            argument: start,
        }
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
        let line = self.line.as_slice();
        &line[self.argument..line.len() - 2]
    }

    /// The bytes to write, CRLF included.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.line.as_slice()
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

    /// A command line as a client sent it (from a capture, a log, a transcript),
    /// shown to people with the argument of `PASS` and `ACCT` masked, whether or
    /// not the line parses.
    ///
    /// A line that [`parse`](Self::parse) reads is shown as its
    /// [`shown`](Self::shown). Any other (a NUL or CR inside, a bad verb) is shown
    /// as it is, invalid UTF-8 replaced and trailing white space removed, except
    /// that when its verb (the first run of ASCII letters and digits, read
    /// case-insensitively after Telnet commands are dropped) is `PASS` or `ACCT`,
    /// everything after the verb is shown as `****`: the password of a garbled
    /// `PASS` line is still a password.
    ///
    /// ```
    /// use ftp_reply::CommandLine;
    /// assert_eq!(CommandLine::shown_raw(b"pass secret\r\n"), "PASS ****");
    /// assert_eq!(CommandLine::shown_raw(b"Pass se\0cret"), "Pass ****");
    /// assert_eq!(CommandLine::shown_raw(b"ACCT\0bank\rPASS x"), "ACCT ****");
    /// assert_eq!(CommandLine::shown_raw(b"CWD a\0b"), "CWD a\0b");
    /// ```
    #[must_use]
    pub fn shown_raw(line: &[u8]) -> String {
        if let Ok(parsed) = CommandLine::parse(line) {
            return parsed.shown();
        }
        let text: Cow<'_, [u8]> = if line.contains(&IAC) {
            Cow::Owned(telnet::strip(line))
        } else {
            Cow::Borrowed(line)
        };
        let start = text
            .iter()
            .position(u8::is_ascii_alphanumeric)
            .unwrap_or(text.len());
        let end = text[start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(text.len(), |n| start + n);
        let verb = &text[start..end];
        if verb.eq_ignore_ascii_case(b"PASS") || verb.eq_ignore_ascii_case(b"ACCT") {
            let mut shown = String::from_utf8_lossy(&text[..end]).into_owned();
            if !text[end..].trim_ascii().is_empty() {
                shown.push_str(" ****");
            }
            return shown;
        }
        String::from(String::from_utf8_lossy(&text).trim_end())
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

impl Reply {
    /// Encodes a reply with `code` and text `lines` (see [`encode_reply`]) and
    /// returns it as decoded.
    ///
    /// ```
    /// use ftp_reply::{Reply, ReplyCode};
    /// let reply = Reply::new(ReplyCode::SYSTEM_STATUS, &["Features:", " UTF8", "End"])?;
    /// assert_eq!(reply.raw(), b"211-Features:\r\n UTF8\r\n211 End\r\n");
    /// assert_eq!(reply.lines().collect::<Vec<_>>(), [&b"Features:"[..], b" UTF8", b"End"]);
    /// # Ok::<(), ftp_reply::EncodeError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`EncodeError::LineFeedInText`] if a line contains LF.
    pub fn new<L: AsRef<[u8]>>(code: ReplyCode, lines: &[L]) -> Result<Reply, EncodeError> {
        let mut buf = BytesMut::new();
        encode_reply(code, lines, &mut buf)?;
        let mut decoder = ReplyDecoder::with_config(DecoderConfig::unbounded());
        match decoder.decode(&mut buf) {
            Ok(Some(reply)) => Ok(reply),
            // The encoder writes exactly one valid reply; anything else is a bug in it.
            other => unreachable_encoding(other.is_ok()),
        }
    }
}

#[cold]
fn unreachable_encoding(ok: bool) -> ! {
    panic!("encode_reply wrote bytes that do not decode as one reply (decoded ok: {ok})")
}

/// Writes a reply with `code` and text `lines` to `dst`, as RFC 959 §4.2 frames it.
///
/// One line gives `CODE SP text CRLF`; more give `CODE-first`, the lines between,
/// and `CODE SP last`. A line between that would otherwise be read as the end line,
/// or lose its start to [`Reply::lines`] (it starts with the code followed by a
/// space or a hyphen, or is the code alone), is written after `CODE-`, which RFC 959
/// allows and which keeps the text exact; other lines are written as they are,
/// except in a protected reply (`6yz`), where RFC 2228 §4 wants every line before
/// the last to start with `CODE-`.
/// A 0xFF byte is written as `IAC IAC` (the control connection is a Telnet NVT).
/// No lines at all is written as one empty line. Decoding what this writes gives
/// back `code` and `lines` exactly.
///
/// # Errors
///
/// [`EncodeError::LineFeedInText`] if a line contains LF; nothing is written then.
pub fn encode_reply<L: AsRef<[u8]>>(
    code: ReplyCode,
    lines: &[L],
    dst: &mut BytesMut,
) -> Result<(), EncodeError> {
    for (line, text) in lines.iter().enumerate() {
        if let Some(offset) = memchr::memchr(b'\n', text.as_ref()) {
            return Err(EncodeError::LineFeedInText { line, offset });
        }
    }
    let digits = code.digits();
    let n = lines.len();
    let size: usize = lines.iter().map(|l| l.as_ref().len() + 6).sum();
    dst.reserve(size.max(6));
    if n == 0 {
        dst.put_slice(&digits);
        dst.put_slice(b" \r\n");
        return Ok(());
    }
    for (i, text) in lines.iter().enumerate() {
        let text = text.as_ref();
        if i == 0 || i + 1 == n {
            dst.put_slice(&digits);
            dst.put_u8(if i + 1 == n { b' ' } else { b'-' });
        } else if code.is_protected()
            || (text.len() >= 3
                && text[..3] == digits
                && matches!(text.get(3), None | Some(b' ' | b'-')))
        {
            dst.put_slice(&digits);
            dst.put_u8(b'-');
        }
        put_escaped(dst, text);
        dst.put_slice(b"\r\n");
    }
    Ok(())
}

fn put_escaped(dst: &mut BytesMut, text: &[u8]) {
    escaped(text, |piece| dst.put_slice(piece));
}

/// Gives `text` to `put` in pieces with every `0xFF` doubled as `IAC IAC` (the
/// control connection is a Telnet NVT, RFC 959 §4.1; RFC 2640 §3.1).
fn escaped(mut text: &[u8], mut put: impl FnMut(&[u8])) {
    while let Some(i) = memchr::memchr(IAC, text) {
        put(&text[..=i]);
        put(&[IAC]);
        text = &text[i + 1..];
    }
    put(text);
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

    /// Every way a `PASS` or `ACCT` line can fail to parse still hides what
    /// follows the verb.
    #[test]
    fn shown_raw_masks_secrets_of_lines_that_do_not_parse() {
        let secret = "hunter2";
        for line in [
            &b"PASS hunter2"[..],
            b"pass hunter2\r\n",
            b"PASS hunter2\0",
            b"PASS hun\0ter2",
            b"PASS hunter2\r",
            b"PASS hunter2\r\r\n",
            b"PASS hun\rter2",
            b"PASS\0hunter2",
            b"PASS\thunter2\0",
            b"  PASS hunter2\0",
            b"\0PASS hunter2",
            b"\xff\xf4PASS hun\0ter2",
            b"PA\xff\xf1SS hun\0ter2",
            b"PASS \xffhunter2\0",
            b"ACCT hunter2\0",
            b"aCcT\nhunter2",
        ] {
            let shown = CommandLine::shown_raw(line);
            assert!(!shown.contains(secret), "{line:?} shown as {shown:?}");
            assert!(shown.ends_with(" ****"), "{line:?} shown as {shown:?}");
        }
        assert_eq!(CommandLine::shown_raw(b"PASS hun\0ter2"), "PASS ****");
        assert_eq!(CommandLine::shown_raw(b"pass\0hunter2"), "pass ****");
        // Nothing but white space after the verb: nothing to hide.
        assert_eq!(CommandLine::shown_raw(b"PASS\r\n"), "PASS");
        assert_eq!(CommandLine::shown_raw(b"PASS \r\r\n"), "PASS");
        assert_eq!(CommandLine::shown_raw(b"PASS\0"), "PASS ****");
    }

    #[test]
    fn shown_raw_of_other_lines() {
        // Lines that parse are shown as `shown` shows them.
        assert_eq!(CommandLine::shown_raw(b"retr a b\r\n"), "RETR a b");
        assert_eq!(CommandLine::shown_raw(b"\xff\xf4\xff\xf2abor\r\n"), "ABOR");
        // Others as they are, line ending and trailing white space dropped.
        assert_eq!(CommandLine::shown_raw(b"CWD a\0b\r\r\n"), "CWD a\0b");
        assert_eq!(CommandLine::shown_raw(b"PASSWORD x\0"), "PASSWORD x\0");
        assert_eq!(CommandLine::shown_raw(b"R-TR x"), "R-TR x");
        assert_eq!(CommandLine::shown_raw(b"\xc3("), "\u{fffd}(");
        assert_eq!(CommandLine::shown_raw(b""), "");
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
