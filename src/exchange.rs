//! What the replies to one command mean for it: the command-reply sequences of
//! RFC 959 §5.4 (and the later documents) as a state machine.

use core::fmt;

use crate::code::{Class, ReplyCode};
use crate::command::{Command, Expected, Rules};
use crate::reply::Reply;

/// What one reply means for the command it answers; see [`Exchange::feed`].
///
/// Every reply gets an outcome: a reply the documents do not list for the command
/// at that point is never silently accepted, but reported as
/// [`Unexpected`](Outcome::Unexpected) together with what its first digit alone
/// would mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// A positive preliminary reply (or a `110` restart marker during a transfer):
    /// another reply to the same command follows.
    Pending,
    /// A positive intermediate reply: send one of these commands to continue the
    /// sequence (e.g. `PASS` after `331`, `RNTO` after `350` to `RNFR`). Empty when
    /// the command has no reply table ([`Command::Other`]), as the next command is
    /// then not known.
    SendNext(&'static [Command]),
    /// A positive completion reply: the command succeeded.
    Success,
    /// A transient negative reply (`4yz`): the command failed; the same command may
    /// succeed later. `421` also closes the control connection.
    TransientFailure,
    /// A permanent negative reply (`5yz`): the command failed and will fail again.
    PermanentFailure,
    /// A protected reply (`631`, `632`, `633`; RFC 2228): decode its payload and
    /// give the reply inside to [`Exchange::feed_protected`]. Nothing changed.
    Protected,
    /// A reply the documents do not list here. The exchange moved on as the
    /// reply's first digit implies (`by_class`).
    Unexpected {
        /// Why the reply was not expected.
        reason: UnexpectedReason,
        /// What the first digit alone would mean.
        by_class: ClassOutcome,
    },
}

impl Outcome {
    /// A stable kebab-case name, as used in the tool's JSON output: `pending`,
    /// `send-next`, `success`, `transient-failure`, `permanent-failure`,
    /// `protected`, `unexpected`.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::SendNext(_) => "send-next",
            Outcome::Success => "success",
            Outcome::TransientFailure => "transient-failure",
            Outcome::PermanentFailure => "permanent-failure",
            Outcome::Protected => "protected",
            Outcome::Unexpected { .. } => "unexpected",
        }
    }

    /// Whether the reply was not one the documents list at this point.
    #[must_use]
    pub const fn is_unexpected(&self) -> bool {
        matches!(self, Outcome::Unexpected { .. })
    }

    /// What the reply means by its first digit: for an expected reply the same as
    /// the outcome, for an unexpected one its `by_class`.
    #[must_use]
    pub const fn class_outcome(&self) -> ClassOutcome {
        match self {
            Outcome::Pending => ClassOutcome::Pending,
            Outcome::SendNext(_) => ClassOutcome::Intermediate,
            Outcome::Success => ClassOutcome::Success,
            Outcome::TransientFailure => ClassOutcome::TransientFailure,
            Outcome::PermanentFailure => ClassOutcome::PermanentFailure,
            Outcome::Protected => ClassOutcome::Protected,
            Outcome::Unexpected { by_class, .. } => *by_class,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a reply means by its first digit alone (RFC 959 §4.2.1; RFC 2228 for `6`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClassOutcome {
    /// `1yz`: another reply follows.
    Pending,
    /// `3yz`: the next command of the sequence is needed.
    Intermediate,
    /// `2yz`: the command succeeded.
    Success,
    /// `4yz`: the command failed; it may succeed later.
    TransientFailure,
    /// `5yz`: the command failed and will fail again.
    PermanentFailure,
    /// `6yz`: a protected reply, whose meaning is in its payload.
    Protected,
}

impl ClassOutcome {
    /// The meaning of `code`'s first digit.
    #[must_use]
    pub const fn of(code: ReplyCode) -> ClassOutcome {
        match code.class() {
            Class::PositivePreliminary => ClassOutcome::Pending,
            Class::PositiveCompletion => ClassOutcome::Success,
            Class::PositiveIntermediate => ClassOutcome::Intermediate,
            Class::TransientNegative => ClassOutcome::TransientFailure,
            Class::PermanentNegative => ClassOutcome::PermanentFailure,
            Class::Protected => ClassOutcome::Protected,
        }
    }

    /// A stable kebab-case name: `pending`, `intermediate`, `success`,
    /// `transient-failure`, `permanent-failure`, `protected`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            ClassOutcome::Pending => "pending",
            ClassOutcome::Intermediate => "intermediate",
            ClassOutcome::Success => "success",
            ClassOutcome::TransientFailure => "transient-failure",
            ClassOutcome::PermanentFailure => "permanent-failure",
            ClassOutcome::Protected => "protected",
        }
    }
}

impl fmt::Display for ClassOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a reply was [unexpected](Outcome::Unexpected).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UnexpectedReason {
    /// The documents do not list this reply for this command at this point.
    NotListed,
    /// A second positive preliminary reply ("at most, one 100 series reply is
    /// allowed per command", RFC 959 §6), other than a `110` restart marker
    /// during a transfer that may have them.
    SecondPreliminary,
    /// A reply after the exchange had ended.
    AfterEnd,
    /// A protected reply inside a protected reply.
    NestedProtection,
}

impl UnexpectedReason {
    /// A stable kebab-case name: `not-listed`, `second-preliminary`, `after-end`,
    /// `nested-protection`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            UnexpectedReason::NotListed => "not-listed",
            UnexpectedReason::SecondPreliminary => "second-preliminary",
            UnexpectedReason::AfterEnd => "after-end",
            UnexpectedReason::NestedProtection => "nested-protection",
        }
    }
}

