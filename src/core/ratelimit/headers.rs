//! The response header texts of a rate-limit decision
//! (draft-ietf-httpapi-ratelimit-headers, structured fields):
//! `RateLimit-Policy: "<name>";q=<limit>;w=<seconds>`,
//! `RateLimit: "<name>";r=<remaining>;t=<seconds>`, and, when refused,
//! `Retry-After: <seconds>` (RFC 9110 §10.2.3, at least 1).
//!
//! Policy names are `[a-z0-9_.-]{1,64}` ([`super::check_policy_name`]), so
//! nothing here needs quoting beyond the surrounding quotes.

use super::gcra::{ceil_secs, Decision};

/// The headers, in the order above.
pub fn rate_limit(
    name: &str,
    period_secs: u64,
    decision: &Decision,
) -> Vec<(&'static str, String)> {
    let mut out = vec![
        (
            "RateLimit-Policy",
            format!("\"{name}\";q={};w={period_secs}", decision.limit),
        ),
        (
            "RateLimit",
            format!(
                "\"{name}\";r={};t={}",
                decision.remaining,
                ceil_secs(decision.reset_after_us)
            ),
        ),
    ];
    if !decision.allowed() {
        out.push((
            "Retry-After",
            ceil_secs(decision.retry_after_us).max(1).to_string(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ratelimit::gcra::{step, Rate};

    #[test]
    fn allowed_and_refused_texts() {
        let rate = Rate::per_seconds(2, 60).unwrap();
        let (d, tat) = step(&rate, 0, 1_000_000, 1);
        assert_eq!(
            rate_limit("mcp.read", 60, &d),
            [
                ("RateLimit-Policy", "\"mcp.read\";q=2;w=60".to_owned()),
                ("RateLimit", "\"mcp.read\";r=1;t=30".to_owned()),
            ]
        );
        let (d, tat) = step(&rate, tat.unwrap(), 1_000_000, 1);
        let (refused, _) = step(&rate, tat.unwrap(), 1_000_000, 1);
        assert!(d.allowed() && !refused.allowed());
        let h = rate_limit("mcp.read", 60, &refused);
        assert_eq!(h[1], ("RateLimit", "\"mcp.read\";r=0;t=60".to_owned()));
        assert_eq!(h[2], ("Retry-After", "30".to_owned()));
    }
}
