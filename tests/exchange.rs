//! Exchanges: what the replies to one command mean for it.

use ftp_reply::{
    ClassOutcome, Command, Exchange, ExchangeState, Outcome, Reply, ReplyCode, UnexpectedReason,
};
use proptest::prelude::*;

fn code(n: u16) -> ReplyCode {
    ReplyCode::new(n).unwrap()
}

/// Feeds `codes` to a fresh exchange for `command`, returning the outcomes.
fn run(command: Command, codes: &[u16]) -> (Exchange, Vec<Outcome>) {
    let mut exchange = Exchange::new(command);
    let outcomes = codes.iter().map(|&n| exchange.feed_code(code(n))).collect();
    (exchange, outcomes)
}

fn unexpected(reason: UnexpectedReason, by_class: ClassOutcome) -> Outcome {
    Outcome::Unexpected { reason, by_class }
}

#[test]
fn retr_preliminary_restart_marker_then_success() {
    let (exchange, outcomes) = run(Command::Retr, &[150, 110, 110, 226]);
    assert_eq!(
        outcomes,
        [
            Outcome::Pending,
            Outcome::Pending,
            Outcome::Pending,
            Outcome::Success
        ]
    );
    assert!(exchange.is_finished());
    assert!(!exchange.closes_control_connection());
}

#[test]
fn transfer_states() {
    let mut retr = Exchange::new(Command::Retr);
    assert_eq!(retr.state(), ExchangeState::AwaitingReply);
    retr.feed_code(code(125));
    assert_eq!(retr.state(), ExchangeState::AwaitingFinalReply);
    assert_eq!(retr.feed_code(code(426)), Outcome::TransientFailure);
    assert_eq!(retr.state(), ExchangeState::Finished);
    assert_eq!(retr.state().name(), "finished");
}

#[test]
fn second_preliminary_is_unexpected() {
    let (exchange, outcomes) = run(Command::Retr, &[150, 150, 226]);
    assert_eq!(
        outcomes,
        [
            Outcome::Pending,
            unexpected(UnexpectedReason::SecondPreliminary, ClassOutcome::Pending),
            Outcome::Success,
        ]
    );
    assert!(exchange.is_finished());
}

#[test]
fn restart_markers_only_where_listed() {
    // RFC 959 prints (110) for STOR, STOU, RETR and APPE, not for LIST and NLST.
    for command in [Command::Stor, Command::Stou, Command::Appe] {
        let (_, outcomes) = run(command, &[150, 110, 250]);
        assert_eq!(
            outcomes,
            [Outcome::Pending, Outcome::Pending, Outcome::Success],
            "{command}"
        );
    }
    for command in [Command::List, Command::Nlst] {
        let (_, outcomes) = run(command, &[150, 110, 226]);
        assert_eq!(
            outcomes[1],
            unexpected(UnexpectedReason::SecondPreliminary, ClassOutcome::Pending),
            "{command}"
        );
        assert_eq!(outcomes[2], Outcome::Success);
    }
    // A restart marker before the transfer started is not one.
    let (exchange, outcomes) = run(Command::Retr, &[110]);
    assert_eq!(
        outcomes,
        [unexpected(
            UnexpectedReason::NotListed,
            ClassOutcome::Pending
        )]
    );
    assert_eq!(exchange.state(), ExchangeState::AwaitingFinalReply);
}

