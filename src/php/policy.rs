//! `McpGuard\Policy` and `McpGuard\Policy\Decision`.
//!
//! The binding walks PHP arrays into core values (every limit checked before a
//! string is copied or a nested array entered, so hostile input costs a length
//! comparison) and keeps compiled manifests in a small per-worker cache keyed
//! by the SHA-256 of their source. Every decision is the core's.
#![allow(non_snake_case)]

use std::cell::RefCell;
use std::sync::Arc;

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::array::Iter;
use ext_php_rs::types::{ZendHashTable, Zval};

use super::exception::{guarded, invalid_argument, to_php};
use crate::core::policy::json::{digest_text, digest_value, SourceDigest};
use crate::core::policy::manifest::{unreadable, MANIFEST_VALUE_LIMITS};
use crate::core::policy::{
    Budget, Limits, Policy as Compiled, Refusal, Segment, Value, MAX_PRESENTED_SCOPES,
};

/// Compiled manifests kept per worker (most recently used first).
const CACHE_ENTRIES: usize = 16;

thread_local! {
    static CACHE: RefCell<Vec<([u8; 32], Arc<Compiled>)>> = const { RefCell::new(Vec::new()) };
}

fn cached(
    digest: [u8; 32],
    compile: impl FnOnce() -> PhpResult<Compiled>,
) -> PhpResult<Arc<Compiled>> {
    let hit = CACHE.with(|c| {
        let mut c = c.borrow_mut();
        let pos = c.iter().position(|(d, _)| *d == digest)?;
        let entry = c.remove(pos);
        let policy = entry.1.clone();
        c.insert(0, entry);
        Some(policy)
    });
    if let Some(p) = hit {
        return Ok(p);
    }
    let policy = Arc::new(compile()?);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        c.insert(0, (digest, policy.clone()));
        c.truncate(CACHE_ENTRIES);
    });
    Ok(policy)
}

/// Walks a PHP value into a core value within `budget`.
fn walk(zv: &Zval, depth: usize, budget: &mut Budget) -> Result<Value, Refusal> {
    let zv = zv.dereference();
    if zv.is_null() {
        budget.scalar()?;
        return Ok(Value::Null);
    }
    if let Some(b) = zv.bool() {
        budget.scalar()?;
        return Ok(Value::Bool(b));
    }
    if let Some(i) = zv.long() {
        budget.scalar()?;
        return Ok(Value::Int(i));
    }
    if let Some(x) = zv.double() {
        budget.scalar()?;
        return Ok(Value::Float(x));
    }
    if let Some(s) = zv.zend_str() {
        // The length is checked before the bytes are copied.
        budget.string(s.len())?;
        return std::str::from_utf8(s.as_bytes())
            .map(|s| Value::Str(s.to_owned()))
            .map_err(|_| Budget::not_utf8_string());
    }
    if let Some(ht) = zv.array() {
        return walk_array(ht, depth, budget);
    }
    Err(Budget::unsupported())
}

/// Walks an array: a list when its keys are 0, 1, 2, … in order, else an
/// object. The size and depth are checked before any entry is read.
fn walk_array(ht: &ZendHashTable, depth: usize, budget: &mut Budget) -> Result<Value, Refusal> {
    budget.container(depth, ht.len())?;
    // Filled as a list until a key breaks the sequence, then as an object.
    let mut list: Vec<Value> = Vec::new();
    let mut object: Option<Vec<(String, Value)>> = None;
    // `Iter::next_zval` hands the raw key, so a non-UTF-8 string key is a
    // refusal rather than a panic in the `ArrayKey` conversion.
    let mut iter = Iter::new(ht);
    while let Some((k, v)) = iter.next_zval() {
        let name = if let Some(n) = k.long() {
            let position = object.as_ref().map_or(list.len(), Vec::len);
            if object.is_none() && i64::try_from(position).ok() == Some(n) {
                None
            } else {
                let s = n.to_string();
                budget.key(s.len())?;
                Some(s)
            }
        } else if let Some(s) = k.zend_str() {
            budget.key(s.len())?;
            let name = std::str::from_utf8(s.as_bytes()).map_err(|_| Budget::not_utf8_key())?;
            Some(name.to_owned())
        } else {
            return Err(Budget::unsupported());
        };
        // The path segment is only built when the value is refused.
        let value = walk(v, depth + 1, budget).map_err(|r| {
            r.within(match &name {
                Some(s) => Segment::Key(s.clone()),
                None => Segment::Index(list.len()),
            })
        })?;
        match (name, object.as_mut()) {
            (None, _) => list.push(value),
            (Some(name), Some(entries)) => entries.push((name, value)),
            (Some(name), None) => {
                // The sequence broke: earlier entries keep their indexes as keys.
                let mut entries = Vec::with_capacity(ht.len());
                for (i, earlier) in std::mem::take(&mut list).into_iter().enumerate() {
                    let key = i.to_string();
                    budget.key(key.len())?;
                    entries.push((key, earlier));
                }
                entries.push((name, value));
                object = Some(entries);
            }
        }
    }
    Ok(match object {
        Some(entries) => Value::Object(entries),
        None => Value::List(list),
    })
}

/// The byte strings of a scope array (at most one more than the core accepts,
/// so it can refuse the count). A non-string entry is a bug in the caller.
fn scope_bytes(scopes: &ZendHashTable) -> PhpResult<Vec<&[u8]>> {
    let mut out = Vec::new();
    let mut iter = Iter::new(scopes);
    while let Some((_, v)) = iter.next_zval() {
        if out.len() > MAX_PRESENTED_SCOPES {
            break;
        }
        match v.zend_str() {
            Some(s) => out.push(s.as_bytes()),
            None => return Err(invalid_argument("Every scope must be a string.")),
        }
    }
    Ok(out)
}

