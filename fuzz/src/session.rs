//! The `session` target's check: arbitrary server bytes interleaved with arbitrary
//! commands, end of stream and abandons, driven through `Session`, with every
//! invariant checked after each step, and the same script run again with every
//! read cut into single bytes, which must give the same events.

use std::collections::HashSet;

use ftp_reply::session::{
    CommandHandle, Event, Interrupt, Io, Session, SessionConfig, SessionError,
};
use ftp_reply::{Command, CommandLine, CommandLineError};

use crate::checks::{Source, config};

/// One step of a script.
#[derive(Debug, Clone)]
enum Op {
    Send(Command, Vec<u8>),
    Input(Vec<u8>),
    Eof,
    Abandon(u8),
}

/// Reads a script: per step an opcode byte and its operands.
fn script(src: &mut Source<'_>) -> Vec<Op> {
    let mut ops = Vec::new();
    loop {
        let rest = src.clone().rest();
        if rest.is_empty() || ops.len() >= 256 {
            return ops;
        }
        let op = src.byte();
        ops.push(match op % 8 {
            0..=2 => {
                let verb = Command::ALL[usize::from(src.byte()) % Command::ALL.len()];
                let len = usize::from(src.byte() % 24);
                Op::Send(verb, src.take(len).to_vec())
            }
            3 => Op::Eof,
            4 => Op::Abandon(src.byte()),
            _ => {
                let len = usize::from(src.byte());
                Op::Input(src.take(len).to_vec())
            }
        });
    }
}

/// What one run saw.
#[derive(Debug, Default, PartialEq)]
struct Run {
    events: Vec<Event>,
    output: Vec<u8>,
}

/// Target `session`: a decoder configuration ([`config`]), a byte with the
/// pending limit and whether a greeting is expected, then the script.
pub fn session(data: &[u8]) {
    let mut src = Source::new(data);
    let decoder = config(&mut src);
    let flags = src.byte();
    let mut cfg = SessionConfig::default();
    cfg.decoder = decoder;
    cfg.max_pending = 1 + usize::from(flags % 8);
    cfg.expect_greeting = flags & 0x80 == 0;
    let ops = script(&mut src);
    let whole = run(&cfg, &ops, false);
    let bytewise = run(&cfg, &ops, true);
    assert_eq!(
        whole, bytewise,
        "cutting reads into bytes changed the events"
    );
}

/// Runs `ops`, checking every invariant; with `bytewise`, each input is given a
/// byte at a time, the session drained after each.
fn run(cfg: &SessionConfig, ops: &[Op], bytewise: bool) -> Run {
    let mut s = Session::with_config(cfg.clone());
    let mut seen = Run::default();
    let mut state = State::default();
    for op in ops {
        match op {
            Op::Send(verb, argument) => match CommandLine::new(*verb, argument) {
                Ok(line) => {
                    check_line(&line, argument);
                    let bytes = line.as_bytes().to_vec();
                    match s.send(line) {
                        Ok(h) => {
                            assert!(!state.closed, "send accepted after Closed");
                            assert!(state.sent.insert(h), "handle {h} reused");
                            state.expected_output.extend_from_slice(&bytes);
                        }
                        Err(SessionError::Closed) => assert!(state.closed),
                        Err(SessionError::TooManyPending { limit }) => {
                            assert_eq!(limit, cfg.max_pending);
                            assert_eq!(s.pending().len(), limit);
                        }
                        Err(e) => panic!("send: {e}"),
                    }
                }
                Err(e) => check_refusal(*verb, argument, &e),
            },
            Op::Input(bytes) if bytewise => {
                for b in bytes {
                    s.enqueue_input(std::slice::from_ref(b));
                    state.input(&s, std::slice::from_ref(b));
                    drain(&mut s, &mut seen, &mut state, cfg);
                }
            }
            Op::Input(bytes) => {
                s.enqueue_input(bytes);
                state.input(&s, bytes);
            }
            Op::Eof => {
                s.enqueue_eof();
                state.eof = true;
            }
            Op::Abandon(i) => {
                let handle = s.pending().nth(usize::from(*i % 8)).map(|(h, _)| h);
                if let Some(h) = handle {
                    assert!(s.abandon(h).is_ok());
                    assert!(state.done.insert(h));
                    assert!(s.abandon(h).is_err());
                }
            }
        }
        drain(&mut s, &mut seen, &mut state, cfg);
    }
    if !state.closed {
        assert!(
            state.expected_output.starts_with(&seen.output)
                && seen.output.len() == state.expected_output.len(),
            "the bytes written are not the command lines sent"
        );
    } else {
        assert!(state.expected_output.starts_with(&seen.output));
    }
    seen
}

