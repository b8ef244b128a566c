//! `ftp-reply decode [FILE|-]`: a captured server-to-client stream, reply by reply.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;

use bytes::BytesMut;
use ftp_reply::{Lang, ReplyDecoder};
use serde_json::Value;

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
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut printer = Printer {
        json: opts.json,
        lang: opts.lang,
        cleartext: opts.protected_cleartext,
        errors: 0,
        header: false,
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
                self.reply(out, &offset.to_string(), Some(offset), None, &reply);
                true
            }
            Ok(None) => false,
            Err(e) => {
                self.error(out, &e);
                true
            }
        }
    }

    /// Prints one reply, with its offset (decode) or the command that caused it (probe).
    pub fn reply(
        &mut self,
        out: &mut impl Write,
        first_column: &str,
        offset: Option<u64>,
        command: Option<&str>,
        reply: &ftp_reply::Reply,
    ) {
        if self.json {
            let mut obj = serde_json::Map::new();
            if let Some(offset) = offset {
                obj.insert("offset".into(), offset.into());
            }
            if let Some(command) = command {
                obj.insert("command".into(), command.into());
            }
            obj.append(&mut report::reply_json(reply, self.lang, self.cleartext));
            let _ = writeln!(out, "{}", Value::Object(obj));
        } else {
            if !self.header {
                let title = if offset.is_some() {
                    "OFFSET"
                } else {
                    "COMMAND"
                };
                let _ = writeln!(out, "{}", report::table_header(title));
                self.header = true;
            }
            let _ = writeln!(out, "{}", report::table_row(first_column, reply, self.lang));
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
