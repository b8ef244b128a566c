//! `ftp_reply::capture` on real captures (with known answers read from them with
//! tshark), on real captures with segments dropped, and on generated captures:
//! every link type, loss, overlaps, TLS, and hostile files.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ftp_reply::capture::{
    Capture, CaptureConfig, CaptureError, ExchangeEnd, ExchangeKind, Record, RecordKind,
};

// ---------------------------------------------------------------- helpers

/// `../shared/captures`, or `None` (with a message) when it is absent. With
/// `FTP_REPLY_CAPTURES=required` its absence fails the test.
fn captures_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/captures");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("FTP_REPLY_CAPTURES").as_deref() == Ok("required") {
        panic!(
            "{} is missing and FTP_REPLY_CAPTURES=required",
            dir.display()
        );
    }
    eprintln!(
        "skipped: {} is absent (set FTP_REPLY_CAPTURES=required to fail instead)",
        dir.display()
    );
    None
}

fn read_records(bytes: &[u8]) -> (Vec<Record>, Option<CaptureError>) {
    read_with(bytes, CaptureConfig::default())
}

fn read_with(bytes: &[u8], config: CaptureConfig) -> (Vec<Record>, Option<CaptureError>) {
    let capture = match Capture::with_config(bytes, config) {
        Ok(c) => c,
        Err(e) => return (Vec::new(), Some(e)),
    };
    let mut records = Vec::new();
    let mut error = None;
    for r in capture {
        match r {
            Ok(r) => records.push(r),
            Err(e) => {
                assert!(error.is_none(), "a second error after {error:?}: {e:?}");
                error = Some(e);
            }
        }
    }
    (records, error)
}

/// Each connection's exchanges in order, one token each:
/// `VERB codes…` for a command, bare codes for the greeting, `!codes` unsolicited,
/// `?codes` a command lost in a gap, `VERB -` a reply lost in a gap, `VERB ~codes`
/// a final reply whose preliminary reply was lost; `<gap` / `>gap` for gaps in the
/// server's / client's direction; `E` for each stream error.
fn summary(records: &[Record]) -> BTreeMap<u64, String> {
    let mut out: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    for r in records {
        let tokens = out.entry(r.conn).or_default();
        match &r.kind {
            RecordKind::Exchange(x) => {
                let codes: Vec<String> = x
                    .replies
                    .iter()
                    .map(|r| r.reply.code().as_u16().to_string())
                    .collect();
                let codes = codes.join(" ");
                let mut t = match x.kind {
                    ExchangeKind::Command => {
                        let c = x.command.as_ref().unwrap();
                        let verb = String::from_utf8_lossy(&c.line)
                            .split(' ')
                            .next()
                            .unwrap()
                            .to_uppercase();
                        match (x.end, x.preliminary_lost) {
                            (ExchangeEnd::LostInGap, _) => format!("{verb} -"),
                            (_, true) => format!("{verb} ~{codes}"),
                            _ => format!("{verb} {codes}").trim_end().to_string(),
                        }
                    }
                    ExchangeKind::Greeting => codes,
                    ExchangeKind::Unsolicited => format!("!{codes}"),
                    ExchangeKind::LostCommand => format!("?{codes}"),
                    _ => unreachable!(),
                };
                for _ in &x.errors {
                    t.push_str(" E");
                }
                tokens.push(t);
            }
            RecordKind::Gap { direction, .. } => tokens.push(
                match direction {
                    ftp_reply::capture::Direction::ToServer => ">gap",
                    _ => "<gap",
                }
                .into(),
            ),
            RecordKind::StreamError { .. } => tokens.push("E".into()),
            _ => {}
        }
    }
    out.into_iter()
        .filter(|(conn, _)| *conn != 0)
        .map(|(k, v)| (k, v.join(" | ")))
        .collect()
}

fn count(records: &[Record], f: impl Fn(&RecordKind) -> bool) -> usize {
    records.iter().filter(|r| f(&r.kind)).count()
}

