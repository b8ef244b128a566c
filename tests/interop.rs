//! Interoperability: a scripted session with each real server (vsftpd, ProFTPD,
//! Pure-FTPd, pyftpdlib, GNU inetutils ftpd, netkit ftpd, Twisted, aioftp;
//! `scripts/ftp-servers.sh`) through the crate, over a blocking `std::net`
//! client built on `ReplyDecoder`, asserting typed results. What each server
//! supports differs, and so does what the session expects of it (`Expect`).
//!
//! Every byte each server sent on the control connection is recorded, then
//! decoded again in many cuttings, which must give the same replies. Every reply
//! is judged by an `Exchange` for its command; the unexpected ones must be
//! exactly the documented deviations (`tests/common/deviations.rs`).
//!
//! Without the servers each test prints `SKIPPED` and passes, unless
//! `FTP_REPLY_INTEROP=required`, when it fails.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::BytesMut;
use ftp_reply::payload::{PassivePolicy, passive_target};
use ftp_reply::{Class, Command, Outcome, Payload, Reply, ReplyDecoder};

use common::chunks::{assert_same_in_any_reads, decoded};
use common::deviations::Judge;
use common::servers::{self, IO_TIMEOUT, Server};

/// What each server is known to send (`samples/QUIRKS.md`).
struct Expect {
    name: &'static str,
    greeting_lines: usize,
    /// SYST's text after `UNIX `.
    system: System,
    /// Every feature name FEAT lists, in any order, or the code FEAT is
    /// refused with.
    features: Result<&'static [&'static str], u16>,
    /// HELP: at least this many lines, or the code it is refused with.
    help: Result<usize, u16>,
    stat: Stat,
    /// SIZE and MDTM: implemented, or the code they are refused with.
    size_and_mdtm: Result<(), u16>,
    /// The code NOOP gets.
    noop: u16,
    /// The preliminary replies LIST and RETR may get.
    transfer_mark: &'static [u16],
    /// The `(N bytes)` hint of the 150 to RETR, and to RETR after REST 100.
    size_hints: [Option<u64>; 2],
    /// What `REST 100`, `PASV`, `RETR` does.
    rest: Rest,
    /// What MKD's 257 gives.
    mkd: Mkd,
    /// Whether a `"` in a 257 path is doubled (RFC 959 Appendix II).
    doubles_quotes: bool,
}

