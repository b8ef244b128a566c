//! The reference documents' meanings of reply codes and digits, in English, Russian and Chinese.
//!
//! (Being filled from the documents; see tests/catalog.rs.)

use crate::code::{Class, Group, ReplyCode};

/// A language the reference documents are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Russian.
    Ru,
    /// Chinese.
    Zh,
}

impl Lang {
    /// All languages.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ru, Lang::Zh];

    /// The ISO 639-1 tag: `en`, `ru`, `zh`.
    #[must_use]
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Zh => "zh",
        }
    }
}

impl ReplyCode {
    /// The documents' meaning of this code in `lang`, if the catalog has one.
    #[must_use]
    pub fn meaning(self, lang: Lang) -> Option<&'static str> {
        let _ = lang;
        None
    }
}

impl Class {
    /// The documents' meaning of this first digit in `lang`.
    #[must_use]
    pub fn meaning(self, lang: Lang) -> &'static str {
        let _ = lang;
        self.name()
    }
}

impl Group {
    /// The documents' meaning of this second digit in `lang`.
    #[must_use]
    pub fn meaning(self, lang: Lang) -> &'static str {
        let _ = lang;
        self.name()
    }
}
