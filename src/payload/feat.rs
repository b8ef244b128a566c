//! The 211 reply to FEAT (RFC 2389 §3): the extensions a server supports.

use alloc::vec::Vec;

use nom::bytes::complete::{tag, take_till, take_while};

use super::error::{Fail, PResult, PayloadError, PayloadKind, Reason, fail, finish};
use super::lex::skip;

/// One line of a FEAT listing: `UTF8`, `MLST type*;size*;`, `REST STREAM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Feature<'a> {
    /// The feature's name (`MLST`), as sent: compare with [`Feature::is`].
    pub name: &'a [u8],
    /// The parameters after the name and one space (`type*;size*;`), trailing
    /// spaces removed; empty when there are none.
    pub params: &'a [u8],
}

impl Feature<'_> {
    /// Whether this feature is `name`, ignoring ASCII case (feature names are
    /// command names, and RFC 959 §5.3 treats upper and lower case alike).
    #[must_use]
    pub fn is(&self, name: impl AsRef<[u8]>) -> bool {
        self.name.eq_ignore_ascii_case(name.as_ref())
    }
}

/// The features listed in a FEAT reply, in the server's order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Features<'a> {
    list: Vec<Feature<'a>>,
}

impl<'a> Features<'a> {
    /// Whether the server listed `name` (`"UTF8"`, `"mlst"`), ignoring case.
    #[must_use]
    pub fn has(&self, name: impl AsRef<[u8]>) -> bool {
        self.get(name).is_some()
    }

    /// The first feature called `name`, ignoring case.
    #[must_use]
    pub fn get(&self, name: impl AsRef<[u8]>) -> Option<&Feature<'a>> {
        let name = name.as_ref();
        self.list.iter().find(|f| f.is(name))
    }

    /// All the features, in order.
    #[must_use]
    pub fn as_slice(&self) -> &[Feature<'a>] {
        &self.list
    }

    /// Iterates over the features, in order.
    pub fn iter(&self) -> core::slice::Iter<'_, Feature<'a>> {
        self.list.iter()
    }

    /// How many features were listed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether no feature was listed (`211 no-features`).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The features as a vector.
    #[must_use]
    pub fn into_vec(self) -> Vec<Feature<'a>> {
        self.list
    }
}

impl<'a, 'f> IntoIterator for &'f Features<'a> {
    type Item = &'f Feature<'a>;
    type IntoIter = core::slice::Iter<'f, Feature<'a>>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

impl<'a> IntoIterator for Features<'a> {
    type Item = Feature<'a>;
    type IntoIter = alloc::vec::IntoIter<Feature<'a>>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.into_iter()
    }
}

/// Parses the lines of a reply to FEAT (as received, line endings removed,
/// code prefix kept) into its features.
///
/// The RFC 2389 form is a `211-` line, one line per feature starting with a
/// space, and a final `211 ` line (`211 End`; its text is not checked). Some
/// servers prefix every feature line with `211-` instead of a space; those
/// lines are features too (the first line is always the header). A single
/// `211 ` line (`211 no-features`) lists nothing.
///
/// In a feature line, extra leading spaces are tolerated, the name runs to
/// the next space, and the parameters are the rest with trailing spaces
/// removed. Blank feature lines are skipped. Bytes are kept as sent.
///
/// ```
/// use ftp_reply::payload::parse_feat;
/// let lines: [&[u8]; 5] = [b"211-Features:", b" UTF8", b" MLST type*;size*;", b" REST STREAM", b"211 End"];
/// let features = parse_feat(lines).unwrap();
/// assert!(features.has("utf8"));
/// assert_eq!(features.get("MLST").unwrap().params, b"type*;size*;");
/// assert_eq!(features.len(), 3);
/// ```
///
/// # Errors
///
/// A [`PayloadError`] of kind `feat` giving the line and offset of the first
/// problem: a code other than 211, a line that is neither a feature nor
/// `211`, a line after the final line, or no final line.
pub fn parse_feat<'a, I>(lines: I) -> Result<Features<'a>, PayloadError>
where
    I: IntoIterator<Item = &'a [u8]>,
{
    let mut list = Vec::new();
    let mut finished = false;
    let mut count = 0;
    for (index, line) in lines.into_iter().enumerate() {
        count = index.saturating_add(1);
        if finished {
            return Err(PayloadError::new(
                PayloadKind::Feat,
                Reason::AfterFinalLine,
                index,
                0,
            ));
        }
        let parsed = finish(PayloadKind::Feat, index, line, feat_line(line, index == 0))?;
        match parsed {
            FeatLine::Final => finished = true,
            FeatLine::Header => {}
            FeatLine::Feature(Some(feature)) => list.push(feature),
            FeatLine::Feature(None) => {}
        }
    }
    if finished {
        Ok(Features { list })
    } else if count == 0 {
        Err(PayloadError::new(
            PayloadKind::Feat,
            Reason::Expected("a 211 line"),
            0,
            0,
        ))
    } else {
        Err(PayloadError::new(
            PayloadKind::Feat,
            Reason::Unterminated("FEAT listing (no final \"211 \" line)"),
            count,
            0,
        ))
    }
}

/// What a line of a FEAT reply is.
enum FeatLine<'a> {
    /// `211 End`, or the only line of `211 no-features`.
    Final,
    /// The first line, `211-Features:`.
    Header,
    /// A feature line; `None` when blank.
    Feature(Option<Feature<'a>>),
}

/// `feat-line = "211" [ SP *TCHAR ] / "211-" *TCHAR / SP feature`
///
/// RFC 2389 §3.2:
/// `no-features = "211" SP *TCHAR CRLF`,
/// `feature-listing = "211-" *TCHAR CRLF 1*( SP feature CRLF ) "211 End" CRLF`.
/// "Note that each feature line in the feature-listing begins with a single
/// space." A `211-` line after the first is read as a feature, as some
/// servers send them.
fn feat_line(input: &[u8], first: bool) -> PResult<'_, FeatLine<'_>> {
    if input.first() == Some(&b' ') && !first {
        let (rest, feature) = feature(skip(input, 1))?;
        return Ok((rest, FeatLine::Feature(feature)));
    }
    let code: PResult<'_, &[u8]> = tag(&b"211"[..])(input);
    let Ok((rest, _)) = code else {
        let expected = if first {
            "reply code 211"
        } else {
            "' ' (a feature line) or reply code 211"
        };
        return fail(input, Reason::Expected(expected));
    };
    match rest.first() {
        None | Some(b' ') => Ok((&[][..], FeatLine::Final)),
        Some(b'-') if first => Ok((&[][..], FeatLine::Header)),
        Some(b'-') => {
            let (rest, feature) = feature(skip(rest, 1))?;
            Ok((rest, FeatLine::Feature(feature)))
        }
        Some(_) => fail(rest, Reason::Expected("'-' or ' ' after the reply code")),
    }
}

/// `feature = feature-label [ SP feature-parms ]`, `feature-label = 1*VCHAR`,
/// `feature-parms = 1*TCHAR` (RFC 2389 §3.2). `None` for a blank line.
fn feature(input: &[u8]) -> PResult<'_, Option<Feature<'_>>> {
    let (rest, _) = take_while::<_, _, Fail<'_>>(|b: u8| b == b' ')(input)?;
    let (rest, name) = take_till::<_, _, Fail<'_>>(|b: u8| b == b' ')(rest)?;
    if name.is_empty() {
        return Ok((rest, None));
    }
    let params = skip(rest, 1).trim_ascii_end();
    Ok((&[][..], Some(Feature { name, params })))
}
