//! The one strict JSON reader of mcp_guard: JOSE headers, JWT claims, JWKS
//! documents, policy manifests and tool-call arguments all go through
//! [`parse`], so the rules below hold for every JSON text the extension reads.
//!
//! serde_json does the lexing (UTF-8, escapes, lone surrogates, numbers);
//! this module adds what RFC 8259 §4 leaves open and RFC 7515 §4 / RFC 7519 §4
//! and RFC 8725 §3.2 ask of a careful parser:
//!
//! * a member name given twice refuses the whole document, also when the two
//!   spellings only differ by escapes (`"aud"` and `"a\u0075d"`), so serde's
//!   last-wins never decides which `aud` or which `writes_enabled` counts;
//! * nesting is bounded by the caller (an array or object is one level; a
//!   document nested deeper is refused when the parser reaches the level past
//!   the bound, before it builds anything there); serde_json's own recursion
//!   guard (128 levels) stays behind it as a backstop;
//! * anything after the document other than whitespace is refused;
//! * a number without fraction or exponent that fits an `i64` stays an
//!   integer; any other finite number is an `f64`; a number outside the `f64`
//!   range (`1e400`) is refused.
//!
//! Each concept keeps its own value type (JWT objects keep member order for
//! signing, policy values distinguish lists for their limits): the type says
//! how to build itself through [`Build`], and the parser calls it.

pub mod view;

use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// How a concept builds its own value type from what [`parse`] read.
pub trait Build: Sized {
    /// `null`.
    fn null() -> Self;
    /// `true` / `false`.
    fn bool(b: bool) -> Self;
    /// A number written without fraction or exponent that fits an `i64`.
    fn int(i: i64) -> Self;
    /// Any other (finite) number.
    fn float(x: f64) -> Self;
    /// A string (valid UTF-8, escapes resolved).
    fn string(s: String) -> Self;
    /// An array.
    fn array(items: Vec<Self>) -> Self;
    /// An object, members in document order; the names are unique (the
    /// parser has refused the document otherwise).
    fn object(members: Vec<(String, Self)>) -> Self;
}

/// Why a document was refused (or could not be written): the one JSON
/// error of mcp_guard. Callers that must not say more than "not acceptable"
/// (JWT) drop the detail.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonError {
    /// Not one JSON document: bad syntax, not UTF-8, a lone surrogate escape,
    /// a number out of range, or trailing data.
    Syntax {
        /// Line of the problem (1-based).
        line: usize,
        /// Column of the problem (1-based).
        column: usize,
    },
    /// Nested deeper than the caller's bound.
    TooDeep {
        /// Line where the level past the bound opens.
        line: usize,
        /// Column where the level past the bound opens.
        column: usize,
    },
    /// An object has the same member name twice (after unescaping).
    DuplicateKey {
        /// The name given twice.
        key: String,
    },
    /// A well-formed document of another kind than the caller needs (an
    /// array where an object must be).
    WrongKind,
    /// A value could not be written as JSON.
    Unwritable,
}

/// Parses one JSON document strictly (see the module documentation) into
/// `V`, refusing nesting deeper than `max_depth` arrays/objects. The caller
/// bounds the input's size first.
pub fn parse<V: Build>(input: &[u8], max_depth: usize) -> Result<V, JsonError> {
    let stop = Cell::new(None);
    let mut de = serde_json::Deserializer::from_slice(input);
    let seed = Seed {
        depth: 0,
        max_depth,
        stop: &stop,
        out: PhantomData,
    };
    let parsed = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    parsed.map_err(|e| match stop.take() {
        Some(Stop::TooDeep) => JsonError::TooDeep {
            line: e.line(),
            column: e.column(),
        },
        Some(Stop::Duplicate(key)) => JsonError::DuplicateKey { key },
        None => JsonError::Syntax {
            line: e.line(),
            column: e.column(),
        },
    })
}

/// Why the visitor stopped, kept beside serde's error (whose message we
/// never parse).
enum Stop {
    TooDeep,
    Duplicate(String),
}

struct Seed<'a, V> {
    /// Arrays/objects around the value being read.
    depth: usize,
    max_depth: usize,
    stop: &'a Cell<Option<Stop>>,
    out: PhantomData<fn() -> V>,
}

impl<'a, V> Seed<'a, V> {
    /// The seed for the members of a container opened here, or the refusal
    /// when that container is one level too deep.
    fn enter<E: de::Error>(&self) -> Result<Seed<'a, V>, E> {
        let depth = self.depth.saturating_add(1);
        if depth > self.max_depth {
            self.stop.set(Some(Stop::TooDeep));
            return Err(E::custom("nesting too deep"));
        }
        Ok(Seed {
            depth,
            max_depth: self.max_depth,
            stop: self.stop,
            out: PhantomData,
        })
    }
}

