//! `ftp-reply decode [FILE|-]`: a captured server-to-client stream, reply by reply.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;

use bytes::BytesMut;
use ftp_reply::payload::Cleartext;
use ftp_reply::session::{CommandHandle, Event, Interrupt, Io, Session, SessionConfig};
use ftp_reply::{Command, CommandLine, Lang, Outcome, Reply, ReplyDecoder};
use serde_json::Value;

use super::report;
use super::transcript::{Style, Transcript};

/// What `decode` was asked to do.
pub struct Options {
    /// The capture, or `-` for standard input.
    pub input: PathBuf,
    /// JSON Lines instead of a transcript.
    pub json: bool,
    /// Language of the meanings.
    pub lang: Lang,
    /// Open 63z replies as if the mechanism's unwrap were the identity.
    pub protected_cleartext: bool,
    /// Bytes per read.
    pub read_size: usize,
    /// The client's command lines, to pair replies with commands.
    pub commands: Option<PathBuf>,
    /// How the transcript looks (when not JSON).
    pub style: Style,
}

/// Runs `decode`; returns the exit status.
pub fn run(opts: &Options) -> u8 {
    let mut input: Box<dyn Read> = if opts.input.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        match File::open(&opts.input) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("ftp-reply: cannot open {}: {e}", opts.input.display());
                return 2;
            }
        }
    };
    let commands = match &opts.commands {
        None => None,
        Some(path) => match std::fs::read(path) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                eprintln!("ftp-reply: cannot read {}: {e}", path.display());
                return 2;
            }
        },
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut printer = Printer::new(opts.json, opts.lang, opts.protected_cleartext, opts.style);
    let mut source = match commands {
        Some(commands) => Source::Paired(printer.session_with_commands(&commands)),
        None => Source::Replies(
            ReplyDecoder::new(),
            BytesMut::with_capacity(opts.read_size * 2),
        ),
    };
    let mut chunk = vec![0u8; opts.read_size];
    loop {
        let n = match input.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let _ = out.flush();
                eprintln!("ftp-reply: reading {}: {e}", opts.input.display());
                return 2;
            }
        };
        source.feed(&mut printer, &mut out, Some(&chunk[..n]));
    }
    source.feed(&mut printer, &mut out, None);
    if out.flush().is_err() {
        return 2;
    }
    u8::from(printer.errors > 0)
}

/// Where the replies come from: the decoder alone, or a session that pairs them
/// with the commands given.
enum Source {
    Replies(ReplyDecoder, BytesMut),
    Paired(Session),
}

impl Source {
    /// Feeds one read (`None`: the end of the stream) and prints what it completes.
    fn feed(&mut self, printer: &mut Printer, out: &mut impl Write, bytes: Option<&[u8]>) {
        match self {
            Source::Replies(decoder, buf) => {
                if let Some(bytes) = bytes {
                    buf.extend_from_slice(bytes);
                }
                loop {
                    let step = match bytes {
                        Some(_) => decoder.decode(buf),
                        None => decoder.decode_eof(buf),
                    };
                    match step {
                        Ok(Some(reply)) => {
                            let offset = decoder.stream_offset() - reply.raw().len() as u64;
                            printer.reply(out, Some(offset), &reply, None);
                        }
                        Ok(None) => break,
                        Err(e) => printer.error(out, &e),
                    }
                }
            }
            Source::Paired(session) => {
                match bytes {
                    Some(bytes) => session.enqueue_input(bytes),
                    None => session.enqueue_eof(),
                }
                printer.drain(out, session, None);
            }
        }
    }
}

/// Which command a reply answers, for printing.
pub enum Pair<'a> {
    /// The connection's greeting.
    Greeting(&'a Outcome),
    /// A reply to the command `handle`, shown as given.
    Command(CommandHandle, &'a str, &'a Outcome),
    /// A reply no command awaited.
    Unsolicited,
}

/// Prints decoded replies and stream errors as they come.
pub struct Printer {
    /// JSON Lines instead of a transcript.
    pub json: bool,
    /// Language of the meanings.
    pub lang: Lang,
    /// Open 63z replies with the identity mechanism.
    pub cleartext: bool,
    /// How many stream errors were printed.
    pub errors: usize,
    /// The last stream error printed.
    pub last_error: Option<ftp_reply::DecodeError>,
    /// The human transcript (`None` with JSON).
    transcript: Option<Transcript>,
    /// The last command whose line the transcript showed.
    shown_last: Option<CommandHandle>,
    /// Each command sent, as shown (the password masked).
    shown: HashMap<CommandHandle, String>,
}

impl Printer {
    /// A printer with nothing printed yet.
    pub fn new(json: bool, lang: Lang, cleartext: bool, style: Style) -> Printer {
        Printer {
            json,
            lang,
            cleartext,
            errors: 0,
            last_error: None,
            transcript: (!json).then(|| Transcript::new(style, lang)),
            shown_last: None,
            shown: HashMap::new(),
        }
    }

    /// A session to which every command line in `commands` was sent, in order,
    /// before any reply: replies are then paired with them in order.
    fn session_with_commands(&mut self, commands: &[u8]) -> Session {
        let lines: Vec<&[u8]> = commands
            .split(|&b| b == b'\n')
            .filter(|l| !l.trim_ascii().is_empty())
            .collect();
        let mut config = SessionConfig::default();
        config.max_pending = lines.len().max(1);
        let mut session = Session::with_config(config);
        for raw in lines {
            self.send(&mut session, raw);
        }
        session
    }

