//! Throughput of the streaming decoder on a realistic session and on a stream of
//! short single-line replies (most of what a client decodes), fed whole and in
//! small reads, and the cost of feeding large multi-line replies one byte at a time
//! (which must grow linearly with the reply's size).

use bytes::BytesMut;
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ftp_reply::{DecoderConfig, ReplyDecoder};
use std::hint::black_box;

/// One realistic control-connection session, server to client.
fn session() -> Vec<u8> {
    let mut s = Vec::new();
    s.extend_from_slice(
        b"220---------- Welcome to Pure-FTPd [privsep] [TLS] ----------\r\n\
220-You are user number 1 of 50 allowed.\r\n\
220-Local time is now 12:00. Server port: 21.\r\n\
220-This is a private system - No anonymous login\r\n\
220 You will be disconnected after 15 minutes of inactivity.\r\n\
331 Please specify the password.\r\n\
230 Login successful.\r\n\
215 UNIX Type: L8\r\n\
211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n UTF8\r\n211 End\r\n\
257 \"/home/user\" is the current directory\r\n\
200 Switching to Binary mode.\r\n\
213 4096\r\n\
213 20240101120000\r\n",
    );
    s.extend_from_slice(b"214-The following commands are recognized.\r\n");
    for _ in 0..4 {
        s.extend_from_slice(
            b" ABOR ACCT ALLO APPE CDUP CWD  DELE EPRT EPSV FEAT HELP LIST MDTM MKD\r\n",
        );
    }
    s.extend_from_slice(b"214 Help OK.\r\n");
    s.extend_from_slice(b"211-FTP server status:\r\n");
    for i in 0..200 {
        s.extend_from_slice(
            format!("-rw-r--r--    1 1000     1000         {i:6} Jan 01 12:00 file-{i:04}.dat\r\n")
                .as_bytes(),
        );
    }
    s.extend_from_slice(b"211 End of status\r\n");
    for i in 0..20 {
        s.extend_from_slice(
            format!(
                "227 Entering Passive Mode (127,0,0,1,{},{}).\r\n\
150 Opening BINARY mode data connection for file-{i:04}.dat (4096 bytes).\r\n\
226 Transfer complete.\r\n\
229 Entering Extended Passive Mode (|||{}|)\r\n\
150 Here comes the directory listing.\r\n\
226 Directory send OK.\r\n",
                150 + i % 50,
                i,
                40000 + i
            )
            .as_bytes(),
        );
    }
    s.extend_from_slice(
        b"550 Failed to open file.\r\n\
425 Can't open data connection.\r\n\
500 Unknown command.\r\n\
530 Please login with USER and PASS.\r\n\
221 Goodbye.\r\n",
    );
    s
}

fn decode_stream(input: &[u8], read: usize) -> usize {
    let mut decoder = ReplyDecoder::new();
    let mut buf = BytesMut::with_capacity(read.min(input.len()).max(64) * 2);
    let mut replies = 0;
    for piece in input.chunks(read) {
        buf.extend_from_slice(piece);
        while let Ok(Some(reply)) = decoder.decode(&mut buf) {
            black_box(&reply);
            replies += 1;
        }
    }
    replies
}

fn session_throughput(c: &mut Criterion) {
    let one = session();
    let input: Vec<u8> = one.iter().copied().cycle().take(one.len() * 16).collect();
    let expected = decode_stream(&input, input.len());
    let mut group = c.benchmark_group("session");
    group.throughput(Throughput::Bytes(input.len() as u64));
    for read in [input.len(), 4096, 64] {
        assert_eq!(decode_stream(&input, read), expected);
        let name = if read == input.len() {
            "whole".to_string()
        } else {
            format!("{read}B-reads")
        };
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| decode_stream(black_box(&input), read));
        });
    }
    group.finish();
}

