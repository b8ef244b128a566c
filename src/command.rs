//! FTP commands, parsed from a command line, and the replies each one expects
//! (RFC 959 §5.4 and the later documents that define commands).

use core::fmt;

/// The longest verb kept inline by [`Command::Other`] (RFC 959 verbs have at most
/// four letters; extensions seen in practice, such as `XSHA256`, fit in eight).
pub const MAX_VERB_LEN: usize = 8;

/// An FTP command verb: one of the commands of RFC 959, 2228, 2389, 2428, 1639,
/// 3659 and 7151, or any other verb, kept as sent (upper-cased).
///
/// Verbs are case-insensitive (RFC 959 §5.3); [`Command::parse`] upper-cases them.
/// RFC 3659's `REST` in stream mode is [`Command::Rest`] with a byte offset as its
/// argument: `REST STREAM` is the feature line in the `FEAT` reply, not a command.
///
/// ```
/// use ftp_reply::Command;
/// let parsed = Command::parse(b"retr /pub/file.txt\r\n")?;
/// assert_eq!(parsed.verb, Command::Retr);
/// assert_eq!(parsed.argument, b"/pub/file.txt");
///
/// let other = Command::parse(b"XSHA256 file")?.verb;
/// assert_eq!(other.as_str(), "XSHA256");
/// assert!(!other.is_known());
/// # Ok::<(), ftp_reply::CommandError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Command {
    /// `USER`: user name (RFC 959).
    User,
    /// `PASS`: password (RFC 959).
    Pass,
    /// `ACCT`: account (RFC 959).
    Acct,
    /// `CWD`: change working directory (RFC 959).
    Cwd,
    /// `CDUP`: change to parent directory (RFC 959).
    Cdup,
    /// `SMNT`: structure mount (RFC 959).
    Smnt,
    /// `REIN`: reinitialize (RFC 959).
    Rein,
    /// `QUIT`: logout (RFC 959).
    Quit,
    /// `PORT`: data port (RFC 959).
    Port,
    /// `PASV`: passive (RFC 959).
    Pasv,
    /// `TYPE`: representation type (RFC 959).
    Type,
    /// `STRU`: file structure (RFC 959).
    Stru,
    /// `MODE`: transfer mode (RFC 959).
    Mode,
    /// `RETR`: retrieve (RFC 959).
    Retr,
    /// `STOR`: store (RFC 959).
    Stor,
    /// `STOU`: store unique (RFC 959).
    Stou,
    /// `APPE`: append, with create (RFC 959).
    Appe,
    /// `ALLO`: allocate (RFC 959).
    Allo,
    /// `REST`: restart (RFC 959; in stream mode, a byte offset, RFC 3659 §5).
    Rest,
    /// `RNFR`: rename from (RFC 959).
    Rnfr,
    /// `RNTO`: rename to (RFC 959).
    Rnto,
    /// `ABOR`: abort (RFC 959).
    Abor,
    /// `DELE`: delete (RFC 959).
    Dele,
    /// `RMD`: remove directory (RFC 959).
    Rmd,
    /// `MKD`: make directory (RFC 959).
    Mkd,
    /// `PWD`: print working directory (RFC 959).
    Pwd,
    /// `LIST`: list (RFC 959).
    List,
    /// `NLST`: name list (RFC 959).
    Nlst,
    /// `SITE`: site parameters (RFC 959).
    Site,
    /// `SYST`: system (RFC 959).
    Syst,
    /// `STAT`: status (RFC 959).
    Stat,
    /// `HELP`: help (RFC 959).
    Help,
    /// `NOOP`: no operation (RFC 959).
    Noop,
    /// `AUTH`: authentication/security mechanism (RFC 2228).
    Auth,
    /// `ADAT`: authentication/security data (RFC 2228).
    Adat,
    /// `PROT`: data channel protection level (RFC 2228).
    Prot,
    /// `PBSZ`: protection buffer size (RFC 2228).
    Pbsz,
    /// `CCC`: clear command channel (RFC 2228).
    Ccc,
    /// `MIC`: integrity protected command (RFC 2228).
    Mic,
    /// `CONF`: confidentiality protected command (RFC 2228).
    Conf,
    /// `ENC`: privacy protected command (RFC 2228).
    Enc,
    /// `FEAT`: feature list (RFC 2389).
    Feat,
    /// `OPTS`: options (RFC 2389).
    Opts,
    /// `EPRT`: extended port (RFC 2428).
    Eprt,
    /// `EPSV`: extended passive (RFC 2428).
    Epsv,
    /// `LPRT`: long port (RFC 1639).
    Lprt,
    /// `LPSV`: long passive (RFC 1639).
    Lpsv,
    /// `SIZE`: size of file (RFC 3659).
    Size,
    /// `MDTM`: file modification time (RFC 3659).
    Mdtm,
    /// `MLST`: machine listing of one entry, on the control connection (RFC 3659).
    Mlst,
    /// `MLSD`: machine listing of a directory, on the data connection (RFC 3659).
    Mlsd,
    /// `HOST`: virtual host (RFC 7151).
    Host,
    /// Any other verb, upper-cased. No reply table is known for it.
    Other(Verb),
}

