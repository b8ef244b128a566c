//! The reference documents' meanings of reply codes and digits, in English, Russian and Chinese.
//!
//! The catalog is built from the project's reference documents: English lists of FTP
//! reply codes (a Wikipedia-style list, the CuteFTP/EFT knowledge-base table with its
//! "Discussion" column, and two shorter lists), three Russian lists, and two Chinese pages
//! (an IIS status-code article and a handbook of HTTP, FTP and WebSocket codes). Where the
//! English documents leave a gap, RFC 959's wording fills it. HTTP and WebSocket codes
//! that some of the pages also list are not part of the catalog.
//!
//! # Rules
//!
//! - Every listed code has an English meaning. Russian and Chinese meanings are copied
//!   exactly as the documents spell them (never translated); where the documents give no
//!   text in a language, the catalog has none either.
//! - The primary meaning is the standard one (RFC 959, or the RFC that defines the code).
//!   A document's text that gives a code a *different* meaning is kept as an alternate in
//!   its language ([`ReplyCode::alternates`]), and [`CatalogEntry::discrepancy`] says in
//!   English how the documents disagree. When a language's only text is such a variant
//!   (232 and 202 in Russian, 202 in Chinese), that language has no primary meaning and
//!   [`ReplyCode::meaning`] falls back to English.
//! - Entries listed as codes that are not standard FTP replies (100, 231, 404, and the
//!   "series" headings 300, 400 and 600) carry a [`CatalogEntry::note`] saying so.
//! - The 10000-series Winsock codes are client-side socket errors, not FTP replies: they
//!   are in a separate lookup, [`winsock`].
//!
//! ```
//! use ftp_reply::{Lang, ReplyCode};
//! let code = ReplyCode::CANT_OPEN_DATA_CONNECTION;
//! assert_eq!(code.meaning(Lang::Ru), Some("Открытие информационного канала не возможно"));
//! assert_eq!(code.meaning(Lang::Zh), Some("无法打开数据连接。"));
//! assert!(code.advice(Lang::En).unwrap().contains("Change from PASV to PORT mode"));
//! ```

use crate::code::{Class, Group, ReplyCode};

/// A language the reference documents are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Russian.
    Ru,
    /// Chinese.
    Zh,
}

impl Lang {
    /// All languages.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ru, Lang::Zh];

    /// The ISO 639-1 tag: `en`, `ru`, `zh`.
    #[must_use]
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Zh => "zh",
        }
    }
}

/// One reply code of the catalog: its meanings, variants, notes and advice.
///
/// All text is `&'static`; the catalog never allocates. Enumerate the entries with
/// [`entries`], or look one up with [`ReplyCode::catalog_entry`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CatalogEntry {
    /// The reply code.
    pub code: ReplyCode,
    /// The standard meaning in English, as the English documents word it (RFC 959's
    /// wording where they leave a gap).
    pub en: &'static str,
    /// The standard meaning in Russian, exactly as the Russian documents spell it, or
    /// `None` if they give no Russian text for it.
    pub ru: Option<&'static str>,
    /// The standard meaning in Chinese, exactly as the Chinese documents spell it, or
    /// `None` if they give no Chinese text for it.
    pub zh: Option<&'static str>,
    /// Variant meanings that English documents give, after the standard one.
    pub alternates_en: &'static [&'static str],
    /// Variant meanings that Russian documents give, after the standard one.
    pub alternates_ru: &'static [&'static str],
    /// Variant meanings that Chinese documents give, after the standard one.
    pub alternates_zh: &'static [&'static str],
    /// How the documents' texts for this code differ, in English: a variant meaning, or a
    /// language list that gives the code in another language's words.
    pub discrepancy: Option<&'static str>,
    /// Why the entry is in the catalog although it is not a standard FTP reply, in English.
    pub note: Option<&'static str>,
    /// The documents' troubleshooting notes in English (causes, what to check, what to do).
    pub advice_en: Option<&'static str>,
    /// The documents' troubleshooting notes in Russian (the Russian documents give none).
    pub advice_ru: Option<&'static str>,
    /// The documents' troubleshooting notes in Chinese, exactly as spelled there.
    pub advice_zh: Option<&'static str>,
}