#[test]
fn transfer_final_replies_are_the_listed_ones() {
    let (_, outcomes) = run(Command::Stor, &[150, 552]);
    assert_eq!(outcomes[1], Outcome::PermanentFailure);
    let (_, outcomes) = run(Command::Retr, &[150, 451]);
    assert_eq!(outcomes[1], Outcome::TransientFailure);
    // 552 is listed after STOR's preliminary reply, not RETR's.
    let (exchange, outcomes) = run(Command::Retr, &[150, 552]);
    assert_eq!(
        outcomes[1],
        unexpected(UnexpectedReason::NotListed, ClassOutcome::PermanentFailure)
    );
    assert!(exchange.is_finished());
    // A failure listed in place of the preliminary reply is not listed after it.
    let (_, outcomes) = run(Command::Retr, &[150, 550]);
    assert_eq!(
        outcomes[1],
        unexpected(UnexpectedReason::NotListed, ClassOutcome::PermanentFailure)
    );
    // Completion in place of the preliminary reply: RETR lists none.
    let (_, outcomes) = run(Command::Retr, &[226]);
    assert_eq!(
        outcomes[0],
        unexpected(UnexpectedReason::NotListed, ClassOutcome::Success)
    );
    // RFC 2228 adds 534 and 535 to the transfer commands.
    let (_, outcomes) = run(Command::Stor, &[534]);
    assert_eq!(outcomes[0], Outcome::PermanentFailure);
}

#[test]
fn rename_asks_for_rnto() {
    let (exchange, outcomes) = run(Command::Rnfr, &[350]);
    assert_eq!(outcomes, [Outcome::SendNext(&[Command::Rnto])]);
    assert!(exchange.is_finished());
    let (_, outcomes) = run(Command::Rnto, &[250]);
    assert_eq!(outcomes, [Outcome::Success]);
    let (_, outcomes) = run(Command::Rnto, &[503]);
    assert_eq!(outcomes, [Outcome::PermanentFailure]);
}

#[test]
fn login_sequence() {
    assert_eq!(
        run(Command::User, &[331]).1,
        [Outcome::SendNext(&[Command::Pass])]
    );
    assert_eq!(
        run(Command::User, &[332]).1,
        [Outcome::SendNext(&[Command::Acct])]
    );
    assert_eq!(run(Command::User, &[230]).1, [Outcome::Success]);
    assert_eq!(run(Command::User, &[530]).1, [Outcome::PermanentFailure]);
    assert_eq!(
        run(Command::Pass, &[332]).1,
        [Outcome::SendNext(&[Command::Acct])]
    );
    assert_eq!(run(Command::Pass, &[202]).1, [Outcome::Success]);
    assert_eq!(run(Command::Acct, &[230]).1, [Outcome::Success]);
    // RFC 2228 adds 232 and 336 to USER.
    assert_eq!(run(Command::User, &[232]).1, [Outcome::Success]);
    assert_eq!(
        run(Command::User, &[336]).1,
        [Outcome::SendNext(&[Command::Pass])]
    );
    // PASS does not get 331.
    assert_eq!(
        run(Command::Pass, &[331]).1,
        [unexpected(
            UnexpectedReason::NotListed,
            ClassOutcome::Intermediate
        )]
    );
}

#[test]
fn restart_asks_for_a_transfer() {
    let (_, outcomes) = run(Command::Rest, &[350]);
    assert_eq!(
        outcomes,
        [Outcome::SendNext(&[
            Command::Retr,
            Command::Stor,
            Command::Appe
        ])]
    );
    assert_eq!(outcomes[0].name(), "send-next");
    assert_eq!(outcomes[0].class_outcome(), ClassOutcome::Intermediate);
    // REST has no positive completion in RFC 959.
    assert_eq!(
        run(Command::Rest, &[200]).1,
        [unexpected(
            UnexpectedReason::NotListed,
            ClassOutcome::Success
        )]
    );
}

#[test]
fn security_exchange() {
    assert_eq!(
        run(Command::Auth, &[334]).1,
        [Outcome::SendNext(&[Command::Adat])]
    );
    assert_eq!(run(Command::Auth, &[234]).1, [Outcome::Success]);
    assert_eq!(run(Command::Auth, &[431]).1, [Outcome::TransientFailure]);
    assert_eq!(
        run(Command::Adat, &[335]).1,
        [Outcome::SendNext(&[Command::Adat])]
    );
    assert_eq!(run(Command::Adat, &[235]).1, [Outcome::Success]);
    assert_eq!(run(Command::Prot, &[536]).1, [Outcome::PermanentFailure]);
    assert_eq!(run(Command::Ccc, &[200]).1, [Outcome::Success]);
}

