//! MLST and MLSD entries (RFC 3659 §7): an entry's facts and its pathname.
//!
//! An entry is `fact=value;fact=value; pathname`: the facts run up to the first
//! space, and the pathname is everything after that space, whatever it holds
//! (`;`, `=`, more spaces, quotes, bytes that are not UTF-8). MLSD sends one
//! entry per line on the data connection; MLST sends one in its 250 reply, on a
//! line of its own that starts with a space.

use alloc::vec::Vec;

use nom::bytes::complete::take_till;

use super::error::{Fail, PResult, PayloadError, PayloadKind, Reason, fail, finish};
use super::lex::{Decimal, decimal, skip};
use super::mdtm::{Timestamp, time_val};

/// One fact of an entry: `size=8192`, `UNIX.mode=0644`, `type=OS.unix=slink:/x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fact<'a> {
    /// The fact's name as sent (`Size`, `size`, `UNIX.mode`): compare with
    /// [`Fact::is`], since fact names are case-insensitive.
    pub name: &'a [u8],
    /// The value as sent, possibly empty (`perm=;`); it may hold `=`.
    pub value: &'a [u8],
}

impl<'a> Fact<'a> {
    /// A fact from its name and value.
    #[must_use]
    pub const fn new(name: &'a [u8], value: &'a [u8]) -> Self {
        Fact { name, value }
    }

    /// Whether this fact is called `name`, ignoring ASCII case (RFC 3659 §7.1:
    /// "Fact names are case-insensitive").
    #[must_use]
    pub fn is(&self, name: impl AsRef<[u8]>) -> bool {
        self.name.eq_ignore_ascii_case(name.as_ref())
    }
}

/// What an entry is: the value of its `type` fact (RFC 3659 §7.5.1).
///
/// The four standard values are recognised ignoring case; `OS.name=type` is
/// split at its first `=`; anything else is kept as [`EntryType::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EntryType<'a> {
    /// `file`: a file.
    File,
    /// `dir`: a directory.
    Dir,
    /// `cdir`: the directory being listed.
    CurrentDir,
    /// `pdir`: a parent of the directory being listed.
    ParentDir,
    /// `OS.name=type`: a type particular to an operating system, such as
    /// `OS.unix=slink:/foobar` (`name` is `unix`, `kind` is `slink:/foobar`).
    Os {
        /// The operating system's name, after `OS.`.
        name: &'a [u8],
        /// The type, after the `=`.
        kind: &'a [u8],
    },
    /// Any other value, as sent.
    Other(&'a [u8]),
}

impl<'a> EntryType<'a> {
    /// Reads a `type` fact's value.
    #[must_use]
    pub fn from_value(value: &'a [u8]) -> Self {
        let is = |s: &[u8]| value.eq_ignore_ascii_case(s);
        if is(b"file") {
            return EntryType::File;
        }
        if is(b"dir") {
            return EntryType::Dir;
        }
        if is(b"cdir") {
            return EntryType::CurrentDir;
        }
        if is(b"pdir") {
            return EntryType::ParentDir;
        }
        if let Some((prefix, rest)) = value.split_at_checked(3)
            && prefix.eq_ignore_ascii_case(b"OS.")
            && let Some(eq) = rest.iter().position(|&b| b == b'=')
            && eq > 0
        {
            let (name, kind) = rest.split_at(eq);
            return EntryType::Os {
                name,
                kind: skip(kind, 1),
            };
        }
        EntryType::Other(value)
    }

    /// Whether this is a directory of any kind (`dir`, `cdir` or `pdir`).
    #[must_use]
    pub const fn is_dir(&self) -> bool {
        matches!(
            self,
            EntryType::Dir | EntryType::CurrentDir | EntryType::ParentDir
        )
    }
}