impl CatalogEntry {
    /// An entry with only its English meaning.
    const fn new(code: u16, en: &'static str) -> CatalogEntry {
        let code = match ReplyCode::new(code) {
            Some(code) => code,
            None => panic!("a catalog entry must be a reply code (100..=699)"),
        };
        CatalogEntry {
            code,
            en,
            ru: None,
            zh: None,
            alternates_en: &[],
            alternates_ru: &[],
            alternates_zh: &[],
            discrepancy: None,
            note: None,
            advice_en: None,
            advice_ru: None,
            advice_zh: None,
        }
    }

    const fn ru(self, text: &'static str) -> CatalogEntry {
        CatalogEntry {
            ru: Some(text),
            ..self
        }
    }

    const fn zh(self, text: &'static str) -> CatalogEntry {
        CatalogEntry {
            zh: Some(text),
            ..self
        }
    }

    const fn alt_en(self, texts: &'static [&'static str]) -> CatalogEntry {
        CatalogEntry {
            alternates_en: texts,
            ..self
        }
    }

    const fn alt_ru(self, texts: &'static [&'static str]) -> CatalogEntry {
        CatalogEntry {
            alternates_ru: texts,
            ..self
        }
    }

    const fn alt_zh(self, texts: &'static [&'static str]) -> CatalogEntry {
        CatalogEntry {
            alternates_zh: texts,
            ..self
        }
    }

    const fn differs(self, text: &'static str) -> CatalogEntry {
        CatalogEntry {
            discrepancy: Some(text),
            ..self
        }
    }

    const fn note(self, text: &'static str) -> CatalogEntry {
        CatalogEntry {
            note: Some(text),
            ..self
        }
    }

    const fn advises(self, text: &'static str) -> CatalogEntry {
        CatalogEntry {
            advice_en: Some(text),
            ..self
        }
    }

    const fn advises_zh(self, text: &'static str) -> CatalogEntry {
        CatalogEntry {
            advice_zh: Some(text),
            ..self
        }
    }

    /// The standard meaning in `lang`, or English if the documents give none in `lang`.
    #[must_use]
    pub const fn meaning(&self, lang: Lang) -> &'static str {
        match self.meaning_exact(lang) {
            Some(text) => text,
            None => self.en,
        }
    }

    /// The standard meaning in `lang`, without falling back to English.
    #[must_use]
    pub const fn meaning_exact(&self, lang: Lang) -> Option<&'static str> {
        match lang {
            Lang::En => Some(self.en),
            Lang::Ru => self.ru,
            Lang::Zh => self.zh,
        }
    }

    /// The variant meanings the documents give in `lang` (no fallback), empty if none.
    #[must_use]
    pub const fn alternates(&self, lang: Lang) -> &'static [&'static str] {
        match lang {
            Lang::En => self.alternates_en,
            Lang::Ru => self.alternates_ru,
            Lang::Zh => self.alternates_zh,
        }
    }

    /// The troubleshooting notes in `lang`, else in English, else `None`.
    #[must_use]
    pub const fn advice(&self, lang: Lang) -> Option<&'static str> {
        let exact = match lang {
            Lang::En => self.advice_en,
            Lang::Ru => self.advice_ru,
            Lang::Zh => self.advice_zh,
        };
        match exact {
            Some(text) => Some(text),
            None => self.advice_en,
        }
    }
}

/// Every entry of the catalog, in ascending code order.
///
/// ```
/// let codes: Vec<u16> = ftp_reply::entries().iter().map(|e| e.code.as_u16()).collect();
/// assert!(codes.windows(2).all(|w| w[0] < w[1]));
/// assert!(codes.contains(&550));
/// ```
#[must_use]
pub fn entries() -> &'static [CatalogEntry] {
    ENTRIES
}

