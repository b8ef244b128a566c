//! The human transcript: `> COMMAND` and `< REPLY` lines as a person reads a
//! session, with each reply's meaning and outcome beside it, wrapped to the
//! terminal's width and coloured by reply class when writing to a terminal.

use std::io::{self, IsTerminal, Write};

use ftp_reply::capture::{
    ExchangeEnd, ExchangeKind, ExchangeRecord, Record, RecordKind, Timestamp,
};
use ftp_reply::{Class, Lang, Outcome, Reply};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// When to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    /// When standard output is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// How the transcript looks.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Columns.
    pub width: usize,
}

/// The width when standard output is not a terminal.
pub const DEFAULT_WIDTH: usize = 80;
/// Narrower terminals are treated as this wide.
const MIN_WIDTH: usize = 40;

impl Style {
    /// The style for standard output: its width if it is a terminal (80 columns
    /// if not), colours as `choice` and `NO_COLOR` say.
    pub fn for_stdout(choice: ColorChoice) -> Style {
        let stdout = io::stdout();
        let tty = stdout.is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color,
        };
        let width = if tty {
            terminal_size::terminal_size()
                .map(|(w, _)| usize::from(w.0))
                .unwrap_or(DEFAULT_WIDTH)
        } else {
            DEFAULT_WIDTH
        };
        Style {
            color,
            width: width.max(MIN_WIDTH),
        }
    }
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";

fn class_color(class: Class) -> &'static str {
    match class {
        Class::PositivePreliminary => "\x1b[36m",
        Class::PositiveCompletion => "\x1b[32m",
        Class::PositiveIntermediate => "\x1b[33m",
        Class::TransientNegative => "\x1b[35m",
        Class::PermanentNegative => "\x1b[31m",
        _ => "\x1b[34m",
    }
}

/// Text made printable: control characters shown as `·`.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '·' } else { c })
        .collect()
}

/// Splits `s` into pieces of at most `width` columns (at spaces when it can),
/// never dropping a character.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut rest = s;
    while rest.width() > width {
        let mut used = 0;
        let mut cut = 0;
        let mut last_space = None;
        for (i, c) in rest.char_indices() {
            let w = c.width().unwrap_or(0);
            if used + w > width {
                break;
            }
            used += w;
            cut = i + c.len_utf8();
            if c == ' ' {
                last_space = Some(i);
            }
        }
        if cut == 0 {
            // A character wider than the line: take it anyway.
            cut = rest.chars().next().map_or(rest.len(), char::len_utf8);
        }
        let at = match last_space {
            Some(sp) if sp > 0 && sp + 1 < cut => sp + 1,
            _ => cut,
        };
        lines.push(rest[..at].trim_end().to_string());
        rest = &rest[at..];
    }
    lines.push(rest.to_string());
    lines
}

/// Writes records as a transcript.
pub struct Transcript {
    style: Style,
    lang: Lang,
    /// The connection whose header was written last.
    current: Option<u64>,
    /// Each live connection's start time, to show times relative to it.
    starts: std::collections::HashMap<u64, Timestamp>,
    /// The start times of the last [`ENDED_KEPT`] connections that ended, for
    /// records that trail their end (a data connection that outlives its control
    /// connection). Memory stays with what is live, not with the capture's size.
    ended: std::collections::VecDeque<(u64, Timestamp)>,
}

/// How many ended connections' start times are kept.
const ENDED_KEPT: usize = 1024;

impl Transcript {
    /// A transcript in `style`, meanings in `lang`.
    pub fn new(style: Style, lang: Lang) -> Transcript {
        Transcript {
            style,
            lang,
            current: None,
            starts: std::collections::HashMap::new(),
            ended: std::collections::VecDeque::new(),
        }
    }

    /// When connection `conn` started, if it is live or ended lately.
    fn start(&self, conn: u64) -> Option<Timestamp> {
        self.starts.get(&conn).copied().or_else(|| {
            self.ended
                .iter()
                .rev()
                .find(|(c, _)| *c == conn)
                .map(|(_, ts)| *ts)
        })
    }