#[test]
fn reply_after_the_end_is_unexpected() {
    let (exchange, outcomes) = run(Command::Noop, &[200, 200, 150, 421]);
    assert_eq!(
        outcomes,
        [
            Outcome::Success,
            unexpected(UnexpectedReason::AfterEnd, ClassOutcome::Success),
            unexpected(UnexpectedReason::AfterEnd, ClassOutcome::Pending),
            unexpected(UnexpectedReason::AfterEnd, ClassOutcome::TransientFailure),
        ]
    );
    assert!(exchange.is_finished());
    // The server is closing the connection all the same.
    assert!(exchange.closes_control_connection());
}

#[test]
fn service_not_available_answers_any_command() {
    for &command in Command::ALL {
        let (exchange, outcomes) = run(command, &[421]);
        assert_eq!(outcomes, [Outcome::TransientFailure], "{command}");
        assert!(exchange.is_finished() && exchange.closes_control_connection());

        let (exchange, outcomes) = run(command, &[150, 421]);
        assert_eq!(
            outcomes[1],
            Outcome::TransientFailure,
            "{command} after 150"
        );
        assert!(exchange.is_finished() && exchange.closes_control_connection());
    }
    for mut exchange in [
        Exchange::greeting(),
        Exchange::new(Command::parse(b"XCRC f").unwrap().verb),
        Exchange::protected(Command::Enc, Command::Retr).unwrap(),
    ] {
        assert_eq!(exchange.feed_code(code(421)), Outcome::TransientFailure);
        assert!(exchange.closes_control_connection());
    }
}

#[test]
fn pwd_gets_257() {
    assert_eq!(run(Command::Pwd, &[257]).1, [Outcome::Success]);
    assert_eq!(run(Command::Pwd, &[550]).1, [Outcome::PermanentFailure]);
    assert_eq!(run(Command::Mkd, &[257]).1, [Outcome::Success]);
    // RFC 959 does not list 450 or 530 for PWD.
    let (exchange, outcomes) = run(Command::Pwd, &[450]);
    assert_eq!(
        outcomes,
        [unexpected(
            UnexpectedReason::NotListed,
            ClassOutcome::TransientFailure
        )]
    );
    assert!(exchange.is_finished());
    // CWD answers 250, not 257.
    assert_eq!(
        run(Command::Cwd, &[257]).1,
        [unexpected(
            UnexpectedReason::NotListed,
            ClassOutcome::Success
        )]
    );
}

#[test]
fn unlisted_preliminary_still_waits_for_the_final_reply() {
    let (exchange, outcomes) = run(Command::Cwd, &[150, 250]);
    assert_eq!(
        outcomes,
        [
            unexpected(UnexpectedReason::NotListed, ClassOutcome::Pending),
            unexpected(UnexpectedReason::NotListed, ClassOutcome::Success),
        ]
    );
    assert!(exchange.is_finished());
}

#[test]
fn quit_closes() {
    let (exchange, outcomes) = run(Command::Quit, &[221]);
    assert_eq!(outcomes, [Outcome::Success]);
    assert!(exchange.closes_control_connection());
}

#[test]
fn reinitialize_and_host_may_be_delayed() {
    for command in [Command::Rein, Command::Host] {
        assert_eq!(
            run(command, &[120, 220]).1,
            [Outcome::Pending, Outcome::Success]
        );
        assert_eq!(run(command, &[220]).1, [Outcome::Success]);
    }
}

