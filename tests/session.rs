//! The sans-IO session, replayed as byte transcripts: every desynchronisation that
//! FTP clients in the field have had, and the cases RFC 959 spells out.

use ftp_reply::session::{
    CloseReason, CommandHandle, Event, Interrupt, Io, Session, SessionConfig, SessionError,
};
use ftp_reply::{Command, CommandLine, DecodeError, Outcome, UnexpectedReason};

fn line(command: Command, argument: &str) -> CommandLine {
    CommandLine::new(command, argument.as_bytes()).unwrap()
}

/// Runs `next` until it needs input; returns the events and the bytes written.
fn drain(session: &mut Session) -> (Vec<Event>, Vec<u8>) {
    let mut events = Vec::new();
    let mut written = Vec::new();
    for _ in 0..100_000 {
        match session.next() {
            Ok(event) => events.push(event),
            Err(Interrupt::Io(Io::Output(bytes))) => written.extend_from_slice(&bytes),
            Err(Interrupt::Io(Io::NeedMoreInput)) => return (events, written),
            Err(Interrupt::Error(SessionError::Closed)) => return (events, written),
            Err(other) => panic!("unexpected interrupt {other:?}"),
        }
    }
    panic!("next() never asked for input: a loop");
}

/// Feeds `input` and drains.
fn feed(session: &mut Session, input: &[u8]) -> Vec<Event> {
    session.enqueue_input(input);
    drain(session).0
}

