//! `FEAT` (RFC 2389) read into the capabilities the other flows consult, and
//! `OPTS UTF8 ON` (RFC 2640 §3.2) when the server offers `UTF8`.

use alloc::vec::Vec;

use crate::command::Command;
use crate::encode::CommandLine;
use crate::reply::Reply;
use crate::session::{CommandHandle, Event, Session};

use super::{Flow, FlowError, Step, fail, judge};

/// What the server said it supports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// Whether the server answered `FEAT` with a list: false when it refused
    /// (`500`, `502`: an RFC 959 server that knows no extensions).
    pub listed: bool,
    /// Each feature line: the name, upper-cased, and its parameters as sent.
    pub features: Vec<(Vec<u8>, Vec<u8>)>,
    /// Whether `OPTS UTF8 ON` was accepted: paths are UTF-8 from now on.
    pub utf8_on: bool,
}

impl Capabilities {
    /// The parameters of feature `name` (ASCII case ignored), if it was listed.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.features
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, p)| &p[..])
    }

    /// Whether feature `name` was listed.
    #[must_use]
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// `EPSV` (RFC 2428). A server that does not list it may still accept it;
    /// the data flow tries it first anyway and falls back to `PASV`.
    #[must_use]
    pub fn epsv(&self) -> bool {
        self.has("EPSV")
    }

    /// The facts `MLST` offers (RFC 3659 §7.8: `type*;size*;modify*;`), the
    /// ones marked `*` being those the server sends now; `None` when `MLST` was
    /// not listed. `MLSD` comes with `MLST`.
    #[must_use]
    pub fn mlst_facts(&self) -> Option<Vec<&[u8]>> {
        let params = self.get("MLST")?;
        Some(
            params
                .split(|&b| b == b';')
                .filter(|f| !f.is_empty())
                .collect(),
        )
    }

    /// `REST STREAM` (RFC 3659 §5.5): `REST` takes a byte offset.
    #[must_use]
    pub fn rest_stream(&self) -> bool {
        self.get("REST")
            .is_some_and(|p| p.eq_ignore_ascii_case(b"STREAM"))
    }

    /// `SIZE` (RFC 3659 §4).
    #[must_use]
    pub fn size(&self) -> bool {
        self.has("SIZE")
    }

    /// `MDTM` (RFC 3659 §3).
    #[must_use]
    pub fn mdtm(&self) -> bool {
        self.has("MDTM")
    }

    /// `UTF8` (RFC 2640 §3.2).
    #[must_use]
    pub fn utf8(&self) -> bool {
        self.has("UTF8")
    }

    /// `AUTH TLS` (RFC 4217 §6): the `AUTH` feature lists `TLS` among its
    /// mechanisms (`AUTH TLS;TLS-C;SSL`).
    #[must_use]
    pub fn auth_tls(&self) -> bool {
        self.get("AUTH").is_some_and(|p| {
            p.split(|&b| b == b';' || b == b' ')
                .any(|m| m.eq_ignore_ascii_case(b"TLS"))
        })
    }
}

/// `FEAT`, then `OPTS UTF8 ON` when `UTF8` is listed and asked for.
#[derive(Debug, Clone)]
pub struct Feat {
    handle: CommandHandle,
    line: CommandLine,
    utf8: bool,
    capabilities: Option<Capabilities>,
}

impl Feat {
    /// Sends `FEAT`; with `utf8`, also `OPTS UTF8 ON` if the server lists `UTF8`.
    ///
    /// # Errors
    ///
    /// [`FlowError::Session`] when the session refused the command.
    pub fn start(session: &mut Session, utf8: bool) -> Result<Feat, FlowError> {
        let line = CommandLine::new(Command::Feat, b"")?;
        let handle = session.send(line.clone())?;
        Ok(Feat {
            handle,
            line,
            utf8,
            capabilities: None,
        })
    }

    fn read(reply: &Reply) -> Capabilities {
        let features = reply
            .features()
            .map(|list| {
                list.iter()
                    .map(|f| (f.name.to_ascii_uppercase(), f.params.to_vec()))
                    .collect()
            })
            .unwrap_or_default();
        Capabilities {
            listed: true,
            features,
            utf8_on: false,
        }
    }
}

impl Flow for Feat {
    type Output = Capabilities;

    fn on_event(&mut self, session: &mut Session, event: &Event) -> Step<Capabilities> {
        let answer = judge(event, self.handle, &self.line);
        let Some(mut capabilities) = self.capabilities.take() else {
            // Waiting for FEAT's reply.
            let capabilities = match answer {
                Ok(None) => return Step::Continue,
                Ok(Some(reply)) if reply.code().as_u16() == 211 => Feat::read(reply),
                // 500/502 (and any other refusal): no extensions known.
                Ok(Some(_)) | Err(FlowError::Rejected { .. }) => Capabilities::default(),
                Err(e) => return fail(e),
            };
            if !(self.utf8 && capabilities.utf8()) {
                return Step::Done(Ok(capabilities));
            }
            let line = CommandLine::new(Command::Opts, b"UTF8 ON").expect("a valid line");
            match session.send(line.clone()) {
                Ok(handle) => (self.handle, self.line) = (handle, line),
                Err(e) => return fail(e.into()),
            }
            self.capabilities = Some(capabilities);
            return Step::Continue;
        };
        // Waiting for OPTS's reply.
        match answer {
            Ok(None) => {
                self.capabilities = Some(capabilities);
                Step::Continue
            }
            Ok(Some(reply)) => {
                capabilities.utf8_on = reply.code().is_completion();
                Step::Done(Ok(capabilities))
            }
            Err(FlowError::Rejected { .. }) => Step::Done(Ok(capabilities)),
            Err(e) => fail(e),
        }
    }
}
