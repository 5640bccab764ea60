//! The one place where PHP values are read: [`View`] for `Zval` and for PHP
//! arrays, so every binding hands PHP values to the core's one walk
//! ([`crate::core::json::view`]) or lets the core look at them in place.
//!
//! Array keys are read as zvals (`Iter::next_zval`), never through
//! ext-php-rs' `ArrayKey`, whose conversion panics on a string key that is not
//! UTF-8: such a key reaches the core as bytes and is refused there with a
//! reason. References (`&$x`) are looked through.

use ext_php_rs::types::array::Iter;
use ext_php_rs::types::{ZendHashTable, Zval};

use crate::core::json::view::{Key, Node, View};

fn entries_of<'a, E>(
    ht: &'a ZendHashTable,
    mut f: impl FnMut(Key<'_>, &'a Zval) -> Result<(), E>,
) -> Result<(), E> {
    let mut iter = Iter::new(ht);
    while let Some((k, v)) = iter.next_zval() {
        let key = match (k.long(), k.zend_str()) {
            (Some(n), _) => Key::Index(n),
            (None, Some(s)) => Key::Name(s.as_bytes()),
            // `next_zval` hands an integer or a string key, nothing else.
            (None, None) => continue,
        };
        f(key, v)?;
    }
    Ok(())
}

impl View for Zval {
    type Child = Zval;

    fn node(&self) -> Node<'_> {
        let zv = self.dereference();
        if zv.is_null() {
            Node::Null
        } else if let Some(b) = zv.bool() {
            Node::Bool(b)
        } else if let Some(i) = zv.long() {
            Node::Int(i)
        } else if let Some(x) = zv.double() {
            Node::Float(x)
        } else if let Some(s) = zv.zend_str() {
            Node::Str(s.as_bytes())
        } else if let Some(ht) = zv.array() {
            Node::Array(ht.len())
        } else {
            Node::Unsupported
        }
    }

    fn entries<E>(&self, f: impl FnMut(Key<'_>, &Zval) -> Result<(), E>) -> Result<(), E> {
        match self.dereference().array() {
            Some(ht) => entries_of(ht, f),
            None => Ok(()),
        }
    }

    fn lookup(&self, name: &str) -> Option<Option<&Zval>> {
        // One hash lookup (`zend_hash_str_find`, or `zend_hash_index_find`
        // for a decimal name, as PHP reads `$a["5"]`): no key zval, nothing
        // copied.
        Some(self.dereference().array().and_then(|ht| ht.get(name)))
    }
}

impl View for ZendHashTable {
    type Child = Zval;

    fn node(&self) -> Node<'_> {
        Node::Array(self.len())
    }

    fn entries<E>(&self, f: impl FnMut(Key<'_>, &Zval) -> Result<(), E>) -> Result<(), E> {
        entries_of(self, f)
    }

    fn lookup(&self, name: &str) -> Option<Option<&Zval>> {
        Some(self.get(name))
    }
}

/// The string entries of a PHP list (scopes, audiences), in order, as bytes:
/// at most `max` (the core refuses a count over its own bound, so one more
/// than it accepts is enough); `None` when an entry is not a string.
pub fn strings(ht: &ZendHashTable, max: usize) -> Option<Vec<&[u8]>> {
    let mut out = Vec::with_capacity(ht.len().min(max));
    // Not `ht.values()`: it converts every key to an `ArrayKey` too.
    // Err(true): enough entries read; Err(false): an entry is not a string.
    let walked: Result<(), bool> = entries_of(ht, |_, v| {
        if out.len() >= max {
            return Err(true);
        }
        out.push(v.dereference().zend_str().ok_or(false)?.as_bytes());
        Ok(())
    });
    match walked {
        Ok(()) | Err(true) => Some(out),
        Err(false) => None,
    }
}