    /// Sends one command line as the client sent it; returns its handle. A line
    /// that does not parse as a command still awaits a reply, judged by its first
    /// digit.
    pub fn send(&mut self, session: &mut Session, raw: &[u8]) -> Option<CommandHandle> {
        let (line, shown) = match CommandLine::parse(raw) {
            Ok(line) => {
                let shown = line.shown();
                (line, shown)
            }
            // The capture reader's verb for such lines: no reply table.
            Err(_) => {
                let unknown = Command::from_verb(b"UNKNOWN").ok()?;
                let line = CommandLine::new(unknown, b"").ok()?;
                (line, CommandLine::shown_raw(raw))
            }
        };
        let handle = session.send(line).ok()?;
        self.shown.insert(handle, shown);
        Some(handle)
    }

    /// Prints every event the session has until it needs input (or is closed);
    /// adds the events to `keep` when given (`decode` only prints them, `probe`
    /// also waits on them).
    pub fn drain(
        &mut self,
        out: &mut impl Write,
        session: &mut Session,
        mut keep: Option<&mut Vec<Event>>,
    ) {
        loop {
            match session.next() {
                Ok(event) => {
                    self.event(out, session, &event);
                    if let Some(keep) = keep.as_deref_mut() {
                        keep.push(event);
                    }
                }
                // Commands were already written (probe) or only stand for what the
                // client sent (decode): the bytes are not needed.
                Err(Interrupt::Io(Io::Output(_))) => {}
                Err(Interrupt::Io(Io::NeedMoreInput)) | Err(Interrupt::Error(_)) => return,
            }
        }
    }

    /// Prints one session event.
    pub fn event(&mut self, out: &mut impl Write, session: &mut Session, event: &Event) {
        match event {
            Event::Greeting {
                reply,
                outcome,
                offset,
                ..
            } => {
                self.reply(out, Some(*offset), reply, Some(Pair::Greeting(outcome)));
            }
            Event::Reply {
                handle,
                reply,
                outcome,
                offset,
                ..
            } => {
                let mut outcome = *outcome;
                if outcome == Outcome::Protected
                    && self.cleartext
                    && let Ok(inner) = reply.unprotect(&mut Cleartext)
                    && let Ok((inner_outcome, _)) = session.unprotected(*handle, &inner)
                {
                    outcome = inner_outcome;
                }
                let shown = self.shown.get(handle).cloned().unwrap_or_default();
                self.reply(
                    out,
                    Some(*offset),
                    reply,
                    Some(Pair::Command(*handle, &shown, &outcome)),
                );
            }
            Event::Unsolicited { reply, offset, .. } => {
                self.reply(out, Some(*offset), reply, Some(Pair::Unsolicited));
            }
            Event::StreamError { error, .. } => self.error(out, error),
            _ => {}
        }
    }

    /// Prints one reply, with its stream offset when known, and with its command
    /// and outcome when replies are paired with commands.
    pub fn reply(
        &mut self,
        out: &mut impl Write,
        offset: Option<u64>,
        reply: &Reply,
        paired: Option<Pair<'_>>,
    ) {
        let Some(transcript) = &self.transcript else {
            let mut obj = serde_json::Map::new();
            if let Some(offset) = offset {
                obj.insert("offset".into(), offset.into());
            }
            if let Some(Pair::Command(_, command, _)) = &paired {
                obj.insert("command".into(), (*command).into());
            }
            obj.append(&mut report::reply_json(reply, self.lang, self.cleartext));
            let outcome = match &paired {
                Some(Pair::Greeting(o)) | Some(Pair::Command(_, _, o)) => report::outcome_json(o),
                Some(Pair::Unsolicited) => serde_json::json!({"outcome": "unsolicited"}),
                None => Value::Null,
            };
            if let Value::Object(mut fields) = outcome {
                obj.append(&mut fields);
            }
            let _ = writeln!(out, "{}", Value::Object(obj));
            return;
        };
        // The transcript: `OFFSET > COMMAND` once per command, then `OFFSET < REPLY`
        // for each reply, its meaning, outcome and payload beside it.
        let when = offset.map(|o| format!("{o:>7}")).unwrap_or_default();
        let mut note = match &paired {
            Some(Pair::Greeting(o)) => format!("greeting · {}", o.name()),
            Some(Pair::Command(_, _, o)) => transcript.outcome_note(reply, o),
            Some(Pair::Unsolicited) => "unsolicited: no command awaited it".to_string(),
            None => reply.code().meaning(self.lang).unwrap_or("").to_string(),
        };
        let payload = report::payload_summary(reply);
        if !payload.is_empty() {
            note = if note.is_empty() {
                payload
            } else {
                format!("{note} · {payload}")
            };
        }
        if let Some(Pair::Command(handle, command, _)) = &paired
            && self.shown_last != Some(*handle)
        {
            self.shown_last = Some(*handle);
            let _ = transcript.command_line(out, &" ".repeat(when.len()), command, "");
        }
        let _ = transcript.reply_lines(out, &when, reply, &note);
    }

    /// Prints a stream error: a JSON line, or a line on standard error.
    pub fn error(&mut self, out: &mut impl Write, e: &ftp_reply::DecodeError) {
        self.errors += 1;
        self.last_error = Some(e.clone());
        if self.json {
            let _ = writeln!(out, "{}", report::error_json(e));
        } else {
            let _ = out.flush();
            eprintln!("ftp-reply: stream error: {e}");
        }
    }
}
