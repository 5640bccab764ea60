//! `McpGuard\Policy` and `McpGuard\Policy\Decision`.
//!
//! PHP arrays reach the core through the one converter (`convert.rs`: every
//! limit checked before a string is copied or a nested array entered, so
//! hostile input costs a length comparison); a call's arguments are not
//! copied at all, the core looks at the PHP array in place. Compiled
//! manifests are kept in the core's per-worker cache, keyed by the digest of
//! their source. Every decision is the core's.
#![allow(non_snake_case)]

use std::cell::RefCell;
use std::sync::Arc;

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};

use super::convert;
use super::exception::{guarded, invalid_argument};
use crate::core::cache::Lru;
use crate::core::digest::{self, Hash};
use crate::core::json::view::{self, Budget};
use crate::core::policy::json::{digest_text, digest_value};
use crate::core::policy::manifest::{unreadable, MANIFEST_VALUE_LIMITS, MAX_MANIFEST_BYTES};
use crate::core::policy::{Policy as Compiled, PolicyError, Refusal, Value, MAX_PRESENTED_SCOPES};

/// Compiled manifests kept per worker (most recently used first), bounded by
/// count and by source bytes.
const CACHE_ENTRIES: usize = 16;
const CACHE_BYTES: usize = 16 * MAX_MANIFEST_BYTES;

thread_local! {
    static CACHE: RefCell<Lru<Arc<Compiled>>> = const { RefCell::new(Lru::new(CACHE_ENTRIES, CACHE_BYTES)) };
}

fn cached(
    digest: Hash,
    cost: usize,
    compile: impl FnOnce() -> Result<Compiled, PolicyError>,
) -> PhpResult<Arc<Compiled>> {
    Ok(CACHE.with(|c| {
        c.borrow_mut()
            .get_or_try_insert(digest, cost, || compile().map(Arc::new))
    })?)
}

/// The byte strings of a scope array (at most one more than the core accepts,
/// so it can refuse the count). A non-string entry is a bug in the caller.
fn scope_bytes(scopes: &ZendHashTable) -> PhpResult<Vec<&[u8]>> {
    convert::strings(scopes, MAX_PRESENTED_SCOPES + 1)
        .ok_or_else(|| invalid_argument("Every scope must be a string."))
}

fn utf8(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok()
}

/// Compiles a manifest given as a PHP array: keyed by its digest, walked in
/// place (nothing is copied before every limit has been checked), built and
/// compiled only on a miss.
fn compile_array(ht: &ZendHashTable) -> PhpResult<(Arc<Compiled>, Hash)> {
    let (digest, cost) = digest_value(ht).map_err(|e| unreadable(&e))?;
    let inner = cached(digest, cost, || {
        let mut budget = Budget::new(MANIFEST_VALUE_LIMITS.view());
        let value: Value = view::build(ht, &mut budget).map_err(|e| unreadable(&e))?;
        Compiled::compile(&value)
    })?;
    Ok((inner, digest))
}

/// Compiles (or finds in the per-worker cache) a manifest given as a PHP
/// array or JSON text.
pub(crate) fn compile_manifest(manifest: &Zval) -> PhpResult<(Arc<Compiled>, Hash)> {
    let manifest = manifest.dereference();
    if let Some(s) = manifest.zend_str() {
        let text = s.as_bytes();
        if text.len() > MAX_MANIFEST_BYTES {
            // Refused (manifest_too_large) for its length alone:
            // never hashed, never kept.
            return Err(Compiled::compile_json(text).err().map_or_else(
                || invalid_argument("The manifest is too large."),
                Into::into,
            ));
        }
        let digest = digest_text(text);
        let inner = cached(digest, text.len(), || Compiled::compile_json(text))?;
        return Ok((inner, digest));
    }
    if let Some(ht) = manifest.array() {
        return compile_array(ht);
    }
    Err(invalid_argument(
        "The manifest must be an array or a JSON string.",
    ))
}

/// A compiled tool policy. Build it on every request from the same manifest:
/// the compile happens once per worker, later constructions cost a hash.
#[php_class]
#[php(name = "McpGuard\\Policy")]
#[php(flags = ClassFlags::Final)]
pub struct Policy {
    inner: Arc<Compiled>,
    digest: Hash,
}

impl Policy {
    /// The PHP object of a policy compiled elsewhere (`Guard::policy()`).
    pub(crate) fn from_parts(inner: Arc<Compiled>, digest: Hash) -> Self {
        Self { inner, digest }
    }
}

#[php_impl]
impl Policy {
    /// @param array|string $manifest the manifest as a PHP array or JSON text.
    /// @throws \McpGuard\Exception\ConfigurationException reason manifest_*, the message names the offending key's path.
    pub fn __construct(manifest: &Zval) -> PhpResult<Self> {
        guarded(|| {
            let (inner, digest) = compile_manifest(manifest)?;
            Ok(Self { inner, digest })
        })
    }

