//! Properties of the session and of command lines: the same events however the
//! input is cut, no panic and every bound kept whatever is sent and received, and
//! command lines that round-trip and never carry a line end inside.

use std::collections::HashSet;

use ftp_reply::session::{
    CommandHandle, Event, Interrupt, Io, Session, SessionConfig, SessionError,
};
use ftp_reply::{Command, CommandLine, CommandLineError, MAX_COMMAND_LINE_LEN};
use proptest::prelude::*;

/// Replies a server could send, including odd and broken ones.
const REPLIES: &[&[u8]] = &[
    b"220 ready\r\n",
    b"120 in 5 minutes\r\n",
    b"331 password?\r\n",
    b"230 in\r\n",
    b"200 ok\r\n",
    b"150 opening\r\n",
    b"125 go\r\n",
    b"110 MARK 1 = 2\r\n",
    b"226 done\r\n",
    b"225 no transfer\r\n",
    b"426 aborted\r\n",
    b"227 Entering Passive Mode (127,0,0,1,4,1)\r\n",
    b"229 Entering Extended Passive Mode (|||6446|)\r\n",
    b"211-Features:\r\n UTF8\r\n211 End\r\n",
    b"257 \"/a\"\r\n",
    b"213-status\r\n200 text\r\n213 end\r\n",
    b"350 next\r\n",
    b"500 what\r\n",
    b"421 bye\r\n",
    b"221 bye\r\n",
    b"junk line\r\n",
    b"\xff\xfb\x01",
    b"2",
    b"\r\n",
];

const VERBS: &[Command] = &[
    Command::User,
    Command::Pass,
    Command::Noop,
    Command::Retr,
    Command::Abor,
    Command::Epsv,
    Command::Pasv,
    Command::Feat,
    Command::Pwd,
    Command::Quit,
    Command::Rnfr,
    Command::Stat,
];

fn command_line(i: usize) -> CommandLine {
    let command = VERBS[i % VERBS.len()];
    let argument: &[u8] = match command.argument_rule() {
        ftp_reply::ArgumentRule::Required => b"x",
        _ => b"",
    };
    CommandLine::new(command, argument).unwrap()
}

/// Everything observable from one run: the events in order, and the bytes
/// written (when they are asked for depends on when commands were sent, not on
/// the input).
#[derive(Debug, Default, PartialEq, Eq)]
struct Seen {
    events: Vec<Event>,
    output: Vec<u8>,
}

/// Drains the session. Panics on a loop.
fn drain(session: &mut Session, seen: &mut Seen) {
    for _ in 0..10_000 {
        match session.next() {
            Ok(event) => seen.events.push(event),
            Err(Interrupt::Io(Io::Output(bytes))) => seen.output.extend_from_slice(&bytes),
            Err(Interrupt::Io(Io::NeedMoreInput)) | Err(Interrupt::Error(SessionError::Closed)) => {
                return;
            }
            Err(other) => panic!("{other:?}"),
        }
    }
    panic!("next() never stopped");
}

/// Runs a script: `sends[i]` commands are sent when `i` input bytes have been
/// given; the input is given in pieces of the sizes in `cuts` (cycled), never
/// across a send point.
fn run(input: &[u8], sends: &[(usize, usize)], cuts: &[usize]) -> Seen {
    let mut session = Session::new();
    let mut seen = Seen::default();
    let mut pos = 0;
    let mut cut = cuts.iter().cycle();
    let mut sends = sends.iter().peekable();
    loop {
        while let Some(&&(at, verb)) = sends.peek() {
            if at > pos {
                break;
            }
            let _ = session.send(command_line(verb));
            sends.next();
        }
        drain(&mut session, &mut seen);
        if pos == input.len() {
            break;
        }
        let limit = sends
            .peek()
            .map_or(input.len(), |&&(at, _)| at.min(input.len()));
        let step = (*cut.next().unwrap()).max(1);
        let end = pos
            .saturating_add(step)
            .min(limit.max(pos + 1))
            .min(input.len());
        session.enqueue_input(&input[pos..end]);
        // A driver decodes what it read before it sends more.
        drain(&mut session, &mut seen);
        pos = end;
    }
    for &(_, verb) in sends {
        let _ = session.send(command_line(verb));
    }
    session.enqueue_eof();
    drain(&mut session, &mut seen);
    seen
}