    /// Connection `conn` ended: its start time moves to the few kept after it.
    fn ended(&mut self, conn: u64) {
        if let Some(start) = self.starts.remove(&conn) {
            if self.ended.len() >= ENDED_KEPT {
                self.ended.pop_front();
            }
            self.ended.push_back((conn, start));
        }
    }

    fn paint(&self, color: &str, s: &str) -> String {
        if self.style.color && !s.is_empty() {
            format!("{color}{s}{RESET}")
        } else {
            s.to_string()
        }
    }

    fn when(&self, conn: u64, ts: Timestamp) -> String {
        let start = self.start(conn).unwrap_or(ts);
        let d = ts.as_nanos().saturating_sub(start.as_nanos());
        format!("{:>4}.{:03}", d / 1_000_000_000, (d / 1_000_000) % 1000)
    }

    /// Writes a line: `prefix` then `text` wrapped (continuations indented under the
    /// text), with `note` beside the last line if it fits, else on its own line.
    fn line(
        &self,
        out: &mut impl Write,
        prefix: &str,
        text: &str,
        color: &str,
        note: &str,
    ) -> io::Result<()> {
        let indent = prefix.width();
        let room = self.style.width.saturating_sub(indent).max(10);
        let pieces = wrap(&printable(text), room);
        let last = pieces.len() - 1;
        for (i, piece) in pieces.iter().enumerate() {
            let lead = if i == 0 {
                prefix.to_string()
            } else {
                " ".repeat(indent)
            };
            let mut row = format!("{lead}{}", self.paint(color, piece));
            if i == last && !note.is_empty() {
                let used = indent + piece.width();
                let note_w = note.width();
                if used + 2 + note_w <= self.style.width {
                    let pad = self.style.width - used - note_w;
                    row.push_str(&" ".repeat(pad));
                    row.push_str(&self.paint(DIM, note));
                } else {
                    writeln!(out, "{row}")?;
                    for n in wrap(note, room.saturating_sub(2).max(10)) {
                        writeln!(out, "{}  {}", " ".repeat(indent), self.paint(DIM, &n))?;
                    }
                    continue;
                }
            }
            writeln!(out, "{row}")?;
        }
        Ok(())
    }

    fn header(&mut self, out: &mut impl Write, record: &Record) -> io::Result<()> {
        if self.current == Some(record.conn) || record.conn == 0 {
            return Ok(());
        }
        self.current = Some(record.conn);
        if self.start(record.conn).is_none() {
            self.starts.insert(record.conn, record.ts);
        }
        let title = format!(
            "── connection {}: {} → {} ",
            record.conn, record.client, record.server
        );
        let fill = self.style.width.saturating_sub(title.width());
        let line = format!("{title}{}", "─".repeat(fill));
        writeln!(out, "{}", self.paint(BOLD, &line))
    }

    /// Writes one record.
    pub fn record(&mut self, out: &mut impl Write, record: &Record) -> io::Result<()> {
        let written = self.record_lines(out, record);
        if let RecordKind::End { .. } = record.kind {
            self.ended(record.conn);
        }
        written
    }

