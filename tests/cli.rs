//! Tests of the `ftp-reply` binary.
