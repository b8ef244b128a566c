//! The flows against a scripted misbehaving server: a thread on 127.0.0.1 that
//! plays one script per test (the quirks real servers have), and a small
//! blocking driver. Each script checks what the client sends; each test checks
//! the flows' typed results and where the data connections went.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use ftp_reply::Command;
use ftp_reply::flow::{
    Action, DataConfig, Feat, Flow, FlowError, Greeting, Login, Poll, Simple, Transfer, TransferEnd,
};
use ftp_reply::session::Session;

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
    /// Connects to a server playing `script`, and reads the greeting.
    fn new(script: impl FnOnce(&mut Script) + Send + 'static) -> Client {
        let (addr, server) = server(script);
        let control = TcpStream::connect(addr).unwrap();
        control.set_read_timeout(Some(TIMEOUT)).unwrap();
        Client {
            session: Session::new(),
            control,
            config: DataConfig::passive(addr.ip()),
            connects: Vec::new(),
            data: None,
            server: Some(server),
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
        let mut transfer = Transfer::start(&mut self.session, &self.config, command, "f", None)
            .expect("a valid transfer");
        let mut got = Vec::new();
        loop {
            match self.poll(&mut transfer) {
                Ok(result) => return (result, got),
                Err(Action::MoveData { .. }) => {
                    let mut data = self.data.take().expect("a data connection");
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
