//! The replies real servers send that the documents `Exchange` follows (RFC 959
//! §5.4 and the later RFCs) do not list, in one place: the interoperability
//! tests, the probe test and the sample replay all check their sessions
//! against this list, so a new deviation (or a server that stops deviating)
//! fails a test. `samples/QUIRKS.md` ("Replies RFC 959 §5.4 does not list")
//! describes the same list.

use std::collections::BTreeSet;

use ftp_reply::{Command, Exchange, Outcome, Reply, UnexpectedReason};

/// Where in a session a command was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Context {
    /// Before a `230` to `USER` or `PASS`, and not between a `331` to `USER`
    /// and the reply to `PASS`.
    BeforeLogin,
    /// After a `331` to `USER`, until `PASS` is answered.
    AwaitingPass,
    /// After login.
    LoggedIn,
    /// A command line longer than [`LONG`] bytes and at most [`OVERLONG`],
    /// after login (CRLF not counted).
    LongLine,
    /// A command line longer than [`OVERLONG`] bytes (CRLF not counted).
    OverlongLine,
}

/// Command lines longer than this (and at most [`OVERLONG`]) are
/// [`Context::LongLine`] after login: the samples' 2000-byte `CWD` is. The BSD
/// ftpds read a command 512 bytes at a time.
pub const LONG: usize = 512;

/// Command lines longer than this are [`Context::OverlongLine`]: the samples'
/// 10000-byte `CWD` is, their 2000-byte one is not.
pub const OVERLONG: usize = 4096;

/// A reply a server sends that the documents do not list for the command.
#[derive(Debug)]
pub struct Deviation {
    pub server: &'static str,
    pub context: Context,
    /// The verb, upper case.
    pub command: &'static str,
    pub code: u16,
    pub reason: UnexpectedReason,
}

