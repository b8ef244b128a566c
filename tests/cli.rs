//! Tests of the `ftp-reply` binary: `explain`, `decode` (files and standard input,
//! table and JSON), and `probe` against a local socket.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ftp-reply"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run ftp-reply")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ftp-reply");
    let mut stdin = child.stdin.take().unwrap();
    let data = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ftp-reply-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn explain_json_has_the_exact_shape() {
    let out = run(&["explain", "550", "--json"]);
    assert!(out.status.success());
    let v = json_lines(&out);
    assert_eq!(v.len(), 1, "exactly one object");
    let o = &v[0];
    assert_eq!(o["code"], 550);
    assert_eq!(o["class"], "permanent-negative");
    assert_eq!(o["group"], "file-system");
    let meanings = o["meanings"].as_object().unwrap();
    for lang in ["en", "ru", "zh"] {
        assert!(
            meanings[lang].as_str().is_some_and(|s| !s.is_empty()),
            "{lang}"
        );
    }
}

#[test]
fn explain_classes_and_groups_by_digit() {
    for (code, class, group) in [
        ("150", "positive-preliminary", "file-system"),
        ("227", "positive-completion", "connections"),
        ("331", "positive-intermediate", "authentication"),
        ("421", "transient-negative", "connections"),
        ("500", "permanent-negative", "syntax"),
        ("631", "protected", "authentication"),
        ("214", "positive-completion", "information"),
        ("299", "positive-completion", "unknown"),
        ("540", "permanent-negative", "unspecified"),
    ] {
        let out = run(&["explain", code, "--json"]);
        assert!(out.status.success(), "{code}");
        let o = &json_lines(&out)[0];
        assert_eq!(
            (o["class"].as_str(), o["group"].as_str()),
            (Some(class), Some(group)),
            "{code}"
        );
    }
}

#[test]
fn explain_winsock_is_not_a_reply() {
    let out = run(&["explain", "10054", "--json"]);
    assert!(out.status.success());
    let o = &json_lines(&out)[0];
    assert_eq!(o["class"], "winsock");
    assert!(
        o["meanings"]["en"]
            .as_str()
            .unwrap()
            .contains("not an FTP reply")
    );
}

