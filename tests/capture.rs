//! `ftp_reply::capture` on real captures (with known answers read from them with
//! tshark), on real captures with segments dropped, and on generated captures:
//! every link type, loss, overlaps, TLS, and hostile files.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ftp_reply::capture::{
    Capture, CaptureConfig, CaptureError, Direction, ExchangeEnd, ExchangeKind, GapCause, Record,
    RecordKind,
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

/// The gap records: (direction, offset, length, cause).
fn gap_records(records: &[Record]) -> Vec<(Direction, u64, u64, GapCause)> {
    records
        .iter()
        .filter_map(|r| match r.kind {
            RecordKind::Gap {
                direction,
                offset,
                len,
                cause,
            } => Some((direction, offset, len, cause)),
            _ => None,
        })
        .collect()
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
                    ExchangeKind::Greeting if x.end == ExchangeEnd::LostInGap => {
                        "greeting -".into()
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

/// A classic pcap record: its 16-byte header and its data.
type PcapRecord = (Vec<u8>, Vec<u8>);

/// The file header and records of a classic pcap file.
fn pcap_frames(bytes: &[u8]) -> (Vec<u8>, Vec<PcapRecord>) {
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
fn drop_the_greeting() {
    // Frame 6 is the greeting again (a spurious retransmission).
    let Some(got) = dropped(&[4, 6]) else { return };
    assert_eq!(
        got,
        [
            "<gap | greeting - | USER 331 | PASS 230 | PORT 200 | NLST 150 226 | PORT 200 | RETR 150 226 | QUIT 221"
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

// ---------------------------------------------------------------- generated captures

mod synth {
    use std::net::{IpAddr, SocketAddr};

    use etherparse::PacketBuilder;

    pub const ETHERNET: u32 = 1;
    pub const NULL: u32 = 0;
    pub const RAW: u32 = 101;
    pub const LOOP: u32 = 108;
    pub const SLL: u32 = 113;
    pub const SLL2: u32 = 276;
    /// Ethernet with an 802.1Q tag (written with link type 1).
    pub const VLAN: u32 = 0x1_0001;

    pub struct Frame {
        pub ts_us: u64,
        pub data: Vec<u8>,
        /// Bytes the capture keeps (the rest is cut, as by a snaplen).
        pub caplen: Option<usize>,
    }

    /// A TCP packet as IP bytes; the IPv6 ones carry a hop-by-hop header.
    #[allow(clippy::too_many_arguments)]
    pub fn ip_packet(
        src: SocketAddr,
        dst: SocketAddr,
        seq: u32,
        ack: Option<u32>,
        syn: bool,
        fin: bool,
        payload: &[u8],
    ) -> Vec<u8> {
        let mut out = Vec::new();
        match (src.ip(), dst.ip()) {
            (IpAddr::V4(s), IpAddr::V4(d)) => {
                let mut b = PacketBuilder::ipv4(s.octets(), d.octets(), 64).tcp(
                    src.port(),
                    dst.port(),
                    seq,
                    65535,
                );
                if let Some(a) = ack {
                    b = b.ack(a);
                }
                if syn {
                    b = b.syn();
                }
                if fin {
                    b = b.fin();
                }
                b.write(&mut out, payload).unwrap();
            }
            (IpAddr::V6(s), IpAddr::V6(d)) => {
                let mut b = PacketBuilder::ipv6(s.octets(), d.octets(), 64).tcp(
                    src.port(),
                    dst.port(),
                    seq,
                    65535,
                );
                if let Some(a) = ack {
                    b = b.ack(a);
                }
                if syn {
                    b = b.syn();
                }
                if fin {
                    b = b.fin();
                }
                b.write(&mut out, payload).unwrap();
                // A hop-by-hop options header (next header TCP, 8 bytes of padding).
                out[6] = 0;
                let len = u16::from_be_bytes([out[4], out[5]]) + 8;
                out[4..6].copy_from_slice(&len.to_be_bytes());
                let ext = [6u8, 0, 1, 4, 0, 0, 0, 0];
                out.splice(40..40, ext);
            }
            _ => panic!("mixed address families"),
        }
        out
    }

    pub fn link(linktype: u32, ip: &[u8]) -> Vec<u8> {
        let v6 = ip[0] >> 4 == 6;
        let ethertype: [u8; 2] = if v6 { [0x86, 0xDD] } else { [0x08, 0x00] };
        let mut out = Vec::new();
        match linktype {
            ETHERNET | VLAN => {
                out.extend_from_slice(&[2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2]);
                if linktype == VLAN {
                    out.extend_from_slice(&[0x81, 0x00, 0x00, 0x2A]);
                }
                out.extend_from_slice(&ethertype);
            }
            SLL => {
                out.extend_from_slice(&[0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0]);
                out.extend_from_slice(&ethertype);
            }
            SLL2 => {
                out.extend_from_slice(&ethertype);
                out.extend_from_slice(&[0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0]);
            }
            NULL => out.extend_from_slice(&(if v6 { 30u32 } else { 2 }).to_le_bytes()),
            LOOP => out.extend_from_slice(&(if v6 { 24u32 } else { 2 }).to_be_bytes()),
            RAW => {}
            _ => panic!("link type {linktype}"),
        }
        out.extend_from_slice(ip);
        out
    }

    fn file_linktype(linktype: u32) -> u32 {
        if linktype == VLAN { ETHERNET } else { linktype }
    }

    pub fn pcap(linktype: u32, frames: &[Frame]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
        out.extend_from_slice(&2u16.to_le_bytes());
        out.extend_from_slice(&4u16.to_le_bytes());
        out.extend_from_slice(&[0; 8]);
        out.extend_from_slice(&65535u32.to_le_bytes());
        out.extend_from_slice(&file_linktype(linktype).to_le_bytes());
        for f in frames {
            let cap = f.caplen.unwrap_or(f.data.len()).min(f.data.len());
            out.extend_from_slice(&((f.ts_us / 1_000_000) as u32).to_le_bytes());
            out.extend_from_slice(&((f.ts_us % 1_000_000) as u32).to_le_bytes());
            out.extend_from_slice(&(cap as u32).to_le_bytes());
            out.extend_from_slice(&(f.data.len() as u32).to_le_bytes());
            out.extend_from_slice(&f.data[..cap]);
        }
        out
    }

    fn block(out: &mut Vec<u8>, kind: u32, body: &[u8]) {
        let pad = (4 - body.len() % 4) % 4;
        let len = (12 + body.len() + pad) as u32;
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(&vec![0; pad]);
        out.extend_from_slice(&len.to_le_bytes());
    }

    pub fn pcapng(linktype: u32, frames: &[Frame]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut shb = Vec::new();
        shb.extend_from_slice(&0x1a2b_3c4du32.to_le_bytes());
        shb.extend_from_slice(&1u16.to_le_bytes());
        shb.extend_from_slice(&0u16.to_le_bytes());
        shb.extend_from_slice(&(-1i64).to_le_bytes());
        block(&mut out, 0x0a0d_0d0a, &shb);
        let mut idb = Vec::new();
        idb.extend_from_slice(&(file_linktype(linktype) as u16).to_le_bytes());
        idb.extend_from_slice(&0u16.to_le_bytes());
        idb.extend_from_slice(&0u32.to_le_bytes());
        block(&mut out, 1, &idb);
        for f in frames {
            let cap = f.caplen.unwrap_or(f.data.len()).min(f.data.len());
            let mut epb = Vec::new();
            epb.extend_from_slice(&0u32.to_le_bytes());
            epb.extend_from_slice(&((f.ts_us >> 32) as u32).to_le_bytes());
            epb.extend_from_slice(&(f.ts_us as u32).to_le_bytes());
            epb.extend_from_slice(&(cap as u32).to_le_bytes());
            epb.extend_from_slice(&(f.data.len() as u32).to_le_bytes());
            epb.extend_from_slice(&f.data[..cap]);
            epb.extend_from_slice(&vec![0; (4 - cap % 4) % 4]);
            block(&mut out, 6, &epb);
        }
        out
    }

    /// One TCP connection, written packet by packet.
    pub struct Conn {
        pub client: SocketAddr,
        pub server: SocketAddr,
        pub cseq: u32,
        pub sseq: u32,
        pub linktype: u32,
    }

    impl Conn {
        pub fn new(client: &str, server: &str, linktype: u32) -> Conn {
            Conn {
                client: client.parse().unwrap(),
                server: server.parse().unwrap(),
                // Near the top, so the sequence numbers wrap around.
                cseq: 0xFFFF_FF00,
                sseq: 0x7000_0000,
                linktype,
            }
        }

        fn frame(&self, ts_us: u64, ip: Vec<u8>) -> Frame {
            Frame {
                ts_us,
                data: link(self.linktype, &ip),
                caplen: None,
            }
        }

        pub fn handshake(&mut self, ts_us: u64) -> Vec<Frame> {
            let syn = ip_packet(self.client, self.server, self.cseq, None, true, false, b"");
            self.cseq = self.cseq.wrapping_add(1);
            let synack = ip_packet(
                self.server,
                self.client,
                self.sseq,
                Some(self.cseq),
                true,
                false,
                b"",
            );
            self.sseq = self.sseq.wrapping_add(1);
            vec![self.frame(ts_us, syn), self.frame(ts_us + 1, synack)]
        }

        pub fn client(&mut self, ts_us: u64, payload: &[u8]) -> Frame {
            let ip = ip_packet(
                self.client,
                self.server,
                self.cseq,
                Some(self.sseq),
                false,
                false,
                payload,
            );
            self.cseq = self.cseq.wrapping_add(payload.len() as u32);
            self.frame(ts_us, ip)
        }

        pub fn server(&mut self, ts_us: u64, payload: &[u8]) -> Frame {
            let ip = ip_packet(
                self.server,
                self.client,
                self.sseq,
                Some(self.cseq),
                false,
                false,
                payload,
            );
            self.sseq = self.sseq.wrapping_add(payload.len() as u32);
            self.frame(ts_us, ip)
        }

        pub fn fins(&mut self, ts_us: u64) -> Vec<Frame> {
            let a = ip_packet(
                self.client,
                self.server,
                self.cseq,
                Some(self.sseq),
                false,
                true,
                b"",
            );
            let b = ip_packet(
                self.server,
                self.client,
                self.sseq,
                Some(self.cseq.wrapping_add(1)),
                false,
                true,
                b"",
            );
            vec![self.frame(ts_us, a), self.frame(ts_us + 1, b)]
        }

        /// A whole session: greeting, login, PWD, QUIT.
        pub fn session(&mut self, t0: u64) -> Vec<Frame> {
            let mut f = self.handshake(t0);
            f.push(self.server(t0 + 10, b"220 Welcome\r\n"));
            f.push(self.client(t0 + 20, b"USER anonymous\r\n"));
            f.push(self.server(t0 + 30, b"331 Password please.\r\n"));
            f.push(self.client(t0 + 40, b"PASS secret\r\n"));
            f.push(self.server(t0 + 50, b"230-Welcome\r\n230 Logged in.\r\n"));
            f.push(self.client(t0 + 60, b"PWD\r\n"));
            f.push(self.server(t0 + 70, b"257 \"/\" is the current directory\r\n"));
            f.push(self.client(t0 + 80, b"QUIT\r\n"));
            f.push(self.server(t0 + 90, b"221 Bye.\r\n"));
            f.extend(self.fins(t0 + 100));
            f
        }
    }
}

const SESSION: &str = "220 | USER 331 | PASS 230 | PWD 257 | QUIT 221";

#[test]
fn every_link_type_and_both_file_formats() {
    for linktype in [
        synth::ETHERNET,
        synth::VLAN,
        synth::SLL,
        synth::SLL2,
        synth::RAW,
        synth::NULL,
        synth::LOOP,
    ] {
        for (client, server) in [
            ("10.0.0.1:40000", "10.0.0.2:21"),
            ("[2001:db8::1]:40000", "[2001:db8::2]:21"),
        ] {
            let frames = synth::Conn::new(client, server, linktype).session(1_000_000);
            for file in [
                synth::pcap(linktype, &frames),
                synth::pcapng(linktype, &frames),
            ] {
                let (records, error) = read_records(&file);
                assert_eq!(error, None, "link type {linktype} {server}");
                let got: Vec<String> = summary(&records).into_values().collect();
                assert_eq!(got, [SESSION], "link type {linktype} {server}");
                let pass = records.iter().find_map(|r| match &r.kind {
                    RecordKind::Exchange(x) => x
                        .command
                        .as_ref()
                        .filter(|c| c.line.starts_with(b"PASS"))
                        .map(|c| c.shown()),
                    _ => None,
                });
                assert_eq!(pass.as_deref(), Some("PASS ****"));
                assert!(records.iter().any(|r| r.server.to_string() == server));
            }
        }
    }
}

#[test]
fn found_by_content_on_any_port_and_by_port_option() {
    let frames = synth::Conn::new("10.0.0.1:40000", "10.0.0.2:2121", synth::ETHERNET).session(0);
    let file = synth::pcap(synth::ETHERNET, &frames);
    let (records, _) = read_records(&file);
    assert_eq!(
        summary(&records).into_values().collect::<Vec<_>>(),
        [SESSION]
    );
    assert!(records.iter().any(|r| matches!(
        r.kind,
        RecordKind::Start {
            detected: ftp_reply::capture::Detection::Content,
            ..
        }
    )));
    let config = CaptureConfig {
        ports: vec![2121],
        detect_by_content: false,
        ..CaptureConfig::default()
    };
    let (records, _) = read_with(&file, config);
    assert_eq!(
        summary(&records).into_values().collect::<Vec<_>>(),
        [SESSION]
    );
    // Not FTP: an HTTP exchange on another port gives no record.
    let mut http = synth::Conn::new("10.0.0.1:40001", "10.0.0.2:80", synth::ETHERNET);
    let mut f = http.handshake(0);
    f.push(http.client(1, b"GET / HTTP/1.0\r\n\r\n"));
    f.push(http.server(2, b"HTTP/1.0 200 OK\r\n\r\n"));
    let (records, _) = read_records(&synth::pcap(synth::ETHERNET, &f));
    assert_eq!(records.len(), 1, "{records:?}"); // the summary
}

/// Segments in any order, with duplicates, reassemble to the same records as in
/// order.
#[test]
fn out_of_order_and_duplicated_segments() {
    let mut c = synth::Conn::new("10.0.0.1:40000", "10.0.0.2:21", synth::ETHERNET);
    let mut frames = c.handshake(0);
    // The greeting and a multi-line reply in many small segments.
    let greeting = b"220-Welcome to a server\r\n220-that writes a lot\r\n220 in pieces\r\n";
    let mut server = Vec::new();
    for (i, piece) in greeting.chunks(7).enumerate() {
        server.push(c.server(10 + i as u64, piece));
    }
    let ordered_tail = {
        let mut t = vec![c.client(100, b"NOOP\r\n"), c.server(110, b"200 OK\r\n")];
        t.extend(c.fins(120));
        t
    };
    let expected = "220 | NOOP 200";
    let mut seed = 12345u64;
    for round in 0..50 {
        let mut shuffled: Vec<&synth::Frame> = server.iter().collect();
        for i in (1..shuffled.len()).rev() {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            shuffled.swap(i, (seed >> 33) as usize % (i + 1));
        }
        // Every third segment twice.
        let mut list: Vec<&synth::Frame> = Vec::new();
        for (i, f) in shuffled.iter().enumerate() {
            list.push(f);
            if (i + round) % 3 == 0 {
                list.push(f);
            }
        }
        let all: Vec<synth::Frame> = frames
            .iter()
            .chain(list.iter().copied())
            .chain(ordered_tail.iter())
            .map(|f| synth::Frame {
                ts_us: f.ts_us,
                data: f.data.clone(),
                caplen: f.caplen,
            })
            .collect();
        let (records, error) = read_records(&synth::pcap(synth::ETHERNET, &all));
        assert_eq!(error, None);
        assert_eq!(
            summary(&records).into_values().collect::<Vec<_>>(),
            [expected],
            "round {round}"
        );
        let greeting_lines = records
            .iter()
            .find_map(|r| match &r.kind {
                RecordKind::Exchange(x) if x.kind == ExchangeKind::Greeting => {
                    Some(x.replies[0].reply.line_count())
                }
                _ => None,
            })
            .unwrap();
        assert_eq!(greeting_lines, 3);
        assert_eq!(
            count(&records, |k| matches!(k, RecordKind::Overlap { .. })),
            0
        );
    }
    frames.clear();
}

#[test]
fn conflicting_overlap_is_reported_and_the_first_bytes_kept() {
    let mut c = synth::Conn::new("10.0.0.1:40000", "10.0.0.2:21", synth::ETHERNET);
    let mut f = c.handshake(0);
    f.push(c.server(10, b"220 hi\r\n"));
    let seq = c.cseq;
    f.push(c.client(20, b"USER alice\r\n"));
    // The same sequence numbers again, other bytes (an evasion attempt).
    c.cseq = seq;
    f.push(c.client(21, b"USER mallory\r\n"));
    f.push(c.server(30, b"331 Password.\r\n"));
    let (records, _) = read_records(&synth::pcap(synth::ETHERNET, &f));
    let overlaps: Vec<_> = records
        .iter()
        .filter_map(|r| match r.kind {
            RecordKind::Overlap { offset, len, .. } => Some((offset, len)),
            _ => None,
        })
        .collect();
    // "alice\r\n" against "mallory": all seven bytes from offset 5 differ.
    assert_eq!(overlaps, [(5, 7)]);
    let user = records
        .iter()
        .find_map(|r| match &r.kind {
            RecordKind::Exchange(x) if x.kind == ExchangeKind::Command => x.command.clone(),
            _ => None,
        })
        .unwrap();
    assert_eq!(user.line, b"USER alice");
}

#[test]
fn auth_tls_stops_decoding() {
    let mut c = synth::Conn::new("10.0.0.1:40000", "10.0.0.2:21", synth::ETHERNET);
    let mut f = c.handshake(0);
    f.push(c.server(10, b"220 hi\r\n"));
    f.push(c.client(20, b"AUTH TLS\r\n"));
    f.push(c.server(30, b"234 Proceed with negotiation.\r\n"));
    // TLS records: a ClientHello-like start and binary bytes both ways.
    let mut noise = vec![0x16, 0x03, 0x01, 0x02, 0x00, 0x01];
    noise.extend((0..2000u32).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8));
    f.push(c.client(40, &noise));
    f.push(c.server(50, &noise));
    f.push(c.client(60, b"\r\n\r\nnot a command\r\n"));
    f.extend(c.fins(70));
    let (records, error) = read_records(&synth::pcap(synth::ETHERNET, &f));
    assert_eq!(error, None);
    assert_eq!(
        summary(&records).into_values().collect::<Vec<_>>(),
        ["220 | AUTH 234"]
    );
    assert_eq!(count(&records, |k| matches!(k, RecordKind::Tls)), 1);
    assert_eq!(
        count(&records, |k| matches!(k, RecordKind::StreamError { .. })),
        0
    );
}

#[test]
fn snaplen_cut_packet_is_a_gap_and_pairing_goes_on() {
    let mut c = synth::Conn::new("10.0.0.1:40000", "10.0.0.2:21", synth::ETHERNET);
    let mut f = c.handshake(0);
    f.push(c.server(10, b"220 hi\r\n"));
    f.push(c.client(20, b"FEAT\r\n"));
    let feat_reply = b"211-Features:\r\n MDTM\r\n SIZE\r\n UTF8\r\n211 End\r\n";
    let mut feat = c.server(30, feat_reply);
    // Keep the headers (14 + 20 + 20) and 10 bytes of the payload.
    feat.caplen = Some(54 + 10);
    f.push(feat);
    f.push(c.client(40, b"PWD\r\n"));
    f.push(c.server(50, b"257 \"/\"\r\n"));
    f.extend(c.fins(60));
    let (records, error) = read_records(&synth::pcap(synth::ETHERNET, &f));
    assert_eq!(error, None);
    let gaps: Vec<u64> = records
        .iter()
        .filter_map(|r| match r.kind {
            RecordKind::Gap { len, .. } => Some(len),
            _ => None,
        })
        .collect();
    assert_eq!(gaps, [feat_reply.len() as u64 - 10]);
    assert_eq!(
        summary(&records).into_values().collect::<Vec<_>>(),
        ["220 | <gap | FEAT - | PWD 257"]
    );
}

/// A session whose FEAT reply a snaplen-cut packet breaks (a gap in the server's
/// direction), then `after` sent by the server, segment by segment, then PWD and
/// its reply (the `n`th segment of `after` sent at `31 + n` µs): the records.
fn after_server_gap_records(after: &[&[u8]]) -> Vec<Record> {
    let mut c = synth::Conn::new("10.0.0.1:40000", "10.0.0.2:21", synth::ETHERNET);
    let mut f = c.handshake(0);
    f.push(c.server(10, b"220 hi\r\n"));
    f.push(c.client(20, b"FEAT\r\n"));
    let mut feat = c.server(30, b"211-Features:\r\n MDTM\r\n SIZE\r\n");
    feat.caplen = Some(54 + 10);
    f.push(feat);
    for (t, segment) in (31..).zip(after) {
        f.push(c.server(t, segment));
    }
    f.push(c.client(40, b"PWD\r\n"));
    f.push(c.server(50, b"257 \"/\" is cwd\r\n"));
    f.extend(c.fins(60));
    let (records, error) = read_records(&synth::pcap(synth::ETHERNET, &f));
    assert_eq!(error, None);
    assert_eq!(gap_records(&records).len(), 1);
    records
}

/// [`after_server_gap_records`]' one connection's summary.
fn after_server_gap(after: &[&[u8]]) -> String {
    let records = after_server_gap_records(after);
    let mut s = summary(&records).into_values();
    let one = s.next().unwrap();
    assert_eq!(s.next(), None);
    one
}

/// After a gap, a reply line whose first bytes end a segment is still found:
/// the kept line start is judged again when the rest of the line arrives.
#[test]
fn reply_line_split_after_a_gap_is_found() {
    assert_eq!(
        after_server_gap(&[b" UTF8\r\n2", b"11 End\r\n"]),
        "220 | <gap | FEAT 211 | PWD 257"
    );
    assert_eq!(
        after_server_gap(&[b" UTF8\r\n211", b" End\r\n"]),
        "220 | <gap | FEAT 211 | PWD 257"
    );
    // Right after the gap, and across three segments.
    assert_eq!(
        after_server_gap(&[b"2", b"1", b"1 End\r\n"]),
        "220 | <gap | FEAT 211 | PWD 257"
    );
    // The reply's time is its first byte's.
    for after in [
        &[&b" UTF8\r\n2"[..], b"11 End\r\n"][..],
        &[b"2", b"1", b"1 End\r\n"],
    ] {
        let records = after_server_gap_records(after);
        let feat = records
            .iter()
            .find_map(|r| match &r.kind {
                RecordKind::Exchange(x)
                    if x.command.as_ref().is_some_and(|c| c.line == b"FEAT") =>
                {
                    Some(x)
                }
                _ => None,
            })
            .unwrap();
        assert_eq!(feat.replies.len(), 1);
        assert_eq!(feat.replies[0].ts.as_nanos(), 31_000);
    }
}

/// After a gap, a segment that ends inside a line does not make the next
/// segment's first bytes a line start, however much they look like a reply.
#[test]
fn mid_line_segment_end_after_a_gap_is_no_line_start() {
    assert_eq!(
        after_server_gap(&[
            b" UTF8 and many more features, ",
            b"500 of them\r\n211 End\r\n"
        ]),
        "220 | <gap | FEAT 211 | PWD 257"
    );
    // Nor a line start kept whole that turns out not to be one.
    assert_eq!(
        after_server_gap(&[b" UTF8\r\n21", b"x, ", b"500 more\r\n211 End\r\n"]),
        "220 | <gap | FEAT 211 | PWD 257"
    );
}

/// After a gap, only a line the decoder reads as a reply's first line is where
/// decoding resumes: three digits with a first digit past 6 are skipped.
#[test]
fn after_a_gap_only_a_reply_code_resumes_decoding() {
    assert_eq!(
        after_server_gap(&[b"999 no reply\r\n000 nor this\r\n211 End\r\n"]),
        "220 | <gap | FEAT 211 | PWD 257"
    );
    assert_eq!(
        after_server_gap(&[b"220\rx\r\n211 End\r\n"]),
        "220 | <gap | FEAT 211 | PWD 257"
    );
}

#[test]
fn pipelined_commands_pair_in_order() {
    let mut c = synth::Conn::new("10.0.0.1:40000", "10.0.0.2:21", synth::ETHERNET);
    let mut f = c.handshake(0);
    f.push(c.server(10, b"220 hi\r\n"));
    f.push(c.client(20, b"USER a\r\nPASS b\r\nTYPE I\r\nPASV\r\nRETR f\r\n"));
    f.push(c.server(
        30,
        b"331 p\r\n230 ok\r\n200 I\r\n227 Entering Passive Mode (10,0,0,2,4,1).\r\n150 go\r\n",
    ));
    f.push(c.client(40, b"ABOR\r\n"));
    f.push(c.server(50, b"426 aborted\r\n226 ABOR ok\r\n"));
    let mut data = synth::Conn::new("10.0.0.1:40002", "10.0.0.2:1025", synth::ETHERNET);
    f.extend(data.handshake(35));
    f.push(data.server(36, &[7u8; 1000]));
    f.push(data.server(37, &[7u8; 1000]));
    f.extend(data.fins(38));
    f.extend(c.fins(60));
    let (records, error) = read_records(&synth::pcap(synth::ETHERNET, &f));
    assert_eq!(error, None);
    assert_eq!(
        summary(&records).into_values().collect::<Vec<_>>(),
        ["220 | USER 331 | PASS 230 | TYPE 200 | PASV 227 | RETR 150 426 | ABOR 226"]
    );
    let data: Vec<_> = records
        .iter()
        .filter_map(|r| match &r.kind {
            RecordKind::Data(d) => Some(d.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(data.len(), 1);
    assert_eq!(data[0].bytes_from_server, 2000);
    assert!(data[0].passive);
}

/// Past `max_buffered` the connection growing drops what it holds: each byte range
/// is one gap, the bytes held with cause `buffer-limit`, the hole before them
/// (a command the capture lost) with `capture-loss`, and the pairing resumes after
/// them as after any gap; acknowledgments that reach past the shed bytes later
/// report nothing again.
#[test]
fn buffer_limit_sheds_once_and_pairing_resumes() {
    let mut c = synth::Conn::new("10.0.0.1:40000", "10.0.0.2:21", synth::ETHERNET);
    let mut f = c.handshake(0);
    f.push(c.server(10, b"220 hi\r\n"));
    f.push(c.client(20, b"USER a\r\n"));
    f.push(c.server(30, b"331 p\r\n"));
    // The capture loses PASS (client bytes 8..16); the two SITE commands after it
    // (600 bytes each, 16..1216) wait behind the hole until the limit is reached.
    let _lost = c.client(40, b"PASS b\r\n");
    let after_pass = c.cseq;
    let site = |fill: u8| {
        let mut line = b"SITE ".to_vec();
        line.extend(std::iter::repeat_n(fill, 593));
        line.extend_from_slice(b"\r\n");
        line
    };
    f.push(c.client(50, &site(b'a')));
    let after_a = c.cseq;
    f.push(c.client(60, &site(b'b')));
    let after_b = c.cseq;
    // The server answers each as it gets it: its acknowledgments reach the end
    // of PASS, of the first SITE, of the second.
    for (ts, ack, reply) in [
        (70, after_pass, &b"230 ok\r\n"[..]),
        (80, after_a, b"200 a\r\n"),
        (90, after_b, b"200 b\r\n"),
    ] {
        let ip = synth::ip_packet(c.server, c.client, c.sseq, Some(ack), false, false, reply);
        c.sseq = c.sseq.wrapping_add(reply.len() as u32);
        f.push(synth::Frame {
            ts_us: ts,
            data: synth::link(synth::ETHERNET, &ip),
            caplen: None,
        });
    }
    f.push(c.client(100, b"PWD\r\n"));
    f.push(c.server(110, b"257 \"/\"\r\n"));
    f.extend(c.fins(120));
    let file = synth::pcap(synth::ETHERNET, &f);

    let config = CaptureConfig {
        max_buffered: 1000,
        ..CaptureConfig::default()
    };
    let (records, error) = read_with(&file, config);
    assert_eq!(error, None);
    let gaps = gap_records(&records);
    assert_eq!(
        gaps,
        [
            (Direction::ToServer, 8, 8, GapCause::CaptureLoss),
            (Direction::ToServer, 16, 1200, GapCause::BufferLimit),
        ]
    );
    assert_eq!(
        summary(&records).into_values().collect::<Vec<_>>(),
        ["220 | USER 331 | >gap | >gap | ?230 | ?200 | ?200 | PWD 257"]
    );
    let pwd = records.iter().find_map(|r| match &r.kind {
        RecordKind::Exchange(x) => x.command.as_ref().filter(|c| c.line == b"PWD"),
        _ => None,
    });
    assert_eq!(pwd.map(|c| c.offset), Some(1216));
    // The connection's end counts the bytes shed as passed.
    assert!(records.iter().any(|r| matches!(
        r.kind,
        RecordKind::End {
            client_bytes: 1221,
            ..
        }
    )));

    // Without the limit the same capture holds the SITE commands until the hole
    // is acknowledged: the lost PASS is the only gap, and both commands are read.
    let (records, _) = read_records(&file);
    assert_eq!(
        gap_records(&records),
        [(Direction::ToServer, 8, 8, GapCause::CaptureLoss)]
    );
    assert_eq!(
        summary(&records).into_values().collect::<Vec<_>>(),
        ["220 | USER 331 | >gap | ?230 | SITE 200 | SITE 200 | PWD 257"]
    );
}

/// The same in the server's direction: a reply cut by the shed bytes is lost with
/// them, and decoding resumes at the next reply.
#[test]
fn buffer_limit_in_the_server_direction() {
    let mut c = synth::Conn::new("10.0.0.1:40000", "10.0.0.2:21", synth::ETHERNET);
    let mut f = c.handshake(0);
    f.push(c.server(10, b"220 hi\r\n"));
    f.push(c.client(20, b"FEAT\r\n"));
    // The reply's first line is lost (server bytes 8..23); 1400 bytes of its
    // feature lines wait behind the hole until the limit is reached.
    let _lost = c.server(30, b"211-Features:\r\n");
    let features = b" MDTM\r\n".repeat(200);
    f.push(c.server(31, &features[..700]));
    f.push(c.server(32, &features[700..]));
    f.push(c.server(33, b"211 End\r\n"));
    f.push(c.client(40, b"PWD\r\n"));
    f.push(c.server(50, b"257 \"/\"\r\n"));
    f.extend(c.fins(60));
    let config = CaptureConfig {
        max_buffered: 1000,
        ..CaptureConfig::default()
    };
    let (records, error) = read_with(&synth::pcap(synth::ETHERNET, &f), config);
    assert_eq!(error, None);
    let gaps = gap_records(&records);
    assert_eq!(
        gaps,
        [
            (Direction::ToClient, 8, 15, GapCause::CaptureLoss),
            (Direction::ToClient, 23, 1400, GapCause::BufferLimit),
        ]
    );
    assert_eq!(
        summary(&records).into_values().collect::<Vec<_>>(),
        ["220 | <gap | <gap | FEAT 211 | PWD 257"]
    );
}

/// Past 256 commands awaiting replies the oldest gives way (ended unanswered), and
/// the replies go to the commands still awaited, in order.
#[test]
fn too_many_pending_commands_end_the_oldest() {
    let mut c = synth::Conn::new("10.0.0.1:40000", "10.0.0.2:21", synth::ETHERNET);
    let mut f = c.handshake(0);
    f.push(c.server(10, b"220 hi\r\n"));
    f.push(c.client(20, &b"NOOP\r\n".repeat(300)));
    f.push(c.server(30, &b"200 ok\r\n".repeat(300)));
    f.extend(c.fins(40));
    let (records, error) = read_records(&synth::pcap(synth::ETHERNET, &f));
    assert_eq!(error, None);
    let mut unanswered = Vec::new();
    let mut answered = Vec::new();
    let mut unsolicited = 0;
    for r in &records {
        if let RecordKind::Exchange(x) = &r.kind {
            match (x.kind, x.end, &x.command) {
                (ExchangeKind::Command, ExchangeEnd::Unanswered, Some(c)) => {
                    unanswered.push(c.offset)
                }
                (ExchangeKind::Command, ExchangeEnd::Final, Some(c)) => {
                    assert_eq!(x.replies.len(), 1);
                    answered.push((c.offset, x.replies[0].offset));
                }
                (ExchangeKind::Unsolicited, ..) => unsolicited += 1,
                (ExchangeKind::Greeting, ..) => {}
                other => panic!("{other:?}"),
            }
        }
    }
    assert_eq!(unanswered, (0..44).map(|i| i * 6).collect::<Vec<u64>>());
    let expected: Vec<(u64, u64)> = (0..256).map(|i| ((44 + i) * 6, 8 + i * 8)).collect();
    assert_eq!(answered, expected);
    assert_eq!(unsolicited, 44);
}

// ---------------------------------------------------------------- hostile files

#[test]
fn bad_files_give_typed_errors() {
    let frames = synth::Conn::new("10.0.0.1:40000", "10.0.0.2:21", synth::ETHERNET).session(0);
    let good = synth::pcap(synth::ETHERNET, &frames);

    assert_eq!(read_records(b"").1, Some(CaptureError::Empty));
    assert_eq!(
        read_records(b"this is not a capture at all, not even close").1,
        Some(CaptureError::NotACapture)
    );

    // Cut inside the fifth record: what came before is still read.
    let (_, all) = pcap_frames(&good);
    let cut = 24
        + all[..4]
            .iter()
            .map(|(h, d)| h.len() + d.len())
            .sum::<usize>()
        + 20;
    let (records, error) = read_records(&good[..cut]);
    assert!(
        matches!(error, Some(CaptureError::Truncated { offset }) if offset == (cut - 20) as u64),
        "{error:?}"
    );
    assert_eq!(
        summary(&records).into_values().collect::<Vec<_>>(),
        ["220 | USER"]
    );

    // An absurd length in a record header.
    let mut absurd = good.clone();
    let at = 24 + all[0].0.len() + all[0].1.len();
    absurd[at + 8..at + 12].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    let (_, error) = read_records(&absurd);
    assert!(
        matches!(error, Some(CaptureError::RecordTooLong { offset, .. }) if offset == at as u64),
        "{error:?}"
    );

    // pcapng: a block whose two lengths disagree, and a packet of no interface.
    let ng = synth::pcapng(synth::ETHERNET, &frames);
    let mut corrupt = ng.clone();
    let first_epb = 28 + 20;
    corrupt[first_epb + 4] ^= 0x04;
    let (_, error) = read_records(&corrupt);
    assert!(error.is_some(), "corrupt pcapng");
    let mut no_iface = ng.clone();
    no_iface[first_epb + 8] = 9;
    let (_, error) = read_records(&no_iface);
    assert!(
        matches!(
            error,
            Some(CaptureError::UnknownInterface { interface: 9, .. })
        ),
        "{error:?}"
    );

    // Every prefix of a small capture: a result, never a panic.
    for n in 0..good.len() {
        let _ = read_records(&good[..n]);
    }
}

#[test]
fn non_tcp_and_malformed_frames_are_counted() {
    let mut f = Vec::new();
    // ARP.
    let mut arp = vec![0xff; 12];
    arp.extend_from_slice(&[0x08, 0x06]);
    arp.extend_from_slice(&[0; 28]);
    f.push(synth::Frame {
        ts_us: 0,
        data: arp,
        caplen: None,
    });
    // UDP.
    let mut udp = Vec::new();
    etherparse::PacketBuilder::ethernet2([1; 6], [2; 6])
        .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
        .udp(53, 53)
        .write(&mut udp, b"dns")
        .unwrap();
    f.push(synth::Frame {
        ts_us: 1,
        data: udp,
        caplen: None,
    });
    // An IPv4 header cut short.
    let mut short = vec![0; 12];
    short.extend_from_slice(&[0x08, 0x00, 0x45, 0x00]);
    f.push(synth::Frame {
        ts_us: 2,
        data: short,
        caplen: None,
    });
    let (records, error) = read_records(&synth::pcap(synth::ETHERNET, &f));
    assert_eq!(error, None);
    let Some(RecordKind::Summary(stats)) = records.last().map(|r| &r.kind) else {
        panic!()
    };
    assert_eq!(
        (stats.frames, stats.not_ip, stats.not_tcp, stats.malformed),
        (3, 1, 1, 1)
    );
    assert_eq!(records.len(), 1);
}

#[test]
fn many_syns_are_bounded() {
    let mut frames = Vec::new();
    for i in 0..60_000u32 {
        let client = format!(
            "10.{}.{}.{}:{}",
            (i >> 16) & 255,
            (i >> 8) & 255,
            i & 255,
            1024 + i % 60_000
        );
        let mut c = synth::Conn::new(&client, "10.0.0.2:21", synth::RAW);
        frames.extend(c.handshake(u64::from(i)).into_iter().take(1));
    }
    let config = CaptureConfig {
        max_connections: 4096,
        ..CaptureConfig::default()
    };
    let (records, error) = read_with(&synth::pcap(synth::RAW, &frames), config);
    assert_eq!(error, None);
    let Some(RecordKind::Summary(stats)) = records.last().map(|r| &r.kind) else {
        panic!()
    };
    assert_eq!(stats.silent_connections, 60_000);
    assert!(stats.evicted >= 60_000 - 4096, "{stats:?}");
    assert_eq!(records.len(), 1);
}

/// 100 000 connections open at once: each greets, then each client sends QUIT.
#[test]
fn hundred_thousand_simultaneous_connections() {
    let n = 100_000u32;
    let mut conns: Vec<synth::Conn> = (0..n)
        .map(|i| {
            let client = format!(
                "10.{}.{}.{}:40000",
                (i >> 16) & 255,
                (i >> 8) & 255,
                i & 255
            );
            synth::Conn::new(&client, "10.0.0.2:21", synth::RAW)
        })
        .collect();
    let mut frames = Vec::with_capacity(3 * n as usize);
    for (i, c) in conns.iter_mut().enumerate() {
        frames.push(c.server(i as u64, b"220 hi\r\n"));
    }
    for (i, c) in conns.iter_mut().enumerate() {
        frames.push(c.client(1_000_000 + i as u64, b"QUIT\r\n"));
    }
    for (i, c) in conns.iter_mut().enumerate() {
        frames.push(c.server(2_000_000 + i as u64, b"221 bye\r\n"));
    }
    let file = synth::pcap(synth::RAW, &frames);
    drop(frames);
    drop(conns);
    let mut quits = 0;
    for r in Capture::new(&file[..]).unwrap() {
        if let RecordKind::Exchange(x) = r.unwrap().kind
            && x.kind == ExchangeKind::Command
            && x.end == ExchangeEnd::Final
            && x.replies.len() == 1
        {
            quits += 1;
        }
    }
    assert_eq!(quits, n as usize);
    // With room for a tenth of them, the rest are ended to make room: no panic,
    // and every connection still ends once.
    let config = CaptureConfig {
        max_connections: 10_000,
        ..CaptureConfig::default()
    };
    let last = Capture::with_config(&file[..], config)
        .unwrap()
        .last()
        .unwrap()
        .unwrap();
    let RecordKind::Summary(stats) = last.kind else {
        panic!()
    };
    assert!(stats.evicted >= 90_000, "{stats:?}");
}

#[test]
fn endless_lines_are_bounded() {
    let mut c = synth::Conn::new("10.0.0.1:40000", "10.0.0.2:21", synth::ETHERNET);
    let mut f = c.handshake(0);
    f.push(c.server(10, b"220 hi\r\n"));
    // A command line of 100 KB, then a normal one.
    for i in 0..100 {
        f.push(c.client(20 + i, &[b'A'; 1000]));
    }
    f.push(c.client(200, b"\r\nNOOP\r\n"));
    f.push(c.server(210, b"500 too long\r\n200 ok\r\n"));
    // A reply line of 3 MB (over the 1 MiB line limit), then a normal reply.
    f.push(c.client(300, b"STAT\r\n"));
    f.push(c.server(310, b"211-"));
    for i in 0..3000 {
        f.push(c.server(320 + i, &[b'x'; 1000]));
    }
    f.push(c.server(4000, b"\r\n211 end\r\n"));
    f.push(c.client(4100, b"PWD\r\n"));
    f.push(c.server(4200, b"257 \"/\"\r\n"));
    f.extend(c.fins(5000));
    let (records, error) = read_records(&synth::pcap(synth::ETHERNET, &f));
    assert_eq!(error, None);
    let s = summary(&records).into_values().collect::<Vec<_>>();
    assert_eq!(s.len(), 1);
    assert!(s[0].starts_with("220 | AAAA"), "{}", &s[0][..40]);
    // The 3 MB line: the decoder reports it and drops the reply it is in.
    assert!(
        s[0].ends_with("A 500 | NOOP 200 | STAT E | PWD 257"),
        "{}",
        s[0]
    );
    let cut = records.iter().find_map(|r| match &r.kind {
        RecordKind::Exchange(x) => x.command.as_ref().and_then(|c| c.cut_by_gap),
        _ => None,
    });
    assert_eq!(cut, Some(false));
}

// ---------------------------------------------------------------- own captures

/// Captured with tcpdump from the servers `scripts/ftp-servers.sh` starts, while
/// Python's ftplib logged in, listed, uploaded, downloaded and deleted a file:
/// vsftpd in passive mode on `lo` (Ethernet, nanosecond timestamps, converted to
/// pcapng with editcap), and ProFTPD in active mode on `any` (Linux cooked v2).
/// Known answers from `tshark -d tcp.port==PORT,ftp`; both are found by content
/// (their ports are not 21).
const OWN: &[(&str, &str)] = &[
    (
        "vsftpd-passive.pcapng",
        "220 | USER 331 | PASS 230 | SYST 215 | PWD 257 | TYPE 200 | TYPE 200 | PASV 227 | LIST 150 226 | TYPE 200 | SIZE 550 | TYPE 200 | PASV 227 | STOR 150 226 | TYPE 200 | PASV 227 | RETR 150 226 | DELE 250 | QUIT 221",
    ),
    (
        "proftpd-active-any.pcap",
        "220 | USER 331 | PASS 230 | SYST 215 | PWD 257 | TYPE 200 | TYPE 200 | PORT 200 | LIST 150 226 | TYPE 200 | SIZE 550 | TYPE 200 | PORT 200 | STOR 150 226 | TYPE 200 | PORT 200 | RETR 150 226 | DELE 250 | QUIT 221",
    ),
];

fn own(file: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(file),
    )
    .unwrap()
}

#[test]
fn own_captures_known_answers() {
    for (file, expected) in OWN {
        let (records, error) = read_records(&own(file));
        assert_eq!(error, None, "{file}");
        assert_eq!(
            summary(&records).into_values().collect::<Vec<_>>(),
            [*expected],
            "{file}"
        );
        let data: Vec<_> = records
            .iter()
            .filter_map(|r| match &r.kind {
                RecordKind::Data(d) => Some(d.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(data.len(), 3, "{file}");
        // The 20 000-byte upload and download.
        assert_eq!(
            data[1].bytes_from_client + data[1].bytes_from_server,
            20_000,
            "{file}"
        );
        assert_eq!(
            data[2].bytes_from_client + data[2].bytes_from_server,
            20_000,
            "{file}"
        );
        assert_eq!(data[0].passive, file.contains("passive"));
    }
}

/// A real explicit-FTPS session from vsftpd (`tcpdump -i lo`, port 42121): FEAT,
/// AUTH TLS, then login, PROT P, PWD, NOOP and QUIT inside TLS. Known answers from
/// `tshark -d tcp.port==42121,ftp` for the clear part (frames 4–11: 220, FEAT
/// 211, AUTH 234); from frame 12 on tshark reads TLS records as FTP lines, which
/// the reader must not: one TLS record and no stream error.
#[test]
fn own_capture_auth_tls_from_vsftpd() {
    let (records, error) = read_records(&own("vsftpd-auth-tls.pcap"));
    assert_eq!(error, None);
    assert_eq!(
        summary(&records).into_values().collect::<Vec<_>>(),
        ["220 | FEAT 211 | AUTH 234"]
    );
    assert_eq!(count(&records, |k| matches!(k, RecordKind::Tls)), 1);
    assert_eq!(
        count(&records, |k| matches!(k, RecordKind::StreamError { .. })),
        0
    );
}

/// ProFTPD's session without frame 19 (`PORT` before `LIST`), 51 (`226` to
/// `STOR`) and 61 (`150` to `RETR`).
#[test]
fn own_capture_with_drops() {
    let bytes = own("proftpd-active-any.pcap");
    let (records, error) = read_records(&without_frames(&bytes, &[19, 51, 61]));
    assert_eq!(error, None);
    assert_eq!(
        summary(&records).into_values().collect::<Vec<_>>(),
        [
            "220 | USER 331 | PASS 230 | SYST 215 | PWD 257 | TYPE 200 | TYPE 200 | >gap | ?200 | LIST 150 226 | TYPE 200 | SIZE 550 | TYPE 200 | PORT 200 | <gap | STOR - | TYPE 200 | PORT 200 | <gap | RETR ~226 | DELE 250 | QUIT 221"
        ]
    );
}

/// A frame larger than the reader's first buffer (64 KiB, as loopback captures with
/// segmentation offload have) is read whole.
#[test]
fn frames_over_64_kib() {
    let mut c = synth::Conn::new("10.0.0.1:40000", "10.0.0.2:21", synth::ETHERNET);
    let mut f = c.handshake(0);
    let mut big = b"220 ".to_vec();
    big.extend(std::iter::repeat_n(b'w', 65_495 - 6));
    big.extend_from_slice(b"\r\n");
    f.push(c.server(10, &big));
    f.push(c.client(20, b"QUIT\r\n"));
    f.push(c.server(30, b"221 bye\r\n"));
    let file = synth::pcap(synth::ETHERNET, &f);
    let (records, error) = read_records(&file);
    assert_eq!(error, None);
    assert_eq!(
        summary(&records).into_values().collect::<Vec<_>>(),
        ["220 | QUIT 221"]
    );
}