/// What identifies a deviation: `(context, verb, code, reason)`.
pub type Key = (Context, String, u16, &'static str);

impl Deviation {
    fn key(&self) -> Key {
        (
            self.context,
            self.command.to_owned(),
            self.code,
            self.reason.name(),
        )
    }
}

const fn dev(
    server: &'static str,
    context: Context,
    command: &'static str,
    code: u16,
    reason: UnexpectedReason,
) -> Deviation {
    Deviation {
        server,
        context,
        command,
        code,
        reason,
    }
}

use Context::{AwaitingPass, BeforeLogin, LoggedIn, LongLine, OverlongLine};
use UnexpectedReason::{AfterEnd, NotListed};

/// Every deviation seen from the eight servers, by server.
pub const DEVIATIONS: &[Deviation] = &[
    // PWD lists 257, 500, 501, 502, 421, 550: no 530, though every server wants
    // a login first (aioftp says 503, bad sequence, instead; so does Twisted
    // between USER and PASS: `PASS required after USER`).
    dev("vsftpd", BeforeLogin, "PWD", 530, NotListed),
    dev("proftpd", BeforeLogin, "PWD", 530, NotListed),
    dev("pure-ftpd", BeforeLogin, "PWD", 530, NotListed),
    dev("pyftpdlib", BeforeLogin, "PWD", 530, NotListed),
    dev("inetutils-ftpd", BeforeLogin, "PWD", 530, NotListed),
    dev("netkit-ftpd", BeforeLogin, "PWD", 530, NotListed),
    dev("twisted", BeforeLogin, "PWD", 530, NotListed),
    dev("aioftp", BeforeLogin, "PWD", 503, NotListed),
    dev("vsftpd", AwaitingPass, "PWD", 530, NotListed),
    dev("proftpd", AwaitingPass, "PWD", 530, NotListed),
    dev("pure-ftpd", AwaitingPass, "PWD", 530, NotListed),
    dev("pyftpdlib", AwaitingPass, "PWD", 530, NotListed),
    dev("inetutils-ftpd", AwaitingPass, "PWD", 530, NotListed),
    dev("netkit-ftpd", AwaitingPass, "PWD", 530, NotListed),
    dev("twisted", AwaitingPass, "PWD", 503, NotListed),
    dev("aioftp", AwaitingPass, "PWD", 503, NotListed),
    // CDUP lists 200 (CWD has 250); all eight answer CDUP as they answer CWD.
    dev("vsftpd", LoggedIn, "CDUP", 250, NotListed),
    dev("proftpd", LoggedIn, "CDUP", 250, NotListed),
    dev("pure-ftpd", LoggedIn, "CDUP", 250, NotListed),
    dev("pyftpdlib", LoggedIn, "CDUP", 250, NotListed),
    dev("inetutils-ftpd", LoggedIn, "CDUP", 250, NotListed),
    dev("netkit-ftpd", LoggedIn, "CDUP", 250, NotListed),
    dev("twisted", LoggedIn, "CDUP", 250, NotListed),
    dev("aioftp", LoggedIn, "CDUP", 250, NotListed),
    // SYST lists 215, 500, 501, 502, 421 and HELP 211, 214, 500, 501, 502, 421:
    // vsftpd and Twisted want a login for both, netkit ftpd for SYST (the
    // others answer 215 and 214).
    dev("vsftpd", BeforeLogin, "SYST", 530, NotListed),
    dev("vsftpd", BeforeLogin, "HELP", 530, NotListed),
    dev("twisted", BeforeLogin, "SYST", 530, NotListed),
    dev("twisted", BeforeLogin, "HELP", 530, NotListed),
    dev("netkit-ftpd", BeforeLogin, "SYST", 530, NotListed),
    // FEAT lists 211, 500, 502 (RFC 2389): inetutils ftpd wants a login first.
    dev("inetutils-ftpd", BeforeLogin, "FEAT", 530, NotListed),
    // aioftp implements neither NOOP (RFC 959 lists 200, 500, 421) nor SIZE
    // and MDTM (RFC 3659 lists 213, 500, 501, 550), and answers 502.
    dev("aioftp", LoggedIn, "NOOP", 502, NotListed),
    dev("aioftp", LoggedIn, "SIZE", 502, NotListed),
    dev("aioftp", LoggedIn, "MDTM", 502, NotListed),
    // A 10000-byte CWD line: pyftpdlib answers `500 Command too long.` and then
    // `500 Command "" not understood.`, two replies to one command.
    dev("pyftpdlib", OverlongLine, "CWD", 500, AfterEnd),
    // GNU inetutils ftpd reads a long line 512 bytes at a time and answers
    // each piece as a command of its own (`500 'AAA…': command not
    // recognized.`): 4 replies to a 2000-byte line, 20 to a 10000-byte one.
    dev("inetutils-ftpd", LongLine, "CWD", 500, AfterEnd),
    dev("inetutils-ftpd", OverlongLine, "CWD", 500, AfterEnd),
    // aioftp answers a CWD to a name too long for the file system with
    // `451 file system error` (CWD lists 250, 500, 501, 502, 421, 530, 550).
    dev("aioftp", LongLine, "CWD", 451, NotListed),
    dev("aioftp", OverlongLine, "CWD", 451, NotListed),
];

/// A command a server answers with a number of replies other than one exchange
/// (a preliminary reply and a final one, or a final one alone).
#[derive(Debug)]
pub struct ReplyCount {
    pub server: &'static str,
    pub context: Context,
    pub command: &'static str,
    pub replies: usize,
}

/// The commands some server answers with no reply or with an extra one. Only
/// a stream paired after the fact needs this: it holds no timing to tell which
/// command a reply answered.
pub const REPLY_COUNTS: &[ReplyCount] = &[
    // ProFTPD logs "client sent too-long command, ignoring" and answers nothing.
    ReplyCount {
        server: "proftpd",
        context: OverlongLine,
        command: "CWD",
        replies: 0,
    },
    // pyftpdlib: the two 500 replies above.
    ReplyCount {
        server: "pyftpdlib",
        context: OverlongLine,
        command: "CWD",
        replies: 2,
    },
    // inetutils ftpd: one 500 per 512-byte piece of the line, CRLF included.
    ReplyCount {
        server: "inetutils-ftpd",
        context: LongLine,
        command: "CWD",
        replies: 4,
    },
    ReplyCount {
        server: "inetutils-ftpd",
        context: OverlongLine,
        command: "CWD",
        replies: 20,
    },
];

/// The deviations documented for `server`.
pub fn documented(server: &str) -> impl Iterator<Item = &'static Deviation> {
    DEVIATIONS.iter().filter(move |d| d.server == server)
}

/// One reply and what `Exchange` made of it.
#[derive(Debug, Clone)]
pub struct Judged {
    /// The verb, or `None` for the greeting.
    pub command: Option<String>,
    pub context: Context,
    pub code: u16,
    pub outcome: Outcome,
}

/// Pairs one session's replies with its commands and judges each reply with an
/// [`Exchange`] for its command, keeping track of the login.
#[derive(Debug)]
pub struct Judge {
    server: String,
    logged_in: bool,
    awaiting_pass: bool,
    command: Option<String>,
    context: Context,
    exchange: Exchange,
    /// `(context, verb)` of every command sent.
    sent: BTreeSet<(Context, String)>,
    pub judged: Vec<Judged>,
}

impl Judge {
    /// A session of `server`, awaiting the greeting.
    pub fn new(server: &str) -> Judge {
        Judge {
            server: server.to_owned(),
            logged_in: false,
            awaiting_pass: false,
            command: None,
            context: Context::BeforeLogin,
            exchange: Exchange::greeting(),
            sent: BTreeSet::new(),
            judged: Vec::new(),
        }
    }

    /// The context a command line sent now would have.
    pub fn context_of(&self, line: &[u8]) -> Context {
        if line.len() > OVERLONG {
            Context::OverlongLine
        } else if line.len() > LONG && self.logged_in {
            Context::LongLine
        } else if self.logged_in {
            Context::LoggedIn
        } else if self.awaiting_pass {
            Context::AwaitingPass
        } else {
            Context::BeforeLogin
        }
    }

