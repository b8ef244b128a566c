//! The catalog checked against tables copied from the reference documents.
//!
//! The tables below are typed from the documents, independently of `src/catalog.rs`:
//! for English, a piece of each document's wording that the catalog's English must carry;
//! for Russian and Chinese, each document's exact text. The documents are five web pages
//! (some of them several articles in one file): 000 holds an English list in the style of
//! Wikipedia's, the CuteFTP/EFT knowledge-base table, a shorter English list and two
//! Russian lists; 001 repeats the English list's codes and the knowledge-base table and
//! adds a Russian article of 2010 and another short English list; 002 lists HTTP codes
//! only; 003 is a Chinese IIS article; 004 a Chinese handbook of HTTP, FTP and WebSocket
//! codes.

use std::collections::BTreeSet;

use ftp_reply::{CatalogEntry, Class, Group, Lang, ReplyCode, WinsockError, entries, winsock};
use proptest::prelude::*;

/// One document's list of FTP codes in one language.
struct Doc {
    name: &'static str,
    lang: Lang,
    /// Each code with the document's text: for English a piece of it (compared without
    /// regard to case), for Russian and Chinese all of it (compared by [`normalize`]).
    /// An empty text means the document lists the code without text.
    rows: &'static [(u16, &'static str)],
}

/// 000, first article: the English list in the style of Wikipedia's ("Коды ошибок ftp").
const EN_LIST: &[(u16, &str)] = &[
    (
        100,
        "The requested action is being initiated, expect another reply before proceeding with a new command.",
    ),
    (110, "Restart marker"),
    (120, "Service ready in nnn minutes."),
    (125, "Data connection already open; transfer starting."),
    (150, "File status okay; about to open data connection."),
    (202, "Command not implemented, superfluous at this site."),
    (211, "System status, or system help reply."),
    (212, "Directory status."),
    (213, "File status."),
    (
        214,
        "Help message. Explains how to use the server or the meaning of a particular non-standard command. This reply is useful only to the human user.",
    ),
    (
        215,
        "NAME system type. Where NAME is an official system name from the registry kept by IANA.",
    ),
    (220, "Service ready for new user."),
    (
        221,
        "Service closing control connection. Logged out if appropriate.",
    ),
    (225, "Data connection open; no transfer in progress."),
    (
        226,
        "Closing data connection. Requested file action successful (for example, file transfer or file abort).",
    ),
    (227, "Entering Passive Mode (h1,h2,h3,h4,p1,p2)."),
    (228, "Entering Long Passive Mode (long address, port)."),
    (229, "Entering Extended Passive Mode (|||port|)."),
    (230, "User logged in, proceed."),
    (232, "User logged in, authorized by security data exchange."),
    (
        234,
        "Server accepts the security mechanism specified by the client; no security data needs to be exchanged.",
    ),
    (
        235,
        "Server accepts the security data given by the client; no further security data needs to be exchanged.",
    ),
    (250, "Requested file action okay, completed."),
    (257, "«PATHNAME» created."),
    (
        300,
        "The command has been accepted, but the requested action is on hold, pending receipt of further information.",
    ),
    (331, "User name okay, need password."),
    (332, "Need account for login."),
    (
        334,
        "Server accepts the security mechanism specified by the client; some security data needs to be exchanged.",
    ),
    (
        335,
        "Server accepts the security data given by the client; more security data needs to be exchanged.",
    ),
    (336, "Username okay, need password. Challenge is «….»."),
    (350, "Requested file action pending further information"),
    (
        400,
        "The command was not accepted and the requested action did not take place, but the error condition is temporary and the action may be requested again.",
    ),
    (
        421,
        "Service not available, closing control connection. This may be a reply to any command if the service knows it must shut down.",
    ),
    (425, "open data connection."),
    (426, "Connection closed; transfer aborted."),
    (430, "Invalid username or password"),
    (431, "Need some unavailable resource to process security."),
    (434, "Requested host unavailable."),
    (450, "Requested file action not taken."),
    (451, "Requested action aborted. Local error in processing."),
    (
        452,
        "Requested action not taken. Insufficient storage space in system. File unavailable (e.g., file busy).",
    ),
    (
        500,
        "This may include errors such as command line too long.",
    ),
    (501, "Syntax error in parameters or arguments."),
    (502, "Command not implemented."),
    (503, "Bad sequence of commands."),
    (504, "Command not implemented for that parameter."),
    (530, "Not logged in."),
    (532, "Need account for storing files."),
    (533, "Command protection level denied for policy reasons."),
    (534, "Request denied for policy reasons."),
    (535, "Failed security check."),
    (
        536,
        "Data protection level not supported by security mechanism.",
    ),
    (
        537,
        "Command protection level not supported by security mechanism.",
    ),
    (
        550,
        "Requested action not taken. File unavailable (e.g., file not found, no access).",
    ),
    (551, "Requested action aborted. Page type unknown."),
    (
        552,
        "Requested file action aborted. Exceeded storage allocation (for current directory or dataset).",
    ),
    (553, "Requested action not taken. File name not allowed."),
    (600, "Replies regarding confidentiality and integrity"),
    (631, "Integrity protected reply."),
    (632, "Confidentiality and integrity protected reply."),
    (633, "Confidentiality protected reply."),
];

/// 001, first article: the same list's codes, without their text (200 and 500 appear
/// there only as series headings).
const EN_LIST_CODES: &[(u16, &str)] = &[
    (100, ""),
    (110, ""),
    (120, ""),
    (125, ""),
    (150, ""),
    (202, ""),
    (211, ""),
    (212, ""),
    (213, ""),
    (214, ""),
    (215, ""),
    (220, ""),
    (221, ""),
    (225, ""),
    (226, ""),
    (227, ""),
    (228, ""),
    (229, ""),
    (230, ""),
    (232, ""),
    (234, ""),
    (235, ""),
    (250, ""),
    (257, ""),
    (300, ""),
    (331, ""),
    (332, ""),
    (334, ""),
    (335, ""),
    (336, ""),
    (350, ""),
    (400, ""),
    (421, ""),
    (425, ""),
    (426, ""),
    (430, ""),
    (431, ""),
    (434, ""),
    (450, ""),
    (451, ""),
    (452, ""),
    (501, ""),
    (502, ""),
    (503, ""),
    (504, ""),
    (530, ""),
    (532, ""),
    (533, ""),
    (534, ""),
    (535, ""),
    (536, ""),
    (537, ""),
    (550, ""),
    (551, ""),
    (552, ""),
    (553, ""),
    (600, ""),
    (631, ""),
    (632, ""),
    (633, ""),
];

