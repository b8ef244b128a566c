//! Peers that read from a socket: a server thread on 127.0.0.1 writes the corpus
//! on one TCP connection, as an FTP server writes replies, and the client under
//! test reads it. suppaftp reads replies only from its `FtpStream`, over a real
//! socket; the other two clients here share the same transport so that its cost
//! can be told apart from the parsing.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::thread;
use std::time::Instant;

use bytes::BytesMut;
use ftp_reply::ReplyDecoder;
use suppaftp::{FtpError, FtpStream};

use crate::{Result, Run, check_drained};

/// Serves `data` on a fresh loopback connection and times `client` from the
/// connect to its return. The server reads and drops whatever the client sends
/// (commands), so the client never blocks on a full socket buffer.
fn serve(data: &[u8], client: impl FnOnce(TcpStream) -> Result<u64>) -> Result<Run> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    thread::scope(|s| {
        let server = s.spawn(move || -> std::io::Result<()> {
            let (mut sock, _) = listener.accept()?;
            let mut commands = sock.try_clone()?;
            let drain = s.spawn(move || {
                let mut sink = [0u8; 16 * 1024];
                while matches!(commands.read(&mut sink), Ok(n) if n > 0) {}
            });
            sock.write_all(data)?;
            sock.shutdown(Shutdown::Write)?;
            // The drain ends when the client closes the connection.
            drain
                .join()
                .map_err(|_| std::io::Error::other("drain thread panicked"))
        });
        let allocs = crate::counting::allocations();
        let start = Instant::now();
        let count = client(TcpStream::connect(addr)?)?;
        let elapsed = start.elapsed();
        let allocs = crate::counting::allocations() - allocs;
        server
            .join()
            .map_err(|_| "server thread panicked")?
            .map_err(|e| format!("server: {e}"))?;
        Ok(Run {
            count,
            elapsed,
            allocs,
        })
    })
}

/// suppaftp 12.2.1: `connect_with_stream` reads the greeting (it must be a 220),
/// then every `custom_command` sends one command line and reads one reply with
/// the crate's own reply reader (`BufReader::read_until` line by line, a reply
/// ending at a line of three digits and a space). Asking for no status at all
/// makes every reply an `UnexpectedResponse`, which still carries it whole.
pub fn suppaftp(data: &[u8]) -> Result<Run> {
    serve(data, |stream| {
        let mut ftp = FtpStream::connect_with_stream(stream)?;
        let mut count = 1;
        loop {
            match ftp.custom_command("NOOP", &[]) {
                Ok(response) | Err(FtpError::UnexpectedResponse(response)) => {
                    std::hint::black_box(&response);
                    count += 1;
                }
                Err(FtpError::ConnectionError(e))
                    if e.kind() == std::io::ErrorKind::UnexpectedEof =>
                {
                    break;
                }
                Err(e) => return Err(format!("suppaftp: {e}").into()),
            }
        }
        Ok(count)
    })
}

/// This crate over the same socket: 8 KiB reads (the size of suppaftp's
/// `BufReader`) appended to a `BytesMut`, decoding after each.
pub fn ftp_reply(data: &[u8]) -> Result<Run> {
    serve(data, |mut stream| {
        let mut buf = BytesMut::new();
        let mut decoder = ReplyDecoder::new();
        let mut read = [0u8; 8 * 1024];
        let mut count = 0;
        loop {
            let n = stream.read(&mut read)?;
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&read[..n]);
            while let Some(reply) = decoder.decode(&mut buf)? {
                std::hint::black_box(&reply);
                count += 1;
            }
        }
        check_drained(&mut decoder, &mut buf)?;
        Ok(count)
    })
}

/// The transport floor: the lines read through the same `BufReader` that
/// suppaftp uses, without parsing them or sending anything back. Counts lines.
pub fn lines(data: &[u8]) -> Result<Run> {
    serve(data, |stream| {
        let mut reader = BufReader::new(stream);
        let mut line = Vec::new();
        let mut count = 0;
        while reader.read_until(b'\n', &mut line)? > 0 {
            std::hint::black_box(&line);
            line.clear();
            count += 1;
        }
        Ok(count)
    })
}
