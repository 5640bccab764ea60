//! PHP bindings: one file per PHP class family. They convert PHP values to core
//! types and core errors to exceptions, and decide nothing themselves.

mod audit;
mod confirm;
mod convert;
mod credentials;
mod env;
mod exception;
mod guard;
mod jwt;
mod mcp;
mod module;
mod oauth;
mod policy;
mod ratelimit;
mod resource;
mod scopes;
mod settings;
mod tokens;
