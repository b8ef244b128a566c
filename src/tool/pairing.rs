//! Pairs replies with the commands that caused them, and judges each reply with
//! the library's [`Exchange`].

use ftp_reply::payload::Cleartext;
use ftp_reply::{Command, Exchange, Outcome, Reply};
use serde_json::{Value, json};

/// The commands sent, in order, and the exchange of the one being answered.
pub struct Pairing {
    commands: Vec<String>,
    next: usize,
    /// The shown command line (`None` for the greeting) and its exchange.
    current: (Option<String>, Exchange),
}

/// A command line as shown: the password of `PASS` masked.
pub fn shown(line: &str) -> String {
    let line = line.trim_end_matches(['\r', '\n']);
    match line.split_once(' ') {
        Some((verb, _)) if verb.eq_ignore_ascii_case("PASS") => format!("{verb} ****"),
        _ => line.to_string(),
    }
}

fn exchange_for(line: &str) -> Exchange {
    // A line that does not parse as a command still gets an exchange with no
    // reply table: its replies are judged by their first digit.
    let command = Command::parse(line.as_bytes())
        .map(|parsed| parsed.verb)
        .or_else(|_| Command::from_verb(b"UNPARSED"));
    match command {
        Ok(command) => Exchange::new(command),
        Err(_) => Exchange::greeting(),
    }
}

impl Pairing {
    /// Starts with the connection greeting, then `commands` in order.
    pub fn new(commands: Vec<String>) -> Pairing {
        Pairing {
            commands,
            next: 0,
            current: (None, Exchange::greeting()),
        }
    }

    /// Pairs `reply` with its command; returns the command as shown and the outcome.
    /// With `cleartext`, a protected reply is opened with the identity mechanism and
    /// judged by its inner reply.
    pub fn feed(&mut self, reply: &Reply, cleartext: bool) -> (Option<String>, Outcome) {
        if self.current.1.is_finished() && self.next < self.commands.len() {
            let line = &self.commands[self.next];
            self.next += 1;
            self.current = (Some(shown(line)), exchange_for(line));
        }
        let exchange = &mut self.current.1;
        let mut outcome = exchange.feed(reply);
        if outcome == Outcome::Protected
            && cleartext
            && let Ok(inner) = reply.unprotect(&mut Cleartext)
        {
            outcome = exchange.feed_protected(&inner);
        }
        (self.current.0.clone(), outcome)
    }

    /// Announces that `line` was just sent (probe): the next replies answer it.
    pub fn sent(&mut self, line: &str) {
        self.commands.push(line.to_string());
        if self.current.1.is_finished() {
            self.next = self.commands.len() - 1;
        }
    }
}

/// The JSON fields that describe an outcome.
pub fn outcome_json(outcome: &Outcome) -> Value {
    match outcome {
        Outcome::SendNext(next) => {
            json!({"outcome": outcome.name(), "next_commands": next.iter().map(|c| c.as_str()).collect::<Vec<_>>()})
        }
        Outcome::Unexpected { reason, by_class } => json!({
            "outcome": outcome.name(),
            "unexpected": {"reason": reason.name(), "by_class": by_class.name()}
        }),
        other => json!({"outcome": other.name()}),
    }
}