/// 000 and 001: the CuteFTP/EFT knowledge-base table, "Description" column.
const EN_CUTEFTP: &[(u16, &str)] = &[
    (
        100,
        "expect another reply before proceeding with a new command.",
    ),
    (110, "Restart marker reply."),
    (120, "Service ready in"),
    (125, "Data Connection already open; transfer starting."),
    (150, "File status okay; about to open data connection."),
    (200, "Command okay."),
    (202, "Command not implemented, superfluous at this site."),
    (211, "System status, or system help reply."),
    (212, "Directory status."),
    (213, "File status."),
    (214, "Help message."),
    (215, "NAME system type."),
    (220, "Service ready for new user."),
    (221, "Service closing control connection."),
    (225, "Data connection open; no transfer in progress."),
    (226, "Closing data connection."),
    (227, "Entering Passive Mode"),
    (230, "User logged in, proceed."),
    (250, "Requested file action okay, completed."),
    (257, "«PATHNAME» created."),
    (
        300,
        "The command has been accepted, but the requested action is on hold, pending receipt of further information.",
    ),
    (331, "User name okay, need password."),
    (332, "Need account for login."),
    (350, "Requested file action pending further information."),
    (
        400,
        "The command was not accepted and the requested action did not take place, but the error condition is temporary and the action may be requested again.",
    ),
    (421, "Service not available, closing control connection."),
    (425, "open data connection."),
    (426, "Connection closed; transfer aborted."),
    (450, "Requested file action not taken."),
    (451, "Requested action aborted"),
    (
        452,
        "Requested action not taken. Insufficient storage space in system.",
    ),
    (500, "Syntax error, command unrecognized"),
    (501, "Syntax error in parameters or arguments."),
    (502, "Command not implemented."),
    (503, "Bad sequence of commands."),
    (504, "Command not implemented for that parameter."),
    (530, "not logged in."),
    (532, "Need account for storing files."),
    (550, "Requested action not taken. File unavailable"),
    (552, "Requested file action aborted."),
    (553, "Requested action not taken. File name not allowed."),
];

/// 000, third article: "Important FTP response codes".
const EN_IMPORTANT: &[(u16, &str)] = &[
    (
        100,
        "The requested action is being initiated, expect another reply before proceeding with a new command",
    ),
    (110, "Restart marker reply"),
    (120, "Service ready in nnn minutes"),
    (125, "Data connection already open; transfer starting"),
    (150, "File status okay; about to open data connection"),
    (200, "Command okay"),
    (202, "Command not implemented, superfluous at this site"),
    (211, "System status, or system help reply"),
    (212, "Directory status"),
    (213, "File status"),
    (214, "Help message"),
    (215, "NAME system type"),
    (220, "Service ready for new user"),
    (221, "Service closing control connection"),
    (225, "Data connection open; no transfer in progress"),
    (
        226,
        "Closing data connection. Requested file action successful",
    ),
    (227, "Entering Passive Mode"),
    (230, "User logged in, proceed"),
    (250, "Requested file action okay, completed"),
    (257, "PATHNAME"),
    (331, "User name okay, need password"),
    (332, "Need account for login"),
    (350, "Requested file action pending further information"),
    (421, "Service not available, closing control connection"),
    (425, "open data connection"),
    (426, "Connection closed; transfer aborted"),
    (450, "Requested file action not taken"),
    (451, "Requested action aborted. Local error in processing"),
    (
        452,
        "Requested action not taken. Insufficient storage space in system or File unavailable",
    ),
    (500, "Syntax error, command unrecognized"),
    (501, "Syntax error in parameters or arguments"),
    (502, "Command not implemented"),
    (503, "Bad sequence of commands"),
    (504, "Command not implemented for that parameter"),
    (530, "Not logged in"),
    (532, "Need account for storing files"),
    (550, "Requested action not taken"),
    (551, "Requested action aborted. Page type unknown"),
    (
        552,
        "Requested file action aborted. Exceeded storage allocation",
    ),
    (553, "Requested action not taken. File name not allowed"),
    (600, "Replies regarding confidentiality and integrity"),
    (631, "Integrity protected reply"),
    (632, "Confidentiality and integrity protected reply"),
    (633, "Confidentiality protected reply"),
];

/// 001, last article: "List of common FTP error codes" (in its own order).
const EN_COMMON: &[(u16, &str)] = &[
    (230, "User logged in, proceed. Logged out if appropriate."),
    (227, "Entering Passive Mode"),
    (250, "Requested file action okay, completed."),
    (257, "PATHNAME"),
    (120, "Service ready in nnn minutes."),
    (125, "Data connection already open; transfer starting"),
    (350, "Requested file action pending further information"),
    (331, "User name okay, need password."),
    (332, "Need account for login."),
    (213, "File status."),
    (425, "open data connection"),
    (212, "Directory status."),
    (150, "File status okay; about to open data connection."),
    (200, "Command okay."),
    (202, "Command not implemented, superfluous at this site."),
    (530, "Not logged in"),
    (501, "Syntax error in parameters or arguments."),
    (220, "Service ready for new user."),
    (503, "Bad sequence of commands."),
    (211, "System status, or system help reply."),
    (
        421,
        "Service not available, closing control connection. This may be a reply to any command if the service knows it must shut down.",
    ),
    (
        214,
        "how to use the server or the meaning of a particular non-standard command. This reply is useful only to the human user.",
    ),
    (
        215,
        "NAME system type. Where NAME is an official system name",
    ),
    (532, "Need account for storing files."),
    (502, "Command not implemented."),
    (504, "Command not implemented for that parameter."),
    (
        550,
        "Requested action not taken. File unavailable (e.g., file not found, no access).",
    ),
    (225, "Data connection open; no transfer in progress."),
    (426, "Connection closed; transfer aborted."),
    (
        226,
        "Closing data connection. Requested file action successful (for example, file transfer or file abort).",
    ),
    (
        552,
        "Requested file action aborted. Exceeded storage allocation (for current directory or dataset).",
    ),
    (551, "Requested action aborted. Page type unknown."),
    (221, "Service closing control connection."),
    (553, "Requested action not"),
    (450, "Requested file action not taken"),
    (451, "Requested action aborted. Local error in processing."),
    (
        500,
        "Syntax error, command unrecognized. This may include errors such as command line too long.",
    ),
    (
        452,
        "Requested action not taken. Insufficient storage space in system. File unavailable (e.g., file busy).",
    ),
];

