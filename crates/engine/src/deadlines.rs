//! The deadlines of data subject requests (issue 6): an answer is due one calendar month after
//! the request was received; an extension, only with a notice that gives the reason, moves it
//! to at most two months from receipt (the 2022–2023 statements' "up to two (2) months from the
//! date the request was received"; the Dutch 2020 text's "met twee maanden verlengd" allows
//! more, so the shorter limit meets both).
//!
//! A period of months ends on the same day number in the later month; when that month is
//! shorter, on its last day (31 January → 28 or 29 February), as the EU's rules on periods
//! (Regulation 1182/71) and supervisory authorities count it.

use jiff::Span;
use jiff::civil::Date;

/// The day `months` calendar months after `received`: the same day number, or the last day of
/// a shorter month.
pub fn months_after(received: Date, months: i64) -> Date {
    // jiff keeps the day number and clamps it to the month's length.
    received
        .checked_add(Span::new().months(months))
        .unwrap_or(Date::MAX)
}

/// When the answer to a request received on `received` is due.
pub fn due_date(received: Date) -> Date {
    months_after(received, 1)
}

/// The latest an extension can move the answer to (two months from receipt).
pub fn latest_extension(received: Date) -> Date {
    months_after(received, 2)
}

/// The days on which the staff handling a request are reminded: a week before it is due and
/// the day before (none in the past of `received`).
pub fn reminders(received: Date, due: Date) -> Vec<Date> {
    [7, 1]
        .into_iter()
        .filter_map(|days| due.checked_sub(Span::new().days(days)).ok())
        .filter(|d| *d > received)
        .collect()
}

/// Whole days from `today` until `due` (negative when overdue).
pub fn days_left(today: Date, due: Date) -> i64 {
    (due - today).get_days().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_month_keeps_the_day_number() {
        assert_eq!(due_date(date(2026, 3, 15)), date(2026, 4, 15));
        assert_eq!(due_date(date(2026, 12, 31)), date(2027, 1, 31));
        assert_eq!(due_date(date(2026, 2, 28)), date(2026, 3, 28));
    }

    #[test]
    fn the_end_of_january_is_due_at_the_end_of_february_leap_years_included() {
        assert_eq!(due_date(date(2026, 1, 31)), date(2026, 2, 28));
        assert_eq!(due_date(date(2026, 1, 29)), date(2026, 2, 28));
        assert_eq!(due_date(date(2028, 1, 31)), date(2028, 2, 29));
        assert_eq!(due_date(date(2028, 1, 30)), date(2028, 2, 29));
        assert_eq!(due_date(date(2028, 2, 29)), date(2028, 3, 29));
        assert_eq!(
            due_date(date(2100, 1, 31)),
            date(2100, 2, 28),
            "2100 is no leap year"
        );
        assert_eq!(due_date(date(2000, 1, 31)), date(2000, 2, 29), "2000 is");
    }

    #[test]
    fn shorter_months_end_the_period_on_their_last_day() {
        assert_eq!(due_date(date(2026, 3, 31)), date(2026, 4, 30));
        assert_eq!(due_date(date(2026, 5, 31)), date(2026, 6, 30));
        assert_eq!(due_date(date(2026, 8, 31)), date(2026, 9, 30));
        assert_eq!(due_date(date(2026, 10, 31)), date(2026, 11, 30));
    }

    #[test]
    fn an_extension_reaches_at_most_two_months_from_receipt() {
        assert_eq!(latest_extension(date(2026, 12, 31)), date(2027, 2, 28));
        assert_eq!(latest_extension(date(2027, 12, 31)), date(2028, 2, 29));
        assert_eq!(latest_extension(date(2026, 1, 31)), date(2026, 3, 31));
        assert_eq!(latest_extension(date(2026, 3, 15)), date(2026, 5, 15));
        for day in 1..=28 {
            let received = date(2026, 1, day);
            assert!(latest_extension(received) > due_date(received));
        }
    }

    #[test]
    fn reminders_come_a_week_and_a_day_ahead_never_before_receipt() {
        let received = date(2026, 1, 31);
        let due = due_date(received);
        assert_eq!(
            reminders(received, due),
            [date(2026, 2, 21), date(2026, 2, 27)]
        );
        // A due day three days after receipt (an extension never makes it shorter, but a
        // reminder must not land before the request existed).
        assert_eq!(
            reminders(date(2026, 2, 25), date(2026, 2, 28)),
            [date(2026, 2, 27)]
        );
    }

    #[test]
    fn days_left_counts_down_and_goes_negative_when_overdue() {
        let due = date(2026, 2, 28);
        assert_eq!(days_left(date(2026, 2, 1), due), 27);
        assert_eq!(days_left(due, due), 0);
        assert_eq!(days_left(date(2026, 3, 2), due), -2);
    }
}
