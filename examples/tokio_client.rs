//! `blocking_client` on tokio: the same flows (`ftp_reply::flow`) driven by
//! async I/O, TLS by tokio-rustls, every network step bounded by
//! `tokio::time::timeout`. `HOST:PORT USER PASS [FILE] [--stdout] [--tls CA.pem]`
//! as there; `--finish DIR NAME OUT` goes on where `blocking_client --exercise`
//! stops: `CWD DIR`, `SIZE`, `MDTM`, `RETR` NAME whole (to OUT/whole) and from half
//! its size (OUT/tail), `DELE`, `CDUP`, `RMD DIR`.

use std::error::Error;
use std::io::{self, ErrorKind, Write};
use std::{process::ExitCode, sync::Arc, time::Duration};

use ftp_reply::flow::{self, Action, DataConfig, Flow, FlowError, Poll, Simple, Transfer};
use ftp_reply::session::{Event, Session};
use ftp_reply::{Command, CommandLine};
use rustls::pki_types::{CertificateDer, ServerName, pem::PemObject};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::TlsConnector;

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;
type Tls = Option<(TlsConnector, ServerName<'static>)>;
type Conn = Box<dyn Stream>;

/// A connection, in clear text or TLS.
trait Stream: AsyncRead + AsyncWrite + Unpin {}
impl<T: AsyncRead + AsyncWrite + Unpin> Stream for T {}

/// Runs `step` within 15 s.
async fn within<T, E: Into<Box<dyn Error>>>(step: impl Future<Output = Result<T, E>>) -> Result<T> {
    match timeout(Duration::from_secs(15), step).await {
        Ok(result) => result.map_err(Into::into),
        Err(_) => Err("no answer within 15 s".into()),
    }
}

/// `conn`, in TLS when `tls` is given (the handshake happens here).
async fn wrap(conn: Conn, tls: &Tls) -> Result<Conn> {
    let Some((connector, name)) = tls else {
        return Ok(conn);
    };
    let tls = within(connector.connect(name.clone(), conn)).await?;
    Ok(Box::new(tls))
}

/// The control connection and its session, and a transfer's data connection.
struct Ftp {
    session: Session,
    control: Conn,
    tls: Tls,
    config: DataConfig,
    data: Option<Conn>,
}

impl Ftp {
    /// Runs the flow `start` begins to its end.
    async fn run<F: Flow>(&mut self, start: impl Start<F>) -> Result<F::Output> {
        let mut flow = start(&mut self.session)?;
        let done = self.drive(&mut flow).await?;
        done.ok_or_else(|| "a data connection outside a transfer".into())
    }

    /// Drives `flow` to its end (`Some`), or until it has data to move on
    /// `self.data` (`None`), in TLS when the flow says.
    async fn drive<F: Flow>(&mut self, flow: &mut F) -> Result<Option<F::Output>> {
        loop {
            match flow.poll(&mut self.session, &mut log) {
                Poll::Write(bytes) => self.write(&bytes).await?,
                Poll::Read => {
                    let mut buf = [0u8; 4096];
                    match within(self.control.read(&mut buf)).await? {
                        0 => self.session.enqueue_eof(),
                        n => self.session.enqueue_input(&buf[..n]),
                    }
                }
                Poll::Done(result) => return Ok(Some(result?)),
                Poll::Act(Action::StartTls) => {
                    let plain = std::mem::replace(&mut self.control, Box::new(tokio::io::empty()));
                    self.control = wrap(plain, &self.tls).await?;
                }
                Poll::Act(Action::ConnectData { addr, .. }) => {
                    self.data = Some(Box::new(within(TcpStream::connect(addr)).await?));
                }
                Poll::Act(Action::MoveData { tls, .. }) => {
                    // Servers start TLS on a data connection once the transfer begins.
                    let data = self.data.take().ok_or("no data connection")?;
                    self.data = Some(wrap(data, if tls { &self.tls } else { &None }).await?);
                    return Ok(None);
                }
                Poll::Act(other) => return Err(format!("cannot {other:?}").into()),
            }
        }
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<()> {
        for line in bytes.split_inclusive(|&b| b == b'\n') {
            eprintln!("> {}", CommandLine::parse(line)?); // PASS shown as ****
        }
        within(self.control.write_all(bytes)).await?;
        within(self.control.flush()).await
    }

    /// Starts a transfer (from byte `rest` of the file), up to where its data
    /// is to be moved on the returned connection.
    async fn open(
        &mut self,
        cmd: Command,
        arg: &str,
        rest: Option<u64>,
    ) -> Result<(Transfer, Conn)> {
        let mut transfer = Transfer::start(&mut self.session, &self.config, cmd, arg, rest)?;
        self.drive(&mut transfer).await?; // a transfer ends only after its data moved
        self.config.extended &= !transfer.epsv_refused();
        Ok((transfer, self.data.take().ok_or("no data connection")?))
    }

    /// Closes the data connection, then waits for the transfer's end.
    async fn close(&mut self, mut transfer: Transfer, mut data: Conn) -> Result<flow::TransferEnd> {
        // Our end (close_notify, FIN), then the server's: closing with bytes unread
        // (a TLS ticket, the rest of an aborted transfer) would reset the connection.
        let _ = within(data.shutdown()).await;
        let _ = within(tokio::io::copy(&mut data, &mut tokio::io::sink())).await;
        drop(data); // before the final reply: some servers wait for it
        transfer.data_ended()?;
        self.run(|_| Ok(transfer)).await
    }

    /// A retrieval or a listing, whole.
    async fn get(&mut self, cmd: Command, arg: &str, rest: Option<u64>) -> Result<Vec<u8>> {
        let (transfer, mut data) = self.open(cmd, arg, rest).await?;
        let mut got = Vec::new();
        match within(data.read_to_end(&mut got)).await {
            // TCP closed without TLS close_notify: the final reply tells.
            Err(e) if e.downcast_ref().map(io::Error::kind) != Some(ErrorKind::UnexpectedEof) => {
                Err(e)
            }
            _ => self.close(transfer, data).await.map(|_| got),
        }
    }
}

trait Start<F>: FnOnce(&mut Session) -> Result<F, FlowError> {}
impl<F, T: FnOnce(&mut Session) -> Result<F, FlowError>> Start<F> for T {}

/// `result`, or `None` (shown) when the server refused the command: `SIZE`,
/// `MDTM` and `REST` (RFC 3659) are extensions not every server has.
fn optional<T>(result: Result<T>) -> Result<Option<T>> {
    match result {
        Err(e) if matches!(e.downcast_ref(), Some(FlowError::Rejected { .. })) => {
            println!("refused: {e}");
            Ok(None)
        }
        other => other.map(Some),
    }
}

/// Shows each reply on stderr.
fn log(event: &Event) {
    if let Some(reply) = event.reply() {
        eprintln!("< {} {}", reply.code(), reply.text().replace('\n', "\n< "));
    }
}

/// `--finish`: see the module documentation.
async fn finish(ftp: &mut Ftp, [dir, name, out]: [&str; 3]) -> Result<()> {
    ftp.run(|s| Simple::cwd(s, dir)).await?;
    let size = optional(ftp.run(|s| Simple::size(s, name)).await)?;
    let mdtm = optional(ftp.run(|s| Simple::mdtm(s, name)).await)?;
    println!("size: {size:?}\nmdtm: {mdtm:?}");
    let whole = ftp.get(Command::Retr, name, None).await?;
    let half = Some(whole.len() as u64 / 2);
    tokio::fs::write(format!("{out}/whole"), whole).await?;
    if let Some(tail) = optional(ftp.get(Command::Retr, name, half).await)? {
        tokio::fs::write(format!("{out}/tail"), tail).await?;
    }
    ftp.run(|s| Simple::dele(s, name)).await?;
    ftp.run(Simple::cdup).await?;
    ftp.run(|s| Simple::rmd(s, dir)).await?;
    Ok(())
}

async fn run(args: &[String], opt: impl Fn(&str) -> Option<Vec<String>>) -> Result<()> {
    let mut addrs = tokio::net::lookup_host(&args[0]).await?;
    let addr = addrs.next().ok_or("no address")?;
    let mut tls = None;
    if let Some(ca) = opt("--tls") {
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_file_iter(&ca[0])? {
            roots.add(cert?)?;
        }
        let config = rustls::ClientConfig::builder().with_root_certificates(roots);
        let connector = TlsConnector::from(Arc::new(config.with_no_client_auth()));
        tls = Some((connector, addr.ip().into()));
    }
    let mut ftp = Ftp {
        session: Session::new(),
        control: Box::new(within(TcpStream::connect(addr)).await?),
        tls,
        config: DataConfig::passive(addr.ip()),
        data: None,
    };
    ftp.run(|_| Ok(flow::Greeting::new())).await?;
    if ftp.tls.is_some() {
        let protection = ftp.run(|s| flow::AuthTls::start(s, true)).await?;
        ftp.config.tls = protection == flow::Protection::Private;
    }
    ftp.run(|s| flow::Login::start(s, &args[1], &args[2], None))
        .await?;
    ftp.run(|s| Simple::command(s, Command::Type, "I")).await?;
    if let Some(v) = opt("--finish") {
        finish(&mut ftp, [&v[0], &v[1], &v[2]]).await?;
    } else {
        let raw = opt("--stdout").is_some();
        let listing = ftp.get(Command::List, "", None).await?;
        let (mut out, mut err) = (io::stdout(), io::stderr());
        let listing_to: &mut dyn Write = if raw { &mut err } else { &mut out };
        listing_to.write_all(&listing)?;
        if let Some(file) = args.get(3) {
            let bytes = ftp.get(Command::Retr, file, None).await?;
            let size = format!("{file}: {} bytes\n", bytes.len());
            out.write_all(if raw { &bytes } else { size.as_bytes() })?;
        }
        out.flush()?;
    }
    ftp.run(flow::Quit::start).await?;
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut opts = Vec::new();
    for (name, n) in [("--stdout", 0), ("--tls", 1), ("--finish", 3)] {
        if let Some(i) = args.iter().position(|a| a == name) {
            let values: Vec<_> = args.drain(i..args.len().min(i + 1 + n)).skip(1).collect();
            opts.push((name, values.len() == n, values));
        }
    }
    if !(3..=4).contains(&args.len()) || opts.iter().any(|(_, complete, _)| !complete) {
        eprintln!("usage: tokio_client HOST:PORT USER PASS [FILE] [--stdout] [--tls CA.pem]");
        eprintln!("       [--finish DIR NAME OUT]");
        return ExitCode::from(2);
    }
    let opt = |name: &str| opts.iter().find(|o| o.0 == name).map(|o| o.2.clone());
    let result = run(&args, opt).await;
    if let Err(e) = &result {
        eprintln!("error: {e}");
    }
    ExitCode::from(u8::from(result.is_err()))
}
