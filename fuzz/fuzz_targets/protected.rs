//! 631/632/633 replies, single and multi-line: Base64 lines against a strict
//! reference, and through a no-op security mechanism into the inner decoder.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ftp_reply_fuzz::checks::protected(data));