// ---------------------------------------------------------------- classic pcap

/// The frames of a classic pcap file: (record header, data).
fn pcap_frames(bytes: &[u8]) -> (Vec<u8>, Vec<(Vec<u8>, Vec<u8>)>) {
    let header = bytes[..24].to_vec();
    let mut frames = Vec::new();
    let mut at = 24;
    while at + 16 <= bytes.len() {
        let caplen = u32::from_le_bytes(bytes[at + 8..at + 12].try_into().unwrap()) as usize;
        frames.push((
            bytes[at..at + 16].to_vec(),
            bytes[at + 16..at + 16 + caplen].to_vec(),
        ));
        at += 16 + caplen;
    }
    (header, frames)
}

/// The capture without the frames numbered (from 1, as tshark counts) in `drop`.
fn without_frames(bytes: &[u8], drop: &[usize]) -> Vec<u8> {
    let (header, frames) = pcap_frames(bytes);
    let mut out = header;
    for (i, (h, d)) in frames.into_iter().enumerate() {
        if !drop.contains(&(i + 1)) {
            out.extend_from_slice(&h);
            out.extend_from_slice(&d);
        }
    }
    out
}

// ---------------------------------------------------------------- real captures

/// Known answers, read from each capture with
/// `tshark -r FILE -Y ftp -T fields -e tcp.stream -e ftp.request.command -e ftp.response.code`
/// (one token per command and per reply; tshark shows a multi-line reply's first
/// and last line as two codes, written here as the one reply it is), and the data
/// connections from `tshark -q -z conv,tcp`.
const KNOWN: &[(&str, &[&str], usize)] = &[
    (
        "vsftpd-retransmissions.pcap",
        &[
            "220 | USER 331 | PASS 230 | PORT 200 | NLST 150 226 | PORT 200 | RETR 150 226 | QUIT 221",
        ],
        0,
    ),
    (
        "ftp-data-transfer.pcap",
        &[
            "220 | USER 331 | PASS 230 | PORT 200 | NLST 150 226 | PORT 200 | RETR 150 226 | QUIT 221",
        ],
        2,
    ),
    (
        "proftpd-epsv.pcap",
        &[
            "220 | USER 331 | PASS 230 | SYST 215 | FEAT 211 | PWD 257 | EPSV 229 | LIST 150 226 | TYPE 200 | SIZE 213 | EPSV 229 | RETR 150 226 | MDTM 213 | CWD 250 | PWD 257 | EPSV 229 | STOR 150 226 | MKD 550 | MKD 257 | RMD 250 | CWD 250 | PWD 257 | TYPE 200 | EPSV 229 | LIST 150 226 | SITE 550 | QUIT 221",
        ],
        0,
    ),
    (
        "download-active.pcap",
        &[
            "220 | USER 331 | PASS 230 | TYPE 200 | PORT 200 | NLST 150 226 | TYPE 200 | PORT 200 | RETR 150 226 | TYPE 200 | PORT 200 | NLST 150 226 | QUIT 221",
        ],
        3,
    ),
    (
        "vsftpd-pasv-feat.pcap",
        &[
            "220 | USER 331 | PASS 230 | FEAT 211 | OPTS 200 | TYPE 200 | PASV 227 | LIST 150 226 | XPWD 257 | TYPE 200 | PASV 227 | LIST 150 226 | CWD 250 | XPWD 257 | TYPE 200 | PASV 227 | LIST 150 226 | TYPE 200 | PASV 227 | RETR 150 226 | !500",
        ],
        1,
    ),
];

