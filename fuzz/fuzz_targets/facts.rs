//! MLSD lines and MLST replies (RFC 3659 §7) against a reference reading, and
//! facts built from the input encoded and parsed back.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ftp_reply_fuzz::checks::facts(data));
