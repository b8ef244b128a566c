//! The flows against a scripted misbehaving server: a thread on 127.0.0.1 that
//! plays one script per test (the quirks real servers have), and a small
//! blocking driver. Each script checks what the client sends; each test checks
//! the flows' typed results and where the data connections went.
//!
//! Then the same driver against each real server (`scripts/ftp-servers.sh`):
//! `MLST` and `MLSD` read into typed facts where the server offers them, and one
//! `RETR` in active mode (`EPRT`, or `PORT` where `EPRT` is refused), the server
//! connecting back to a listener on 127.0.0.1. Without the servers those tests
//! print `SKIPPED` and pass, unless `FTP_REPLY_INTEROP=required`.

mod common;

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use ftp_reply::Command;
use ftp_reply::flow::{
    Action, DataConfig, DataMode, Feat, Flow, FlowError, Greeting, Login, Poll, Quit, Simple,
    Transfer, TransferEnd,
};
use ftp_reply::payload::{EntryType, Facts};
use ftp_reply::session::Session;

use common::servers::{self, IO_TIMEOUT, Server};

const TIMEOUT: Duration = Duration::from_secs(10);

/// The server's side of one control connection.
struct Script {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Script {
    /// Writes `text` as is (CRLFs included).
    fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
    }

    /// Reads one command line; it must be `want`.
    fn expect(&mut self, want: &str) {
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        assert_eq!(line, format!("{want}\r\n"), "the client sent");
    }

    /// A passive data listener on 127.0.0.1, and its port as `p1,p2`.
    fn listen() -> (TcpListener, u16, String) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        (listener, port, format!("{},{}", port >> 8, port & 0xff))
    }

    /// A whole download on `listener`: `mark` on the control connection, `data`
    /// on the data connection, which is then closed, and `226`.
    fn serve(&mut self, listener: &TcpListener, mark: &str, data: &[u8]) {
        let mut conn = accept(listener);
        self.send(mark);
        conn.write_all(data).unwrap();
        drop(conn);
        self.send("226 Done.\r\n");
    }

    /// The end of the session: QUIT, or the client closing.
    fn end(&mut self) {
        let mut rest = String::new();
        let _ = self.reader.read_to_string(&mut rest);
    }
}

/// Starts a server playing `script` on one connection; returns its address.
fn server(script: impl FnOnce(&mut Script) + Send + 'static) -> (SocketAddr, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        let writer = stream.try_clone().unwrap();
        script(&mut Script {
            reader: BufReader::new(stream),
            writer,
        });
    });
    (addr, handle)
}

fn accept(listener: &TcpListener) -> TcpStream {
    let (data, _) = listener.accept().unwrap();
    data.set_read_timeout(Some(TIMEOUT)).unwrap();
    data
}

/// Accepts one connection on `listener`, failing after `timeout` instead of
/// waiting for ever on a server that never connects.
fn accept_within(listener: &TcpListener, timeout: Duration) -> TcpStream {
    listener.set_nonblocking(true).unwrap();
    let deadline = Instant::now() + timeout;
    let data = loop {
        match listener.accept() {
            Ok((data, _)) => break data,
            Err(e) if e.kind() == ErrorKind::WouldBlock && Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(5));
            }
            Err(e) => panic!("no data connection from the server: {e}"),
        }
    };
    data.set_nonblocking(false).unwrap();
    data.set_read_timeout(Some(timeout)).unwrap();
    data
}

/// A blocking driver of the flows, recording the data connections it made.
struct Client {
    session: Session,
    control: TcpStream,
    config: DataConfig,
    connects: Vec<(SocketAddr, Option<IpAddr>)>,
    data: Option<TcpStream>,
    server: Option<JoinHandle<()>>,
}

impl Client {
    /// Connects to a server playing `script`.
    fn new(script: impl FnOnce(&mut Script) + Send + 'static) -> Client {
        let (addr, server) = server(script);
        let mut client = Client::connect(addr, TIMEOUT);
        client.server = Some(server);
        client
    }

    /// Connects to a server at `addr`.
    fn connect(addr: SocketAddr, timeout: Duration) -> Client {
        let control = TcpStream::connect_timeout(&addr, timeout).unwrap();
        control.set_read_timeout(Some(timeout)).unwrap();
        control.set_write_timeout(Some(timeout)).unwrap();
        Client {
            session: Session::new(),
            control,
            config: DataConfig::passive(addr.ip()),
            connects: Vec::new(),
            data: None,
            server: None,
        }
    }

