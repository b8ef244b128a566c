//! The `ftp-reply` command-line tool.
fn main() {}