/// SYST's text after `UNIX `.
enum System {
    Exact(&'static str),
    /// `Type: L8 Version: ` and the kernel's name and release (`uname -sr`).
    TypeAndKernel,
}

/// What STAT without an argument gives.
enum Stat {
    /// A multi-line reply of at least this many lines.
    Lines(usize),
    /// One line.
    OneLine,
    /// A refusal with this code.
    Refused(u16),
}

/// What `REST 100` followed by `PASV` and `RETR` does.
enum Rest {
    /// 350, then the file from byte 100.
    Resumes,
    /// 350, but the PASV between clears the restart point (RFC 959: REST
    /// "shall be immediately followed by" the transfer command), so the
    /// whole file comes.
    ClearedByPasv,
    /// REST is refused with this code; the whole file comes.
    Refused(u16),
}

/// What MKD's 257 gives.
enum Mkd {
    /// The directory's absolute path (as PWD would give it).
    Absolute,
    /// The name as sent in MKD.
    AsSent,
    /// No text at all (`257 `).
    Empty,
}

const VSFTPD: Expect = Expect {
    name: "vsftpd",
    greeting_lines: 1,
    system: System::Exact("Type: L8"),
    // With FTPS offered: AUTH, PBSZ, PROT.
    features: Ok(&[
        "AUTH", "EPRT", "EPSV", "MDTM", "PASV", "PBSZ", "PROT", "REST", "SIZE", "TVFS",
    ]),
    help: Ok(6),
    stat: Stat::Lines(8),
    size_and_mdtm: Ok(()),
    noop: 200,
    transfer_mark: &[150],
    // vsftpd gives the whole size even after REST.
    size_hints: [Some(8192), Some(8192)],
    rest: Rest::Resumes,
    mkd: Mkd::Absolute,
    doubles_quotes: true,
};

const PROFTPD: Expect = Expect {
    name: "proftpd",
    greeting_lines: 1,
    system: System::Exact("Type: L8"),
    features: Ok(&[
        "AUTH", "CCC", "CLNT", "CSID", "EPRT", "EPSV", "HOST", "LANG", "MDTM", "MFF", "MFMT",
        "MLST", "PBSZ", "PROT", "RANG", "REST", "SIZE", "SSCN", "TVFS", "UTF8",
    ]),
    help: Ok(9),
    stat: Stat::Lines(6),
    size_and_mdtm: Ok(()),
    noop: 200,
    transfer_mark: &[150],
    size_hints: [Some(8192), Some(8092)],
    rest: Rest::Resumes,
    mkd: Mkd::Absolute,
    doubles_quotes: true,
};

const PURE_FTPD: Expect = Expect {
    name: "pure-ftpd",
    greeting_lines: 5,
    system: System::Exact("Type: L8"),
    features: Ok(&[
        "UTF8", "EPRT", "IDLE", "MDTM", "SIZE", "MFMT", "REST", "MLST", "MLSD", "PRET", "AUTH",
        "PBSZ", "PROT", "TVFS", "ESTA", "PASV", "EPSV",
    ]),
    help: Ok(6),
    stat: Stat::OneLine,
    size_and_mdtm: Ok(()),
    noop: 200,
    transfer_mark: &[150],
    // `150 8.0 kbytes to download`: no `(N bytes)`.
    size_hints: [None, None],
    rest: Rest::Resumes,
    mkd: Mkd::AsSent,
    doubles_quotes: false,
};

const PYFTPDLIB: Expect = Expect {
    name: "pyftpdlib",
    greeting_lines: 1,
    system: System::Exact("Type: L8"),
    // `AUTH SSL` and `AUTH TLS`, each on a line of its own.
    features: Ok(&[
        "AUTH", "AUTH", "EPRT", "EPSV", "MDTM", "MFMT", "MLST", "PBSZ", "PROT", "REST", "SIZE",
        "TVFS", "UTF8",
    ]),
    help: Ok(8),
    stat: Stat::Lines(5),
    size_and_mdtm: Ok(()),
    noop: 200,
    // 125 when it has accepted the data connection by the time the command
    // arrives, 150 when not yet: which one depends on timing.
    transfer_mark: &[125, 150],
    size_hints: [None, None],
    rest: Rest::Resumes,
    mkd: Mkd::Absolute,
    doubles_quotes: true,
};

const INETUTILS_FTPD: Expect = Expect {
    name: "inetutils-ftpd",
    greeting_lines: 1,
    system: System::TypeAndKernel,
    features: Ok(&["MDTM", "SIZE", "REST", "EPRT", "EPSV", "LPRT", "LPSV"]),
    help: Ok(9),
    stat: Stat::Lines(7),
    size_and_mdtm: Ok(()),
    noop: 200,
    transfer_mark: &[150],
    size_hints: [Some(8192), Some(8192)],
    rest: Rest::ClearedByPasv,
    mkd: Mkd::Absolute,
    doubles_quotes: false,
};

const NETKIT_FTPD: Expect = Expect {
    name: "netkit-ftpd",
    greeting_lines: 1,
    system: System::Exact("Type: L8 (Linux)"),
    features: Err(500),
    help: Ok(8),
    stat: Stat::Lines(6),
    size_and_mdtm: Ok(()),
    noop: 200,
    transfer_mark: &[150],
    size_hints: [Some(8192), Some(8192)],
    rest: Rest::ClearedByPasv,
    mkd: Mkd::AsSent,
    doubles_quotes: true,
};

const TWISTED: Expect = Expect {
    name: "twisted",
    greeting_lines: 1,
    system: System::Exact("Type: L8"),
    features: Ok(&["FEAT", "MDTM", "PASV", "SIZE", "TYPE"]),
    help: Err(502),
    stat: Stat::Refused(502),
    size_and_mdtm: Ok(()),
    noop: 200,
    transfer_mark: &[125, 150],
    size_hints: [None, None],
    rest: Rest::Refused(502),
    mkd: Mkd::AsSent,
    doubles_quotes: false,
};

const AIOFTP: Expect = Expect {
    name: "aioftp",
    greeting_lines: 1,
    system: System::Exact("Type: L8"),
    features: Err(502),
    help: Err(502),
    stat: Stat::Refused(502),
    size_and_mdtm: Err(502),
    noop: 502,
    transfer_mark: &[150],
    size_hints: [None, None],
    rest: Rest::ClearedByPasv,
    mkd: Mkd::Empty,
    doubles_quotes: false,
};

#[test]
fn vsftpd() {
    session(&VSFTPD);
}

#[test]
fn proftpd() {
    session(&PROFTPD);
}

#[test]
fn pure_ftpd() {
    session(&PURE_FTPD);
}

#[test]
fn pyftpdlib() {
    session(&PYFTPDLIB);
}

#[test]
fn inetutils_ftpd() {
    session(&INETUTILS_FTPD);
}

#[test]
fn netkit_ftpd() {
    session(&NETKIT_FTPD);
}

#[test]
fn twisted() {
    session(&TWISTED);
}

#[test]
fn aioftp() {
    session(&AIOFTP);
}

/// A control connection that records every byte received and judges every
/// reply with an `Exchange` for the command it answers.
struct Control {
    server: String,
    stream: TcpStream,
    peer: IpAddr,
    decoder: ReplyDecoder,
    buf: BytesMut,
    recorded: Vec<u8>,
    replies: Vec<Reply>,
    judge: Judge,
}

impl Control {
    fn connect(server: &Server) -> Control {
        let stream = TcpStream::connect_timeout(&server.addr(), IO_TIMEOUT)
            .unwrap_or_else(|e| panic!("{}: connect {}: {e}", server.name, server.addr()));
        stream.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        stream.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
        let peer = stream.peer_addr().unwrap().ip();
        Control {
            server: server.name.clone(),
            stream,
            peer,
            decoder: ReplyDecoder::new(),
            buf: BytesMut::new(),
            recorded: Vec::new(),
            replies: Vec::new(),
            judge: Judge::new(&server.name),
        }
    }