#[derive(Default)]
struct State {
    sent: HashSet<CommandHandle>,
    done: HashSet<CommandHandle>,
    closed: bool,
    eof: bool,
    /// Every input byte the session took, from stream offset 0.
    stream: Vec<u8>,
    expected_output: Vec<u8>,
    /// The stream offset of the last reply or error event.
    last_offset: u64,
}

impl State {
    fn input(&mut self, s: &Session, bytes: &[u8]) {
        if !s.is_closed() && !self.eof {
            self.stream.extend_from_slice(bytes);
        }
    }
}

fn drain(s: &mut Session, seen: &mut Run, state: &mut State, cfg: &SessionConfig) {
    for _ in 0..100_000 {
        match s.next() {
            Ok(event) => {
                check_event(&event, state);
                seen.events.push(event);
            }
            Err(Interrupt::Io(Io::Output(bytes))) => {
                assert!(!bytes.is_empty(), "empty output");
                seen.output.extend_from_slice(&bytes);
            }
            Err(Interrupt::Io(Io::NeedMoreInput)) => {
                assert!(!state.closed);
                return;
            }
            Err(Interrupt::Error(SessionError::Closed)) => {
                assert!(state.closed, "Closed error before the Closed event");
                return;
            }
            Err(Interrupt::Error(e)) => panic!("next: {e}"),
        }
        assert!(s.pending().len() <= cfg.max_pending);
    }
    panic!("next() never stopped");
}

fn check_event(event: &Event, state: &mut State) {
    assert!(!state.closed, "an event after Closed: {event:?}");
    if let Some(h) = event.handle() {
        assert!(state.sent.contains(&h), "unknown handle {h}");
        assert!(
            !state.done.contains(&h),
            "{event:?} after its command was done"
        );
    }
    match event {
        Event::Greeting { reply, offset, .. }
        | Event::Reply { reply, offset, .. }
        | Event::Unsolicited { reply, offset, .. } => {
            let start = *offset as usize;
            let end = start + reply.raw().len();
            assert_eq!(
                &state.stream[start..end],
                reply.raw(),
                "a reply is not the bytes at its offset"
            );
            assert!(*offset >= state.last_offset, "replies out of stream order");
            state.last_offset = end as u64;
            if let Event::Reply {
                handle, done: true, ..
            } = event
            {
                state.done.insert(*handle);
            }
        }
        Event::StreamError {
            error,
            handle,
            done,
            ..
        } => {
            assert!((error.offset() as usize) <= state.stream.len());
            if let (Some(h), true) = (handle, done) {
                state.done.insert(*h);
            }
        }
        Event::Unanswered {
            handle, command, ..
        } => {
            assert_eq!(*command, Command::Abor);
            state.done.insert(*handle);
        }
        Event::Closed { unanswered, .. } => {
            state.closed = true;
            for (h, _) in unanswered {
                assert!(state.done.insert(*h), "{h} unanswered twice");
            }
            assert_eq!(
                state.done, state.sent,
                "a command neither answered nor unanswered"
            );
        }
        other => panic!("unknown event {other:?}"),
    }
}

/// An accepted line: no CR, LF or NUL inside, the argument read back, and the
/// line parses back to itself.
fn check_line(line: &CommandLine, argument: &[u8]) {
    let bytes = line.as_bytes();
    assert!(bytes.ends_with(b"\r\n"));
    assert!(
        !bytes[..bytes.len() - 2]
            .iter()
            .any(|b| matches!(b, b'\r' | b'\n' | 0))
    );
    assert_eq!(&line.argument()[..], argument);
    assert_eq!(
        &CommandLine::parse(bytes).expect("an accepted line parses"),
        line
    );
}

fn check_refusal(verb: Command, argument: &[u8], e: &CommandLineError) {
    match e {
        CommandLineError::ForbiddenByte { offset, byte } => {
            assert_eq!(
                argument.iter().position(|b| matches!(b, b'\r' | b'\n' | 0)),
                Some(*offset)
            );
            assert_eq!(argument[*offset], *byte);
        }
        CommandLineError::MissingArgument { .. } => assert!(argument.is_empty()),
        CommandLineError::UnexpectedArgument { .. } => assert!(!argument.is_empty()),
        other => panic!("{verb}: unexpected refusal {other}"),
    }
}