#[test]
fn real_captures_known_answers() {
    let Some(dir) = captures_dir() else { return };
    for (file, expected, data) in KNOWN {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let (records, error) = read_records(&bytes);
        assert_eq!(error, None, "{file}");
        let got: Vec<String> = summary(&records).into_values().collect();
        assert_eq!(got, *expected, "{file}");
        assert_eq!(
            count(&records, |k| matches!(k, RecordKind::Data(_))),
            *data,
            "{file}: data connections"
        );
        assert_eq!(
            count(&records, |k| matches!(
                k,
                RecordKind::Overlap { .. } | RecordKind::Gap { .. }
            )),
            0,
            "{file}: no gap or overlap"
        );
    }
}

/// Every capture in the directory: each command paired, no gap, no stream error,
/// no unexpected reply but the one ProFTPD really sends (550 to SITE CHMOD).
#[test]
fn every_real_capture_pairs_cleanly() {
    let Some(dir) = captures_dir() else { return };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "{} captures", files.len());
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let (records, error) = read_records(&bytes);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(error, None, "{name}");
        let mut commands = 0;
        for r in &records {
            match &r.kind {
                RecordKind::Exchange(x) => {
                    assert!(x.errors.is_empty(), "{name}: {x:?}");
                    assert_eq!(x.end, ExchangeEnd::Final, "{name}: {x:?}");
                    if x.kind == ExchangeKind::Command {
                        commands += 1;
                        let unexpected = x.replies.iter().any(|r| r.outcome.is_unexpected());
                        let site = x.command.as_ref().unwrap().line.starts_with(b"SITE CHMOD");
                        assert!(!unexpected || site, "{name}: {x:?}");
                    } else {
                        assert!(
                            matches!(x.kind, ExchangeKind::Greeting | ExchangeKind::Unsolicited),
                            "{name}: {x:?}"
                        );
                    }
                }
                RecordKind::StreamError { .. } | RecordKind::Gap { .. } => {
                    panic!("{name}: {:?}", r.kind)
                }
                _ => {}
            }
        }
        assert!(commands > 0, "{name}");
    }
}