    fn what(&self) -> String {
        format!(
            "{} ({:?})",
            self.server,
            self.judge.command().unwrap_or("greeting")
        )
    }

    /// Reads from the socket once; `false` at the end of the stream.
    fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 4096];
        match self.stream.read(&mut chunk) {
            Ok(0) => false,
            Ok(n) => {
                self.recorded.extend_from_slice(&chunk[..n]);
                self.buf.extend_from_slice(&chunk[..n]);
                true
            }
            // Pure-FTPd may reset rather than close after its last reply.
            Err(e) if e.kind() == ErrorKind::ConnectionReset => false,
            Err(e) => panic!("{}: reading the control connection: {e}", self.what()),
        }
    }

    /// The next reply, judged.
    fn reply(&mut self) -> (Reply, Outcome) {
        loop {
            match self.decoder.decode(&mut self.buf) {
                Ok(Some(reply)) => {
                    let outcome = self.judge.feed(&reply);
                    self.replies.push(reply.clone());
                    return (reply, outcome);
                }
                Ok(None) => {}
                Err(e) => panic!("{}: decode error: {e}", self.what()),
            }
            assert!(
                self.fill(),
                "{}: connection closed with {} bytes of a reply buffered",
                self.what(),
                self.buf.len()
            );
        }
    }

    fn send(&mut self, line: &str) {
        assert!(
            self.judge.is_finished(),
            "{}: sending {line:?} before the last exchange ended",
            self.what()
        );
        self.judge.sent(line.as_bytes());
        self.stream
            .write_all(format!("{line}\r\n").as_bytes())
            .unwrap_or_else(|e| panic!("{}: sending {line:?}: {e}", self.server));
    }

    /// Sends `line` and returns its one (final) reply, which must have `code`.
    fn expect(&mut self, line: &str, code: u16) -> (Reply, Outcome) {
        self.send(line);
        let (reply, outcome) = self.reply();
        assert_eq!(
            reply.code().as_u16(),
            code,
            "{}: {line:?} got {reply:?}",
            self.server
        );
        assert!(
            self.judge.is_finished(),
            "{}: {line:?} not finished by {reply:?}",
            self.server
        );
        (reply, outcome)
    }

    /// PASV or EPSV, then the data connection to where `passive_target` says.
    fn passive(&mut self, server: &Server, extended: bool) -> TcpStream {
        let advertised = if extended {
            let (reply, outcome) = self.expect("EPSV", 229);
            assert_eq!(outcome, Outcome::Success);
            let port = reply
                .extended_passive_port()
                .unwrap_or_else(|e| panic!("{reply:?}: {e}"));
            assert_eq!(reply.payload(), Some(Ok(Payload::ExtendedPassive(port))));
            SocketAddr::new(self.peer, port)
        } else {
            let (reply, outcome) = self.expect("PASV", 227);
            assert_eq!(outcome, Outcome::Success);
            let addr = reply
                .passive_addr()
                .unwrap_or_else(|e| panic!("{reply:?}: {e}"));
            SocketAddr::V4(addr)
        };
        let target = passive_target(self.peer, advertised, PassivePolicy::default());
        assert!(
            !target.advertised_host_differs,
            "{}: advertised {advertised}, control peer {}",
            self.server, self.peer
        );
        assert_eq!(target.addr.ip(), self.peer);
        // The inetd-style ftpds cannot be given a range: any port will do.
        if let Some(range) = &server.pasv_ports {
            assert!(
                range.contains(&target.addr.port()),
                "{}: passive port {} outside {range:?}",
                self.server,
                target.addr.port(),
            );
        }
        let data = TcpStream::connect_timeout(&target.addr, IO_TIMEOUT)
            .unwrap_or_else(|e| panic!("{}: data connection to {}: {e}", self.server, target.addr));
        data.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        data
    }

    /// Sends a transfer command over an open data connection: its preliminary
    /// reply, everything the data connection carried, and its final reply.
    fn transfer(&mut self, line: &str, mut data: TcpStream, mark: &[u16]) -> (Reply, Vec<u8>) {
        self.send(line);
        let (first, outcome) = self.reply();
        assert!(
            mark.contains(&first.code().as_u16()),
            "{}: {line:?} got {first:?}, not one of {mark:?}",
            self.server
        );
        assert_eq!(outcome, Outcome::Pending, "{}: {line:?}", self.server);
        let mut received = Vec::new();
        data.read_to_end(&mut received)
            .unwrap_or_else(|e| panic!("{}: {line:?} data: {e}", self.server));
        // Close our end now: ProFTPD waits for it (TimeoutLinger, 10 s) before
        // it sends 226.
        drop(data);
        let (done, outcome) = self.reply();
        assert_eq!(
            done.code().as_u16(),
            226,
            "{}: {line:?} got {done:?}",
            self.server
        );
        assert_eq!(outcome, Outcome::Success, "{}: {line:?}", self.server);
        assert!(self.judge.is_finished());
        (first, received)
    }

    /// QUIT, then everything up to the end of the stream.
    fn quit(mut self) -> (Vec<u8>, Vec<Reply>, Judge) {
        let (reply, outcome) = self.expect("QUIT", 221);
        assert_eq!(outcome, Outcome::Success);
        assert!(reply.code().closes_control_connection());
        assert!(self.judge.closes_control_connection(), "{}", self.server);
        while self.fill() {}
        let rest = self.decoder.decode_eof(&mut self.buf);
        assert!(
            matches!(rest, Ok(None)) && self.buf.is_empty(),
            "{}: after 221: {rest:?}, {} bytes left",
            self.server,
            self.buf.len()
        );
        (self.recorded, self.replies, self.judge)
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn now_nanos() -> u32 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos()
}

