//! `ftp-reply decode [FILE|-]`: a captured server-to-client stream, reply by reply.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;

use bytes::BytesMut;
use ftp_reply::{Lang, ReplyDecoder};
use serde_json::Value;

use super::pairing::{self, Pairing};
use super::report;

/// What `decode` was asked to do.
pub struct Options {
    /// The capture, or `-` for standard input.
    pub input: PathBuf,
    /// JSON Lines instead of a table.
    pub json: bool,
    /// Language of the meanings.
    pub lang: Lang,
    /// Open 63z replies as if the mechanism's unwrap were the identity.
    pub protected_cleartext: bool,
    /// Bytes per read.
    pub read_size: usize,
    /// The client's command lines, to pair replies with commands.
    pub commands: Option<PathBuf>,
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
    let pairing = match &opts.commands {
        None => None,
        Some(path) => match std::fs::read(path) {
            Ok(bytes) => Some(Pairing::new(
                String::from_utf8_lossy(&bytes)
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string)
                    .collect(),
            )),
            Err(e) => {
                eprintln!("ftp-reply: cannot read {}: {e}", path.display());
                return 2;
            }
        },
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut printer = Printer {
        json: opts.json,
        lang: opts.lang,
        cleartext: opts.protected_cleartext,
        errors: 0,
        header: false,
        pairing,
    };
    let mut decoder = ReplyDecoder::new();
    let mut buf = BytesMut::with_capacity(opts.read_size * 2);
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
        buf.extend_from_slice(&chunk[..n]);
        loop {
            let step = decoder.decode(&mut buf);
            if !printer.step(&mut out, &decoder, step) {
                break;
            }
        }
    }
    loop {
        let step = decoder.decode_eof(&mut buf);
        if !printer.step(&mut out, &decoder, step) {
            break;
        }
    }
    if out.flush().is_err() {
        return 2;
    }
    u8::from(printer.errors > 0)
}

/// Prints decoded replies and stream errors as they come.
pub struct Printer {
    /// JSON Lines instead of a table.
    pub json: bool,
    /// Language of the meanings.
    pub lang: Lang,
    /// Open 63z replies with the identity mechanism.
    pub cleartext: bool,
    /// How many stream errors were printed.
    pub errors: usize,
    /// Whether the table header has been printed.
    pub header: bool,
    /// Pairs replies with commands, when the commands are known.
    pub pairing: Option<Pairing>,
}

impl Printer {
    /// Prints one decoder step; returns whether to keep calling the decoder.
    pub fn step(
        &mut self,
        out: &mut impl Write,
        decoder: &ReplyDecoder,
        step: Result<Option<ftp_reply::Reply>, ftp_reply::DecodeError>,
    ) -> bool {
        match step {
            Ok(Some(reply)) => {
                let offset = decoder.stream_offset() - reply.raw().len() as u64;
                self.reply(out, Some(offset), &reply);
                true
            }
            Ok(None) => false,
            Err(e) => {
                self.error(out, &e);
                true
            }
        }
    }

    /// Prints one reply, with its stream offset when known, and with its command
    /// and outcome when replies are paired with commands.
    pub fn reply(&mut self, out: &mut impl Write, offset: Option<u64>, reply: &ftp_reply::Reply) {
        let cleartext = self.cleartext;
        let paired = self.pairing.as_mut().map(|p| p.feed(reply, cleartext));
        if self.json {
            let mut obj = serde_json::Map::new();
            if let Some(offset) = offset {
                obj.insert("offset".into(), offset.into());
            }
            if let Some((Some(command), _)) = &paired {
                obj.insert("command".into(), command.as_str().into());
            }
            obj.append(&mut report::reply_json(reply, self.lang, self.cleartext));
            if let Some((_, outcome)) = &paired
                && let Value::Object(mut fields) = pairing::outcome_json(outcome)
            {
                obj.append(&mut fields);
            }
            let _ = writeln!(out, "{}", Value::Object(obj));
        } else {
            if !self.header {
                let header = if paired.is_some() {
                    report::table_header("COMMAND", "OUTCOME")
                } else {
                    report::table_header("OFFSET", "CLASS")
                };
                let _ = writeln!(out, "{header}");
                self.header = true;
            }
            let row = match &paired {
                Some((command, outcome)) => report::table_row(
                    command.as_deref().unwrap_or("(greet)"),
                    Some(outcome),
                    reply,
                    self.lang,
                ),
                None => report::table_row(
                    &offset.map(|o| o.to_string()).unwrap_or_default(),
                    None,
                    reply,
                    self.lang,
                ),
            };
            let _ = writeln!(out, "{row}");
        }
    }

    /// Prints a stream error: a JSON line, or a line on standard error.
    pub fn error(&mut self, out: &mut impl Write, e: &ftp_reply::DecodeError) {
        self.errors += 1;
        if self.json {
            let _ = writeln!(out, "{}", report::error_json(e));
        } else {
            let _ = out.flush();
            eprintln!("ftp-reply: stream error: {e}");
        }
    }
}
