//! Replays every committed fuzz input (`fuzz/corpus/<target>/*` and
//! `fuzz/regressions/<target>/*`) through the same invariant checks the fuzz
//! targets run, so a crash found once fails plain `cargo test` from then on.

#[path = "../fuzz/src/checks.rs"]
#[allow(dead_code)]
mod checks;

use std::fs;
use std::panic;
use std::path::{Path, PathBuf};

/// A target's check of one raw input.
type Check = fn(&[u8]);

/// The fuzz targets and the check each one runs on its raw input.
const TARGETS: &[(&str, Check)] = &[
    ("decode_chunks", checks::decode_chunks),
    ("decode_eof", checks::decode_eof),
    ("roundtrip", checks::roundtrip_bytes),
    ("passive", checks::passive),
    ("pathname", checks::pathname),
    ("restart_marker", checks::restart_marker),
    ("protected", checks::protected),
    ("facts", checks::facts),
];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files directly in `dir`, sorted; none if it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .map(|e| e.expect("a readable directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

/// Runs `check` on every file, and names every file that fails.
fn replay(target: &str, check: Check, paths: &[PathBuf]) -> Vec<String> {
    let mut failed = Vec::new();
    for path in paths {
        let data = fs::read(path).expect("a readable corpus file");
        if panic::catch_unwind(|| check(&data)).is_err() {
            failed.push(format!("{target}: {}", path.display()));
        }
    }
    failed
}

fn check_target(name: &str) {
    let (_, check) = TARGETS
        .iter()
        .find(|(t, _)| *t == name)
        .expect("a known target");
    let corpus = files(&fuzz_dir().join("corpus").join(name));
    assert!(
        corpus.len() >= 8,
        "{name}: only {} seed files in fuzz/corpus/{name}",
        corpus.len()
    );
    let regressions = files(&fuzz_dir().join("regressions").join(name));
    let mut failed = replay(name, *check, &corpus);
    failed.extend(replay(name, *check, &regressions));
    assert!(failed.is_empty(), "failing inputs:\n{}", failed.join("\n"));
}

#[test]
fn corpus_decode_chunks() {
    check_target("decode_chunks");
}

#[test]
fn corpus_decode_eof() {
    check_target("decode_eof");
}

#[test]
fn corpus_roundtrip() {
    check_target("roundtrip");
}

#[test]
fn corpus_passive() {
    check_target("passive");
}

#[test]
fn corpus_pathname() {
    check_target("pathname");
}

#[test]
fn corpus_restart_marker() {
    check_target("restart_marker");
}

#[test]
fn corpus_protected() {
    check_target("protected");
}

#[test]
fn corpus_facts() {
    check_target("facts");
}

/// Every directory of fuzz inputs belongs to a target replayed here, so nothing
/// committed is silently left out.
#[test]
fn every_input_directory_is_replayed() {
    for kind in ["corpus", "regressions"] {
        for dir in fs::read_dir(fuzz_dir().join(kind)).expect("fuzz input directory") {
            let dir = dir.unwrap().path();
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                TARGETS.iter().any(|(t, _)| *t == name),
                "fuzz/{kind}/{name} is not replayed by tests/corpus.rs"
            );
            assert!(dir.is_dir(), "fuzz/{kind}/{name} is not a directory");
        }
    }
}

/// The checks are not vacuous: inputs that break what they check are caught.
#[test]
fn checks_catch_broken_invariants() {
    // A reply whose text has the wrong Telnet interpretation is not the bytes.
    assert_eq!(
        checks::telnet_text(b"a\xff\xffb\xff\xf1c\xff\xfb\x01d"),
        b"a\xffbcd"
    );
    // A refused line (LF inside) with a wrong expectation panics.
    let lf = checks::GenReply {
        code: ftp_reply::ReplyCode::COMMAND_OK,
        lines: vec![b"a\nb".to_vec()],
    };
    checks::roundtrip(&lf);
    // Decoding a stream in reads keeps replies at their offsets.
    let decoded = checks::decode_in_reads(
        ftp_reply::DecoderConfig::new(),
        b"220 a\r\nxx\r\n200 b\r\n",
        [3, 0, 5],
    );
    let ends: Vec<u64> = decoded
        .items
        .iter()
        .map(|i| match i {
            checks::Item::Reply(_, end) => *end,
            checks::Item::Error(e, _) => e.offset(),
        })
        .collect();
    assert_eq!(ends, [7, 7, 18]);
    // A check given a lie fails.
    let lie = panic::catch_unwind(|| {
        checks::check_error(
            &ftp_reply::DecoderConfig::new(),
            b"220 a\r\n",
            &ftp_reply::DecodeError::BareLineFeed { offset: 6 },
            0,
            7,
        );
    });
    assert!(
        lie.is_err(),
        "a BareLineFeed in lenient mode after a CR passed"
    );
}
