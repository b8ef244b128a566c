//! Arbitrary bytes in arbitrary reads, under a configuration from the input:
//! the same replies and errors as decoding them whole, with every invariant held.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ftp_reply_fuzz::checks::decode_chunks(data));