    /// Decides one tool call. All or nothing: one bad field refuses the call.
    ///
    /// The order: the tool (`unknown_tool`), the scopes (`insufficient_scope`,
    /// with the tool's scopes for the 403 challenge), writes enabled, the
    /// tool enabled, then the arguments: their limits (`too_large`), then
    /// the fields. No argument is looked at before the tool may be called,
    /// and the arguments are checked in place, never copied. A caller
    /// without a `discover` scope is told nothing about tools it cannot call:
    /// each is `unknown_tool` without scopes, as `visibleTools()` lists none.
    ///
    /// @param string[] $scopes the caller's scopes (aliases accepted).
    /// @param array $arguments the call's arguments (null = none).
    pub fn authorize(
        &self,
        scopes: &ZendHashTable,
        tool: BinarySlice<u8>,
        arguments: Option<&ZendHashTable>,
    ) -> PhpResult<Decision> {
        guarded(|| {
            let set = self.inner.scope_set(scope_bytes(scopes)?)?;
            // The arguments are looked at in place, and only once the tool
            // may be called (the core checks the tool first).
            let outcome = match arguments {
                Some(ht) => self.inner.authorize(&set, &tool, ht),
                None => self
                    .inner
                    .authorize(&set, &tool, &Value::Object(Vec::new())),
            };
            Ok(Decision(outcome.err()))
        })
    }

    /// The tools the caller may call, sorted (for `tools/list`); empty without
    /// a `discover` scope (and `authorize()` then refuses every tool the
    /// caller cannot call as `unknown_tool`).
    pub fn visible_tools(&self, scopes: &ZendHashTable) -> PhpResult<Vec<String>> {
        guarded(|| {
            let set = self.inner.scope_set(scope_bytes(scopes)?)?;
            Ok(self
                .inner
                .visible_tools(&set)
                .into_iter()
                .map(str::to_owned)
                .collect())
        })
    }

    /// The scopes a tool requires (for the 403 `insufficient_scope` challenge).
    ///
    /// @throws \McpGuard\Exception\InvalidArgumentException reason unknown_tool.
    pub fn required_scopes(&self, tool: BinarySlice<u8>) -> PhpResult<Vec<String>> {
        guarded(|| {
            let name = utf8(&tool).unwrap_or("\u{0}");
            Ok(self.inner.required_scopes(name)?.to_vec())
        })
    }

    /// `read`, `write` or `destructive`.
    ///
    /// @throws \McpGuard\Exception\InvalidArgumentException reason unknown_tool.
    pub fn tool_class(&self, tool: BinarySlice<u8>) -> PhpResult<String> {
        guarded(|| {
            let name = utf8(&tool).unwrap_or("\u{0}");
            Ok(self.inner.tool_class(name)?.as_str().to_owned())
        })
    }

    /// Every tool the manifest defines, sorted.
    pub fn tools(&self) -> Vec<String> {
        self.inner
            .tool_names()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    /// The canonical scopes a role grants (`viewer`, `editor`, or a manifest role).
    ///
    /// @throws \McpGuard\Exception\InvalidArgumentException reason unknown_role.
    pub fn scopes_for_role(&self, role: BinarySlice<u8>) -> PhpResult<Vec<String>> {
        guarded(|| {
            let name = utf8(&role).unwrap_or("\u{0}");
            Ok(self.inner.scopes_for_role(name)?.to_vec())
        })
    }

    /// Every role name (built-in and manifest), sorted.
    pub fn roles(&self) -> Vec<String> {
        self.inner
            .role_names()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    /// The canonical form of presented scopes: aliases resolved (`mcp.read` →
    /// `read`), anything not canonical dropped, sorted and unique.
    pub fn canonical_scopes(&self, scopes: &ZendHashTable) -> PhpResult<Vec<String>> {
        guarded(|| Ok(self.inner.canonical_scopes(scope_bytes(scopes)?)?))
    }

    /// Whether the manifest enables write tools.
    pub fn writes_enabled(&self) -> bool {
        self.inner.writes_enabled()
    }

    /// Whether a field name is never writable under this policy (built-in list
    /// plus the manifest's `forbidden_fields`).
    pub fn is_forbidden_field(&self, name: BinarySlice<u8>) -> bool {
        utf8(&name).is_some_and(|n| self.inner.is_forbidden_field(n))
    }

    /// SHA-256 (hex) identifying the manifest source, for audit logs.
    pub fn hash(&self) -> String {
        digest::hex(&self.digest)
    }
}

/// The outcome of `Policy::authorize()`.
#[php_class]
#[php(name = "McpGuard\\Policy\\Decision")]
#[php(flags = ClassFlags::Final)]
pub struct Decision(Option<Refusal>);

#[php_impl]
impl Decision {
    /// True when the call may proceed.
    pub fn allowed(&self) -> bool {
        self.0.is_none()
    }

    /// The refusal reason (`unknown_tool`, `insufficient_scope`,
    /// `writes_disabled`, `tool_disabled`, `unknown_field`, `forbidden_field`,
    /// `type_mismatch`, `missing_field`, `too_large`); null when allowed.
    pub fn reason(&self) -> Option<&'static str> {
        self.0.as_ref().map(|r| r.reason().as_str())
    }

    /// JSON Pointer of the offending argument (`/seo/title`, `/tags/3`; `""`
    /// for the arguments as a whole); null for tool-level reasons.
    pub fn path(&self) -> Option<String> {
        self.0.as_ref().and_then(Refusal::path)
    }

    /// For `type_mismatch`: what the manifest expects (`integer(min=1)`); never
    /// the value sent.
    pub fn expected(&self) -> Option<String> {
        self.0
            .as_ref()
            .and_then(|r| r.expected().map(str::to_owned))
    }

    /// For `insufficient_scope`: every scope the tool requires; otherwise empty.
    pub fn required_scopes(&self) -> Vec<String> {
        self.0
            .as_ref()
            .map(|r| r.required_scopes().to_vec())
            .unwrap_or_default()
    }
}
