//! Runs `examples/blocking_client.rs` and (with the `tokio` feature)
//! `examples/tokio_client.rs` against every server `servers.json` lists: the
//! listing holds `hello.txt`, the retrieved size is the file's, `--stdout`
//! gives the file's bytes, a wrong password fails cleanly, and the password is
//! never shown. Then (with `tokio`) the full sequence, split between the two:
//! `blocking_client --exercise`, the server's disk checked, `tokio_client
//! --finish`, in clear text and, where `servers.json` says the server offers it,
//! over FTPS: a directory and a file whose names hold a space, `"`, `;`, `=` and
//! UTF-8 are created, listed, stored, renamed, retrieved whole and from an offset
//! and removed, every file compared byte for byte on disk, and the control
//! connection answers after `ABOR`. Without the servers each test skips loudly, or fails
//! when `FTP_REPLY_INTEROP=required`.
//!
//! The example binaries come from `cargo build --example` run by the test with
//! the same profile, features and target directory as the test itself, so they
//! are never stale (also under `cargo test --test examples`); cargo's
//! `--message-format=json` names the executable.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::json::Json;
use common::servers::{self, Server};

/// The features this test was compiled with, for building the examples alike.
fn features() -> Vec<&'static str> {
    let mut features = Vec::new();
    if cfg!(feature = "std") {
        features.push("std");
    }
    if cfg!(feature = "tokio") {
        features.push("tokio");
    }
    if cfg!(feature = "cli") {
        features.push("cli");
    }
    features
}

/// Builds example `name` and returns its executable.
fn build_example(name: &str) -> PathBuf {
    // <target-dir>/<profile dir>/deps/examples-<hash>
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps");
    let target_dir = profile_dir.parent().expect("target dir");
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") => "dev",
        Some(other) => other,
        None => panic!("no profile directory in {}", exe.display()),
    };
    let out = Command::new(env!("CARGO"))
        .args(["build", "--example", name, "--message-format=json"])
        .args(["--profile", profile, "--no-default-features"])
        .args(["--features", &features().join(",")])
        .arg("--manifest-path")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir)
        .output()
        .expect("run cargo build");
    assert!(
        out.status.success(),
        "cargo build --example {name}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| Json::parse(line).ok())
        .filter(|m| m.get("reason").and_then(Json::as_str) == Some("compiler-artifact"))
        .filter(|m| {
            m.get("target")
                .and_then(|t| t.get("name"))
                .and_then(Json::as_str)
                == Some(name)
        })
        .find_map(|m| {
            m.get("executable")
                .and_then(Json::as_str)
                .map(PathBuf::from)
        })
        .unwrap_or_else(|| panic!("cargo named no executable for example {name}"))
}

fn run(exe: &Path, server: &Server, password: &str, extra: &[&str]) -> Output {
    Command::new(exe)
        .arg(server.addr().to_string())
        .args([server.user.as_str(), password])
        .args(extra)
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", exe.display()))
}

/// Every server `servers.json` lists that accepts connections.
fn servers(test: &str) -> Vec<Server> {
    servers::names()
        .iter()
        .filter_map(|name| servers::server(&format!("examples::{test} ({name})"), name))
        .collect()
}

fn check_example(example: &str) {
    let servers = servers(example);
    if servers.is_empty() {
        return;
    }
    let exe = build_example(example);
    // In parallel: the servers delay logins.
    std::thread::scope(|scope| {
        for server in &servers {
            let exe = &exe;
            scope.spawn(move || check_against(example, exe, server));
        }
    });
}