#[test]
fn unknown_verbs_are_classified_by_first_digit() {
    let verb = Command::parse(b"XCRC file\r\n").unwrap().verb;
    let cases: &[(&[u16], &[Outcome])] = &[
        (&[213], &[Outcome::Success]),
        (&[350], &[Outcome::SendNext(&[])]),
        (&[450], &[Outcome::TransientFailure]),
        (&[504], &[Outcome::PermanentFailure]),
        (
            &[150, 110, 226],
            &[Outcome::Pending, Outcome::Pending, Outcome::Success],
        ),
        // Not listed is never said of them; breaking the sequence still is.
        (
            &[150, 125],
            &[
                Outcome::Pending,
                Outcome::Unexpected {
                    reason: UnexpectedReason::SecondPreliminary,
                    by_class: ClassOutcome::Pending,
                },
            ],
        ),
        (
            &[200, 200],
            &[
                Outcome::Success,
                Outcome::Unexpected {
                    reason: UnexpectedReason::AfterEnd,
                    by_class: ClassOutcome::Success,
                },
            ],
        ),
    ];
    for (codes, expected) in cases {
        assert_eq!(run(verb, codes).1, *expected, "{codes:?}");
    }
}

#[test]
fn greeting() {
    let mut greeting = Exchange::greeting();
    assert_eq!(greeting.command(), None);
    assert_eq!(greeting.feed_code(code(120)), Outcome::Pending);
    assert_eq!(greeting.feed_code(code(220)), Outcome::Success);
    assert!(greeting.is_finished());

    assert_eq!(Exchange::greeting().feed_code(code(220)), Outcome::Success);
    assert_eq!(
        Exchange::greeting().feed_code(code(230)),
        unexpected(UnexpectedReason::NotListed, ClassOutcome::Success)
    );
    let mut greeting = Exchange::greeting();
    greeting.feed_code(code(120));
    assert_eq!(
        greeting.feed_code(code(120)),
        unexpected(UnexpectedReason::SecondPreliminary, ClassOutcome::Pending)
    );
}

#[test]
fn protected_replies_are_judged_by_the_reply_inside() {
    let mut retr = Exchange::new(Command::Retr);
    // The 63z reply itself changes nothing: the caller decodes it.
    assert_eq!(retr.feed_code(code(632)), Outcome::Protected);
    assert_eq!(retr.state(), ExchangeState::AwaitingReply);
    assert_eq!(retr.feed_protected_code(code(150)), Outcome::Pending);
    assert_eq!(retr.feed_code(code(632)), Outcome::Protected);
    assert_eq!(retr.feed_protected_code(code(226)), Outcome::Success);

    let mut cwd = Exchange::new(Command::Cwd);
    assert_eq!(
        cwd.feed_protected_code(code(631)),
        unexpected(UnexpectedReason::NestedProtection, ClassOutcome::Protected)
    );
    assert_eq!(cwd.state(), ExchangeState::AwaitingReply);
    assert_eq!(
        cwd.feed_protected_code(code(550)),
        Outcome::PermanentFailure
    );
}

#[test]
fn protection_envelopes() {
    assert!(Exchange::protected(Command::Retr, Command::Retr).is_none());

    // The envelope's own failures come unprotected.
    let mut enc = Exchange::protected(Command::Enc, Command::Retr).unwrap();
    assert_eq!(enc.envelope(), Some(Command::Enc));
    assert_eq!(enc.command(), Some(Command::Retr));
    assert_eq!(enc.feed_code(code(535)), Outcome::PermanentFailure);

    // Replies to the command inside come protected and are judged against it.
    let mut mic = Exchange::protected(Command::Mic, Command::Retr).unwrap();
    assert_eq!(mic.feed_code(code(631)), Outcome::Protected);
    assert_eq!(mic.feed_protected_code(code(150)), Outcome::Pending);
    assert_eq!(mic.feed_protected_code(code(226)), Outcome::Success);

    let mut conf = Exchange::protected(Command::Conf, Command::Retr).unwrap();
    assert_eq!(
        conf.feed_code(code(150)),
        unexpected(UnexpectedReason::NotListed, ClassOutcome::Pending)
    );
    let mut conf = Exchange::protected(Command::Conf, Command::Pwd).unwrap();
    assert_eq!(
        conf.feed_protected_code(code(250)),
        unexpected(UnexpectedReason::NotListed, ClassOutcome::Success)
    );

    // A bare envelope does not know the command inside: first digit only.
    let mut bare = Exchange::new(Command::Mic);
    assert_eq!(bare.feed_code(code(633)), Outcome::Protected);
    assert_eq!(bare.feed_protected_code(code(250)), Outcome::Success);
    assert_eq!(
        Exchange::new(Command::Mic).feed_code(code(533)),
        Outcome::PermanentFailure
    );
    assert_eq!(
        Exchange::new(Command::Mic).feed_code(code(250)),
        unexpected(UnexpectedReason::NotListed, ClassOutcome::Success)
    );
}