/// Short single-line replies, as a client reads them between its commands: the
/// replies of `benches/peers`' short corpus (PASV, 150/226, 200, 213, 250, 257,
/// 331, 230, errors), about 64 KiB of them.
fn short_replies() -> Vec<u8> {
    let replies = [
        "200 NOOP ok.",
        "200 TYPE is now 8-bit binary",
        "150 Here comes the directory listing.",
        "226 Transfer complete.",
        "250 OK. Current directory is /pub",
        "331 Please specify the password.",
        "230 Login successful.",
        "213 48213",
        "550 Failed to open file.",
        "425 Can't open data connection.",
        "450 Requested file action not taken.",
        "530 Login incorrect.",
        "221 Goodbye.",
        "257 \"/home/ftp\" is the current directory",
    ];
    let mut s = b"220 (vsFTPd 3.0.3)\r\n".to_vec();
    let mut i = 0usize;
    while s.len() < 64 * 1024 {
        if i.is_multiple_of(7) {
            s.extend_from_slice(
                format!(
                    "227 Entering Passive Mode (192,168,{},{},{},{}).\r\n",
                    i % 256,
                    (i * 7) % 256,
                    195 + i % 60,
                    (i * 13) % 256
                )
                .as_bytes(),
            );
        }
        s.extend_from_slice(replies[(i * 5) % replies.len()].as_bytes());
        s.extend_from_slice(b"\r\n");
        i += 1;
    }
    s
}

fn decode_borrowed(input: &[u8]) -> usize {
    let mut replies = 0;
    for reply in ReplyDecoder::new().replies(input) {
        black_box(&reply);
        replies += 1;
    }
    replies
}

/// Decodes every reply already in `buf`.
fn decode_buffered(buf: &mut BytesMut) -> usize {
    let mut decoder = ReplyDecoder::new();
    let mut replies = 0;
    while let Ok(Some(reply)) = decoder.decode(buf) {
        black_box(&reply);
        replies += 1;
    }
    replies
}

/// The short replies decoded from one buffer filled beforehand (as
/// `benches/peers`' `ftp-reply/whole`: filling it is not timed), in 4 KiB reads
/// into a buffer that starts empty, and borrowed.
fn short_throughput(c: &mut Criterion) {
    let input = short_replies();
    let expected = decode_stream(&input, input.len());
    assert_eq!(decode_borrowed(&input), expected);
    assert_eq!(decode_stream(&input, 4096), expected);
    let mut group = c.benchmark_group("short");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.bench_function(BenchmarkId::from_parameter("whole"), |b| {
        b.iter_batched_ref(
            || BytesMut::from(&input[..]),
            decode_buffered,
            BatchSize::SmallInput,
        );
    });
    group.bench_function(BenchmarkId::from_parameter("4096B-reads"), |b| {
        b.iter(|| decode_stream(black_box(&input), 4096));
    });
    group.bench_function(BenchmarkId::from_parameter("borrowed"), |b| {
        b.iter(|| decode_borrowed(black_box(&input)));
    });
    group.finish();
}

/// A multi-line reply of about `size` bytes.
fn big_reply(size: usize) -> Vec<u8> {
    let mut s = b"211-status\r\n".to_vec();
    let line = b" -rw-r--r--    1 ftp ftp      4096 Jan 01 12:00 some-file-name.dat\r\n";
    while s.len() + line.len() < size {
        s.extend_from_slice(line);
    }
    s.extend_from_slice(b"211 End\r\n");
    s
}

fn drip(input: &[u8]) -> usize {
    let mut decoder = ReplyDecoder::with_config(DecoderConfig::new());
    let mut buf = BytesMut::with_capacity(input.len());
    let mut replies = 0;
    for &b in input {
        buf.extend_from_slice(&[b]);
        if let Ok(Some(reply)) = decoder.decode(&mut buf) {
            black_box(&reply);
            replies += 1;
        }
    }
    replies
}

fn byte_at_a_time(c: &mut Criterion) {
    let mut group = c.benchmark_group("drip");
    group.sample_size(10);
    for size in [256 * 1024, 1024 * 1024] {
        let input = big_reply(size);
        assert_eq!(drip(&input), 1);
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_function(BenchmarkId::new("one-byte-reads", size / 1024), |b| {
            b.iter(|| drip(black_box(&input)));
        });
        group.bench_function(BenchmarkId::new("whole", size / 1024), |b| {
            b.iter(|| decode_stream(black_box(&input), input.len()));
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    session_throughput,
    short_throughput,
    byte_at_a_time
);
criterion_main!(benches);
