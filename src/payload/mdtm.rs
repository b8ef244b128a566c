//! The 213 reply to MDTM (RFC 3659 §3): a file's modification time, in UTC.

use nom::Parser;
use nom::bytes::complete::{take_while, take_while_m_n};
use nom::character::complete::char;
use nom::combinator::{eof, opt};

use super::error::{Fail, PResult, PayloadError, PayloadKind, Reason, expecting, fail, finish};
use super::lex::digits_value;

/// A UTC time as MDTM gives it, every field range-checked.
///
/// Fields compare in order from the year down, so the derived ordering is
/// chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// 1000–9999.
    pub year: u16,
    /// 1–12.
    pub month: u8,
    /// 1–28, 29, 30 or 31, as the month and year allow.
    pub day: u8,
    /// 0–23.
    pub hour: u8,
    /// 0–59.
    pub minute: u8,
    /// 0–60 (60 only at a leap second).
    pub second: u8,
    /// 0–999 999 999, from the optional fraction.
    pub nanos: u32,
}

impl Timestamp {
    /// Seconds since 1970-01-01T00:00:00 UTC (negative before it), ignoring
    /// leap seconds as Unix time does: second 60 counts as second 0 of the
    /// next minute. The fraction is in [`Timestamp::nanos`].
    ///
    /// ```
    /// use ftp_reply::payload::parse_mdtm;
    /// assert_eq!(parse_mdtm(b"19700101000000").unwrap().unix_seconds(), 0);
    /// assert_eq!(parse_mdtm(b"20240229123456").unwrap().unix_seconds(), 1_709_210_096);
    /// ```
    #[must_use]
    pub const fn unix_seconds(&self) -> i64 {
        let days = days_from_civil(self.year as i64, self.month as i64, self.day as i64);
        days * 86_400 + self.hour as i64 * 3_600 + self.minute as i64 * 60 + self.second as i64
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`). Total for any inputs the struct can hold: no overflow.
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let year_of_era = y - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Whether `year` is a Gregorian leap year.
const fn is_leap(year: u64) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// The number of days in `month` (1–12) of `year`.
const fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses the text of a 213 reply to MDTM: `YYYYMMDDHHMMSS[.sss]`, in UTC.
///
/// Each field is range-checked: the year 1000–9999 (RFC 3659's range), the
/// month 1–12, the day within the month (leap years included), the hour
/// below 24, the minute below 60, the second up to 60 (a leap second). The
/// fraction may have any number of digits; the first nine give
/// [`Timestamp::nanos`] and the rest are dropped. Nothing may follow.
///
/// ```
/// use ftp_reply::payload::{parse_mdtm, Timestamp};
/// let t = parse_mdtm(b"20240229123456.5").unwrap();
/// assert_eq!((t.year, t.month, t.day, t.nanos), (2024, 2, 29, 500_000_000));
/// assert!(parse_mdtm(b"20230229123456").is_err());
/// ```
///
/// # Errors
///
/// A [`PayloadError`] of kind `mdtm` naming the field that was missing or
/// out of range, at its offset.
pub fn parse_mdtm(text: &[u8]) -> Result<Timestamp, PayloadError> {
    finish(PayloadKind::Mdtm, 0, text, time_val(text))
}

/// `time-val = 14DIGIT [ "." 1*DIGIT ]` (RFC 3659 §2.3)
///
/// "The leading, mandatory, fourteen digits are to be interpreted as, in
/// order from the leftmost, four digits giving the year, with a range of
/// 1000--9999, two digits giving the month of the year, with a range of
/// 01--12, two digits giving the day of the month, with a range of 01--31,
/// two digits giving the hour of the day, with a range of 00--23, two digits
/// giving minutes past the hour, with a range of 00--59, and finally, two
/// digits giving seconds past the minute, with a range of 00--60 (with 60
/// being used only at a leap second)."
pub(crate) fn time_val(input: &[u8]) -> PResult<'_, Timestamp> {
    let (rest, year) = field(input, 4, "a 4-digit year", "year", 1000, 9999)?;
    let (rest, month) = field(rest, 2, "a 2-digit month", "month", 1, 12)?;
    let last_day = days_in_month(year, month);
    let (rest, day) = field(rest, 2, "a 2-digit day", "day", 1, last_day)?;
    let (rest, hour) = field(rest, 2, "a 2-digit hour", "hour", 0, 23)?;
    let (rest, minute) = field(rest, 2, "a 2-digit minute", "minute", 0, 59)?;
    let (rest, second) = field(rest, 2, "a 2-digit second", "second", 0, 60)?;
    let (rest, nanos) = opt(fraction).parse(rest)?;
    let (rest, _) = expecting("the end of the text or '.'", eof(rest))?;
    // The range checks above bound every value to its type.
    let narrow = |v: u64| u8::try_from(v).unwrap_or(u8::MAX);
    let time = Timestamp {
        year: u16::try_from(year).unwrap_or(u16::MAX),
        month: narrow(month),
        day: narrow(day),
        hour: narrow(hour),
        minute: narrow(minute),
        second: narrow(second),
        nanos: nanos.unwrap_or(0),
    };
    Ok((rest, time))
}

/// One fixed-width field of `time-val`: exactly `width` digits in `min..=max`.
fn field<'a>(
    input: &'a [u8],
    width: usize,
    expected: &'static str,
    what: &'static str,
    min: u64,
    max: u64,
) -> PResult<'a, u64> {
    let digits: PResult<'_, &[u8]> =
        take_while_m_n(width, width, |b: u8| b.is_ascii_digit())(input);
    let (rest, digits) = expecting(expected, digits)?;
    match digits_value(digits) {
        Some(v) if (min..=max).contains(&v) => Ok((rest, v)),
        _ => fail(input, Reason::OutOfRange { what, min, max }),
    }
}

/// `fraction = "." 1*DIGIT` — the first nine digits as nanoseconds.
fn fraction(input: &[u8]) -> PResult<'_, u32> {
    let (rest, _) = char('.')(input)?;
    let digits: PResult<'_, &[u8]> = take_while(|b: u8| b.is_ascii_digit())(rest);
    let (rest, digits) = digits?;
    if digits.is_empty() {
        // After a '.', digits are required: fail hard rather than let `opt` skip it.
        return Err(nom::Err::Failure(Fail {
            rest,
            reason: Reason::Expected("digits after '.'"),
        }));
    }
    let nanos = (0..9).fold(0u32, |acc, i| {
        let d = digits.get(i).map_or(0, |d| u32::from(d.wrapping_sub(b'0')));
        acc * 10 + d
    });
    Ok((rest, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_from_civil_known_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(0, 3, 1), -719_468);
    }

    #[test]
    fn month_lengths() {
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(2023, 4), 30);
        assert_eq!(days_in_month(2023, 12), 31);
    }

    #[test]
    fn unix_seconds_is_total_on_any_fields() {
        let odd = Timestamp {
            year: u16::MAX,
            month: u8::MAX,
            day: u8::MAX,
            hour: u8::MAX,
            minute: u8::MAX,
            second: u8::MAX,
            nanos: u32::MAX,
        };
        assert!(odd.unix_seconds() > 0);
        let zero = Timestamp {
            year: 0,
            month: 0,
            day: 0,
            hour: 0,
            minute: 0,
            second: 0,
            nanos: 0,
        };
        assert!(zero.unix_seconds() < 0);
    }
}