#[test]
fn feeding_replies() {
    let reply = Reply::new(
        ReplyCode::FILE_STATUS_OK,
        &["Opening BINARY mode data connection"],
    )
    .unwrap();
    let done = Reply::new(ReplyCode::CLOSING_DATA_CONNECTION, &["Transfer complete"]).unwrap();
    let mut retr = Exchange::new(Command::Retr);
    assert_eq!(retr.feed(&reply), Outcome::Pending);
    assert_eq!(retr.feed(&done), Outcome::Success);

    let mut stor = Exchange::new(Command::Stor);
    assert_eq!(stor.feed(&reply), Outcome::Pending);
    assert_eq!(stor.feed_protected(&done), Outcome::Success);
}

#[test]
fn names_are_stable() {
    let outcomes = [
        (Outcome::Pending, "pending"),
        (Outcome::SendNext(&[Command::Pass]), "send-next"),
        (Outcome::Success, "success"),
        (Outcome::TransientFailure, "transient-failure"),
        (Outcome::PermanentFailure, "permanent-failure"),
        (Outcome::Protected, "protected"),
        (
            unexpected(UnexpectedReason::NotListed, ClassOutcome::Success),
            "unexpected",
        ),
    ];
    for (outcome, name) in outcomes {
        assert_eq!(outcome.name(), name);
        assert_eq!(outcome.to_string(), name);
    }
    let reasons = [
        (UnexpectedReason::NotListed, "not-listed"),
        (UnexpectedReason::SecondPreliminary, "second-preliminary"),
        (UnexpectedReason::AfterEnd, "after-end"),
        (UnexpectedReason::NestedProtection, "nested-protection"),
    ];
    for (reason, name) in reasons {
        assert_eq!(reason.name(), name);
    }
    let classes = [
        (100, "pending"),
        (200, "success"),
        (300, "intermediate"),
        (400, "transient-failure"),
        (500, "permanent-failure"),
        (600, "protected"),
    ];
    for (n, name) in classes {
        assert_eq!(ClassOutcome::of(code(n)).name(), name);
    }
    let states = [
        (ExchangeState::AwaitingReply, "awaiting-reply"),
        (ExchangeState::AwaitingFinalReply, "awaiting-final-reply"),
        (ExchangeState::Finished, "finished"),
    ];
    for (state, name) in states {
        assert_eq!(state.name(), name);
    }
}

/// Every kind of exchange: each known command, an unknown verb, the greeting,
/// and a command inside each protection envelope.
fn any_exchange() -> impl Strategy<Value = Exchange> {
    let known = proptest::sample::select(Command::ALL).prop_map(Exchange::new);
    let other = Just(Exchange::new(Command::parse(b"XMD5").unwrap().verb));
    let envelope = proptest::sample::select(vec![Command::Mic, Command::Conf, Command::Enc]);
    let inner = proptest::sample::select(Command::ALL);
    let wrapped = (envelope, inner).prop_map(|(e, i)| Exchange::protected(e, i).unwrap());
    prop_oneof![known, other, Just(Exchange::greeting()), wrapped]
}