impl fmt::Display for UnexpectedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where an [`Exchange`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExchangeState {
    /// No reply yet.
    AwaitingReply,
    /// A positive preliminary reply came; the reply that ends the exchange has not.
    AwaitingFinalReply,
    /// The exchange ended; any further reply is unexpected.
    Finished,
}

impl ExchangeState {
    /// A stable kebab-case name: `awaiting-reply`, `awaiting-final-reply`,
    /// `finished`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            ExchangeState::AwaitingReply => "awaiting-reply",
            ExchangeState::AwaitingFinalReply => "awaiting-final-reply",
            ExchangeState::Finished => "finished",
        }
    }
}

impl fmt::Display for ExchangeState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The replies to one command, judged against the replies the documents list for
/// it ([`Command::expected`] and [`Command::additions`]).
///
/// Feed each reply to the command; each gives an [`Outcome`]. A command has one
/// reply, or a preliminary reply and then one more (with `110` restart markers
/// between, for the transfers RFC 959 allows them in). `421` may answer any
/// command, at any point, and closes the control connection.
///
/// [`Command::Other`] verbs have no table: their replies are classified by first
/// digit and not flagged as unexpected. A second preliminary reply and replies
/// after the end are flagged for them too, as these break the sequence itself.
///
/// ```
/// use ftp_reply::{Command, Exchange, ExchangeState, Outcome, ReplyCode};
/// let code = |n| ReplyCode::new(n).unwrap();
///
/// let mut retr = Exchange::new(Command::Retr);
/// assert_eq!(retr.feed_code(code(150)), Outcome::Pending);
/// assert_eq!(retr.feed_code(code(110)), Outcome::Pending); // restart marker
/// assert_eq!(retr.feed_code(code(226)), Outcome::Success);
/// assert_eq!(retr.state(), ExchangeState::Finished);
///
/// let mut user = Exchange::new(Command::User);
/// assert_eq!(user.feed_code(code(331)), Outcome::SendNext(&[Command::Pass]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// `None` for the connection greeting.
    command: Option<Command>,
    /// `MIC`, `CONF` or `ENC` carrying `command`.
    envelope: Option<Command>,
    state: ExchangeState,
    closing: bool,
}