/// The value of a `perm` fact (RFC 3659 §7.5.5): what the logged-in user may do
/// with the entry, one letter per permission.
///
/// Letters are looked up ignoring case; letters the RFC does not define (some
/// servers add their own) are kept in [`Perm::as_bytes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Perm<'a>(&'a [u8]);

impl<'a> Perm<'a> {
    /// The letters as sent.
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.0
    }

    /// Whether the letter `letter` is present, ignoring case.
    #[must_use]
    pub fn has(&self, letter: u8) -> bool {
        self.0.iter().any(|b| b.eq_ignore_ascii_case(&letter))
    }

    /// `a`: APPE may be applied to the file.
    #[must_use]
    pub fn can_append(&self) -> bool {
        self.has(b'a')
    }

    /// `c`: files may be created in the directory (STOU, STOR, APPE, RNTO).
    #[must_use]
    pub fn can_create_file(&self) -> bool {
        self.has(b'c')
    }

    /// `d`: the entry may be deleted (DELE, RMD).
    #[must_use]
    pub fn can_delete(&self) -> bool {
        self.has(b'd')
    }

    /// `e`: the directory may be entered (CWD, CDUP).
    #[must_use]
    pub fn can_enter(&self) -> bool {
        self.has(b'e')
    }

    /// `f`: the entry may be renamed (RNFR).
    #[must_use]
    pub fn can_rename(&self) -> bool {
        self.has(b'f')
    }

    /// `l`: the directory may be listed (LIST, NLST, MLSD).
    #[must_use]
    pub fn can_list(&self) -> bool {
        self.has(b'l')
    }

    /// `m`: directories may be created in the directory (MKD).
    #[must_use]
    pub fn can_make_dir(&self) -> bool {
        self.has(b'm')
    }

    /// `p`: entries in the directory may be deleted (purged).
    #[must_use]
    pub fn can_purge(&self) -> bool {
        self.has(b'p')
    }

    /// `r`: the file may be retrieved (RETR).
    #[must_use]
    pub fn can_retrieve(&self) -> bool {
        self.has(b'r')
    }

    /// `w`: the file may be stored to (STOR).
    #[must_use]
    pub fn can_write(&self) -> bool {
        self.has(b'w')
    }
}

/// One MLST or MLSD entry: its facts and its pathname, borrowed from the line.
///
/// Parsing checked every fact's form and the values of `size`, `modify` and
/// `create`, and that no standard fact is given twice, so the typed accessors
/// below cannot fail: they return `None` only when the fact is absent.
/// [`Facts::iter`] gives every fact in order, `UNIX.*` and unknown ones
/// included. Nothing is allocated.
///
/// ```
/// use ftp_reply::payload::{parse_facts, EntryType};
/// let entry = parse_facts(b"Type=file;Size=1830;Modify=19940916055648;Perm=r; hatch.c").unwrap();
/// assert_eq!(entry.pathname(), b"hatch.c");
/// assert_eq!(entry.entry_type(), Some(EntryType::File));
/// assert_eq!(entry.size(), Some(1830));
/// assert_eq!(entry.modify().unwrap().year, 1994);
/// assert!(entry.perm().unwrap().can_retrieve());
/// assert_eq!(entry.get("size"), Some(&b"1830"[..]));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Facts<'a> {
    /// `name=value;` repeated (or empty), as sent.
    facts: &'a [u8],
    pathname: &'a [u8],
}

impl<'a> Facts<'a> {
    /// An entry from the parts of one that [`parse_facts`] accepted (its facts,
    /// its pathname), kept by their owner; nothing is checked again.
    pub(crate) const fn from_checked(facts: &'a [u8], pathname: &'a [u8]) -> Self {
        Facts { facts, pathname }
    }

