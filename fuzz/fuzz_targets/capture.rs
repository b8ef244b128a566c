//! Packet captures: arbitrary file bytes through the reader and reassembler, and a
//! server stream whose segments come in an arbitrary order, which must give what
//! the same segments give in order.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ftp_reply_fuzz::capture::capture(data));
