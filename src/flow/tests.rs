//! Each flow replayed against byte transcripts.

use alloc::vec::Vec;
use core::net::{IpAddr, SocketAddr};

use super::*;
use crate::command::Command;
use crate::encode::CommandLineError;
use crate::payload::PassivePolicy;
use crate::session::{CloseReason, Interrupt, Io};

/// A session past its greeting, and what it wrote.
struct Wire {
    session: Session,
    written: Vec<u8>,
}

impl Wire {
    fn new() -> Wire {
        let mut wire = Wire {
            session: Session::new(),
            written: Vec::new(),
        };
        let steps = wire.feed(&mut Greeting::new(), b"220 ready\r\n");
        assert!(matches!(steps[..], [Step::Done(Ok(_))]), "{steps:?}");
        wire
    }

    /// Writes what the session has to write, without feeding input.
    fn flush(&mut self) -> Vec<u8> {
        let start = self.written.len();
        loop {
            match self.session.next() {
                Err(Interrupt::Io(Io::Output(bytes))) => self.written.extend_from_slice(&bytes),
                Err(Interrupt::Io(Io::NeedMoreInput)) => break,
                other => panic!("{other:?}"),
            }
        }
        self.written[start..].to_vec()
    }

    /// Feeds `input`, gives the events to `flow` until it asks for more input
    /// or returns a step other than `Continue` (which a driver must handle before
    /// it goes on); returns that step.
    fn feed<F: Flow>(&mut self, flow: &mut F, input: &[u8]) -> Vec<Step<F::Output>> {
        self.session.enqueue_input(input);
        loop {
            match self.session.next() {
                Ok(event) => match flow.on_event(&mut self.session, &event) {
                    Step::Continue => {}
                    step => return alloc::vec![step],
                },
                Err(Interrupt::Io(Io::Output(bytes))) => self.written.extend_from_slice(&bytes),
                Err(Interrupt::Io(Io::NeedMoreInput) | Interrupt::Error(_)) => {
                    return Vec::new();
                }
            }
        }
    }

    /// Feeds `input`; the flow must end, and this is its result.
    fn done<F: Flow>(&mut self, flow: &mut F, input: &[u8]) -> Result<F::Output, FlowError>
    where
        F::Output: core::fmt::Debug,
    {
        let mut steps = self.feed(flow, input);
        match steps.pop() {
            Some(Step::Done(result)) if steps.is_empty() => result,
            other => panic!("{steps:?} then {other:?}"),
        }
    }

    fn sent(&self) -> &str {
        core::str::from_utf8(&self.written).unwrap()
    }
}

fn code(reply: &Reply) -> u16 {
    reply.code().as_u16()
}

const PEER: &str = "192.0.2.1";

fn config() -> DataConfig {
    DataConfig::passive(PEER.parse().unwrap())
}

#[test]
fn greeting_120_then_220() {
    let mut wire = Wire {
        session: Session::new(),
        written: Vec::new(),
    };
    let mut greeting = Greeting::new();
    assert!(
        wire.feed(&mut greeting, b"120 Ready in 5 minutes.\r\n")
            .is_empty()
    );
    let greeted = wire.done(&mut greeting, b"220 Ready.\r\n").unwrap();
    assert_eq!(code(&greeted.reply), 220);
    let delay = greeted.delay.unwrap();
    assert_eq!((code(&delay.reply), delay.minutes), (120, Some(5)));
}

#[test]
fn greeting_421_is_closed_by_server() {
    let mut wire = Wire {
        session: Session::new(),
        written: Vec::new(),
    };
    match wire.done(&mut Greeting::new(), b"421 Too many users.\r\n") {
        Err(FlowError::ClosedByServer { reply }) => assert_eq!(code(&reply), 421),
        other => panic!("{other:?}"),
    }
}

#[test]
fn login_230_right_after_user() {
    let mut wire = Wire::new();
    let mut login = Login::start(&mut wire.session, b"anonymous", b"x", None).unwrap();
    let logged_in = wire
        .done(&mut login, b"230 No password needed.\r\n")
        .unwrap();
    assert_eq!(code(&logged_in.reply), 230);
    assert_eq!(wire.sent(), "USER anonymous\r\n");
}

#[test]
fn login_331_pass_332_acct() {
    let mut wire = Wire::new();
    let mut login = Login::start(&mut wire.session, b"u", b"p", Some(b"a")).unwrap();
    assert!(wire.feed(&mut login, b"331 Password?\r\n").is_empty());
    assert!(wire.feed(&mut login, b"332 Account?\r\n").is_empty());
    let logged_in = wire.done(&mut login, b"230 In.\r\n").unwrap();
    assert_eq!(code(&logged_in.reply), 230);
    assert_eq!(wire.sent(), "USER u\r\nPASS p\r\nACCT a\r\n");
}

#[test]
fn login_332_without_account() {
    let mut wire = Wire::new();
    let mut login = Login::start(&mut wire.session, b"u", b"p", None).unwrap();
    assert!(wire.feed(&mut login, b"331 Password?\r\n").is_empty());
    match wire.done(&mut login, b"332 Account?\r\n") {
        Err(FlowError::AccountRequired { reply }) => assert_eq!(code(&reply), 332),
        other => panic!("{other:?}"),
    }
}