/// MKD, CWD, PWD, CDUP and RMD of directory `dir` (unique per run, as a server
/// left running keeps its root): the 257 paths parse to the real directory
/// whether or not the server doubles quotes, and the directory is on disk.
fn quoted_directory(ctl: &mut Control, server: &Server, expect: &Expect, dir: &str) {
    let name = expect.name;
    let on_disk = server.root.join(dir);
    // What the server puts between the 257's quotes.
    let quoted = |path: &str| {
        let path = if expect.doubles_quotes {
            path.replace('"', "\"\"")
        } else {
            path.to_owned()
        };
        format!("\"{path}\"")
    };
    let (reply, outcome) = ctl.expect(&format!("MKD {dir}"), 257);
    assert_eq!(outcome, Outcome::Success);
    // The path as PWD gives it: under the login directory.
    let absolute = format!("{}/{dir}", server.login_dir.trim_end_matches('/'));
    let want = match expect.mkd {
        Mkd::Absolute => Some(absolute.as_str()),
        Mkd::AsSent => Some(dir),
        Mkd::Empty => None,
    };
    match want {
        Some(want) => {
            let made = text(
                &reply
                    .pathname()
                    .unwrap_or_else(|e| panic!("{name}: {reply:?}: {e}")),
            );
            assert_eq!(made, want, "{name}: {reply:?}");
            assert!(
                text(reply.raw()).contains(&quoted(want)),
                "{name}: {reply:?}"
            );
        }
        None => {
            assert_eq!(reply.raw(), &b"257 \r\n"[..], "{name}");
            assert!(reply.pathname().is_err(), "{name}: {reply:?}");
        }
    }
    assert!(
        on_disk.is_dir(),
        "{name}: {} is not a directory",
        on_disk.display()
    );

    ctl.expect(&format!("CWD {dir}"), 250);
    let (reply, _) = ctl.expect("PWD", 257);
    assert_eq!(
        text(&reply.pathname().unwrap()),
        absolute,
        "{name}: {reply:?}"
    );
    assert!(
        text(reply.raw()).contains(&quoted(&absolute)),
        "{name}: {reply:?}"
    );
    // RFC 959 lists 200 for CDUP; all eight send 250 (a documented deviation).
    ctl.send("CDUP");
    let (reply, _) = ctl.reply();
    assert_eq!(
        reply.code().class(),
        Class::PositiveCompletion,
        "{name}: {reply:?}"
    );
    let (_, outcome) = ctl.expect(&format!("RMD {dir}"), 250);
    assert_eq!(outcome, Outcome::Success);
    assert!(
        !on_disk.exists(),
        "{name}: {} still exists",
        on_disk.display()
    );
}

