//! `ftp-reply`: decode, classify and explain FTP control-connection replies.

mod tool;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Decode, classify and explain FTP control-connection replies.
#[derive(Parser, Debug)]
#[command(name = "ftp-reply", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Explain a reply code: its class, group and meaning.
    #[command(
        after_help = "Examples:\n  ftp-reply explain 550\n  ftp-reply explain 227 --lang zh\n  ftp-reply explain 10054 --json\n\nExit status: 0 on success, 2 for a malformed or unknown code."
    )]
    Explain(ExplainArgs),
    /// Decode a captured server-to-client control-connection stream.
    #[command(
        after_help = "Examples:\n  ftp-reply decode samples/vsftpd-session.bin\n  ftp-reply decode samples/vsftpd-session.bin --json\n  ftp-reply decode samples/vsftpd-session.bin --commands samples/vsftpd-session.commands\n  cat capture.bin | ftp-reply decode - --lang ru\n\nExit status: 0 if every reply decoded, 1 if any stream error occurred, 2 for usage errors."
    )]
    Decode(DecodeArgs),
    /// Probe a live FTP server with a fixed, harmless command sequence.
    #[command(
        after_help = "Examples:\n  ftp-reply probe 127.0.0.1:21\n  ftp-reply probe 127.0.0.1:2121 --user alice --password secret --json\n\nSends FEAT, SYST, HELP, and with credentials USER, PASS, PWD, EPSV, PASV, NOOP;\nthen QUIT. It never opens a data connection.\n\nExit status: 0 on success, 1 if a reply could not be decoded, 2 for usage errors,\n3 for network failures."
    )]
    Probe(ProbeArgs),
}

#[derive(Args, Debug)]
struct ExplainArgs {
    /// The reply code (100-699), or a Winsock error code (e.g. 10054).
    #[arg(allow_hyphen_values = true)]
    code: String,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Args, Debug)]
struct DecodeArgs {
    /// The captured bytes: a file, or `-` for standard input.
    #[arg(default_value = "-")]
    input: PathBuf,
    #[command(flatten)]
    output: OutputArgs,
    /// Treat 63z payloads as if the security mechanism's unwrap were the identity,
    /// and show the inner reply.
    #[arg(long)]
    protected_cleartext: bool,
    /// The client's command lines, one per line in the order sent: pairs each reply
    /// with its command and shows what the reply means for it (RFC 959 §5.4).
    #[arg(long, value_name = "FILE")]
    commands: Option<PathBuf>,
    /// Size of each read from the input, in bytes.
    #[arg(long, default_value_t = 4096, value_parser = clap::value_parser!(u32).range(1..=16_777_216), hide = true)]
    read_size: u32,
}

#[derive(Args, Debug)]
struct ProbeArgs {
    /// The server, as HOST:PORT.
    address: String,
    /// User name to log in with (USER).
    #[arg(long, requires = "password")]
    user: Option<String>,
    /// Password to log in with (PASS); shown masked.
    #[arg(long, requires = "user")]
    password: Option<String>,
    /// Connect and read timeout, in seconds.
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Args, Debug, Clone, Copy)]
struct OutputArgs {
    /// Print JSON (one object per line) instead of a table.
    #[arg(long)]
    json: bool,
    /// Language of the meanings.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    lang: LangArg,
}

#[derive(ValueEnum, Debug, Clone, Copy)]
enum LangArg {
    En,
    Ru,
    Zh,
}

impl From<LangArg> for ftp_reply::Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::En => ftp_reply::Lang::En,
            LangArg::Ru => ftp_reply::Lang::Ru,
            LangArg::Zh => ftp_reply::Lang::Zh,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Explain(a) => tool::explain::run(&a.code, a.output.json, a.output.lang.into()),
        Command::Decode(a) => tool::decode::run(&tool::decode::Options {
            input: a.input,
            json: a.output.json,
            lang: a.output.lang.into(),
            protected_cleartext: a.protected_cleartext,
            read_size: a.read_size as usize,
            commands: a.commands,
        }),
        Command::Probe(a) => tool::probe::run(&tool::probe::Options {
            address: a.address,
            credentials: a.user.zip(a.password),
            timeout: std::time::Duration::from_secs(a.timeout.max(1)),
            json: a.output.json,
            lang: a.output.lang.into(),
        }),
    };
    ExitCode::from(status)
}
