//! 110 texts, arbitrary or built as `MARK u = s`, against a reference
//! reading, and through a reply's accessors.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ftp_reply_fuzz::checks::restart_marker(data));