/// The replies a reply is judged against.
#[derive(Clone, Copy)]
enum Tables {
    /// A document's list and the later additions (or the greeting's list).
    Listed(&'static Rules),
    /// Only the failures of a protection envelope (an unprotected reply to a
    /// protected command).
    Envelope(&'static Expected),
    /// No table: every reply is classified by its first digit.
    ByClass,
}

impl Tables {
    fn restart_marker(self) -> bool {
        match self {
            Tables::Listed(rules) => rules.restart_marker,
            Tables::Envelope(_) => false,
            Tables::ByClass => true,
        }
    }

    /// A command's own tables: its rules, or none for [`Command::Other`].
    #[inline(always)]
    fn of(command: Command) -> Tables {
        match command.rules() {
            Some(rules) => Tables::Listed(rules),
            None => Tables::ByClass,
        }
    }

    #[inline(always)]
    fn lists(self, code: u16, after_preliminary: bool) -> bool {
        match self {
            Tables::Listed(rules) if after_preliminary => rules.after.contains(code),
            Tables::Listed(rules) => rules.first.contains(code),
            Tables::Envelope(envelope) => envelope.failure.contains(&code),
            Tables::ByClass => true,
        }
    }

    fn next_commands(self, code: u16) -> &'static [Command] {
        match self {
            Tables::Listed(rules) => rules.next_commands(code),
            Tables::Envelope(envelope) => envelope.next_commands(code).unwrap_or_default(),
            Tables::ByClass => &[],
        }
    }
}

/// What a reply does, before it is turned into an [`Outcome`].
enum Verdict {
    Preliminary,
    RestartMarker,
    SecondPreliminary,
    NotListed,
    Final(Outcome),
}

impl Exchange {
    /// The exchange for `command`, before any reply.
    #[must_use]
    pub const fn new(command: Command) -> Exchange {
        Exchange {
            command: Some(command),
            envelope: None,
            state: ExchangeState::AwaitingReply,
            closing: false,
        }
    }

    /// The exchange for `command` in `state`: what a session keeps of each
    /// command is its state alone.
    pub(crate) const fn resume(command: Command, state: ExchangeState) -> Exchange {
        Exchange {
            command: Some(command),
            envelope: None,
            state,
            closing: false,
        }
    }

    /// The connection greeting as an exchange (RFC 959 §5.4, "Connection
    /// Establishment"): `120` then `220`, `220`, or `421`.
    #[must_use]
    pub const fn greeting() -> Exchange {
        Exchange {
            command: None,
            envelope: None,
            state: ExchangeState::AwaitingReply,
            closing: false,
        }
    }

    /// The exchange for `inner` sent inside the protection envelope `envelope`
    /// (`MIC`, `CONF` or `ENC`; RFC 2228), or `None` if `envelope` is not one.
    ///
    /// Protected replies ([`feed_protected`](Self::feed_protected)) are judged
    /// against `inner`'s replies; unprotected ones ([`feed`](Self::feed)) against
    /// the envelope's own failures (`533`, `535`, `500`, `501`, `421`).
    ///
    /// A plain [`Exchange::new`] for `MIC`, `CONF` or `ENC` does not know the
    /// command inside, so it classifies protected replies by first digit.
    #[must_use]
    pub const fn protected(envelope: Command, inner: Command) -> Option<Exchange> {
        if !envelope.is_protection_envelope() {
            return None;
        }
        Some(Exchange {
            command: Some(inner),
            envelope: Some(envelope),
            state: ExchangeState::AwaitingReply,
            closing: false,
        })
    }

    /// The command, or `None` for the connection greeting.
    #[must_use]
    pub const fn command(&self) -> Option<Command> {
        self.command
    }

    /// The protection envelope, for an exchange made by [`protected`](Self::protected).
    #[must_use]
    pub const fn envelope(&self) -> Option<Command> {
        self.envelope
    }

    /// Where the exchange is.
    #[must_use]
    pub const fn state(&self) -> ExchangeState {
        self.state
    }

    /// Whether the exchange has ended (any further reply is unexpected).
    #[must_use]
    pub const fn is_finished(&self) -> bool {
        matches!(self.state, ExchangeState::Finished)
    }

    /// Whether a `421` or `221` reply came: the server is closing the control
    /// connection.
    #[must_use]
    pub const fn closes_control_connection(&self) -> bool {
        self.closing
    }

    /// What `reply` means for the command; see [`feed_code`](Self::feed_code).
    #[inline]
    pub fn feed(&mut self, reply: &Reply) -> Outcome {
        self.feed_code(reply.code())
    }

    /// What a reply with `code` means for the command, and moves the exchange on.
    ///
    /// A protected reply (`6yz`) gives [`Outcome::Protected`] and changes nothing:
    /// decode its payload and give the reply inside to
    /// [`feed_protected`](Self::feed_protected).
    #[inline]
    pub fn feed_code(&mut self, code: ReplyCode) -> Outcome {
        self.step(code, false)
    }

