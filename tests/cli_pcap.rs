//! The `pcap` verb: its JSON contract, the transcript's width and colours, and its
//! exit status.

use std::path::PathBuf;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ftp-reply"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("the tool runs")
}

fn data(file: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn json_contract() {
    let out = run(&["pcap", &data("vsftpd-passive.pcapng"), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut commands = 0;
    let mut conns = std::collections::HashSet::new();
    let mut kinds = std::collections::BTreeSet::new();
    let mut starts = 0;
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let o = v.as_object().unwrap();
        if o.get("event").is_some_and(|e| e == "start") {
            // Port 46121 is not 21: the connection is found by its content.
            assert_eq!(o["detected"], "content", "{line}");
            starts += 1;
        }
        if o.contains_key("event") {
            continue;
        }
        kinds.insert(o["kind"].as_str().unwrap().to_string());
        for key in [
            "conn", "ts", "client", "server", "command", "replies", "outcome",
        ] {
            assert!(o.contains_key(key), "{key} in {line}");
        }
        conns.insert(o["conn"].as_u64().unwrap());
        assert!(o["ts"].as_f64().unwrap() > 1.7e9);
        assert!(o["client"].as_str().unwrap().starts_with("127.0.0.1:"));
        assert_eq!(o["server"], "127.0.0.1:46121");
        for r in o["replies"].as_array().unwrap() {
            for key in [
                "offset",
                "ts",
                "code",
                "class",
                "group",
                "multiline",
                "lines",
                "outcome",
            ] {
                assert!(r.get(key).is_some(), "{key} in {r}");
            }
        }
        if let Some(c) = o["command"].as_str() {
            commands += 1;
            assert!(!c.contains("ftptest-pass"), "{c}");
            if c.starts_with("PASV") {
                assert_eq!(o["replies"][0]["payload"]["kind"], "passive");
            }
        }
    }
    assert_eq!(commands, 18);
    assert_eq!(conns.len(), 1);
    assert_eq!(starts, 1);
    assert_eq!(kinds, ["command", "greeting"].map(String::from).into());
    assert!(text.contains(r#""command":"PASS ****""#));
}

#[test]
fn transcript_fits_80_columns_and_keeps_every_character() {
    let out = run(&["pcap", &data("proftpd-active-any.pcap"), "--color", "never"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\x1b'));
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "{line:?}");
    }
    assert!(text.contains("> USER ftptest"));
    assert!(text.contains("< 331 "));
    assert!(text.contains("> PASS ****"));
    // ProFTPD's long 150 line is wrapped, not cut: every word is there.
    let words: Vec<&str> = text.split_whitespace().collect();
    for w in [
        "Opening",
        "BINARY",
        "mode",
        "data",
        "connection",
        "upload.bin",
    ] {
        assert!(words.contains(&w), "{w}");
    }
}

#[test]
fn a_long_reply_is_wrapped_whole() {
    let Some(path) = ["../shared/captures/too-long-response.pcap"]
        .iter()
        .map(|p| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(p))
        .find(|p| p.exists())
    else {
        assert_ne!(
            std::env::var("FTP_REPLY_CAPTURES").as_deref(),
            Ok("required"),
            "../shared/captures is missing"
        );
        eprintln!("skipped: ../shared/captures is absent");
        return;
    };
    let out = run(&["pcap", &path.to_string_lossy(), "--color", "never"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let json = run(&["pcap", &path.to_string_lossy(), "--json"]);
    let json = String::from_utf8(json.stdout).unwrap();
    let longest: usize = json
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["replies"].as_array().cloned())
        .flatten()
        .flat_map(|r| r["lines"].as_array().cloned().unwrap_or_default())
        .map(|l| {
            l.as_str()
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_whitespace())
                .count()
        })
        .max()
        .unwrap();
    assert!(longest > 100_000);
    let shown: usize = text.chars().filter(|c| !c.is_whitespace()).count();
    assert!(shown > longest, "{shown} <= {longest}");
    assert!(text.lines().all(|l| l.chars().count() <= 80));
}

#[test]
fn colours_by_reply_class_when_asked() {
    let out = run(&["pcap", &data("vsftpd-passive.pcapng"), "--color", "always"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\x1b[32m230 Login successful."), "green 2yz");
    assert!(text.contains("\x1b[33m331 "), "yellow 3yz");
    assert!(text.contains("\x1b[31m550 "), "red 5yz");
    // Not a terminal: auto means no colour.
    let out = run(&["pcap", &data("vsftpd-passive.pcapng")]);
    assert!(!String::from_utf8(out.stdout).unwrap().contains('\x1b'));
}

#[test]
fn exit_status() {
    let dir = std::env::temp_dir().join(format!("ftp-reply-cli-pcap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let junk = dir.join("junk.pcap");
    std::fs::write(&junk, b"not a capture, just some text").unwrap();
    let out = run(&["pcap", &junk.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a pcap"));

    let bytes = std::fs::read(data("proftpd-active-any.pcap")).unwrap();
    let cut = dir.join("cut.pcap");
    std::fs::write(&cut, &bytes[..bytes.len() - 10]).unwrap();
    let out = run(&["pcap", &cut.to_string_lossy(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let last = text.lines().last().unwrap();
    assert!(last.contains(r#""event":"capture-error""#), "{last}");
    assert!(last.contains(r#""kind":"truncated""#), "{last}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A gap's line says which side lost how many bytes, where, and why.
#[test]
fn a_gap_says_which_side_where_and_why() {
    use etherparse::PacketBuilder;
    // 10.0.0.1:40000 ↔ 10.0.0.2:21: handshake, the greeting, 10 bytes of the
    // server's stream never captured, then a reply after them that the client
    // acknowledges.
    let (c, s) = (([10, 0, 0, 1], 40000u16), ([10, 0, 0, 2], 21u16));
    let (cseq, sseq) = (1000u32, 5000u32);
    // (from the server, SYN, sequence number, acknowledgment, payload)
    type Segment<'a> = (bool, bool, u32, Option<u32>, &'a [u8]);
    let segments: [Segment; 6] = [
        (false, true, cseq - 1, None, b""),
        (true, true, sseq - 1, Some(cseq), b""),
        (true, false, sseq, Some(cseq), b"220 hi\r\n"),
        (false, false, cseq, Some(sseq + 8), b"NOOP\r\n"),
        (true, false, sseq + 18, Some(cseq + 6), b"200 ok\r\n"),
        (false, false, cseq + 6, Some(sseq + 26), b""),
    ];
    // A classic pcap header: magic, version 2.4, zone, accuracy, snaplen, Ethernet.
    let mut file = Vec::new();
    file.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    file.extend_from_slice(&[2, 0, 4, 0]);
    for word in [0u32, 0, 65535, 1] {
        file.extend_from_slice(&word.to_le_bytes());
    }
    for (i, (from_server, syn, seq, ack, payload)) in segments.into_iter().enumerate() {
        let ((src, sport), (dst, dport)) = if from_server { (s, c) } else { (c, s) };
        let mut frame = vec![2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00];
        let mut tcp = PacketBuilder::ipv4(src, dst, 64).tcp(sport, dport, seq, 65535);
        if syn {
            tcp = tcp.syn();
        }
        if let Some(ack) = ack {
            tcp = tcp.ack(ack);
        }
        tcp.write(&mut frame, payload).unwrap();
        let len = frame.len() as u32;
        for word in [1, i as u32, len, len] {
            file.extend_from_slice(&word.to_le_bytes());
        }
        file.extend_from_slice(&frame);
    }
    let path = std::env::temp_dir().join(format!("ftp-reply-gap-{}.pcap", std::process::id()));
    std::fs::write(&path, &file).unwrap();
    let out = run(&["pcap", &path.to_string_lossy(), "--color", "never"]);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("gap: 10 bytes from the server missing at byte 8, not in the capture"),
        "{text}"
    );
}