impl<'de, V: Build> DeserializeSeed<'de> for Seed<'_, V> {
    type Value = V;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<V, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, V: Build> Visitor<'de> for Seed<'_, V> {
    type Value = V;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<V, E> {
        Ok(V::null())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V, E> {
        Ok(V::bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V, E> {
        Ok(V::int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V, E> {
        // Above i64::MAX: not an integer anyone here can hold; keep it a
        // number so an integer check refuses it.
        Ok(i64::try_from(v).map_or_else(|_| V::float(v as f64), V::int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V, E> {
        Ok(V::float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V, E> {
        Ok(V::string(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V, E> {
        Ok(V::string(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<V, A::Error> {
        let inner = self.enter()?;
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(inner.again())? {
            items.push(v);
        }
        Ok(V::array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<V, A::Error> {
        let inner = self.enter()?;
        let mut members: Vec<(String, V)> = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            let value = map.next_value_seed(inner.again())?;
            members.push((name, value));
        }
        if let Some(key) = first_duplicate(&members) {
            self.stop.set(Some(Stop::Duplicate(key.to_owned())));
            return Err(de::Error::custom("duplicate member"));
        }
        Ok(V::object(members))
    }
}

impl<'a, V> Seed<'a, V> {
    fn again(&self) -> Seed<'a, V> {
        Seed {
            depth: self.depth,
            max_depth: self.max_depth,
            stop: self.stop,
            out: PhantomData,
        }
    }
}

/// The first name (in document order) that an earlier member already has.
fn first_duplicate<V>(members: &[(String, V)]) -> Option<&str> {
    // Claims, headers and JWKs have a handful of members: comparing with the
    // earlier ones costs less than hashing.
    if members.len() <= 16 {
        members.iter().enumerate().find_map(|(i, (k, _))| {
            members
                .get(..i)
                .is_some_and(|before| before.iter().any(|(b, _)| b == k))
                .then_some(k.as_str())
        })
    } else {
        let mut seen: HashSet<&str> = HashSet::with_capacity(members.len());
        members
            .iter()
            .map(|(k, _)| k.as_str())
            .find(|k| !seen.insert(k))
    }
}

/// A value type of the tests' own, so that the reader's and the walk's
/// rules are tested apart from any concept's type.
#[cfg(test)]
pub(crate) mod testing {
    use super::Build;

    /// Every JSON kind, members in order.
    #[derive(Debug, Clone, PartialEq)]
    pub enum T {
        Null,
        Bool(bool),
        Int(i64),
        Float(f64),
        Str(String),
        Arr(Vec<T>),
        Obj(Vec<(String, T)>),
    }

    impl Build for T {
        fn null() -> Self {
            T::Null
        }
        fn bool(b: bool) -> Self {
            T::Bool(b)
        }
        fn int(i: i64) -> Self {
            T::Int(i)
        }
        fn float(x: f64) -> Self {
            T::Float(x)
        }
        fn string(s: String) -> Self {
            T::Str(s)
        }
        fn array(items: Vec<Self>) -> Self {
            T::Arr(items)
        }
        fn object(members: Vec<(String, Self)>) -> Self {
            T::Obj(members)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::T;
    use super::*;

    fn p(text: &[u8]) -> Result<T, JsonError> {
        parse(text, 16)
    }

    fn syntax(text: &[u8]) -> bool {
        matches!(p(text), Err(JsonError::Syntax { .. }))
    }

    #[test]
    fn parses_every_kind_in_order() {
        assert_eq!(
            p(br#"{"z":[1,2.5,"x",null,true],"a":{}}"#).unwrap(),
            T::Obj(vec![
                (
                    "z".into(),
                    T::Arr(vec![
                        T::Int(1),
                        T::Float(2.5),
                        T::Str("x".into()),
                        T::Null,
                        T::Bool(true)
                    ])
                ),
                ("a".into(), T::Obj(vec![]))
            ])
        );
        assert_eq!(p(b" \"\\u00e9\" ").unwrap(), T::Str("é".into()));
    }

    #[test]
    fn numbers() {
        assert_eq!(p(b"9223372036854775807").unwrap(), T::Int(i64::MAX));
        assert_eq!(p(b"-9223372036854775808").unwrap(), T::Int(i64::MIN));
        // Past i64 (and past u64): a number, never a wrapped integer.
        assert_eq!(
            p(b"9223372036854775808").unwrap(),
            T::Float(9_223_372_036_854_775_808.0)
        );
        assert!(matches!(p(b"18446744073709551615").unwrap(), T::Float(_)));
        assert!(matches!(
            p(b"123456789012345678901234567890").unwrap(),
            T::Float(_)
        ));
        assert!(matches!(p(b"-9223372036854775809").unwrap(), T::Float(_)));
        assert_eq!(p(b"1.0").unwrap(), T::Float(1.0));
        assert_eq!(p(b"1e2").unwrap(), T::Float(100.0));
        // -0 is not an integer (it would lose its sign): a float -0.0.
        match p(b"-0").unwrap() {
            T::Float(x) => assert!(x == 0.0 && x.is_sign_negative()),
            other => panic!("-0 parsed as {other:?}"),
        }
        // Outside the f64 range: refused, never infinity.
        assert!(syntax(b"1e400"));
        assert!(syntax(b"-1e400"));
        assert!(syntax(b"[1e400]"));
        for bad in [
            &b"NaN"[..],
            b"Infinity",
            b"01",
            b"1.",
            b".5",
            b"+1",
            b"0x10",
        ] {
            assert!(syntax(bad), "{bad:?}");
        }
    }

    #[test]
    fn refuses_duplicate_members_at_any_depth_and_size() {
        assert_eq!(
            p(br#"{"w":false,"w":true}"#).unwrap_err(),
            JsonError::DuplicateKey { key: "w".into() }
        );
        assert!(matches!(
            p(br#"{"x":[{"k":1,"k":2}]}"#),
            Err(JsonError::DuplicateKey { .. })
        ));
        // The same name spelled with escapes is the same name.
        assert_eq!(
            p(br#"{"aud":"a","a\u0075d":"b"}"#).unwrap_err(),
            JsonError::DuplicateKey { key: "aud".into() }
        );
        assert!(p(br#"{"\/":1,"/":2}"#).is_err());
        assert!(p("{\"\\u00e9\":1,\"é\":2}".as_bytes()).is_err());
        // Different names that only look alike are different.
        assert!(p(br#"{"a":1,"A":2,"a ":3}"#).is_ok());
        // Small and large objects (both ways of checking), the same name in
        // two objects is fine.
        for n in [3, 16, 17, 200] {
            let many: String = (0..n).map(|i| format!("\"k{i}\":1,")).collect();
            assert_eq!(
                p(format!("{{{many}\"k2\":2}}").as_bytes()).unwrap_err(),
                JsonError::DuplicateKey { key: "k2".into() },
                "{n}"
            );
            assert!(p(format!("{{{many}\"z\":2}}").as_bytes()).is_ok());
        }
        assert!(p(br#"[{"a":1},{"a":2}]"#).is_ok());
    }

    #[test]
    fn bounds_nesting_by_the_callers_limit() {
        for max in [1, 8, 16, 40] {
            let ok = format!("{}{}", "[".repeat(max), "]".repeat(max));
            assert!(parse::<T>(ok.as_bytes(), max).is_ok(), "{max}");
            let deep = format!("{}{}", "[".repeat(max + 1), "]".repeat(max + 1));
            assert!(
                matches!(
                    parse::<T>(deep.as_bytes(), max),
                    Err(JsonError::TooDeep { .. })
                ),
                "{max}"
            );
            let objs = format!("{}1{}", r#"{"a":"#.repeat(max + 1), "}".repeat(max + 1));
            assert!(matches!(
                parse::<T>(objs.as_bytes(), max),
                Err(JsonError::TooDeep { .. })
            ));
        }
        // Scalars are not a level.
        assert!(parse::<T>(b"1", 0).is_ok());
        assert!(parse::<T>(b"[]", 0).is_err());
        // Unclosed and absurdly deep: refused at the bound, no stack overflow.
        let text = "[".repeat(100_000);
        assert!(matches!(p(text.as_bytes()), Err(JsonError::TooDeep { .. })));
        // Even with a bound past serde_json's own guard.
        assert!(parse::<T>(text.as_bytes(), usize::MAX).is_err());
    }

    #[test]
    fn refuses_trailing_data_and_bad_text() {
        assert!(p(b"{} ").is_ok());
        assert!(syntax(b"{} {}"));
        assert!(syntax(b"{\"a\":1}x"));
        assert!(syntax(b"1 2"));
        assert!(syntax(b"{\"a\":1}\0"));
        assert!(syntax(b""));
        assert!(syntax(b"   "));
        assert!(syntax(b"{\"a\":1,}"));
        assert!(syntax(b"[1,]"));
        assert!(syntax(b"{'a':1}"));
        // Not UTF-8, raw or as a member name.
        assert!(syntax(b"\xff"));
        assert!(syntax(b"{\"a\":\"\xff\"}"));
        assert!(syntax(b"{\"\xc3\":1}"));
        // Lone surrogates, alone or in a name; a valid pair is fine.
        assert!(syntax(br#"{"a":"\ud800"}"#));
        assert!(syntax(br#""\udc00""#));
        assert!(syntax(br#"{"\ud800":1}"#));
        assert_eq!(p(br#""\ud83d\ude00""#).unwrap(), T::Str("😀".into()));
        // Control characters must be escaped.
        assert!(syntax(b"\"a\nb\""));
    }
}
