//! 257 texts, arbitrary or built from a quote-doubled pathname, against a
//! reference reading, and through a reply's accessors.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ftp_reply_fuzz::checks::pathname(data));
