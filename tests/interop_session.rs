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
use ftp_reply::{Command, CommandLine, Outcome, Reply};

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

    /// EPSV, then the data connection to where `passive_target` says.
    fn passive(&mut self) -> TcpStream {
        let peer = self.ctl.peer_addr().unwrap().ip();
        let reply = self.expect(Command::Epsv, "", 229);
        let port = reply.extended_passive_port().unwrap();
        let target = passive_target(peer, SocketAddr::new(peer, port), PassivePolicy::default());
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

    // FEAT: a multi-line reply, all of it FEAT's.
    let feat = d.expect(Command::Feat, "", 211);
    assert!(feat.is_multiline(), "{name}: {feat:?}");
    assert!(feat.features().unwrap().has("EPSV"), "{name}: {feat:?}");

    // Three NOOPs pipelined in one write, each answered 200 in order.
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
        [(noops[0], 200), (noops[1], 200), (noops[2], 200)],
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
        Some(code) => assert!(matches!(code, 225 | 226), "{name}: ABOR got {code}"),
        None => assert!(
            abor_answered_once,
            "{name}: ABOR neither answered nor given up"
        ),
    }
    assert_eq!(
        d.outcome(noop, 200),
        Some(Outcome::Success),
        "{name}: {events:?}"
    );

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
