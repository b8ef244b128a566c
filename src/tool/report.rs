//! How the tool shows a reply: one JSON object, or one row of an 80-column table.

use base64::Engine as _;
use ftp_reply::payload::{Cleartext, PayloadError, PayloadKind};
use ftp_reply::{DecodeError, Lang, Outcome, Payload, Reply, UnprotectError};
use serde_json::{Map, Value, json};

/// The JSON name of a payload kind, as in `payload.kind`.
fn payload_kind_name(kind: PayloadKind) -> &'static str {
    match kind {
        PayloadKind::Pasv => "passive",
        PayloadKind::Lpsv => "long-passive",
        PayloadKind::Epsv => "extended-passive",
        other => other.name(),
    }
}

fn payload_error_json(e: &PayloadError) -> Value {
    json!({"kind": payload_kind_name(e.payload), "message": e.to_string()})
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The reply object of `decode --json` (without `offset`, which the caller adds
/// first so that it leads the object).
pub fn reply_json(reply: &Reply, lang: Lang, cleartext: bool) -> Map<String, Value> {
    let code = reply.code();
    let mut obj = Map::new();
    obj.insert("code".into(), code.as_u16().into());
    obj.insert("class".into(), code.class().name().into());
    obj.insert("group".into(), code.group().name().into());
    obj.insert("multiline".into(), reply.is_multiline().into());
    obj.insert(
        "lines".into(),
        reply.lines().map(lossy).collect::<Vec<_>>().into(),
    );
    if let Some(m) = code.meaning(lang) {
        obj.insert("meaning".into(), m.into());
    }
    match reply.payload() {
        None => {}
        Some(Ok(p)) => {
            obj.insert("payload".into(), payload_json(reply, &p, lang, cleartext));
        }
        Some(Err(e)) => {
            obj.insert("payload_error".into(), payload_error_json(&e));
        }
    }
    obj
}

fn payload_json(reply: &Reply, p: &Payload<'_>, lang: Lang, cleartext: bool) -> Value {
    let mut v = match p {
        Payload::Passive(a) => json!({"host": a.ip().to_string(), "port": a.port()}),
        Payload::LongPassive(a) => json!({"host": a.ip().to_string(), "port": a.port()}),
        Payload::ExtendedPassive(port) => json!({"port": port}),
        Payload::RestartMarker(m) => {
            json!({"user_marker": lossy(m.user), "server_marker": lossy(m.server)})
        }
        Payload::Pathname(path) => json!({"path": lossy(path)}),
        Payload::Protected(pp) => {
            let mut o = json!({
                "protection": pp.protection.name(),
                "data_len": pp.data.len(),
                "data_base64": base64::engine::general_purpose::STANDARD.encode(&pp.data),
            });
            if cleartext {
                match reply.unprotect(&mut Cleartext) {
                    Ok(inner) => o["inner"] = reply_json(&inner, lang, cleartext).into(),
                    Err(e) => o["inner_error"] = unprotect_error_json(&e),
                }
            }
            o
        }
        Payload::TransferSize(n) => json!({"bytes": n}),
        Payload::ReadyIn(n) => json!({"minutes": n}),
        _ => json!({}),
    };
    let mut obj = Map::new();
    obj.insert("kind".into(), p.kind().into());
    if let Value::Object(fields) = &mut v {
        obj.append(fields);
    }
    obj.into()
}

fn unprotect_error_json<E: std::fmt::Debug>(e: &UnprotectError<E>) -> Value {
    match e {
        UnprotectError::Inner(d) => {
            json!({"kind": d.kind(), "offset": d.offset(), "message": d.to_string()})
        }
        UnprotectError::TrailingBytes { offset, .. } => {
            json!({"kind": "trailing-bytes", "offset": offset, "message": inner_message(e)})
        }
        UnprotectError::Payload(p) => payload_error_json(p),
        _ => json!({"kind": "mechanism", "message": inner_message(e)}),
    }
}

fn inner_message<E: std::fmt::Debug>(e: &UnprotectError<E>) -> String {
    match e {
        UnprotectError::TrailingBytes { offset, extra } => {
            format!("{extra} bytes after the inner reply, at byte {offset}")
        }
        other => format!("{other:?}"),
    }
}

/// The JSON line for a stream error.
pub fn error_json(e: &DecodeError) -> Value {
    json!({"offset": e.offset(), "error": {"kind": e.kind(), "message": e.to_string()}})
}

/// A short payload summary for the table.
pub fn payload_summary(reply: &Reply) -> String {
    match reply.payload() {
        None => String::new(),
        Some(Err(e)) => format!("! {}", payload_kind_name(e.payload)),
        Some(Ok(p)) => match p {
            Payload::Passive(a) => a.to_string(),
            Payload::LongPassive(a) => a.to_string(),
            Payload::ExtendedPassive(port) => format!("port {port}"),
            Payload::RestartMarker(m) => format!("{}={}", lossy(m.user), lossy(m.server)),
            Payload::Pathname(path) => lossy(&path),
            Payload::Protected(pp) => format!("{} {}B", pp.protection.name(), pp.data.len()),
            Payload::TransferSize(n) => format!("{n} bytes"),
            Payload::ReadyIn(n) => format!("in {n} min"),
            _ => String::new(),
        },
    }
}

/// The JSON fields that describe an outcome.
pub fn outcome_json(outcome: &Outcome) -> Value {
    match outcome {
        Outcome::SendNext(next) => {
            json!({"outcome": outcome.name(), "next_commands": next.iter().map(|c| c.as_str()).collect::<Vec<_>>()})
        }
        Outcome::Unexpected { reason, by_class } => json!({
            "outcome": outcome.name(),
            "unexpected": {"reason": reason.name(), "by_class": by_class.name()}
        }),
        other => json!({"outcome": other.name()}),
    }
}