/// A verb no RFC this crate knows defines: up to [`MAX_VERB_LEN`] ASCII letters
/// and digits, upper-cased, kept inline so that [`Command`] stays `Copy`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Verb {
    bytes: [u8; MAX_VERB_LEN],
    len: u8,
}

impl Verb {
    /// The verb's bytes (ASCII letters and digits, upper case).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// The verb as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only ASCII letters and digits are ever stored.
        core::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}

impl fmt::Debug for Verb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Verb({:?})", self.as_str())
    }
}

impl fmt::Display for Verb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What was wrong with a command line given to [`Command::parse`] or a verb given
/// to [`Command::from_verb`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CommandError {
    /// The line (or verb) was empty.
    #[error("empty command")]
    Empty,
    /// The verb is longer than [`MAX_VERB_LEN`] bytes.
    #[error("command verb of {len} bytes is longer than {MAX_VERB_LEN}")]
    VerbTooLong {
        /// The verb's length.
        len: usize,
    },
    /// The verb holds a byte that is not an ASCII letter or digit.
    #[error("byte {offset} of the command verb is {byte:#04x}, not an ASCII letter or digit")]
    InvalidVerbByte {
        /// Position of the byte in the line.
        offset: usize,
        /// The byte.
        byte: u8,
    },
    /// A CR or LF before the end of the line: more than one line was given.
    #[error("line end at byte {offset} before the end of the command line")]
    LineEndInside {
        /// Position of the CR or LF in the line.
        offset: usize,
    },
}

/// A command line split into its verb and argument; see [`Command::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParsedCommand<'a> {
    /// The command.
    pub verb: Command,
    /// Everything after the space that follows the verb, line end removed
    /// (empty when the verb stands alone).
    pub argument: &'a [u8],
}

