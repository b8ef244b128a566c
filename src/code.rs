//! Reply codes and their classification by digit (RFC 959 §4.2.1, RFC 2228 §3).

use core::fmt;

/// A validated FTP reply code: three ASCII digits, the first one `1`–`6`.
///
/// RFC 959 §4.2 defines the first digits 1–5; RFC 2228 adds 6 for protected
/// replies (631, 632, 633). Every well-formed code is kept, including ones no
/// RFC defines (such as `299`): nothing is collapsed into an "unknown" value.
///
/// ```
/// use ftp_reply::{Class, Group, ReplyCode};
/// let code = ReplyCode::new(550).unwrap();
/// assert_eq!(code, ReplyCode::FILE_UNAVAILABLE);
/// assert_eq!(code.class(), Class::PermanentNegative);
/// assert_eq!(code.group(), Group::FileSystem);
/// assert_eq!(code.detail(), 0);
/// assert!(ReplyCode::new(700).is_none());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReplyCode(u16);

macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident = $value:literal;)*) => {
        impl ReplyCode {
            $($(#[$doc])* pub const $name: ReplyCode = ReplyCode($value);)*

            /// Every named constant, in ascending order, with its name.
            pub const NAMED: &'static [(&'static str, ReplyCode)] = &[$((stringify!($name), ReplyCode($value)),)*];
        }
    };
}

