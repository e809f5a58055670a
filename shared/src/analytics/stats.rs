//! How every derived figure is computed, once: rates, averages, percentiles.

use std::collections::BTreeMap;

/// `numerator / denominator` rounded to 4 decimals; 0 when there is nothing to divide.
pub fn rate(numerator: i64, denominator: i64) -> f64 {
    if denominator <= 0 { 0.0 } else { round(numerator as f64 / denominator as f64, 4) }
}

/// `total / count` rounded to 2 decimals; 0 when there is nothing to average.
pub fn average(total: i64, count: i64) -> f64 {
    if count <= 0 { 0.0 } else { round(total as f64 / count as f64, 2) }
}

fn round(value: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    (value * factor).round() / factor
}

/// The nearest-rank percentile (`p` in 1–100) of a histogram `value → how many`: the
/// smallest value such that at least p% of all observations are at or below it. `None`
/// for an empty histogram. Exact: no interpolation, every answer is a price that occurred.
pub fn percentile(histogram: &BTreeMap<u32, i64>, p: u32) -> Option<u32> {
    let total: i64 = histogram.values().filter(|n| **n > 0).sum();
    if total == 0 {
        return None;
    }
    // rank = ceil(p/100 × total), at least 1.
    let rank = ((i64::from(p) * total + 99) / 100).max(1);
    let mut seen = 0;
    for (value, count) in histogram {
        seen += (*count).max(0);
        if seen >= rank {
            return Some(*value);
        }
    }
    histogram.keys().next_back().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_averages() {
        assert_eq!(rate(1, 3), 0.3333);
        assert_eq!(rate(5, 0), 0.0);
        assert_eq!(average(10, 4), 2.5);
        assert_eq!(average(10, 3), 3.33);
        assert_eq!(average(1, 0), 0.0);
    }

    #[test]
    fn nearest_rank_percentiles() {
        let h: BTreeMap<u32, i64> = [(1000, 1), (2000, 1), (3000, 1), (4000, 1)].into();
        assert_eq!(percentile(&h, 25), Some(1000));
        assert_eq!(percentile(&h, 50), Some(2000));
        assert_eq!(percentile(&h, 75), Some(3000));
        assert_eq!(percentile(&h, 90), Some(4000));
        assert_eq!(percentile(&h, 100), Some(4000));
        let skewed: BTreeMap<u32, i64> = [(6000, 9), (12000, 1)].into();
        assert_eq!(percentile(&skewed, 90), Some(6000));
        assert_eq!(percentile(&skewed, 91), Some(12000));
        assert_eq!(percentile(&BTreeMap::new(), 50), None);
    }
}