macro_rules! known_commands {
    ($($variant:ident = $verb:literal, $rfc:literal;)*) => {
        impl Command {
            /// Every command with a reply table, in the order of the documents
            /// (RFC 959 first).
            pub const ALL: &'static [Command] = &[$(Command::$variant,)*];

            /// The verb as sent on the wire, upper case.
            #[must_use]
            pub fn as_str(&self) -> &str {
                match self {
                    $(Command::$variant => $verb,)*
                    Command::Other(verb) => verb.as_str(),
                }
            }

            /// The number of the RFC that defines the command, or `None` for
            /// [`Command::Other`].
            #[must_use]
            pub const fn rfc(&self) -> Option<u16> {
                match self {
                    $(Command::$variant => Some($rfc),)*
                    Command::Other(_) => None,
                }
            }

            /// The judging rules of a command with a reply table; `None` for
            /// [`Command::Other`]. An index into a table rather than a `match` that
            /// returns a different address for each command: no indirect branch.
            #[inline]
            pub(crate) fn rules(&self) -> Option<&'static Rules> {
                /// The position of each known command in [`Command::ALL`].
                #[allow(clippy::upper_case_acronyms)]
                enum Index { $($variant,)* }
                // The same numbers as the variants' own: the compiler reads the
                // discriminant instead of branching.
                let index = match self {
                    $(Command::$variant => Index::$variant as usize,)*
                    Command::Other(_) => Command::ALL.len(),
                };
                RULES.get(index)
            }

            fn lookup(upper: &[u8]) -> Option<Command> {
                match upper {
                    $(v if v == $verb.as_bytes() => Some(Command::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

known_commands! {
    User = "USER", 959;
    Pass = "PASS", 959;
    Acct = "ACCT", 959;
    Cwd = "CWD", 959;
    Cdup = "CDUP", 959;
    Smnt = "SMNT", 959;
    Rein = "REIN", 959;
    Quit = "QUIT", 959;
    Port = "PORT", 959;
    Pasv = "PASV", 959;
    Type = "TYPE", 959;
    Stru = "STRU", 959;
    Mode = "MODE", 959;
    Retr = "RETR", 959;
    Stor = "STOR", 959;
    Stou = "STOU", 959;
    Appe = "APPE", 959;
    Allo = "ALLO", 959;
    Rest = "REST", 959;
    Rnfr = "RNFR", 959;
    Rnto = "RNTO", 959;
    Abor = "ABOR", 959;
    Dele = "DELE", 959;
    Rmd = "RMD", 959;
    Mkd = "MKD", 959;
    Pwd = "PWD", 959;
    List = "LIST", 959;
    Nlst = "NLST", 959;
    Site = "SITE", 959;
    Syst = "SYST", 959;
    Stat = "STAT", 959;
    Help = "HELP", 959;
    Noop = "NOOP", 959;
    Auth = "AUTH", 2228;
    Adat = "ADAT", 2228;
    Prot = "PROT", 2228;
    Pbsz = "PBSZ", 2228;
    Ccc = "CCC", 2228;
    Mic = "MIC", 2228;
    Conf = "CONF", 2228;
    Enc = "ENC", 2228;
    Feat = "FEAT", 2389;
    Opts = "OPTS", 2389;
    Eprt = "EPRT", 2428;
    Epsv = "EPSV", 2428;
    Lprt = "LPRT", 1639;
    Lpsv = "LPSV", 1639;
    Size = "SIZE", 3659;
    Mdtm = "MDTM", 3659;
    Mlst = "MLST", 3659;
    Mlsd = "MLSD", 3659;
    Host = "HOST", 7151;
}

impl Command {
    /// Parses one command line: the verb (case-insensitive), then, after one
    /// space, the argument. One trailing CRLF, LF or CR is removed.
    ///
    /// # Errors
    ///
    /// [`CommandError`] if the line is empty, the verb is not 1 to
    /// [`MAX_VERB_LEN`] ASCII letters or digits, or a CR or LF occurs before the
    /// line's end.
    pub fn parse(line: &[u8]) -> Result<ParsedCommand<'_>, CommandError> {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if let Some(offset) = line.iter().position(|&b| b == b'\r' || b == b'\n') {
            return Err(CommandError::LineEndInside { offset });
        }
        let (verb, argument) = match line.iter().position(|&b| b == b' ') {
            Some(i) => (&line[..i], &line[i + 1..]),
            None => (line, &[][..]),
        };
        Ok(ParsedCommand {
            verb: Command::from_verb(verb)?,
            argument,
        })
    }

    /// The command named by `verb` (case-insensitive), [`Command::Other`] for a
    /// verb this crate does not know.
    ///
    /// # Errors
    ///
    /// [`CommandError`] if `verb` is empty, longer than [`MAX_VERB_LEN`] or holds
    /// a byte that is not an ASCII letter or digit.
    pub fn from_verb(verb: &[u8]) -> Result<Command, CommandError> {
        if verb.is_empty() {
            return Err(CommandError::Empty);
        }
        if let Some(offset) = verb.iter().position(|b| !b.is_ascii_alphanumeric()) {
            return Err(CommandError::InvalidVerbByte {
                offset,
                byte: verb[offset],
            });
        }
        if verb.len() > MAX_VERB_LEN {
            return Err(CommandError::VerbTooLong { len: verb.len() });
        }
        let mut bytes = [0u8; MAX_VERB_LEN];
        for (dst, src) in bytes.iter_mut().zip(verb) {
            *dst = src.to_ascii_uppercase();
        }
        // `verb.len() <= MAX_VERB_LEN`, so the length fits in a byte.
        let len = verb.len() as u8;
        let upper = &bytes[..verb.len()];
        Ok(Command::lookup(upper).unwrap_or(Command::Other(Verb { bytes, len })))
    }

    /// Whether the command is one of [`Command::ALL`] (has a reply table).
    #[must_use]
    pub const fn is_known(&self) -> bool {
        !matches!(self, Command::Other(_))
    }

    /// Whether the command opens a data connection for its transfer: its positive
    /// preliminary reply is followed by the transfer's final reply.
    #[must_use]
    pub fn transfers_data(&self) -> bool {
        self.expected()
            .is_some_and(|e| e.preliminary.contains(&150))
    }

    /// Whether the command carries another, protected command as its argument
    /// (`MIC`, `CONF`, `ENC`; RFC 2228). Its positive reply is a protected `63z`
    /// reply whose payload is the reply to the command inside.
    #[must_use]
    pub const fn is_protection_envelope(&self) -> bool {
        matches!(self, Command::Mic | Command::Conf | Command::Enc)
    }

    /// The replies the defining document lists for this command, or `None` for
    /// [`Command::Other`]. Replies that later documents add to it are in
    /// [`additions`](Self::additions).
    ///
    /// ```
    /// use ftp_reply::Command;
    /// let retr = Command::Retr.expected().unwrap();
    /// assert_eq!(retr.preliminary, [125, 150]);
    /// assert_eq!(retr.after_preliminary, [226, 250, 425, 426, 451]);
    /// assert!(retr.restart_marker);
    /// assert_eq!(retr.failure, [450, 550, 500, 501, 421, 530]);
    ///
    /// let rnfr = Command::Rnfr.expected().unwrap();
    /// assert_eq!(rnfr.next_commands(350), Some(&[Command::Rnto][..]));
    /// ```
    #[must_use]
    pub const fn expected(&self) -> Option<&'static Expected> {
        use tables::*;
        Some(match self {
            Command::User => &USER,
            Command::Pass => &PASS,
            Command::Acct => &ACCT,
            Command::Cwd => &CWD,
            Command::Cdup => &CDUP,
            Command::Smnt => &SMNT,
            Command::Rein => &REIN,
            Command::Quit => &QUIT,
            Command::Port => &PORT,
            Command::Pasv => &PASV,
            Command::Mode => &MODE,
            Command::Type => &TYPE,
            Command::Stru => &STRU,
            Command::Allo => &ALLO,
            Command::Rest => &REST,
            Command::Stor => &STOR,
            Command::Stou => &STOU,
            Command::Retr => &RETR,
            Command::List => &LIST,
            Command::Nlst => &NLST,
            Command::Appe => &APPE,
            Command::Rnfr => &RNFR,
            Command::Rnto => &RNTO,
            Command::Dele => &DELE,
            Command::Rmd => &RMD,
            Command::Mkd => &MKD,
            Command::Pwd => &PWD,
            Command::Abor => &ABOR,
            Command::Syst => &SYST,
            Command::Stat => &STAT,
            Command::Help => &HELP,
            Command::Site => &SITE,
            Command::Noop => &NOOP,
            Command::Auth => &AUTH,
            Command::Adat => &ADAT,
            Command::Pbsz => &PBSZ,
            Command::Prot => &PROT,
            Command::Ccc => &CCC,
            Command::Mic => &MIC,
            Command::Conf => &CONF,
            Command::Enc => &ENC,
            Command::Feat => &FEAT,
            Command::Opts => &OPTS,
            Command::Eprt => &EPRT,
            Command::Epsv => &EPSV,
            Command::Lprt => &LPRT,
            Command::Lpsv => &LPSV,
            Command::Size => &SIZE,
            Command::Mdtm => &MDTM,
            Command::Mlst => &MLST,
            Command::Mlsd => &MLSD,
            Command::Host => &HOST,
            Command::Other(_) => return None,
        })
    }

    /// Replies that documents after the defining one add to this command (RFC
    /// 2228 §5 lists "only new replies" for `USER` and the data transfer
    /// commands). Empty for most commands.
    #[must_use]
    pub const fn additions(&self) -> &'static [Expected] {
        use tables::*;
        match self {
            Command::User => USER_2228,
            Command::Stor
            | Command::Stou
            | Command::Retr
            | Command::List
            | Command::Nlst
            | Command::Appe => TRANSFER_2228,
            _ => &[],
        }
    }
}

/// Whether a command takes an argument, as its syntax in RFC 959 §5.3.1 (and the
/// later documents) gives it: `USER <SP> <username> <CRLF>` requires one,
/// `LIST [<SP> <pathname>] <CRLF>` allows one, `PWD <CRLF>` takes none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ArgumentRule {
    /// The syntax requires an argument.
    Required,
    /// The syntax allows an argument (in brackets).
    Optional,
    /// The syntax has no argument.
    None,
}

impl Command {
    /// Whether the command takes an argument (RFC 959 §5.3.1; RFC 2228 §5.3,
    /// RFC 2389 §3.1 and §4, RFC 2428 §2–3, RFC 1639 §2, RFC 3659 §3–4 and §7,
    /// RFC 7151 §3). A verb this crate does not know may take one or not:
    /// [`ArgumentRule::Optional`].
    ///
    /// ```
    /// use ftp_reply::{ArgumentRule, Command};
    /// assert_eq!(Command::Retr.argument_rule(), ArgumentRule::Required);
    /// assert_eq!(Command::List.argument_rule(), ArgumentRule::Optional);
    /// assert_eq!(Command::Pasv.argument_rule(), ArgumentRule::None);
    /// ```
    #[must_use]
    pub const fn argument_rule(&self) -> ArgumentRule {
        match self {
            // RFC 959 §5.3.1: `CDUP <CRLF>`, `QUIT <CRLF>`, `REIN <CRLF>`,
            // `PASV <CRLF>`, `STOU <CRLF>`, `ABOR <CRLF>`, `PWD <CRLF>`,
            // `SYST <CRLF>`, `NOOP <CRLF>`; RFC 2228 `CCC`; RFC 2389 `FEAT`;
            // RFC 1639 `LPSV`.
            Command::Cdup
            | Command::Quit
            | Command::Rein
            | Command::Pasv
            | Command::Stou
            | Command::Abor
            | Command::Pwd
            | Command::Syst
            | Command::Noop
            | Command::Ccc
            | Command::Feat
            | Command::Lpsv => ArgumentRule::None,
            // `LIST [<SP> <pathname>]`, `NLST [<SP> <pathname>]`,
            // `STAT [<SP> <pathname>]`, `HELP [<SP> <string>]`;
            // RFC 2428 `EPSV [<SP> <net-prt> | "ALL"]`; RFC 3659 `MLST [SP pathname]`,
            // `MLSD [SP pathname]`; and any verb this crate does not know.
            Command::List
            | Command::Nlst
            | Command::Stat
            | Command::Help
            | Command::Epsv
            | Command::Mlst
            | Command::Mlsd
            | Command::Other(_) => ArgumentRule::Optional,
            _ => ArgumentRule::Required,
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The replies a document lists for one command, grouped as RFC 959 §5.4 prints
/// them: preliminary replies (with the replies that follow them), then positive
/// and negative completion, then intermediate replies with the commands that
/// continue the sequence.
///
/// Codes are in the order the document prints them. The `421` reply ("service not
/// available, closing control connection") may answer any command (RFC 959
/// §4.2.1); it is listed here only where the document lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Expected {
    /// The RFC this list is from.
    pub rfc: u16,
    /// Positive preliminary replies (`1yz`); another reply follows each.
    pub preliminary: &'static [u16],
    /// The replies that may follow a preliminary reply (for a transfer: how the
    /// transfer ended).
    pub after_preliminary: &'static [u16],
    /// Whether `110` restart markers may come between the preliminary reply and
    /// the one after it (RFC 959 prints these as `(110)`).
    pub restart_marker: bool,
    /// Positive completion replies (`2yz`) given in place of a preliminary reply.
    pub completion: &'static [u16],
    /// Positive intermediate replies (`3yz`), each with the commands that may
    /// continue the sequence.
    pub intermediate: &'static [(u16, &'static [Command])],
    /// Negative completion replies (`4yz`, `5yz`) given in place of a preliminary
    /// reply.
    pub failure: &'static [u16],
    /// Every code that may be the first reply, as a set (computed from the lists
    /// above when the tables are compiled, so judging a reply is a bit test).
    first_codes: CodeSet,
    /// Every code of `after_preliminary`, as a set.
    after_codes: CodeSet,
}

/// A set of reply codes (100–699), one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CodeSet([u64; 10]);

impl CodeSet {
    const EMPTY: CodeSet = CodeSet([0; 10]);

    const fn with(mut self, codes: &[u16]) -> CodeSet {
        let mut i = 0;
        while i < codes.len() {
            let bit = codes[i].wrapping_sub(100) as usize;
            if bit < 600 {
                self.0[bit / 64] |= 1 << (bit % 64);
            }
            i += 1;
        }
        self
    }

    const fn with_intermediate(mut self, codes: &[(u16, &'static [Command])]) -> CodeSet {
        let mut i = 0;
        while i < codes.len() {
            self = self.with(&[codes[i].0]);
            i += 1;
        }
        self
    }

    const fn union(mut self, other: &CodeSet) -> CodeSet {
        let mut i = 0;
        while i < self.0.len() {
            self.0[i] |= other.0[i];
            i += 1;
        }
        self
    }

    #[inline]
    pub(crate) const fn contains(&self, code: u16) -> bool {
        let bit = code.wrapping_sub(100) as usize;
        bit < 600 && self.0[bit / 64] & (1 << (bit % 64)) != 0
    }
}

impl Expected {
    /// A list with its code sets computed.
    const fn new(
        rfc: u16,
        preliminary: &'static [u16],
        after_preliminary: &'static [u16],
        restart_marker: bool,
        completion: &'static [u16],
        intermediate: &'static [(u16, &'static [Command])],
        failure: &'static [u16],
    ) -> Expected {
        Expected {
            rfc,
            preliminary,
            after_preliminary,
            restart_marker,
            completion,
            intermediate,
            failure,
            first_codes: CodeSet::EMPTY
                .with(preliminary)
                .with(completion)
                .with(failure)
                .with_intermediate(intermediate),
            after_codes: CodeSet::EMPTY.with(after_preliminary),
        }
    }
}

impl Expected {
    /// The connection greeting (RFC 959 §5.4, "Connection Establishment"): `120`
    /// then `220`, `220`, or `421`.
    pub const GREETING: Expected = Expected::new(959, &[120], &[220], false, &[220], &[], &[421]);

    /// Whether `code` may be the first reply (preliminary, completion,
    /// intermediate or failure).
    #[must_use]
    #[inline]
    pub fn lists_first(&self, code: u16) -> bool {
        self.first_codes.contains(code)
    }

    /// The commands that may follow the intermediate reply `code`, or `None` if
    /// `code` is not one of the intermediate replies listed.
    #[must_use]
    pub fn next_commands(&self, code: u16) -> Option<&'static [Command]> {
        self.intermediate
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, next)| *next)
    }
}