    /// The pathname: everything after the space that ends the facts, as sent.
    #[must_use]
    pub const fn pathname(&self) -> &'a [u8] {
        self.pathname
    }

    /// The facts as sent (`type=file;size=8;`), empty when there are none.
    #[must_use]
    pub const fn facts_bytes(&self) -> &'a [u8] {
        self.facts
    }

    /// Iterates over the facts, in the order sent.
    #[must_use]
    pub fn iter(&self) -> FactsIter<'a> {
        FactsIter { rest: self.facts }
    }

    /// How many facts the entry has.
    #[must_use]
    pub fn len(&self) -> usize {
        self.facts.iter().filter(|&&b| b == b';').count()
    }

    /// Whether the entry has no facts (`" name"`).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    /// The value of the first fact called `name`, ignoring case.
    #[must_use]
    pub fn get(&self, name: impl AsRef<[u8]>) -> Option<&'a [u8]> {
        let name = name.as_ref();
        self.iter().find(|f| f.is(name)).map(|f| f.value)
    }

    /// The `type` fact.
    #[must_use]
    pub fn entry_type(&self) -> Option<EntryType<'a>> {
        self.get("type").map(EntryType::from_value)
    }

    /// The `size` fact, in octets.
    #[must_use]
    pub fn size(&self) -> Option<u64> {
        self.get("size").and_then(|v| size_value(v).ok())
    }

    /// The `modify` fact: when the entry was last modified, UTC.
    #[must_use]
    pub fn modify(&self) -> Option<Timestamp> {
        self.get("modify").and_then(|v| time_value(v).ok())
    }

    /// The `create` fact: when the entry was created, UTC.
    #[must_use]
    pub fn create(&self) -> Option<Timestamp> {
        self.get("create").and_then(|v| time_value(v).ok())
    }

    /// The `perm` fact.
    #[must_use]
    pub fn perm(&self) -> Option<Perm<'a>> {
        self.get("perm").map(Perm)
    }

    /// The `unique` fact: an identifier of the file or directory.
    #[must_use]
    pub fn unique(&self) -> Option<&'a [u8]> {
        self.get("unique")
    }

    /// The `lang` fact: the language of the pathname.
    #[must_use]
    pub fn lang(&self) -> Option<&'a [u8]> {
        self.get("lang")
    }

    /// The `media-type` fact: the MIME type of the file's content.
    #[must_use]
    pub fn media_type(&self) -> Option<&'a [u8]> {
        self.get("media-type")
    }

    /// The `charset` fact: the character set of the pathname, when not UTF-8.
    #[must_use]
    pub fn charset(&self) -> Option<&'a [u8]> {
        self.get("charset")
    }
}

impl<'a> IntoIterator for Facts<'a> {
    type Item = Fact<'a>;
    type IntoIter = FactsIter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &Facts<'a> {
    type Item = Fact<'a>;
    type IntoIter = FactsIter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The facts of an entry, in order: [`Facts::iter`].
#[derive(Debug, Clone)]
pub struct FactsIter<'a> {
    /// Facts already checked by the parser: `name=value;` repeated.
    rest: &'a [u8],
}

impl<'a> Iterator for FactsIter<'a> {
    type Item = Fact<'a>;

    fn next(&mut self) -> Option<Fact<'a>> {
        let end = self.rest.iter().position(|&b| b == b';')?;
        let (fact, rest) = self.rest.split_at(end);
        self.rest = skip(rest, 1);
        let eq = fact.iter().position(|&b| b == b'=').unwrap_or(fact.len());
        let (name, value) = fact.split_at(eq);
        Some(Fact {
            name,
            value: skip(value, 1),
        })
    }
}

/// The facts the RFC defines, each allowed once per entry.
const STANDARD: [&[u8]; 9] = [
    b"type",
    b"size",
    b"modify",
    b"create",
    b"perm",
    b"unique",
    b"lang",
    b"media-type",
    b"charset",
];

/// The index of `name` in [`STANDARD`], ignoring case.
fn standard_index(name: &[u8]) -> Option<usize> {
    STANDARD.iter().position(|s| name.eq_ignore_ascii_case(s))
}

