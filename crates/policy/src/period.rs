//! Periods of the policy: ISO 8601 durations in calendar units (years, months, weeks, days).

use std::cmp::Ordering;
use std::fmt;

use jiff::Span;
use jiff::civil::{Date, date};

/// A unit of a [`Period`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodUnit {
    /// Calendar years.
    Years,
    /// Calendar months.
    Months,
    /// Weeks of seven days.
    Weeks,
    /// Days.
    Days,
}

/// A calendar period such as `P6M` or `P10Y`. Time-of-day units are not allowed: retention and
/// deadlines count whole days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    years: u16,
    months: u16,
    weeks: u16,
    days: u16,
}

impl Period {
    /// A period of whole months.
    pub const fn months(months: u16) -> Self {
        Self {
            years: 0,
            months,
            weeks: 0,
            days: 0,
        }
    }

    /// The period as a jiff span, to add to dates and timestamps.
    pub fn span(&self) -> Span {
        Span::new()
            .years(i64::from(self.years))
            .months(i64::from(self.months))
            .weeks(i64::from(self.weeks))
            .days(i64::from(self.days))
    }

    /// Its years, months, weeks and days, for writing it out in words.
    pub fn parts(&self) -> [(PeriodUnit, u16); 4] {
        [
            (PeriodUnit::Years, self.years),
            (PeriodUnit::Months, self.months),
            (PeriodUnit::Weeks, self.weeks),
            (PeriodUnit::Days, self.days),
        ]
    }

    /// Whether the period is empty (`P0D`).
    pub fn is_zero(&self) -> bool {
        self.years == 0 && self.months == 0 && self.weeks == 0 && self.days == 0
    }

    /// The date this period ends when it starts on `start` (calendar arithmetic: one month after
    /// 31 January is the last day of February).
    pub fn end_from(&self, start: Date) -> Option<Date> {
        start.checked_add(self.span()).ok()
    }

    /// Where this period ends from the start at which months are shortest (1 February of a
    /// common year); used to compare periods strictly.
    fn worst_case_end(&self) -> Date {
        self.end_from(date(2023, 2, 1)).unwrap_or(Date::MAX)
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Period {
    /// Periods compare by where they end from the start at which months are shortest, so
    /// `P30D` counts as longer than `P1M`: thirty days can overrun a month.
    fn cmp(&self, other: &Self) -> Ordering {
        self.worst_case_end()
            .cmp(&other.worst_case_end())
            .then_with(|| {
                (self.years, self.months, self.weeks, self.days).cmp(&(
                    other.years,
                    other.months,
                    other.weeks,
                    other.days,
                ))
            })
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("P0D");
        }
        f.write_str("P")?;
        for (n, unit) in [
            (self.years, 'Y'),
            (self.months, 'M'),
            (self.weeks, 'W'),
            (self.days, 'D'),
        ] {
            if n > 0 {
                write!(f, "{n}{unit}")?;
            }
        }
        Ok(())
    }
}

/// Parses an ISO 8601 duration made of years, months, weeks and days (`P1Y6M`, `P30D`).
pub fn parse(text: &str) -> Result<Period, String> {
    let Some(rest) = text.strip_prefix('P') else {
        return Err("it must start with `P`".into());
    };
    if rest.is_empty() {
        return Err("it has no amount after `P`".into());
    }
    if rest.contains('T') {
        return Err("hours, minutes and seconds are not allowed; count in days".into());
    }
    let mut period = Period {
        years: 0,
        months: 0,
        weeks: 0,
        days: 0,
    };
    let mut number = String::new();
    let mut last_rank = 0;
    for c in rest.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let (slot, rank) = match c {
            'Y' => (&mut period.years, 1),
            'M' => (&mut period.months, 2),
            'W' => (&mut period.weeks, 3),
            'D' => (&mut period.days, 4),
            other => return Err(format!("`{other}` is not a unit (use Y, M, W or D)")),
        };
        if rank <= last_rank {
            return Err("units must appear once each, in the order Y, M, W, D".into());
        }
        last_rank = rank;
        if number.is_empty() {
            return Err(format!("`{c}` has no number before it"));
        }
        *slot = number
            .parse()
            .map_err(|_| format!("`{number}` is too large"))?;
        number.clear();
    }
    if !number.is_empty() {
        return Err(format!("`{number}` has no unit after it"));
    }
    Ok(period)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_and_print_back() {
        for text in ["P6M", "P10Y", "P5Y", "P0D", "P1Y6M", "P2W", "P30D"] {
            assert_eq!(parse(text).map(|p| p.to_string()), Ok(text.to_string()));
        }
    }

    #[test]
    fn malformed_periods_say_why() {
        assert!(parse("6 months").unwrap_err().contains("start with `P`"));
        assert!(parse("PT6H").unwrap_err().contains("not allowed"));
        assert!(parse("P6X").unwrap_err().contains("not a unit"));
        assert!(parse("P6").unwrap_err().contains("no unit"));
        assert!(parse("P").unwrap_err().contains("no amount"));
        assert!(parse("P1M1Y").unwrap_err().contains("order"));
    }

    #[test]
    fn thirty_days_can_overrun_a_month() {
        let month = Period::months(1);
        assert!(parse("P30D").unwrap() > month);
        assert!(parse("P28D").unwrap() < month);
        assert!(parse("P1Y").unwrap() > parse("P11M").unwrap());
    }

    #[test]
    fn a_year_ends_where_twelve_months_end() {
        for start in [date(2023, 1, 31), date(2024, 2, 29), date(2023, 12, 31)] {
            assert_eq!(
                parse("P1Y").unwrap().end_from(start),
                parse("P12M").unwrap().end_from(start)
            );
        }
        assert_eq!(
            parse("P1Y").unwrap().end_from(date(2024, 2, 29)),
            Some(date(2025, 2, 28))
        );
    }

    #[test]
    fn a_month_after_the_31st_of_january_ends_on_the_last_day_of_february() {
        assert_eq!(
            Period::months(1).end_from(date(2023, 1, 31)),
            Some(date(2023, 2, 28))
        );
        assert_eq!(
            Period::months(1).end_from(date(2024, 1, 31)),
            Some(date(2024, 2, 29))
        );
    }
}