/// SIZE and MDTM of hello.txt, against the file on disk.
fn size_and_mdtm(ctl: &mut Control, server: &Server, len: usize) {
    let name = &server.name;
    let (reply, _) = ctl.expect("SIZE hello.txt", 213);
    assert_eq!(reply.size(), Ok(len as u64), "{name}: {reply:?}");
    assert_eq!(len, 8192);
    let (reply, _) = ctl.expect("MDTM hello.txt", 213);
    let mtime = std::fs::metadata(server.root.join("hello.txt"))
        .and_then(|m| m.modified())
        .unwrap()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let stamp = reply
        .modification_time()
        .unwrap_or_else(|e| panic!("{name}: {reply:?}: {e}"));
    assert_eq!(stamp.unix_seconds(), mtime as i64, "{name}: {reply:?}");
    assert_eq!(
        (
            stamp.year,
            stamp.month,
            stamp.day,
            stamp.hour,
            stamp.minute,
            stamp.second
        ),
        (2024, 1, 2, 3, 4, 5),
        "{name}: the fixture's mtime (scripts/ftp-servers.sh)"
    );
}

/// The kernel's name and release, as `uname -sr` gives them.
fn kernel() -> String {
    let read = |f: &str| {
        std::fs::read_to_string(format!("/proc/sys/kernel/{f}"))
            .unwrap_or_else(|e| panic!("/proc/sys/kernel/{f}: {e}"))
            .trim()
            .to_owned()
    };
    format!("{} {}", read("ostype"), read("osrelease"))
}

