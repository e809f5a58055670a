//! Money is integer cents (USD) everywhere: no floating point ever touches a price.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const CURRENCY: &str = "USD";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
pub struct Cents(pub u32);

impl Cents {
    /// `self` is an hourly rate; the price of `minutes` of it, rounded half up to a cent.
    pub fn for_minutes(self, minutes: u16) -> Cents {
        let total = u64::from(self.0) * u64::from(minutes);
        Cents(u32::try_from((total + 30) / 60).unwrap_or(u32::MAX))
    }

    pub fn from_dollars(dollars: u32) -> Cents {
        Cents(dollars.saturating_mul(100))
    }
}

impl std::fmt::Display for Cents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "${}.{:02}", self.0 / 100, self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lesson_price_is_rate_times_minutes_over_sixty() {
        assert_eq!(Cents(12_000).for_minutes(60), Cents(12_000));
        assert_eq!(Cents(12_000).for_minutes(45), Cents(9_000));
        assert_eq!(Cents(6_500).for_minutes(30), Cents(3_250));
        // $0.01/h for 30 minutes rounds half up to one cent.
        assert_eq!(Cents(1).for_minutes(30), Cents(1));
        assert_eq!(Cents(100_000).for_minutes(240), Cents(400_000));
    }

    #[test]
    fn displays_as_dollars() {
        assert_eq!(Cents(7_505).to_string(), "$75.05");
    }
}
