//! The pure core: every decision mcp_guard makes, with time and randomness
//! passed in by the caller so that every result is reproducible in tests.

// Every public item of the core says what it is.
#![deny(missing_docs)]

pub mod audit;
pub mod base62;
pub mod cache;
pub mod confirm;
pub mod credentials;
pub mod digest;
pub mod error;
pub mod guard;
pub mod json;
pub mod jwt;
pub mod mcp;
pub mod oauth;
pub mod policy;
pub mod ratelimit;
pub mod resource;
pub mod rng;
pub mod token;