/// 000 and 001: the Russian "Полный список кодов ответов FTP для web мастеров".
const RU_WEBMASTERS: &[(u16, &str)] = &[
    (
        100,
        "Запрошенное действие инициировано, дождитесь следующего ответа прежде, чем выполнять новую команду.",
    ),
    (110, "Комментарий"),
    (120, "Функция будет реализована через nnn минут"),
    (125, "Канал открыт, обмен данными начат"),
    (
        150,
        "Статус файла правилен, подготавливается открытие канала",
    ),
    (200, "Команда корректна"),
    (202, "Команда не поддерживается"),
    (211, "Системный статус или отклик на справочный запрос"),
    (212, "Состояние каталога"),
    (213, "Состояние файла"),
    (214, "Справочное поясняющее сообщение"),
    (
        215,
        "Выводится вместе с информацией о системе по команде SYST",
    ),
    (220, "Служба готова для нового пользователя."),
    (221, "Благополучное завершение по команде quit"),
    (
        225,
        "Канал сформирован, но информационный обмен отсутствует",
    ),
    (226, "Закрытие канала, обмен завершен успешно"),
    (227, "Переход в пассивный режим (h1,h2,h3,h4,p1,p2)."),
    (
        228,
        "переход в длинный пассивный режим (длинный адрес, порт).",
    ),
    (229, "Переход в расширенный пассивный режим (|||port|)."),
    (230, "Пользователь идентифицирован, продолжайте"),
    (
        231,
        "Пользовательский сеанс окончен; Обслуживание прекращено.",
    ),
    (
        232,
        "Команда о завершении сеанса принята, она будет завершена по завершении передачи файла.",
    ),
    (250, "Запрос прошёл успешно"),
    (257, "«ПУТЬ» создан."),
    (331, "Имя пользователя корректно, нужен пароль"),
    (332, "Для входа в систему необходима аутентификация"),
    (
        350,
        "Запрошенное действие над файлом требует большей информации",
    ),
    (404, "Данный удалённый сервер не найден"),
    (421, "Процедура невозможна, канал закрывается"),
    (425, "Открытие информационного канала не возможно"),
    (426, "Канал закрыт, обмен прерван"),
    (434, "Запрашиваемый хост недоступен"),
    (
        450,
        "Запрошенная функция не реализована, файл не доступен, например, занят",
    ),
    (451, "Локальная ошибка, операция прервана"),
    (452, "Ошибка при записи файла (недостаточно места)"),
    (
        500,
        "Синтаксическая ошибка, команда не может быть интерпретирована (возможно она слишком длинна)",
    ),
    (
        501,
        "Синтаксическая ошибка (неверный параметр или аргумент)",
    ),
    (502, "Команда не используется (нелегальный тип MODE)"),
    (503, "Неудачная последовательность команд"),
    (504, "Команда не применима для такого параметра"),
    (
        530,
        "Вход не выполнен! Требуется авторизация (not logged in)",
    ),
    (532, "Необходима аутентификация для запоминания файла"),
    (
        550,
        "Запрошенная функция не реализована, файл недоступен, например, не найден",
    ),
    (
        551,
        "Запрошенная операция прервана. Неизвестный тип страницы.",
    ),
    (
        552,
        "Запрошенная операция прервана. Выделено недостаточно памяти",
    ),
    (
        553,
        "Запрошенная операция не принята. Недопустимое имя файла.",
    ),
];

/// 000: the Russian "Полный список ошибок FTP сервера".
const RU_SERVER_ERRORS: &[(u16, &str)] = &[
    (
        100,
        "Запрошенное действие инициировано, дождитесь следующего ответа прежде, чем выполнять новую команду.",
    ),
    (110, "Комментарий"),
    (120, "Функция будет реализована через nnn минут"),
    (125, "Канал открыт, обмен данными начат"),
    (
        150,
        "Статус файла правилен, подготавливается открытие канала",
    ),
    (200, "Команда корректна"),
    (202, "Команда не поддерживается"),
    (211, "Системный статус или отклик на справочный запрос"),
    (212, "Состояние каталога"),
    (213, "Состояние файла"),
    (214, "Справочное поясняющее сообщение"),
    (
        220,
        "Слишком много подключений к FTP-серверу (можете попробовать позднее). В некоторых версиях указывает на успешное завершение промежуточной процедуры",
    ),
    (221, "Благополучное завершение по команде quit"),
    (
        225,
        "Канал сформирован, но информационный обмен отсутствует",
    ),
    (226, "Закрытие канала, обмен завершен успешно"),
    (227, "Переход в пассивный режим (h1,h2,h3,h4,p1,p2)."),
    (
        228,
        "переход в длинный пассивный режим (длинный адрес, порт).",
    ),
    (229, "Переход в расширенный пассивный режим (|||port|)."),
    (230, "Пользователь идентифицирован, продолжайте"),
    (
        231,
        "Пользоательский сеанс окончен; Обслуживание прекращено.",
    ),
    (
        232,
        "Команда о завершении сеанса принята, она будет завершена по завершении передачи файла.",
    ),
    (250, "Запрос прошел успешно"),
    (257, "«ПУТЬ» создан."),
    (331, "Имя пользователя корректно, нужен пароль"),
    (332, "Для входа в систему необходима аутентификация"),
    (
        350,
        "Запрошенное действие над файлом требует большей информации",
    ),
    (421, "Процедура не возможна, канал закрывается"),
    (425, "Открытие информационного канала не возможно"),
    (426, "Канал закрыт, обмен прерван"),
    (434, "Запрашиваемый хост недоступен"),
    (
        450,
        "Запрошенная функция не реализована, файл не доступен, например, занят",
    ),
    (451, "Локальная ошибка, операция прервана"),
    (452, "Ошибка при записи файла (недостаточно места)"),
    (
        500,
        "Синтаксическая ошибка, команда не может быть интерпретирована (возможно она слишком длинна)",
    ),
    (
        501,
        "Синтаксическая ошибка (неверный параметр или аргумент)",
    ),
    (502, "Команда не используется (нелегальный тип MODE)"),
    (503, "Неудачная последовательность команд"),
    (504, "Команда не применима для такого параметра"),
    (530, "Система не загружена (not logged in)"),
    (532, "Необходима аутентификация для запоминания файла"),
    (
        550,
        "Запрошенная функция не реализована, файл не доступен, например, не найден",
    ),
    (
        551,
        "Запрошенная операция прервана. Неизвестный тип страницы.",
    ),
    (
        552,
        "Запрошенная операция прервана. Выделено недостаточно памяти",
    ),
    (
        553,
        "Запрошенная операция не принята. Недопустимое имя файла",
    ),
];