impl ReplyCode {
    /// This code's catalog entry, or `None` if the documents do not list the code.
    #[must_use]
    pub fn catalog_entry(self) -> Option<&'static CatalogEntry> {
        ENTRIES
            .binary_search_by_key(&self, |entry| entry.code)
            .ok()
            .map(|index| &ENTRIES[index])
    }

    /// The documents' meaning of this code in `lang`.
    ///
    /// Falls back to English when the catalog lists the code but has no text for it in
    /// `lang` (the documents give none, or give only a variant meaning, which
    /// [`alternates`](Self::alternates) returns). `None` only for a code the catalog
    /// does not list.
    ///
    /// ```
    /// use ftp_reply::{Lang, ReplyCode};
    /// let code = ReplyCode::NEED_PASSWORD;
    /// assert_eq!(code.meaning(Lang::En), Some("User name okay, need password."));
    /// assert_eq!(code.meaning(Lang::Ru), Some("Имя пользователя корректно, нужен пароль"));
    /// assert_eq!(code.meaning(Lang::Zh), Some("用户名正确，需要密码。"));
    /// // 234 is only in the English documents.
    /// let auth = ReplyCode::SECURITY_EXCHANGE_COMPLETE;
    /// assert_eq!(auth.meaning(Lang::Zh), auth.meaning(Lang::En));
    /// assert_eq!(ReplyCode::new(299).unwrap().meaning(Lang::En), None);
    /// ```
    #[must_use]
    pub fn meaning(self, lang: Lang) -> Option<&'static str> {
        self.catalog_entry().map(|entry| entry.meaning(lang))
    }

    /// The documents' meaning of this code in `lang`, without falling back to English.
    ///
    /// `None` if the catalog does not list the code or has no text for it in `lang`.
    #[must_use]
    pub fn meaning_exact(self, lang: Lang) -> Option<&'static str> {
        self.catalog_entry()
            .and_then(|entry| entry.meaning_exact(lang))
    }

    /// The variant meanings the documents give this code in `lang`, after the standard
    /// one; empty if there are none in `lang` (there is no fallback to English).
    ///
    /// ```
    /// use ftp_reply::{Lang, ReplyCode};
    /// let code = ReplyCode::SERVICE_READY;
    /// assert_eq!(code.meaning(Lang::Ru), Some("Служба готова для нового пользователя."));
    /// assert!(code.alternates(Lang::Ru)[0].starts_with("Слишком много подключений"));
    /// ```
    #[must_use]
    pub fn alternates(self, lang: Lang) -> &'static [&'static str] {
        self.catalog_entry()
            .map_or(&[], |entry| entry.alternates(lang))
    }

    /// Why this code is in the catalog although it is not a standard FTP reply (in
    /// English), or `None` for a standard reply or a code the catalog does not list.
    #[must_use]
    pub fn catalog_note(self) -> Option<&'static str> {
        self.catalog_entry().and_then(|entry| entry.note)
    }

    /// The documents' troubleshooting notes for this code in `lang`.
    ///
    /// Falls back to the English notes when the documents give none in `lang` (the
    /// Russian documents give none at all); `None` when they give none in any language.
    ///
    /// ```
    /// use ftp_reply::{Lang, ReplyCode};
    /// let code = ReplyCode::NOT_LOGGED_IN;
    /// assert!(code.advice(Lang::En).unwrap().starts_with("Ensure that you typed the correct user name"));
    /// assert!(code.advice(Lang::Zh).unwrap().contains("用户名和密码组合无效"));
    /// assert_eq!(code.advice(Lang::Ru), code.advice(Lang::En));
    /// ```
    #[must_use]
    pub fn advice(self, lang: Lang) -> Option<&'static str> {
        self.catalog_entry().and_then(|entry| entry.advice(lang))
    }
}

impl Class {
    /// The documents' meaning of this first digit in `lang`.
    ///
    /// Falls back to English where the documents give no text in `lang` (the Russian
    /// documents do not describe 6).
    #[must_use]
    pub fn meaning(self, lang: Lang) -> &'static str {
        let (en, ru, zh) = match self {
            Class::PositivePreliminary => (
                "Positive Preliminary reply. The requested action is being initiated; expect another reply before proceeding with a new command.",
                Some("команда принята к выполнению но все еще не завершена"),
                Some(
                    "肯定的初步答复，这些状态代码指示一项操作已经成功开始，但客户端希望在继续操作新命令前得到另一个答复。",
                ),
            ),
            Class::PositiveCompletion => (
                "Positive Completion reply. The requested action has been successfully completed. A new request may be initiated.",
                Some("команда завершена успешно"),
                Some("肯定的完成答复，一项操作已经成功完成。客户端可以执行新命令。"),
            ),
            Class::PositiveIntermediate => (
                "Positive Intermediate reply. The command has been accepted, but the requested action is being held in abeyance, pending receipt of further information. The user should send another command specifying this information.",
                Some("команда принята, но ожидается дополнительная команда"),
                Some(
                    "肯定的中间答复，该命令已成功，但服务器需要更多来自客户端的信息以完成对请求的处理。",
                ),
            ),
            Class::TransientNegative => (
                "Transient Negative Completion reply. The command was not accepted and the requested action did not take place, but the error condition is temporary and the action may be requested again.",
                Some("в данный момент команда не может быть выполнена"),
                Some(
                    "瞬态否定的完成答复，该命令不成功，但错误是暂时的。如果客户端重试命令，可能会执行成功。",
                ),
            ),
            Class::PermanentNegative => (
                "Permanent Negative Completion reply. The command was not accepted and the requested action did not take place. The User-process is discouraged from repeating the exact request (in the same sequence).",
                Some("невозможно выполнить команду в принципе"),
                Some(
                    "永久性否定的完成答复，该命令不成功，错误是永久性的。如果客户端重试命令，将再次出现同样的错误。",
                ),
            ),
            Class::Protected => (
                "Protected reply. The 6xx replies are Base64 encoded protected messages that serves as responses to secure commands. When properly decoded, these replies fall into the above categories.",
                None,
                Some("受保护"),
            ),
        };
        pick(lang, en, ru, zh)
    }
}