    fn record_lines(&mut self, out: &mut impl Write, record: &Record) -> io::Result<()> {
        self.header(out, record)?;
        let when = self.when(record.conn, record.ts);
        let prefix = format!("{when} ── ");
        match &record.kind {
            RecordKind::Exchange(x) => self.exchange(out, record.conn, x),
            RecordKind::Start { detected, from_syn } => {
                let how = match detected.port() {
                    Some(port) => format!("port {port}"),
                    None => format!("found by {}", detected.name()),
                };
                let from = if *from_syn { "" } else { ", capture starts mid-connection" };
                self.line(out, &prefix, &format!("start ({how}{from})"), DIM, "")
            }
            RecordKind::Gap {
                direction,
                offset,
                len,
                cause,
            } => {
                let who = match direction {
                    ftp_reply::capture::Direction::ToServer => "client",
                    _ => "server",
                };
                self.line(
                    out,
                    &prefix,
                    &format!(
                        "gap: {len} bytes from the {who} missing at byte {offset}, {}",
                        cause.reason()
                    ),
                    "\x1b[31m",
                    "",
                )
            }
            RecordKind::Overlap {
                direction,
                offset,
                len,
            } => self.line(
                out,
                &prefix,
                &format!(
                    "overlap: {len} bytes {} at byte {offset} differ from those taken",
                    direction.name()
                ),
                "\x1b[31m",
                "",
            ),
            RecordKind::Tls => self.line(
                out,
                &prefix,
                "TLS: the connection is encrypted from here",
                DIM,
                "",
            ),
            RecordKind::StreamError { offset, error } => self.line(
                out,
                &prefix,
                &format!("stream error at byte {offset}: {error}"),
                "\x1b[31m",
                "",
            ),
            RecordKind::Data(d) => {
                let secs =
                    d.last.as_nanos().saturating_sub(d.first.as_nanos()) as f64 / 1e9;
                self.line(
                    out,
                    &prefix,
                    &format!(
                        "data connection ({}) {} → {}: {} bytes up, {} down, {secs:.3} s",
                        if d.passive { "passive" } else { "active" },
                        d.client,
                        d.server,
                        d.bytes_from_client,
                        d.bytes_from_server
                    ),
                    DIM,
                    "",
                )
            }
            RecordKind::End {
                reason,
                client_bytes,
                server_bytes,
            } => self.line(
                out,
                &prefix,
                &format!(
                    "end ({}): {client_bytes} bytes from the client, {server_bytes} from the server",
                    reason.name()
                ),
                DIM,
                "",
            ),
            RecordKind::Summary(s) => {
                let line = format!(
                    "{} frames; {} not IP, {} not TCP, {} malformed; {} connections without payload",
                    s.frames, s.not_ip, s.not_tcp, s.malformed, s.silent_connections
                );
                self.line(out, "", &line, DIM, "")
            }
            _ => Ok(()),
        }
    }

    /// Writes a command line: `WHEN > LINE`, with `note` beside it. Any verb's
    /// transcript (`decode --commands`, `probe`) can write its lines with this.
    pub fn command_line(
        &self,
        out: &mut impl Write,
        when: &str,
        shown: &str,
        note: &str,
    ) -> io::Result<()> {
        self.line(out, &format!("{when} > "), shown, BOLD, note)
    }

    /// Writes a reply: `WHEN < CODE text`, one row per line (wrapped, never cut),
    /// coloured by class, with `note` beside its last line.
    pub fn reply_lines(
        &self,
        out: &mut impl Write,
        when: &str,
        reply: &Reply,
        note: &str,
    ) -> io::Result<()> {
        let color = class_color(reply.code().class());
        let lines: Vec<String> = reply
            .raw_lines()
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .collect();
        let last = lines.len().saturating_sub(1);
        for (i, l) in lines.iter().enumerate() {
            let prefix = if i == 0 {
                format!("{when} < ")
            } else {
                " ".repeat(when.width()) + "   "
            };
            let n = if i == last { note } else { "" };
            self.line(out, &prefix, l, color, n)?;
        }
        Ok(())
    }

    /// The note beside a reply: its meaning and what it means for its command.
    pub fn outcome_note(&self, reply: &Reply, outcome: &Outcome) -> String {
        let meaning = reply.code().meaning(self.lang).unwrap_or("");
        let outcome = match outcome {
            Outcome::Unexpected { reason, .. } => format!("UNEXPECTED ({reason})"),
            other => other.name().to_string(),
        };
        if meaning.is_empty() {
            outcome
        } else {
            format!("{meaning} · {outcome}")
        }
    }