/// 001: the Russian article of 08.11.2010 on FTP error codes.
const RU_2010: &[(u16, &str)] = &[
    (
        100,
        "Запрошенное действие инициировано, дождитесь следующего ответа прежде, чем выполнять новую команду.",
    ),
    (110, "Комментарий"),
    (120, "Функция будет реализована через nnn минут"),
    (125, "Канал открыт, обмен данными начат"),
    (
        150,
        "Статус файла правилен, подготавливается открытие канала",
    ),
    (200, "Команда корректна"),
    (202, "Команда не поддерживается"),
    (211, "Системный статус или отклик на справочный запрос"),
    (212, "Состояние каталога"),
    (213, "Состояние файла"),
    (214, "Справочное поясняющее сообщение"),
    (
        215,
        "Выводится вместе с информацией о системе по команде SYST",
    ),
    (
        220,
        "Слишком много подключений к FTP-серверу (можете попробовать позднее). В некоторых версиях указывает на успешное завершение промежуточной процедуры",
    ),
    (221, "Благополучное завершение по команде quit"),
    (
        225,
        "Канал сформирован, но информационный обмен отсутствует",
    ),
    (226, "Закрытие канала, обмен завершен успешно"),
    (227, "Переход в пассивный режим (h1,h2,h3,h4,p1,p2)."),
    (
        228,
        "переход в длинный пассивный режим (длинный адрес, порт).",
    ),
    (229, "Переход в расширенный пассивный режим (|||port|)."),
    (230, "Пользователь идентифицирован, продолжайте"),
    (
        231,
        "Пользовательский сеанс окончен; Обслуживание прекращено.",
    ),
    (
        232,
        "Команда о завершении сеанса принята, она будет завершена по завершении передачи файла.",
    ),
    (250, "Запрос прошёл успешно"),
    (257, "«ПУТЬ» создан."),
    (331, "Имя пользователя корректно, нужен пароль"),
    (332, "Для входа в систему необходима аутентификация"),
    (
        350,
        "Запрошенное действие над файлом требует большей информации",
    ),
    (404, "Данный удалённый сервер не найден"),
    (421, "Процедура не возможна, канал закрывается"),
    (425, "Открытие информационного канала не возможно"),
    (426, "Канал закрыт, обмен прерван"),
    (434, "Запрашиваемый хост недоступен"),
    (
        450,
        "Запрошенная функция не реализована, файл не доступен, например, занят",
    ),
    (451, "Локальная ошибка, операция прервана"),
    (452, "Ошибка при записи файла (недостаточно места)"),
    (
        500,
        "Синтаксическая ошибка, команда не может быть интерпретирована (возможно она слишком длинна)",
    ),
    (
        501,
        "Синтаксическая ошибка (неверный параметр или аргумент)",
    ),
    (502, "Команда не используется (нелегальный тип MODE)"),
    (503, "Неудачная последовательность команд"),
    (504, "Команда не применима для такого параметра"),
    (
        530,
        "Вход не выполнен! Требуется авторизация (not logged in)",
    ),
    (532, "Необходима аутентификация для запоминания файла"),
    (
        550,
        "Запрошенная функция не реализована, файл не доступен, например, не найден",
    ),
    (
        551,
        "Запрошенная операция прервана. Неизвестный тип страницы.",
    ),
    (
        552,
        "Запрошенная операция прервана. Выделено недостаточно памяти",
    ),
    (
        553,
        "Запрошенная операция не принята. Недопустимое имя файла.",
    ),
];

/// 003: the FTP part of the Chinese IIS article (ASCII punctuation; 426 in English).
const ZH_IIS: &[(u16, &str)] = &[
    (110, "重新启动标记答复。"),
    (120, "服务已就绪,在 nnn 分钟后开始。"),
    (125, "数据连接已打开,正在开始传输。"),
    (150, "文件状态正常,准备打开数据连接。"),
    (200, "命令确定。"),
    (202, "未执行命令,站点上的命令过多。"),
    (211, "系统状态,或系统帮助答复。"),
    (212, "目录状态。"),
    (213, "文件状态。"),
    (214, "帮助消息。"),
    (
        215,
        "NAME 系统类型,其中,NAME 是 Assigned Numbers 文档中所列的正式系统名称。",
    ),
    (220, "服务就绪,可以执行新用户的请求。"),
    (221, "服务关闭控制连接。如果适当,请注销。"),
    (225, "数据连接打开,没有进行中的传输。"),
    (
        226,
        "关闭数据连接。请求的文件操作已成功(例如,传输文件或放弃文件)。",
    ),
    (227, "进入被动模式 (h1,h2,h3,h4,p1,p2)。"),
    (230, "用户已登录,继续进行。"),
    (250, "请求的文件操作正确,已完成。"),
    (257, "已创建“PATHNAME”。"),
    (331, "用户名正确,需要密码。"),
    (332, "需要登录帐户。"),
    (350, "请求的文件操作正在等待进一步的信息。"),
    (
        421,
        "服务不可用,正在关闭控制连接。如果服务确定它必须关闭,将向任何命令发送这一应答。",
    ),
    (425, "无法打开数据连接。"),
    (426, "Connection closed; transfer aborted."),
    (450, "未执行请求的文件操作。文件不可用(例如,文件繁忙)。"),
    (451, "请求的操作异常终止:正在处理本地错误。"),
    (452, "未执行请求的操作。系统存储空间不够。"),
    (
        500,
        "语法错误,命令无法识别。这可能包括诸如命令行太长之类的错误。",
    ),
    (501, "在参数中有语法错误。"),
    (502, "未执行命令。"),
    (503, "错误的命令序列。"),
    (504, "未执行该参数的命令。"),
    (530, "未登录。"),
    (532, "存储文件需要帐户。"),
    (
        550,
        "未执行请求的操作。文件不可用(例如,未找到文件,没有访问权限)。",
    ),
    (551, "请求的操作异常终止:未知的页面类型。"),
    (
        552,
        "请求的文件操作异常终止:超出存储分配(对于当前目录或数据集)。",
    ),
    (553, "未执行请求的操作。不允许的文件名。"),
];

/// 004: the FTP part of the Chinese handbook (426 and the 6xx rows in English).
const ZH_HANDBOOK: &[(u16, &str)] = &[
    (110, "重新启动标记答复。"),
    (120, "服务已就绪，在 nnn 分钟后开始。"),
    (125, "数据连接已打开，正在开始传输。"),
    (150, "文件状态正常，准备打开数据连接。"),
    (200, "命令确定。"),
    (202, "未执行命令，站点上的命令过多。"),
    (211, "系统状态，或系统帮助答复。"),
    (212, "目录状态。"),
    (213, "文件状态。"),
    (214, "帮助消息。"),
    (
        215,
        "NAME 系统类型，其中，NAME 是 Assigned Numbers 文档中所列的正式系统名称。",
    ),
    (220, "服务就绪，可以执行新用户的请求。"),
    (221, "服务关闭控制连接。如果适当，请注销。"),
    (225, "数据连接打开，没有进行中的传输。"),
    (
        226,
        "关闭数据连接。请求的文件操作已成功（例如，传输文件或放弃文件）。",
    ),
    (227, "进入被动模式 (h1,h2,h3,h4,p1,p2)。"),
    (230, "用户已登录，继续进行。"),
    (250, "请求的文件操作正确，已完成。"),
    (257, "已创建“PATHNAME”。"),
    (331, "用户名正确，需要密码。"),
    (332, "需要登录帐户。"),
    (350, "请求的文件操作正在等待进一步的信息。"),
    (
        421,
        "服务不可用，正在关闭控制连接。如果服务确定它必须关闭，将向任何命令发送这一应答。",
    ),
    (425, "无法打开数据连接。"),
    (426, "Connection closed; transfer aborted."),
    (450, "未执行请求的文件操作。文件不可用（例如，文件繁忙）。"),
    (451, "请求的操作异常终止：正在处理本地错误。"),
    (452, "未执行请求的操作。系统存储空间不够。"),
    (
        500,
        "语法错误，命令无法识别。这可能包括诸如命令行太长之类的错误。",
    ),
    (501, "在参数中有语法错误。"),
    (502, "未执行命令。"),
    (503, "错误的命令序列。"),
    (504, "未执行该参数的命令。"),
    (530, "未登录。"),
    (532, "存储文件需要帐户。"),
    (
        550,
        "未执行请求的操作。文件不可用（例如，未找到文件，没有访问权限）。",
    ),
    (551, "请求的操作异常终止：未知的页面类型。"),
    (
        552,
        "请求的文件操作异常终止：超出存储分配（对于当前目录或数据集）。",
    ),
    (553, "未执行请求的操作。不允许的文件名。"),
    (
        600,
        "Series，Replies regarding confidentiality and integrity",
    ),
    (631, "Integrity protected reply."),
    (632, "Confidentiality and integrity protected reply."),
    (633, "Confidentiality protected reply."),
];