/// What judging a reply to one command needs: the code sets of the defining
/// document's list and of the later additions merged, so that whether a reply is
/// listed is one bit test.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules {
    /// Every code that may be the first reply.
    pub(crate) first: CodeSet,
    /// Every code that may follow a preliminary reply.
    pub(crate) after: CodeSet,
    /// Whether `110` restart markers may follow the preliminary reply.
    pub(crate) restart_marker: bool,
    base: &'static Expected,
    additions: &'static [Expected],
}

impl Rules {
    /// The connection greeting's.
    pub(crate) const GREETING: Rules = Rules::of(&Expected::GREETING, &[]);

    const fn of(base: &'static Expected, additions: &'static [Expected]) -> Rules {
        let mut rules = Rules {
            first: base.first_codes,
            after: base.after_codes,
            restart_marker: base.restart_marker,
            base,
            additions,
        };
        let mut i = 0;
        while i < additions.len() {
            rules.first = rules.first.union(&additions[i].first_codes);
            rules.after = rules.after.union(&additions[i].after_codes);
            rules.restart_marker |= additions[i].restart_marker;
            i += 1;
        }
        rules
    }

    /// The commands that may follow the intermediate reply `code` (empty when none
    /// is listed).
    pub(crate) fn next_commands(&self, code: u16) -> &'static [Command] {
        core::iter::once(self.base)
            .chain(self.additions)
            .find_map(|e| e.next_commands(code))
            .unwrap_or_default()
    }
}