/// The session, with typed assertions at each step.
fn session(expect: &Expect) {
    let test = format!("interop::{}", expect.name.replace('-', "_"));
    let Some(server) = servers::server(&test, expect.name) else {
        return;
    };
    let name = expect.name;
    let hello = server.file("hello.txt");
    let mut ctl = Control::connect(&server);

    // Greeting.
    let (greeting, outcome) = ctl.reply();
    assert_eq!(greeting.code().as_u16(), 220, "{name}: {greeting:?}");
    assert_eq!(outcome, Outcome::Success);
    assert_eq!(
        greeting.line_count(),
        expect.greeting_lines,
        "{name}: {greeting:?}"
    );
    assert_eq!(greeting.is_multiline(), expect.greeting_lines > 1);
    assert!(ctl.judge.is_finished());

    // A command before login.
    let (reply, outcome) = {
        ctl.send("PWD");
        ctl.reply()
    };
    assert!(
        matches!(reply.code().as_u16(), 530 | 503),
        "{name}: PWD before login got {reply:?}"
    );
    assert_eq!(
        outcome.class_outcome(),
        ftp_reply::ClassOutcome::PermanentFailure
    );

    // Login.
    let (_, outcome) = ctl.expect(&format!("USER {}", server.user), 331);
    assert_eq!(outcome, Outcome::SendNext(&[Command::Pass]), "{name}");
    let (_, outcome) = ctl.expect(&format!("PASS {}", server.password), 230);
    assert_eq!(outcome, Outcome::Success, "{name}");

    // SYST: all eight say UNIX, Type: L8; some say more.
    let (reply, _) = ctl.expect("SYST", 215);
    let system = reply
        .system_type()
        .unwrap_or_else(|e| panic!("{name}: {reply:?}: {e}"));
    assert!(system.is("UNIX"), "{name}: system {:?}", text(system.name));
    let want = match expect.system {
        System::Exact(rest) => rest.to_owned(),
        System::TypeAndKernel => format!("Type: L8 Version: {}", kernel()),
    };
    assert_eq!(text(system.rest), want, "{name}");

    // FEAT.
    match expect.features {
        Ok(wanted) => {
            let (reply, outcome) = ctl.expect("FEAT", 211);
            assert_eq!(outcome, Outcome::Success);
            assert!(reply.is_multiline(), "{name}: {reply:?}");
            let features = reply
                .features()
                .unwrap_or_else(|e| panic!("{name}: {reply:?}: {e}"));
            let mut listed: Vec<String> = features.iter().map(|f| text(f.name)).collect();
            listed.sort();
            let mut wanted: Vec<String> = wanted.iter().map(|f| f.to_string()).collect();
            wanted.sort();
            assert_eq!(listed, wanted, "{name}: FEAT");
            for feature in ["SIZE", "MDTM", "mdtm"] {
                assert!(features.has(feature), "{name}: FEAT lacks {feature}");
            }
            assert_eq!(
                features.has("UTF8"),
                wanted.iter().any(|f| f == "UTF8"),
                "{name}"
            );
            if let Some(rest) = features.get("REST") {
                assert_eq!(rest.params, b"STREAM", "{name}");
            }
            // Explicit FTPS offered (RFC 4217 §6): AUTH TLS, PBSZ and PROT.
            let auth_tls = features
                .iter()
                .any(|f| f.is("AUTH") && f.params.split(|&b| b == b' ').any(|p| p == b"TLS"));
            assert_eq!(auth_tls, server.ftps, "{name}: AUTH TLS in FEAT");
            assert_eq!(features.has("PBSZ"), server.ftps, "{name}: PBSZ in FEAT");
            assert_eq!(features.has("PROT"), server.ftps, "{name}: PROT in FEAT");
        }
        Err(code) => {
            let (reply, outcome) = ctl.expect("FEAT", code);
            assert_eq!(
                outcome.class_outcome(),
                ftp_reply::ClassOutcome::PermanentFailure
            );
            assert!(reply.features().is_err(), "{name}: {reply:?}");
        }
    }

    // HELP and STAT: long multi-line replies (Pure-FTPd's STAT is one line;
    // Twisted and aioftp have neither).
    match expect.help {
        Ok(lines) => {
            let (reply, outcome) = ctl.expect("HELP", 214);
            assert_eq!(outcome, Outcome::Success);
            assert!(reply.is_multiline(), "{name}: {reply:?}");
            assert!(
                reply.line_count() >= lines,
                "{name}: HELP has {} lines",
                reply.line_count()
            );
        }
        Err(code) => {
            ctl.expect("HELP", code);
        }
    }
    match expect.stat {
        Stat::Lines(lines) => {
            let (reply, outcome) = ctl.expect("STAT", 211);
            assert_eq!(outcome, Outcome::Success);
            assert!(reply.is_multiline(), "{name}: {reply:?}");
            assert!(
                reply.line_count() >= lines,
                "{name}: STAT has {} lines",
                reply.line_count()
            );
        }
        Stat::OneLine => {
            let (reply, _) = ctl.expect("STAT", 211);
            assert_eq!(reply.line_count(), 1, "{name}: {reply:?}");
        }
        Stat::Refused(code) => {
            ctl.expect("STAT", code);
        }
    }

    // PWD: where the user landed.
    let (reply, _) = ctl.expect("PWD", 257);
    assert_eq!(
        text(&reply.pathname().unwrap()),
        server.login_dir,
        "{name}: {reply:?}"
    );

    ctl.expect("TYPE I", 200);

    // SIZE and MDTM of hello.txt, against the file on disk.
    if let Err(code) = expect.size_and_mdtm {
        ctl.expect("SIZE hello.txt", code);
        ctl.expect("MDTM hello.txt", code);
    } else {
        size_and_mdtm(&mut ctl, &server, hello.len());
    }

    // PASV + LIST.
    let data = ctl.passive(&server, false);
    let (_, listing) = ctl.transfer("LIST", data, expect.transfer_mark);
    let listing = text(&listing);
    assert!(
        listing.contains("hello.txt"),
        "{name}: LIST gave {listing:?}"
    );
    assert!(listing.contains("listing"), "{name}: LIST gave {listing:?}");

    // EPSV + RETR: the file, byte for byte.
    let data = ctl.passive(&server, true);
    let (mark, received) = ctl.transfer("RETR hello.txt", data, expect.transfer_mark);
    assert!(
        received == hello,
        "{name}: RETR gave {} bytes, not the file",
        received.len()
    );
    let hint = |reply: &Reply| match reply.payload() {
        Some(Ok(Payload::TransferSize(n))) => Some(n),
        None => None,
        other => panic!("{name}: {reply:?}: {other:?}"),
    };
    assert_eq!(hint(&mark), expect.size_hints[0], "{name}: {mark:?}");

    // REST 100 + PASV + RETR: the rest of the file, where REST survives
    // the PASV.
    match expect.rest {
        Rest::Resumes | Rest::ClearedByPasv => {
            let (_, outcome) = ctl.expect("REST 100", 350);
            assert!(
                matches!(outcome, Outcome::SendNext(next) if next.contains(&Command::Retr)),
                "{name}: {outcome:?}"
            );
        }
        Rest::Refused(code) => {
            ctl.expect("REST 100", code);
        }
    }
    let data = ctl.passive(&server, false);
    let (mark, received) = ctl.transfer("RETR hello.txt", data, expect.transfer_mark);
    let from = match expect.rest {
        Rest::Resumes => 100,
        Rest::ClearedByPasv | Rest::Refused(_) => 0,
    };
    assert!(
        received == hello[from..],
        "{name}: RETR after REST 100 gave {} bytes, not the file from byte {from}",
        received.len()
    );
    assert_eq!(hint(&mark), expect.size_hints[1], "{name}: {mark:?}");

    // Directories whose names hold quotes: inside, and at the end (where the
    // RFC reading of an undoubled 257 finds no closing quote).
    let run = format!("{}-{}", std::process::id(), now_nanos());
    quoted_directory(
        &mut ctl,
        &server,
        expect,
        &format!("dir \"with\" quotes {run}"),
    );
    quoted_directory(
        &mut ctl,
        &server,
        expect,
        &format!("ends in a quote {run}\""),
    );

    // An unknown command: 5yz, judged by its first digit.
    ctl.send("XYZZY");
    let (reply, outcome) = ctl.reply();
    assert_eq!(
        reply.code().class(),
        Class::PermanentNegative,
        "{name}: {reply:?}"
    );
    assert_eq!(outcome, Outcome::PermanentFailure, "{name}");

    ctl.expect("NOOP", expect.noop);
    let (recorded, replies, judge) = ctl.quit();

    // Every byte received belongs to exactly one reply.
    let joined: Vec<u8> = replies.iter().flat_map(|r| r.raw().to_vec()).collect();
    assert!(
        joined == recorded,
        "{name}: the replies' bytes are not the stream"
    );
    // The same bytes, cut any other way, give the same replies.
    assert_same_in_any_reads(
        &format!("{name} live session"),
        &recorded,
        &decoded(&replies),
    );

    // Every reply got an outcome; the unexpected ones are the documented ones.
    assert_eq!(judge.judged.len(), replies.len());
    judge.assert_documented_deviations(&format!("{name} live session"));
    assert!(
        judge.judged.iter().any(|j| j.outcome.is_unexpected()),
        "{name}: CDUP's 250 at least is a documented deviation"
    );
}