/// Parses one MLSD line (without its line end) into its facts and pathname.
///
/// `entry = [ facts ] SP pathname`, `facts = 1*( fact ";" )`, `fact = factname
/// "=" value` (RFC 3659 §7.2). The facts end at the first space; a fact name
/// is one or more bytes other than `=`, `;`, a space, CR and LF; a value is
/// any bytes other than `;`, a space, CR and LF (so it may hold `=`, as
/// `type=OS.unix=slink:/x` does). The pathname is every byte after that first
/// space, CR and LF excepted; it must not be empty. An entry without facts is
/// a space and the pathname.
///
/// The values of `size` (digits), `modify` and `create` (RFC 3659 time-vals,
/// as [`parse_mdtm`](super::parse_mdtm) reads them) are checked, and each of
/// the nine standard facts may appear once; fact names are compared ignoring
/// case. Other facts (`UNIX.mode`, `sizd`, `X.anything`) are kept unchecked.
///
/// ```
/// use ftp_reply::payload::parse_facts;
/// // The name holds `;`, `=` and spaces: everything after the first space.
/// let entry = parse_facts(b"type=file;size=0; a=b;c=d; e").unwrap();
/// assert_eq!(entry.pathname(), b"a=b;c=d; e");
/// assert_eq!(entry.len(), 2);
/// // No facts at all.
/// assert_eq!(parse_facts(b" just a name").unwrap().pathname(), b"just a name");
/// ```
///
/// # Errors
///
/// A [`PayloadError`] of kind `facts` at the offending byte: a fact without
/// `=` or without its `;`, an empty fact name, no space before the pathname,
/// an empty pathname, CR or LF, a `size`, `modify` or `create` that does not
/// parse, a standard fact given twice.
pub fn parse_facts(line: &[u8]) -> Result<Facts<'_>, PayloadError> {
    finish(PayloadKind::Facts, 0, line, entry(line))
}

/// Parses an MLSD listing, the data the data connection carried: one entry per
/// line, each line ending in CRLF (a bare LF is accepted too, and so is a last
/// line without a line end).
///
/// Each item is one line's entry or its error; an error's `line` is the index
/// of its line, its `offset` the byte in that line. A bad line does not stop
/// the lines after it.
///
/// ```
/// use ftp_reply::payload::parse_mlsd;
/// let listing = b"type=cdir; .\r\ntype=file;size=4; one.txt\r\n";
/// let names: Vec<_> = parse_mlsd(listing).map(|e| e.unwrap().pathname()).collect();
/// assert_eq!(names, [&b"."[..], b"one.txt"]);
/// ```
#[must_use]
pub fn parse_mlsd(listing: &[u8]) -> MlsdEntries<'_> {
    MlsdEntries {
        rest: listing,
        line: 0,
    }
}

/// The entries of an MLSD listing: [`parse_mlsd`].
#[derive(Debug, Clone)]
pub struct MlsdEntries<'a> {
    rest: &'a [u8],
    line: usize,
}

impl<'a> Iterator for MlsdEntries<'a> {
    type Item = Result<Facts<'a>, PayloadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let (line, rest) = match memchr::memchr(b'\n', self.rest) {
            Some(lf) => {
                let (line, rest) = self.rest.split_at(lf);
                (line.strip_suffix(b"\r").unwrap_or(line), skip(rest, 1))
            }
            None => (self.rest, &[][..]),
        };
        self.rest = rest;
        let index = self.line;
        self.line = self.line.saturating_add(1);
        Some(finish(PayloadKind::Mlsd, index, line, entry(line)))
    }
}