    fn run<F: Flow>(&mut self, flow: Result<F, FlowError>) -> Result<F::Output, FlowError> {
        let mut flow = flow?;
        match self.poll(&mut flow) {
            Ok(result) => result,
            Err(action) => panic!("{action:?} outside a transfer"),
        }
    }

    /// Polls until the flow ends or asks to move data.
    fn poll<F: Flow>(&mut self, flow: &mut F) -> Result<Result<F::Output, FlowError>, Action> {
        loop {
            match flow.poll(&mut self.session, &mut |_| {}) {
                Poll::Write(bytes) => self.control.write_all(&bytes).unwrap(),
                Poll::Read => {
                    let mut buf = [0; 4096];
                    match self.control.read(&mut buf).unwrap() {
                        0 => self.session.enqueue_eof(),
                        n => self.session.enqueue_input(&buf[..n]),
                    }
                }
                Poll::Act(Action::ConnectData {
                    addr, ignored_host, ..
                }) => {
                    self.connects.push((addr, ignored_host));
                    let data = TcpStream::connect(addr).unwrap();
                    data.set_read_timeout(Some(TIMEOUT)).unwrap();
                    self.data = Some(data);
                }
                Poll::Act(action) => return Err(action),
                Poll::Done(result) => return Ok(result),
            }
        }
    }

    /// A download: connects where the flow says, reads to the end, closes,
    /// then waits for the final reply.
    fn download(&mut self, command: Command) -> (Result<TransferEnd, FlowError>, Vec<u8>) {
        let (end, got, _) = self.download_from(command, "f", None);
        (end, got)
    }

    /// `command argument`: in passive mode when `listener` is `None`, else in
    /// active mode, the server connecting to `listener`; also whether the
    /// server refused `EPSV`/`EPRT`.
    fn download_from(
        &mut self,
        command: Command,
        argument: &str,
        listener: Option<&TcpListener>,
    ) -> (Result<TransferEnd, FlowError>, Vec<u8>, bool) {
        let mut config = self.config;
        if let Some(listener) = listener {
            config.mode = DataMode::Active(listener.local_addr().unwrap());
        }
        let mut transfer = Transfer::start(&mut self.session, &config, command, argument, None)
            .expect("a valid transfer");
        let mut got = Vec::new();
        loop {
            match self.poll(&mut transfer) {
                Ok(result) => return (result, got, transfer.epsv_refused()),
                Err(Action::MoveData { .. }) => {
                    let mut data = match listener {
                        Some(listener) => accept_within(listener, IO_TIMEOUT),
                        None => self.data.take().expect("a data connection"),
                    };
                    data.read_to_end(&mut got).unwrap();
                    drop(data);
                    transfer.data_ended().expect("a transfer under way");
                }
                Err(other) => panic!("{other:?}"),
            }
        }
    }

    /// Closes the control connection and waits for the script to end.
    fn finish(mut self) {
        let _ = self.control.shutdown(Shutdown::Both);
        if let Some(server) = self.server.take() {
            server.join().expect("the script's checks passed");
        }
    }
}

/// 120 then 220, USER/PASS, FEAT refused.
#[test]
fn ready_in_minutes_then_login_then_feat_refused() {
    let mut client = Client::new(|s| {
        s.send("120 Service ready in 2 minutes.\r\n");
        thread::sleep(Duration::from_millis(50));
        s.send("220 Ready.\r\n");
        s.expect("USER u");
        s.send("331 Password required.\r\n");
        s.expect("PASS p");
        s.send("230 Logged in.\r\n");
        s.expect("FEAT");
        s.send("500 'FEAT': command not understood.\r\n");
        s.end();
    });
    let greeted = client.run(Ok(Greeting::new())).unwrap();
    assert_eq!(greeted.reply.code().as_u16(), 220);
    assert_eq!(greeted.delay.and_then(|d| d.minutes), Some(2));
    let login = Login::start(&mut client.session, "u", "p", None);
    assert_eq!(client.run(login).unwrap().reply.code().as_u16(), 230);
    let feat = Feat::start(&mut client.session, true);
    let caps = client.run(feat).unwrap();
    assert!(!caps.listed && !caps.epsv() && !caps.utf8_on);
    client.finish();
}