/// `ftp-reply probe --json` against each server: exit 0, one JSON object a
/// line, the greeting first, the password masked, an outcome on every reply
/// that agrees with `Exchange`, and only the documented deviations.
#[cfg(feature = "cli")]
mod probe {
    use std::process::Command as Process;

    use ftp_reply::{Reply, ReplyCode};
    use serde_json::Value;

    use super::common::deviations::Judge;
    use super::common::servers;

    const OUTCOMES: [&str; 7] = [
        "pending",
        "send-next",
        "success",
        "transient-failure",
        "permanent-failure",
        "protected",
        "unexpected",
    ];

    /// Servers whose replies no longer pair one for one with the probe's
    /// commands from some command on, and the `(command, code)` pairs the
    /// probe then prints. Twisted answers the PASV that follows an EPSV whose
    /// data connection never came with 550 (the EPSV's port given up) and
    /// then 227, and holds every later command until the 227's data
    /// connection times out (10 s), which it reports with a 550: so the probe
    /// pairs 227 with NOOP and that 550 with QUIT (`samples/QUIRKS.md`).
    const SHIFTED: &[(&str, &[(&str, u16)])] =
        &[("twisted", &[("PASV", 550), ("NOOP", 227), ("QUIT", 550)])];

    fn probe(name: &str) {
        let test = format!("interop::probe::{}", name.replace('-', "_"));
        let Some(server) = servers::server(&test, name) else {
            return;
        };
        let out = Process::new(env!("CARGO_BIN_EXE_ftp-reply"))
            .args([
                "probe",
                &server.addr().to_string(),
                "--json",
                "--timeout",
                "20",
            ])
            .args(["--user", &server.user, "--password", &server.password])
            .output()
            .expect("run ftp-reply probe");
        let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
        assert!(
            out.status.success(),
            "{name}: probe exited with {}\nstdout:\n{stdout}\nstderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !stdout.contains(&server.password),
            "{name}: password shown:\n{stdout}"
        );
        let objects: Vec<Value> = stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{name}: {e}: {l}")))
            .collect();

        let greeting = &objects[0];
        assert_eq!(greeting.get("command"), None, "{name}: {greeting}");
        assert_eq!(greeting["code"], 220, "{name}: {greeting}");
        assert_eq!(greeting["outcome"], "success", "{name}: {greeting}");

        let shifted = SHIFTED.iter().find(|(n, _)| *n == name).map(|s| s.1);
        let mut tail = Vec::new();
        let mut judge = Judge::new(name);
        let mut commands = Vec::new();
        for object in &objects {
            if let Some(shifted) = shifted
                && (!tail.is_empty() || object["command"] == shifted[0].0)
            {
                let command = object["command"].as_str().unwrap_or_default().to_owned();
                let code = object["code"].as_u64().unwrap_or_default();
                commands.push(command.clone());
                tail.push((command, code));
                continue;
            }
            let outcome = object["outcome"].as_str().unwrap_or_default();
            assert!(OUTCOMES.contains(&outcome), "{name}: {object}");
            if outcome == "unexpected" {
                let unexpected = &object["unexpected"];
                assert!(unexpected["reason"].is_string(), "{name}: {object}");
                assert!(unexpected["by_class"].is_string(), "{name}: {object}");
            }
            if outcome == "send-next" {
                assert!(object["next_commands"].is_array(), "{name}: {object}");
            }
            // The same reply through Exchange here must get the same outcome.
            if let Some(command) = object["command"].as_str()
                && commands.last().map(String::as_str) != Some(command)
            {
                commands.push(command.to_owned());
                judge.sent(command.as_bytes());
            }
            let code = object["code"].as_u64().and_then(|c| u16::try_from(c).ok());
            let code = code.and_then(ReplyCode::new).expect("a reply code");
            let lines: Vec<&str> = object["lines"]
                .as_array()
                .expect("lines")
                .iter()
                .map(|l| l.as_str().expect("a text line"))
                .collect();
            let reply = Reply::new(code, &lines).expect("lines without LF");
            assert_eq!(judge.feed(&reply).name(), outcome, "{name}: {object}");
        }
        let user = format!("USER {}", server.user);
        assert_eq!(
            commands,
            [
                "FEAT",
                "SYST",
                "HELP",
                &user,
                "PASS ****",
                "PWD",
                "EPSV",
                "PASV",
                "NOOP",
                "QUIT"
            ],
            "{name}"
        );
        match shifted {
            Some(shifted) => {
                let want: Vec<(String, u64)> = shifted
                    .iter()
                    .map(|(c, code)| ((*c).to_owned(), u64::from(*code)))
                    .collect();
                assert_eq!(tail, want, "{name}: the shifted replies");
            }
            None => {
                let last = objects.last().unwrap();
                assert_eq!(
                    (&last["command"], &last["code"]),
                    (&"QUIT".into(), &221.into())
                );
            }
        }
        judge.assert_documented_deviations(&format!("{name} probe"));
    }

    #[test]
    fn vsftpd() {
        probe("vsftpd");
    }

    #[test]
    fn proftpd() {
        probe("proftpd");
    }

    #[test]
    fn pure_ftpd() {
        probe("pure-ftpd");
    }

    #[test]
    fn pyftpdlib() {
        probe("pyftpdlib");
    }

    #[test]
    fn inetutils_ftpd() {
        probe("inetutils-ftpd");
    }

    #[test]
    fn netkit_ftpd() {
        probe("netkit-ftpd");
    }

    #[test]
    fn twisted() {
        probe("twisted");
    }

    #[test]
    fn aioftp() {
        probe("aioftp");
    }
}