/// Parses the lines of a 250 reply to MLST (as received, line endings
/// removed, code prefixes kept) into its one entry.
///
/// RFC 3659 §7.2: the reply is `250-` and any text, then the entry on a line
/// of its own that "begins with a single space", then `250` and any text. The
/// entry line's space is not part of the entry, so a line of two spaces and a
/// name is an entry without facts.
///
/// ```
/// use ftp_reply::payload::parse_mlst;
/// let lines: [&[u8]; 3] = [
///     b"250- Listing cap60.pl198.tar.gz",
///     b" Type=file;Size=1024990;Perm=r; /tmp/cap60.pl198.tar.gz",
///     b"250 End",
/// ];
/// let entry = parse_mlst(lines).unwrap();
/// assert_eq!(entry.pathname(), b"/tmp/cap60.pl198.tar.gz");
/// assert_eq!(entry.size(), Some(1_024_990));
/// ```
///
/// # Errors
///
/// A [`PayloadError`] of kind `mlst` with the line and offset: a first line
/// other than `250-`, no entry line or more than one, an entry line that does
/// not start with a space, a malformed entry (as [`parse_facts`] finds it), a
/// line after the final `250` line, or no final line.
pub fn parse_mlst<'a, I>(lines: I) -> Result<Facts<'a>, PayloadError>
where
    I: IntoIterator<Item = &'a [u8]>,
{
    let error = |reason, line, offset| PayloadError::new(PayloadKind::Mlst, reason, line, offset);
    let mut lines = lines.into_iter().enumerate();
    match lines.next() {
        Some((_, first)) if first.starts_with(b"250-") => {}
        Some((_, first)) if first.starts_with(b"250") => {
            return Err(error(
                Reason::Expected("a multi-line 250 reply (\"250-\")"),
                0,
                3,
            ));
        }
        _ => return Err(error(Reason::Expected("reply code 250"), 0, 0)),
    }
    let mut found = None;
    let mut finished = false;
    let mut count = 1;
    for (index, line) in lines {
        count = index.saturating_add(1);
        if finished {
            return Err(error(Reason::AfterFinalLine, index, 0));
        }
        if let Some(rest) = line.strip_prefix(b" ") {
            if found.is_some() {
                return Err(error(Reason::Duplicate("entry line"), index, 0));
            }
            let facts = finish(PayloadKind::Mlst, index, rest, entry(rest))
                .map_err(|e| error(e.reason, index, e.offset.saturating_add(1)))?;
            found = Some(facts);
        } else if line.starts_with(b"250") && matches!(line.get(3), None | Some(b' ')) {
            if found.is_none() {
                return Err(error(
                    Reason::Expected("an entry line before the final line"),
                    index,
                    0,
                ));
            }
            finished = true;
        } else {
            return Err(error(
                Reason::Expected("' ' (the entry line) or the final 250 line"),
                index,
                0,
            ));
        }
    }
    match (finished, found) {
        (true, Some(facts)) => Ok(facts),
        _ => Err(error(
            Reason::Unterminated("MLST reply (no final \"250 \" line)"),
            count,
            0,
        )),
    }
}

/// `entry = [ facts ] SP pathname` (RFC 3659 §7.2)
fn entry(input: &[u8]) -> PResult<'_, Facts<'_>> {
    let mut rest = input;
    // One bit per standard fact seen.
    let mut seen = 0u16;
    loop {
        match rest.first() {
            Some(b' ') => break,
            None => {
                return fail(
                    rest,
                    Reason::Unterminated("facts (no space before the pathname)"),
                );
            }
            Some(_) => rest = fact(rest, &mut seen)?.0,
        }
    }
    let facts = input.get(..input.len() - rest.len()).unwrap_or_default();
    let (end, pathname) = pathname(skip(rest, 1))?;
    Ok((end, Facts { facts, pathname }))
}