/// Runs the example with `args`; it must succeed and never show the password.
fn success(label: &str, exe: &Path, server: &Server, args: &[&str]) -> (Vec<u8>, String) {
    let out = run(exe, server, &server.password, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let lines: Vec<&str> = stderr.lines().collect();
    let last = lines[lines.len().saturating_sub(12)..].join("\n");
    assert!(
        out.status.success(),
        "{label} {args:?}: {}\n…\n{last}",
        out.status
    );
    assert!(stderr.contains("> PASS ****"), "{label}: {stderr}");
    assert!(
        !stderr.contains(&server.password),
        "{label}: password shown"
    );
    (out.stdout, stderr)
}

fn check_against(example: &str, exe: &Path, server: &Server) {
    let label = format!("{example} against {}", server.name);
    let hello = server.file("hello.txt");
    assert_eq!(hello.len(), 8192);

    // The file's bytes on stdout, the listing on stderr.
    let (stdout, stderr) = success(&label, exe, server, &["hello.txt", "--stdout"]);
    assert!(
        stdout == hello,
        "{label}: --stdout gave {} bytes",
        stdout.len()
    );
    assert!(
        stderr.contains("hello.txt"),
        "{label}: no listing on stderr"
    );

    // The rest against vsftpd alone: the servers delay logins (Pure-FTPd by
    // about 2 s) and failed logins (by seconds), and one server shows it.
    if server.name != "vsftpd" {
        return;
    }

    // The listing, then the size.
    let (stdout, _) = success(&label, exe, server, &["hello.txt"]);
    let stdout = String::from_utf8_lossy(&stdout).into_owned();
    let (listing, size) = stdout.trim_end().rsplit_once('\n').unwrap_or_default();
    assert!(listing.contains("hello.txt"), "{label}: {stdout:?}");
    assert!(listing.contains("listing"), "{label}: {stdout:?}");
    assert_eq!(size, format!("hello.txt: {} bytes", hello.len()), "{label}");

    // A wrong password: exit 1 and a clear message, the password masked.
    let out = run(exe, server, "not-the-password", &[]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{label}: {stderr}");
    assert!(out.stdout.is_empty(), "{label}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: PASS ****: 530 "),
        "{label}: {last}"
    );
    assert!(!stderr.contains("not-the-password"), "{label}");
}

#[test]
fn blocking_client() {
    check_example("blocking_client");
}

#[cfg(feature = "tokio")]
#[test]
fn tokio_client() {
    check_example("tokio_client");
}

/// A file of `len` bytes that repeats no short pattern (so a wrong offset or
/// a dropped piece shows).
#[cfg(feature = "tokio")]
fn content(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x9E37_79B9;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x.to_le_bytes()[0]
        })
        .collect()
}

/// The servers that refuse `REST` (`502`): no retrieval from an offset.
#[cfg(feature = "tokio")]
const NO_REST: &[&str] = &["twisted"];

/// The servers that refuse `SIZE` (`502`).
#[cfg(feature = "tokio")]
const NO_SIZE: &[&str] = &["aioftp"];

/// Where `name` is on the server's disk. Twisted reads paths as Latin-1 (it
/// offers no `UTF8`), so each byte of a UTF-8 name becomes one character.
#[cfg(feature = "tokio")]
fn disk_name(server: &Server, name: &str) -> String {
    match server.name.as_str() {
        "twisted" => name.bytes().map(char::from).collect(),
        _ => name.to_owned(),
    }
}

/// The size of the file the full sequence stores: large enough that the
/// aborted retrieval is still going when `ABOR` comes on most servers.
#[cfg(feature = "tokio")]
const EXERCISE_LEN: usize = 3 << 20;

