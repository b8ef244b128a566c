//! Rules shared by several payload grammars.

use nom::bytes::complete::take_while1;

use super::error::{PResult, Reason, fail};

/// How a decimal number is bounded.
#[derive(Clone, Copy)]
pub(crate) struct Decimal {
    /// What to call it when it is missing: "a port number".
    pub(crate) expected: &'static str,
    /// What to call it when it is out of range: "port".
    pub(crate) name: &'static str,
    /// The most digits accepted, leading zeros included (`None`: any number
    /// of digits, the value alone being bounded).
    pub(crate) max_digits: Option<u8>,
    /// The smallest value accepted.
    pub(crate) min: u64,
    /// The largest value accepted.
    pub(crate) max: u64,
}

/// The digits of `text`, as a number, or `None` when it does not fit in a `u64`.
pub(crate) fn digits_value(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0u64, |acc, &d| {
        acc.checked_mul(10)?
            .checked_add(u64::from(d.wrapping_sub(b'0')))
    })
}

/// `number = 1*DIGIT`, bounded by `spec`.
///
/// A `+` or `-` in front is reported as a sign (every FTP number is an
/// unsigned decimal); more than `spec.max_digits` digits and values outside
/// `spec.min..=spec.max` are errors at the number's first digit.
pub(crate) fn decimal(input: &[u8], spec: Decimal) -> PResult<'_, u64> {
    if matches!(input.first(), Some(b'+' | b'-')) {
        return fail(input, Reason::Sign);
    }
    let digits: PResult<'_, &[u8]> = take_while1(|b: u8| b.is_ascii_digit())(input);
    let (rest, digits) = match digits {
        Ok(ok) => ok,
        Err(nom::Err::Error(_) | nom::Err::Failure(_) | nom::Err::Incomplete(_)) => {
            return fail(input, Reason::Expected(spec.expected));
        }
    };
    if let Some(max) = spec.max_digits
        && digits.len() > usize::from(max)
    {
        return fail(input, Reason::TooManyDigits { max });
    }
    match digits_value(digits) {
        Some(v) if (spec.min..=spec.max).contains(&v) => Ok((rest, v)),
        _ => fail(
            input,
            Reason::OutOfRange {
                what: spec.name,
                min: spec.min,
                max: spec.max,
            },
        ),
    }
}

/// The input after its first `n` bytes (empty when shorter).
pub(crate) fn skip(input: &[u8], n: usize) -> &[u8] {
    input.get(n..).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Decimal = Decimal {
        expected: "a small number",
        name: "small number",
        max_digits: Some(2),
        min: 1,
        max: 50,
    };

    #[test]
    fn digits_value_stops_at_overflow() {
        assert_eq!(digits_value(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(digits_value(b"18446744073709551616"), None);
        assert_eq!(digits_value(b"000"), Some(0));
        assert_eq!(digits_value(b""), Some(0));
    }

    #[test]
    fn decimal_reports_each_failure_at_the_number() {
        assert_eq!(decimal(b"42x", SMALL), Ok((&b"x"[..], 42)));
        let reason = |input| match decimal(input, SMALL) {
            Err(nom::Err::Error(f)) => (f.reason, f.rest.len()),
            other => panic!("{other:?}"),
        };
        assert_eq!(reason(b"x"), (Reason::Expected("a small number"), 1));
        assert_eq!(reason(b"-1"), (Reason::Sign, 2));
        assert_eq!(reason(b"123"), (Reason::TooManyDigits { max: 2 }, 3));
        let range = Reason::OutOfRange {
            what: "small number",
            min: 1,
            max: 50,
        };
        assert_eq!(reason(b"0"), (range, 1));
        assert_eq!(reason(b"51,"), (range, 3));
    }

    #[test]
    fn skip_never_goes_past_the_end() {
        assert_eq!(skip(b"abc", 1), b"bc");
        assert_eq!(skip(b"abc", 3), b"");
        assert_eq!(skip(b"abc", 9), b"");
    }
}