/// `fact = factname "=" value ";"`
///
/// `factname = "Size" / "Modify" / … / os-depend-fact / local-fact` and
/// `value = *SCHAR` (RFC 3659 §7.2, §2.1); read here as any bytes but the
/// delimiters, so that facts no one has registered are kept too.
fn fact<'a>(input: &'a [u8], seen: &mut u16) -> PResult<'a, ()> {
    let (rest, name) =
        take_till::<_, _, Fail<'_>>(|b| matches!(b, b'=' | b';' | b' ' | b'\r' | b'\n'))(input)?;
    if name.is_empty() {
        return fail(input, Reason::Empty("fact name"));
    }
    match rest.first() {
        Some(b'=') => {}
        Some(&b @ (b'\r' | b'\n')) => return fail(rest, forbidden(b, "a fact name")),
        Some(_) => return fail(rest, Reason::ExpectedByte(b'=')),
        None => return fail(rest, Reason::Unterminated("fact (no '=')")),
    }
    let at_value = skip(rest, 1);
    let (rest, value) =
        take_till::<_, _, Fail<'_>>(|b| matches!(b, b';' | b' ' | b'\r' | b'\n'))(at_value)?;
    match rest.first() {
        Some(b';') => {}
        Some(&b @ (b'\r' | b'\n')) => return fail(rest, forbidden(b, "a fact value")),
        Some(_) => return fail(rest, Reason::ExpectedByte(b';')),
        None => return fail(rest, Reason::Unterminated("fact (no ';')")),
    }
    if let Some(i) = standard_index(name) {
        let bit = 1u16 << i;
        if *seen & bit != 0 {
            return fail(input, Reason::Duplicate("standard fact"));
        }
        *seen |= bit;
        check_value(i, at_value, value)?;
    }
    Ok((skip(rest, 1), ()))
}

/// Checks the value of the standard fact `STANDARD[index]`; `at_value` is the
/// input from the value on, so that an error points into the line.
fn check_value<'a>(index: usize, at_value: &'a [u8], value: &'a [u8]) -> PResult<'a, ()> {
    let result = match STANDARD.get(index) {
        Some(&b"size") => size_value(value).map(drop),
        Some(&b"modify" | &b"create") => time_value(value).map(drop),
        _ => Ok(()),
    };
    match result {
        Ok(()) => Ok((at_value, ())),
        Err((consumed, reason)) => fail(skip(at_value, consumed), reason),
    }
}

/// `size-fact = "Size" "=" 1*DIGIT` (RFC 3659 §7.5.7): the value, or how far
/// into it the rule failed and why.
fn size_value(value: &[u8]) -> Result<u64, (usize, Reason)> {
    const SIZE: Decimal = Decimal {
        expected: "a size (digits)",
        name: "size",
        max_digits: None,
        min: 0,
        max: u64::MAX,
    };
    let at = |rest: &[u8]| value.len().saturating_sub(rest.len());
    match decimal(value, SIZE) {
        Ok(([], size)) => Ok(size),
        Ok((rest, _)) => Err((at(rest), Reason::Expected("only digits in the size"))),
        Err(nom::Err::Error(f) | nom::Err::Failure(f)) => Err((at(f.rest), f.reason)),
        Err(nom::Err::Incomplete(_)) => Err((value.len(), Reason::Expected("a size (digits)"))),
    }
}

/// `modify-fact = "Modify" "=" time-val`, `create-fact = "Create" "=" time-val`
/// (RFC 3659 §7.5.3, §7.5.4).
fn time_value(value: &[u8]) -> Result<Timestamp, (usize, Reason)> {
    let at = |rest: &[u8]| value.len().saturating_sub(rest.len());
    match time_val(value) {
        Ok((_, time)) => Ok(time),
        Err(nom::Err::Error(f) | nom::Err::Failure(f)) => Err((at(f.rest), f.reason)),
        Err(nom::Err::Incomplete(_)) => Err((value.len(), Reason::Expected("a time"))),
    }
}

