//! Dates as the spec writes them (`YYYY-MM-DD`): today's, whether a date written so is a
//! day of the calendar, and how readers read it (`July 8, 2026`).

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date((secs / 86_400) as i64)
}

/// The date of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Whether `date` is a day of the calendar written `YYYY-MM-DD`.
pub fn is_date(date: &str) -> bool {
    calendar_date(date).is_some()
}

/// Whether `date` is written `YYYY-MM-DD` but names a day the calendar lacks
/// (`2026-02-30`).
pub fn is_missing_day(date: &str) -> bool {
    date_shaped(date) && !is_date(date)
}

/// Whether `date` is written `YYYY-MM-DD` (digits and dashes), a day of the calendar or
/// not.
fn date_shaped(date: &str) -> bool {
    let b = date.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// The year, month and day of `date`, a day of the (Gregorian) calendar written
/// `YYYY-MM-DD` (`2026-02-30` is none).
pub fn calendar_date(date: &str) -> Option<(u32, u32, u32)> {
    if !date_shaped(date) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| date[range].parse::<u32>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    (1..=days).contains(&day).then_some((year, month, day))
}

/// A date written `2026-07-08` as readers read it: `July 8, 2026`.
pub fn long_date(date: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let (year, month, day) = calendar_date(date.get(..10)?)?;
    let name = MONTHS.get(month.checked_sub(1)? as usize)?;
    Some(format!("{name} {day}, {year}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_dates() {
        assert_eq!(long_date("2026-07-08").as_deref(), Some("July 8, 2026"));
        assert_eq!(
            long_date("2021-11-09T10:00:00Z").as_deref(),
            Some("November 9, 2021")
        );
        assert_eq!(long_date("2026-13-01"), None);
        assert_eq!(long_date("2026-02-30"), None);
        assert_eq!(long_date("soon"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
        assert!(is_date("2026-07-08"));
        assert!(!is_date("2026-7-08"));
        // Days the calendar does not have.
        assert!(!is_date("2026-02-30"));
        assert!(!is_date("2026-13-01"));
        assert!(!is_date("2026-00-10"));
        assert!(!is_date("2026-04-31"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2100-02-29"));
        assert!(is_date("2000-02-29"));
        assert!(is_missing_day("2026-02-30"));
        assert!(!is_missing_day("2026-02-28") && !is_missing_day("May 1"));
    }
}
