//! Advisory regressions: one test per known attack class on the parts of
//! mcp_guard that take outside input, each naming its CVE or RFC section in its
//! doc comment. Core only (`cargo test --no-default-features --test advisories`).

mod confirm;
mod credentials;
mod jwt;
mod oauth;
mod policy;
mod ratelimit;
mod resource;
mod tokens;