/// A compact view of an event: who it is for, the code, the outcome, done.
#[derive(Debug, PartialEq, Eq)]
enum Seen {
    Greeting(u16, bool),
    Reply(CommandHandle, u16, &'static str, bool),
    Unsolicited(u16),
    Unanswered(CommandHandle),
    Error(&'static str, Option<CommandHandle>, bool),
    Closed(CloseReason, Vec<CommandHandle>),
}

fn seen(events: &[Event]) -> Vec<Seen> {
    events
        .iter()
        .map(|e| match e {
            Event::Greeting { reply, done, .. } => Seen::Greeting(reply.code().as_u16(), *done),
            Event::Reply {
                handle,
                reply,
                outcome,
                done,
                ..
            } => Seen::Reply(*handle, reply.code().as_u16(), outcome.name(), *done),
            Event::Unsolicited { reply, .. } => Seen::Unsolicited(reply.code().as_u16()),
            Event::Unanswered { handle, .. } => Seen::Unanswered(*handle),
            Event::StreamError {
                error,
                handle,
                done,
                ..
            } => Seen::Error(error.kind(), *handle, *done),
            Event::Closed {
                reason, unanswered, ..
            } => Seen::Closed(*reason, unanswered.iter().map(|(h, _)| *h).collect()),
            other => panic!("unknown event {other:?}"),
        })
        .collect()
}

/// A session past its greeting.
fn greeted() -> Session {
    let mut s = Session::new();
    assert_eq!(
        seen(&feed(&mut s, b"220 ready\r\n")),
        [Seen::Greeting(220, true)]
    );
    s
}

#[test]
fn greeting_120_then_220() {
    let mut s = Session::new();
    let events = feed(&mut s, b"120 Ready in 5 minutes.\r\n220 Ready.\r\n");
    assert_eq!(
        seen(&events),
        [Seen::Greeting(120, false), Seen::Greeting(220, true)]
    );
    assert!(!s.awaits_greeting());
}

#[test]
fn commands_sent_before_the_greeting_wait_for_it() {
    let mut s = Session::new();
    let user = s.send(line(Command::User, "anonymous")).unwrap();
    let (events, written) = drain(&mut s);
    assert!(events.is_empty());
    assert_eq!(written, b"USER anonymous\r\n");
    let events = feed(&mut s, b"220 hi\r\n331 pass?\r\n");
    assert_eq!(
        seen(&events),
        [
            Seen::Greeting(220, true),
            Seen::Reply(user, 331, "send-next", true)
        ]
    );
}

/// Pipelined commands answered in one read go to their commands in order, and
/// the commands went out in one write.
#[test]
fn pipelined_commands_answered_in_one_read() {
    let mut s = greeted();
    let a = s.send(line(Command::Noop, "")).unwrap();
    let b = s.send(line(Command::Noop, "")).unwrap();
    let c = s.send(line(Command::Noop, "")).unwrap();
    match s.next() {
        Err(Interrupt::Io(Io::Output(bytes))) => {
            assert_eq!(&bytes[..], b"NOOP\r\nNOOP\r\nNOOP\r\n")
        }
        other => panic!("{other:?}"),
    }
    let events = feed(&mut s, b"200 a\r\n200 b\r\n200 c\r\n");
    assert_eq!(
        seen(&events),
        [
            Seen::Reply(a, 200, "success", true),
            Seen::Reply(b, 200, "success", true),
            Seen::Reply(c, 200, "success", true),
        ]
    );
    assert_eq!(s.pending().len(), 0);
}

const FEAT: &[u8] = b"211-Features:\r\n EPSV\r\n MDTM\r\n MLST type*;size*;modify*;\r\n REST STREAM\r\n SIZE\r\n UTF8\r\n211 End\r\n";

/// suppaftp #108: the lines of a multi-line FEAT reply were read as the reply to
/// the next command. Split at every byte, FEAT gets all of it and PWD its 257.
#[test]
fn multiline_feat_split_at_every_byte_stays_with_feat() {
    let mut input = FEAT.to_vec();
    input.extend_from_slice(b"257 \"/\" is the current directory\r\n");
    for cut in 0..=input.len() {
        let mut s = greeted();
        let feat = s.send(line(Command::Feat, "")).unwrap();
        let pwd = s.send(line(Command::Pwd, "")).unwrap();
        let mut events = feed(&mut s, &input[..cut]);
        events.extend(feed(&mut s, &input[cut..]));
        assert_eq!(
            seen(&events),
            [
                Seen::Reply(feat, 211, "success", true),
                Seen::Reply(pwd, 257, "success", true)
            ],
            "cut at {cut}"
        );
        assert_eq!(events[0].reply().unwrap().line_count(), 8);
    }
}

/// suppaftp #137/#138: an endless loop when the server disconnected inside a
/// multi-line reply. The stream's end gives Truncated for the command, then
/// Closed, then nothing.
#[test]
fn stream_ending_inside_a_multiline_reply_closes() {
    let mut s = greeted();
    let stat = s.send(line(Command::Stat, "")).unwrap();
    let noop = s.send(line(Command::Noop, "")).unwrap();
    assert!(feed(&mut s, b"211-status\r\n line\r\n").is_empty());
    s.enqueue_eof();
    let (events, _) = drain(&mut s);
    assert_eq!(
        seen(&events),
        [
            Seen::Error("truncated", Some(stat), true),
            Seen::Closed(CloseReason::EndOfStream, vec![noop]),
        ]
    );
    assert_eq!(s.next(), Err(Interrupt::Error(SessionError::Closed)));
    assert_eq!(s.next(), Err(Interrupt::Error(SessionError::Closed)));
    assert_eq!(s.send(line(Command::Noop, "")), Err(SessionError::Closed));
}

/// RFC 959 §4.1.3, the transfer still in progress: 426 to the transfer, 226 to ABOR.
#[test]
fn abor_during_transfer_426_then_226() {
    let mut s = greeted();
    let retr = s.send(line(Command::Retr, "big")).unwrap();
    assert_eq!(
        seen(&feed(
            &mut s,
            b"150 Opening BINARY mode data connection.\r\n"
        )),
        [Seen::Reply(retr, 150, "pending", false)]
    );
    let abor = s.send(line(Command::Abor, "")).unwrap();
    let noop = s.send(line(Command::Noop, "")).unwrap();
    let events = feed(
        &mut s,
        b"426 Connection closed; transfer aborted.\r\n226 Abort successful\r\n200 NOOP ok\r\n",
    );
    assert_eq!(
        seen(&events),
        [
            Seen::Reply(retr, 426, "transient-failure", true),
            Seen::Reply(abor, 226, "success", true),
            Seen::Reply(noop, 200, "success", true),
        ]
    );
}

/// RFC 959 §4.1.3, the transfer already complete: its own 226, then 226 to ABOR
/// (225 from some servers).
#[test]
fn abor_after_transfer_completed_226_then_226_or_225() {
    for abor_reply in [
        &b"226 ABOR successful\r\n"[..],
        b"225 No transfer to ABOR.\r\n",
    ] {
        let mut s = greeted();
        let retr = s.send(line(Command::Retr, "small")).unwrap();
        feed(&mut s, b"150 here it comes\r\n");
        let abor = s.send(line(Command::Abor, "")).unwrap();
        let mut input = b"226 Transfer complete.\r\n".to_vec();
        input.extend_from_slice(abor_reply);
        let events = feed(&mut s, &input);
        let code = if abor_reply[2] == b'6' { 226 } else { 225 };
        assert_eq!(
            seen(&events),
            [
                Seen::Reply(retr, 226, "success", true),
                Seen::Reply(abor, code, "success", true),
            ]
        );
    }
}

/// suppaftp #141: abort() hung when the server sent 226 without 426. The one
/// reply goes to the transfer; when the next command's reply comes, ABOR is given
/// up and that reply goes to its own command.
#[test]
fn abor_answered_once_gives_up_on_abor_when_the_next_reply_fits_the_next_command() {
    let mut s = greeted();
    let retr = s.send(line(Command::Retr, "f")).unwrap();
    feed(&mut s, b"150 ok\r\n");
    let abor = s.send(line(Command::Abor, "")).unwrap();
    let noop = s.send(line(Command::Noop, "")).unwrap();
    let events = feed(&mut s, b"226 Transfer complete.\r\n200 NOOP ok\r\n");
    assert_eq!(
        seen(&events),
        [
            Seen::Reply(retr, 226, "success", true),
            Seen::Unanswered(abor),
            Seen::Reply(noop, 200, "success", true),
        ]
    );
}

/// With nothing after ABOR, its missing reply leaves it waiting; the driver
/// gives up with `abandon`, and later replies go to later commands.
#[test]
fn abandon_a_command_that_will_never_be_answered() {
    let mut s = greeted();
    let retr = s.send(line(Command::Retr, "f")).unwrap();
    feed(&mut s, b"150 ok\r\n");
    let abor = s.send(line(Command::Abor, "")).unwrap();
    feed(&mut s, b"226 done\r\n");
    assert_eq!(s.pending().collect::<Vec<_>>(), [(abor, Command::Abor)]);
    assert_eq!(s.abandon(abor), Ok(Command::Abor));
    assert_eq!(
        s.abandon(abor),
        Err(SessionError::NotPending { handle: abor })
    );
    assert_eq!(
        s.abandon(retr),
        Err(SessionError::NotPending { handle: retr })
    );
    let pwd = s.send(line(Command::Pwd, "")).unwrap();
    assert_eq!(
        seen(&feed(&mut s, b"257 \"/\"\r\n")),
        [Seen::Reply(pwd, 257, "success", true)]
    );
}

/// suppaftp #146: panics on EPSV, SIZE and MDTM replies the client did not expect
/// the shape of. Every reply is delivered; payload errors are typed.
#[test]
fn odd_epsv_size_mdtm_replies_are_delivered_with_typed_payload_errors() {
    let mut s = greeted();
    let epsv = s.send(line(Command::Epsv, "")).unwrap();
    let size = s.send(line(Command::Size, "f")).unwrap();
    let mdtm = s.send(line(Command::Mdtm, "f")).unwrap();
    let events = feed(
        &mut s,
        b"229 Entering Extended Passive Mode (|||)\r\n213 lots\r\n213 yesterday\r\n",
    );
    assert_eq!(
        seen(&events),
        [
            Seen::Reply(epsv, 229, "success", true),
            Seen::Reply(size, 213, "success", true),
            Seen::Reply(mdtm, 213, "success", true),
        ]
    );
    assert!(events[0].reply().unwrap().extended_passive_port().is_err());
    assert!(events[1].reply().unwrap().size().is_err());
    assert!(events[2].reply().unwrap().modification_time().is_err());
}

/// suppaftp #168: a multi-line reply whose inner lines start with other codes
/// ended early, and the rest shifted onto later commands.
#[test]
fn multiline_reply_with_inner_lines_in_other_codes_stays_whole() {
    let mut s = greeted();
    let stat = s.send(line(Command::Stat, "")).unwrap();
    let noop = s.send(line(Command::Noop, "")).unwrap();
    let events = feed(
        &mut s,
        b"213-status of /\r\n200 is text here\r\n226 and so is this\r\n213 End of status\r\n200 ok\r\n",
    );
    assert_eq!(
        seen(&events),
        [
            Seen::Reply(stat, 213, "success", true),
            Seen::Reply(noop, 200, "success", true),
        ]
    );
    assert_eq!(events[0].reply().unwrap().line_count(), 4);
}

/// basic-ftp #62: a final line with no text ("211" alone) hung the client.
#[test]
fn final_line_with_no_text_ends_the_reply() {
    let mut s = Session::new();
    let feat = s.send(line(Command::Feat, "")).unwrap();
    let events = feed(&mut s, b"220\r\n211-Features:\r\n UTF8\r\n211\r\n");
    assert_eq!(
        seen(&events),
        [
            Seen::Greeting(220, true),
            Seen::Reply(feat, 211, "success", true)
        ]
    );
}

/// basic-ftp #120: `OPTS MLST` answered twice desynchronised every later command.
/// The second reply was received before the next command was sent, so it answers
/// nothing.
#[test]
fn a_command_answered_twice_does_not_shift_the_next_command() {
    let mut s = greeted();
    let opts = s.send(line(Command::Opts, "MLST type;size;")).unwrap();
    drain(&mut s);
    s.enqueue_input(b"200 MLST OPTS type;size;\r\n200 MLST OPTS type;size;\r\n");
    // The driver sees the first reply and sends the next command right away.
    match s.next() {
        Ok(Event::Reply { handle, done, .. }) => assert!(handle == opts && done),
        other => panic!("{other:?}"),
    }
    let pasv = s.send(line(Command::Pasv, "")).unwrap();
    let (events, written) = drain(&mut s);
    assert_eq!(written, b"PASV\r\n");
    assert_eq!(seen(&events), [Seen::Unsolicited(200)]);
    assert_eq!(
        seen(&feed(
            &mut s,
            b"227 Entering Passive Mode (127,0,0,1,4,1)\r\n"
        )),
        [Seen::Reply(pasv, 227, "success", true)]
    );
}

/// basic-ftp #164: a 227 sent in reply to EPSV. It is EPSV's reply, marked
/// unexpected, with its address readable; the next command is not shifted.
#[test]
fn pasv_reply_to_epsv_is_epsvs_reply_marked_unexpected() {
    let mut s = greeted();
    let epsv = s.send(line(Command::Epsv, "")).unwrap();
    let list = s.send(line(Command::List, "")).unwrap();
    let events = feed(
        &mut s,
        b"227 Entering Passive Mode (127,0,0,1,4,1)\r\n150 Here comes the listing\r\n",
    );
    assert_eq!(
        seen(&events),
        [
            Seen::Reply(epsv, 227, "unexpected", true),
            Seen::Reply(list, 150, "pending", false),
        ]
    );
    match &events[0] {
        Event::Reply { outcome, reply, .. } => {
            assert!(matches!(
                outcome,
                Outcome::Unexpected {
                    reason: UnexpectedReason::NotListed,
                    ..
                }
            ));
            assert_eq!(reply.passive_addr().unwrap().port(), 1025);
        }
        other => panic!("{other:?}"),
    }
}

/// The mirror case: a 229 sent in reply to PASV.
#[test]
fn epsv_reply_to_pasv_is_pasvs_reply_marked_unexpected() {
    let mut s = greeted();
    let pasv = s.send(line(Command::Pasv, "")).unwrap();
    let noop = s.send(line(Command::Noop, "")).unwrap();
    let events = feed(
        &mut s,
        b"229 Entering Extended Passive Mode (|||6446|)\r\n200 ok\r\n",
    );
    assert_eq!(
        seen(&events),
        [
            Seen::Reply(pasv, 229, "unexpected", true),
            Seen::Reply(noop, 200, "success", true),
        ]
    );
    assert_eq!(
        events[0].reply().unwrap().extended_passive_port().unwrap(),
        6446
    );
}

/// aeroftp #663: a 1yz left over for the next command. The 150 leaves RETR
/// waiting; its 226 ends it; the next command gets its own reply.
#[test]
fn preliminary_reply_is_not_left_for_the_next_command() {
    let mut s = greeted();
    let retr = s.send(line(Command::Retr, "f")).unwrap();
    let size = s.send(line(Command::Size, "f")).unwrap();
    let events = feed(
        &mut s,
        b"150 Opening data connection (12 bytes)\r\n226 Transfer complete\r\n213 12\r\n",
    );
    assert_eq!(
        seen(&events),
        [
            Seen::Reply(retr, 150, "pending", false),
            Seen::Reply(retr, 226, "success", true),
            Seen::Reply(size, 213, "success", true),
        ]
    );
}

/// FluentFTP #992: replies to NOOPs sent during a transfer were left in the pipe
/// and read as replies to later commands.
#[test]
fn noops_during_a_transfer_take_their_own_replies() {
    let mut s = greeted();
    let retr = s.send(line(Command::Retr, "f")).unwrap();
    feed(&mut s, b"150 ok\r\n");
    let n1 = s.send(line(Command::Noop, "")).unwrap();
    let n2 = s.send(line(Command::Noop, "")).unwrap();
    let pwd = s.send(line(Command::Pwd, "")).unwrap();
    let events = feed(&mut s, b"226 done\r\n200 a\r\n200 b\r\n257 \"/\"\r\n");
    assert_eq!(
        seen(&events),
        [
            Seen::Reply(retr, 226, "success", true),
            Seen::Reply(n1, 200, "success", true),
            Seen::Reply(n2, 200, "success", true),
            Seen::Reply(pwd, 257, "success", true),
        ]
    );
}

#[test]
fn restart_markers_during_a_transfer() {
    let mut s = greeted();
    let retr = s.send(line(Command::Retr, "f")).unwrap();
    let events = feed(
        &mut s,
        b"125 go\r\n110 MARK 1 = 100\r\n110 MARK 2 = 200\r\n226 done\r\n",
    );
    assert_eq!(
        seen(&events),
        [
            Seen::Reply(retr, 125, "pending", false),
            Seen::Reply(retr, 110, "pending", false),
            Seen::Reply(retr, 110, "pending", false),
            Seen::Reply(retr, 226, "success", true),
        ]
    );
}

/// 421 in the middle of a transfer: it answers the transfer and closes the
/// session; the commands behind it are unanswered.
#[test]
fn service_closing_in_the_middle_of_a_transfer() {
    let mut s = greeted();
    let retr = s.send(line(Command::Retr, "f")).unwrap();
    let noop = s.send(line(Command::Noop, "")).unwrap();
    let events = feed(&mut s, b"150 ok\r\n421 Timeout.\r\n200 never\r\n");
    assert_eq!(
        seen(&events),
        [
            Seen::Reply(retr, 150, "pending", false),
            Seen::Reply(retr, 421, "transient-failure", true),
            Seen::Closed(CloseReason::ServiceClosing, vec![noop]),
        ]
    );
    assert!(s.is_closed());
    assert_eq!(s.send(line(Command::Noop, "")), Err(SessionError::Closed));
}

#[test]
fn service_closing_as_the_greeting_and_unsolicited() {
    let mut s = Session::new();
    let events = feed(&mut s, b"421 Too many users\r\n");
    assert_eq!(
        seen(&events),
        [
            Seen::Greeting(421, true),
            Seen::Closed(CloseReason::ServiceClosing, vec![])
        ]
    );
    let mut s = greeted();
    let events = feed(&mut s, b"421 Idle timeout\r\n");
    assert_eq!(
        seen(&events),
        [
            Seen::Unsolicited(421),
            Seen::Closed(CloseReason::ServiceClosing, vec![])
        ]
    );
}

#[test]
fn unsolicited_reply_while_nothing_waits() {
    let mut s = greeted();
    let events = feed(&mut s, b"200 hello again\r\n");
    assert_eq!(seen(&events), [Seen::Unsolicited(200)]);
    let noop = s.send(line(Command::Noop, "")).unwrap();
    assert_eq!(
        seen(&feed(&mut s, b"200 ok\r\n")),
        [Seen::Reply(noop, 200, "success", true)]
    );
}

#[test]
fn quit_answered_closes() {
    let mut s = greeted();
    let quit = s.send(line(Command::Quit, "")).unwrap();
    let after = s.send(line(Command::Noop, "")).unwrap();
    assert_eq!(
        seen(&feed(&mut s, b"221 Goodbye.\r\n")),
        [
            Seen::Reply(quit, 221, "success", true),
            Seen::Closed(CloseReason::Quit, vec![after])
        ]
    );
}

/// A reply where another is listed (200 to CWD, which lists 250) is still CWD's.
#[test]
fn unlisted_reply_is_still_the_commands_reply() {
    let mut s = greeted();
    let cwd = s.send(line(Command::Cwd, "/x")).unwrap();
    let pwd = s.send(line(Command::Pwd, "")).unwrap();
    assert_eq!(
        seen(&feed(&mut s, b"200 ok\r\n257 \"/x\"\r\n")),
        [
            Seen::Reply(cwd, 200, "unexpected", true),
            Seen::Reply(pwd, 257, "success", true)
        ]
    );
}

/// A junk line answers nothing: the command goes on waiting for its reply.
#[test]
fn junk_line_answers_nothing() {
    let mut s = greeted();
    let noop = s.send(line(Command::Noop, "")).unwrap();
    let events = feed(&mut s, b"Hello there\r\n200 ok\r\n");
    assert_eq!(
        seen(&events),
        [
            Seen::Error("invalid-reply-line", Some(noop), false),
            Seen::Reply(noop, 200, "success", true)
        ]
    );
}

/// A reply too large for the limits stands for a reply the server did send: it
/// ends the waiting command, and the next reply goes to the next command.
#[test]
fn reply_over_the_limits_ends_its_command() {
    let mut config = SessionConfig::default();
    config.decoder = config.decoder.max_lines(3);
    let mut s = Session::with_config(config);
    feed(&mut s, b"220 hi\r\n");
    let stat = s.send(line(Command::Stat, "")).unwrap();
    let noop = s.send(line(Command::Noop, "")).unwrap();
    let events = feed(&mut s, b"211-a\r\nb\r\nc\r\nd\r\n211 end\r\n200 ok\r\n");
    assert_eq!(
        seen(&events),
        [
            Seen::Error("too-many-lines", Some(stat), true),
            Seen::Reply(noop, 200, "success", true)
        ]
    );
}

/// Telnet commands from the server are not replies.
#[test]
fn telnet_commands_are_not_replies() {
    let mut s = Session::new();
    let noop = s.send(line(Command::Noop, "")).unwrap();
    let events = feed(
        &mut s,
        b"\xff\xfb\x01\xff\xf1220 hi\r\n\xff\xfe\x03200 ok\r\n",
    );
    assert_eq!(
        seen(&events),
        [
            Seen::Greeting(220, true),
            Seen::Reply(noop, 200, "success", true)
        ]
    );
}

#[test]
fn pending_commands_are_bounded() {
    let mut config = SessionConfig::default();
    config.max_pending = 2;
    let mut s = Session::with_config(config);
    s.send(line(Command::Noop, "")).unwrap();
    s.send(line(Command::Noop, "")).unwrap();
    assert_eq!(
        s.send(line(Command::Noop, "")),
        Err(SessionError::TooManyPending { limit: 2 })
    );
}

#[test]
fn greeting_may_be_skipped_for_a_connection_under_way() {
    let mut config = SessionConfig::default();
    config.expect_greeting = false;
    let mut s = Session::with_config(config);
    let noop = s.send(line(Command::Noop, "")).unwrap();
    assert_eq!(
        seen(&feed(&mut s, b"200 ok\r\n")),
        [Seen::Reply(noop, 200, "success", true)]
    );
}

#[test]
fn user_331_pass_230_and_332_acct() {
    let mut s = greeted();
    let user = s.send(line(Command::User, "u")).unwrap();
    let events = feed(&mut s, b"331 password?\r\n");
    match &events[0] {
        Event::Reply { outcome, done, .. } => {
            assert_eq!(*outcome, Outcome::SendNext(&[Command::Pass]));
            assert!(*done);
        }
        other => panic!("{other:?}"),
    }
    let pass = s.send(line(Command::Pass, "p")).unwrap();
    let acct_needed = feed(&mut s, b"332 account?\r\n");
    assert_eq!(
        seen(&acct_needed),
        [Seen::Reply(pass, 332, "send-next", true)]
    );
    let acct = s.send(line(Command::Acct, "a")).unwrap();
    assert_eq!(
        seen(&feed(&mut s, b"230 in\r\n")),
        [Seen::Reply(acct, 230, "success", true)]
    );
    assert_ne!(user, pass);
}

#[test]
fn protected_reply_waits_for_the_reply_inside() {
    let mut s = greeted();
    let mic = s.send(line(Command::Mic, "AAAA")).unwrap();
    // 631 wrapping "250 ok\r\n" (cleartext Base64).
    let events = feed(&mut s, b"631 MjUwIG9rDQo=\r\n");
    let reply = match &events[..] {
        [
            Event::Reply {
                handle,
                reply,
                outcome: Outcome::Protected,
                done: false,
                ..
            },
        ] if *handle == mic => reply.clone(),
        other => panic!("{other:?}"),
    };
    let inner = reply.unprotect(&mut ftp_reply::payload::Cleartext).unwrap();
    assert_eq!(s.unprotected(mic, &inner), Ok((Outcome::Success, true)));
    assert_eq!(s.pending().len(), 0);
}

#[test]
fn offsets_name_where_each_reply_began() {
    let mut s = Session::new();
    let noop = s.send(line(Command::Noop, "")).unwrap();
    let events = feed(&mut s, b"220 hi\r\njunk\r\n200 ok\r\n");
    let offsets: Vec<u64> = events
        .iter()
        .map(|e| match e {
            Event::Greeting { offset, .. } | Event::Reply { offset, .. } => *offset,
            Event::StreamError { error, .. } => error.offset(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(offsets, [0, 8, 14]);
    assert_eq!(events[2].handle(), Some(noop));
    assert!(matches!(
        events[1],
        Event::StreamError {
            error: DecodeError::InvalidReplyLine { offset: 8, .. },
            ..
        }
    ));
}

/// A reader that knows the greeting was lost (a capture with a gap) stops waiting
/// for it: the next reply goes to the first command.
#[test]
fn abandon_greeting_gives_the_next_reply_to_the_first_command() {
    let mut s = Session::new();
    let user = s.send(line(Command::User, "u")).unwrap();
    assert!(s.abandon_greeting());
    assert!(!s.abandon_greeting());
    assert_eq!(
        seen(&feed(&mut s, b"331 password?\r\n")),
        [Seen::Reply(user, 331, "send-next", true)]
    );
}

/// A driver that decodes replies itself (a capture reader) gives them whole with
/// `receive_reply`: the same events as the same bytes through `enqueue_input`.
#[test]
fn replies_decoded_by_the_driver_pair_as_bytes_do() {
    let input: &[u8] =
        b"220 hi\r\n150 ok\r\n226 done\r\n200 NOOP\r\n211-Features:\r\n UTF8\r\n211 End\r\n221 bye\r\n";
    let script = |s: &mut Session| -> Vec<CommandHandle> {
        [
            (Command::Retr, "f"),
            (Command::Abor, ""),
            (Command::Noop, ""),
            (Command::Feat, ""),
            (Command::Quit, ""),
        ]
        .into_iter()
        .map(|(c, a)| s.send(line(c, a)).unwrap())
        .collect()
    };
    let mut by_bytes = Session::new();
    let h = script(&mut by_bytes);
    let expected = feed(&mut by_bytes, input);
    assert_eq!(
        seen(&expected),
        [
            Seen::Greeting(220, true),
            Seen::Reply(h[0], 150, "pending", false),
            Seen::Reply(h[0], 226, "success", true),
            Seen::Unanswered(h[1]),
            Seen::Reply(h[2], 200, "success", true),
            Seen::Reply(h[3], 211, "success", true),
            Seen::Reply(h[4], 221, "success", true),
            Seen::Closed(CloseReason::Quit, vec![]),
        ]
    );

    let mut by_replies = Session::new();
    script(&mut by_replies);
    let mut decoder = ftp_reply::ReplyDecoder::new();
    let mut buf = bytes::BytesMut::from(input);
    while let Some(reply) = decoder.decode(&mut buf).unwrap() {
        let offset = decoder.stream_offset() - reply.raw().len() as u64;
        by_replies.receive_reply(reply, offset);
    }
    let (got, _) = drain(&mut by_replies);
    assert_eq!(got, expected);
}

/// `Display` and `Debug` of a command line never show the argument of `PASS` or
/// `ACCT` (lines end up in logs); other arguments are shown, and the wire
/// bytes are the real ones.
#[test]
fn pass_and_acct_are_masked_in_display_and_debug() {
    for (command, verb) in [(Command::Pass, "PASS"), (Command::Acct, "ACCT")] {
        let line = line(command, "s3cret");
        assert_eq!(line.to_string(), format!("{verb} ****"));
        let debug = format!("{line:?}");
        assert!(!debug.contains("s3cret"), "{debug}");
        assert!(debug.contains("****"), "{debug}");
        assert!(line.is_secret());
        assert_eq!(line.as_bytes(), format!("{verb} s3cret\r\n").as_bytes());
    }
    let user = line(Command::User, "alice");
    assert_eq!(user.to_string(), "USER alice");
    assert!(!user.is_secret());
}