codes! {
    /// 100: the requested action is being initiated (listed as a code by two of the documents; RFC 959 only uses `1yz` as a series).
    SERIES_PRELIMINARY = 100;
    /// 110: restart marker reply (`MARK yyyy = mmmm`).
    RESTART_MARKER = 110;
    /// 120: service ready in nnn minutes.
    SERVICE_READY_IN = 120;
    /// 125: data connection already open; transfer starting.
    DATA_CONNECTION_ALREADY_OPEN = 125;
    /// 150: file status okay; about to open data connection.
    FILE_STATUS_OK = 150;
    /// 200: command okay.
    COMMAND_OK = 200;
    /// 202: command not implemented, superfluous at this site.
    COMMAND_SUPERFLUOUS = 202;
    /// 211: system status, or system help reply (also the FEAT reply, RFC 2389).
    SYSTEM_STATUS = 211;
    /// 212: directory status.
    DIRECTORY_STATUS = 212;
    /// 213: file status (also the SIZE and MDTM replies, RFC 3659).
    FILE_STATUS = 213;
    /// 214: help message.
    HELP_MESSAGE = 214;
    /// 215: NAME system type.
    SYSTEM_TYPE = 215;
    /// 220: service ready for new user.
    SERVICE_READY = 220;
    /// 221: service closing control connection.
    CLOSING_CONTROL_CONNECTION = 221;
    /// 225: data connection open; no transfer in progress.
    DATA_CONNECTION_OPEN = 225;
    /// 226: closing data connection; requested file action successful.
    CLOSING_DATA_CONNECTION = 226;
    /// 227: entering passive mode (h1,h2,h3,h4,p1,p2).
    ENTERING_PASSIVE_MODE = 227;
    /// 228: entering long passive mode (RFC 1639).
    ENTERING_LONG_PASSIVE_MODE = 228;
    /// 229: entering extended passive mode (|||port|) (RFC 2428).
    ENTERING_EXTENDED_PASSIVE_MODE = 229;
    /// 230: user logged in, proceed.
    USER_LOGGED_IN = 230;
    /// 231: user logged out; service terminated (listed on the Russian pages; not an RFC 959 reply).
    USER_LOGGED_OUT = 231;
    /// 232: user logged in, authorized by security data exchange (RFC 2228); the Russian
    /// lists give it another meaning, "logout command noted", kept as an alternate.
    LOGGED_IN_AUTHORIZED = 232;
    /// 234: security data exchange complete (AUTH accepted, RFC 2228).
    SECURITY_EXCHANGE_COMPLETE = 234;
    /// 235: security data exchange completed successfully (RFC 2228).
    SECURITY_EXCHANGE_SUCCESSFUL = 235;
    /// 250: requested file action okay, completed.
    FILE_ACTION_OK = 250;
    /// 257: "PATHNAME" created.
    PATHNAME_CREATED = 257;
    /// 300: the command has been accepted, pending further information (series; listed by the documents).
    SERIES_INTERMEDIATE = 300;
    /// 331: user name okay, need password.
    NEED_PASSWORD = 331;
    /// 332: need account for login.
    NEED_ACCOUNT = 332;
    /// 334: requested security mechanism is ok (RFC 2228).
    SECURITY_MECHANISM_OK = 334;
    /// 335: security data is acceptable; more is required (RFC 2228).
    SECURITY_DATA_MORE_REQUIRED = 335;
    /// 336: username okay, need password; challenge is "…" (RFC 2228 drafts, listed by the documents).
    NEED_PASSWORD_CHALLENGE = 336;
    /// 350: requested file action pending further information.
    FILE_ACTION_PENDING = 350;
    /// 400: the command was not accepted; transient error (series; listed by the documents).
    SERIES_TRANSIENT = 400;
    /// 421: service not available, closing control connection.
    SERVICE_NOT_AVAILABLE = 421;
    /// 425: can't open data connection.
    CANT_OPEN_DATA_CONNECTION = 425;
    /// 426: connection closed; transfer aborted.
    TRANSFER_ABORTED = 426;
    /// 430: invalid username or password.
    INVALID_CREDENTIALS = 430;
    /// 431: need some unavailable resource to process security (RFC 2228).
    SECURITY_RESOURCE_UNAVAILABLE = 431;
    /// 434: requested host unavailable (RFC 7151).
    HOST_UNAVAILABLE = 434;
    /// 450: requested file action not taken (file unavailable, e.g. busy).
    FILE_ACTION_NOT_TAKEN = 450;
    /// 451: requested action aborted: local error in processing.
    LOCAL_ERROR = 451;
    /// 452: requested action not taken: insufficient storage space.
    INSUFFICIENT_STORAGE = 452;
    /// 500: syntax error, command unrecognized.
    SYNTAX_ERROR = 500;
    /// 501: syntax error in parameters or arguments.
    SYNTAX_ERROR_IN_ARGUMENTS = 501;
    /// 502: command not implemented.
    COMMAND_NOT_IMPLEMENTED = 502;
    /// 503: bad sequence of commands.
    BAD_SEQUENCE = 503;
    /// 504: command not implemented for that parameter.
    PARAMETER_NOT_IMPLEMENTED = 504;
    /// 530: not logged in.
    NOT_LOGGED_IN = 530;
    /// 532: need account for storing files.
    NEED_ACCOUNT_FOR_STORING = 532;
    /// 533: command protection level denied for policy reasons (RFC 2228).
    PROTECTION_LEVEL_DENIED = 533;
    /// 534: request denied for policy reasons (RFC 2228).
    REQUEST_DENIED_POLICY = 534;
    /// 535: failed security check (RFC 2228).
    FAILED_SECURITY_CHECK = 535;
    /// 536: requested PROT level not supported by mechanism (RFC 2228).
    PROT_LEVEL_NOT_SUPPORTED = 536;
    /// 537: command protection level not supported by security mechanism (RFC 2228).
    COMMAND_PROTECTION_NOT_SUPPORTED = 537;
    /// 550: requested action not taken; file unavailable (not found, no access).
    FILE_UNAVAILABLE = 550;
    /// 551: requested action aborted: page type unknown.
    PAGE_TYPE_UNKNOWN = 551;
    /// 552: requested file action aborted: exceeded storage allocation.
    EXCEEDED_STORAGE = 552;
    /// 553: requested action not taken: file name not allowed.
    FILE_NAME_NOT_ALLOWED = 553;
    /// 600: a protected reply (series; listed by the documents).
    SERIES_PROTECTED = 600;
    /// 631: integrity protected reply (RFC 2228).
    INTEGRITY_PROTECTED = 631;
    /// 632: confidentiality and integrity protected reply (RFC 2228).
    CONFIDENTIALITY_AND_INTEGRITY_PROTECTED = 632;
    /// 633: confidentiality protected reply (RFC 2228).
    CONFIDENTIALITY_PROTECTED = 633;
}

