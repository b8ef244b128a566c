//! Replays every captured session in `samples/`: each `.bin` decodes without an
//! error to the same replies whole, a byte at a time and in many seeded random
//! cuttings; paired with its `.commands`, every reply gets an `Exchange` outcome,
//! and the unexpected ones are exactly the documented deviations
//! (`tests/common/deviations.rs`, `samples/QUIRKS.md`).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::chunks::{assert_same_in_any_reads, decode_in_reads, decoded};
use common::deviations::{REPLY_COUNTS, pair};
use common::servers::NAMES;

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// One capture: its file stem, the server it came from (the stem's prefix),
/// its bytes and its `.commands` lines (CRLF or LF removed).
type Sample = (String, &'static str, Vec<u8>, Vec<Vec<u8>>);

/// Every `samples/*.bin`, sorted by name.
fn samples() -> Vec<Sample> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(samples_dir())
        .expect("samples/ is readable")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let server = NAMES
                .iter()
                .copied()
                .find(|n| stem.strip_prefix(n).is_some_and(|r| r.starts_with('-')))
                .unwrap_or_else(|| panic!("{stem}: not named after one of {NAMES:?}"));
            let bytes = std::fs::read(&path).unwrap();
            let commands = std::fs::read(path.with_extension("commands"))
                .unwrap_or_else(|e| panic!("{stem}.commands: {e}"))
                .split(|&b| b == b'\n')
                .map(|l| l.strip_suffix(b"\r").unwrap_or(l).to_vec())
                .filter(|l| !l.is_empty())
                .collect();
            (stem, server, bytes, commands)
        })
        .collect()
}

#[test]
fn every_server_has_its_four_captures() {
    let stems: BTreeSet<String> = samples().into_iter().map(|s| s.0).collect();
    for server in NAMES {
        for kind in ["session", "prelogin", "long2000", "long10000"] {
            let stem = format!("{server}-{kind}");
            assert!(stems.contains(&stem), "samples/{stem}.bin is missing");
        }
    }
}

#[test]
fn samples_decode_the_same_in_any_reads() {
    for (stem, _, bytes, _) in samples() {
        let whole =
            decode_in_reads(&bytes, || usize::MAX).unwrap_or_else(|e| panic!("{stem}: {e}"));
        assert!(!whole.is_empty(), "{stem}: no replies");
        let raw: Vec<u8> = whole.iter().flat_map(|r| r.raw().to_vec()).collect();
        assert_eq!(raw, bytes, "{stem}: the replies' bytes are not the capture");
        assert_same_in_any_reads(&stem, &bytes, &decoded(&whole));
    }
}

#[test]
fn sample_replies_get_outcomes_and_only_documented_deviations() {
    let mut applied = BTreeSet::new();
    for (stem, server, bytes, commands) in samples() {
        let replies = decode_in_reads(&bytes, || usize::MAX).unwrap();
        let (judge, counts) = pair(&stem, server, &replies, &commands);
        assert_eq!(
            judge.judged.len(),
            replies.len(),
            "{stem}: every reply gets an outcome"
        );
        judge.assert_documented_deviations(&stem);
        applied.extend(counts.iter().map(|c| (c.server, c.command, c.replies)));
    }
    // Every documented reply count was needed by some capture.
    let documented: BTreeSet<_> = REPLY_COUNTS
        .iter()
        .map(|c| (c.server, c.command, c.replies))
        .collect();
    assert_eq!(applied, documented, "reply counts documented vs applied");
}

#[test]
fn the_sessions_show_the_quirks_the_readme_describes() {
    use ftp_reply::Outcome;
    for (stem, server, bytes, commands) in samples() {
        if !stem.ends_with("-session") {
            continue;
        }
        let replies = decode_in_reads(&bytes, || usize::MAX).unwrap();
        let (judge, _) = pair(&stem, server, &replies, &commands);
        let greeting = &replies[0];
        let lines = if server == "pure-ftpd" { 5 } else { 1 };
        assert_eq!(greeting.line_count(), lines, "{stem}: greeting lines");
        let pathnames: Vec<_> = replies
            .iter()
            .filter(|r| r.code().as_u16() == 257)
            .collect();
        // Exactly one success and one 221 that closes the connection at the end.
        let last = judge.judged.last().unwrap();
        assert_eq!((last.command.as_deref(), last.code), (Some("QUIT"), 221));
        assert_eq!(last.outcome, Outcome::Success);
        // The 257 after CWD into the quoted directory: the same path whether or
        // not the server doubled the quotes (Pure-FTPd, inetutils ftpd,
        // Twisted and aioftp do not), under the directory the first PWD gave
        // (`/`, or the real path where the server does not chroot).
        let [login, _mkd, pwd] = pathnames[..] else {
            panic!("{stem}: {} 257 replies, not three", pathnames.len());
        };
        let login = login.pathname().unwrap().into_owned();
        let mut want = login.strip_suffix(b"/").unwrap_or(&login).to_vec();
        want.extend_from_slice(b"/dir \"with\" quotes");
        assert_eq!(pwd.pathname().unwrap().into_owned(), want, "{stem}");
        let doubled = pwd.raw().windows(8).any(|w| w == b"\"\"with\"\"");
        let doubles = ["vsftpd", "proftpd", "pyftpdlib", "netkit-ftpd"].contains(&server);
        assert_eq!(doubled, doubles, "{stem}: quotes doubled");
    }
}
