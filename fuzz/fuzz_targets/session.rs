//! The sans-IO session: arbitrary server bytes interleaved with arbitrary sends,
//! end of stream and abandons; every invariant of `ftp_reply_fuzz::session`
//! checked, and the same events with every read cut into single bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ftp_reply_fuzz::session::session(data));
