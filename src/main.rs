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
    /// Read FTP control connections from a packet capture: each command with its replies.
    #[command(
        after_help = "Examples:\n  ftp-reply pcap session.pcap\n  ftp-reply pcap session.pcapng --json\n  ftp-reply pcap capture.pcap --port 2121 --port 990 --color never\n  tcpdump -w - -i lo port 21 | ftp-reply pcap -\n\nReads pcap and pcapng (Ethernet with VLAN tags, Linux cooked SLL/SLL2, raw IP,\nloopback; IPv4 and IPv6). Control connections are those on port 21, on the\n--port ports, and any whose server greets with 120/220 and whose client answers\nwith a command. Data connections announced by 227/228/229, PORT and EPRT are\nreported with their size and duration, never decoded. Bytes the capture lost\nare reported as gaps; pairing resumes after them. After 234 to AUTH the\nconnection is encrypted and not decoded further.\n\nExit status: 0 on success, 1 if the capture holds stream errors or is cut or\ncorrupt after some records, 2 if it cannot be read at all."
    )]
    Pcap(PcapArgs),
}

#[derive(Args, Debug)]
struct PcapArgs {
    /// The capture (pcap or pcapng): a file, or `-` for standard input.
    input: PathBuf,
    #[command(flatten)]
    output: OutputArgs,
    /// Also treat TCP connections to this server port as FTP control connections
    /// (repeatable; 21 always is).
    #[arg(long = "port", value_name = "N")]
    ports: Vec<u16>,
    /// Colour the transcript by reply class.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
}

#[derive(ValueEnum, Debug, Clone, Copy)]
enum ColorArg {
    /// When writing to a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

impl From<ColorArg> for tool::transcript::ColorChoice {
    fn from(c: ColorArg) -> Self {
        match c {
            ColorArg::Auto => tool::transcript::ColorChoice::Auto,
            ColorArg::Always => tool::transcript::ColorChoice::Always,
            ColorArg::Never => tool::transcript::ColorChoice::Never,
        }
    }
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
    /// Colour the transcript by reply class.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
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
    /// Colour the transcript by reply class.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Args, Debug, Clone, Copy)]
struct OutputArgs {
    /// Print JSON (one object per line) instead of a transcript.
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
            style: tool::transcript::Style::for_stdout(a.color.into()),
        }),
        Command::Probe(a) => tool::probe::run(&tool::probe::Options {
            address: a.address,
            credentials: a.user.zip(a.password),
            timeout: std::time::Duration::from_secs(a.timeout.max(1)),
            json: a.output.json,
            lang: a.output.lang.into(),
            style: tool::transcript::Style::for_stdout(a.color.into()),
        }),
        Command::Pcap(a) => tool::pcap::run(&tool::pcap::Options {
            input: a.input,
            json: a.output.json,
            lang: a.output.lang.into(),
            ports: a.ports,
            style: tool::transcript::Style::for_stdout(a.color.into()),
        }),
    };
    ExitCode::from(status)
}