    /// What `inner`, the reply decoded from a protected (`63z`) reply, means for
    /// the command; see [`feed_protected_code`](Self::feed_protected_code).
    pub fn feed_protected(&mut self, inner: &Reply) -> Outcome {
        self.feed_protected_code(inner.code())
    }

    /// What the reply with `code` decoded from a protected (`63z`) reply means for
    /// the command: judged as if it had come unprotected. A protected reply inside
    /// is [unexpected](UnexpectedReason::NestedProtection).
    pub fn feed_protected_code(&mut self, code: ReplyCode) -> Outcome {
        self.step(code, true)
    }

    #[inline(always)]
    fn tables(&self, protected: bool) -> Tables {
        match (self.command, self.envelope) {
            // A command on its own, the common case: one table lookup.
            (Some(command), None) if !protected => Tables::of(command),
            _ => self.other_tables(protected),
        }
    }

    /// [`tables`](Self::tables) of the greeting, a protected exchange, or a
    /// protected reply.
    #[inline(never)]
    fn other_tables(&self, protected: bool) -> Tables {
        let Some(command) = self.command else {
            return Tables::Listed(&Rules::GREETING);
        };
        match (self.envelope.and_then(|e| e.expected()), protected) {
            (Some(envelope), false) => return Tables::Envelope(envelope),
            (Some(_), true) => {}
            // The command inside a bare MIC, CONF or ENC is not known.
            (None, true) if command.is_protection_envelope() => return Tables::ByClass,
            (None, _) => {}
        }
        Tables::of(command)
    }

    #[inline(always)]
    fn step(&mut self, code: ReplyCode, protected: bool) -> Outcome {
        let by_class = ClassOutcome::of(code);
        if code.closes_control_connection() {
            self.closing = true;
        }
        let reason = match self.state {
            ExchangeState::Finished => Some(UnexpectedReason::AfterEnd),
            _ if code.is_protected() && protected => Some(UnexpectedReason::NestedProtection),
            _ => None,
        };
        if let Some(reason) = reason {
            return Outcome::Unexpected { reason, by_class };
        }
        if code.is_protected() {
            return Outcome::Protected;
        }
        match self.judge(code, by_class, self.tables(protected)) {
            Verdict::Preliminary => {
                self.state = ExchangeState::AwaitingFinalReply;
                Outcome::Pending
            }
            Verdict::RestartMarker => Outcome::Pending,
            Verdict::SecondPreliminary => Outcome::Unexpected {
                reason: UnexpectedReason::SecondPreliminary,
                by_class,
            },
            Verdict::NotListed => {
                self.state = if code.is_preliminary() {
                    ExchangeState::AwaitingFinalReply
                } else {
                    ExchangeState::Finished
                };
                Outcome::Unexpected {
                    reason: UnexpectedReason::NotListed,
                    by_class,
                }
            }
            Verdict::Final(outcome) => {
                self.state = ExchangeState::Finished;
                outcome
            }
        }
    }

    #[inline(always)]
    fn judge(&self, code: ReplyCode, by_class: ClassOutcome, tables: Tables) -> Verdict {
        let n = code.as_u16();
        let after_preliminary = self.state == ExchangeState::AwaitingFinalReply;
        if after_preliminary && code.is_preliminary() {
            return if n == 110 && tables.restart_marker() {
                Verdict::RestartMarker
            } else {
                Verdict::SecondPreliminary
            };
        }
        // "421 Service not available, closing control connection. This may be a
        // reply to any command if the service knows it must shut down." (§4.2.2)
        if n != 421 && !tables.lists(n, after_preliminary) {
            return Verdict::NotListed;
        }
        match by_class {
            ClassOutcome::Pending => Verdict::Preliminary,
            ClassOutcome::Success => Verdict::Final(Outcome::Success),
            ClassOutcome::Intermediate => {
                Verdict::Final(Outcome::SendNext(tables.next_commands(n)))
            }
            ClassOutcome::TransientFailure => Verdict::Final(Outcome::TransientFailure),
            ClassOutcome::PermanentFailure => Verdict::Final(Outcome::PermanentFailure),
            // Protected replies are handled before judging.
            ClassOutcome::Protected => Verdict::NotListed,
        }
    }
}
