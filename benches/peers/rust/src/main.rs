//! The Rust runner of the peer benchmark (see `benches/peers/README.md`).
//!
//! ```text
//! ftp-reply-peers bench PEER FILE REPS   # one result line per repetition, then an alloc line
//! ftp-reply-peers drip REPS              # byte-at-a-time feeding against a whole-buffer feed
//! ftp-reply-peers drip-once SIZE MODE    # one feed (whole|byte), to count instructions
//! ftp-reply-peers peers                  # the PEER names
//! ```
//!
//! Each repetition reads nothing from disk: the file is read into memory first,
//! and only the decode loop is timed. Output lines, collected by `driver.py`:
//!
//! ```text
//! PEER BYTES COUNT SECONDS                # COUNT is replies (lines for the */lines floors)
//! alloc PEER ALLOCS COUNT                 # heap allocations in the last repetition's timed span
//! drip BYTES whole|byte SECONDS           # one multi-line reply of BYTES bytes
//! ```

mod counting;
mod loopback;

use std::error::Error;
use std::hint::black_box;
use std::time::{Duration, Instant};

use bytes::{BufMut, BytesMut};
use ftp_reply::ReplyDecoder;

type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

/// What one timed run found: how many replies (or lines), how long the loop
/// took, and how many heap allocations were made meanwhile (by any thread).
struct Run {
    count: u64,
    elapsed: Duration,
    allocs: u64,
}

/// The peers this runner measures, with what each one does.
const PEERS: &[(&str, &str)] = &[
    (
        "ftp-reply/whole",
        "this crate, the whole file in one BytesMut, decode until None",
    ),
    (
        "ftp-reply/borrowed",
        "this crate, ReplyDecoder::replies over the whole file (borrowed ReplyRef)",
    ),
    (
        "ftp-reply/4k",
        "this crate, 4 KiB appended at a time, decode until None after each",
    ),
    (
        "ftp-reply/loopback",
        "this crate, reading a loopback TCP socket 8 KiB at a time",
    ),
    (
        "memchr/lines",
        "the floor: memchr_iter over b'\\n' (counts lines)",
    ),
    (
        "libftp/whole",
        "libftp 0.1.0's nom parser over the whole file",
    ),
    (
        "libftp/4k",
        "libftp 0.1.0's nom parser, 4 KiB appended at a time",
    ),
    (
        "suppaftp/loopback",
        "suppaftp 12.2.1 FtpStream reading replies from a loopback TCP socket",
    ),
    (
        "loopback/lines",
        "the loopback floor: BufReader<TcpStream>::read_until(b'\\n') (counts lines)",
    ),
];

fn main() {
    if let Err(e) = run_cli() {
        eprintln!("ftp-reply-peers: {e}");
        std::process::exit(1);
    }
}

fn run_cli() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["bench", peer, file, reps] => bench(peer, file, reps.parse()?),
        ["drip", reps] => drip(reps.parse()?),
        ["drip-once", size, mode] => drip_once(size.parse()?, mode),
        ["peers"] => {
            for (name, what) in PEERS {
                println!("{name}\t{what}");
            }
            Ok(())
        }
        _ => Err(
            "usage: ftp-reply-peers bench PEER FILE REPS | drip REPS | drip-once SIZE whole|byte | peers"
                .into(),
        ),
    }
}

fn bench(peer: &str, file: &str, reps: usize) -> Result<()> {
    let data = std::fs::read(file)?;
    let run: fn(&[u8]) -> Result<Run> = match peer {
        "ftp-reply/whole" => ftp_reply_whole,
        "ftp-reply/borrowed" => ftp_reply_borrowed,
        "ftp-reply/4k" => ftp_reply_4k,
        "ftp-reply/loopback" => loopback::ftp_reply,
        "memchr/lines" => memchr_lines,
        "libftp/whole" => libftp_whole,
        "libftp/4k" => libftp_4k,
        "suppaftp/loopback" => loopback::suppaftp,
        "loopback/lines" => loopback::lines,
        _ => return Err(format!("unknown peer {peer:?} (see `ftp-reply-peers peers`)").into()),
    };
    let mut allocs = 0;
    let mut count = 0;
    for _ in 0..reps {
        let r = run(&data)?;
        allocs = r.allocs;
        count = r.count;
        println!(
            "{peer} {} {} {:.9}",
            data.len(),
            r.count,
            r.elapsed.as_secs_f64()
        );
    }
    println!("alloc {peer} {allocs} {count}");
    Ok(())
}

