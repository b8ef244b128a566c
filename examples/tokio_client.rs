//! The session of `blocking_client` on tokio: `FramedRead::new(read_half,
//! ReplyDecoder::new())` is the stream of replies (the `tokio` feature), every
//! network step is bounded by `tokio::time::timeout`, and each data connection
//! goes where `passive_target` says. Commands and replies are shown on stderr,
//! the password masked.
//!
//! ```text
//! cargo run --features tokio --example tokio_client -- HOST:PORT USER PASS [FILE] [--stdout]
//! ```
//!
//! Prints the listing, then `FILE: N bytes`; with `--stdout`, writes only the
//! file's bytes to stdout (the listing goes to stderr).

use std::error::Error;
use std::fmt::Display;
use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use ftp_reply::payload::{PassivePolicy, passive_target};
use ftp_reply::{Class, Reply, ReplyDecoder};
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::time::timeout;
use tokio_util::codec::FramedRead;

/// The longest any connect, read or write may take.
const TIMEOUT: Duration = Duration::from_secs(15);

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

/// Runs `step` within [`TIMEOUT`]; errors say what was being done.
async fn within<T, E: Display>(what: &str, step: impl Future<Output = Result<T, E>>) -> Result<T> {
    match timeout(TIMEOUT, step).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(format!("{what}: {e}").into()),
        Err(_) => Err(format!("{what}: no answer within {TIMEOUT:?}").into()),
    }
}

/// The error for a reply that refused `shown` (the command as shown).
fn refused<T>(shown: &str, reply: &Reply) -> Result<T> {
    Err(format!("{shown}: {} {}", reply.code(), reply.text()).into())
}

struct Control {
    replies: FramedRead<OwnedReadHalf, ReplyDecoder>,
    commands: OwnedWriteHalf,
    peer: IpAddr,
}

impl Control {
    /// Connects and reads the greeting (a `120` may come before the `220`).
    async fn open(host_port: &str) -> Result<Control> {
        let what = format!("connect to {host_port}");
        let stream = within(&what, TcpStream::connect(host_port)).await?;
        let peer = stream.peer_addr()?.ip();
        let (read_half, commands) = stream.into_split();
        let mut control = Control {
            replies: FramedRead::new(read_half, ReplyDecoder::new()),
            commands,
            peer,
        };
        let mut greeting = control.reply().await?;
        while greeting.code().is_preliminary() {
            greeting = control.reply().await?;
        }
        match greeting.code().class() {
            Class::PositiveCompletion => Ok(control),
            _ => refused(&what, &greeting),
        }
    }

    async fn reply(&mut self) -> Result<Reply> {
        let next = within("read a reply", async {
            self.replies.next().await.transpose()
        });
        let reply = next
            .await?
            .ok_or("the server closed the control connection")?;
        eprintln!("< {} {}", reply.code(), reply.text().replace('\n', "\n< "));
        Ok(reply)
    }

    /// Sends `line`; returns the first reply, and the line as shown.
    async fn send(&mut self, line: &str) -> Result<(Reply, String)> {
        let shown = if line.starts_with("PASS ") {
            "PASS ****"
        } else {
            line
        };
        eprintln!("> {shown}");
        let bytes = format!("{line}\r\n");
        within(shown, self.commands.write_all(bytes.as_bytes())).await?;
        Ok((self.reply().await?, shown.to_owned()))
    }

    /// Sends `line`; its reply must be of `class`.
    async fn expect(&mut self, line: &str, class: Class) -> Result<Reply> {
        match self.send(line).await? {
            (reply, _) if reply.code().class() == class => Ok(reply),
            (reply, shown) => refused(&shown, &reply),
        }
    }

    async fn login(&mut self, user: &str, pass: &str) -> Result<()> {
        let (reply, shown) = self.send(&format!("USER {user}")).await?;
        match reply.code().class() {
            Class::PositiveCompletion => Ok(()),
            Class::PositiveIntermediate => {
                self.expect(&format!("PASS {pass}"), Class::PositiveCompletion)
                    .await?;
                Ok(())
            }
            _ => refused(&shown, &reply),
        }
    }

    /// EPSV (PASV if the server refuses it), then the data connection.
    async fn data_connection(&mut self) -> Result<TcpStream> {
        let (reply, _) = self.send("EPSV").await?;
        let advertised = if reply.code().as_u16() == 229 {
            SocketAddr::new(self.peer, reply.extended_passive_port()?)
        } else {
            let reply = self.expect("PASV", Class::PositiveCompletion).await?;
            SocketAddr::V4(reply.passive_addr()?)
        };
        let target = passive_target(self.peer, advertised, PassivePolicy::default());
        if target.advertised_host_differs {
            eprintln!("note: ignoring the advertised host {}", advertised.ip());
        }
        within(
            &format!("connect to {}", target.addr),
            TcpStream::connect(target.addr),
        )
        .await
    }

    /// A transfer from the server (LIST, RETR): what the data connection carries.
    async fn download(&mut self, line: &str) -> Result<Vec<u8>> {
        let mut data = self.data_connection().await?;
        let (mark, shown) = self.send(line).await?;
        if !mark.code().is_preliminary() {
            return refused(&shown, &mark);
        }
        let mut bytes = Vec::new();
        let what = format!("{shown}: read the data connection");
        within(&what, data.read_to_end(&mut bytes)).await?;
        // Close our end first: some servers hold the final reply until then.
        drop(data);
        match self.reply().await? {
            done if done.code().class() == Class::PositiveCompletion => Ok(bytes),
            done => refused(&shown, &done),
        }
    }
}

/// Logs in, lists, retrieves `file`; with `raw`, the file's bytes go to stdout.
async fn run(addr: &str, user: &str, pass: &str, file: Option<&str>, raw: bool) -> Result<()> {
    let mut control = Control::open(addr).await?;
    control.login(user, pass).await?;
    control.expect("TYPE I", Class::PositiveCompletion).await?;
    let listing = control.download("LIST").await?;
    let (mut out, mut err) = (io::stdout(), io::stderr());
    let listing_to: &mut dyn Write = if raw { &mut err } else { &mut out };
    listing_to.write_all(&listing)?;
    if let Some(file) = file {
        let bytes = control.download(&format!("RETR {file}")).await?;
        let size = format!("{file}: {} bytes\n", bytes.len());
        out.write_all(if raw { &bytes[..] } else { size.as_bytes() })?;
    }
    out.flush()?;
    control.expect("QUIT", Class::PositiveCompletion).await?;
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let (raw, args): (Vec<String>, Vec<String>) =
        std::env::args().skip(1).partition(|a| a == "--stdout");
    let (addr, user, pass, file) = match &args[..] {
        [a, u, p] => (a, u, p, None),
        [a, u, p, file] => (a, u, p, Some(file.as_str())),
        _ => {
            eprintln!("usage: tokio_client HOST:PORT USER PASS [FILE] [--stdout]");
            return ExitCode::from(2);
        }
    };
    match run(addr, user, pass, file, !raw.is_empty()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