/// A server answering `OPTS UTF8 ON` twice: the second reply must not become
/// the reply to `PWD`.
#[test]
fn opts_answered_twice() {
    let mut client = Client::new(|s| {
        s.send("220 Ready.\r\n");
        s.expect("FEAT");
        s.send("211-Features:\r\n UTF8\r\n EPSV\r\n211 End\r\n");
        s.expect("OPTS UTF8 ON");
        s.send("200 OK, UTF-8 enabled\r\n200 Always in UTF8 mode.\r\n");
        s.expect("PWD");
        s.send("257 \"/home/u\" is the current directory\r\n");
        s.end();
    });
    client.run(Ok(Greeting::new())).unwrap();
    let feat = Feat::start(&mut client.session, true);
    let caps = client.run(feat).unwrap();
    assert!(caps.utf8_on && caps.epsv());
    let pwd = Simple::pwd(&mut client.session);
    let pwd = client.run(pwd).unwrap();
    assert_eq!(pwd, b"/home/u");
    client.finish();
}

/// 227 to EPSV, with `0.0.0.0` as its host: the data connection goes to the
/// control connection's peer.
#[test]
fn pasv_reply_to_epsv_with_zero_host() {
    let mut client = Client::new(|s| {
        let (listener, _, port) = Script::listen();
        s.send("220 Ready.\r\n");
        s.expect("EPSV");
        s.send(&format!("227 Entering Passive Mode (0,0,0,0,{port}).\r\n"));
        s.expect("LIST f");
        s.serve(&listener, "150 Here it comes.\r\n", b"a listing\r\n");
        s.end();
    });
    client.run(Ok(Greeting::new())).unwrap();
    let (end, got) = client.download(Command::List);
    assert!(matches!(end, Ok(TransferEnd::Completed(_))), "{end:?}");
    assert_eq!(got, b"a listing\r\n");
    let (addr, ignored) = client.connects[0];
    assert_eq!(addr.ip(), IpAddr::from([127, 0, 0, 1]));
    assert_eq!(ignored, Some(IpAddr::from([0, 0, 0, 0])));
    client.finish();
}

/// EPSV refused, then 227 naming a foreign host: the control peer is used.
#[test]
fn epsv_refused_then_foreign_host_in_227() {
    let mut client = Client::new(|s| {
        let (listener, _, port) = Script::listen();
        s.send("220 Ready.\r\n");
        s.expect("EPSV");
        s.send("502 EPSV not implemented.\r\n");
        s.expect("PASV");
        s.send(&format!(
            "227 Entering Passive Mode (203,0,113,9,{port}).\r\n"
        ));
        s.expect("RETR f");
        s.serve(
            &listener,
            "150 Opening data connection (5 bytes).\r\n",
            b"hello",
        );
        s.end();
    });
    client.run(Ok(Greeting::new())).unwrap();
    let (end, got) = client.download(Command::Retr);
    assert!(matches!(end, Ok(TransferEnd::Completed(_))), "{end:?}");
    assert_eq!(got, b"hello");
    assert_eq!(client.connects[0].0.ip(), IpAddr::from([127, 0, 0, 1]));
    assert_eq!(client.connects[0].1, Some(IpAddr::from([203, 0, 113, 9])));
    client.finish();
}

/// EPSV refused with 500, then 229 sent to PASV.
#[test]
fn epsv_reply_to_pasv() {
    let mut client = Client::new(|s| {
        let (listener, port, _) = Script::listen();
        s.send("220 Ready.\r\n");
        s.expect("EPSV");
        s.send("500 'EPSV': command not understood.\r\n");
        s.expect("PASV");
        s.send(&format!(
            "229 Entering Extended Passive Mode (|||{port}|)\r\n"
        ));
        s.expect("RETR f");
        s.serve(&listener, "150 Go.\r\n", b"x");
        s.end();
    });
    client.run(Ok(Greeting::new())).unwrap();
    let (end, got) = client.download(Command::Retr);
    assert!(matches!(end, Ok(TransferEnd::Completed(_))), "{end:?}");
    assert_eq!((got.as_slice(), client.connects[0].1), (&b"x"[..], None));
    client.finish();
}

