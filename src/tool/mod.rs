//! The `ftp-reply` tool's verbs. Thin: argument handling and printing only; all
//! decoding and classification is the library's.

pub mod decode;
pub mod explain;
pub mod pcap;
pub mod probe;
pub mod report;
pub mod transcript;
