//! What pairing replies with commands costs: the same replies decoded by
//! `ReplyDecoder` alone and through `Session` (which also sends the commands,
//! queues them, judges every reply with `Exchange` and produces events), on a
//! realistic conversation and on one of short single-line replies. Both are fed
//! the server's bytes in 4 KiB reads, a batch of pipelined commands at a time.
//!
//! A third runner, `floor`, is the least that any pairing layer does beside the
//! decoder: each command line copied into one output buffer and its handle and
//! verb queued, each reply handed out with the handle at the front of the queue
//! (popped by a final reply); no judging, no limits, no events of its own. What
//! `Session` costs is read against both.

use bytes::BytesMut;
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ftp_reply::session::{Interrupt, Io, Session, SessionConfig};
use ftp_reply::{Command, CommandLine, ReplyDecoder};
use std::collections::VecDeque;
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
fn decoder_only(c: &Conversation, replies_of: &[Vec<u8>]) -> usize {
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
    for bytes in replies_of {
        feed(bytes, &mut buf);
    }
    replies
}

/// The floor (see the top of this file): the decoder, plus the command lines
/// copied out and a queue of `(handle, verb)` that each reply takes its handle
/// from.
fn floor(c: &Conversation, lines: Vec<Vec<CommandLine>>, replies_of: &[Vec<u8>]) -> usize {
    let mut decoder = ReplyDecoder::new();
    let mut buf = BytesMut::with_capacity(2 * READ);
    let mut output = BytesMut::new();
    let mut queue: VecDeque<(u64, Command)> = VecDeque::with_capacity(BATCH);
    let mut handles = 0;
    let mut replies = 0;
    let mut feed = |bytes: &[u8], buf: &mut BytesMut, queue: &mut VecDeque<(u64, Command)>| {
        for piece in bytes.chunks(READ) {
            buf.extend_from_slice(piece);
            while let Ok(Some(reply)) = decoder.decode(buf) {
                let front = if reply.code().is_preliminary() {
                    queue.front().copied()
                } else {
                    queue.pop_front()
                };
                black_box(&(front, reply));
                replies += 1;
            }
        }
    };
    feed(&c.greeting, &mut buf, &mut queue);
    for (lines, bytes) in lines.into_iter().zip(replies_of) {
        for line in lines {
            output.extend_from_slice(line.as_bytes());
            queue.push_back((handles, line.command()));
            handles += 1;
        }
        black_box(output.split().freeze());
        feed(bytes, &mut buf, &mut queue);
    }
    replies
}

/// The session: each batch of commands sent and written, then their replies.
/// The command lines are built beforehand (a client builds them whatever it
/// decodes with) and moved in.
fn through_session(
    c: &Conversation,
    lines: Vec<Vec<CommandLine>>,
    replies_of: &[Vec<u8>],
) -> usize {
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
    for (lines, bytes) in lines.into_iter().zip(replies_of) {
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

/// The command lines of each batch, and the bytes of the batch's replies.
fn batches(c: &Conversation) -> (Vec<Vec<CommandLine>>, Vec<Vec<u8>>) {
    c.exchanges
        .chunks(BATCH)
        .map(|batch| {
            (
                batch.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>(),
                batch
                    .iter()
                    .flat_map(|(_, r)| r.iter().copied())
                    .collect::<Vec<_>>(),
            )
        })
        .unzip()
}

fn session_vs_decoder(c: &mut Criterion) {
    for (name, conv) in [("realistic", realistic()), ("short", short())] {
        let (lines, replies_of) = batches(&conv);
        assert_eq!(decoder_only(&conv, &replies_of), conv.replies);
        assert_eq!(floor(&conv, lines.clone(), &replies_of), conv.replies);
        assert_eq!(
            through_session(&conv, lines.clone(), &replies_of),
            conv.replies
        );
        let mut group = c.benchmark_group(format!("session-vs-decoder/{name}"));
        group.throughput(Throughput::Elements(conv.replies as u64));
        group.bench_function(BenchmarkId::from_parameter("decoder"), |b| {
            b.iter(|| decoder_only(black_box(&conv), &replies_of))
        });
        group.bench_function(BenchmarkId::from_parameter("floor"), |b| {
            b.iter_batched(
                || lines.clone(),
                |lines| floor(black_box(&conv), lines, &replies_of),
                BatchSize::SmallInput,
            )
        });
        group.bench_function(BenchmarkId::from_parameter("session"), |b| {
            b.iter_batched(
                || lines.clone(),
                |lines| through_session(black_box(&conv), lines, &replies_of),
                BatchSize::SmallInput,
            )
        });
        group.finish();
    }
}

criterion_group!(benches, session_vs_decoder);
criterion_main!(benches);