/// `blocking_client --exercise`, then `tokio_client --finish`, against every
/// server, plain and FTPS where offered.
#[cfg(feature = "tokio")]
#[test]
fn full_sequence() {
    let servers = servers("full_sequence");
    if servers.is_empty() {
        return;
    }
    let exes = [
        build_example("blocking_client"),
        build_example("tokio_client"),
    ];
    let work = std::env::temp_dir().join(format!("ftp-reply-examples-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let local = work.join("local.bin");
    std::fs::write(&local, content(EXERCISE_LEN)).unwrap();
    std::thread::scope(|scope| {
        for server in &servers {
            let (exes, work, local) = (&exes, &work, &local);
            scope.spawn(move || {
                sequence_against(exes, server, work, local, false);
                if server.ftps {
                    sequence_against(exes, server, work, local, true);
                }
            });
        }
    });
    std::fs::remove_dir_all(&work).unwrap();
}

/// `blocking_client --exercise`, the server's disk checked, then
/// `tokio_client --finish` and the files it retrieved and removed checked.
#[cfg(feature = "tokio")]
fn sequence_against(
    [blocking, tokio]: &[PathBuf; 2],
    server: &Server,
    work: &Path,
    local: &Path,
    tls: bool,
) {
    let mode = if tls { "ftps" } else { "plain" };
    let label = format!("the full sequence against {} ({mode})", server.name);
    // Space, double quote, semicolon, equals sign, UTF-8; one per run.
    let dir = format!("dir \"q\";a=b é {mode}");
    let name = "file \"q\";c=d ü.bin";
    let renamed = format!("renamed-{name}");
    let on_disk = server.root.join(disk_name(server, &dir));
    // What an interrupted earlier run left.
    let _ = std::fs::remove_dir_all(&on_disk);
    let out = work.join(format!("{}-{mode}", server.name));
    std::fs::create_dir_all(&out).unwrap();
    let ca = server.tls_ca.to_string_lossy().into_owned();
    let tls_args: Vec<&str> = if tls { vec!["--tls", &ca] } else { vec![] };
    let (local_s, out_s) = (local.to_str().unwrap(), out.to_str().unwrap());

    let mut args = vec!["--exercise", &dir, name, local_s];
    args.extend(&tls_args);
    let (stdout, stderr) = success(&label, blocking, server, &args);
    let stdout = String::from_utf8(stdout).unwrap();
    if tls {
        assert!(stderr.contains("> AUTH TLS\n< 234"), "{label}: {stderr}");
        assert!(stderr.contains("> PROT P\n< 200"), "{label}: {stderr}");
    }
    let bytes = std::fs::read(local).unwrap();
    let half = bytes.len() / 2;
    let mkd = stdout
        .lines()
        .find_map(|l| l.strip_prefix("mkd: "))
        .unwrap_or_default();
    let no_path = server.name == "aioftp" && mkd.is_empty(); // `257 ` alone
    assert!(mkd.ends_with(&dir) || no_path, "{label}: MKD gave {mkd:?}");
    assert!(
        stdout.contains(&disk_name(server, name)),
        "{label}: the listing lacks {name:?}: {stdout}"
    );
    let abort = stdout
        .lines()
        .find(|l| l.starts_with("abort: "))
        .unwrap_or_default();
    // `abort: <transfer's reply> <ABOR's reply> <NOOP's code>`, the first two as
    // `Some(code)` or `None`: the server answered the abort somehow (RFC 959
    // §4.1.3), and the NOOP after it was answered (`200`, or `502` from a server
    // without NOOP); that the connection still works shows in the rename after it.
    let fields: Vec<&str> = abort.split_whitespace().collect();
    let [_, transfer, abor, noop] = fields[..] else {
        panic!("{label}: no abort line: {stdout}\n{stderr}");
    };
    assert!(
        transfer != "None" || abor != "None",
        "{label}: neither the transfer nor ABOR was answered: {abort}"
    );
    assert!(matches!(noop, "200" | "502"), "{label}: {abort}");
    // On the server's disk: the stored file, renamed, byte for byte.
    let (name_on_disk, renamed_on_disk) = (disk_name(server, name), disk_name(server, &renamed));
    assert!(
        !on_disk.join(name_on_disk).exists(),
        "{label}: {name:?} not renamed"
    );
    let stored = on_disk.join(renamed_on_disk);
    let stored =
        std::fs::read(&stored).unwrap_or_else(|e| panic!("{label}: {}: {e}", stored.display()));
    assert!(stored == bytes, "{label}: the stored file differs");

    let mut args = vec!["--finish", &dir, &renamed, out_s];
    args.extend(&tls_args);
    let (stdout, stderr) = success(&label, tokio, server, &args);
    let stdout = String::from_utf8(stdout).unwrap();
    if tls {
        assert!(stderr.contains("> PROT P\n< 200"), "{label}: {stderr}");
    }
    let size = match NO_SIZE.contains(&server.name.as_str()) {
        true => "size: None\n".to_owned(),
        false => format!("size: Some({})\n", bytes.len()),
    };
    assert!(stdout.contains(&size), "{label}: {stdout}");
    assert!(
        std::fs::read(out.join("whole")).unwrap() == bytes,
        "{label}: whole differs"
    );
    if NO_REST.contains(&server.name.as_str()) {
        assert!(stdout.contains("refused: REST "), "{label}: {stdout}");
        assert!(!out.join("tail").exists(), "{label}: a tail without REST");
    } else {
        let tail = std::fs::read(out.join("tail")).unwrap();
        assert!(tail == bytes[half..], "{label}: tail differs");
    }
    assert!(
        !on_disk.exists(),
        "{label}: {} not removed",
        on_disk.display()
    );
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn usage_errors_exit_2() {
    let out = Command::new(build_example("blocking_client"))
        .arg("only-one-argument")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("usage: blocking_client"));
}
