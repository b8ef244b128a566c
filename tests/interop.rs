//! Interoperability: a scripted session with each real server (vsftpd, ProFTPD,
//! Pure-FTPd, pyftpdlib; `scripts/ftp-servers.sh`) through the crate, over a
//! blocking `std::net` client built on `ReplyDecoder`, asserting typed results.
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
    /// Every feature name FEAT lists, in any order.
    features: &'static [&'static str],
    help_lines_at_least: usize,
    /// `None`: STAT is one line.
    stat_lines_at_least: Option<usize>,
    /// The preliminary replies LIST and RETR may get.
    transfer_mark: &'static [u16],
    /// The `(N bytes)` hint of the 150 to RETR, and to RETR after REST 100.
    size_hints: [Option<u64>; 2],
    /// Whether MKD's 257 gives the absolute path (Pure-FTPd gives the name sent).
    mkd_absolute: bool,
    /// Whether a `"` in a 257 path is doubled (RFC 959 Appendix II).
    doubles_quotes: bool,
}

const VSFTPD: Expect = Expect {
    name: "vsftpd",
    greeting_lines: 1,
    features: &["EPRT", "EPSV", "MDTM", "PASV", "REST", "SIZE", "TVFS"],
    help_lines_at_least: 6,
    stat_lines_at_least: Some(8),
    transfer_mark: &[150],
    // vsftpd gives the whole size even after REST.
    size_hints: [Some(8192), Some(8192)],
    mkd_absolute: true,
    doubles_quotes: true,
};

const PROFTPD: Expect = Expect {
    name: "proftpd",
    greeting_lines: 1,
    features: &[
        "CLNT", "CSID", "EPRT", "EPSV", "HOST", "LANG", "MDTM", "MFF", "MFMT", "MLST", "RANG",
        "REST", "SIZE", "TVFS", "UTF8",
    ],
    help_lines_at_least: 9,
    stat_lines_at_least: Some(6),
    transfer_mark: &[150],
    size_hints: [Some(8192), Some(8092)],
    mkd_absolute: true,
    doubles_quotes: true,
};

const PURE_FTPD: Expect = Expect {
    name: "pure-ftpd",
    greeting_lines: 5,
    features: &[
        "UTF8", "EPRT", "IDLE", "MDTM", "SIZE", "MFMT", "REST", "MLST", "MLSD", "PRET", "AUTH",
        "PBSZ", "PROT", "TVFS", "ESTA", "PASV", "EPSV",
    ],
    help_lines_at_least: 6,
    stat_lines_at_least: None,
    transfer_mark: &[150],
    // `150 8.0 kbytes to download`: no `(N bytes)`.
    size_hints: [None, None],
    mkd_absolute: false,
    doubles_quotes: false,
};

