//! `ftp-reply probe HOST:PORT`: a fixed, harmless conversation with a live server.

use std::io::{self, BufWriter, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use bytes::BytesMut;
use ftp_reply::{Lang, Reply, ReplyDecoder};

use super::decode::Printer;
use super::pairing::{self, Pairing};

/// What `probe` was asked to do.
pub struct Options {
    /// `HOST:PORT`.
    pub address: String,
    /// User name and password, to log in.
    pub credentials: Option<(String, String)>,
    /// Connect and read timeout.
    pub timeout: Duration,
    /// JSON Lines instead of a table.
    pub json: bool,
    /// Language of the meanings.
    pub lang: Lang,
}

/// Why the conversation stopped early.
enum Failure {
    /// The network failed (exit 3).
    Network(String),
}

struct Session<'a, W: Write> {
    stream: TcpStream,
    decoder: ReplyDecoder,
    buf: BytesMut,
    printer: Printer,
    out: &'a mut W,
}

impl<W: Write> Session<'_, W> {
    /// Reads the replies to one command (or the greeting) until a reply that is not
    /// preliminary (1yz), printing each.
    fn replies(&mut self) -> Result<Vec<Reply>, Failure> {
        let mut got = Vec::new();
        loop {
            let reply = self.next_reply()?;
            self.printer.reply(self.out, None, &reply);
            let done = !reply.code().is_preliminary();
            got.push(reply);
            if done {
                return Ok(got);
            }
        }
    }

    fn next_reply(&mut self) -> Result<Reply, Failure> {
        let mut chunk = [0u8; 4096];
        loop {
            match self.decoder.decode(&mut self.buf) {
                Ok(Some(reply)) => return Ok(reply),
                Ok(None) => {}
                Err(e) => {
                    self.printer.error(self.out, &e);
                    continue;
                }
            }
            let n = match self.stream.read(&mut chunk) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    return Err(Failure::Network("timed out waiting for a reply".into()));
                }
                Err(e) => return Err(Failure::Network(format!("reading: {e}"))),
            };
            if n == 0 {
                let why = match self.decoder.decode_eof(&mut self.buf) {
                    Ok(Some(reply)) => return Ok(reply),
                    Ok(None) => "the server closed the connection".to_string(),
                    Err(e) => format!("the server closed the connection inside a reply ({e})"),
                };
                return Err(Failure::Network(why));
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }

    fn command(&mut self, line: &str) -> Result<Vec<Reply>, Failure> {
        self.stream
            .write_all(format!("{line}\r\n").as_bytes())
            .map_err(|e| Failure::Network(format!("sending {}: {e}", pairing::shown(line))))?;
        if let Some(p) = self.printer.pairing.as_mut() {
            p.sent(line);
        }
        self.replies()
    }
}

fn connect(address: &str, timeout: Duration) -> Result<TcpStream, Failure> {
    let addrs: Vec<SocketAddr> = address
        .to_socket_addrs()
        .map_err(|e| Failure::Network(format!("cannot resolve {address}: {e}")))?
        .collect();
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => return Ok(s),
            Err(e) => last = Some(format!("cannot connect to {addr}: {e}")),
        }
    }
    Err(Failure::Network(last.unwrap_or_else(|| {
        format!("{address} resolves to no address")
    })))
}

/// Runs `probe`; returns the exit status.
pub fn run(opts: &Options) -> u8 {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = converse(opts, &mut out);
    let _ = out.flush();
    match result {
        Ok(errors) => u8::from(errors > 0),
        Err(Failure::Network(why)) => {
            eprintln!("ftp-reply: {}: {why}", opts.address);
            3
        }
    }
}

fn converse(opts: &Options, out: &mut impl Write) -> Result<usize, Failure> {
    let stream = connect(&opts.address, opts.timeout)?;
    stream
        .set_read_timeout(Some(opts.timeout))
        .and_then(|()| stream.set_write_timeout(Some(opts.timeout)))
        .map_err(|e| Failure::Network(e.to_string()))?;
    let mut s = Session {
        stream,
        decoder: ReplyDecoder::new(),
        buf: BytesMut::with_capacity(8192),
        printer: Printer {
            json: opts.json,
            lang: opts.lang,
            cleartext: false,
            errors: 0,
            header: false,
            pairing: Some(Pairing::new(Vec::new())),
        },
        out,
    };
    s.replies()?;
    for cmd in ["FEAT", "SYST", "HELP"] {
        s.command(cmd)?;
    }
    if let Some((user, password)) = &opts.credentials {
        let replies = s.command(&format!("USER {user}"))?;
        let need_pass = replies.last().is_some_and(|r| r.code().is_intermediate());
        if need_pass {
            s.command(&format!("PASS {password}"))?;
        }
        for cmd in ["PWD", "EPSV", "PASV", "NOOP"] {
            s.command(cmd)?;
        }
    }
    s.command("QUIT")?;
    Ok(s.printer.errors)
}
