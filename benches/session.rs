//! What pairing replies with commands costs: the same replies decoded by
//! `ReplyDecoder` alone and through `Session` (which also sends the commands,
//! queues them, judges every reply with `Exchange` and produces events), on a
//! realistic conversation and on one of short single-line replies. Both are fed
//! the server's bytes in 4 KiB reads, a batch of pipelined commands at a time.

use bytes::BytesMut;
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ftp_reply::session::{Interrupt, Io, Session, SessionConfig};
use ftp_reply::{Command, CommandLine, ReplyDecoder};
use std::hint::black_box;

/// Commands in flight at once.
const BATCH: usize = 32;
const READ: usize = 4096;

/// A conversation: the greeting, then each command with the bytes of its replies.
struct Conversation {
    greeting: Vec<u8>,
    exchanges: Vec<(CommandLine, Vec<u8>)>,
    replies: usize,
}

fn line(command: Command, argument: &str) -> CommandLine {
    CommandLine::new(command, argument.as_bytes()).unwrap()
}

fn conversation(exchanges: Vec<(CommandLine, Vec<u8>)>, replies: usize) -> Conversation {
    let greeting = b"220 FTP server ready.\r\n".to_vec();
    Conversation {
        greeting,
        exchanges,
        replies: replies + 1,
    }
}

fn realistic() -> Conversation {
    let mut ex: Vec<(CommandLine, Vec<u8>)> = vec![
        (line(Command::User, "alice"), b"331 Please specify the password.\r\n".to_vec()),
        (line(Command::Pass, "secret"), b"230 Login successful.\r\n".to_vec()),
        (line(Command::Syst, ""), b"215 UNIX Type: L8\r\n".to_vec()),
        (
            line(Command::Feat, ""),
            b"211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n UTF8\r\n211 End\r\n".to_vec(),
        ),
        (line(Command::Pwd, ""), b"257 \"/home/alice\" is the current directory\r\n".to_vec()),
        (line(Command::Type, "I"), b"200 Switching to Binary mode.\r\n".to_vec()),
        (line(Command::Size, "a.dat"), b"213 4096\r\n".to_vec()),
        (line(Command::Mdtm, "a.dat"), b"213 20240101120000\r\n".to_vec()),
    ];
    let mut replies = ex.len();
    let mut stat = b"211-FTP server status:\r\n".to_vec();
    for i in 0..200 {
        stat.extend_from_slice(
            format!("-rw-r--r--    1 1000     1000         {i:6} Jan 01 12:00 file-{i:04}.dat\r\n")
                .as_bytes(),
        );
    }
    stat.extend_from_slice(b"211 End of status\r\n");
    ex.push((line(Command::Stat, ""), stat));
    replies += 1;
    for i in 0..20 {
        ex.push((
            line(Command::Pasv, ""),
            format!(
                "227 Entering Passive Mode (127,0,0,1,{},{}).\r\n",
                150 + i % 50,
                i
            )
            .into_bytes(),
        ));
        ex.push((
            line(Command::Retr, &format!("file-{i:04}.dat")),
            format!("150 Opening BINARY mode data connection for file-{i:04}.dat (4096 bytes).\r\n226 Transfer complete.\r\n").into_bytes(),
        ));
        ex.push((
            line(Command::Epsv, ""),
            format!("229 Entering Extended Passive Mode (|||{}|)\r\n", 40000 + i).into_bytes(),
        ));
        ex.push((
            line(Command::List, ""),
            b"150 Here comes the directory listing.\r\n226 Directory send OK.\r\n".to_vec(),
        ));
        replies += 6;
    }
    ex.push((
        line(Command::Retr, "missing"),
        b"550 Failed to open file.\r\n".to_vec(),
    ));
    ex.push((line(Command::Quit, ""), b"221 Goodbye.\r\n".to_vec()));
    replies += 2;
    conversation(ex, replies)
}

