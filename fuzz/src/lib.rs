//! Fuzz targets of `ftp-reply`: the invariant checks live in [`checks`], which
//! `tests/corpus.rs` also compiles to replay the committed corpus in `cargo test`.

pub mod checks;

use arbitrary::{Arbitrary, Unstructured};

/// The `roundtrip` target's input: a reply built with `arbitrary` from the fuzz
/// input, through [`checks::GenReply::read`], so that `tests/corpus.rs` (which has
/// no `arbitrary`) builds the very same reply from a corpus file.
#[derive(Debug, Clone)]
pub struct ArbitraryReply(pub checks::GenReply);

impl<'a> Arbitrary<'a> for ArbitraryReply {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let data = u.bytes(u.len())?;
        Ok(ArbitraryReply(checks::GenReply::read(
            &mut checks::Source::new(data),
        )))
    }

    fn arbitrary_take_rest(mut u: Unstructured<'a>) -> arbitrary::Result<Self> {
        Self::arbitrary(&mut u)
    }
}

pub mod session;

pub mod capture;