    /// `line` (without CRLF) was sent: the following replies answer it.
    pub fn sent(&mut self, line: &[u8]) {
        let parsed = Command::parse(line).unwrap_or_else(|e| {
            panic!(
                "{}: command line {:?} does not parse: {e}",
                self.server,
                String::from_utf8_lossy(&line[..line.len().min(40)])
            )
        });
        let verb = parsed.verb.as_str().to_owned();
        self.context = self.context_of(line);
        self.sent.insert((self.context, verb.clone()));
        self.command = Some(verb);
        self.exchange = Exchange::new(parsed.verb);
    }

    /// The command being answered (`None`: the greeting).
    pub fn command(&self) -> Option<&str> {
        self.command.as_deref()
    }

    pub fn context(&self) -> Context {
        self.context
    }

    /// Judges `reply` as an answer to the last command sent.
    pub fn feed(&mut self, reply: &Reply) -> Outcome {
        let outcome = self.exchange.feed(reply);
        let code = reply.code().as_u16();
        if code == 230 && matches!(self.command.as_deref(), Some("USER" | "PASS")) {
            self.logged_in = true;
        }
        match self.command.as_deref() {
            Some("USER") => self.awaiting_pass = code == 331,
            Some("PASS") => self.awaiting_pass = false,
            _ => {}
        }
        self.judged.push(Judged {
            command: self.command.clone(),
            context: self.context,
            code,
            outcome,
        });
        outcome
    }

    /// Whether the exchange of the last command has ended.
    pub fn is_finished(&self) -> bool {
        self.exchange.is_finished()
    }

    /// Whether a reply said the server closes the control connection.
    pub fn closes_control_connection(&self) -> bool {
        self.exchange.closes_control_connection()
    }

    /// The unexpected replies seen.
    pub fn deviations(&self) -> BTreeSet<Key> {
        self.judged
            .iter()
            .filter_map(|j| match j.outcome {
                Outcome::Unexpected { reason, .. } => Some((
                    j.context,
                    j.command.clone().unwrap_or_else(|| "(greeting)".into()),
                    j.code,
                    reason.name(),
                )),
                _ => None,
            })
            .collect()
    }

    /// The documented deviations this session could show: those of its server
    /// for a command it sent in the same context.
    pub fn applicable(&self) -> BTreeSet<Key> {
        documented(&self.server)
            .filter(|d| self.sent.contains(&(d.context, d.command.to_owned())))
            .map(Deviation::key)
            .collect()
    }

    /// Asserts that the unexpected replies are exactly the documented
    /// deviations that apply to this session: a new one fails, and so does a
    /// documented one the server no longer shows.
    pub fn assert_documented_deviations(&self, label: &str) {
        let seen = self.deviations();
        let documented = self.applicable();
        let new: Vec<_> = seen.difference(&documented).collect();
        let gone: Vec<_> = documented.difference(&seen).collect();
        assert!(
            new.is_empty() && gone.is_empty(),
            "{label}: unexpected replies differ from the documented deviations \
             (tests/common/deviations.rs, samples/QUIRKS.md)\n  not documented: {new:?}\n  \
             documented but not seen: {gone:?}"
        );
    }
}

/// The documented reply count for a command, if it is not one exchange.
pub fn reply_count(server: &str, context: Context, verb: &str) -> Option<&'static ReplyCount> {
    REPLY_COUNTS
        .iter()
        .find(|q| q.server == server && q.context == context && q.command == verb)
}

/// Pairs a captured stream's replies with the command lines that were sent,
/// as a client would: each command is answered until its exchange ends,
/// except where [`REPLY_COUNTS`] says otherwise. Every reply must be paired and
/// every command answered. Returns the judge and the reply counts applied.
pub fn pair(
    label: &str,
    server: &str,
    replies: &[Reply],
    commands: &[Vec<u8>],
) -> (Judge, Vec<&'static ReplyCount>) {
    let mut judge = Judge::new(server);
    let mut replies = replies.iter();
    let mut applied = Vec::new();
    let mut next = |judge: &Judge, what: &str| {
        replies.next().unwrap_or_else(|| {
            panic!(
                "{label}: the replies ran out while {what} ({:?}) awaited one",
                judge.command()
            )
        })
    };
    loop {
        let reply = next(&judge, "the greeting");
        judge.feed(reply);
        if judge.is_finished() {
            break;
        }
    }
    for line in commands {
        judge.sent(line);
        let verb = judge.command().unwrap_or_default().to_owned();
        match reply_count(server, judge.context(), &verb) {
            Some(count) => {
                applied.push(count);
                for _ in 0..count.replies {
                    let reply = next(&judge, "a command");
                    judge.feed(reply);
                }
            }
            None => loop {
                let reply = next(&judge, "a command");
                judge.feed(reply);
                if judge.is_finished() {
                    break;
                }
            },
        }
    }
    let left = replies.count();
    assert_eq!(left, 0, "{label}: {left} replies after the last command's");
    (judge, applied)
}
