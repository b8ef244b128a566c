//! `ftp-reply pcap FILE`: FTP control connections out of a packet capture, each
//! command with its replies.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;

use ftp_reply::Lang;
use ftp_reply::capture::{
    Capture, CaptureConfig, CaptureError, ExchangeRecord, Record, RecordKind,
};
use serde_json::{Map, Value, json};

use super::report;
use super::transcript::{Style, Transcript};

/// What `pcap` was asked to do.
pub struct Options {
    /// The capture, or `-` for standard input.
    pub input: PathBuf,
    /// JSON Lines instead of a transcript.
    pub json: bool,
    /// Language of the meanings.
    pub lang: Lang,
    /// Server ports of control connections besides 21.
    pub ports: Vec<u16>,
    /// Colours and width of the transcript.
    pub style: Style,
}

/// Runs `pcap`; returns the exit status: 0, 1 if the capture holds stream errors
/// or the file is cut or corrupt after some records, 2 if it cannot be read.
pub fn run(opts: &Options) -> u8 {
    let input: Box<dyn Read> = if opts.input.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        match File::open(&opts.input) {
            Ok(f) => Box::new(BufReader::with_capacity(1 << 16, f)),
            Err(e) => {
                eprintln!("ftp-reply: cannot open {}: {e}", opts.input.display());
                return 2;
            }
        }
    };
    let config = CaptureConfig {
        ports: opts.ports.clone(),
        ..CaptureConfig::default()
    };
    let capture = match Capture::with_config(input, config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ftp-reply: {}: {e}", opts.input.display());
            return 2;
        }
    };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut transcript = Transcript::new(opts.style, opts.lang);
    let mut status = 0;
    for record in capture {
        let written = match record {
            Ok(record) => {
                if record_has_errors(&record) {
                    status = 1;
                }
                if opts.json {
                    writeln!(out, "{}", record_json(&record, opts.lang))
                } else {
                    transcript.record(&mut out, &record)
                }
            }
            Err(e) => {
                status = 1;
                if opts.json {
                    writeln!(out, "{}", error_json(&e))
                } else {
                    let _ = out.flush();
                    eprintln!("ftp-reply: {}: {e}", opts.input.display());
                    Ok(())
                }
            }
        };
        if written.is_err() {
            // Standard output closed (a pipe to `head`): stop quietly.
            return status;
        }
    }
    if out.flush().is_err() {
        return status;
    }
    status
}

fn record_has_errors(record: &Record) -> bool {
    match &record.kind {
        RecordKind::Exchange(x) => !x.errors.is_empty(),
        RecordKind::StreamError { .. } => true,
        _ => false,
    }
}

/// The JSON line for a capture that could not be read on.
pub fn error_json(e: &CaptureError) -> Value {
    json!({"event": "capture-error", "error": {"kind": e.kind(), "offset": e.offset(), "message": e.to_string()}})
}

fn ts(t: ftp_reply::capture::Timestamp) -> Value {
    // Microseconds, as captures keep them; more digits would be noise.
    let micros = (t.as_nanos() + 500) / 1000;
    json!((micros as f64) / 1e6)
}