/// 226 sent before the data is drained: the transfer waits for the data.
#[test]
fn final_reply_before_the_data_ends() {
    let mut client = Client::new(|s| {
        let (listener, port, _) = Script::listen();
        s.send("220 Ready.\r\n");
        s.expect("EPSV");
        s.send(&format!(
            "229 Entering Extended Passive Mode (|||{port}|)\r\n"
        ));
        s.expect("RETR f");
        let mut data = accept(&listener);
        s.send("150 Go.\r\n226 Transfer complete.\r\n");
        for chunk in [&b"first "[..], b"second ", b"third"] {
            thread::sleep(Duration::from_millis(30));
            data.write_all(chunk).unwrap();
        }
        drop(data);
        s.end();
    });
    client.run(Ok(Greeting::new())).unwrap();
    let (end, got) = client.download(Command::Retr);
    match end {
        Ok(TransferEnd::Completed(done)) => assert_eq!(done.reply.code().as_u16(), 226),
        other => panic!("{other:?}"),
    }
    assert_eq!(got, b"first second third");
    client.finish();
}

/// 226 held until the client closes the data connection (ProFTPD).
#[test]
fn final_reply_held_until_the_data_connection_closes() {
    let mut client = Client::new(|s| {
        let (listener, port, _) = Script::listen();
        s.send("220 Ready.\r\n");
        s.expect("EPSV");
        s.send(&format!(
            "229 Entering Extended Passive Mode (|||{port}|)\r\n"
        ));
        s.expect("RETR f");
        let mut data = accept(&listener);
        s.send("150 Go.\r\n");
        data.write_all(b"all of it").unwrap();
        data.shutdown(Shutdown::Write).unwrap();
        // Only once the client closed its side does the 226 come.
        let mut rest = Vec::new();
        data.read_to_end(&mut rest).unwrap();
        s.send("226 Transfer complete.\r\n");
        s.end();
    });
    client.run(Ok(Greeting::new())).unwrap();
    let (end, got) = client.download(Command::Retr);
    assert!(matches!(end, Ok(TransferEnd::Completed(_))), "{end:?}");
    assert_eq!(got, b"all of it");
    client.finish();
}

/// 421 in the middle of a transfer: a typed "closed by server", the reply kept.
#[test]
fn service_closing_in_the_middle_of_a_transfer() {
    let mut client = Client::new(|s| {
        let (listener, port, _) = Script::listen();
        s.send("220 Ready.\r\n");
        s.expect("EPSV");
        s.send(&format!(
            "229 Entering Extended Passive Mode (|||{port}|)\r\n"
        ));
        s.expect("RETR f");
        let data = accept(&listener);
        s.send("150 Go.\r\n421 Timeout: closing control connection.\r\n");
        drop(data);
    });
    client.run(Ok(Greeting::new())).unwrap();
    let (end, _) = client.download(Command::Retr);
    match end {
        Err(FlowError::ClosedByServer { reply }) => {
            assert_eq!(reply.code().as_u16(), 421);
            assert_eq!(reply.text(), "Timeout: closing control connection.");
        }
        other => panic!("{other:?}"),
    }
    assert!(client.session.is_closed());
    client.finish();
}

/// 421 during the login.
#[test]
fn service_closing_during_login() {
    let mut client = Client::new(|s| {
        s.send("220 Ready.\r\n");
        s.expect("USER u");
        s.send("421 Too many connections.\r\n");
    });
    client.run(Ok(Greeting::new())).unwrap();
    let login = Login::start(&mut client.session, "u", "p", None);
    match client.run(login) {
        Err(FlowError::ClosedByServer { reply }) => assert_eq!(reply.code().as_u16(), 421),
        other => panic!("{other:?}"),
    }
    client.finish();
}

/// An argument holding CR or LF never leaves the client: the server's next
/// line is the command sent after it.
#[test]
fn cr_or_lf_in_an_argument_never_leaves_the_client() {
    let mut client = Client::new(|s| {
        s.send("220 Ready.\r\n");
        s.expect("NOOP");
        s.send("200 OK.\r\n");
        s.end();
    });
    client.run(Ok(Greeting::new())).unwrap();
    for evil in [
        "x\r\nDELE important",
        "x\nDELE important",
        "x\rDELE important",
    ] {
        let cwd = Simple::cwd(&mut client.session, evil);
        let err = client.run(cwd).unwrap_err();
        assert!(matches!(err, FlowError::Argument(_)), "{err:?}");
        let err = Login::start(&mut client.session, "u", evil, None).unwrap_err();
        assert!(matches!(err, FlowError::Argument(_)), "{err:?}");
        let err = Transfer::start(
            &mut client.session,
            &client.config,
            Command::Retr,
            evil,
            None,
        )
        .unwrap_err();
        assert!(matches!(err, FlowError::Argument(_)), "{err:?}");
    }
    let noop = Simple::command(&mut client.session, Command::Noop, "");
    assert_eq!(client.run(noop).unwrap().code().as_u16(), 200);
    client.finish();
}

