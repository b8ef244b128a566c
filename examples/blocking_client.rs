//! A small blocking FTP client over `std::net::TcpStream`, built on `ReplyDecoder`:
//! log in, list the directory, and retrieve a file, each data connection made
//! through `passive_target` (the control connection's host, never the one a
//! reply names). Commands and replies are shown on stderr, the password masked.
//!
//! ```text
//! cargo run --example blocking_client -- HOST:PORT USER PASS [FILE] [--stdout]
//! ```
//!
//! Prints the listing, then `FILE: N bytes`; with `--stdout`, writes only the
//! file's bytes to stdout (the listing goes to stderr).

use std::error::Error;
use std::fmt::Display;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

use bytes::BytesMut;
use ftp_reply::payload::{PassivePolicy, passive_target};
use ftp_reply::{Class, Reply, ReplyDecoder};

/// The longest any connect, read or write may take.
const TIMEOUT: Duration = Duration::from_secs(15);

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

/// Says what was being done when an error happened.
trait Doing<T> {
    fn doing(self, what: &str) -> Result<T>;
}

impl<T, E: Display> Doing<T> for Result<T, E> {
    fn doing(self, what: &str) -> Result<T> {
        self.map_err(|e| format!("{what}: {e}").into())
    }
}

/// The error for a reply that refused `shown` (the command as shown).
fn refused<T>(shown: &str, reply: &Reply) -> Result<T> {
    Err(format!("{shown}: {} {}", reply.code(), reply.text()).into())
}

fn connect(addr: SocketAddr) -> Result<TcpStream> {
    let what = format!("connect to {addr}");
    let stream = TcpStream::connect_timeout(&addr, TIMEOUT).doing(&what)?;
    stream.set_read_timeout(Some(TIMEOUT)).doing(&what)?;
    stream.set_write_timeout(Some(TIMEOUT)).doing(&what)?;
    Ok(stream)
}

struct Control {
    stream: TcpStream,
    decoder: ReplyDecoder,
    buf: BytesMut,
}

impl Control {
    /// Connects and reads the greeting (a `120` may come before the `220`).
    fn open(host_port: &str) -> Result<Control> {
        let addrs = host_port.to_socket_addrs().doing(host_port)?.next();
        let addr = addrs.ok_or("no address").doing(host_port)?;
        let (decoder, buf) = (ReplyDecoder::new(), BytesMut::new());
        let mut control = Control {
            stream: connect(addr)?,
            decoder,
            buf,
        };
        let mut greeting = control.reply()?;
        while greeting.code().is_preliminary() {
            greeting = control.reply()?;
        }
        match greeting.code().class() {
            Class::PositiveCompletion => Ok(control),
            _ => refused(&format!("connect to {addr}"), &greeting),
        }
    }

    fn reply(&mut self) -> Result<Reply> {
        let mut chunk = [0u8; 4096];
        loop {
            if let Some(reply) = self.decoder.decode(&mut self.buf).doing("invalid reply")? {
                eprintln!("< {} {}", reply.code(), reply.text().replace('\n', "\n< "));
                return Ok(reply);
            }
            match self.stream.read(&mut chunk).doing("read a reply")? {
                0 => return Err("the server closed the control connection".into()),
                n => self.buf.extend_from_slice(&chunk[..n]),
            }
        }
    }

    /// Sends `line`; returns the first reply, and the line as shown.
    fn send(&mut self, line: &str) -> Result<(Reply, String)> {
        let pass = line.starts_with("PASS ");
        let shown = if pass { "PASS ****" } else { line };
        eprintln!("> {shown}");
        let bytes = format!("{line}\r\n");
        self.stream.write_all(bytes.as_bytes()).doing(shown)?;
        Ok((self.reply()?, shown.to_owned()))
    }

    /// Sends `line`; its reply must be of `class`.
    fn expect(&mut self, line: &str, class: Class) -> Result<Reply> {
        match self.send(line)? {
            (reply, _) if reply.code().class() == class => Ok(reply),
            (reply, shown) => refused(&shown, &reply),
        }
    }

    fn login(&mut self, user: &str, pass: &str) -> Result<()> {
        let (reply, shown) = self.send(&format!("USER {user}"))?;
        match reply.code().class() {
            Class::PositiveCompletion => Ok(()),
            Class::PositiveIntermediate => {
                self.expect(&format!("PASS {pass}"), Class::PositiveCompletion)?;
                Ok(())
            }
            _ => refused(&shown, &reply),
        }
    }

    /// EPSV (PASV if the server refuses it), then the data connection.
    fn data_connection(&mut self) -> Result<TcpStream> {
        let peer = self.stream.peer_addr().doing("peer address")?.ip();
        let (reply, _) = self.send("EPSV")?;
        let advertised = if reply.code().as_u16() == 229 {
            SocketAddr::new(peer, reply.extended_passive_port().doing("EPSV")?)
        } else {
            let reply = self.expect("PASV", Class::PositiveCompletion)?;
            SocketAddr::V4(reply.passive_addr().doing("PASV")?)
        };
        let target = passive_target(peer, advertised, PassivePolicy::default());
        if target.advertised_host_differs {
            eprintln!("note: ignoring the advertised host {}", advertised.ip());
        }
        connect(target.addr)
    }

    /// A transfer from the server (LIST, RETR): what the data connection carries.
    fn download(&mut self, line: &str) -> Result<Vec<u8>> {
        let mut data = self.data_connection()?;
        let (mark, shown) = self.send(line)?;
        if !mark.code().is_preliminary() {
            return refused(&shown, &mark);
        }
        let mut bytes = Vec::new();
        let what = format!("{shown}: read the data connection");
        data.read_to_end(&mut bytes).doing(&what)?;
        // Close our end first: some servers hold the final reply until then.
        drop(data);
        match self.reply()? {
            done if done.code().class() == Class::PositiveCompletion => Ok(bytes),
            done => refused(&shown, &done),
        }
    }
}

/// Logs in, lists, retrieves `file`; with `raw`, the file's bytes go to stdout.
fn run(addr: &str, user: &str, pass: &str, file: Option<&str>, raw: bool) -> Result<()> {
    let mut control = Control::open(addr)?;
    control.login(user, pass)?;
    control.expect("TYPE I", Class::PositiveCompletion)?;
    let listing = control.download("LIST")?;
    let (mut out, mut err) = (io::stdout().lock(), io::stderr());
    let listing_to: &mut dyn Write = if raw { &mut err } else { &mut out };
    listing_to.write_all(&listing).doing("write the listing")?;
    if let Some(file) = file {
        let bytes = control.download(&format!("RETR {file}"))?;
        let size = format!("{file}: {} bytes\n", bytes.len());
        let shown = if raw { &bytes[..] } else { size.as_bytes() };
        out.write_all(shown).doing("write output")?;
    }
    out.flush().doing("write output")?;
    control.expect("QUIT", Class::PositiveCompletion)?;
    Ok(())
}

fn main() -> ExitCode {
    let (raw, args): (Vec<String>, Vec<String>) =
        std::env::args().skip(1).partition(|a| a == "--stdout");
    let (addr, user, pass, file) = match &args[..] {
        [a, u, p] => (a, u, p, None),
        [a, u, p, file] => (a, u, p, Some(file.as_str())),
        _ => {
            eprintln!("usage: blocking_client HOST:PORT USER PASS [FILE] [--stdout]");
            return ExitCode::from(2);
        }
    };
    match run(addr, user, pass, file, !raw.is_empty()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