/// 003: "常见的 FTP 状态代码及其原因", the causes of common FTP codes.
const ZH_CAUSES: &[(u16, &str)] = &[
    (
        150,
        "FTP 使用两个端口:21 用于发送命令,20 用于发送数据。状态代码 150 表示服务器准备在端口 20 上打开新连接,发送一些数据。",
    ),
    (
        226,
        "命令在端口 20 上打开数据连接以执行操作,如传输文件。该操作成功完成,数据连接已关闭。",
    ),
    (
        230,
        "客户端发送正确的密码后,显示该状态代码。它表示用户已成功登录。",
    ),
    (
        331,
        "客户端发送用户名后,显示该状态代码。无论所提供的用户名是否为系统中的有效帐户,都将显示该状态代码。",
    ),
    (
        426,
        "命令打开数据连接以执行操作,但该操作已被取消,数据连接已关闭。",
    ),
    (
        530,
        "该状态代码表示用户无法登录,因为用户名和密码组合无效。如果使用某个用户帐户登录,可能键入错误的用户名或密码,也可能选择只允许匿名访问。如果使用匿名帐户登录,IIS 的配置可能拒绝匿名访问。",
    ),
    (
        550,
        "命令未被执行,因为指定的文件不可用。例如,要 GET 的文件并不存在,或试图将文件 PUT 到您没有写入权限的目录。",
    ),
];

/// Every document's list, with its language.
const DOCS: &[Doc] = &[
    Doc {
        name: "000 English list",
        lang: Lang::En,
        rows: EN_LIST,
    },
    Doc {
        name: "001 English list (codes only)",
        lang: Lang::En,
        rows: EN_LIST_CODES,
    },
    Doc {
        name: "000/001 CuteFTP table",
        lang: Lang::En,
        rows: EN_CUTEFTP,
    },
    Doc {
        name: "000 important codes",
        lang: Lang::En,
        rows: EN_IMPORTANT,
    },
    Doc {
        name: "001 common error codes",
        lang: Lang::En,
        rows: EN_COMMON,
    },
    Doc {
        name: "000/001 Russian list for webmasters",
        lang: Lang::Ru,
        rows: RU_WEBMASTERS,
    },
    Doc {
        name: "000 Russian list of server errors",
        lang: Lang::Ru,
        rows: RU_SERVER_ERRORS,
    },
    Doc {
        name: "001 Russian article of 2010",
        lang: Lang::Ru,
        rows: RU_2010,
    },
    Doc {
        name: "003 Chinese IIS article",
        lang: Lang::Zh,
        rows: ZH_IIS,
    },
    Doc {
        name: "004 Chinese handbook",
        lang: Lang::Zh,
        rows: ZH_HANDBOOK,
    },
];

/// The CuteFTP table's "Discussion" column (English advice), as pieces of its text.
const EN_ADVICE: &[(u16, &str)] = &[
    (110, "it must read «MARK yyyy = mmmm»"),
    (
        150,
        "FTP uses two ports: 21 for sending commands, and 20 for sending data.",
    ),
    (
        226,
        "The command opens a data connection on port 20 to perform an action",
    ),
    (
        230,
        "This status code appears after the client sends the correct password.",
    ),
    (
        331,
        "regardless of whether the user name that is provided is a valid account on the system.",
    ),
    (332, "Provide login credentials"),
    (421, "Try logging in later."),
    (
        425,
        "Change from PASV to PORT mode, check your firewall settings, or try to connect via HTTP.",
    ),
    (426, "Try logging back in; contact your hosting provider"),
    (450, "Try again later."),
    (451, "Ensure command and parameters were typed correctly."),
    (
        452,
        "Ask FTP administrator to increase allotted storage space, or archive/delete remote files.",
    ),
    (500, "Try switching to passive mode."),
    (
        501,
        "Verify your input; e.g., make sure there are no erroneous characters, spaces, etc.",
    ),
    (502, "The server does not support this command."),
    (503, "Verify command sequence."),
    (504, "Ensure entered parameters are correct."),
    (
        530,
        "Ensure that you typed the correct user name and password combination.",
    ),
    (
        532,
        "Logged in user does not have permission to store files on remote server.",
    ),
    (
        550,
        "Verify that you are attempting to connect to the correct server/location.",
    ),
    (
        552,
        "Possible causes: Client aborted the action; EFT Site not running; storage allocation exceeded.",
    ),
    (
        553,
        "Change the file name or delete spaces/special characters in the file name.",
    ),
];

/// The Winsock rows: 000's English list (with 10065) and the CuteFTP table, with its
/// advice where it gives some; 001's list of codes has the same six numbers.
const WINSOCK: &[(u32, &str, Option<&str>)] = &[
    (
        10054,
        "Connection reset by peer. The connection was forcibly closed by the remote host.",
        None,
    ),
    (
        10060,
        "Cannot connect to remote server.",
        Some("Generally a time-out error. Try switching from PASV to PORT mode"),
    ),
    (
        10061,
        "Cannot connect to remote server. The connection is actively refused by the server.",
        Some("Try switching the connection port."),
    ),
    (10065, "No route to host / DNS cannot be resolved.", None),
    (
        10066,
        "Directory not empty.",
        Some("first archive or delete the files in it."),
    ),
    (
        10068,
        "Too many users, server is full.",
        Some("Try logging in at another time."),
    ),
];

/// Spelling-only differences between copies of the same Russian list (a typo, "ё"
/// written as "е", a word split in two, a missing final full stop) and the ASCII
/// punctuation of the Chinese IIS article: `normalize` ignores these.
const TYPOS: &[(&str, &str)] = &[("пользоательский", "пользовательский")];