/// Times `decode_loop`, the part of a run that is measured. Each in-memory
/// peer's loop is a function of its own, never inlined and named after the peer
/// (`ftp-reply/whole` → `ftp_reply_whole_loop`), so that
/// `valgrind --tool=callgrind --toggle-collect=ftp_reply_peers::NAME_loop`
/// counts exactly what the clock times.
fn timed(decode_loop: impl FnOnce() -> Result<u64>) -> Result<Run> {
    let allocs = counting::allocations();
    let start = Instant::now();
    let count = decode_loop()?;
    let elapsed = start.elapsed();
    Ok(Run {
        count,
        elapsed,
        allocs: counting::allocations() - allocs,
    })
}

/// The whole file, borrowed: `ReplyDecoder::replies` yields `ReplyRef`s that point
/// into it (what a caller already holding a complete buffer uses).
fn ftp_reply_borrowed(data: &[u8]) -> Result<Run> {
    timed(|| ftp_reply_borrowed_loop(data))
}

#[inline(never)]
fn ftp_reply_borrowed_loop(data: &[u8]) -> Result<u64> {
    let mut count = 0;
    for reply in ReplyDecoder::new().replies(data) {
        black_box(&reply?);
        count += 1;
    }
    Ok(count)
}

/// The whole file in one buffer; replies are taken off its front until none is left.
fn ftp_reply_whole(data: &[u8]) -> Result<Run> {
    // Filling the buffer is not part of decoding: it happens before the clock starts.
    let mut buf = BytesMut::from(data);
    let mut decoder = ReplyDecoder::new();
    let run = timed(|| ftp_reply_whole_loop(&mut decoder, &mut buf))?;
    check_drained(&mut decoder, &mut buf)?;
    Ok(run)
}

#[inline(never)]
fn ftp_reply_whole_loop(decoder: &mut ReplyDecoder, buf: &mut BytesMut) -> Result<u64> {
    let mut count = 0;
    while let Some(reply) = decoder.decode(buf)? {
        black_box(&reply);
        count += 1;
    }
    Ok(count)
}

/// 4 KiB at a time, as reads from a socket would arrive, into a buffer that
/// starts empty and grows as `BytesMut` decides.
fn ftp_reply_4k(data: &[u8]) -> Result<Run> {
    let mut buf = BytesMut::new();
    let mut decoder = ReplyDecoder::new();
    let run = timed(|| ftp_reply_4k_loop(data, &mut decoder, &mut buf))?;
    check_drained(&mut decoder, &mut buf)?;
    Ok(run)
}

#[inline(never)]
fn ftp_reply_4k_loop(data: &[u8], decoder: &mut ReplyDecoder, buf: &mut BytesMut) -> Result<u64> {
    let mut count = 0;
    for chunk in data.chunks(4096) {
        buf.extend_from_slice(chunk);
        while let Some(reply) = decoder.decode(buf)? {
            black_box(&reply);
            count += 1;
        }
    }
    Ok(count)
}

/// At the end of the input nothing may be left: the corpus is whole replies.
fn check_drained(decoder: &mut ReplyDecoder, buf: &mut BytesMut) -> Result<()> {
    match decoder.decode_eof(buf)? {
        None => Ok(()),
        Some(_) => Err("a reply was left after decode returned None".into()),
    }
}

/// The floor: finding every line end and nothing else.
fn memchr_lines(data: &[u8]) -> Result<Run> {
    timed(|| Ok(memchr_lines_loop(data)))
}

#[inline(never)]
fn memchr_lines_loop(data: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', black_box(data)).count() as u64
}

/// libftp's `parse_reply` (nom 7, streaming combinators) over the whole file.
fn libftp_whole(data: &[u8]) -> Result<Run> {
    timed(|| libftp_whole_loop(data))
}

#[inline(never)]
fn libftp_whole_loop(data: &[u8]) -> Result<u64> {
    let mut rest = data;
    let mut count = 0;
    loop {
        match libftp::parser::parse_reply(rest) {
            Ok((after, reply)) => {
                black_box(&reply);
                count += 1;
                rest = after;
            }
            Err(nom7::Err::Incomplete(_)) => break,
            Err(e) => return Err(format!("libftp: {e:?}").into()),
        }
    }
    if !rest.is_empty() {
        return Err(format!("libftp: {} bytes left over", rest.len()).into());
    }
    Ok(count)
}

/// libftp streaming, as its streaming parsers are meant to be used: append 4 KiB,
/// parse complete replies off the front, and on `Incomplete` wait for more,
/// parsing the unfinished reply again from its start next time.
fn libftp_4k(data: &[u8]) -> Result<Run> {
    timed(|| libftp_4k_loop(data))
}

