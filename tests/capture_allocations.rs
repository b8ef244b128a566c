//! Heap allocations made while reading captures, counted by a global allocator
//! (this thread's only): segments that arrive in order are handled from the
//! packet's bytes, with no allocation of their own.
//!
//! `cargo test --features pcap --test capture_allocations -- --nocapture`
//! also prints the count per frame for each real capture in `../shared/captures`.
//!
//! The crate forbids unsafe code; this test binary needs the one `unsafe impl`
//! that `GlobalAlloc` requires, and nothing else.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::PathBuf;

use etherparse::PacketBuilder;
use ftp_reply::capture::{Capture, RecordKind};

thread_local! {
    /// Calls to `alloc`, `alloc_zeroed` and `realloc` on this thread.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

struct Counting;

fn count() {
    // A const-initialised `Cell` needs no destructor, so this never allocates.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every method forwards its arguments unchanged to `System`, which
// implements `GlobalAlloc` correctly; the only addition is a thread-local counter,
// which neither allocates nor touches the memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller upholds `alloc`'s contract for `layout`.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` (through this wrapper) with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: `ptr` and `layout` come from `System` through this wrapper, and
        // the caller upholds `realloc`'s contract for `new_size`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// Reads `file` whole: (frames, allocations while reading, records).
fn read(file: &[u8]) -> (u64, u64, Vec<RecordKind>) {
    let mut records = Vec::with_capacity(4096);
    let before = allocations();
    let mut capture = Capture::new(file).expect("a capture");
    for r in capture.by_ref() {
        records.push(r.expect("no error").kind);
    }
    let allocs = allocations() - before;
    (capture.stats().frames, allocs, records)
}

/// A classic pcap file (Ethernet) of TCP segments: (time µs, from the server,
/// sequence number, acknowledgment, payload).
fn pcap(segments: &[(u64, bool, u32, u32, Vec<u8>)]) -> Vec<u8> {
    let client = ([10, 0, 0, 1], 40000);
    let server = ([10, 0, 0, 2], 21);
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&65535u32.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    for (ts, from_server, seq, ack, payload) in segments {
        let ((src, sport), (dst, dport)) = if *from_server {
            (server, client)
        } else {
            (client, server)
        };
        let mut frame = vec![2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00];
        PacketBuilder::ipv4(src, dst, 64)
            .tcp(sport, dport, *seq, 65535)
            .ack(*ack)
            .write(&mut frame, payload)
            .unwrap();
        out.extend_from_slice(&((ts / 1_000_000) as u32).to_le_bytes());
        out.extend_from_slice(&((ts % 1_000_000) as u32).to_le_bytes());
        out.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        out.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        out.extend_from_slice(&frame);
    }
    out
}

/// A 100 000-byte reply line in 1000 in-order segments: before, each segment
/// cost two allocations of its own (its bytes copied out of the packet, and the
/// list they were put in); now the whole capture takes a few dozen (the reply
/// buffer growing, the records).
#[test]
fn in_order_segments_allocate_nothing_of_their_own() {
    let (cseq, sseq) = (1000u32, 5000u32);
    let mut segments = vec![
        (1, false, cseq, sseq, b"STAT\r\n".to_vec()),
        (2, true, sseq, cseq + 6, b"211 ".to_vec()),
    ];
    let mut at = sseq + 4;
    for i in 0..1000u64 {
        let mut piece = vec![b'x'; 100];
        if i == 999 {
            piece[98..].copy_from_slice(b"\r\n");
        }
        segments.push((3 + i, true, at, cseq + 6, piece));
        at += 100;
    }
    let (frames, allocs, records) = read(&pcap(&segments));
    assert_eq!(frames, 1002);
    let lines: Vec<usize> = records
        .iter()
        .filter_map(|r| match r {
            RecordKind::Exchange(x) => x.replies.first().map(|r| r.reply.raw().len()),
            _ => None,
        })
        .collect();
    assert_eq!(lines, [100_004]);
    eprintln!("1000 in-order segments of one reply: {allocs} allocations");
    assert!(allocs < 100, "{allocs} allocations for 1000 segments");
}

/// Prints allocations per frame for each real capture (no bound asserted: the
/// figures depend on what each capture holds); with
/// `FTP_REPLY_CAPTURES=required`, their absence fails.
#[test]
fn real_captures_allocations_per_frame() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/captures");
    if !dir.is_dir() {
        assert_ne!(
            std::env::var("FTP_REPLY_CAPTURES").as_deref(),
            Ok("required"),
            "{} is missing",
            dir.display()
        );
        return;
    }
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".pcap"))
        .collect();
    names.sort();
    assert!(!names.is_empty());
    let (mut all_frames, mut all_allocs) = (0, 0);
    for name in names {
        let bytes = std::fs::read(dir.join(&name)).unwrap();
        let (frames, allocs, records) = read(&bytes);
        assert!(!records.is_empty(), "{name}");
        eprintln!(
            "{name}: {frames} frames, {allocs} allocations, {:.2} per frame",
            allocs as f64 / frames as f64
        );
        all_frames += frames;
        all_allocs += allocs;
    }
    eprintln!(
        "all: {all_frames} frames, {all_allocs} allocations, {:.2} per frame",
        all_allocs as f64 / all_frames as f64
    );
}
