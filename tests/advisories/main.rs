//! Advisory regressions: one test per known attack class on the parts of
//! mcp_guard that take outside input, each naming its CVE or RFC section in its
//! doc comment. Core only (`cargo test --no-default-features --test advisories`).
//! The classes that belong to OAuth (PKCE downgrade, code and refresh replay,
//! redirect URI tricks) are listed as pending in tests/advisories/README.md.

mod credentials;
mod jwt;
mod ratelimit;
mod tokens;
