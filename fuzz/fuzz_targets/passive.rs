//! 227, 228 and 229 texts, arbitrary or built valid, against a reference reading
//! of their grammar, and through a reply's accessors.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ftp_reply_fuzz::checks::passive(data));
