//! The real servers started by `scripts/ftp-servers.sh`, as described in
//! `$FTP_SERVERS_DIR/servers.json` (format: `tests/servers/README.md`), and the
//! rule for when they are not there: a loud skip, or a failure when
//! `FTP_REPLY_INTEROP=required` (as `scripts/ci.sh` sets).

use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::time::Duration;

use super::json::Json;

/// The eight servers, in the order `servers.json` lists them.
pub const NAMES: [&str; 8] = [
    "vsftpd",
    "proftpd",
    "pure-ftpd",
    "pyftpdlib",
    "inetutils-ftpd",
    "netkit-ftpd",
    "twisted",
    "aioftp",
];

/// How long any connect, read or write may take before a test fails: a guard
/// against hangs, never a timing assertion.
pub const IO_TIMEOUT: Duration = Duration::from_secs(20);

/// One server from `servers.json`.
#[derive(Debug, Clone)]
pub struct Server {
    pub name: String,
    pub host: IpAddr,
    pub port: u16,
    /// The passive ports it is configured to use; `None` where the server
    /// has no such setting and takes any port the kernel gives.
    pub pasv_ports: Option<RangeInclusive<u16>>,
    pub user: String,
    pub password: String,
    pub version: String,
    /// The FTP root: where the user lands, and what the user sees.
    pub root: PathBuf,
    /// What PWD says right after login: `/` where the server chroots the
    /// user (or serves a virtual root), the root's real path where not.
    pub login_dir: String,
    /// Whether it offers explicit FTPS (AUTH TLS).
    pub ftps: bool,
    /// The CA certificate (PEM) its TLS certificate is signed by.
    pub tls_ca: PathBuf,
}

impl Server {
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::new(self.host, self.port)
    }

    /// A file under the server's FTP root, read from disk.
    pub fn file(&self, name: &str) -> Vec<u8> {
        let path = self.root.join(name);
        std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: reading {}: {e}", self.name, path.display()))
    }
}

/// `$FTP_SERVERS_DIR`, or `<repo>/.servers`.
pub fn servers_dir() -> PathBuf {
    match std::env::var_os("FTP_SERVERS_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".servers"),
    }
}

/// Whether missing servers fail the test (`FTP_REPLY_INTEROP=required`).
pub fn required() -> bool {
    std::env::var("FTP_REPLY_INTEROP").is_ok_and(|v| v == "required")
}

/// The names of every server `servers.json` describes, in its order; the
/// known [`NAMES`] when it cannot be read (each then skips or fails alone).
pub fn names() -> Vec<String> {
    let path = servers_dir().join("servers.json");
    let listed: Option<Vec<String>> = std::fs::read_to_string(path)
        .ok()
        .and_then(|text| Json::parse(&text).ok())
        .and_then(|json| {
            let servers = json.get("servers")?.as_array()?;
            let names = servers.iter().filter_map(|s| s.get("name")?.as_str());
            Some(names.map(str::to_owned).collect())
        });
    listed.unwrap_or_else(|| NAMES.iter().map(|&n| n.to_owned()).collect())
}

/// The name of the server `servers.json` puts on `port`, if any.
pub fn on_port(port: u16) -> Option<String> {
    names()
        .into_iter()
        .find(|name| load(name).is_ok_and(|s| s.port == port))
}

/// The server `name` for test `test`, if it is described and accepts
/// connections. Otherwise: panics when the servers are required, else prints a
/// loud `SKIPPED` line and returns `None`.
pub fn server(test: &str, name: &str) -> Option<Server> {
    match load(name).and_then(|s| reachable(&s).map(|()| s)) {
        Ok(server) => Some(server),
        Err(reason) => skip(test, &reason),
    }
}

/// Fails (servers required) or skips loudly with `reason`.
pub fn skip<T>(test: &str, reason: &str) -> Option<T> {
    assert!(
        !required(),
        "{test}: {reason}; FTP_REPLY_INTEROP=required, so this is a failure \
         (run scripts/ftp-servers.sh setup && scripts/ftp-servers.sh start)"
    );
    // Straight to the process's stderr: the test harness captures `eprintln!`
    // of passing tests, and a skip must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "\n*** SKIPPED: {test}: {reason} (run scripts/ftp-servers.sh setup && start; \
         FTP_REPLY_INTEROP=required makes this a failure) ***"
    );
    None
}

fn load(name: &str) -> Result<Server, String> {
    let path = servers_dir().join("servers.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("no server description at {}: {e}", path.display()))?;
    let json = Json::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let host: IpAddr = json
        .get("host")
        .and_then(Json::as_str)
        .and_then(|h| h.parse().ok())
        .ok_or_else(|| format!("{}: no valid \"host\"", path.display()))?;
    let entry = json
        .get("servers")
        .and_then(Json::as_array)
        .unwrap_or_default()
        .iter()
        .find(|s| s.get("name").and_then(Json::as_str) == Some(name))
        .ok_or_else(|| format!("{}: no server named {name}", path.display()))?;
    let field = |key: &str| {
        entry
            .get(key)
            .ok_or_else(|| format!("{}: {name} has no \"{key}\"", path.display()))
    };
    let text_field = |key: &str| {
        field(key)?
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("{}: {name}.{key} is not a string", path.display()))
    };
    let port = field("port")?
        .as_u16()
        .ok_or_else(|| format!("{}: {name}.port is not a port", path.display()))?;
    let pasv_ports = match field("pasv_ports")? {
        Json::Null => None,
        range => {
            let pasv: Vec<u16> = range
                .as_array()
                .unwrap_or_default()
                .iter()
                .filter_map(Json::as_u16)
                .collect();
            let [pasv_min, pasv_max] = pasv[..] else {
                return Err(format!(
                    "{}: {name}.pasv_ports is neither [min, max] nor null",
                    path.display()
                ));
            };
            Some(pasv_min..=pasv_max)
        }
    };
    let ftps = match field("ftps")? {
        Json::Bool(b) => *b,
        _ => return Err(format!("{}: {name}.ftps is not a boolean", path.display())),
    };
    let tls_ca = json
        .get("tls_ca")
        .and_then(Json::as_str)
        .ok_or_else(|| format!("{}: no \"tls_ca\"", path.display()))?;
    Ok(Server {
        name: name.to_owned(),
        host,
        port,
        pasv_ports,
        user: text_field("user")?,
        password: text_field("password")?,
        version: text_field("version")?,
        root: PathBuf::from(text_field("root")?),
        login_dir: text_field("login_dir")?,
        ftps,
        tls_ca: PathBuf::from(tls_ca),
    })
}

fn reachable(server: &Server) -> Result<(), String> {
    TcpStream::connect_timeout(&server.addr(), Duration::from_secs(3))
        .map(drop)
        .map_err(|e| format!("{} at {} is not reachable: {e}", server.name, server.addr()))
}