fn normalize(text: &str) -> String {
    let mut out: String = text
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'ё' => 'е',
            '，' => ',',
            '（' => '(',
            '）' => ')',
            '：' => ':',
            c => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect();
    for (typo, fixed) in TYPOS {
        out = out.replace(typo, fixed);
    }
    out.trim_end_matches(['.', '。']).to_owned()
}

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn entry(code: u16) -> &'static CatalogEntry {
    ReplyCode::new(code)
        .and_then(ReplyCode::catalog_entry)
        .unwrap_or_else(|| panic!("{code} is not in the catalog"))
}

/// Whether the catalog has `text` for `entry` in `lang`, as its meaning or an alternate.
fn carries(entry: &CatalogEntry, lang: Lang, text: &str) -> bool {
    let candidates = entry
        .meaning_exact(lang)
        .into_iter()
        .chain(entry.alternates(lang).iter().copied());
    if lang == Lang::En {
        let text = text.to_lowercase();
        candidates
            .into_iter()
            .any(|c| c.to_lowercase().contains(&text))
    } else {
        let text = normalize(text);
        candidates.into_iter().any(|c| normalize(c) == text)
    }
}

fn document_codes() -> BTreeSet<u16> {
    DOCS.iter()
        .flat_map(|doc| doc.rows.iter().map(|(code, _)| *code))
        .collect()
}

