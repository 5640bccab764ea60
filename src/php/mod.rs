//! PHP bindings: one file per PHP class family. They convert PHP values to core
//! types and core errors to exceptions, and decide nothing themselves.

mod confirm;
mod convert;
mod credentials;
mod env;
mod exception;
mod jwt;
mod module;
mod oauth;
mod policy;
mod ratelimit;
mod scopes;
mod settings;
mod tokens;
