//! A blocking FTP client on `std::net`, a thin driver of `ftp_reply::flow`: the
//! flows choose every command and read every reply; this file moves bytes, opens
//! data connections and starts TLS (rustls) where they say. Commands and replies
//! go to stderr, the password masked. `HOST:PORT USER PASS [FILE] [--stdout]`
//! logs in, lists, retrieves FILE and prints `FILE: N bytes` (`--stdout`: only its
//! bytes go to stdout); `--tls CA.pem`: explicit FTPS. `--exercise DIR NAME LOCAL`:
//! `FEAT`, `PWD`, `MKD DIR`, `CWD DIR`, `STOR` LOCAL as NAME, `MLSD` or `LIST`, a
//! `RETR` aborted by `ABOR` (no TCP urgent data, the data read on to its end), then
//! `RNFR`/`RNTO` to `renamed-NAME`; `tokio_client --finish` does the rest.

use std::error::Error;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream, ToSocketAddrs};
use std::{process::ExitCode, sync::Arc, time::Duration};

use ftp_reply::flow::{self, Action, DataConfig, Flow, FlowError, Poll, Simple, Transfer};
use ftp_reply::session::{Event, Session};
use ftp_reply::{Command, CommandLine};
use rustls::pki_types::{CertificateDer, ServerName, pem::PemObject};
use rustls::{ClientConfig, ClientConnection, StreamOwned};

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;
type Tls = Option<(Arc<ClientConfig>, ServerName<'static>)>;
type Conn = Box<dyn Stream>;

/// A connection, in clear text or TLS.
trait Stream: Read + Write {
    /// Ends our side: TLS's close_notify, then TCP's FIN.
    fn finish(&mut self) -> io::Result<()>;
}

impl Stream for TcpStream {
    fn finish(&mut self) -> io::Result<()> {
        self.shutdown(Shutdown::Write)
    }
}

impl Stream for StreamOwned<ClientConnection, TcpStream> {
    fn finish(&mut self) -> io::Result<()> {
        self.conn.send_close_notify();
        self.flush()?;
        self.sock.shutdown(Shutdown::Write)
    }
}

/// Connects to `addr`, in TLS when `tls` is given; every step within 15 s.
fn connect(addr: SocketAddr, tls: &Tls) -> Result<(TcpStream, Conn)> {
    let timeout = Duration::from_secs(15);
    let tcp = TcpStream::connect_timeout(&addr, timeout).map_err(|e| format!("{addr}: {e}"))?;
    tcp.set_read_timeout(Some(timeout))?;
    tcp.set_write_timeout(Some(timeout))?;
    Ok((tcp.try_clone()?, wrap(tcp, tls)?))
}

/// `tcp`, in TLS when `tls` is given.
fn wrap(tcp: TcpStream, tls: &Tls) -> Result<Conn> {
    let Some((config, name)) = tls else {
        return Ok(Box::new(tcp));
    };
    let tls = ClientConnection::new(config.clone(), name.clone())?;
    Ok(Box::new(StreamOwned::new(tls, tcp)))
}

/// The control connection and its session, and a transfer's data connection.
struct Ftp {
    session: Session,
    control: (TcpStream, Conn),
    tls: Tls,
    config: DataConfig,
    data: Option<Conn>,
}

impl Ftp {
    /// Runs the flow `start` begins to its end.
    fn run<F: Flow>(&mut self, start: impl Start<F>) -> Result<F::Output> {
        let mut flow = start(&mut self.session)?;
        let done = self.drive(&mut flow)?;
        done.ok_or_else(|| "a data connection outside a transfer".into())
    }

    /// Drives `flow` to its end (`Some`), or until it has data to move on
    /// `self.data` (`None`).
    fn drive<F: Flow>(&mut self, flow: &mut F) -> Result<Option<F::Output>> {
        loop {
            match flow.poll(&mut self.session, &mut log) {
                Poll::Write(bytes) => self.write(&bytes)?,
                Poll::Read => {
                    let mut buf = [0u8; 4096];
                    match self.control.1.read(&mut buf)? {
                        0 => self.session.enqueue_eof(),
                        n => self.session.enqueue_input(&buf[..n]),
                    }
                }
                Poll::Done(result) => return Ok(Some(result?)),
                Poll::Act(Action::StartTls) => {
                    self.control.1 = wrap(self.control.0.try_clone()?, &self.tls)?;
                }
                Poll::Act(Action::ConnectData { addr, tls, .. }) => {
                    self.data = Some(connect(addr, if tls { &self.tls } else { &None })?.1);
                }
                Poll::Act(Action::MoveData { .. }) => return Ok(None),
                Poll::Act(other) => return Err(format!("cannot {other:?}").into()),
            }
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        for line in bytes.split_inclusive(|&b| b == b'\n') {
            eprintln!("> {}", CommandLine::parse(line)?); // PASS shown as ****
        }
        self.control.1.write_all(bytes)?;
        Ok(self.control.1.flush()?)
    }

    /// Starts a transfer (from byte `rest` of the file), up to where its data
    /// is to be moved on the returned connection.
    fn open(&mut self, cmd: Command, arg: &str, rest: Option<u64>) -> Result<(Transfer, Conn)> {
        let mut transfer = Transfer::start(&mut self.session, &self.config, cmd, arg, rest)?;
        self.drive(&mut transfer)?; // a transfer ends only after its data moved
        self.config.extended &= !transfer.epsv_refused();
        Ok((transfer, self.data.take().ok_or("no data connection")?))
    }

    /// Closes the data connection, then waits for the transfer's end.
    fn close(&mut self, mut transfer: Transfer, mut data: Conn) -> Result<flow::TransferEnd> {
        // Our end, then the server's: closing with bytes unread (a TLS ticket, the
        // rest of an aborted transfer) would reset the connection.
        let _ = data.finish();
        let _ = io::copy(&mut data, &mut io::sink());
        drop(data); // before the final reply: some servers wait for it
        transfer.data_ended()?;
        self.run(|_| Ok(transfer))
    }

    /// A retrieval or a listing, whole.
    fn get(&mut self, cmd: Command, arg: &str, rest: Option<u64>) -> Result<Vec<u8>> {
        let (transfer, mut data) = self.open(cmd, arg, rest)?;
        let mut got = Vec::new();
        match data.read_to_end(&mut got) {
            // TCP closed without TLS close_notify: the final reply tells.
            Err(e) if e.kind() != ErrorKind::UnexpectedEof => Err(e.into()),
            _ => self.close(transfer, data).map(|_| got),
        }
    }
}

trait Start<F>: FnOnce(&mut Session) -> Result<F, FlowError> {}
impl<F, T: FnOnce(&mut Session) -> Result<F, FlowError>> Start<F> for T {}

/// Shows each reply on stderr.
fn log(event: &Event) {
    if let Some(reply) = event.reply() {
        eprintln!("< {} {}", reply.code(), reply.text().replace('\n', "\n< "));
    }
}

/// `--exercise`: see the module documentation.
fn exercise(ftp: &mut Ftp, [dir, name, local]: [&str; 3]) -> Result<()> {
    let caps = ftp.run(|s| flow::Feat::start(s, true))?;
    let show = String::from_utf8_lossy;
    println!("pwd: {}", show(&ftp.run(Simple::pwd)?));
    let mkd = ftp.run(|s| Simple::mkd(s, dir))?.unwrap_or_default();
    println!("mkd: {}", show(&mkd));
    ftp.run(|s| Simple::cwd(s, dir))?;
    let (stor, mut data) = ftp.open(Command::Stor, name, None)?;
    data.write_all(&std::fs::read(local)?)?;
    ftp.close(stor, data)?;
    let list = [Command::List, Command::Mlsd][usize::from(caps.mlst_facts().is_some())];
    println!("{}", show(&ftp.get(list, "", None)?));
    let (mut retr, mut data) = ftp.open(Command::Retr, name, None)?;
    Read::take(&mut data, 65536).read_to_end(&mut Vec::new())?;
    // ABOR while the data flows; some servers read it only after the transfer.
    retr.abort(&mut ftp.session)?;
    if let Poll::Write(bytes) = retr.poll(&mut ftp.session, &mut log) {
        ftp.write(&bytes)?;
    }
    if let flow::TransferEnd::Aborted(a) = ftp.close(retr, data)? {
        let code = |r: Option<ftp_reply::Reply>| r.map(|r| r.code().as_u16());
        let (transfer, abor) = (code(a.transfer), code(a.abor));
        println!("abort: {transfer:?} {abor:?} {}", a.noop.code());
    }
    ftp.run(|s| flow::Rename::start(s, name, format!("renamed-{name}")))?;
    Ok(())
}

fn run(args: &[String], opt: impl Fn(&str) -> Option<Vec<String>>) -> Result<()> {
    let addr = args[0].to_socket_addrs()?.next().ok_or("no address")?;
    let mut tls = None;
    if let Some(ca) = opt("--tls") {
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_file_iter(&ca[0])? {
            roots.add(cert?)?;
        }
        let config = ClientConfig::builder().with_root_certificates(roots);
        tls = Some((Arc::new(config.with_no_client_auth()), addr.ip().into()));
    }
    let mut ftp = Ftp {
        session: Session::new(),
        control: connect(addr, &None)?,
        tls,
        config: DataConfig::passive(addr.ip()),
        data: None,
    };
    ftp.run(|_| Ok(flow::Greeting::new()))?;
    if ftp.tls.is_some() {
        let protection = ftp.run(|s| flow::AuthTls::start(s, true))?;
        ftp.config.tls = protection == flow::Protection::Private;
    }
    ftp.run(|s| flow::Login::start(s, &args[1], &args[2], None))?;
    ftp.run(|s| Simple::command(s, Command::Type, "I"))?;
    if let Some(v) = opt("--exercise") {
        exercise(&mut ftp, [&v[0], &v[1], &v[2]])?;
    } else {
        let raw = opt("--stdout").is_some();
        let listing = ftp.get(Command::List, "", None)?;
        let (mut out, mut err) = (io::stdout().lock(), io::stderr());
        let listing_to: &mut dyn Write = if raw { &mut err } else { &mut out };
        listing_to.write_all(&listing)?;
        if let Some(file) = args.get(3) {
            let bytes = ftp.get(Command::Retr, file, None)?;
            let size = format!("{file}: {} bytes\n", bytes.len());
            out.write_all(if raw { &bytes } else { size.as_bytes() })?;
        }
        out.flush()?;
    }
    ftp.run(flow::Quit::start)?;
    Ok(())
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut opts = Vec::new();
    for (name, n) in [("--stdout", 0), ("--tls", 1), ("--exercise", 3)] {
        if let Some(i) = args.iter().position(|a| a == name) {
            let values: Vec<_> = args.drain(i..args.len().min(i + 1 + n)).skip(1).collect();
            opts.push((name, values.len() == n, values));
        }
    }
    if !(3..=4).contains(&args.len()) || opts.iter().any(|(_, complete, _)| !complete) {
        eprintln!("usage: blocking_client HOST:PORT USER PASS [FILE] [--stdout] [--tls CA.pem]");
        eprintln!("       [--exercise DIR NAME LOCAL]");
        return ExitCode::from(2);
    }
    let opt = |name: &str| opts.iter().find(|o| o.0 == name).map(|o| o.2.clone());
    let result = run(&args, opt);
    if let Err(e) = &result {
        eprintln!("error: {e}");
    }
    ExitCode::from(u8::from(result.is_err()))
}