fn short() -> Conversation {
    let mut ex = Vec::new();
    for i in 0..2000 {
        ex.push(match i % 4 {
            0 => (line(Command::Noop, ""), b"200 NOOP ok.\r\n".to_vec()),
            1 => (
                line(Command::Cwd, "pub"),
                b"250 Directory successfully changed.\r\n".to_vec(),
            ),
            2 => (line(Command::Size, "a.dat"), b"213 4096\r\n".to_vec()),
            _ => (
                line(Command::Pasv, ""),
                b"227 Entering Passive Mode (127,0,0,1,156,64).\r\n".to_vec(),
            ),
        });
    }
    let n = ex.len();
    conversation(ex, n)
}

/// The decoder alone, fed the same bytes in the same reads.
fn decoder_only(c: &Conversation, batches: &[(Vec<CommandLine>, Vec<u8>)]) -> usize {
    let mut decoder = ReplyDecoder::new();
    let mut buf = BytesMut::with_capacity(2 * READ);
    let mut replies = 0;
    let mut feed = |bytes: &[u8], buf: &mut BytesMut| {
        for piece in bytes.chunks(READ) {
            buf.extend_from_slice(piece);
            while let Ok(Some(reply)) = decoder.decode(buf) {
                black_box(&reply);
                replies += 1;
            }
        }
    };
    feed(&c.greeting, &mut buf);
    for (_, bytes) in batches {
        feed(bytes, &mut buf);
    }
    replies
}

/// The session: each batch of commands sent and written, then their replies.
/// The command lines are built beforehand (a client builds them whatever it
/// decodes with) and moved in.
fn through_session(c: &Conversation, batches: Vec<(Vec<CommandLine>, Vec<u8>)>) -> usize {
    let mut config = SessionConfig::default();
    config.max_pending = BATCH;
    let mut session = Session::with_config(config);
    let mut events = 0;
    let mut drain = |session: &mut Session| loop {
        match session.next() {
            Ok(event) => {
                events += usize::from(event.reply().is_some());
                black_box(&event);
            }
            Err(Interrupt::Io(Io::Output(bytes))) => {
                black_box(&bytes);
            }
            Err(Interrupt::Io(Io::NeedMoreInput)) | Err(Interrupt::Error(_)) => break,
        }
    };
    for piece in c.greeting.chunks(READ) {
        session.enqueue_input(piece);
        drain(&mut session);
    }
    for (lines, bytes) in batches {
        for line in lines {
            session.send(line).unwrap();
        }
        drain(&mut session);
        for piece in bytes.chunks(READ) {
            session.enqueue_input(piece);
            drain(&mut session);
        }
    }
    events
}

fn batches(c: &Conversation) -> Vec<(Vec<CommandLine>, Vec<u8>)> {
    c.exchanges
        .chunks(BATCH)
        .map(|batch| {
            (
                batch.iter().map(|(l, _)| l.clone()).collect(),
                batch.iter().flat_map(|(_, r)| r.iter().copied()).collect(),
            )
        })
        .collect()
}

fn session_vs_decoder(c: &mut Criterion) {
    for (name, conv) in [("realistic", realistic()), ("short", short())] {
        let batches = batches(&conv);
        assert_eq!(decoder_only(&conv, &batches), conv.replies);
        assert_eq!(through_session(&conv, batches.clone()), conv.replies);
        let mut group = c.benchmark_group(format!("session-vs-decoder/{name}"));
        group.throughput(Throughput::Elements(conv.replies as u64));
        group.bench_function(BenchmarkId::from_parameter("decoder"), |b| {
            b.iter(|| decoder_only(black_box(&conv), &batches))
        });
        group.bench_function(BenchmarkId::from_parameter("session"), |b| {
            b.iter_batched(
                || batches.clone(),
                |batches| through_session(black_box(&conv), batches),
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }
}

criterion_group!(benches, session_vs_decoder);
criterion_main!(benches);