    fn exchange(&mut self, out: &mut impl Write, conn: u64, x: &ExchangeRecord) -> io::Result<()> {
        match (&x.command, x.kind) {
            (Some(c), _) => {
                let when = self.when(conn, c.ts);
                let mut note = String::new();
                match c.cut_by_gap {
                    Some(true) => note.push_str("cut by a gap"),
                    Some(false) => note.push_str("cut: too long"),
                    None => {}
                }
                self.command_line(out, &when, &c.shown(), &note)?;
            }
            (None, ExchangeKind::LostCommand) => {
                let when = self.when(
                    conn,
                    x.replies.first().map_or(Timestamp::default(), |r| r.ts),
                );
                self.line(
                    out,
                    &format!("{when} > "),
                    "(a command lost in the gap)",
                    DIM,
                    "",
                )?;
            }
            _ => {}
        }
        if x.preliminary_lost {
            self.line(
                out,
                "           < ",
                "(a preliminary reply lost in the gap)",
                DIM,
                "",
            )?;
        }
        for r in &x.replies {
            let when = self.when(conn, r.ts);
            let note = match x.kind {
                ExchangeKind::Greeting => format!("greeting · {}", r.outcome.name()),
                ExchangeKind::Unsolicited => "unsolicited".to_string(),
                _ => self.outcome_note(&r.reply, &r.outcome),
            };
            self.reply_lines(out, &when, &r.reply, &note)?;
        }
        let end = match x.end {
            ExchangeEnd::LostInGap => Some("(its reply was lost in a gap)"),
            ExchangeEnd::Unanswered => Some("(no reply before the connection ended)"),
            ExchangeEnd::Encrypted => Some("(encrypted before a reply)"),
            _ => None,
        };
        if let Some(end) = end {
            self.line(out, "           < ", end, DIM, "")?;
        }
        for (offset, e) in &x.errors {
            self.line(
                out,
                "           ! ",
                &format!("stream error at byte {offset}: {e}"),
                "\x1b[31m",
                "",
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(conn: u64, secs: u64, kind: RecordKind) -> Record {
        Record {
            conn,
            ts: Timestamp::from_nanos(secs * 1_000_000_000),
            client: "127.0.0.1:40000".parse().unwrap(),
            server: "127.0.0.1:21".parse().unwrap(),
            kind,
        }
    }

    fn end() -> RecordKind {
        RecordKind::End {
            reason: ftp_reply::capture::EndReason::Fin,
            client_bytes: 0,
            server_bytes: 0,
        }
    }

    /// A connection's start time is let go at its end: many connections one after
    /// the other leave no more than [`ENDED_KEPT`] behind, and a record that
    /// trails a lately ended connection is still timed from its start.
    #[test]
    fn start_times_are_let_go_at_the_end() {
        let style = Style {
            color: false,
            width: 80,
        };
        let mut t = Transcript::new(style, Lang::En);
        let mut out = Vec::new();
        let start = RecordKind::Start {
            detected: ftp_reply::capture::Detection::Port(21),
            from_syn: true,
        };
        for conn in 1..=3 * ENDED_KEPT as u64 {
            t.record(&mut out, &record(conn, conn, start.clone()))
                .unwrap();
            t.record(&mut out, &record(conn, conn + 2, end())).unwrap();
        }
        assert!(t.starts.is_empty(), "{} kept", t.starts.len());
        assert_eq!(t.ended.len(), ENDED_KEPT);
        let last = 3 * ENDED_KEPT as u64;
        let data = RecordKind::Data(ftp_reply::capture::DataRecord {
            client: "127.0.0.1:40001".parse().unwrap(),
            server: "127.0.0.1:20".parse().unwrap(),
            passive: true,
            bytes_from_client: 0,
            bytes_from_server: 5,
            first: Timestamp::from_nanos((last + 7) * 1_000_000_000),
            last: Timestamp::from_nanos((last + 7) * 1_000_000_000),
        });
        out.clear();
        t.record(&mut out, &record(last, last + 7, data)).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("   7.000 ── data connection"), "{text}");
        assert!(t.starts.is_empty(), "a trailing record keeps nothing");
    }

    #[test]
    fn wrap_keeps_every_character_within_the_width() {
        let texts = [
            "Opening BINARY mode data connection for /root/ccc/eeeee.exe (68 bytes).",
            &"x".repeat(1000),
            "文件状态正常，准备打开数据连接。文件状态正常，准备打开数据连接。",
            "a b c d e f g h i j k l m n o p q r s t u v w x y z",
            "",
        ];
        for text in texts {
            for width in [1, 2, 7, 10, 40, 80] {
                let pieces = wrap(text, width);
                for p in &pieces {
                    // A character wider than the line is the only excess allowed.
                    assert!(p.width() <= width.max(2), "{p:?} at {width}");
                }
                let joined: String = pieces.concat();
                let strip = |s: &str| s.chars().filter(|c| *c != ' ').collect::<String>();
                assert_eq!(strip(&joined), strip(text), "at {width}");
            }
        }
    }
}