#[inline(never)]
fn libftp_4k_loop(data: &[u8]) -> Result<u64> {
    let mut buf: Vec<u8> = Vec::new();
    let mut count = 0;
    for chunk in data.chunks(4096) {
        buf.extend_from_slice(chunk);
        let mut used = 0;
        loop {
            match libftp::parser::parse_reply(&buf[used..]) {
                Ok((after, reply)) => {
                    black_box(&reply);
                    count += 1;
                    used = buf.len() - after.len();
                }
                Err(nom7::Err::Incomplete(_)) => break,
                Err(e) => return Err(format!("libftp: {e:?}").into()),
            }
        }
        buf.drain(..used);
    }
    if !buf.is_empty() {
        return Err(format!("libftp: {} bytes left over", buf.len()).into());
    }
    Ok(count)
}

/// One multi-line reply (a STAT listing) of at least `size` bytes.
fn listing_reply(size: usize) -> Vec<u8> {
    let end = b"213 End of status\r\n";
    let mut out = b"213-Status follows:\r\n".to_vec();
    let mut i = 0u64;
    while out.len() + end.len() < size {
        out.extend_from_slice(
            format!(
                "-rw-r--r--    1 ftp      ftp      {:>12} Jan {:>2} 12:00 file-{i}.txt\r\n",
                i * 7919 % 100_000_000,
                i % 28 + 1
            )
            .as_bytes(),
        );
        i += 1;
    }
    out.extend_from_slice(end);
    out
}

/// Feeding one large multi-line reply a byte at a time (a `decode` call after
/// each byte) against handing it over whole, for several sizes: the decoder
/// keeps its place, so the cost per byte stays flat as the reply grows.
fn drip(reps: usize) -> Result<()> {
    for size in DRIP_SIZES {
        let reply = listing_reply(size);
        let len = reply.len();
        let mut whole = Vec::new();
        let mut byte = Vec::new();
        // The whole-buffer feed takes well under a millisecond: more repetitions.
        for _ in 0..reps.max(1) * 10 {
            let mut buf = BytesMut::from(&reply[..]);
            let start = Instant::now();
            let got = feed_whole(&mut buf)?;
            whole.push(start.elapsed());
            check_one(got.as_ref(), len)?;
        }
        for _ in 0..reps.max(1) {
            // Room for the whole reply up front: what is timed is the decoder, not
            // the buffer's growth.
            let mut buf = BytesMut::with_capacity(len);
            let start = Instant::now();
            let got = feed_bytes(&reply, &mut buf)?;
            byte.push(start.elapsed());
            check_one(got.as_ref(), len)?;
        }
        println!("drip {len} whole {:.9}", median(&mut whole).as_secs_f64());
        println!("drip {len} byte {:.9}", median(&mut byte).as_secs_f64());
    }
    Ok(())
}

/// The reply sizes of the drip measurement.
const DRIP_SIZES: [usize; 3] = [64 << 10, 256 << 10, 1 << 20];

/// One feed of one size, for an instruction count under
/// `valgrind --tool=callgrind --toggle-collect=ftp_reply_peers::feed_*`
/// (deterministic, unlike the clock on a busy machine). Prints `BYTES`.
fn drip_once(size: usize, mode: &str) -> Result<()> {
    let reply = listing_reply(size);
    let got = match mode {
        "whole" => feed_whole(&mut BytesMut::from(&reply[..]))?,
        "byte" => feed_bytes(&reply, &mut BytesMut::with_capacity(reply.len()))?,
        _ => return Err(format!("unknown drip mode {mode:?}").into()),
    };
    check_one(got.as_ref(), reply.len())?;
    println!("{}", reply.len());
    Ok(())
}

/// The whole reply is in `buf`: one `decode` call.
#[inline(never)]
fn feed_whole(buf: &mut BytesMut) -> Result<Option<ftp_reply::Reply>> {
    Ok(ReplyDecoder::new().decode(buf)?)
}

/// Appends `reply` to `buf` one byte at a time, with a `decode` call after each.
#[inline(never)]
fn feed_bytes(reply: &[u8], buf: &mut BytesMut) -> Result<Option<ftp_reply::Reply>> {
    let mut decoder = ReplyDecoder::new();
    let mut got = None;
    for &b in reply {
        buf.put_u8(b);
        if let Some(r) = decoder.decode(buf)? {
            got = Some(r);
        }
    }
    Ok(got)
}

fn check_one(reply: Option<&ftp_reply::Reply>, len: usize) -> Result<()> {
    match reply {
        Some(r) if r.raw().len() == len => Ok(()),
        _ => Err("drip: the reply was not decoded whole".into()),
    }
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}
