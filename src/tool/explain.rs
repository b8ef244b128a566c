//! `ftp-reply explain CODE`.

use ftp_reply::{Lang, ReplyCode, winsock};
use serde_json::{Map, Value, json};

/// Runs `explain`; returns the exit status.
pub fn run(code: &str, as_json: bool, lang: Lang) -> u8 {
    let text = code.trim();
    let number = match text.parse::<u32>() {
        Ok(n) if text.bytes().all(|b| b.is_ascii_digit()) => n,
        _ => {
            eprintln!(
                "ftp-reply: {text:?} is not a reply code: expected three digits, the first 1-6 (e.g. 550)"
            );
            return 2;
        }
    };
    if let Some(ws) = winsock(number).filter(|_| text.len() == 5) {
        explain_winsock(ws, number, as_json, lang);
        return 0;
    }
    let Some(code) = u16::try_from(number)
        .ok()
        .filter(|_| text.len() == 3)
        .and_then(ReplyCode::new)
    else {
        eprintln!(
            "ftp-reply: {text} is not an FTP reply code: a reply code is three digits, the first 1-6 (100-699)"
        );
        return 2;
    };
    if as_json {
        println!("{}", explain_json(code, lang));
    } else {
        print!("{}", explain_text(code, lang));
    }
    0
}

fn explain_winsock(ws: &ftp_reply::WinsockError, number: u32, as_json: bool, lang: Lang) {
    if as_json {
        let mut meanings = Map::new();
        for l in Lang::ALL {
            meanings.insert(l.tag().into(), ws.meaning(l).into());
        }
        let mut obj =
            json!({"code": number, "class": "winsock", "group": "winsock", "meanings": meanings});
        if let Some(a) = ws.advice(lang) {
            obj["advice"] = a.into();
        }
        println!("{obj}");
    } else {
        println!("{number}  not an FTP reply: a client-side socket (Winsock) error");
        println!("  meaning {}", ws.meaning(lang));
        if let Some(a) = ws.advice(lang) {
            println!("  advice  {a}");
        }
    }
}

/// The `explain --json` object.
pub fn explain_json(code: ReplyCode, lang: Lang) -> Value {
    let mut meanings = Map::new();
    for l in Lang::ALL {
        if let Some(m) = code.meaning_exact(l) {
            meanings.insert(l.tag().into(), m.into());
        }
    }
    let mut obj = json!({
        "code": code.as_u16(),
        "class": code.class().name(),
        "group": code.group().name(),
        "meanings": meanings,
    });
    let mut alternates = Map::new();
    for l in Lang::ALL {
        let alts = code.alternates(l);
        if !alts.is_empty() {
            alternates.insert(l.tag().into(), alts.to_vec().into());
        }
    }
    if !alternates.is_empty() {
        obj["alternates"] = alternates.into();
    }
    if let Some(note) = code.catalog_note() {
        obj["note"] = note.into();
    }
    if let Some(advice) = code.advice(lang) {
        obj["advice"] = advice.into();
    }
    obj
}

fn explain_text(code: ReplyCode, lang: Lang) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let class = code.class();
    let group = code.group();
    let _ = writeln!(s, "{code}");
    let _ = writeln!(
        s,
        "  class   {} ({}yz): {}",
        class.name(),
        class.digit(),
        class.meaning(lang)
    );
    let _ = writeln!(
        s,
        "  group   {} (x{}z): {}",
        group.name(),
        group.digit(),
        group.meaning(lang)
    );
    let _ = writeln!(s, "  detail  {}", code.detail());
    match code.meaning(lang) {
        Some(m) => {
            let _ = writeln!(s, "  meaning {m}");
        }
        None => {
            let _ = writeln!(
                s,
                "  meaning (not in the catalog: a well-formed code no document lists)"
            );
        }
    }
    for l in Lang::ALL {
        for alt in code.alternates(l) {
            let _ = writeln!(s, "  also    [{}] {alt}", l.tag());
        }
    }
    if let Some(note) = code.catalog_note() {
        let _ = writeln!(s, "  note    {note}");
    }
    if let Some(advice) = code.advice(lang) {
        let _ = writeln!(s, "  advice  {advice}");
    }
    s
}