const PYFTPDLIB: Expect = Expect {
    name: "pyftpdlib",
    greeting_lines: 1,
    features: &[
        "EPRT", "EPSV", "MDTM", "MFMT", "MLST", "REST", "SIZE", "TVFS", "UTF8",
    ],
    help_lines_at_least: 8,
    stat_lines_at_least: Some(5),
    // 125 when it has accepted the data connection by the time the command
    // arrives, 150 when not yet: which one depends on timing.
    transfer_mark: &[125, 150],
    size_hints: [None, None],
    mkd_absolute: true,
    doubles_quotes: true,
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
        assert!(
            server.pasv_ports.contains(&target.addr.port()),
            "{}: passive port {} outside {:?}",
            self.server,
            target.addr.port(),
            server.pasv_ports
        );
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
    let made = text(
        &reply
            .pathname()
            .unwrap_or_else(|e| panic!("{name}: {reply:?}: {e}")),
    );
    // Pure-FTPd gives the name as sent, the others the absolute path.
    let absolute = format!("/{dir}");
    let want = if expect.mkd_absolute {
        absolute.as_str()
    } else {
        dir
    };
    assert_eq!(made, want, "{name}: {reply:?}");
    assert!(
        text(reply.raw()).contains(&quoted(want)),
        "{name}: {reply:?}"
    );
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
    // RFC 959 lists 200 for CDUP; all four send 250 (a documented deviation).
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

    // SYST: all four say UNIX, Type: L8.
    let (reply, _) = ctl.expect("SYST", 215);
    let system = reply
        .system_type()
        .unwrap_or_else(|e| panic!("{name}: {reply:?}: {e}"));
    assert!(system.is("UNIX"), "{name}: system {:?}", text(system.name));
    assert_eq!(system.rest, b"Type: L8", "{name}");

    // FEAT.
    let (reply, outcome) = ctl.expect("FEAT", 211);
    assert_eq!(outcome, Outcome::Success);
    assert!(reply.is_multiline(), "{name}: {reply:?}");
    let features = reply
        .features()
        .unwrap_or_else(|e| panic!("{name}: {reply:?}: {e}"));
    let mut listed: Vec<String> = features.iter().map(|f| text(f.name)).collect();
    listed.sort();
    let mut wanted: Vec<String> = expect.features.iter().map(|f| f.to_string()).collect();
    wanted.sort();
    assert_eq!(listed, wanted, "{name}: FEAT");
    for feature in ["EPSV", "SIZE", "MDTM", "epsv"] {
        assert!(features.has(feature), "{name}: FEAT lacks {feature}");
    }
    assert_eq!(
        features.has("UTF8"),
        expect.features.contains(&"UTF8"),
        "{name}"
    );
    let rest = features
        .get("REST")
        .unwrap_or_else(|| panic!("{name}: no REST"));
    assert_eq!(rest.params, b"STREAM", "{name}");

    // HELP and STAT: long multi-line replies (Pure-FTPd's STAT is one line).
    let (reply, outcome) = ctl.expect("HELP", 214);
    assert_eq!(outcome, Outcome::Success);
    assert!(reply.is_multiline(), "{name}: {reply:?}");
    assert!(
        reply.line_count() >= expect.help_lines_at_least,
        "{name}: HELP has {} lines",
        reply.line_count()
    );
    let (reply, outcome) = ctl.expect("STAT", 211);
    assert_eq!(outcome, Outcome::Success);
    match expect.stat_lines_at_least {
        Some(lines) => {
            assert!(reply.is_multiline(), "{name}: {reply:?}");
            assert!(
                reply.line_count() >= lines,
                "{name}: STAT has {} lines",
                reply.line_count()
            );
        }
        None => assert_eq!(reply.line_count(), 1, "{name}: {reply:?}"),
    }

    // PWD: the root.
    let (reply, _) = ctl.expect("PWD", 257);
    assert_eq!(&reply.pathname().unwrap()[..], b"/", "{name}: {reply:?}");

    ctl.expect("TYPE I", 200);

    // SIZE and MDTM of hello.txt, against the file on disk.
    let (reply, _) = ctl.expect("SIZE hello.txt", 213);
    assert_eq!(reply.size(), Ok(hello.len() as u64), "{name}: {reply:?}");
    assert_eq!(hello.len(), 8192);
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

    // REST 100 + PASV + RETR: the rest of the file.
    let (_, outcome) = ctl.expect("REST 100", 350);
    assert!(
        matches!(outcome, Outcome::SendNext(next) if next.contains(&Command::Retr)),
        "{name}: {outcome:?}"
    );
    let data = ctl.passive(&server, false);
    let (mark, received) = ctl.transfer("RETR hello.txt", data, expect.transfer_mark);
    assert!(
        received == hello[100..],
        "{name}: RETR after REST 100 gave {} bytes, not the file from byte 100",
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

    ctl.expect("NOOP", 200);
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

        let mut judge = Judge::new(name);
        let mut commands = Vec::new();
        for object in &objects {
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
        let last = objects.last().unwrap();
        assert_eq!(
            (&last["command"], &last["code"]),
            (&"QUIT".into(), &221.into())
        );
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
}