fn script() -> impl Strategy<Value = (Vec<u8>, Vec<(usize, usize)>)> {
    (
        prop::collection::vec(0..REPLIES.len(), 0..24),
        prop::collection::vec((0usize..400, 0usize..VERBS.len()), 0..16),
    )
        .prop_map(|(replies, mut sends)| {
            let input: Vec<u8> = replies.iter().flat_map(|&i| REPLIES[i].to_vec()).collect();
            sends.sort();
            (input, sends)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The same events, in the same order, however the server's bytes are cut
    /// into reads (commands sent at the same points of the stream).
    #[test]
    fn same_events_however_the_input_is_cut(
        (input, sends) in script(),
        cuts in prop::collection::vec(1usize..64, 1..8),
    ) {
        let whole = run(&input, &sends, &[usize::MAX]);
        let bytewise = run(&input, &sends, &[1]);
        let cut = run(&input, &sends, &cuts);
        prop_assert_eq!(&whole, &bytewise);
        prop_assert_eq!(&whole, &cut);
    }

    /// Arbitrary sends, input, end of stream and abandons, in any order: no panic,
    /// no loop, the pending queue bounded, handles unique and known, nothing after
    /// Closed, every command done at most once.
    #[test]
    fn arbitrary_interleavings_keep_every_bound(
        ops in prop::collection::vec(
            prop_oneof![
                (0usize..VERBS.len()).prop_map(Op::Send),
                prop::collection::vec(any::<u8>(), 0..40).prop_map(Op::Input),
                (0usize..REPLIES.len()).prop_map(Op::Reply),
                (0usize..8).prop_map(Op::Abandon),
                Just(Op::Eof),
            ],
            0..60,
        ),
        max_pending in 1usize..6,
    ) {
        let mut config = SessionConfig::default();
        config.max_pending = max_pending;
        config.decoder = config.decoder.max_line_len(64).max_lines(8);
        let mut session = Session::with_config(config);
        let mut sent: Vec<CommandHandle> = Vec::new();
        let mut done: HashSet<CommandHandle> = HashSet::new();
        let mut closed = false;
        for op in ops {
            match op {
                Op::Send(v) => match session.send(command_line(v)) {
                    Ok(h) => {
                        prop_assert!(!closed);
                        prop_assert!(!sent.contains(&h));
                        sent.push(h);
                    }
                    Err(SessionError::Closed) => prop_assert!(closed),
                    Err(SessionError::TooManyPending { limit }) => {
                        prop_assert_eq!(limit, max_pending);
                        prop_assert_eq!(session.pending().len(), max_pending);
                    }
                    Err(e) => prop_assert!(false, "{e}"),
                },
                Op::Input(bytes) => session.enqueue_input(&bytes),
                Op::Reply(i) => session.enqueue_input(REPLIES[i]),
                Op::Eof => session.enqueue_eof(),
                Op::Abandon(i) => {
                    if let Some(&h) = sent.get(i) {
                        let pending = session.pending().any(|(p, _)| p == h);
                        prop_assert_eq!(session.abandon(h).is_ok(), pending);
                        if pending {
                            done.insert(h);
                        }
                    }
                }
            }
            let mut steps = 0;
            loop {
                steps += 1;
                prop_assert!(steps < 10_000, "next() never stopped");
                match session.next() {
                    Ok(event) => {
                        prop_assert!(!closed, "an event after Closed: {:?}", event);
                        if let Some(h) = event.handle() {
                            prop_assert!(sent.contains(&h));
                            prop_assert!(!done.contains(&h), "{:?} after its command was done", event);
                        }
                        match &event {
                            Event::Reply { handle, done: true, .. }
                            | Event::StreamError { handle: Some(handle), done: true, .. }
                            | Event::Unanswered { handle, .. } => {
                                done.insert(*handle);
                            }
                            Event::Closed { unanswered, .. } => {
                                closed = true;
                                for (h, _) in unanswered {
                                    prop_assert!(done.insert(*h));
                                }
                            }
                            _ => {}
                        }
                    }
                    Err(Interrupt::Io(Io::Output(bytes))) => prop_assert!(!bytes.is_empty()),
                    Err(Interrupt::Io(Io::NeedMoreInput)) => break,
                    Err(Interrupt::Error(SessionError::Closed)) => {
                        prop_assert!(closed);
                        break;
                    }
                    Err(other) => prop_assert!(false, "{:?}", other),
                }
                prop_assert!(session.pending().len() <= max_pending);
            }
        }
    }

    /// Every argument `CommandLine::new` accepts round-trips through `parse`, and
    /// no accepted line holds CR, LF or NUL outside its ending.
    #[test]
    fn command_lines_round_trip_and_never_hold_a_line_end(
        verb in 0usize..Command::ALL.len(),
        argument in prop::collection::vec(
            prop_oneof![any::<u8>(), Just(b'\r'), Just(b'\n'), Just(0u8), Just(0xFFu8), Just(b' ')],
            0..64,
        ),
    ) {
        let command = Command::ALL[verb];
        match CommandLine::new(command, &argument) {
            Ok(line) => {
                let bytes = line.as_bytes();
                prop_assert!(bytes.ends_with(b"\r\n"));
                let body = &bytes[..bytes.len() - 2];
                prop_assert!(!body.iter().any(|b| matches!(b, b'\r' | b'\n' | 0)));
                prop_assert!(bytes.len() <= MAX_COMMAND_LINE_LEN);
                prop_assert_eq!(&line.argument()[..], &argument[..]);
                let parsed = CommandLine::parse(bytes).unwrap();
                prop_assert_eq!(parsed.command(), command);
                prop_assert_eq!(&parsed.argument()[..], &argument[..]);
                prop_assert_eq!(&parsed, &line);
            }
            Err(CommandLineError::ForbiddenByte { offset, byte }) => {
                let first = argument.iter().position(|b| matches!(b, b'\r' | b'\n' | 0));
                prop_assert_eq!(Some(offset), first);
                prop_assert_eq!(argument[offset], byte);
            }
            Err(CommandLineError::MissingArgument { .. }) => {
                prop_assert!(argument.is_empty());
                prop_assert_eq!(command.argument_rule(), ftp_reply::ArgumentRule::Required);
            }
            Err(CommandLineError::UnexpectedArgument { .. }) => {
                prop_assert!(!argument.is_empty());
                prop_assert_eq!(command.argument_rule(), ftp_reply::ArgumentRule::None);
            }
            Err(e) => prop_assert!(false, "{e}"),
        }
    }

    /// Whatever line a client sent, `parse` either refuses it or gives a line that
    /// holds no CR, LF or NUL inside, and that parses back to itself.
    #[test]
    fn parsed_lines_are_safe_to_send_again(line in prop::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(parsed) = CommandLine::parse(&line) {
            let bytes = parsed.as_bytes();
            let body = &bytes[..bytes.len() - 2];
            prop_assert!(!body.iter().any(|b| matches!(b, b'\r' | b'\n' | 0)));
            prop_assert_eq!(CommandLine::parse(bytes).unwrap(), parsed);
        }
    }
}

#[derive(Debug, Clone)]
enum Op {
    Send(usize),
    Input(Vec<u8>),
    Reply(usize),
    Abandon(usize),
    Eof,
}