#[test]
fn login_530_keeps_the_reply_and_masks_the_password() {
    let mut wire = Wire::new();
    let mut login = Login::start(&mut wire.session, b"u", b"secret", None).unwrap();
    assert!(wire.feed(&mut login, b"331 Password?\r\n").is_empty());
    let err = wire
        .done(&mut login, b"530 Login incorrect.\r\n")
        .unwrap_err();
    assert_eq!(err.to_string(), "PASS ****: 530 Login incorrect.");
    match err {
        FlowError::Rejected { command, reply, .. } => {
            assert_eq!((command, code(&reply)), (Command::Pass, 530));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn login_421_in_the_middle() {
    let mut wire = Wire::new();
    let mut login = Login::start(&mut wire.session, b"u", b"p", None).unwrap();
    // A 421 ends the flow even when it answers no command.
    match wire.done(&mut login, b"331 Password?\r\n421 Timeout.\r\n") {
        Err(FlowError::ClosedByServer { reply }) => assert_eq!(code(&reply), 421),
        other => panic!("{other:?}"),
    }
    assert!(wire.session.is_closed());
}

#[test]
fn login_unexpected_reply() {
    let mut wire = Wire::new();
    let mut login = Login::start(&mut wire.session, b"u", b"p", None).unwrap();
    match wire.done(&mut login, b"250 What?\r\n") {
        // 250 is not listed for USER, but it is a completion: logged in.
        Ok(logged_in) => assert_eq!(code(&logged_in.reply), 250),
        other => panic!("{other:?}"),
    }
    let mut login = Login::start(&mut wire.session, b"u", b"p", None).unwrap();
    match wire.done(&mut login, b"350 What?\r\n") {
        Err(FlowError::Unexpected { command, reply }) => {
            assert_eq!((command, code(&reply)), (Some(Command::User), 350));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn cr_or_lf_in_an_argument_never_leaves() {
    let mut wire = Wire::new();
    let err = Login::start(&mut wire.session, b"u", b"p\r\nDELE x", None).unwrap_err();
    assert_eq!(
        err,
        FlowError::Argument(CommandLineError::ForbiddenByte {
            offset: 1,
            byte: b'\r'
        })
    );
    let err = Transfer::start(&mut wire.session, &config(), Command::Retr, b"a\nb", None);
    assert!(matches!(err, Err(FlowError::Argument(_))), "{err:?}");
    let err = Rename::start(&mut wire.session, b"a", b"b\nDELE c");
    assert!(matches!(err, Err(FlowError::Argument(_))), "{err:?}");
    let err = Simple::cwd(&mut wire.session, b"x\r");
    assert!(matches!(err, Err(FlowError::Argument(_))), "{err:?}");
    assert_eq!(wire.flush(), b"");
    assert_eq!(wire.session.pending().len(), 0);
}

#[test]
fn feat_then_opts_utf8() {
    let mut wire = Wire::new();
    let mut feat = Feat::start(&mut wire.session, true).unwrap();
    let reply = b"211-Features:\r\n EPSV\r\n MLST type*;size*;modify*;\r\n REST STREAM\r\n SIZE\r\n MDTM\r\n UTF8\r\n AUTH TLS;SSL\r\n211 End\r\n";
    assert!(wire.feed(&mut feat, reply).is_empty());
    let caps = wire.done(&mut feat, b"200 UTF8 set to on\r\n").unwrap();
    assert_eq!(wire.sent(), "FEAT\r\nOPTS UTF8 ON\r\n");
    assert!(caps.listed && caps.utf8_on);
    assert!(caps.epsv() && caps.rest_stream() && caps.size() && caps.mdtm());
    assert!(caps.utf8() && caps.auth_tls());
    let facts: Vec<&[u8]> = vec![b"type*", b"size*", b"modify*"];
    assert_eq!(caps.mlst_facts(), Some(facts));
}

#[test]
fn feat_refused() {
    for refusal in [
        &b"500 FEAT not understood.\r\n"[..],
        b"502 Not implemented.\r\n",
    ] {
        let mut wire = Wire::new();
        let mut feat = Feat::start(&mut wire.session, true).unwrap();
        let caps = wire.done(&mut feat, refusal).unwrap();
        assert!(!caps.listed && !caps.utf8() && !caps.epsv());
        assert_eq!(wire.sent(), "FEAT\r\n");
    }
}

#[test]
fn opts_answered_twice_does_not_shift_the_next_reply() {
    let mut wire = Wire::new();
    let mut feat = Feat::start(&mut wire.session, true).unwrap();
    wire.feed(&mut feat, b"211-Features:\r\n UTF8\r\n211 End\r\n");
    let caps = wire
        .done(&mut feat, b"200 OK\r\n200 Always in UTF8 mode.\r\n")
        .unwrap();
    assert!(caps.utf8_on);
    let mut pwd = Simple::pwd(&mut wire.session).unwrap();
    let path = wire
        .done(&mut pwd, b"257 \"/home\" is current.\r\n")
        .unwrap();
    assert_eq!(path, b"/home");
}

#[test]
fn pwd_path_with_a_control_character_is_refused() {
    let mut wire = Wire::new();
    let mut pwd = Simple::pwd(&mut wire.session).unwrap();
    match wire.done(&mut pwd, b"257 \"/a\x07b\" is current.\r\n") {
        Err(FlowError::Payload { command, .. }) => assert_eq!(command, Command::Pwd),
        other => panic!("{other:?}"),
    }
}

#[test]
fn mkd_path_with_a_control_character_is_refused() {
    let mut wire = Wire::new();
    let mut mkd = Simple::mkd(&mut wire.session, b"ab").unwrap();
    match wire.done(&mut mkd, b"257 \"/a\x07b\" created.\r\n") {
        Err(FlowError::Payload { command, .. }) => assert_eq!(command, Command::Mkd),
        other => panic!("{other:?}"),
    }
}

#[test]
fn mkd_size_mdtm_mlst() {
    let mut wire = Wire::new();
    let mut mkd = Simple::mkd(&mut wire.session, b"a \"q\"").unwrap();
    let path = wire
        .done(&mut mkd, b"257 \"/a \"\"q\"\"\" created\r\n")
        .unwrap();
    assert_eq!(path.as_deref(), Some(&b"/a \"q\""[..]));
    let mut mkd = Simple::mkd(&mut wire.session, b"x").unwrap();
    assert_eq!(wire.done(&mut mkd, b"257 \r\n").unwrap(), None);
    let mut size = Simple::size(&mut wire.session, b"f").unwrap();
    assert_eq!(wire.done(&mut size, b"213 8192\r\n").unwrap(), 8192);
    let mut mdtm = Simple::mdtm(&mut wire.session, b"f").unwrap();
    let time = wire.done(&mut mdtm, b"213 20240102030405\r\n").unwrap();
    assert_eq!((time.year, time.second), (2024, 5));
    let mut mlst = Simple::mlst(&mut wire.session, b"f").unwrap();
    let entry = wire
        .done(
            &mut mlst,
            b"250-Listing f\r\n type=file;size=3; f\r\n250 End\r\n",
        )
        .unwrap();
    assert_eq!(entry.entry(), b"type=file;size=3; f");
    assert_eq!(entry.pathname(), b"f");
    assert_eq!(entry.facts().size(), Some(3));
    assert_eq!(code(entry.reply()), 250);
    let mut dele = Simple::dele(&mut wire.session, b"f").unwrap();
    let err = wire.done(&mut dele, b"550 No such file.\r\n").unwrap_err();
    assert_eq!(err.reply().map(code), Some(550));
    assert_eq!(
        wire.sent(),
        "MKD a \"q\"\r\nMKD x\r\nSIZE f\r\nMDTM f\r\nMLST f\r\nDELE f\r\n"
    );
}

/// MLST: the facts typed, every fact kept in order, a pathname holding `;`,
/// `=` and spaces, an entry without facts.
#[test]
fn mlst_entry_is_typed() {
    let mut wire = Wire::new();
    let mut mlst = Simple::mlst(&mut wire.session, b"a;b=c d").unwrap();
    let entry = wire
        .done(
            &mut mlst,
            b"250-Listing\r\n Type=file;Size=8192;Modify=20240102030405;Perm=rw;UNIX.mode=0644; a;b=c d\r\n250 End\r\n",
        )
        .unwrap();
    let facts = entry.facts();
    assert_eq!(facts.pathname(), b"a;b=c d");
    assert_eq!(entry.pathname(), b"a;b=c d");
    assert_eq!(facts.entry_type(), Some(crate::payload::EntryType::File));
    assert_eq!(facts.size(), Some(8192));
    let modify = facts.modify().unwrap();
    assert_eq!((modify.year, modify.month, modify.second), (2024, 1, 5));
    assert!(facts.perm().unwrap().can_write());
    assert_eq!(facts.get("unix.MODE"), Some(&b"0644"[..]));
    assert_eq!(facts.len(), 5);
    // The facts borrow the entry: no copy is made to read them.
    assert!(core::ptr::eq(facts.pathname(), entry.pathname()));

    let mut mlst = Simple::mlst(&mut wire.session, b"x").unwrap();
    let entry = wire
        .done(&mut mlst, b"250-Listing\r\n  x y\r\n250 End\r\n")
        .unwrap();
    assert!(entry.facts().is_empty());
    assert_eq!(
        (entry.pathname(), entry.entry()),
        (&b"x y"[..], &b" x y"[..])
    );
}

/// A malformed MLST entry ends the flow with the reply and where it went wrong.
#[test]
fn mlst_malformed_entry_is_a_payload_error_with_its_offset() {
    for (reply, line, offset) in [
        // `size` is not digits: line 1, after ` type=file;size=`.
        (
            &b"250-Listing\r\n type=file;size=12x; f\r\n250 End\r\n"[..],
            1,
            18,
        ),
        // No space between the facts and the pathname.
        (b"250-Listing\r\n type=file;\r\n250 End\r\n", 1, 11),
        // No entry line at all.
        (b"250-Listing\r\n250 End\r\n", 1, 0),
        // A one-line 250.
        (b"250 f\r\n", 0, 3),
    ] {
        let mut wire = Wire::new();
        let mut mlst = Simple::mlst(&mut wire.session, b"f").unwrap();
        match wire.done(&mut mlst, reply) {
            Err(FlowError::Payload {
                command: Command::Mlst,
                reply: got,
                error,
            }) => {
                assert_eq!(got.raw(), reply);
                assert_eq!(error.payload, crate::payload::PayloadKind::Mlst);
                assert_eq!((error.line, error.offset), (line, offset), "{error:?}");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn rename() {
    let mut wire = Wire::new();
    let mut rename = Rename::start(&mut wire.session, b"a", b"b").unwrap();
    assert!(wire.feed(&mut rename, b"350 Ready.\r\n").is_empty());
    assert_eq!(
        code(&wire.done(&mut rename, b"250 Renamed.\r\n").unwrap()),
        250
    );
    assert_eq!(wire.sent(), "RNFR a\r\nRNTO b\r\n");

    let mut rename = Rename::start(&mut wire.session, b"a", b"b").unwrap();
    let err = wire
        .done(&mut rename, b"550 No such file.\r\n")
        .unwrap_err();
    assert!(matches!(
        err,
        FlowError::Rejected {
            command: Command::Rnfr,
            ..
        }
    ));
}

/// The step for a data connection to `addr`.
fn connect(addr: &str, ignored: Option<&str>) -> Action {
    Action::ConnectData {
        addr: addr.parse().unwrap(),
        tls: false,
        ignored_host: ignored.map(|h| h.parse().unwrap()),
    }
}

fn act(steps: Vec<Step<TransferEnd>>) -> Action {
    match <[_; 1]>::try_from(steps) {
        Ok([Step::Act(action)]) => action,
        Err(steps) => panic!("{steps:?}"),
        Ok([other]) => panic!("{other:?}"),
    }
}

/// A RETR through passive reply `reply`, to its `MoveData`.
fn passive(config: DataConfig, replies: &[&[u8]]) -> (Wire, Transfer, Action) {
    let mut wire = Wire::new();
    let mut retr = Transfer::start(&mut wire.session, &config, Command::Retr, b"f", None).unwrap();
    let (last, before) = replies.split_last().unwrap();
    for reply in before {
        assert!(wire.feed(&mut retr, reply).is_empty());
    }
    let action = act(wire.feed(&mut retr, last));
    (wire, retr, action)
}

#[test]
fn epsv_229() {
    let (wire, _, action) = passive(
        config(),
        &[b"229 Entering Extended Passive Mode (|||6446|)\r\n"],
    );
    assert_eq!(action, connect("192.0.2.1:6446", None));
    assert_eq!(wire.sent(), "EPSV\r\n");
}

#[test]
fn epsv_refused_falls_back_to_pasv() {
    for refusal in ["500 ?", "501 ?", "502 ?", "522 Use (1)"] {
        let refusal = alloc::format!("{refusal}\r\n");
        let pasv = b"227 Entering Passive Mode (192,0,2,1,4,1).\r\n";
        let (mut wire, retr, action) = passive(config(), &[refusal.as_bytes(), pasv]);
        assert_eq!(action, connect("192.0.2.1:1025", None));
        assert!(retr.epsv_refused());
        wire.flush();
        assert_eq!(wire.sent(), "EPSV\r\nPASV\r\nRETR f\r\n");
    }
}

#[test]
fn epsv_refused_on_ipv6_is_an_error() {
    let mut wire = Wire::new();
    let config = DataConfig::passive("2001:db8::1".parse().unwrap());
    let mut retr = Transfer::start(&mut wire.session, &config, Command::Retr, b"f", None).unwrap();
    let err = wire.done(&mut retr, b"502 No.\r\n").unwrap_err();
    assert!(matches!(
        err,
        FlowError::Rejected {
            command: Command::Epsv,
            ..
        }
    ));
    assert_eq!(wire.sent(), "EPSV\r\n");
}

#[test]
fn ipv6_always_epsv() {
    let mut wire = Wire::new();
    let mut config = DataConfig::passive("2001:db8::1".parse().unwrap());
    config.extended = false;
    let mut retr = Transfer::start(&mut wire.session, &config, Command::List, b"", None).unwrap();
    let action = act(wire.feed(&mut retr, b"229 (|||2000|)\r\n"));
    assert_eq!(action, connect("[2001:db8::1]:2000", None));
    assert_eq!(wire.sent(), "EPSV\r\n");
}

#[test]
fn pasv_only_after_epsv_refused_once() {
    let mut config = config();
    config.extended = false;
    let (wire, _, action) = passive(config, &[b"227 =192,0,2,1,4,2\r\n"]);
    assert_eq!(action, connect("192.0.2.1:1026", None));
    assert_eq!(wire.sent(), "PASV\r\n");
}

#[test]
fn quirk_227_to_epsv_and_229_to_pasv() {
    let (_, _, action) = passive(
        config(),
        &[b"227 Entering Passive Mode (192,0,2,1,4,1).\r\n"],
    );
    assert_eq!(action, connect("192.0.2.1:1025", None));
    let mut pasv = config();
    pasv.extended = false;
    let (_, _, action) = passive(
        pasv,
        &[b"229 Entering Extended Passive Mode (|||6446|)\r\n"],
    );
    assert_eq!(action, connect("192.0.2.1:6446", None));
}

#[test]
fn advertised_zero_private_or_foreign_host_is_ignored() {
    for (host, shown) in [
        ("0,0,0,0", "0.0.0.0"),
        ("10,1,2,3", "10.1.2.3"),
        ("203,0,113,9", "203.0.113.9"),
    ] {
        let reply = alloc::format!("227 Entering Passive Mode ({host},4,1).\r\n");
        let (_, _, action) = passive(config(), &[reply.as_bytes()]);
        assert_eq!(action, connect("192.0.2.1:1025", Some(shown)), "{host}");
    }
    // Trusted only when the caller opts in, and never 0.0.0.0.
    let mut trusting = config();
    trusting.policy = PassivePolicy::TrustAdvertised;
    let (_, _, action) = passive(trusting, &[b"227 (203,0,113,9,4,1)\r\n"]);
    assert_eq!(action, connect("203.0.113.9:1025", None));
    let (_, _, action) = passive(trusting, &[b"227 (0,0,0,0,4,1)\r\n"]);
    assert_eq!(action, connect("192.0.2.1:1025", Some("0.0.0.0")));
}

#[test]
fn unreadable_227_is_a_payload_error() {
    let mut wire = Wire::new();
    let mut pasv = config();
    pasv.extended = false;
    let mut retr = Transfer::start(&mut wire.session, &pasv, Command::Retr, b"f", None).unwrap();
    let err = wire
        .done(&mut retr, b"227 Entering Passive Mode.\r\n")
        .unwrap_err();
    assert!(matches!(
        err,
        FlowError::Payload {
            command: Command::Pasv,
            ..
        }
    ));
}

fn moving(wire: &mut Wire, retr: &mut Transfer, reply: &[u8]) -> Option<u64> {
    match act(wire.feed(retr, reply)) {
        Action::MoveData { size, tls: false } => size,
        other => panic!("{other:?}"),
    }
}

#[test]
fn retr_226_after_the_data_ended() {
    let (mut wire, mut retr, _) = passive(config(), &[b"229 (|||2000|)\r\n"]);
    let size = moving(
        &mut wire,
        &mut retr,
        b"150 Opening BINARY mode data connection for f (8192 bytes).\r\n",
    );
    assert_eq!(size, Some(8192));
    retr.data_ended().unwrap();
    // The final reply has not come: the flow reads on.
    assert_eq!(retr.poll(&mut wire.session, &mut |_| {}), Poll::Read);
    match wire.done(&mut retr, b"226 Transfer complete.\r\n").unwrap() {
        TransferEnd::Completed(done) => {
            assert_eq!(code(&done.reply), 226);
            assert_eq!(done.preliminary.as_ref().map(code), Some(150));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn retr_226_before_the_data_ended() {
    let (mut wire, mut retr, _) = passive(config(), &[b"229 (|||2000|)\r\n"]);
    // 150 and 226 in one read, and the 226 read before the data ended.
    let steps = wire.feed(&mut retr, b"150 Here.\r\n226 Done.\r\n");
    assert!(
        matches!(steps[..], [Step::Act(Action::MoveData { .. })]),
        "{steps:?}"
    );
    assert!(wire.feed(&mut retr, b"").is_empty());
    retr.data_ended().unwrap();
    // The 226 came first: the next poll ends the flow without reading.
    match retr.poll(&mut wire.session, &mut |_| {}) {
        Poll::Done(Ok(TransferEnd::Completed(done))) => assert_eq!(code(&done.reply), 226),
        other => panic!("{other:?}"),
    }
    assert!(matches!(retr.data_ended(), Err(FlowError::Misuse(_))));
}

#[test]
fn final_reply_without_a_preliminary() {
    let (mut wire, mut retr, _) = passive(config(), &[b"229 (|||2000|)\r\n"]);
    assert_eq!(moving(&mut wire, &mut retr, b"226 Done.\r\n"), None);
    retr.data_ended().unwrap();
    match retr.poll(&mut wire.session, &mut |_| {}) {
        Poll::Done(Ok(TransferEnd::Completed(done))) => {
            assert_eq!(code(&done.reply), 226);
            assert!(done.preliminary.is_none());
        }
        other => panic!("{other:?}"),
    }
}

/// MLSD: the listing read from the completed transfer, typed, a bad line
/// reported with its index and offset without stopping the others; entries
/// are only read from an MLSD transfer.
#[test]
fn mlsd_entries_from_a_completed_transfer() {
    let mut wire = Wire::new();
    let mut mlsd = Transfer::start(&mut wire.session, &config(), Command::Mlsd, b"", None).unwrap();
    act(wire.feed(&mut mlsd, b"229 (|||2000|)\r\n"));
    moving(&mut wire, &mut mlsd, b"150 Here.\r\n");
    mlsd.data_ended().unwrap();
    let TransferEnd::Completed(done) = wire.done(&mut mlsd, b"226 Done.\r\n").unwrap() else {
        panic!("not completed");
    };
    assert_eq!(done.command, Command::Mlsd);
    let received: &[u8] = b"type=cdir;perm=el; .\r\ntype=file;size=8; one.txt\ntype=dir;type=file; twice\r\ntype=OS.unix=slink:/x; link";
    let entries: Vec<_> = done.mlsd(received).unwrap().collect();
    assert_eq!(entries.len(), 4);
    let cdir = entries[0].as_ref().unwrap();
    assert_eq!(
        cdir.entry_type(),
        Some(crate::payload::EntryType::CurrentDir)
    );
    assert!(cdir.perm().unwrap().can_list());
    let file = entries[1].as_ref().unwrap();
    assert_eq!((file.pathname(), file.size()), (&b"one.txt"[..], Some(8)));
    // Borrowed from what the data connection carried.
    let at = received.windows(7).position(|w| w == b"one.txt").unwrap();
    assert!(core::ptr::eq(
        file.pathname().as_ptr(),
        received[at..].as_ptr()
    ));
    let twice = entries[2].as_ref().unwrap_err();
    assert_eq!(twice.payload, crate::payload::PayloadKind::Mlsd);
    assert_eq!((twice.line, twice.offset), (2, 9));
    let link = entries[3].as_ref().unwrap();
    assert!(matches!(
        link.entry_type(),
        Some(crate::payload::EntryType::Os { name: b"unix", .. })
    ));

    // A LIST's data is not an MLSD listing.
    let (mut wire, mut list, _) = passive(config(), &[b"229 (|||2000|)\r\n"]);
    moving(&mut wire, &mut list, b"150 Here.\r\n");
    list.data_ended().unwrap();
    let TransferEnd::Completed(done) = wire.done(&mut list, b"226 Done.\r\n").unwrap() else {
        panic!("not completed");
    };
    assert_eq!(done.command, Command::Retr);
    assert!(matches!(
        done.mlsd(b"-rw-r--r-- 1 u g 8 Jan 2 f\r\n"),
        Err(FlowError::Misuse(_))
    ));
}

#[test]
fn transfer_failures_are_typed() {
    for (reply, failure) in [
        (
            "425 Can't open data connection.",
            TransferFailure::CannotOpenData,
        ),
        ("450 Busy.", TransferFailure::FileBusy),
        ("451 Local error.", TransferFailure::LocalError),
        ("550 No such file.", TransferFailure::FileUnavailable),
        ("552 Quota.", TransferFailure::StorageExceeded),
    ] {
        let (mut wire, mut retr, _) = passive(config(), &[b"229 (|||2000|)\r\n"]);
        let reply = alloc::format!("{reply}\r\n");
        match wire.done(&mut retr, reply.as_bytes()) {
            Err(FlowError::Rejected { command, reply, .. }) => {
                assert_eq!(command, Command::Retr);
                assert_eq!(TransferFailure::of(&reply), failure);
            }
            other => panic!("{other:?}"),
        }
    }
    // 426 during the transfer.
    let (mut wire, mut retr, _) = passive(config(), &[b"229 (|||2000|)\r\n"]);
    moving(&mut wire, &mut retr, b"150 Here.\r\n");
    let err = wire
        .done(&mut retr, b"426 Connection closed.\r\n")
        .unwrap_err();
    assert_eq!(
        TransferFailure::of(err.reply().unwrap()),
        TransferFailure::DataClosed
    );
}

/// A 421 instead of the transfer's first reply ends the flow: nothing is left
/// to abort, and no data connection to end.
#[test]
fn transfer_421_before_any_reply() {
    let (mut wire, mut retr, _) = passive(config(), &[b"229 (|||2000|)\r\n"]);
    match wire.done(&mut retr, b"421 Timeout.\r\n") {
        Err(FlowError::ClosedByServer { reply }) => assert_eq!(code(&reply), 421),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        retr.abort(&mut wire.session),
        Err(FlowError::Misuse(_))
    ));
    assert!(matches!(retr.data_ended(), Err(FlowError::Misuse(_))));
}

/// Every way a transfer fails ends it: an unexpected reply to `REST`, and a
/// positive reply other than a completion while the data moves, leave `abort` a
/// `Misuse` as after any other error.
#[test]
fn every_failure_ends_the_transfer() {
    let mut wire = Wire::new();
    let mut retr =
        Transfer::start(&mut wire.session, &config(), Command::Retr, b"f", Some(100)).unwrap();
    act(wire.feed(&mut retr, b"229 (|||2000|)\r\n"));
    wire.flush();
    assert!(matches!(
        wire.done(&mut retr, b"200 Sure.\r\n"),
        Err(FlowError::Unexpected { .. })
    ));
    assert!(matches!(
        retr.abort(&mut wire.session),
        Err(FlowError::Misuse(_))
    ));

    let (mut wire, mut retr, _) = passive(config(), &[b"229 (|||2000|)\r\n"]);
    moving(&mut wire, &mut retr, b"150 Here.\r\n");
    assert!(matches!(
        wire.done(&mut retr, b"350 More?\r\n"),
        Err(FlowError::Unexpected { .. })
    ));
    assert!(matches!(
        retr.abort(&mut wire.session),
        Err(FlowError::Misuse(_))
    ));
}

#[test]
fn rest_is_sent_before_and_awaited() {
    let mut wire = Wire::new();
    let mut retr =
        Transfer::start(&mut wire.session, &config(), Command::Retr, b"f", Some(100)).unwrap();
    act(wire.feed(&mut retr, b"229 (|||2000|)\r\n"));
    wire.flush();
    assert_eq!(wire.sent(), "EPSV\r\nREST 100\r\n");
    assert!(
        wire.feed(&mut retr, b"350 Restarting at 100.\r\n")
            .is_empty()
    );
    assert_eq!(wire.sent(), "EPSV\r\nREST 100\r\nRETR f\r\n");
    moving(&mut wire, &mut retr, b"150 Here.\r\n");

    // A refused REST is not followed by a transfer from the start.
    let mut wire = Wire::new();
    let mut retr =
        Transfer::start(&mut wire.session, &config(), Command::Retr, b"f", Some(100)).unwrap();
    act(wire.feed(&mut retr, b"229 (|||2000|)\r\n"));
    let err = wire.done(&mut retr, b"502 No REST.\r\n").unwrap_err();
    assert!(matches!(
        err,
        FlowError::Rejected {
            command: Command::Rest,
            ..
        }
    ));
    wire.flush();
    assert_eq!(wire.sent(), "EPSV\r\nREST 100\r\n");
}

#[test]
fn active_eprt_then_port() {
    let mut wire = Wire::new();
    let mut config = config();
    config.mode = DataMode::Active("192.0.2.7:1025".parse().unwrap());
    let mut stor = Transfer::start(&mut wire.session, &config, Command::Stor, b"f", None).unwrap();
    assert!(wire.feed(&mut stor, b"500 EPRT?\r\n").is_empty());
    assert!(wire.feed(&mut stor, b"200 PORT OK.\r\n").is_empty());
    assert!(stor.epsv_refused());
    moving(&mut wire, &mut stor, b"150 Ok to send data.\r\n");
    assert_eq!(
        wire.sent(),
        "EPRT |1|192.0.2.7|1025|\r\nPORT 192,0,2,7,4,1\r\nSTOR f\r\n"
    );
    let mut v6 = config;
    v6.mode = DataMode::Active(SocketAddr::new(
        "2001:db8::7".parse::<IpAddr>().unwrap(),
        2000,
    ));
    let mut wire = Wire::new();
    let _ = Transfer::start(&mut wire.session, &v6, Command::List, b"", None).unwrap();
    assert_eq!(wire.flush(), b"EPRT |2|2001:db8::7|2000|\r\n");
}

/// A RETR in progress, then `abort`; the transfer's final reply, then the
/// rest. `NOOP` goes only after the transfer's reply.
fn aborted(transfer: &[u8], rest: &[u8]) -> Result<TransferEnd, FlowError> {
    let (mut wire, mut retr, _) = passive(config(), &[b"229 (|||2000|)\r\n"]);
    moving(&mut wire, &mut retr, b"150 Here.\r\n");
    retr.abort(&mut wire.session).unwrap();
    wire.flush();
    assert!(
        wire.sent().ends_with("RETR f\r\nABOR\r\n"),
        "{}",
        wire.sent()
    );
    assert!(wire.feed(&mut retr, transfer).is_empty());
    wire.flush();
    assert!(
        wire.sent().ends_with("RETR f\r\nABOR\r\nNOOP\r\n"),
        "{}",
        wire.sent()
    );
    wire.done(&mut retr, rest)
}

#[test]
fn abort_426_then_226() {
    match aborted(
        b"426 Aborted.\r\n",
        b"226 ABOR successful.\r\n200 NOOP ok.\r\n",
    )
    .unwrap()
    {
        TransferEnd::Aborted(a) => {
            assert_eq!(a.transfer.as_ref().map(code), Some(426));
            assert_eq!(a.abor.as_ref().map(code), Some(226));
            assert_eq!(code(&a.noop), 200);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn abort_after_completion_226_then_225() {
    match aborted(
        b"226 Done.\r\n",
        b"225 No transfer to ABOR.\r\n200 NOOP ok.\r\n",
    )
    .unwrap()
    {
        TransferEnd::Aborted(a) => {
            assert_eq!(a.transfer.as_ref().map(code), Some(226));
            assert_eq!(a.abor.as_ref().map(code), Some(225));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn abort_answered_once() {
    match aborted(b"426 Aborted.\r\n", b"200 NOOP ok.\r\n").unwrap() {
        TransferEnd::Aborted(a) => {
            assert_eq!(a.transfer.as_ref().map(code), Some(426));
            assert_eq!(a.abor, None);
            assert_eq!(code(&a.noop), 200);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn abort_noop_refused_still_answers() {
    match aborted(b"426 Aborted.\r\n", b"502 ABOR?\r\n502 NOOP?\r\n").unwrap() {
        TransferEnd::Aborted(a) => {
            assert_eq!(a.abor.as_ref().map(code), Some(502));
            assert_eq!(code(&a.noop), 502);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn abort_after_the_final_reply_arrived() {
    let (mut wire, mut retr, _) = passive(config(), &[b"229 (|||2000|)\r\n"]);
    let steps = wire.feed(&mut retr, b"150 Here.\r\n226 Done.\r\n");
    assert_eq!(steps.len(), 1);
    assert!(wire.feed(&mut retr, b"").is_empty());
    retr.abort(&mut wire.session).unwrap();
    wire.flush();
    // No transfer to wait for: NOOP right away.
    assert!(wire.sent().ends_with("ABOR\r\nNOOP\r\n"));
    match wire
        .done(&mut retr, b"226 Nothing to abort.\r\n200 OK.\r\n")
        .unwrap()
    {
        TransferEnd::Aborted(a) => {
            assert_eq!(a.transfer, None);
            assert_eq!(a.abor.as_ref().map(code), Some(226));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn abort_421() {
    match aborted(b"426 Aborted.\r\n", b"421 Bye.\r\n") {
        Err(FlowError::ClosedByServer { reply }) => assert_eq!(code(&reply), 421),
        other => panic!("{other:?}"),
    }
}

#[test]
fn misuse_is_an_error_not_a_panic() {
    let mut wire = Wire::new();
    let mut retr =
        Transfer::start(&mut wire.session, &config(), Command::Retr, b"f", None).unwrap();
    assert!(matches!(
        retr.abort(&mut wire.session),
        Err(FlowError::Misuse(_))
    ));
    assert!(matches!(retr.data_ended(), Err(FlowError::Misuse(_))));
    let err = Transfer::start(&mut wire.session, &config(), Command::Dele, b"f", None);
    assert!(matches!(err, Err(FlowError::Misuse(_))));
}

#[test]
fn auth_tls_pbsz_prot() {
    let mut wire = Wire::new();
    let mut tls = AuthTls::start(&mut wire.session, true).unwrap();
    let steps = wire.feed(&mut tls, b"234 AUTH TLS OK.\r\n");
    assert!(
        matches!(steps[..], [Step::Act(Action::StartTls)]),
        "{steps:?}"
    );
    // Nothing after AUTH was written before the driver started TLS.
    assert_eq!(wire.sent(), "AUTH TLS\r\n");
    assert_eq!(wire.flush(), b"PBSZ 0\r\nPROT P\r\n");
    assert!(wire.feed(&mut tls, b"200 PBSZ=0\r\n").is_empty());
    assert_eq!(
        wire.done(&mut tls, b"200 Protection set to Private\r\n"),
        Ok(Protection::Private)
    );
}

#[test]
fn auth_tls_pbsz_prot_clear() {
    let mut wire = Wire::new();
    let mut tls = AuthTls::start(&mut wire.session, false).unwrap();
    let steps = wire.feed(&mut tls, b"234 AUTH TLS OK.\r\n");
    assert!(
        matches!(steps[..], [Step::Act(Action::StartTls)]),
        "{steps:?}"
    );
    assert_eq!(wire.flush(), b"PBSZ 0\r\nPROT C\r\n");
    assert!(wire.feed(&mut tls, b"200 PBSZ=0\r\n").is_empty());
    assert_eq!(
        wire.done(&mut tls, b"200 Protection set to Clear\r\n"),
        Ok(Protection::Clear)
    );
}

#[test]
fn auth_tls_refused_or_injected() {
    let mut wire = Wire::new();
    let mut tls = AuthTls::start(&mut wire.session, true).unwrap();
    let err = wire.done(&mut tls, b"502 No TLS.\r\n").unwrap_err();
    assert!(matches!(
        err,
        FlowError::Rejected {
            command: Command::Auth,
            ..
        }
    ));

    let mut wire = Wire::new();
    let mut tls = AuthTls::start(&mut wire.session, true).unwrap();
    let err = wire
        .done(&mut tls, b"234 Go ahead.\r\n230 Logged in.\r\n")
        .unwrap_err();
    assert_eq!(err, FlowError::DataAfterAuth { bytes: 16 });
}

#[test]
fn quit() {
    let mut wire = Wire::new();
    let mut quit = Quit::start(&mut wire.session).unwrap();
    let reply = wire.done(&mut quit, b"221 Bye.\r\n").unwrap();
    assert_eq!(reply.as_ref().map(code), Some(221));
    assert!(wire.session.is_closed());

    let mut wire = Wire::new();
    let mut quit = Quit::start(&mut wire.session).unwrap();
    wire.session.enqueue_eof();
    assert_eq!(wire.done(&mut quit, b""), Ok(None));
}

#[test]
fn end_of_stream_mid_flow() {
    let mut wire = Wire::new();
    let mut pwd = Simple::pwd(&mut wire.session).unwrap();
    wire.session.enqueue_eof();
    assert_eq!(
        wire.done(&mut pwd, b""),
        Err(FlowError::Disconnected {
            reason: CloseReason::EndOfStream
        })
    );
}