impl Group {
    /// The documents' meaning of this second digit in `lang`.
    ///
    /// The English documents do not describe the second digit, so the English text is
    /// RFC 959's; the Chinese documents do not describe it either, so Chinese falls back
    /// to English. A second digit RFC 959 does not define ([`Group::Unknown`]) has the
    /// same English text in every language.
    #[must_use]
    pub fn meaning(self, lang: Lang) -> &'static str {
        let (en, ru) = match self {
            Group::Syntax => (
                "Syntax - These replies refer to syntax errors, syntactically correct commands that don't fit any functional category, unimplemented or superfluous commands.",
                Some("синтаксическая ошибка в команде"),
            ),
            Group::Information => (
                "Information - These are replies to requests for information, such as status or help.",
                Some("информационное сообщение"),
            ),
            Group::Connections => (
                "Connections - Replies referring to the control and data connections.",
                Some("сообщение относится к управляющему соединению либо соединению данных"),
            ),
            Group::Authentication => (
                "Authentication and accounting - Replies for the login process and accounting procedures.",
                Some("сообщение о аутентификации пользователя и его правах"),
            ),
            Group::Unspecified => ("Unspecified as yet.", Some("не определено")),
            Group::FileSystem => (
                "File system - These replies indicate the status of the Server file system vis-a-vis the requested transfer or other file system action.",
                Some("состояние файловой системы"),
            ),
            Group::Unknown(_) => (
                "Not defined by RFC 959: it defines second digits 0 to 5 only.",
                None,
            ),
        };
        pick(lang, en, ru, None)
    }
}

fn pick(
    lang: Lang,
    en: &'static str,
    ru: Option<&'static str>,
    zh: Option<&'static str>,
) -> &'static str {
    let exact = match lang {
        Lang::En => None,
        Lang::Ru => ru,
        Lang::Zh => zh,
    };
    exact.unwrap_or(en)
}

/// A client-side socket (Winsock) error code that the documents list beside the FTP
/// replies (the "10000 series").
///
/// These are not FTP replies: no server sends them on the control connection. They are
/// errors the client's Windows socket layer reports, so they are kept apart from the
/// reply catalog and are never [`ReplyCode`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct WinsockError {
    /// The Winsock error number, such as `10061`.
    pub code: u32,
    /// The documents' description, in English (the only language they give it in).
    pub description: &'static str,
    /// The documents' troubleshooting notes, in English, if any.
    pub advice_en: Option<&'static str>,
    meaning_en: &'static str,
}

/// Builds a [`WinsockError`] whose meaning says what kind of error it is.
macro_rules! winsock_error {
    ($code:literal, $description:literal, $advice:expr) => {
        WinsockError {
            code: $code,
            description: $description,
            advice_en: $advice,
            meaning_en: concat!(
                "Client-side socket (Winsock) error ",
                $code,
                ", not an FTP reply: ",
                $description
            ),
        }
    };
}

impl WinsockError {
    /// What the documents say about the whole series, in English.
    pub const NOTE: &'static str = "Common Winsock error codes: client-side socket errors, not FTP return codes sent by the server.";

