//! Strict JSON for JOSE headers, claims and JWKS documents.
//!
//! serde_json does the lexing (UTF-8, escapes, numbers); this module builds
//! the values and adds what RFC 7515 §4 / RFC 7519 §4 and RFC 8725 §3.2 ask of
//! a careful parser: a duplicate member name refuses the whole document (so
//! serde's last-wins never decides which `aud` counts), nesting is bounded,
//! trailing data is refused, and integers stay integers.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

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

    /// Builds an object, refusing duplicate names.
    fn from_members(members: Vec<(String, Value)>) -> Option<Self> {
        if members.len() <= 8 {
            for (i, (k, _)) in members.iter().enumerate() {
                if members.iter().skip(i + 1).any(|(k2, _)| k2 == k) {
                    return None;
                }
            }
        } else {
            let mut names: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
            names.sort_unstable();
            if names.windows(2).any(|w| w.first() == w.get(1)) {
                return None;
            }
        }
        Some(Self(members))
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

/// Why a document was refused. Carries no detail on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonError;

/// Parses one JSON document strictly (see the module documentation).
pub fn parse(input: &[u8]) -> Result<Value, JsonError> {
    let mut de = serde_json::Deserializer::from_slice(input);
    let value = Seed { depth: 0 }
        .deserialize(&mut de)
        .map_err(|_| JsonError)?;
    de.end().map_err(|_| JsonError)?;
    Ok(value)
}

/// Parses a document that must be a JSON object.
pub fn parse_object(input: &[u8]) -> Result<Object, JsonError> {
    match parse(input)? {
        Value::Object(o) => Ok(o),
        _ => Err(JsonError),
    }
}

/// Serializes a value compactly (member order kept).
pub fn to_vec(value: &Value) -> Result<Vec<u8>, JsonError> {
    serde_json::to_vec(value).map_err(|_| JsonError)
}

struct Seed {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Seed {
    fn deeper<E: de::Error>(&self) -> Result<Seed, E> {
        let depth = self.depth + 1;
        if depth > MAX_DEPTH {
            return Err(E::custom("nesting too deep"));
        }
        Ok(Seed { depth })
    }
}

impl<'de> Visitor<'de> for Seed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let seed = self.deeper()?;
            match seq.next_element_seed(seed)? {
                Some(v) => items.push(v),
                None => break,
            }
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            let value = map.next_value_seed(self.deeper()?)?;
            members.push((name, value));
        }
        Object::from_members(members)
            .map(Value::Object)
            .ok_or_else(|| de::Error::custom("duplicate member"))
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

    #[test]
    fn refuses_duplicate_members_at_any_depth_and_size() {
        assert!(parse(br#"{"aud":"a","aud":"b"}"#).is_err());
        assert!(parse(br#"{"x":{"k":1,"k":2}}"#).is_err());
        // Escaped form of the same name is the same name.
        assert!(parse(br#"{"aud":"a","a\u0075d":"b"}"#).is_err());
        let many: String = (0..20).map(|i| format!("\"k{i}\":1,")).collect();
        assert!(parse(format!("{{{many}\"k3\":2}}").as_bytes()).is_err());
        assert!(parse(format!("{{{many}\"z\":2}}").as_bytes()).is_ok());
    }

    #[test]
    fn bounds_nesting_and_refuses_trailing_data() {
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(deep.as_bytes()).is_err());
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(ok.as_bytes()).is_ok());
        assert!(parse(b"{} {}").is_err());
        assert!(parse(b"{\"a\":1}x").is_err());
        assert!(parse(b"{\"a\":\"\xff\"}").is_err());
        assert!(parse(br#"{"a":"\ud800"}"#).is_err());
        assert!(parse_object(b"[1]").is_err());
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