#[test]
fn every_code_of_every_document_is_in_the_catalog_in_its_language() {
    let mut missing = Vec::new();
    for doc in DOCS {
        for &(code, text) in doc.rows {
            let entry = entry(code);
            let ok = if doc.lang == Lang::Zh && !has_cjk(text) {
                // The Chinese pages give these rows in English: the catalog has no
                // Chinese for them, and its English carries the row's text.
                entry.zh.is_none()
                    && (text.contains(entry.en) || entry.en.contains(text))
                    && entry.discrepancy.is_some_and(|d| d.contains("Chinese"))
            } else {
                carries(entry, doc.lang, text)
            };
            if !ok {
                missing.push(format!("{}: {code} {:?}: {text:?}", doc.name, doc.lang));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not in the catalog:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_tables_cover_what_the_documents_list() {
    // Guards the tables themselves: counts of FTP rows per document.
    let counts: Vec<(&str, usize)> = DOCS.iter().map(|d| (d.name, d.rows.len())).collect();
    assert_eq!(
        counts,
        [
            ("000 English list", 61),
            ("001 English list (codes only)", 60),
            ("000/001 CuteFTP table", 41),
            ("000 important codes", 44),
            ("001 common error codes", 38),
            ("000/001 Russian list for webmasters", 46),
            ("000 Russian list of server errors", 44),
            ("001 Russian article of 2010", 46),
            ("003 Chinese IIS article", 39),
            ("004 Chinese handbook", 43),
        ]
    );
}

#[test]
fn the_catalog_lists_only_codes_of_the_documents() {
    let listed = document_codes();
    let codes: Vec<u16> = entries().iter().map(|e| e.code.as_u16()).collect();
    for code in &codes {
        assert!(
            listed.contains(code),
            "{code} is in the catalog but in no document"
        );
    }
    assert_eq!(codes.iter().copied().collect::<BTreeSet<_>>(), listed);
    assert!(
        codes.windows(2).all(|w| w[0] < w[1]),
        "entries are not in ascending order"
    );
    assert_eq!(codes.len(), 64);
}

#[test]
fn russian_and_chinese_texts_are_copied_not_translated() {
    let texts = |lang: Lang, code: u16| -> Vec<&'static str> {
        DOCS.iter()
            .filter(|d| d.lang == lang)
            .flat_map(|d| d.rows.iter())
            .filter(|(c, _)| *c == code)
            .map(|(_, t)| *t)
            .collect()
    };
    for entry in entries() {
        let code = entry.code.as_u16();
        for lang in [Lang::Ru, Lang::Zh] {
            let given = texts(lang, code);
            // The catalog's own text is one document's spelling, byte for byte.
            let own = entry
                .meaning_exact(lang)
                .into_iter()
                .chain(entry.alternates(lang).iter().copied());
            for text in own {
                assert!(
                    given.contains(&text),
                    "{code} {lang:?}: {text:?} is in no document"
                );
            }
        }
        if let Some(advice) = entry.advice_zh {
            assert!(
                ZH_CAUSES.contains(&(code, advice)),
                "{code}: Chinese advice {advice:?} is in no document"
            );
        }
        assert_eq!(
            entry.advice_ru, None,
            "{code}: the Russian documents give no advice"
        );
    }
}

#[test]
fn languages_without_text_fall_back_to_english() {
    for entry in entries() {
        let code = entry.code;
        for lang in Lang::ALL {
            assert_eq!(
                code.meaning(lang),
                Some(code.meaning_exact(lang).unwrap_or(entry.en))
            );
            assert_eq!(code.alternates(lang), entry.alternates(lang));
        }
        assert_eq!(code.meaning_exact(Lang::En), Some(entry.en));
        assert!(!entry.en.is_empty());
    }
    // Only in English documents: Russian and Chinese give the English text.
    let code = ReplyCode::SECURITY_EXCHANGE_COMPLETE;
    assert_eq!(code.meaning_exact(Lang::Ru), None);
    assert_eq!(
        code.meaning(Lang::Zh),
        Some(
            "Server accepts the security mechanism specified by the client; no security data needs to be exchanged."
        )
    );
    // Codes the documents do not list have no meaning in any language.
    let listed = document_codes();
    for value in 100..=699u16 {
        let code = ReplyCode::new(value).unwrap();
        if !listed.contains(&value) {
            for lang in Lang::ALL {
                assert_eq!(code.meaning(lang), None, "{value}");
                assert!(code.alternates(lang).is_empty());
            }
            assert_eq!(code.catalog_note(), None);
            assert_eq!(code.advice(Lang::En), None);
        }
    }
}

#[test]
fn spot_checks() {
    let code = |v| ReplyCode::new(v).unwrap();
    assert_eq!(
        code(550).meaning(Lang::Ru),
        Some("Запрошенная функция не реализована, файл недоступен, например, не найден")
    );
    assert_eq!(
        code(550).meaning(Lang::Zh),
        Some("未执行请求的操作。文件不可用（例如，未找到文件，没有访问权限）。")
    );
    assert_eq!(
        code(227).meaning(Lang::En),
        Some("Entering Passive Mode (h1,h2,h3,h4,p1,p2).")
    );
    assert_eq!(
        code(228).meaning_exact(Lang::Ru),
        Some("переход в длинный пассивный режим (длинный адрес, порт).")
    );
    assert_eq!(code(228).meaning_exact(Lang::Zh), None);
    assert_eq!(code(426).meaning_exact(Lang::Zh), None);
    assert_eq!(
        code(426).meaning(Lang::Zh),
        Some("Connection closed; transfer aborted.")
    );
    assert_eq!(
        code(631).meaning(Lang::Zh),
        Some("Integrity protected reply.")
    );
}

#[test]
fn disagreements_are_kept_as_alternates() {
    let code = |v| ReplyCode::new(v).unwrap();
    // 232: RFC 2228's meaning first; the Russian pages' logout meaning as an alternate.
    assert_eq!(
        code(232).meaning(Lang::En),
        Some("User logged in, authorized by security data exchange.")
    );
    assert_eq!(code(232).meaning_exact(Lang::Ru), None);
    assert_eq!(code(232).meaning(Lang::Ru), code(232).meaning(Lang::En));
    assert_eq!(
        code(232).alternates(Lang::Ru),
        ["Команда о завершении сеанса принята, она будет завершена по завершении передачи файла."]
    );
    // 220: one Russian list has the standard meaning, two give a second one.
    assert_eq!(
        code(220).meaning(Lang::Ru),
        Some("Служба готова для нового пользователя.")
    );
    assert_eq!(
        code(220).alternates(Lang::Ru),
        [
            "Слишком много подключений к FTP-серверу (можете попробовать позднее). В некоторых версиях указывает на успешное завершение промежуточной процедуры"
        ]
    );
    // 202: superfluous in English; the Russian and Chinese renderings are variants.
    assert_eq!(
        code(202).meaning(Lang::En),
        Some("Command not implemented, superfluous at this site.")
    );
    assert_eq!(
        code(202).alternates(Lang::Ru),
        ["Команда не поддерживается"]
    );
    assert_eq!(
        code(202).alternates(Lang::Zh),
        ["未执行命令，站点上的命令过多。"]
    );
    assert_eq!(code(202).meaning(Lang::Zh), code(202).meaning(Lang::En));
    // Variants in English lists.
    assert_eq!(
        code(230).alternates(Lang::En),
        ["User logged in, proceed. Logged out if appropriate."]
    );
    assert_eq!(code(421).alternates(Lang::En).len(), 4);
    assert!(
        code(421)
            .alternates(Lang::En)
            .contains(&"Max connections exceeded")
    );
    assert!(
        code(452)
            .alternates(Lang::En)
            .iter()
            .all(|a| a.contains("File unavailable"))
    );
    assert_eq!(
        code(530).alternates(Lang::Ru),
        ["Система не загружена (not logged in)"]
    );
    // Every variant is explained, and only codes with a variant have none in English.
    for entry in entries() {
        let has_alternates = Lang::ALL.iter().any(|&l| !entry.alternates(l).is_empty());
        if has_alternates {
            assert!(
                entry.discrepancy.is_some(),
                "{:?} has alternates but no discrepancy",
                entry.code
            );
        }
        for lang in Lang::ALL {
            assert!(
                !entry.alternates(lang).contains(&entry.meaning(lang)),
                "{:?}",
                entry.code
            );
        }
    }
    // A standard code with no variants.
    assert!(
        Lang::ALL
            .iter()
            .all(|&l| code(550).alternates(l).is_empty())
    );
}

#[test]
fn non_standard_entries_have_notes() {
    for value in [100, 231, 404, 300, 400, 600] {
        let code = ReplyCode::new(value).unwrap();
        let note = code
            .catalog_note()
            .unwrap_or_else(|| panic!("{value} has no note"));
        assert!(note.starts_with("Not "), "{value}: {note}");
    }
    assert!(
        ReplyCode::new(404)
            .unwrap()
            .catalog_note()
            .unwrap()
            .contains("Russian")
    );
    assert!(
        ReplyCode::new(231)
            .unwrap()
            .catalog_note()
            .unwrap()
            .contains("Russian")
    );
    assert!(
        ReplyCode::new(100)
            .unwrap()
            .catalog_note()
            .unwrap()
            .contains("1yz")
    );
    assert_eq!(
        ReplyCode::new(404).unwrap().meaning(Lang::Ru),
        Some("Данный удалённый сервер не найден")
    );
    // The standard replies have none.
    for value in [110, 200, 220, 232, 421, 500, 550, 631] {
        assert_eq!(
            ReplyCode::new(value).unwrap().catalog_note(),
            None,
            "{value}"
        );
    }
    let noted: Vec<u16> = entries()
        .iter()
        .filter(|e| e.note.is_some())
        .map(|e| e.code.as_u16())
        .collect();
    assert_eq!(noted, [100, 231, 300, 400, 404, 600]);
}

#[test]
fn named_constants_and_the_catalog_agree() {
    for (name, code) in ReplyCode::NAMED {
        assert!(
            code.catalog_entry().is_some(),
            "{name} ({code}) is not in the catalog"
        );
    }
    for entry in entries() {
        let named = ReplyCode::NAMED.iter().any(|(_, c)| *c == entry.code);
        assert!(
            named || entry.code.as_u16() == 404,
            "{:?} has no named constant",
            entry.code
        );
    }
}

#[test]
fn winsock_errors_are_apart_from_the_replies() {
    assert_eq!(WinsockError::ALL.len(), WINSOCK.len());
    for &(code, description, advice) in WINSOCK {
        let error = winsock(code).unwrap_or_else(|| panic!("{code} not found"));
        assert_eq!(error.code, code);
        assert_eq!(error.description, description);
        match advice {
            Some(piece) => assert!(error.advice(Lang::En).unwrap().contains(piece), "{code}"),
            None => assert_eq!(error.advice(Lang::En), None, "{code}"),
        }
        for lang in Lang::ALL {
            let meaning = error.meaning(lang);
            assert!(
                meaning.contains("Winsock") && meaning.contains("not an FTP reply"),
                "{meaning}"
            );
            assert!(meaning.ends_with(description));
            assert_eq!(error.advice(lang), error.advice(Lang::En));
        }
        // Not a reply code, and so not in the reply catalog.
        assert!(u16::try_from(code).ok().and_then(ReplyCode::new).is_none());
        assert!(entries().iter().all(|e| u32::from(e.code.as_u16()) != code));
    }
    assert!(WinsockError::NOTE.contains("not FTP return codes"));
    assert!(winsock(550).is_none());
    assert!(winsock(10053).is_none());
    assert!(winsock(0).is_none());
}

#[test]
fn first_digits_in_each_language() {
    // English: 000's first-digit list (and its "6xx Protected reply" row).
    let en = [
        (
            Class::PositivePreliminary,
            "The requested action is being initiated; expect another reply before proceeding with a new command.",
        ),
        (
            Class::PositiveCompletion,
            "The requested action has been successfully completed. A new request may be initiated.",
        ),
        (
            Class::PositiveIntermediate,
            "The command has been accepted, but the requested action is being held in abeyance, pending receipt of further information.",
        ),
        (
            Class::TransientNegative,
            "the error condition is temporary and the action may be requested again.",
        ),
        (
            Class::PermanentNegative,
            "The User-process is discouraged from repeating the exact request",
        ),
        (
            Class::Protected,
            "The 6xx replies are Base64 encoded protected messages",
        ),
    ];
    // Russian: 001's article of 2010, "Первая позиция".
    let ru = [
        (
            Class::PositivePreliminary,
            "команда принята к выполнению но все еще не завершена",
        ),
        (Class::PositiveCompletion, "команда завершена успешно"),
        (
            Class::PositiveIntermediate,
            "команда принята, но ожидается дополнительная команда",
        ),
        (
            Class::TransientNegative,
            "в данный момент команда не может быть выполнена",
        ),
        (
            Class::PermanentNegative,
            "невозможно выполнить команду в принципе",
        ),
    ];
    // Chinese: 004's section headings and descriptions.
    let zh = [
        (
            Class::PositivePreliminary,
            "肯定的初步答复，这些状态代码指示一项操作已经成功开始，但客户端希望在继续操作新命令前得到另一个答复。",
        ),
        (
            Class::PositiveCompletion,
            "肯定的完成答复，一项操作已经成功完成。客户端可以执行新命令。",
        ),
        (
            Class::PositiveIntermediate,
            "肯定的中间答复，该命令已成功，但服务器需要更多来自客户端的信息以完成对请求的处理。",
        ),
        (
            Class::TransientNegative,
            "瞬态否定的完成答复，该命令不成功，但错误是暂时的。如果客户端重试命令，可能会执行成功。",
        ),
        (
            Class::PermanentNegative,
            "永久性否定的完成答复，该命令不成功，错误是永久性的。如果客户端重试命令，将再次出现同样的错误。",
        ),
        (Class::Protected, "受保护"),
    ];
    for (class, piece) in en {
        assert!(class.meaning(Lang::En).contains(piece), "{class}");
    }
    for (class, text) in ru {
        assert_eq!(class.meaning(Lang::Ru), text, "{class}");
    }
    for (class, text) in zh {
        assert_eq!(class.meaning(Lang::Zh), text, "{class}");
    }
    // The Russian documents do not describe 6.
    assert_eq!(
        Class::Protected.meaning(Lang::Ru),
        Class::Protected.meaning(Lang::En)
    );
    // 003 words the Chinese descriptions the same (in ASCII punctuation).
    assert!(
        normalize(Class::TransientNegative.meaning(Lang::Zh)).ends_with(&normalize(
            "该命令不成功,但错误是暂时的。如果客户端重试命令,可能会执行成功。"
        ))
    );
    for class in Class::ALL {
        for lang in Lang::ALL {
            assert!(!class.meaning(lang).is_empty());
        }
    }
}

#[test]
fn second_digits_in_each_language() {
    // English: RFC 959 (the English documents do not describe the second digit).
    let en = [
        (Group::Syntax, "syntax errors"),
        (
            Group::Information,
            "requests for information, such as status or help",
        ),
        (Group::Connections, "control and data connections"),
        (
            Group::Authentication,
            "login process and accounting procedures",
        ),
        (Group::Unspecified, "Unspecified as yet."),
        (Group::FileSystem, "file system"),
    ];
    // Russian: 001's article of 2010, "Вторая позиция".
    let ru = [
        (Group::Syntax, "синтаксическая ошибка в команде"),
        (Group::Information, "информационное сообщение"),
        (
            Group::Connections,
            "сообщение относится к управляющему соединению либо соединению данных",
        ),
        (
            Group::Authentication,
            "сообщение о аутентификации пользователя и его правах",
        ),
        (Group::Unspecified, "не определено"),
        (Group::FileSystem, "состояние файловой системы"),
    ];
    for (group, piece) in en {
        assert!(group.meaning(Lang::En).contains(piece), "{group}");
        // The Chinese documents do not describe the second digit.
        assert_eq!(group.meaning(Lang::Zh), group.meaning(Lang::En));
    }
    for (group, text) in ru {
        assert_eq!(group.meaning(Lang::Ru), text, "{group}");
    }
    for digit in 6..=9 {
        let group = Group::from_digit(digit);
        for lang in Lang::ALL {
            assert!(group.meaning(lang).contains("Not defined by RFC 959"));
        }
    }
}

#[test]
fn advice_from_the_documents() {
    for &(value, piece) in EN_ADVICE {
        let code = ReplyCode::new(value).unwrap();
        let advice = code
            .advice(Lang::En)
            .unwrap_or_else(|| panic!("{value} has no advice"));
        assert!(advice.contains(piece), "{value}: {advice}");
        // The Russian documents give none: English stands in.
        assert_eq!(code.advice(Lang::Ru), Some(advice));
    }
    for &(value, text) in ZH_CAUSES {
        let code = ReplyCode::new(value).unwrap();
        assert_eq!(code.advice(Lang::Zh), Some(text), "{value}");
    }
    assert_eq!(
        ZH_CAUSES.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
        [150, 226, 230, 331, 426, 530, 550]
    );
    // No advice is made up: a code has advice only where the documents give some.
    let advised: BTreeSet<u16> = EN_ADVICE.iter().map(|(c, _)| *c).collect();
    for entry in entries() {
        assert_eq!(
            entry.advice_en.is_some(),
            advised.contains(&entry.code.as_u16()),
            "{:?}",
            entry.code
        );
        if entry.advice_en.is_none() {
            assert!(Lang::ALL.iter().all(|&l| entry.code.advice(l).is_none()));
        }
    }
    assert_eq!(ReplyCode::new(220).unwrap().advice(Lang::Zh), None);
}

/// Checks a number against `ReplyCode::new` and the classification by digit.
fn check_digits(value: u16) {
    match ReplyCode::new(value) {
        Some(code) => {
            assert!((100..=699).contains(&value), "{value} accepted");
            assert_eq!(code.as_u16(), value);
            assert_eq!(u16::from(code.class().digit()), value / 100);
            assert_eq!(u16::from(code.group().digit()), value / 10 % 10);
            assert_eq!(u16::from(code.detail()), value % 10);
            assert_eq!(code.group(), Group::from_digit((value / 10 % 10) as u8));
            let digits = code.digits();
            assert_eq!(
                digits,
                [
                    b'0' + (value / 100) as u8,
                    b'0' + (value / 10 % 10) as u8,
                    b'0' + (value % 10) as u8
                ]
            );
            assert_eq!(ReplyCode::from_digits(digits), Some(code));
            assert_eq!(ReplyCode::try_from(value), Ok(code));
            assert_eq!(code.to_string(), value.to_string());
        }
        None => {
            assert!(!(100..=699).contains(&value), "{value} rejected");
            assert!(ReplyCode::try_from(value).is_err());
        }
    }
}

#[test]
fn every_three_digit_value() {
    for value in 0..1000u16 {
        check_digits(value);
    }
    assert_eq!((0..1000u16).filter_map(ReplyCode::new).count(), 600);
}

proptest! {
    #[test]
    fn three_digit_values_agree_with_their_digits(value in 0..1000u16) {
        check_digits(value);
    }

    #[test]
    fn any_u16_agrees_with_its_digits(value in any::<u16>()) {
        check_digits(value);
        prop_assert_eq!(ReplyCode::new(value).is_some(), (100..=699).contains(&value));
    }
}
