//! The end of the stream: `decode_eof` at an arbitrary cut, then the same decoder
//! on the rest, against fresh decoders.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ftp_reply_fuzz::checks::decode_eof(data));
