//! Interoperability of the sans-IO session: each real server
//! (`scripts/ftp-servers.sh`) driven through `Session` by a blocking loop over
//! `std::net`: login, FEAT, three NOOPs pipelined in one write, a transfer
//! compared byte for byte, ABOR during a large RETR and a NOOP answered 200
//! afterwards, QUIT. Every reply must reach the command it answers.
//!
//! Without the servers each test prints `SKIPPED` and passes, unless
//! `FTP_REPLY_INTEROP=required`, when it fails.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};

use ftp_reply::payload::{PassivePolicy, passive_target};
use ftp_reply::session::{CloseReason, CommandHandle, Event, Interrupt, Io, Session};
use ftp_reply::{ClassOutcome, Command, CommandLine, Outcome, Reply};

use common::servers::{self, IO_TIMEOUT, Server};

/// The blocking driver: one socket, one session, every event kept.
struct Driver {
    ctl: TcpStream,
    session: Session,
    name: String,
    /// Every event, in order.
    events: Vec<Event>,
    /// How many writes carried commands, and their bytes.
    writes: Vec<Vec<u8>>,
}

impl Driver {
    fn connect(server: &Server) -> Driver {
        let ctl = TcpStream::connect_timeout(&server.addr(), IO_TIMEOUT).unwrap();
        ctl.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        ctl.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
        Driver {
            ctl,
            session: Session::new(),
            name: server.name.clone(),
            events: Vec::new(),
            writes: Vec::new(),
        }
    }

    fn send(&mut self, command: Command, argument: &str) -> CommandHandle {
        let line = CommandLine::new(command, argument.as_bytes()).unwrap();
        self.session.send(line).unwrap()
    }

    /// Writes what the session has to write, then reads and handles events until
    /// `done` says stop; returns the events handled.
    fn run(&mut self, mut done: impl FnMut(&Event) -> bool) -> Vec<Event> {
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match self.session.next() {
                Ok(event) => {
                    let stop = done(&event);
                    self.events.push(event.clone());
                    got.push(event);
                    if stop {
                        return got;
                    }
                }
                Err(Interrupt::Io(Io::Output(bytes))) => {
                    self.ctl.write_all(&bytes).unwrap();
                    self.writes.push(bytes.to_vec());
                }
                Err(Interrupt::Io(Io::NeedMoreInput)) => match self.ctl.read(&mut buf) {
                    Ok(0) => self.session.enqueue_eof(),
                    Ok(n) => self.session.enqueue_input(&buf[..n]),
                    Err(e) if e.kind() == ErrorKind::Interrupted => {}
                    Err(e) => panic!("{}: reading the control connection: {e}", self.name),
                },
                Err(Interrupt::Error(e)) => panic!("{}: {e}; events {got:?}", self.name),
            }
        }
    }

    /// Writes the commands sent so far, without waiting for anything.
    fn flush(&mut self) {
        loop {
            match self.session.next() {
                Ok(event) => self.events.push(event),
                Err(Interrupt::Io(Io::Output(bytes))) => {
                    self.ctl.write_all(&bytes).unwrap();
                    self.writes.push(bytes.to_vec());
                    return;
                }
                Err(_) => return,
            }
        }
    }

    /// Handles what arrives within a second, stopping early once `handle` is done.
    fn wait_briefly(&mut self, handle: CommandHandle) {
        self.ctl
            .set_read_timeout(Some(std::time::Duration::from_secs(1)))
            .unwrap();
        let mut buf = [0u8; 4096];
        loop {
            match self.session.next() {
                Ok(event) => {
                    let done = matches!(&event, Event::Reply { handle: h, done: true, .. } if *h == handle);
                    self.events.push(event);
                    if done {
                        break;
                    }
                }
                Err(Interrupt::Io(Io::NeedMoreInput)) => match self.ctl.read(&mut buf) {
                    Ok(0) => self.session.enqueue_eof(),
                    Ok(n) => self.session.enqueue_input(&buf[..n]),
                    Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                        break;
                    }
                    Err(e) => panic!("{}: {e}", self.name),
                },
                Err(Interrupt::Io(Io::Output(bytes))) => self.ctl.write_all(&bytes).unwrap(),
                Err(Interrupt::Error(e)) => panic!("{}: {e}", self.name),
            }
        }
        self.ctl.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    }

    /// Runs until the command `handle` is done; returns its replies.
    fn replies(&mut self, handle: CommandHandle) -> Vec<Reply> {
        let events =
            self.run(|e| matches!(e, Event::Reply { handle: h, done: true, .. } if *h == handle));
        let mut replies = Vec::new();
        for event in events {
            match event {
                Event::Reply {
                    handle: h, reply, ..
                } => {
                    assert_eq!(
                        h, handle,
                        "{}: a reply to another command: {reply:?}",
                        self.name
                    );
                    replies.push(reply);
                }
                other => panic!("{}: unexpected event {other:?}", self.name),
            }
        }
        replies
    }

    /// Sends `command` and expects one final reply with `code` and a
    /// non-unexpected outcome, after any preliminary ones.
    fn expect(&mut self, command: Command, argument: &str, code: u16) -> Reply {
        let handle = self.send(command, argument);
        let replies = self.replies(handle);
        let last = replies.last().unwrap().clone();
        assert_eq!(
            last.code().as_u16(),
            code,
            "{}: {command} got {replies:?}",
            self.name
        );
        last
    }

    /// EPSV (PASV where EPSV is refused), then the data connection to where
    /// `passive_target` says.
    fn passive(&mut self) -> TcpStream {
        let peer = self.ctl.peer_addr().unwrap().ip();
        let epsv = self.send(Command::Epsv, "");
        let reply = self.replies(epsv).pop().unwrap();
        let advertised = if reply.code().as_u16() == 229 {
            SocketAddr::new(peer, reply.extended_passive_port().unwrap())
        } else {
            assert!(
                reply.code().is_negative(),
                "{}: EPSV got {reply:?}",
                self.name
            );
            SocketAddr::V4(self.expect(Command::Pasv, "", 227).passive_addr().unwrap())
        };
        let target = passive_target(peer, advertised, PassivePolicy::default());
        let data = TcpStream::connect_timeout(&target.addr, IO_TIMEOUT).unwrap();
        data.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        data
    }

    /// The outcome the session gave the reply with `code` to `handle`.
    fn outcome(&self, handle: CommandHandle, code: u16) -> Option<Outcome> {
        self.events.iter().find_map(|e| match e {
            Event::Reply {
                handle: h,
                reply,
                outcome,
                ..
            } if *h == handle && reply.code().as_u16() == code => Some(*outcome),
            _ => None,
        })
    }
}