    /// Every Winsock error the documents list, in ascending order.
    pub const ALL: &'static [WinsockError] = &[
        winsock_error!(
            10054,
            "Connection reset by peer. The connection was forcibly closed by the remote host.",
            None
        ),
        winsock_error!(
            10060,
            "Cannot connect to remote server.",
            Some(
                "Generally a time-out error. Try switching from PASV to PORT mode, or try increasing the time-out value."
            )
        ),
        winsock_error!(
            10061,
            "Cannot connect to remote server. The connection is actively refused by the server.",
            Some("Try switching the connection port.")
        ),
        winsock_error!(10065, "No route to host / DNS cannot be resolved.", None),
        winsock_error!(
            10066,
            "Directory not empty.",
            Some(
                "The server will not delete this directory while there are files/folders in it. If you want to remove the directory, first archive or delete the files in it."
            )
        ),
        winsock_error!(
            10068,
            "Too many users, server is full.",
            Some("Try logging in at another time.")
        ),
    ];

    /// The meaning in `lang`: says that this is a client-side socket (Winsock) error, not
    /// an FTP reply, then gives the documents' description.
    ///
    /// The documents describe these codes in English only, so every language gets the
    /// English text.
    ///
    /// ```
    /// use ftp_reply::{Lang, winsock};
    /// let error = winsock(10061).unwrap();
    /// assert!(error.meaning(Lang::En).contains("not an FTP reply"));
    /// assert!(error.meaning(Lang::Ru).ends_with("actively refused by the server."));
    /// ```
    #[must_use]
    pub const fn meaning(&self, lang: Lang) -> &'static str {
        let _ = lang;
        self.meaning_en
    }

    /// The documents' troubleshooting notes in `lang`, else in English (the only
    /// language they give them in), else `None`.
    #[must_use]
    pub const fn advice(&self, lang: Lang) -> Option<&'static str> {
        let _ = lang;
        self.advice_en
    }
}

/// The Winsock (client-side socket) error with this number, if the documents list it.
///
/// ```
/// use ftp_reply::{ReplyCode, winsock};
/// assert_eq!(winsock(10054).unwrap().code, 10054);
/// assert!(winsock(550).is_none());
/// assert!(ReplyCode::new(10054).is_none());
/// ```
#[must_use]
pub fn winsock(code: u32) -> Option<&'static WinsockError> {
    WinsockError::ALL.iter().find(|error| error.code == code)
}

const fn e(code: u16, en: &'static str) -> CatalogEntry {
    CatalogEntry::new(code, en)
}

/// The note of the "series" rows of the lists, which head a first digit.
const SERIES: &str = "Not a reply code: the documents' lists give it as a series heading that stands for the whole first-digit class; RFC 959 defines no reply with this number.";

/// The discrepancy of the 6xx rows of the Chinese handbook, which are in English.
const ZH_IN_ENGLISH: &str =
    "The Chinese handbook lists this code with its English text, so it has no Chinese meaning.";