/// Codes weighted towards the ones the tables use, with any valid code besides.
fn any_code() -> impl Strategy<Value = ReplyCode> {
    let listed = proptest::sample::select(vec![
        110, 120, 125, 150, 200, 202, 211, 220, 221, 226, 227, 230, 250, 257, 331, 332, 334, 350,
        421, 425, 426, 450, 451, 500, 501, 502, 503, 530, 534, 535, 550, 631, 632, 633,
    ]);
    prop_oneof![listed, 100u16..=699].prop_map(|n| ReplyCode::new(n).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// Any sequence of replies, protected or not, gives an outcome for each and
    /// never panics; the outcome's meaning by first digit is the code's; once
    /// the exchange has ended it stays ended and every further reply is
    /// unexpected.
    #[test]
    fn any_reply_sequence(
        start in any_exchange(),
        replies in proptest::collection::vec((any_code(), any::<bool>()), 0..12),
    ) {
        let mut exchange = start.clone();
        let mut finished = false;
        for (code, protected) in replies {
            let before = exchange.state();
            let outcome = if protected {
                exchange.feed_protected_code(code)
            } else {
                exchange.feed_code(code)
            };
            prop_assert_eq!(outcome.class_outcome(), ClassOutcome::of(code));
            if finished {
                prop_assert_eq!(
                    outcome,
                    Outcome::Unexpected {
                        reason: UnexpectedReason::AfterEnd,
                        by_class: ClassOutcome::of(code),
                    }
                );
                prop_assert!(exchange.is_finished());
            }
            match outcome {
                Outcome::Success
                | Outcome::SendNext(_)
                | Outcome::TransientFailure
                | Outcome::PermanentFailure => prop_assert!(exchange.is_finished()),
                Outcome::Pending => {
                    prop_assert_eq!(exchange.state(), ExchangeState::AwaitingFinalReply);
                }
                Outcome::Protected => {
                    prop_assert!(code.is_protected() && !protected);
                    prop_assert_eq!(exchange.state(), before);
                }
                _ => {}
            }
            if code.as_u16() == 421 || code.as_u16() == 221 {
                prop_assert!(exchange.closes_control_connection());
            }
            if code.as_u16() == 421 && !finished && !protected {
                prop_assert_eq!(outcome, Outcome::TransientFailure);
            }
            if let Some(Command::Other(_)) = start.command() {
                let not_listed = matches!(
                    outcome,
                    Outcome::Unexpected { reason: UnexpectedReason::NotListed, .. }
                );
                prop_assert!(!not_listed, "{:?} flagged not-listed for an unknown verb", code);
            }
            finished = exchange.is_finished();
        }
    }
}

/// Judging agrees, for every command and every code, with the lists the command
/// publishes (`expected` and `additions`): a reply is unexpected exactly when no
/// list names it (421 aside), first and after a preliminary reply. Pins the
/// compiled table each command's judgement is read from.
#[test]
fn judging_agrees_with_the_published_lists() {
    for &command in Command::ALL {
        let lists = || command.expected().into_iter().chain(command.additions());
        for n in 100..=599 {
            let first = lists().any(|e| e.lists_first(n));
            let outcome = Exchange::new(command).feed_code(code(n));
            assert_eq!(
                outcome.is_unexpected(),
                !first && n != 421,
                "{command} {n} first"
            );
            let Some(&preliminary) = lists().find_map(|e| e.preliminary.first()) else {
                continue;
            };
            if n < 200 {
                continue;
            }
            let after = lists().any(|e| e.after_preliminary.contains(&n));
            let (_, outcomes) = run(command, &[preliminary, n]);
            assert_eq!(
                outcomes[1].is_unexpected(),
                !after && n != 421,
                "{command} {n} after {preliminary}"
            );
        }
    }
}