#[test]
fn explain_rejects_malformed_codes() {
    for bad in ["700", "099", "abc", "12", "-550", "5500", "10055"] {
        let out = run(&["explain", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("not") && err.contains("code"), "{bad}: {err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn explain_human_output_and_languages() {
    let out = run(&["explain", "425", "--lang", "en"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("transient-negative"));
    assert!(text.contains("connections"));
    assert!(text.to_lowercase().contains("advice"));
    let ru = String::from_utf8(run(&["explain", "331", "--lang", "ru"]).stdout).unwrap();
    assert!(ru.contains("пароль"), "{ru}");
    let zh = String::from_utf8(run(&["explain", "331", "--lang", "zh"]).stdout).unwrap();
    assert!(zh.contains("密码"), "{zh}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(run(&["decode", "--lang", "fr", "-"]).status.code(), Some(2));
    let missing = run(&["decode", "/nonexistent/capture.bin"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot open"));
}

#[test]
fn help_on_every_verb_has_an_example() {
    for verb in ["explain", "decode", "probe"] {
        let out = run(&[verb, "--help"]);
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Examples:"), "{verb}");
        assert!(text.contains(&format!("ftp-reply {verb}")), "{verb}");
    }
}

/// One reply of every payload kind, a reply without one, and a malformed 227.
const PAYLOADS: &[u8] = b"220 ready\r\n\
227 Entering Passive Mode (127,0,0,1,4,1).\r\n\
228 Entering Long Passive Mode (4,4,127,0,0,1,2,219,87)\r\n\
229 Entering Extended Passive Mode (|||6446|)\r\n\
110 MARK 1024 = 2048\r\n\
257 \"/tmp/a\"\"b\" is current directory\r\n\
150 Opening BINARY mode data connection for f (1234 bytes).\r\n\
120 Service ready in 5 minutes.\r\n\
632 MjAwIE9LDQo=\r\n\
227 Entering Passive Mode (256,0,0,1,4,1).\r\n";

#[test]
fn decode_json_payload_kinds() {
    let path = temp_file("payloads.bin", PAYLOADS);
    let out = run(&["decode", path.to_str().unwrap(), "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_lines(&out);
    assert_eq!(v.len(), 10);
    assert_eq!(v[0]["offset"], 0);
    assert!(v[0].get("payload").is_none());
    assert_eq!(
        v[1],
        json!({"offset":11,"code":227,"class":"positive-completion","group":"connections","multiline":false,
               "lines":["Entering Passive Mode (127,0,0,1,4,1)."],"meaning":v[1]["meaning"],
               "payload":{"kind":"passive","host":"127.0.0.1","port":1025}})
    );
    let keys: Vec<&str> = v[1]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "offset",
            "code",
            "class",
            "group",
            "multiline",
            "lines",
            "meaning",
            "payload"
        ]
    );
    assert_eq!(
        v[2]["payload"],
        json!({"kind":"long-passive","host":"127.0.0.1","port":56151})
    );
    assert_eq!(
        v[3]["payload"],
        json!({"kind":"extended-passive","port":6446})
    );
    assert_eq!(
        v[4]["payload"],
        json!({"kind":"restart-marker","user_marker":"1024","server_marker":"2048"})
    );
    assert_eq!(
        v[5]["payload"],
        json!({"kind":"pathname","path":"/tmp/a\"b"})
    );
    assert_eq!(
        v[6]["payload"],
        json!({"kind":"transfer-size","bytes":1234})
    );
    assert_eq!(v[7]["payload"], json!({"kind":"ready-in","minutes":5}));
    assert_eq!(
        v[8]["payload"],
        json!({"kind":"protected","protection":"confidentiality-and-integrity","data_len":8,"data_base64":"MjAwIE9LDQo="})
    );
    assert!(v[9].get("payload").is_none());
    assert_eq!(v[9]["payload_error"]["kind"], "passive");
    assert!(
        v[9]["payload_error"]["message"]
            .as_str()
            .unwrap()
            .contains("255")
    );
}

#[test]
fn decode_stream_error_json_and_exit_status() {
    let input = b"220 ok\r\nSSH-2.0-OpenSSH_7.4\r\n221 bye\r\n220-never ends\r\n";
    let out = run_stdin(&["decode", "-", "--json"], input);
    assert_eq!(out.status.code(), Some(1));
    let v = json_lines(&out);
    assert_eq!(v.len(), 4);
    assert_eq!(v[1]["offset"], 8);
    assert_eq!(v[1]["error"]["kind"], "invalid-reply-line");
    assert!(
        v[1]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("byte 8")
    );
    // Decoding resumed after the bad line.
    assert_eq!(v[2]["code"], 221);
    assert_eq!(v[3]["error"]["kind"], "truncated");
    assert_eq!(v[3]["offset"], 38);
}

#[test]
fn decode_human_errors_go_to_stderr() {
    let out = run_stdin(&["decode", "-"], b"220 ok\r\nxyz\r\n");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("byte 8"), "{err}");
    let transcript = String::from_utf8(out.stdout).unwrap();
    // The transcript: the reply's offset, `<`, the reply.
    assert!(
        transcript
            .lines()
            .next()
            .unwrap()
            .starts_with("      0 < 220 ok"),
        "{transcript}"
    );
}

#[test]
fn decode_protected_cleartext_multiline_631() {
    // "250-First\r\n250 Done\r\n", split across lines not on its line boundaries.
    let input = b"631-MjUwLUZp\r\n631-cnN0DQoyNTAgRG9u\r\n631 ZQ0K\r\n";
    let out = run_stdin(&["decode", "-", "--json", "--protected-cleartext"], input);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v = json_lines(&out);
    assert_eq!(v.len(), 1);
    let p = &v[0]["payload"];
    assert_eq!(p["protection"], "integrity");
    assert_eq!(p["data_len"], 21);
    let inner = &p["inner"];
    assert_eq!(inner["code"], 250);
    assert_eq!(inner["multiline"], true);
    assert_eq!(inner["lines"], json!(["First", "Done"]));
    assert_eq!(inner["class"], "positive-completion");
    // Without the flag, no inner reply.
    let plain = json_lines(&run_stdin(&["decode", "-", "--json"], input));
    assert!(plain[0]["payload"].get("inner").is_none());
}

#[test]
fn decode_meanings_in_russian_and_chinese() {
    let input = b"331 Password required\r\n";
    let ru = json_lines(&run_stdin(
        &["decode", "-", "--json", "--lang", "ru"],
        input,
    ));
    assert!(ru[0]["meaning"].as_str().unwrap().contains("пароль"));
    let zh = json_lines(&run_stdin(
        &["decode", "-", "--json", "--lang", "zh"],
        input,
    ));
    assert!(zh[0]["meaning"].as_str().unwrap().contains("密码"));
    let zh_table =
        String::from_utf8(run_stdin(&["decode", "-", "--lang", "zh"], input).stdout).unwrap();
    assert!(zh_table.contains("密码"), "{zh_table}");
}

#[test]
fn decode_same_output_for_every_read_size() {
    let mut input = PAYLOADS.to_vec();
    input.extend_from_slice(
        b"211-Features:\r\n UTF8\r\n211 End\r\nbad line\r\n\xff\xfb\x01226 ok\r\n220-cut",
    );
    let path = temp_file("reads.bin", &input);
    let p = path.to_str().unwrap();
    for mode in [&["--json"][..], &[][..]] {
        let base = run(&[&["decode", p][..], mode].concat());
        assert_eq!(base.status.code(), Some(1));
        for size in ["1", "2", "3", "7", "64", "100000"] {
            let out = run(&[&["decode", p, "--read-size", size][..], mode].concat());
            assert_eq!(out.stdout, base.stdout, "read size {size}");
            assert_eq!(out.stderr, base.stderr, "read size {size}");
            assert_eq!(out.status.code(), Some(1));
        }
    }
}

#[test]
fn decode_transcript_fits_80_columns_and_cuts_nothing() {
    let mut input = PAYLOADS.to_vec();
    input.extend_from_slice(b"550 ");
    input.extend(std::iter::repeat_n(b'x', 500));
    input.extend_from_slice(b"\r\n");
    let out = run_stdin(&["decode", "-"], &input);
    let transcript = String::from_utf8(out.stdout).unwrap();
    for line in transcript.lines() {
        assert!(line.chars().count() <= 80, "{line}");
    }
    // The 500-byte text is wrapped, not cut: every x is there.
    assert!(!transcript.contains('…'));
    let joined: String = transcript.split_whitespace().collect();
    assert!(joined.contains(&"x".repeat(500)), "{transcript}");
    assert!(transcript.contains("127.0.0.1:1025"));
    // Not a terminal: no colour unless asked.
    assert!(!transcript.contains('\x1b'));
    let coloured = run_stdin(&["decode", "-", "--color", "always"], &input);
    assert!(
        String::from_utf8(coloured.stdout)
            .unwrap()
            .contains("\x1b[31m550")
    );
}

#[test]
fn probe_socket_closing_mid_reply_exits_3() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        s.write_all(b"220-Welcome\r\n220-still going").unwrap();
        std::thread::sleep(Duration::from_millis(100));
        // Dropping closes the connection inside the reply.
    });
    let out = run(&["probe", &addr.to_string(), "--timeout", "5"]);
    server.join().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("closed the connection inside a reply"),
        "{err}"
    );
}

#[test]
fn probe_refused_connection_exits_3() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let out = run(&["probe", &addr.to_string(), "--timeout", "2"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot connect"));
}

#[test]
fn probe_silent_server_times_out_with_exit_3() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut b = [0u8; 16];
        let _ = s.read(&mut b);
    });
    let out = run(&["probe", &addr.to_string(), "--timeout", "1"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("timed out"));
    drop(server);
}

#[test]
fn probe_scripted_server_json() {
    // A tiny scripted server: greeting, then one reply per command line.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(b"220 hi\r\n").unwrap();
        let mut seen = Vec::new();
        let mut buf = Vec::new();
        let mut b = [0u8; 256];
        'outer: loop {
            let n = s.read(&mut b).unwrap();
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&b[..n]);
            while let Some(i) = buf.iter().position(|&c| c == b'\n') {
                let line: Vec<u8> = buf.drain(..=i).collect();
                let line = String::from_utf8_lossy(&line).trim_end().to_string();
                let verb = line.split(' ').next().unwrap().to_string();
                seen.push(line);
                let reply: &[u8] = match verb.as_str() {
                    "FEAT" => b"211-Features:\r\n UTF8\r\n211 End\r\n",
                    "SYST" => b"215 UNIX Type: L8\r\n",
                    "HELP" => b"214-Commands:\r\n USER PASS\r\n214 ok\r\n",
                    "USER" => b"331 need password\r\n",
                    "PASS" => b"230 logged in\r\n",
                    "PWD" => b"257 \"/\" is cwd\r\n",
                    "EPSV" => b"229 Entering Extended Passive Mode (|||40001|)\r\n",
                    "PASV" => b"227 Entering Passive Mode (10,9,8,7,156,65).\r\n",
                    "NOOP" => b"200 ok\r\n",
                    "QUIT" => {
                        s.write_all(b"221 bye\r\n").unwrap();
                        break 'outer;
                    }
                    _ => b"500 ?\r\n",
                };
                s.write_all(reply).unwrap();
            }
        }
        seen
    });
    let out = run(&[
        "probe",
        &addr.to_string(),
        "--user",
        "alice",
        "--password",
        "s3cret",
        "--json",
    ]);
    let seen = server.join().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        seen,
        [
            "FEAT",
            "SYST",
            "HELP",
            "USER alice",
            "PASS s3cret",
            "PWD",
            "EPSV",
            "PASV",
            "NOOP",
            "QUIT"
        ]
    );
    let v = json_lines(&out);
    assert_eq!(v.len(), 11);
    assert!(v[0].get("command").is_none(), "the greeting has no command");
    assert_eq!(v[5]["command"], "PASS ****");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("s3cret"));
    assert_eq!(
        v[8]["payload"],
        json!({"kind":"passive","host":"10.9.8.7","port":40001})
    );
    assert_eq!(v[10]["code"], 221);
}