#[test]
fn real_capture_details() {
    let Some(dir) = captures_dir() else { return };
    let read = |f: &str| read_records(&std::fs::read(dir.join(f)).unwrap()).0;

    // The PORT line sent five times is one command; the copies are dropped.
    let records = read("vsftpd-retransmissions.pcap");
    let ports = records
        .iter()
        .filter(|r| matches!(&r.kind, RecordKind::Exchange(x) if x.command.as_ref().is_some_and(|c| c.line.starts_with(b"PORT"))))
        .count();
    assert_eq!(ports, 2);
    let Some(RecordKind::Summary(stats)) = records.last().map(|r| &r.kind) else {
        panic!("no summary")
    };
    assert!(stats.retransmitted >= 4 * 26, "{stats:?}");

    // RETR temp.txt: 1164 bytes in an active-mode data connection.
    let records = read("ftp-data-transfer.pcap");
    let sizes: Vec<u64> = records
        .iter()
        .filter_map(|r| match &r.kind {
            RecordKind::Data(d) => {
                assert!(!d.passive);
                assert_eq!(d.client.port(), 20);
                Some(d.bytes_from_client)
            }
            _ => None,
        })
        .collect();
    assert!(sizes.contains(&1164), "{sizes:?}");

    // The reply line of about 112 KB comes whole.
    let records = read("too-long-response.pcap");
    let longest = records
        .iter()
        .filter_map(|r| match &r.kind {
            RecordKind::Exchange(x) => x.replies.iter().map(|r| r.reply.raw().len()).max(),
            _ => None,
        })
        .max()
        .unwrap();
    assert!(longest > 100_000, "{longest}");

    // IPv6: 229 replies, data connections to the server's IPv6 address.
    let records = read("all-data-ipv6.pcap");
    assert!(records.iter().any(|r| r.server.is_ipv6()));
    let data: Vec<_> = records
        .iter()
        .filter_map(|r| match &r.kind {
            RecordKind::Data(d) => Some(d.clone()),
            _ => None,
        })
        .collect();
    // Seven after EPSV (229), seven after EPRT.
    assert_eq!(data.len(), 14);
    assert!(data.iter().all(|d| d.server.is_ipv6()));
    assert_eq!(data.iter().filter(|d| d.passive).count(), 7);

    // ProFTPD's FEAT: one multi-line reply whose inner lines end in a bare LF.
    let records = read("proftpd-epsv.pcap");
    let feat = records
        .iter()
        .find_map(|r| match &r.kind {
            RecordKind::Exchange(x) if x.command.as_ref().is_some_and(|c| c.line == b"FEAT") => {
                Some(x.clone())
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(feat.replies.len(), 1);
    assert!(feat.replies[0].reply.line_count() > 3);
}

// ---------------------------------------------------------------- dropped segments

/// vsftpd-retransmissions.pcap, frame by frame (tshark): 4 `220`, 8 `USER`,
/// 10 `331`, 12 `PASS`, 14 `230`, 18 `PORT`, 23 `200`, 24 `NLST`, 26 `150`,
/// 27 `226`, 29 `PORT`, 30 `200`, 31 `RETR`, 32 `150`, 33 `226`, 35 `QUIT`, 36 `221`.
fn dropped(drop: &[usize]) -> Option<Vec<String>> {
    let dir = captures_dir()?;
    let bytes = std::fs::read(dir.join("vsftpd-retransmissions.pcap")).unwrap();
    let (records, error) = read_records(&without_frames(&bytes, drop));
    assert_eq!(error, None);
    Some(summary(&records).into_values().collect())
}

#[test]
fn drop_a_command() {
    let Some(got) = dropped(&[8]) else { return };
    assert_eq!(
        got,
        [
            "220 | >gap | ?331 | PASS 230 | PORT 200 | NLST 150 226 | PORT 200 | RETR 150 226 | QUIT 221"
        ]
    );
}

#[test]
fn drop_a_reply() {
    let Some(got) = dropped(&[14]) else { return };
    assert_eq!(
        got,
        [
            "220 | USER 331 | <gap | PASS - | PORT 200 | NLST 150 226 | PORT 200 | RETR 150 226 | QUIT 221"
        ]
    );
}

#[test]
fn drop_a_preliminary_reply() {
    let Some(got) = dropped(&[26]) else { return };
    assert_eq!(
        got,
        [
            "220 | USER 331 | PASS 230 | PORT 200 | <gap | NLST ~226 | PORT 200 | RETR 150 226 | QUIT 221"
        ]
    );
}

#[test]
fn drop_several() {
    // The USER command, the 200 to the first PORT, the 150 to RETR, and QUIT.
    let Some(got) = dropped(&[8, 23, 32, 35]) else {
        return;
    };
    assert_eq!(
        got,
        [
            "220 | >gap | ?331 | PASS 230 | <gap | PORT - | NLST 150 226 | PORT 200 | <gap | RETR ~226 | >gap | ?221"
        ]
    );
}

/// Ten sessions in one capture: a loss in one shifts nothing in the others or later.
#[test]
fn drop_in_one_of_ten_sessions() {
    let Some(dir) = captures_dir() else { return };
    let bytes = std::fs::read(dir.join("ten-connections.pcap")).unwrap();
    let (clean, _) = read_records(&bytes);
    let clean = summary(&clean);
    // Frame 10 is the first session's 331, frame 24 its NLST.
    let (records, error) = read_records(&without_frames(&bytes, &[10, 24]));
    assert_eq!(error, None);
    let got = summary(&records);
    assert_eq!(got.len(), 10);
    for (conn, s) in &got {
        if *conn == 1 {
            assert_eq!(
                s,
                "220 | USER 331 | PASS 230 | PORT 200 | NLST 150 226 | PORT 200 | RETR 150 226 | QUIT 221"
                    .replace("USER 331", "<gap | USER -")
                    .replace("NLST 150 226", ">gap | ?150 226")
                    .as_str()
            );
        } else {
            assert_eq!(s, &clean[conn]);
        }
    }
}
