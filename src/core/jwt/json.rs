//! JSON values of JOSE headers, claims and JWKS documents.
//!
//! Parsing is the shared strict reader [`crate::core::json`] (duplicate
//! member names refused, nesting bounded by [`MAX_DEPTH`], trailing data
//! refused, integers kept as integers); this module holds the value type,
//! which keeps member order, and its compact serialization for signing.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::core::json as strict;

/// Deepest nesting accepted (an object in an array in an object is depth 3).
pub const MAX_DEPTH: usize = 16;

/// A JSON value. Objects keep their member order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number written without fraction or exponent that fits an `i64`.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string.
    Str(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, members in document order, names unique.
    Object(Object),
}

/// A JSON object whose member names are unique.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object(Vec<(String, Value)>);

impl Object {
    /// An empty object.
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// The member `name`, if present.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Whether a member `name` is present.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The members in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the object has no member.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds a member; `false` (and nothing added) when the name exists.
    pub fn insert(&mut self, name: String, value: Value) -> bool {
        if self.contains(&name) {
            return false;
        }
        self.0.push((name, value));
        true
    }
}

impl Value {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The integer, if this is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Self::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Self::Object(o) => Some(o),
            _ => None,
        }
    }
}

pub use strict::JsonError;

/// Parses one JSON document strictly (see the module documentation).
pub fn parse(input: &[u8]) -> Result<Value, JsonError> {
    strict::parse(input, MAX_DEPTH)
}

/// Parses a document that must be a JSON object.
pub fn parse_object(input: &[u8]) -> Result<Object, JsonError> {
    match parse(input)? {
        Value::Object(o) => Ok(o),
        _ => Err(JsonError::WrongKind),
    }
}

/// Serializes a value compactly (member order kept).
pub fn to_vec(value: &Value) -> Result<Vec<u8>, JsonError> {
    serde_json::to_vec(value).map_err(|_| JsonError::Unwritable)
}

impl strict::Build for Value {
    fn null() -> Self {
        Self::Null
    }

    fn bool(b: bool) -> Self {
        Self::Bool(b)
    }

    fn int(i: i64) -> Self {
        Self::Int(i)
    }

    fn float(x: f64) -> Self {
        Self::Float(x)
    }

    fn string(s: String) -> Self {
        Self::Str(s)
    }

    fn array(items: Vec<Self>) -> Self {
        Self::Array(items)
    }

    fn object(members: Vec<(String, Self)>) -> Self {
        // The parser has refused duplicate names.
        Self::Object(Object(members))
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => s.serialize_unit(),
            Self::Bool(b) => s.serialize_bool(*b),
            Self::Int(i) => s.serialize_i64(*i),
            Self::Float(f) => {
                if f.is_finite() {
                    s.serialize_f64(*f)
                } else {
                    Err(serde::ser::Error::custom("non-finite number"))
                }
            }
            Self::Str(v) => s.serialize_str(v),
            Self::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Self::Object(o) => o.serialize(s),
        }
    }
}

impl Serialize for Object {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_keeps_integers() {
        let v = parse(br#"{"a":1,"b":[true,null,"x"],"c":1.5,"d":18446744073709551615}"#).unwrap();
        let o = v.as_object().unwrap();
        assert_eq!(o.get("a"), Some(&Value::Int(1)));
        assert_eq!(o.get("c"), Some(&Value::Float(1.5)));
        assert!(matches!(o.get("d"), Some(Value::Float(_))));
        assert_eq!(o.len(), 4);
    }

    /// The rules themselves are tested in `crate::core::json`; this checks
    /// that JOSE documents go through them with the JWT depth bound.
    #[test]
    fn uses_the_strict_reader_with_the_jwt_bound() {
        assert!(parse(br#"{"aud":"a","a\u0075d":"b"}"#).is_err());
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(deep.as_bytes()).is_err());
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(ok.as_bytes()).is_ok());
        assert!(parse(b"{\"a\":1}x").is_err());
        assert!(parse(br#"{"a":"\ud800"}"#).is_err());
        assert!(parse_object(b"[1]").is_err());
        assert_eq!(parse_object(b"{}").unwrap(), Object::new());
    }

    #[test]
    fn serializes_in_order() {
        let v = parse(br#"{"z":1,"a":"\u00e9","m":[1,2.5]}"#).unwrap();
        assert_eq!(
            to_vec(&v).unwrap(),
            "{\"z\":1,\"a\":\"é\",\"m\":[1,2.5]}".as_bytes()
        );
        assert!(to_vec(&Value::Float(f64::NAN)).is_err());
    }
}
