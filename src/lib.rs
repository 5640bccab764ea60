//! mcp_guard: the security core of shop MCP servers, as a PHP extension.
//!
//! This file is a table of contents. The decisions live in [`core`] (pure Rust,
//! no PHP, no clock, no randomness taken implicitly); the PHP classes that call
//! them live in `php` (built with the default cargo feature `php`).

// No panic on an input-dependent path: library code neither unwraps nor
// panics (tests may; see clippy.toml).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod core;

#[cfg(feature = "php")]
mod php;
