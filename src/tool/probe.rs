//! `ftp-reply probe HOST:PORT`: a fixed, harmless conversation with a live server.

use std::io::{self, BufWriter, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use ftp_reply::session::{CloseReason, CommandHandle, Event, Interrupt, Io, Session};
use ftp_reply::{CommandLine, DecodeError, Lang, Reply};

use super::decode::Printer;

/// What `probe` was asked to do.
pub struct Options {
    /// `HOST:PORT`.
    pub address: String,
    /// User name and password, to log in.
    pub credentials: Option<(String, String)>,
    /// Connect and read timeout.
    pub timeout: Duration,
    /// JSON Lines instead of a transcript.
    pub json: bool,
    /// Language of the meanings.
    pub lang: Lang,
    /// How the transcript looks.
    pub style: super::transcript::Style,
}

/// Why the conversation stopped early.
enum Failure {
    /// The network failed (exit 3).
    Network(String),
}

/// The conversation: the session, its socket, and the printer.
struct Probe<'a, W: Write> {
    stream: TcpStream,
    session: Session,
    printer: Printer,
    out: &'a mut W,
    /// The events of the last drain (kept to reuse its allocation).
    events: Vec<Event>,
}

impl<W: Write> Probe<'_, W> {
    /// Drives the session until the greeting (`None`) or the command `handle` is
    /// done, printing every event; returns the replies it got.
    fn until_done(&mut self, handle: Option<CommandHandle>) -> Result<Vec<Reply>, Failure> {
        let mut got = Vec::new();
        let mut chunk = [0u8; 4096];
        let mut finished = false;
        let mut closed = None;
        loop {
            self.printer
                .drain(self.out, &mut self.session, Some(&mut self.events));
            for event in self.events.drain(..) {
                match event {
                    Event::Greeting { reply, done, .. } if handle.is_none() => {
                        got.push(reply);
                        finished |= done;
                    }
                    Event::Reply {
                        handle: h,
                        reply,
                        done,
                        ..
                    } if Some(h) == handle => {
                        got.push(reply);
                        finished |= done;
                    }
                    Event::StreamError {
                        handle: h, done, ..
                    } if h == handle => {
                        finished |= done;
                    }
                    Event::Closed { reason, .. } if reason != CloseReason::Quit => {
                        let why = match (reason, self.printer.last_error.take()) {
                            (_, Some(e @ DecodeError::Truncated { .. })) => {
                                format!("the server closed the connection inside a reply ({e})")
                            }
                            (CloseReason::EndOfStream, _) => {
                                "the server closed the connection".to_string()
                            }
                            (reason, _) => format!("the session closed ({reason})"),
                        };
                        closed = Some(why);
                    }
                    _ => {}
                }
            }
            if let Some(why) = closed {
                return Err(Failure::Network(why));
            }
            if finished {
                return Ok(got);
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
                self.session.enqueue_eof();
            } else {
                self.session.enqueue_input(&chunk[..n]);
            }
        }
    }

    /// Sends one command, writes it out, and waits for its replies.
    fn command(&mut self, line: &str) -> Result<Vec<Reply>, Failure> {
        let handle = self
            .printer
            .send(&mut self.session, line.as_bytes())
            .ok_or_else(|| {
                let shown = CommandLine::shown_raw(line.as_bytes());
                Failure::Network(format!("cannot send {shown}"))
            })?;
        loop {
            match self.session.next() {
                Err(Interrupt::Io(Io::Output(bytes))) => {
                    self.stream.write_all(&bytes).map_err(|e| {
                        let shown = CommandLine::shown_raw(line.as_bytes());
                        Failure::Network(format!("sending {shown}: {e}"))
                    })?;
                    break;
                }
                Ok(event) => self.printer.event(self.out, &mut self.session, &event),
                Err(_) => break,
            }
        }
        self.until_done(Some(handle))
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
    let mut s = Probe {
        stream,
        session: Session::new(),
        printer: Printer::new(opts.json, opts.lang, false, opts.style),
        out,
        events: Vec::new(),
    };
    s.until_done(None)?;
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