fn conversation(name: &str) {
    let test = format!("interop_session::{name}");
    let Some(server) = servers::server(&test, name) else {
        return;
    };
    // A file large enough that no server can send it before ABOR reaches it.
    let big = server.root.join("big-abor.bin");
    std::fs::write(&big, vec![0x5Au8; 32 << 20]).unwrap();

    let mut d = Driver::connect(&server);
    let greeting = d.run(|e| matches!(e, Event::Greeting { done: true, .. }));
    assert!(
        matches!(greeting.last(), Some(Event::Greeting { reply, .. }) if reply.code().as_u16() == 220)
    );

    // Login, as RFC 959 §5.4 sequences it.
    let user = d.send(Command::User, &server.user);
    let replies = d.replies(user);
    assert_eq!(replies.last().unwrap().code().as_u16(), 331, "{name}");
    assert_eq!(
        d.outcome(user, 331),
        Some(Outcome::SendNext(&[Command::Pass]))
    );
    d.expect(Command::Pass, &server.password, 230);

    // What each server answers (samples/QUIRKS.md): FEAT refused by netkit ftpd
    // (500) and aioftp (502), which also refuses NOOP (502); FEAT means 211.
    let (feat_code, noop_code) = match name {
        "netkit-ftpd" => (500, 200),
        "aioftp" => (502, 502),
        _ => (211, 200),
    };

    // FEAT: a multi-line reply, all of it FEAT's.
    let feat = d.expect(Command::Feat, "", feat_code);
    if feat_code == 211 {
        assert!(feat.is_multiline(), "{name}: {feat:?}");
        assert!(feat.features().unwrap().len() >= 3, "{name}: {feat:?}");
    }

    // Three NOOPs pipelined in one write, each answered in order.
    let noops = [
        d.send(Command::Noop, ""),
        d.send(Command::Noop, ""),
        d.send(Command::Noop, ""),
    ];
    let writes_before = d.writes.len();
    let events = d.run(|e| matches!(e, Event::Reply { handle, .. } if *handle == noops[2]));
    assert_eq!(
        d.writes.len(),
        writes_before + 1,
        "{name}: the NOOPs took more than one write"
    );
    assert_eq!(d.writes.last().unwrap(), b"NOOP\r\nNOOP\r\nNOOP\r\n");
    let answered: Vec<(CommandHandle, u16)> = events
        .iter()
        .map(|e| match e {
            Event::Reply { handle, reply, .. } => (*handle, reply.code().as_u16()),
            other => panic!("{name}: {other:?}"),
        })
        .collect();
    assert_eq!(
        answered,
        [
            (noops[0], noop_code),
            (noops[1], noop_code),
            (noops[2], noop_code)
        ],
        "{name}"
    );

    // A transfer: binary RETR over EPSV, the bytes compared with the file.
    d.expect(Command::Type, "I", 200);
    let mut data = d.passive();
    let retr = d.send(Command::Retr, "hello.txt");
    let first = d.run(|e| matches!(e, Event::Reply { handle, .. } if *handle == retr));
    assert!(
        matches!(&first[..], [Event::Reply { reply, done: false, .. }] if reply.code().is_preliminary()),
        "{name}: {first:?}"
    );
    let mut got = Vec::new();
    data.read_to_end(&mut got).unwrap();
    drop(data);
    let rest = d.replies(retr);
    assert_eq!(
        rest.last().unwrap().code().as_u16(),
        226,
        "{name}: {rest:?}"
    );
    assert_eq!(got, server.file("hello.txt"), "{name}: RETR bytes differ");

    // ABOR during a large RETR: the abort goes in-band, then the data connection
    // is closed, so servers that only read the control connection between
    // transfers see the transfer fail (RFC 959 §4.1.3 either way).
    let mut data = d.passive();
    let retr = d.send(Command::Retr, "big-abor.bin");
    d.run(|e| matches!(e, Event::Reply { handle, .. } if *handle == retr));
    let mut chunk = vec![0u8; 65536];
    data.read_exact(&mut chunk).unwrap();
    let abor = d.send(Command::Abor, "");
    d.flush();
    // Servers that read the control connection during a transfer answer at once
    // (aioftp drops the control connection if the data connection closes before
    // it has seen ABOR); the others only notice when the data connection closes.
    d.wait_briefly(retr);
    drop(data);
    let noop = d.send(Command::Noop, "");
    let events = d.run(|e| matches!(e, Event::Reply { handle, done: true, .. } if *handle == noop));
    let mut retr_final = None;
    let mut abor_reply = None;
    for event in &d.events {
        match event {
            Event::Reply {
                handle,
                reply,
                done: true,
                ..
            } if *handle == retr => {
                retr_final = Some(reply.code().as_u16());
            }
            Event::Reply { handle, reply, .. } if *handle == abor => {
                abor_reply = Some(reply.code().as_u16());
            }
            _ => {}
        }
    }
    let retr_final = retr_final.unwrap_or_else(|| panic!("{name}: RETR never ended: {events:?}"));
    assert!(
        matches!(retr_final, 426 | 451 | 226),
        "{name}: RETR ended with {retr_final}"
    );
    let abor_answered_once = d
        .events
        .iter()
        .any(|e| matches!(e, Event::Unanswered { handle, .. } if *handle == abor));
    match abor_reply {
        // Twisted has no ABOR (502).
        Some(502) if name == "twisted" => {}
        Some(code) => assert!(matches!(code, 225 | 226), "{name}: ABOR got {code}"),
        None => assert!(
            abor_answered_once,
            "{name}: ABOR neither answered nor given up"
        ),
    }
    // aioftp's 502 to NOOP is not one RFC 959 lists for NOOP.
    let noop_outcome = d.outcome(noop, noop_code).map(|o| o.class_outcome());
    let expected_noop = if noop_code == 200 {
        ClassOutcome::Success
    } else {
        ClassOutcome::PermanentFailure
    };
    assert_eq!(noop_outcome, Some(expected_noop), "{name}: {events:?}");

    // QUIT closes the session.
    let quit = d.send(Command::Quit, "");
    let end = d.run(|e| matches!(e, Event::Closed { .. }));
    assert!(
        matches!(
            &end[..],
            [
                Event::Reply { handle, reply, done: true, .. },
                Event::Closed { reason: CloseReason::Quit, unanswered, .. },
            ] if *handle == quit && reply.code().as_u16() == 221 && unanswered.is_empty()
        ),
        "{name}: {end:?}"
    );
    // No reply in the whole conversation went to no command.
    assert!(
        !d.events
            .iter()
            .any(|e| matches!(e, Event::Unsolicited { .. } | Event::StreamError { .. })),
        "{name}: {:?}",
        d.events
    );
    let _ = std::fs::remove_file(big);
}

#[test]
fn vsftpd() {
    conversation("vsftpd");
}

#[test]
fn proftpd() {
    conversation("proftpd");
}

#[test]
fn pure_ftpd() {
    conversation("pure-ftpd");
}

#[test]
fn pyftpdlib() {
    conversation("pyftpdlib");
}

#[test]
fn inetutils_ftpd() {
    conversation("inetutils-ftpd");
}

#[test]
fn netkit_ftpd() {
    conversation("netkit-ftpd");
}

#[test]
fn twisted() {
    conversation("twisted");
}

#[test]
fn aioftp() {
    conversation("aioftp");
}