/// `pathname` (RFC 3659 §2.2): the rest of the line, not empty, without CR or LF.
fn pathname(input: &[u8]) -> PResult<'_, &[u8]> {
    if input.is_empty() {
        return fail(input, Reason::Empty("pathname"));
    }
    if let Some(i) = input.iter().position(|&b| matches!(b, b'\r' | b'\n')) {
        let byte = input.get(i).copied().unwrap_or_default();
        return fail(skip(input, i), forbidden(byte, "a pathname"));
    }
    Ok((&[][..], input))
}

/// A byte that may not appear in `what`.
const fn forbidden(byte: u8, what: &'static str) -> Reason {
    Reason::Forbidden { byte, what }
}

/// Builds an MLSD line (without its line end) from facts and a pathname:
/// `name=value;` for each fact, a space, the pathname. For MLST's entry line,
/// put one more space in front.
///
/// Refuses what [`parse_facts`] would not read back as the same facts and
/// pathname: an empty fact name, a name holding `=`, `;`, a space, CR or LF, a
/// value holding `;`, a space, CR or LF, an empty pathname or one holding CR
/// or LF, a `size`, `modify` or `create` value that does not parse, and a
/// standard fact given twice.
///
/// ```
/// use ftp_reply::payload::{encode_facts, parse_facts, Fact};
/// let facts = [Fact::new(b"type", b"file"), Fact::new(b"size", b"8")];
/// let line = encode_facts(facts, b"two words").unwrap();
/// assert_eq!(line, b"type=file;size=8; two words");
/// assert_eq!(parse_facts(&line).unwrap().iter().collect::<Vec<_>>(), facts);
/// assert!(encode_facts([Fact::new(b"x", b"a b")], b"name").is_err());
/// ```
///
/// # Errors
///
/// A [`PayloadError`] of kind `facts` whose offset is where the offending
/// byte would have been in the line.
pub fn encode_facts<'f, I>(facts: I, pathname: &[u8]) -> Result<Vec<u8>, PayloadError>
where
    I: IntoIterator<Item = Fact<'f>>,
{
    let error = |reason, offset| PayloadError::new(PayloadKind::Facts, reason, 0, offset);
    let mut line = Vec::new();
    let mut seen = 0u16;
    for Fact { name, value } in facts {
        let start = line.len();
        if name.is_empty() {
            return Err(error(Reason::Empty("fact name"), start));
        }
        if let Some(i) = name
            .iter()
            .position(|b| matches!(b, b'=' | b';' | b' ' | b'\r' | b'\n'))
        {
            let byte = name.get(i).copied().unwrap_or_default();
            return Err(error(forbidden(byte, "a fact name"), start + i));
        }
        let at_value = start + name.len() + 1;
        if let Some(i) = value
            .iter()
            .position(|b| matches!(b, b';' | b' ' | b'\r' | b'\n'))
        {
            let byte = value.get(i).copied().unwrap_or_default();
            return Err(error(forbidden(byte, "a fact value"), at_value + i));
        }
        if let Some(i) = standard_index(name) {
            let bit = 1u16 << i;
            if seen & bit != 0 {
                return Err(error(Reason::Duplicate("standard fact"), start));
            }
            seen |= bit;
            let checked = match STANDARD.get(i) {
                Some(&b"size") => size_value(value).map(drop),
                Some(&b"modify" | &b"create") => time_value(value).map(drop),
                _ => Ok(()),
            };
            if let Err((consumed, reason)) = checked {
                return Err(error(reason, at_value + consumed));
            }
        }
        line.extend_from_slice(name);
        line.push(b'=');
        line.extend_from_slice(value);
        line.push(b';');
    }
    line.push(b' ');
    let start = line.len();
    if pathname.is_empty() {
        return Err(error(Reason::Empty("pathname"), start));
    }
    if let Some(i) = pathname.iter().position(|b| matches!(b, b'\r' | b'\n')) {
        let byte = pathname.get(i).copied().unwrap_or_default();
        return Err(error(forbidden(byte, "a pathname"), start + i));
    }
    line.extend_from_slice(pathname);
    Ok(line)
}