impl ReplyCode {
    /// Validates a reply code: `100..=699`.
    #[must_use]
    pub const fn new(code: u16) -> Option<ReplyCode> {
        if code >= 100 && code <= 699 {
            Some(ReplyCode(code))
        } else {
            None
        }
    }

    /// Builds a code from its three ASCII digits, or `None` if they are not a code.
    #[must_use]
    pub const fn from_digits(d: [u8; 3]) -> Option<ReplyCode> {
        if d[0] < b'1' || d[0] > b'6' || !d[1].is_ascii_digit() || !d[2].is_ascii_digit() {
            return None;
        }
        Some(ReplyCode(
            (d[0] - b'0') as u16 * 100 + (d[1] - b'0') as u16 * 10 + (d[2] - b'0') as u16,
        ))
    }

    /// The numeric value, `100..=699`.
    #[must_use]
    pub const fn as_u16(self) -> u16 {
        self.0
    }

    /// The code as its three ASCII digits, as sent on the wire.
    #[must_use]
    pub const fn digits(self) -> [u8; 3] {
        [
            b'0' + (self.0 / 100) as u8,
            b'0' + (self.0 / 10 % 10) as u8,
            b'0' + (self.0 % 10) as u8,
        ]
    }

    /// The first digit's meaning: how the command went.
    #[must_use]
    pub const fn class(self) -> Class {
        match self.0 / 100 {
            1 => Class::PositivePreliminary,
            2 => Class::PositiveCompletion,
            3 => Class::PositiveIntermediate,
            4 => Class::TransientNegative,
            5 => Class::PermanentNegative,
            _ => Class::Protected,
        }
    }

    /// The second digit's meaning: what the reply is about.
    #[must_use]
    pub const fn group(self) -> Group {
        Group::from_digit((self.0 / 10 % 10) as u8)
    }

    /// The third digit (`0`–`9`): "the third digit specifies the error finally" (the documents),
    /// a finer gradation within the class and group.
    #[must_use]
    pub const fn detail(self) -> u8 {
        (self.0 % 10) as u8
    }

    /// `1yz`: the action is being initiated; expect another reply.
    #[must_use]
    pub const fn is_preliminary(self) -> bool {
        // Codes are 100–699: a comparison, not a division.
        self.0 < 200
    }

    /// `2yz`: the action completed successfully.
    #[must_use]
    pub const fn is_completion(self) -> bool {
        self.0 >= 200 && self.0 < 300
    }

    /// `3yz`: accepted, pending further information (send the next command of the sequence).
    #[must_use]
    pub const fn is_intermediate(self) -> bool {
        self.0 >= 300 && self.0 < 400
    }

    /// `4yz`: not accepted, but the condition is temporary.
    #[must_use]
    pub const fn is_transient_negative(self) -> bool {
        self.0 >= 400 && self.0 < 500
    }

    /// `5yz`: not accepted, and the same request will fail again.
    #[must_use]
    pub const fn is_permanent_negative(self) -> bool {
        self.0 >= 500 && self.0 < 600
    }

    /// `6yz`: a protected reply (RFC 2228) whose meaning is in its decoded payload.
    #[must_use]
    pub const fn is_protected(self) -> bool {
        self.0 >= 600
    }

    /// `1yz`, `2yz` or `3yz`.
    #[must_use]
    pub const fn is_positive(self) -> bool {
        self.0 < 400
    }

    /// `4yz` or `5yz`.
    #[must_use]
    pub const fn is_negative(self) -> bool {
        self.0 >= 400 && self.0 < 600
    }

    /// `4yz`: the same command may succeed if retried later.
    #[must_use]
    pub const fn may_retry(self) -> bool {
        self.is_transient_negative()
    }

    /// `1yz`: another reply to the same command follows.
    #[must_use]
    pub const fn expects_another_reply(self) -> bool {
        self.is_preliminary()
    }

    /// `221` or `421`: the server is closing the control connection.
    #[must_use]
    pub const fn closes_control_connection(self) -> bool {
        self.0 == 221 || self.0 == 421
    }
}

impl fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for ReplyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReplyCode({})", self.0)
    }
}