/// The catalog, in ascending code order (checked at compile time below).
const ENTRIES: &[CatalogEntry] = &[
    e(100, "The requested action is being initiated, expect another reply before proceeding with a new command.")
        .ru("Запрошенное действие инициировано, дождитесь следующего ответа прежде, чем выполнять новую команду.")
        .note("Not a standard FTP reply: one English list and the Russian lists give 100 as a code; the other English lists head the 1xx series with it, and RFC 959 uses 1yz only as a class."),
    e(110, "Restart marker reply.")
        .ru("Комментарий")
        .zh("重新启动标记答复。")
        .differs("The Russian lists call 110 only a comment (\"Комментарий\").")
        .advises("The text is exact and not left to the particular implementation; it must read «MARK yyyy = mmmm» where yyyy is User-process data stream marker, and mmmm server’s equivalent marker (note the spaces between markers and «=»)."),
    e(120, "Service ready in nnn minutes.")
        .ru("Функция будет реализована через nnn минут")
        .zh("服务已就绪，在 nnn 分钟后开始。"),
    e(125, "Data connection already open; transfer starting.")
        .ru("Канал открыт, обмен данными начат")
        .zh("数据连接已打开，正在开始传输。"),
    e(150, "File status okay; about to open data connection.")
        .ru("Статус файла правилен, подготавливается открытие канала")
        .zh("文件状态正常，准备打开数据连接。")
        .advises("FTP uses two ports: 21 for sending commands, and 20 for sending data. A status code of 150 indicates that the server is about to open a new connection on port 20 to send some data.")
        .advises_zh("FTP 使用两个端口:21 用于发送命令,20 用于发送数据。状态代码 150 表示服务器准备在端口 20 上打开新连接,发送一些数据。"),
    e(200, "Command okay.")
        .ru("Команда корректна")
        .zh("命令确定。"),
    e(202, "Command not implemented, superfluous at this site.")
        .alt_ru(&["Команда не поддерживается"])
        .alt_zh(&["未执行命令，站点上的命令过多。"])
        .differs("The English lists and RFC 959 call the command superfluous at this site (a positive reply). The Russian lists say only \"command not supported\", and the Chinese lists \"command not executed, too many commands at the site\": both lose \"superfluous\", so they are kept as alternates, and 202 has no Russian or Chinese primary meaning."),
    e(211, "System status, or system help reply.")
        .ru("Системный статус или отклик на справочный запрос")
        .zh("系统状态，或系统帮助答复。"),
    e(212, "Directory status.")
        .ru("Состояние каталога")
        .zh("目录状态。"),
    e(213, "File status.")
        .ru("Состояние файла")
        .zh("文件状态。"),
    e(214, "Help message. Explains how to use the server or the meaning of a particular non-standard command. This reply is useful only to the human user.")
        .ru("Справочное поясняющее сообщение")
        .zh("帮助消息。"),
    e(215, "NAME system type. Where NAME is an official system name from the registry kept by IANA.")
        .ru("Выводится вместе с информацией о системе по команде SYST")
        .zh("NAME 系统类型，其中，NAME 是 Assigned Numbers 文档中所列的正式系统名称。"),
    e(220, "Service ready for new user.")
        .ru("Служба готова для нового пользователя.")
        .zh("服务就绪，可以执行新用户的请求。")
        .alt_ru(&["Слишком много подключений к FTP-серверу (можете попробовать позднее). В некоторых версиях указывает на успешное завершение промежуточной процедуры"])
        .differs("Two Russian lists give 220 a second meaning: too many connections to the FTP server (try later), in some versions the successful end of an intermediate procedure. The third Russian list, and all others, give the RFC 959 meaning."),
    e(221, "Service closing control connection. Logged out if appropriate.")
        .ru("Благополучное завершение по команде quit")
        .zh("服务关闭控制连接。如果适当，请注销。"),
    e(225, "Data connection open; no transfer in progress.")
        .ru("Канал сформирован, но информационный обмен отсутствует")
        .zh("数据连接打开，没有进行中的传输。"),
    e(226, "Closing data connection. Requested file action successful (for example, file transfer or file abort).")
        .ru("Закрытие канала, обмен завершен успешно")
        .zh("关闭数据连接。请求的文件操作已成功（例如，传输文件或放弃文件）。")
        .advises("The command opens a data connection on port 20 to perform an action, such as transferring a file. This action successfully completes, and the data connection is closed.")
        .advises_zh("命令在端口 20 上打开数据连接以执行操作,如传输文件。该操作成功完成,数据连接已关闭。"),
    e(227, "Entering Passive Mode (h1,h2,h3,h4,p1,p2).")
        .ru("Переход в пассивный режим (h1,h2,h3,h4,p1,p2).")
        .zh("进入被动模式 (h1,h2,h3,h4,p1,p2)。"),
    e(228, "Entering Long Passive Mode (long address, port).")
        .ru("переход в длинный пассивный режим (длинный адрес, порт)."),
    e(229, "Entering Extended Passive Mode (|||port|).")
        .ru("Переход в расширенный пассивный режим (|||port|)."),
    e(230, "User logged in, proceed.")
        .ru("Пользователь идентифицирован, продолжайте")
        .zh("用户已登录，继续进行。")
        .alt_en(&["User logged in, proceed. Logged out if appropriate."])
        .differs("One English list appends 221's \"Logged out if appropriate.\" to 230.")
        .advises("This status code appears after the client sends the correct password. It indicates that the user has successfully logged on.")
        .advises_zh("客户端发送正确的密码后,显示该状态代码。它表示用户已成功登录。"),
    e(231, "User logged out; service terminated.")
        .ru("Пользовательский сеанс окончен; Обслуживание прекращено.")
        .note("Not an RFC 959 reply: only the Russian lists give 231; the English text renders their wording."),
    e(232, "User logged in, authorized by security data exchange.")
        .alt_ru(&["Команда о завершении сеанса принята, она будет завершена по завершении передачи файла."])
        .differs("RFC 2228 and the English list: user logged in, authorized by security data exchange. The Russian lists give 232 another meaning: the logout command was accepted and completes when the file transfer is done. That text is kept as an alternate, and 232 has no Russian primary meaning."),
    e(234, "Server accepts the security mechanism specified by the client; no security data needs to be exchanged."),
    e(235, "Server accepts the security data given by the client; no further security data needs to be exchanged."),
    e(250, "Requested file action okay, completed.")
        .ru("Запрос прошёл успешно")
        .zh("请求的文件操作正确，已完成。"),
    e(257, "«PATHNAME» created.")
        .ru("«ПУТЬ» создан.")
        .zh("已创建“PATHNAME”。"),
    e(300, "The command has been accepted, but the requested action is on hold, pending receipt of further information.")
        .note(SERIES),
    e(331, "User name okay, need password.")
        .ru("Имя пользователя корректно, нужен пароль")
        .zh("用户名正确，需要密码。")
        .advises("You see this status code after the client sends a user name, regardless of whether the user name that is provided is a valid account on the system.")
        .advises_zh("客户端发送用户名后,显示该状态代码。无论所提供的用户名是否为系统中的有效帐户,都将显示该状态代码。"),
    e(332, "Need account for login.")
        .ru("Для входа в систему необходима аутентификация")
        .zh("需要登录帐户。")
        .advises("Provide login credentials"),
    e(334, "Server accepts the security mechanism specified by the client; some security data needs to be exchanged."),
    e(335, "Server accepts the security data given by the client; more security data needs to be exchanged."),
    e(336, "Username okay, need password. Challenge is «….»."),
    e(350, "Requested file action pending further information.")
        .ru("Запрошенное действие над файлом требует большей информации")
        .zh("请求的文件操作正在等待进一步的信息。"),
    e(400, "The command was not accepted and the requested action did not take place, but the error condition is temporary and the action may be requested again.")
        .note(SERIES),
    e(404, "This remote server was not found.")
        .ru("Данный удалённый сервер не найден")
        .note("Not an FTP reply in any RFC: only the Russian lists give 404 (\"remote server not found\"); the English text renders their wording. 404 is best known as HTTP's \"Not Found\"."),
    e(421, "Service not available, closing control connection. This may be a reply to any command if the service knows it must shut down.")
        .ru("Процедура невозможна, канал закрывается")
        .zh("服务不可用，正在关闭控制连接。如果服务确定它必须关闭，将向任何命令发送这一应答。")
        .alt_en(&[
            "User limit reached",
            "You are not authorized to make the connection",
            "Max connections reached",
            "Max connections exceeded",
        ])
        .differs("The CuteFTP article lists four more server texts under 421: user limit reached, not authorized to make the connection, max connections reached, max connections exceeded.")
        .advises("This can be a reply to any command if the service knows it must shut down. Try logging in later."),
    e(425, "Can't open data connection.")
        .ru("Открытие информационного канала не возможно")
        .zh("无法打开数据连接。")
        .advises("Change from PASV to PORT mode, check your firewall settings, or try to connect via HTTP."),
    e(426, "Connection closed; transfer aborted.")
        .ru("Канал закрыт, обмен прерван")
        .differs("The Chinese lists give 426 in English (\"Connection closed; transfer aborted.\"), so it has no Chinese meaning; their notes on its cause are in Chinese.")
        .advises("The command opens a data connection to perform an action, but that action is canceled, and the data connection is closed. Try logging back in; contact your hosting provider to check if you need to increase your hosting account; try disabling the firewall on your PC to see if that solves the problem. If not, contact your hosting provider or ISP.")
        .advises_zh("命令打开数据连接以执行操作,但该操作已被取消,数据连接已关闭。"),
    e(430, "Invalid username or password"),
    e(431, "Need some unavailable resource to process security."),
    e(434, "Requested host unavailable.")
        .ru("Запрашиваемый хост недоступен"),
    e(450, "Requested file action not taken. File unavailable (e.g., file busy).")
        .ru("Запрошенная функция не реализована, файл не доступен, например, занят")
        .zh("未执行请求的文件操作。文件不可用（例如，文件繁忙）。")
        .advises("File unavailable (e.g., file busy). Try again later."),
    e(451, "Requested action aborted. Local error in processing.")
        .ru("Локальная ошибка, операция прервана")
        .zh("请求的操作异常终止：正在处理本地错误。")
        .advises("Ensure command and parameters were typed correctly."),
    e(452, "Requested action not taken. Insufficient storage space in system.")
        .ru("Ошибка при записи файла (недостаточно места)")
        .zh("未执行请求的操作。系统存储空间不够。")
        .alt_en(&[
            "Requested action not taken. Insufficient storage space in system. File unavailable (e.g., file busy).",
            "Requested action not taken. Insufficient storage space in system or File unavailable",
        ])
        .differs("Two English lists add 450's \"File unavailable\" to 452; RFC 959's 452 is about storage space only.")
        .advises("Ask FTP administrator to increase allotted storage space, or archive/delete remote files."),
    e(500, "Syntax error, command unrecognized. This may include errors such as command line too long.")
        .ru("Синтаксическая ошибка, команда не может быть интерпретирована (возможно она слишком длинна)")
        .zh("语法错误，命令无法识别。这可能包括诸如命令行太长之类的错误。")
        .advises("Try switching to passive mode."),
    e(501, "Syntax error in parameters or arguments.")
        .ru("Синтаксическая ошибка (неверный параметр или аргумент)")
        .zh("在参数中有语法错误。")
        .advises("Verify your input; e.g., make sure there are no erroneous characters, spaces, etc."),
    e(502, "Command not implemented.")
        .ru("Команда не используется (нелегальный тип MODE)")
        .zh("未执行命令。")
        .advises("The server does not support this command."),
    e(503, "Bad sequence of commands.")
        .ru("Неудачная последовательность команд")
        .zh("错误的命令序列。")
        .advises("Verify command sequence."),
    e(504, "Command not implemented for that parameter.")
        .ru("Команда не применима для такого параметра")
        .zh("未执行该参数的命令。")
        .advises("Ensure entered parameters are correct."),
    e(530, "Not logged in.")
        .ru("Вход не выполнен! Требуется авторизация (not logged in)")
        .zh("未登录。")
        .alt_ru(&["Система не загружена (not logged in)"])
        .differs("One Russian list renders \"not logged in\" as \"the system is not loaded\" (\"Система не загружена\").")
        .advises("Ensure that you typed the correct user name and password combination. Some servers use this code instead of 421 when the user limit is reached")
        .advises_zh("该状态代码表示用户无法登录,因为用户名和密码组合无效。如果使用某个用户帐户登录,可能键入错误的用户名或密码,也可能选择只允许匿名访问。如果使用匿名帐户登录,IIS 的配置可能拒绝匿名访问。"),
    e(532, "Need account for storing files.")
        .ru("Необходима аутентификация для запоминания файла")
        .zh("存储文件需要帐户。")
        .advises("Logged in user does not have permission to store files on remote server."),
    e(533, "Command protection level denied for policy reasons."),
    e(534, "Request denied for policy reasons."),
    e(535, "Failed security check."),
    e(536, "Data protection level not supported by security mechanism."),
    e(537, "Command protection level not supported by security mechanism."),
    e(550, "Requested action not taken. File unavailable (e.g., file not found, no access).")
        .ru("Запрошенная функция не реализована, файл недоступен, например, не найден")
        .zh("未执行请求的操作。文件不可用（例如，未找到文件，没有访问权限）。")
        .advises("Verify that you are attempting to connect to the correct server/location. The administrator of the remote server must provide you with permission to connect via FTP.")
        .advises_zh("命令未被执行,因为指定的文件不可用。例如,要 GET 的文件并不存在,或试图将文件 PUT 到您没有写入权限的目录。"),
    e(551, "Requested action aborted. Page type unknown.")
        .ru("Запрошенная операция прервана. Неизвестный тип страницы.")
        .zh("请求的操作异常终止：未知的页面类型。"),
    e(552, "Requested file action aborted. Exceeded storage allocation (for current directory or dataset).")
        .ru("Запрошенная операция прервана. Выделено недостаточно памяти")
        .zh("请求的文件操作异常终止：超出存储分配（对于当前目录或数据集）。")
        .advises("Possible causes: Client aborted the action; EFT Site not running; storage allocation exceeded."),
    e(553, "Requested action not taken. File name not allowed.")
        .ru("Запрошенная операция не принята. Недопустимое имя файла.")
        .zh("未执行请求的操作。不允许的文件名。")
        .advises("Change the file name or delete spaces/special characters in the file name."),
    e(600, "Replies regarding confidentiality and integrity")
        .note(SERIES)
        .differs(ZH_IN_ENGLISH),
    e(631, "Integrity protected reply.")
        .differs(ZH_IN_ENGLISH),
    e(632, "Confidentiality and integrity protected reply.")
        .differs(ZH_IN_ENGLISH),
    e(633, "Confidentiality protected reply.")
        .differs(ZH_IN_ENGLISH),
];

/// The catalog must be sorted (for binary search) and without duplicates.
const _: () = {
    let mut i = 1;
    while i < ENTRIES.len() {
        assert!(ENTRIES[i - 1].code.as_u16() < ENTRIES[i].code.as_u16());
        i += 1;
    }
};