/// How a real server takes active mode to 127.0.0.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Active {
    /// `EPRT` accepted, and the server connected back.
    Eprt,
    /// `EPRT` refused, `PORT` accepted, and the server connected back.
    Port,
    /// Refused: the command whose refusal ended the transfer, and the reply's
    /// code and text.
    Refused {
        command: Command,
        code: u16,
        text: &'static str,
    },
    /// Not tried, for the reason given, which the test checks still holds.
    NotTried(NotTried),
}

/// Why active mode is not tried on a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NotTried {
    /// The server binds its end of an active data connection to its control
    /// port − 1 (RFC 959 §3.2's default data port, L−1), which here is another
    /// server's control port: `bind` fails with `EADDRINUSE`, retried with
    /// growing sleeps for almost a minute, and then netkit ftpd answers
    /// `425 Can't create data socket (127.0.0.1,-816381804): Success.` (the
    /// port and the error garbled), seen once; too slow to wait for each run.
    DataPortTaken,
}

/// What each real server is known to do here.
struct Known {
    name: &'static str,
    /// Whether `MLST` and `MLSD` are answered (RFC 3659 §7): then both are read
    /// into facts, and a `FEAT` reply, where the server has one, lists `MLST`.
    mlst: bool,
    active: Active,
}

const KNOWN: [Known; 8] = [
    Known {
        name: "vsftpd",
        mlst: false,
        active: Active::Eprt,
    },
    Known {
        name: "proftpd",
        mlst: true,
        active: Active::Eprt,
    },
    Known {
        name: "pure-ftpd",
        mlst: true,
        active: Active::Eprt,
    },
    Known {
        name: "pyftpdlib",
        mlst: true,
        active: Active::Eprt,
    },
    Known {
        name: "inetutils-ftpd",
        mlst: false,
        active: Active::Eprt,
    },
    Known {
        name: "netkit-ftpd",
        mlst: false,
        active: Active::NotTried(NotTried::DataPortTaken),
    },
    Known {
        name: "twisted",
        mlst: false,
        active: Active::Eprt,
    },
    Known {
        name: "aioftp",
        mlst: true,
        active: Active::Refused {
            command: Command::Port,
            code: 502,
            text: "'port' not implemented",
        },
    },
];

/// Whether the `modify` fact, when given, is 2024-01-02 03:04:05 UTC: the
/// time `scripts/ftp-servers.sh` gives every file and directory of the roots.
fn is_root_mtime(facts: &Facts<'_>) -> bool {
    facts.modify().is_none_or(|t| {
        (t.year, t.month, t.day, t.hour, t.minute, t.second) == (2024, 1, 2, 3, 4, 5)
    })
}

/// The flows against the real server `name`: login, `FEAT`, `MLST` and `MLSD`
/// into typed facts where offered, a `RETR` in active mode, `QUIT`.
fn real_server(name: &str) {
    let test = format!("flows::{}", name.replace('-', "_"));
    let Some(server) = servers::server(&test, name) else {
        return;
    };
    let known = KNOWN
        .iter()
        .find(|k| k.name == name)
        .unwrap_or_else(|| panic!("{name}: not in KNOWN"));
    let mut client = Client::connect(server.addr(), IO_TIMEOUT);
    client.run(Ok(Greeting::new())).unwrap();
    let login = Login::start(&mut client.session, &server.user, &server.password, None);
    client.run(login).unwrap();
    let feat = Feat::start(&mut client.session, false);
    let caps = client.run(feat).unwrap();
    if caps.listed {
        assert_eq!(caps.mlst_facts().is_some(), known.mlst, "{name}: {caps:?}");
    }
    let type_i = Simple::command(&mut client.session, Command::Type, "I");
    client.run(type_i).unwrap();
    if known.mlst {
        mlst_and_mlsd(&mut client, &server);
    }
    active_retr(&mut client, &server, known.active);
    let quit = Quit::start(&mut client.session);
    let bye = client.run(quit).unwrap();
    assert_eq!(bye.map(|r| r.code().as_u16()), Some(221), "{name}");
}

