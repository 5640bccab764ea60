//! Exact comparison of the numbers a `number` field sees: integers (`i64`)
//! and finite floats (`f64`), mixed freely, without rounding either side.
//!
//! Converting an `i64` to `f64` rounds above 2^53 (2^53 + 1 becomes 2^53),
//! so `max: 9007199254740992` compared as floats lets 9007199254740993
//! through. Here an integer is compared with an integer as integers, a float
//! with a float as floats, and an integer with a float by the float's
//! integral part (exact once the float is known to lie within the `i64`
//! range) and then its fraction.

use std::cmp::Ordering;
use std::fmt;

/// A finite number as the manifest or the arguments wrote it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Number {
    /// An integer.
    Int(i64),
    /// A finite float (never NaN or infinite: callers refuse those first).
    Float(f64),
}

/// 2^63 as a float (exact): the first float above every `i64`.
const TWO_63: f64 = 9_223_372_036_854_775_808.0;

/// Orders two finite floats; `-0.0` equals `0.0`.
fn cmp_floats(a: f64, b: f64) -> Ordering {
    if a < b {
        Ordering::Less
    } else if a > b {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

/// Orders an integer against a finite float, exactly.
fn cmp_int_float(i: i64, f: f64) -> Ordering {
    if f >= TWO_63 {
        return Ordering::Less;
    }
    if f < -TWO_63 {
        return Ordering::Greater;
    }
    // Within [-2^63, 2^63): the integral part is an exact i64.
    let whole = f.trunc();
    match i.cmp(&(whole as i64)) {
        // Same integral part: the fraction (exact: f - trunc(f)) decides.
        Ordering::Equal => cmp_floats(0.0, f - whole),
        other => other,
    }
}

impl Number {
    /// A number from a float, `None` unless it is finite.
    pub(crate) fn float(x: f64) -> Option<Self> {
        x.is_finite().then_some(Self::Float(x))
    }

    /// Exact order of two numbers.
    pub(crate) fn cmp(self, other: Self) -> Ordering {
        match (self, other) {
            (Self::Int(a), Self::Int(b)) => a.cmp(&b),
            (Self::Float(a), Self::Float(b)) => cmp_floats(a, b),
            (Self::Int(a), Self::Float(b)) => cmp_int_float(a, b),
            (Self::Float(a), Self::Int(b)) => cmp_int_float(b, a).reverse(),
        }
    }

    /// Whether `self` lies within the optional bounds (inclusive).
    pub(crate) fn within(self, min: Option<Self>, max: Option<Self>) -> bool {
        min.is_none_or(|m| self.cmp(m) != Ordering::Less)
            && max.is_none_or(|m| self.cmp(m) != Ordering::Greater)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Int(i) => write!(f, "{i}"),
            Self::Float(x) => write!(f, "{x}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::{Equal, Greater, Less};

    #[test]
    fn integers_against_floats_are_exact() {
        let two_53 = 1i64 << 53;
        for (i, f, want) in [
            (two_53, two_53 as f64, Equal),
            (two_53 + 1, two_53 as f64, Greater),
            (-two_53 - 1, -(two_53 as f64), Less),
            (0, -0.0, Equal),
            (0, 0.5, Less),
            (0, -0.5, Greater),
            (-1, -0.5, Less),
            (1, 0.999_999_999_999_999_9, Greater),
            (i64::MAX, TWO_63, Less),
            (i64::MIN, -TWO_63, Equal),
            (i64::MIN, -TWO_63 * 2.0, Greater),
            (i64::MAX, f64::MAX, Less),
            (i64::MIN, f64::MIN, Greater),
            (1_000_000_000_000_000_064, 1e18, Greater),
        ] {
            assert_eq!(Number::Int(i).cmp(Number::Float(f)), want, "{i} {f}");
            assert_eq!(
                Number::Float(f).cmp(Number::Int(i)),
                want.reverse(),
                "{f} {i}"
            );
        }
        assert_eq!(Number::Float(-0.0).cmp(Number::Float(0.0)), Equal);
        assert_eq!(Number::float(f64::NAN), None);
        assert_eq!(Number::float(f64::INFINITY), None);
        assert_eq!(Number::Int(two_53 + 1).to_string(), "9007199254740993");
        assert_eq!(Number::Float(0.5).to_string(), "0.5");
    }
}