#[test]
fn decode_with_commands_pairs_and_judges_replies() {
    let replies =
        b"220 ready\r\n331 password please\r\n230 in\r\n350 ready for RNTO\r\n250 renamed\r\n\
150 opening\r\n150 again\r\n226 done\r\n200 extra\r\n";
    let commands = b"USER alice\r\nPASS s3cret\r\nRNFR a\r\nRNTO b\r\nRETR f\r\n";
    let path = temp_file("paired.bin", replies);
    let cmds = temp_file("paired.commands", commands);
    let out = run(&[
        "decode",
        path.to_str().unwrap(),
        "--json",
        "--commands",
        cmds.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v = json_lines(&out);
    let seen: Vec<(Option<&str>, &str)> = v
        .iter()
        .map(|o| (o["command"].as_str(), o["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(
        seen,
        [
            (None, "success"),
            (Some("USER alice"), "send-next"),
            (Some("PASS ****"), "success"),
            (Some("RNFR a"), "send-next"),
            (Some("RNTO b"), "success"),
            (Some("RETR f"), "pending"),
            (Some("RETR f"), "unexpected"),
            (Some("RETR f"), "success"),
            // A reply after every command was answered answers none.
            (None, "unsolicited"),
        ]
    );
    assert_eq!(v[1]["next_commands"], json!(["PASS"]));
    assert_eq!(v[3]["next_commands"], json!(["RNTO"]));
    assert_eq!(
        v[6]["unexpected"],
        json!({"reason": "second-preliminary", "by_class": "pending"})
    );
    assert!(v[8].get("unexpected").is_none());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("s3cret"));
    // The transcript shows each command once, its replies with their outcome,
    // unexpected ones marked, and the password masked.
    let transcript = run(&[
        "decode",
        path.to_str().unwrap(),
        "--commands",
        cmds.to_str().unwrap(),
    ]);
    let text = String::from_utf8(transcript.stdout).unwrap();
    assert!(text.contains("> USER alice"), "{text}");
    assert!(text.contains("> PASS ****"), "{text}");
    assert!(!text.contains("s3cret"), "{text}");
    assert_eq!(text.matches("> RETR f").count(), 1, "{text}");
    assert!(text.contains("UNEXPECTED"), "{text}");
    assert!(text.contains("second-preliminary"), "{text}");
    assert!(text.contains("unsolicited"), "{text}");
}

#[test]
fn decode_with_commands_masks_passwords_of_lines_that_do_not_parse() {
    // A NUL or a stray CR inside makes the line no valid command line; what
    // follows PASS or ACCT is still a secret.
    let replies = b"220 ready\r\n331 password please\r\n530 no\r\n230 in\r\n202 ok\r\n";
    let commands = b"USER alice\r\nPASS se\0cret1\r\npass hun\rter2\r\nACCT ba\0nk3\r\n";
    let path = temp_file("unparsed.bin", replies);
    let cmds = temp_file("unparsed.commands", commands);
    let secrets = ["cret1", "ter2", "nk3"];
    let out = run(&[
        "decode",
        path.to_str().unwrap(),
        "--json",
        "--commands",
        cmds.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v = json_lines(&out);
    let shown: Vec<Option<&str>> = v.iter().map(|o| o["command"].as_str()).collect();
    assert_eq!(
        shown,
        [
            None,
            Some("USER alice"),
            Some("PASS ****"),
            Some("pass ****"),
            Some("ACCT ****")
        ]
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    for secret in secrets {
        assert!(!stdout.contains(secret), "{secret} in {stdout}");
    }
    let transcript = run(&[
        "decode",
        path.to_str().unwrap(),
        "--commands",
        cmds.to_str().unwrap(),
    ]);
    assert_eq!(transcript.status.code(), Some(0));
    let text = String::from_utf8_lossy(&transcript.stdout);
    assert!(text.contains("> PASS ****"), "{text}");
    assert!(text.contains("> ACCT ****"), "{text}");
    for secret in secrets {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}