/// `MLST hello.txt` and `MLSD listing`, their facts checked against the files.
fn mlst_and_mlsd(client: &mut Client, server: &Server) {
    let name = &server.name;
    let mlst = Simple::mlst(&mut client.session, "hello.txt");
    let entry = client.run(mlst).unwrap();
    let facts = entry.facts();
    assert!(
        entry.pathname().ends_with(b"hello.txt"),
        "{name}: {entry:?}"
    );
    assert_eq!(
        facts.entry_type(),
        Some(EntryType::File),
        "{name}: {entry:?}"
    );
    let size = server.file("hello.txt").len() as u64;
    assert_eq!(facts.size(), Some(size), "{name}: {entry:?}");
    assert!(
        facts.modify().is_some() && is_root_mtime(&facts),
        "{name}: {entry:?}"
    );

    let (end, got, _) = client.download_from(Command::Mlsd, "listing", None);
    let done = match end {
        Ok(TransferEnd::Completed(done)) => done,
        other => panic!("{name}: MLSD ended with {other:?}"),
    };
    let entries = done
        .mlsd(&got)
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{name}: {e} in {:?}", String::from_utf8_lossy(&got)));
    let mut listed: Vec<(&[u8], bool, Option<u64>)> = entries
        .iter()
        .filter(|f| {
            !matches!(
                f.entry_type(),
                Some(EntryType::CurrentDir | EntryType::ParentDir)
            )
        })
        .map(|f| {
            (
                f.pathname(),
                f.entry_type().is_some_and(|t| t.is_dir()),
                f.size(),
            )
        })
        .collect();
    listed.sort();
    let text = String::from_utf8_lossy(&got);
    // A directory's `size`, if any, is whatever the server makes of it.
    let dir_size = listed.first().and_then(|l| l.2);
    let file_size = |f: &str| Some(server.file(&format!("listing/{f}")).len() as u64);
    assert_eq!(
        listed,
        [
            (&b"nested"[..], true, dir_size),
            (b"one.txt", false, file_size("one.txt")),
            (b"two.txt", false, file_size("two.txt")),
        ],
        "{name}: {text}"
    );
    // The parent directory is the FTP root, which `start` changed.
    let pdir = |f: &&Facts<'_>| f.entry_type() == Some(EntryType::ParentDir);
    assert!(
        entries.iter().filter(|f| !pdir(f)).all(is_root_mtime),
        "{name}: {text}"
    );
}

/// One `RETR hello.txt` in active mode: the server connects to a listener on
/// 127.0.0.1, or refuses as `expected` says.
fn active_retr(client: &mut Client, server: &Server, expected: Active) {
    let name = &server.name;
    if let Active::NotTried(NotTried::DataPortTaken) = expected {
        let taken = server.port - 1;
        let other = servers::on_port(taken);
        assert!(
            other.is_some(),
            "{name}: port {taken} is no other server's now: try active mode"
        );
        return;
    }
    let connects = client.connects.len();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let (end, got, extended_refused) =
        client.download_from(Command::Retr, "hello.txt", Some(&listener));
    match end {
        Ok(TransferEnd::Completed(done)) => {
            assert_eq!(done.reply.code().as_u16(), 226, "{name}: {done:?}");
            assert_eq!(got, server.file("hello.txt"), "{name}: RETR bytes differ");
            let used = if extended_refused {
                Active::Port
            } else {
                Active::Eprt
            };
            assert_eq!(used, expected, "{name}");
        }
        Err(FlowError::Rejected { command, reply, .. }) => assert!(
            matches!(expected, Active::Refused { command: c, code, text }
                if c == command && code == reply.code().as_u16() && text == reply.text()),
            "{name}: {command} refused with {reply:?}, expected {expected:?}"
        ),
        other => panic!("{name}: active RETR ended with {other:?}"),
    }
    assert_eq!(
        client.connects.len(),
        connects,
        "{name}: the client connected"
    );
}

#[test]
fn vsftpd() {
    real_server("vsftpd");
}

#[test]
fn proftpd() {
    real_server("proftpd");
}

#[test]
fn pure_ftpd() {
    real_server("pure-ftpd");
}

#[test]
fn pyftpdlib() {
    real_server("pyftpdlib");
}

#[test]
fn inetutils_ftpd() {
    real_server("inetutils-ftpd");
}

#[test]
fn netkit_ftpd() {
    real_server("netkit-ftpd");
}

#[test]
fn twisted() {
    real_server("twisted");
}

#[test]
fn aioftp() {
    real_server("aioftp");
}
