//! A generated reply, encoded and decoded back, must be the same reply.
#![no_main]

use ftp_reply_fuzz::ArbitraryReply;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|reply: ArbitraryReply| ftp_reply_fuzz::checks::roundtrip(&reply.0));
