//! Runs `examples/blocking_client.rs` and (with the `tokio` feature)
//! `examples/tokio_client.rs` against the real servers: the listing holds
//! `hello.txt`, the retrieved size is the file's, `--stdout` gives the file's
//! bytes, a wrong password fails cleanly, and the password is never shown.
//! Without the servers each test skips loudly, or fails when
//! `FTP_REPLY_INTEROP=required`.
//!
//! The example binaries come from `cargo build --example` run by the test with
//! the same profile, features and target directory as the test itself, so they
//! are never stale (also under `cargo test --test examples`); cargo's
//! `--message-format=json` names the executable.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::json::Json;
use common::servers::{self, NAMES, Server};

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

fn check_example(example: &str) {
    let servers: Vec<Server> = NAMES
        .iter()
        .filter_map(|name| servers::server(&format!("examples::{example} ({name})"), name))
        .collect();
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
    assert!(
        out.status.success(),
        "{label} {args:?}: {}\n{stderr}",
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

#[test]
fn usage_errors_exit_2() {
    let out = Command::new(build_example("blocking_client"))
        .arg("only-one-argument")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("usage: blocking_client"));
}