/// [`Rules`] of every command in [`Command::ALL`], in that order.
static RULES: [Rules; Command::ALL.len()] = {
    let mut rules = [Rules::GREETING; Command::ALL.len()];
    let mut i = 0;
    while i < rules.len() {
        let command = Command::ALL[i];
        if let Some(base) = command.expected() {
            rules[i] = Rules::of(base, command.additions());
        }
        i += 1;
    }
    rules
};

/// The lists, transcribed from the documents. Each block names its source.
mod tables {
    use super::{Command, Expected};
    use Command::*;

    const fn entry(
        rfc: u16,
        completion: &'static [u16],
        intermediate: &'static [(u16, &'static [Command])],
        failure: &'static [u16],
    ) -> Expected {
        Expected::new(rfc, &[], &[], false, completion, intermediate, failure)
    }

    const fn transfer(
        rfc: u16,
        preliminary: &'static [u16],
        after_preliminary: &'static [u16],
        restart_marker: bool,
        completion: &'static [u16],
        failure: &'static [u16],
    ) -> Expected {
        Expected::new(
            rfc,
            preliminary,
            after_preliminary,
            restart_marker,
            completion,
            &[],
            failure,
        )
    }

    // RFC 959 §5.4, "Command-Reply Sequences". The commands that follow an
    // intermediate reply are not printed in the list; they come from §4.1.1
    // (331 needs PASS, 332 needs ACCT), §4.1.3 (RNFR "must be followed by a
    // rename to command"; REST "shall be immediately followed by the appropriate
    // FTP service command") and the §6 state diagrams (REST: "cmd is APPE, STOR,
    // or RETR").

    // Login
    pub(super) static USER: Expected = entry(
        959,
        &[230],
        &[(331, &[Pass]), (332, &[Acct])],
        &[530, 500, 501, 421],
    );
    pub(super) static PASS: Expected = entry(
        959,
        &[230, 202],
        &[(332, &[Acct])],
        &[530, 500, 501, 503, 421],
    );
    pub(super) static ACCT: Expected = entry(959, &[230, 202], &[], &[530, 500, 501, 503, 421]);
    pub(super) static CWD: Expected = entry(959, &[250], &[], &[500, 501, 502, 421, 530, 550]);
    pub(super) static CDUP: Expected = entry(959, &[200], &[], &[500, 501, 502, 421, 530, 550]);
    pub(super) static SMNT: Expected =
        entry(959, &[202, 250], &[], &[500, 501, 502, 421, 530, 550]);
    // Logout
    pub(super) static REIN: Expected =
        transfer(959, &[120], &[220], false, &[220], &[421, 500, 502]);
    pub(super) static QUIT: Expected = entry(959, &[221], &[], &[500]);
    // Transfer parameters
    pub(super) static PORT: Expected = entry(959, &[200], &[], &[500, 501, 421, 530]);
    pub(super) static PASV: Expected = entry(959, &[227], &[], &[500, 501, 502, 421, 530]);
    pub(super) static MODE: Expected = entry(959, &[200], &[], &[500, 501, 504, 421, 530]);
    pub(super) static TYPE: Expected = entry(959, &[200], &[], &[500, 501, 504, 421, 530]);
    pub(super) static STRU: Expected = entry(959, &[200], &[], &[500, 501, 504, 421, 530]);
    // File action commands
    pub(super) static ALLO: Expected = entry(959, &[200, 202], &[], &[500, 501, 504, 421, 530]);
    pub(super) static REST: Expected = entry(
        959,
        &[],
        &[(350, &[Retr, Stor, Appe])],
        &[500, 501, 502, 421, 530],
    );
    pub(super) static STOR: Expected = transfer(
        959,
        &[125, 150],
        &[226, 250, 425, 426, 451, 551, 552],
        true,
        &[],
        &[532, 450, 452, 553, 500, 501, 421, 530],
    );
    pub(super) static STOU: Expected = transfer(
        959,
        &[125, 150],
        &[226, 250, 425, 426, 451, 551, 552],
        true,
        &[],
        &[532, 450, 452, 553, 500, 501, 421, 530],
    );
    pub(super) static RETR: Expected = transfer(
        959,
        &[125, 150],
        &[226, 250, 425, 426, 451],
        true,
        &[],
        &[450, 550, 500, 501, 421, 530],
    );
    pub(super) static LIST: Expected = transfer(
        959,
        &[125, 150],
        &[226, 250, 425, 426, 451],
        false,
        &[],
        &[450, 500, 501, 502, 421, 530],
    );
    pub(super) static NLST: Expected = transfer(
        959,
        &[125, 150],
        &[226, 250, 425, 426, 451],
        false,
        &[],
        &[450, 500, 501, 502, 421, 530],
    );
    pub(super) static APPE: Expected = transfer(
        959,
        &[125, 150],
        &[226, 250, 425, 426, 451, 551, 552],
        true,
        &[],
        &[532, 450, 550, 452, 553, 500, 501, 502, 421, 530],
    );
    pub(super) static RNFR: Expected = entry(
        959,
        &[],
        &[(350, &[Rnto])],
        &[450, 550, 500, 501, 502, 421, 530],
    );
    pub(super) static RNTO: Expected =
        entry(959, &[250], &[], &[532, 553, 500, 501, 502, 503, 421, 530]);
    pub(super) static DELE: Expected =
        entry(959, &[250], &[], &[450, 550, 500, 501, 502, 421, 530]);
    pub(super) static RMD: Expected = entry(959, &[250], &[], &[500, 501, 502, 421, 530, 550]);
    pub(super) static MKD: Expected = entry(959, &[257], &[], &[500, 501, 502, 421, 530, 550]);
    // RFC 959 prints 257 for PWD (the same reply form as MKD, Appendix II).
    pub(super) static PWD: Expected = entry(959, &[257], &[], &[500, 501, 502, 421, 550]);
    pub(super) static ABOR: Expected = entry(959, &[225, 226], &[], &[500, 501, 502, 421]);
    // Informational commands
    pub(super) static SYST: Expected = entry(959, &[215], &[], &[500, 501, 502, 421]);
    pub(super) static STAT: Expected =
        entry(959, &[211, 212, 213], &[], &[450, 500, 501, 502, 421, 530]);
    pub(super) static HELP: Expected = entry(959, &[211, 214], &[], &[500, 501, 502, 421]);
    // Miscellaneous commands
    pub(super) static SITE: Expected = entry(959, &[200, 202], &[], &[500, 501, 530]);
    pub(super) static NOOP: Expected = entry(959, &[200], &[], &[500, 421]);

    // RFC 2228 §5, "Command-Reply Sequences" (called "Security Association
    // Setup", "Data protection negotiation commands" and "Command channel
    // protection commands" there). ADAT's list prints 501 twice ("503, 501, 535"
    // and "500, 501, 421"); it is listed once here.
    pub(super) static AUTH: Expected = entry(
        2228,
        &[234],
        &[(334, &[Adat])],
        &[502, 504, 534, 431, 500, 501, 421],
    );
    pub(super) static ADAT: Expected =
        entry(2228, &[235], &[(335, &[Adat])], &[503, 501, 535, 500, 421]);
    pub(super) static PBSZ: Expected = entry(2228, &[200], &[], &[503, 500, 501, 421, 530]);
    pub(super) static PROT: Expected = entry(
        2228,
        &[200],
        &[],
        &[504, 536, 503, 534, 431, 500, 501, 421, 530],
    );
    // CCC is not in RFC 2228's §5 list; its §3 definition names the replies:
    // 533 (the CCC command was not integrity protected), 534 (unwilling to turn
    // off integrity), otherwise 200.
    pub(super) static CCC: Expected = entry(2228, &[200], &[], &[533, 534]);
    // MIC, CONF and ENC list only failures: their positive reply is a protected
    // reply (631, 632, 633) whose payload is the reply to the command inside.
    pub(super) static MIC: Expected = entry(2228, &[], &[], &[535, 533, 500, 501, 421]);
    pub(super) static CONF: Expected = entry(2228, &[], &[], &[535, 533, 500, 501, 421]);
    pub(super) static ENC: Expected = entry(2228, &[], &[], &[535, 533, 500, 501, 421]);
    // "Security-Enhanced login commands (only new replies listed)": USER 232,
    // 336 (user name okay, need password; challenge is "..."), which asks for PASS.
    pub(super) static USER_2228: &[Expected] = &[entry(2228, &[232], &[(336, &[Pass])], &[])];
    // "Data channel commands (only new replies listed)": STOR, STOU, RETR, LIST,
    // NLST and APPE may fail with 534 or 535.
    pub(super) static TRANSFER_2228: &[Expected] = &[entry(2228, &[], &[], &[534, 535])];

    // RFC 2389 §3.2: FEAT gets 211; "500 or 502" where FEAT is not supported, 501
    // for syntax errors such as giving parameters. §4: OPTS gets 200, or 451 /
    // 501 ("opts-bad"); "If the OPTS command itself is not recognized, a 500 or
    // 502 reply will, of course, result."
    pub(super) static FEAT: Expected = entry(2389, &[211], &[], &[500, 501, 502]);
    pub(super) static OPTS: Expected = entry(2389, &[200], &[], &[451, 501, 500, 502]);

    // RFC 2428 §2: EPRT gets 200; 500 and 501, and 522 for an unsupported network
    // protocol. §3: EPSV gets 229; 500 and 501, and 522 when `EPSV <net-prt>`
    // names an unsupported protocol.
    pub(super) static EPRT: Expected = entry(2428, &[200], &[], &[500, 501, 522]);
    pub(super) static EPSV: Expected = entry(2428, &[229], &[], &[500, 501, 522]);

    // RFC 1639 (transcribed from memory of the text, not checked against it):
    // LPRT as PORT plus 521 ("supported address families are ..."); LPSV gets 228
    // ("entering long passive mode") with PASV's failures.
    pub(super) static LPRT: Expected = entry(1639, &[200], &[], &[500, 501, 521, 421, 530]);
    pub(super) static LPSV: Expected = entry(1639, &[228], &[], &[500, 501, 502, 421, 530]);

    // RFC 3659 gives grammars ending in "/ error-response" rather than lists; the
    // failures here are the ones its text names (transcribed from memory of the
    // text, not checked against it): SIZE and MDTM answer 213, 550 when the
    // information is not available, "500 or 501" when the command cannot be
    // parsed. MLST answers 250 on the control connection; MLSD transfers like
    // LIST. 502 (not implemented) is not named by those sections.
    pub(super) static SIZE: Expected = entry(3659, &[213], &[], &[550, 500, 501]);
    pub(super) static MDTM: Expected = entry(3659, &[213], &[], &[550, 500, 501]);
    pub(super) static MLST: Expected = entry(3659, &[250], &[], &[550, 501, 500]);
    pub(super) static MLSD: Expected = transfer(
        3659,
        &[125, 150],
        &[226, 250, 425, 426, 451],
        false,
        &[],
        &[550, 501, 500],
    );

    // RFC 7151 §3 (transcribed from memory of the text, not checked against it):
    // HOST answers like the connection greeting (120 then 220, or 220), with 421,
    // 500/502 (not implemented), 501 (syntax), 503 (HOST after login), 504
    // (unknown or unsupported host).
    pub(super) static HOST: Expected = transfer(
        7151,
        &[120],
        &[220],
        false,
        &[220],
        &[421, 500, 501, 502, 503, 504],
    );
}