/// One record as a JSON object.
pub fn record_json(record: &Record, lang: Lang) -> Value {
    let mut obj = Map::new();
    obj.insert("conn".into(), record.conn.into());
    obj.insert("ts".into(), ts(record.ts));
    if !matches!(record.kind, RecordKind::Summary(_)) {
        obj.insert("client".into(), record.client.to_string().into());
        obj.insert("server".into(), record.server.to_string().into());
    }
    match &record.kind {
        RecordKind::Exchange(x) => exchange_json(&mut obj, x, lang),
        RecordKind::Start { detected, from_syn } => {
            obj.insert("event".into(), "start".into());
            // A port as `{"port": 21}`, anything else by its name.
            let detected = match detected.port() {
                Some(port) => json!({ "port": port }),
                None => json!(detected.name()),
            };
            obj.insert("detected".into(), detected);
            obj.insert("from_syn".into(), (*from_syn).into());
        }
        RecordKind::Gap {
            direction,
            offset,
            len,
            cause,
        } => {
            obj.insert("event".into(), "gap".into());
            obj.insert("direction".into(), direction.name().into());
            obj.insert("offset".into(), (*offset).into());
            obj.insert("len".into(), (*len).into());
            obj.insert("cause".into(), cause.name().into());
        }
        RecordKind::Overlap {
            direction,
            offset,
            len,
        } => {
            obj.insert("event".into(), "overlap".into());
            obj.insert("direction".into(), direction.name().into());
            obj.insert("offset".into(), (*offset).into());
            obj.insert("len".into(), (*len).into());
            obj.insert("conflicting".into(), true.into());
        }
        RecordKind::Tls => {
            obj.insert("event".into(), "tls".into());
        }
        RecordKind::StreamError { offset, error } => {
            obj.insert("event".into(), "stream-error".into());
            obj.insert("offset".into(), (*offset).into());
            obj.insert(
                "error".into(),
                json!({"kind": error.kind(), "message": error.to_string()}),
            );
        }
        RecordKind::Data(d) => {
            obj.insert("event".into(), "data".into());
            obj.insert(
                "mode".into(),
                if d.passive { "passive" } else { "active" }.into(),
            );
            obj.insert("data_client".into(), d.client.to_string().into());
            obj.insert("data_server".into(), d.server.to_string().into());
            obj.insert("bytes_from_client".into(), d.bytes_from_client.into());
            obj.insert("bytes_from_server".into(), d.bytes_from_server.into());
            let duration = d.last.as_nanos().saturating_sub(d.first.as_nanos());
            obj.insert("duration".into(), json!(duration as f64 / 1e9));
        }
        RecordKind::End {
            reason,
            client_bytes,
            server_bytes,
        } => {
            obj.insert("event".into(), "end".into());
            obj.insert("reason".into(), reason.name().into());
            obj.insert("client_bytes".into(), (*client_bytes).into());
            obj.insert("server_bytes".into(), (*server_bytes).into());
        }
        RecordKind::Summary(s) => {
            obj.insert("event".into(), "summary".into());
            obj.insert("frames".into(), s.frames.into());
            obj.insert("not_ip".into(), s.not_ip.into());
            obj.insert("not_tcp".into(), s.not_tcp.into());
            obj.insert("malformed".into(), s.malformed.into());
            obj.insert("silent_connections".into(), s.silent_connections.into());
            obj.insert("evicted".into(), s.evicted.into());
            obj.insert("retransmitted_bytes".into(), s.retransmitted.into());
        }
        _ => {
            obj.insert("event".into(), "other".into());
        }
    }
    Value::Object(obj)
}

fn exchange_json(obj: &mut Map<String, Value>, x: &ExchangeRecord, lang: Lang) {
    obj.insert(
        "command".into(),
        x.command.as_ref().map_or(Value::Null, |c| c.shown().into()),
    );
    obj.insert("kind".into(), x.kind.name().into());
    if let Some(c) = &x.command {
        obj.insert("offset".into(), c.offset.into());
        match c.cut_by_gap {
            Some(true) => {
                obj.insert("cut".into(), "gap".into());
            }
            Some(false) => {
                obj.insert("cut".into(), "too-long".into());
            }
            None => {}
        }
    }
    let replies: Vec<Value> = x
        .replies
        .iter()
        .map(|r| {
            let mut o = Map::new();
            o.insert("offset".into(), r.offset.into());
            o.insert("ts".into(), ts(r.ts));
            o.append(&mut report::reply_json(&r.reply, lang, false));
            if let Value::Object(mut fields) = report::outcome_json(&r.outcome) {
                o.append(&mut fields);
            }
            Value::Object(o)
        })
        .collect();
    obj.insert("replies".into(), replies.into());
    obj.insert("outcome".into(), x.outcome_name().into());
    if x.preliminary_lost {
        obj.insert("preliminary_lost".into(), true.into());
    }
    if !x.errors.is_empty() {
        let errors: Vec<Value> = x
            .errors
            .iter()
            .map(
                |(offset, e)| json!({"offset": offset, "kind": e.kind(), "message": e.to_string()}),
            )
            .collect();
        obj.insert("errors".into(), errors.into());
    }
}