/// The error of converting a number that is not `100..=699` into a [`ReplyCode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0} is not an FTP reply code (three digits, the first 1-6)")]
pub struct InvalidReplyCode(pub u16);

impl TryFrom<u16> for ReplyCode {
    type Error = InvalidReplyCode;
    fn try_from(value: u16) -> Result<Self, Self::Error> {
        ReplyCode::new(value).ok_or(InvalidReplyCode(value))
    }
}

impl From<ReplyCode> for u16 {
    fn from(code: ReplyCode) -> u16 {
        code.0
    }
}

/// The first digit of a reply code (RFC 959 §4.2.1; RFC 2228 for 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Class {
    /// `1yz` positive preliminary: the action is being initiated; expect another reply.
    PositivePreliminary,
    /// `2yz` positive completion: the action completed; a new request may be sent.
    PositiveCompletion,
    /// `3yz` positive intermediate: accepted, pending further information.
    PositiveIntermediate,
    /// `4yz` transient negative completion: not taken, the condition is temporary.
    TransientNegative,
    /// `5yz` permanent negative completion: not taken, and will not be.
    PermanentNegative,
    /// `6yz` protected reply (RFC 2228).
    Protected,
}

impl Class {
    /// All classes, by digit.
    pub const ALL: [Class; 6] = [
        Class::PositivePreliminary,
        Class::PositiveCompletion,
        Class::PositiveIntermediate,
        Class::TransientNegative,
        Class::PermanentNegative,
        Class::Protected,
    ];

    /// The digit, `1`–`6`.
    #[must_use]
    pub const fn digit(self) -> u8 {
        match self {
            Class::PositivePreliminary => 1,
            Class::PositiveCompletion => 2,
            Class::PositiveIntermediate => 3,
            Class::TransientNegative => 4,
            Class::PermanentNegative => 5,
            Class::Protected => 6,
        }
    }

    /// A stable kebab-case name, as used in the tool's JSON output.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Class::PositivePreliminary => "positive-preliminary",
            Class::PositiveCompletion => "positive-completion",
            Class::PositiveIntermediate => "positive-intermediate",
            Class::TransientNegative => "transient-negative",
            Class::PermanentNegative => "permanent-negative",
            Class::Protected => "protected",
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The second digit of a reply code (RFC 959 §4.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Group {
    /// `x0z` syntax errors, syntactically correct but unimplemented or superfluous commands.
    Syntax,
    /// `x1z` information: replies to requests for status or help.
    Information,
    /// `x2z` connections: the control and data connections.
    Connections,
    /// `x3z` authentication and accounting: login and accounting procedures.
    Authentication,
    /// `x4z` unspecified as yet.
    Unspecified,
    /// `x5z` file system: the state of the server's file system.
    FileSystem,
    /// `x6z`–`x9z`: a second digit RFC 959 does not define (kept, not rejected).
    Unknown(u8),
}

impl Group {
    /// The group of a second digit (`0`–`9`).
    #[must_use]
    pub const fn from_digit(digit: u8) -> Group {
        match digit {
            0 => Group::Syntax,
            1 => Group::Information,
            2 => Group::Connections,
            3 => Group::Authentication,
            4 => Group::Unspecified,
            5 => Group::FileSystem,
            d => Group::Unknown(d),
        }
    }

    /// The groups RFC 959 defines, by digit.
    pub const DEFINED: [Group; 6] = [
        Group::Syntax,
        Group::Information,
        Group::Connections,
        Group::Authentication,
        Group::Unspecified,
        Group::FileSystem,
    ];

    /// The digit, `0`–`9`.
    #[must_use]
    pub const fn digit(self) -> u8 {
        match self {
            Group::Syntax => 0,
            Group::Information => 1,
            Group::Connections => 2,
            Group::Authentication => 3,
            Group::Unspecified => 4,
            Group::FileSystem => 5,
            Group::Unknown(d) => d,
        }
    }

    /// A stable kebab-case name, as used in the tool's JSON output.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Group::Syntax => "syntax",
            Group::Information => "information",
            Group::Connections => "connections",
            Group::Authentication => "authentication",
            Group::Unspecified => "unspecified",
            Group::FileSystem => "file-system",
            Group::Unknown(_) => "unknown",
        }
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
