//! Data connections: passive first (`EPSV`, RFC 2428, then `PASV`), active
//! (`EPRT`, `PORT`) when asked. The flow never opens a socket; it says where.

use alloc::format;
use core::net::{IpAddr, SocketAddr};

use crate::command::Command;
use crate::encode::CommandLine;
use crate::payload::{PassivePolicy, passive_target};
use crate::reply::Reply;
use crate::session::{CommandHandle, Event, Session};

use super::{FlowError, judge};

/// How data connections are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DataMode {
    /// The client connects (`EPSV`, else `PASV`).
    Passive,
    /// The server connects to this address, where the caller listens (`EPRT`,
    /// else `PORT`).
    Active(SocketAddr),
}

/// The settings of every data connection, kept by the driver between transfers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DataConfig {
    /// The control connection's peer: where passive data connections go.
    pub peer: IpAddr,
    /// Passive or active.
    pub mode: DataMode,
    /// Where a `227` may send the client: by default never anywhere but `peer`.
    pub policy: PassivePolicy,
    /// Whether to try `EPSV`/`EPRT` first (on IPv6 they are always used). Set
    /// to false by [`Transfer::epsv_refused`](super::Transfer::epsv_refused)'s
    /// caller once the server refused them, to save a round trip.
    pub extended: bool,
    /// Whether data connections are TLS (`PROT P` was accepted, RFC 4217 §9).
    pub tls: bool,
}

impl DataConfig {
    /// Passive mode to `peer`, the safe policy, `EPSV` first, no TLS.
    #[must_use]
    pub fn passive(peer: IpAddr) -> DataConfig {
        DataConfig {
            peer,
            mode: DataMode::Passive,
            policy: PassivePolicy::UseControlPeer,
            extended: true,
            tls: false,
        }
    }
}

/// Where the data connection is to be made, once the server agreed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ready {
    /// Connect to this address.
    Connect {
        addr: SocketAddr,
        ignored_host: Option<IpAddr>,
    },
    /// The server will connect (active mode).
    Accept,
}

/// Negotiating one data connection.
#[derive(Debug, Clone)]
pub(crate) struct DataSetup {
    config: DataConfig,
    handle: CommandHandle,
    line: CommandLine,
    /// Whether the server refused `EPSV`/`EPRT`.
    pub(crate) extended_refused: bool,
}

impl DataSetup {
    pub(crate) fn start(session: &mut Session, config: DataConfig) -> Result<DataSetup, FlowError> {
        let extended = config.extended || !config.peer.is_ipv4() || is_v6_active(&config);
        let line = command(&config, extended)?;
        let handle = session.send(line.clone())?;
        Ok(DataSetup {
            config,
            handle,
            line,
            extended_refused: false,
        })
    }

    /// Reads `event`: `Ok(Some(ready))` when the data connection can be made.
    pub(crate) fn on_event(
        &mut self,
        session: &mut Session,
        event: &Event,
    ) -> Result<Option<Ready>, FlowError> {
        let reply = match judge(event, self.handle, &self.line) {
            Ok(None) => return Ok(None),
            Ok(Some(reply)) => reply,
            Err(FlowError::Rejected { reply, .. }) if self.may_fall_back(&reply) => {
                // RFC 2428 §2, §3: a server that does not know EPRT/EPSV answers
                // 500/501/502, one that does not support the network 522.
                self.extended_refused = true;
                let line = command(&self.config, false)?;
                self.handle = session.send(line.clone())?;
                self.line = line;
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        match self.config.mode {
            DataMode::Active(_) if reply.code().is_completion() => Ok(Some(Ready::Accept)),
            DataMode::Active(_) => Err(self.unexpected(reply)),
            DataMode::Passive => self.passive(reply).map(Some),
        }
    }

    fn may_fall_back(&self, reply: &Reply) -> bool {
        let extended = matches!(self.line.command(), Command::Epsv | Command::Eprt);
        let v4 = match self.config.mode {
            DataMode::Passive => self.config.peer.is_ipv4(),
            DataMode::Active(addr) => addr.is_ipv4(),
        };
        extended && v4 && matches!(reply.code().as_u16(), 500 | 501 | 502 | 522)
    }

    /// `229` (to `EPSV`, or to `PASV` from a server that always answers so) or
    /// `227` (to `PASV`, or to `EPSV` from a server that always answers so).
    fn passive(&self, reply: &Reply) -> Result<Ready, FlowError> {
        let payload_error = |error: crate::payload::PayloadError| FlowError::Payload {
            command: self.line.command(),
            reply: reply.clone(),
            error: error.into(),
        };
        match reply.code().as_u16() {
            229 => {
                let port = reply.extended_passive_port().map_err(payload_error)?;
                Ok(Ready::Connect {
                    addr: SocketAddr::new(self.config.peer, port),
                    ignored_host: None,
                })
            }
            227 => {
                let advertised = SocketAddr::V4(reply.passive_addr().map_err(payload_error)?);
                let target = passive_target(self.config.peer, advertised, self.config.policy);
                let ignored = target.advertised_host_differs && target.addr != advertised;
                Ok(Ready::Connect {
                    addr: target.addr,
                    ignored_host: ignored.then_some(advertised.ip()),
                })
            }
            _ => Err(self.unexpected(reply)),
        }
    }

    fn unexpected(&self, reply: &Reply) -> FlowError {
        FlowError::Unexpected {
            command: Some(self.line.command()),
            reply: reply.clone(),
        }
    }
}

fn is_v6_active(config: &DataConfig) -> bool {
    matches!(config.mode, DataMode::Active(addr) if addr.is_ipv6())
}

/// The command that opens the data connection.
fn command(config: &DataConfig, extended: bool) -> Result<CommandLine, FlowError> {
    let line = match (config.mode, extended) {
        (DataMode::Passive, true) => CommandLine::new(Command::Epsv, b"")?,
        (DataMode::Passive, false) => CommandLine::new(Command::Pasv, b"")?,
        // RFC 2428 §2: EPRT |1|132.235.1.2|6275| or |2|1080::8:800:200C:417A|5282|
        (DataMode::Active(addr), true) => {
            let family = if addr.is_ipv4() { 1 } else { 2 };
            let arg = format!("|{family}|{}|{}|", addr.ip(), addr.port());
            CommandLine::new(Command::Eprt, arg.as_bytes())?
        }
        // RFC 959 §4.1.2: PORT h1,h2,h3,h4,p1,p2
        (DataMode::Active(SocketAddr::V4(addr)), false) => {
            let [h1, h2, h3, h4] = addr.ip().octets();
            let [p1, p2] = addr.port().to_be_bytes();
            let arg = format!("{h1},{h2},{h3},{h4},{p1},{p2}");
            CommandLine::new(Command::Port, arg.as_bytes())?
        }
        (DataMode::Active(SocketAddr::V6(_)), false) => {
            return Err(FlowError::Misuse("PORT cannot name an IPv6 address"));
        }
    };
    Ok(line)
}