fn utf8(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok()
}

fn compile_array(ht: &ZendHashTable) -> PhpResult<Compiled> {
    let mut budget = Budget::new(MANIFEST_VALUE_LIMITS);
    let value = walk_array(ht, 1, &mut budget).map_err(|r| to_php(unreadable(&r)))?;
    Compiled::compile(&value).map_err(to_php)
}

/// Feeds a manifest array into its cache-key digest, without copying it.
/// False when it cannot be keyed (deeper than the manifest limit, too large,
/// or holding something other than arrays and scalars).
fn digest_zval(zv: &Zval, depth: usize, d: &mut SourceDigest) -> bool {
    let zv = zv.dereference();
    if depth > MANIFEST_VALUE_LIMITS.max_depth || !d.within_bounds() {
        return false;
    }
    if zv.is_null() {
        d.null();
    } else if let Some(b) = zv.bool() {
        d.bool(b);
    } else if let Some(i) = zv.long() {
        d.int(i);
    } else if let Some(x) = zv.double() {
        d.float(x);
    } else if let Some(s) = zv.zend_str() {
        d.str(s.as_bytes());
    } else if let Some(ht) = zv.array() {
        d.array(ht.len());
        let mut iter = Iter::new(ht);
        while let Some((k, v)) = iter.next_zval() {
            if let Some(n) = k.long() {
                d.key_int(n);
            } else if let Some(s) = k.zend_str() {
                d.key_str(s.as_bytes());
            } else {
                return false;
            }
            if !digest_zval(v, depth + 1, d) {
                return false;
            }
        }
    } else {
        return false;
    }
    true
}

/// A compiled tool policy. Build it on every request from the same manifest:
/// the compile happens once per worker, later constructions cost a hash.
#[php_class]
#[php(name = "McpGuard\\Policy")]
#[php(flags = ClassFlags::Final)]
pub struct Policy {
    inner: Arc<Compiled>,
    digest: [u8; 32],
}

#[php_impl]
impl Policy {
    /// @param array|string $manifest the manifest as a PHP array or JSON text.
    /// @throws \McpGuard\Exception\ConfigurationException reason manifest_*, the message names the offending key's path.
    pub fn __construct(manifest: &Zval) -> PhpResult<Self> {
        guarded(|| {
            let manifest = manifest.dereference();
            if let Some(s) = manifest.zend_str() {
                let text = s.as_bytes();
                let digest = digest_text(text);
                let inner = cached(digest, || Compiled::compile_json(text).map_err(to_php))?;
                return Ok(Self { inner, digest });
            }
            if let Some(ht) = manifest.array() {
                // The cache key is computed straight from the array; the
                // value tree is only built when the manifest must be compiled.
                let mut source = SourceDigest::new();
                if let Some(digest) = digest_zval(manifest, 1, &mut source)
                    .then(|| source.finish())
                    .flatten()
                {
                    let inner = cached(digest, || compile_array(ht))?;
                    return Ok(Self { inner, digest });
                }
                // Not keyable (too deep, too large, a PHP object inside): the
                // compiler refuses it, uncached.
                let mut budget = Budget::new(MANIFEST_VALUE_LIMITS);
                let value = walk_array(ht, 1, &mut budget).map_err(|r| to_php(unreadable(&r)))?;
                let inner = Arc::new(Compiled::compile(&value).map_err(to_php)?);
                let digest = digest_value(&value);
                return Ok(Self { inner, digest });
            }
            Err(invalid_argument(
                "The manifest must be an array or a JSON string.",
            ))
        })
    }

    /// Decides one tool call. All or nothing: one bad field refuses the call.
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
            let grant = self.inner.grant(scope_bytes(scopes)?).map_err(to_php)?;
            let limits: Limits = *self.inner.limits();
            let mut budget = Budget::new(limits);
            let args = match arguments {
                Some(ht) => walk_array(ht, 1, &mut budget),
                None => Ok(Value::Object(Vec::new())),
            };
            let outcome = args.and_then(|args| self.inner.authorize(&grant, &tool, &args));
            Ok(Decision(outcome.err()))
        })
    }

    /// The tools the caller may call, sorted (for `tools/list`); empty without
    /// a `discover` scope.
    pub fn visible_tools(&self, scopes: &ZendHashTable) -> PhpResult<Vec<String>> {
        guarded(|| {
            let grant = self.inner.grant(scope_bytes(scopes)?).map_err(to_php)?;
            Ok(self
                .inner
                .visible_tools(&grant)
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
            self.inner
                .required_scopes(name)
                .map(<[String]>::to_vec)
                .map_err(to_php)
        })
    }

    /// `read`, `write` or `destructive`.
    ///
    /// @throws \McpGuard\Exception\InvalidArgumentException reason unknown_tool.
    pub fn tool_class(&self, tool: BinarySlice<u8>) -> PhpResult<String> {
        guarded(|| {
            let name = utf8(&tool).unwrap_or("\u{0}");
            self.inner
                .tool_class(name)
                .map(|c| c.as_str().to_owned())
                .map_err(to_php)
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
            self.inner
                .scopes_for_role(name)
                .map(<[String]>::to_vec)
                .map_err(to_php)
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
        guarded(|| {
            self.inner
                .canonical_scopes(scope_bytes(scopes)?)
                .map_err(to_php)
        })
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
        self.digest.iter().map(|b| format!("{b:02x}")).collect()
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
