//! Looking at a value without copying it, and the one walk that copies it.
//!
//! A [`View`] is anything the core can read as a JSON-like value in place:
//! the PHP binding implements it for PHP's own values (`Zval`, arrays), the
//! core implements it for the values it parsed itself. Decisions that only
//! need to look (a tool's argument check, a digest) read the view directly;
//! decisions that need an owned value build one through [`build`], the only
//! walk from a view into a core type.
//!
//! The walk applies one set of rules to every caller:
//!
//! * every limit of the [`Budget`] is checked *before* the thing it limits is
//!   copied or entered: a 64 MiB string costs a length comparison, a
//!   10 000-level array is refused at the level past the bound;
//! * an array whose keys are `0, 1, 2, …` in order is a list, any other is an
//!   object (integer keys become their decimal names). **The empty array is
//!   the empty list**, as PHP's `json_encode([])` writes `[]`; a caller that
//!   needs an object (a manifest, a claims set, a tool's arguments) accepts an
//!   empty list as the empty object, since PHP cannot write one otherwise;
//! * strings and keys must be UTF-8, floats finite; anything else (a PHP
//!   object, a resource, a NaN) is refused with a reason and the path to it.

use std::fmt;

/// What a value is, as far as the walk needs to know.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Node<'a> {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number (possibly not finite: the walk refuses those).
    Float(f64),
    /// A string, as bytes (possibly not UTF-8: the walk refuses those).
    Str(&'a [u8]),
    /// An array (list or object) of this many entries.
    Array(usize),
    /// Something no JSON value can be (a PHP object, a resource, a closure).
    Unsupported,
}

/// The key of one array entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key<'a> {
    /// An integer key (a list position, or an integer key of a PHP array).
    Index(i64),
    /// A string key, as bytes (possibly not UTF-8).
    Name(&'a [u8]),
}

/// A value that can be read in place.
pub trait View {
    /// The type of an array's entries (a PHP array's entries are zvals).
    type Child: View + ?Sized;

    /// What this value is.
    fn node(&self) -> Node<'_>;

    /// Calls `f` with every entry of an array, in order, and stops at the
    /// first error. A value that is not an array has no entries.
    fn entries<E>(&self, f: impl FnMut(Key<'_>, &Self::Child) -> Result<(), E>) -> Result<(), E>;

    /// The entry named `name` (an integer key is named by its decimal form,
    /// as the walk names it), looked up directly, for a view that keeps an
    /// index of its keys (a PHP array's hash table): `Some(Some(entry))`, or
    /// `Some(None)` when there is none. `None` when the view cannot look a
    /// key up (the default): read [`View::entries`] instead. A value that is
    /// not an array has no entry.
    fn lookup(&self, _name: &str) -> Option<Option<&Self::Child>> {
        None
    }
}

/// The limits of one walk. Each caller sets its own (a tool's arguments, a
/// manifest, a claims set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Total size: string and key bytes plus [`ENTRY_COST`] per scalar and per
    /// container entry.
    pub max_bytes: usize,
    /// Nesting depth; the outermost array is depth 1.
    pub max_depth: usize,
    /// Longest single string, in bytes.
    pub max_string_bytes: usize,
    /// Most entries in one array.
    pub max_items: usize,
    /// Longest key, in bytes.
    pub max_key_bytes: usize,
    /// Whether NaN and infinite floats pass (as floats). Only for a caller
    /// whose own checks refuse them with a better reason (a tool's typed
    /// fields say which number they expected); everywhere else they are
    /// refused, since no JSON text can hold them.
    pub allow_non_finite: bool,
}

/// Bytes charged per scalar and per container entry.
pub const ENTRY_COST: usize = 8;

/// Which limit a value went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// [`Limits::max_bytes`].
    Bytes,
    /// [`Limits::max_depth`].
    Depth,
    /// [`Limits::max_string_bytes`].
    StringBytes,
    /// [`Limits::max_items`].
    Items,
    /// [`Limits::max_key_bytes`].
    KeyBytes,
}

/// Why a value was refused by the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// Over one of the [`Limits`].
    TooLarge(Limit),
    /// A string value that is not UTF-8.
    NotUtf8String,
    /// A key that is not UTF-8.
    NotUtf8Key,
    /// A float that is NaN or infinite.
    NotFinite,
    /// Something no JSON value can be (a PHP object, a resource, …).
    Unsupported,
}

/// One step of a path into a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// An object key.
    Key(String),
    /// A list index.
    Index(usize),
}

/// Renders a path as a JSON Pointer (RFC 6901): `/seo/title`, `/tags/3`; the
/// empty path is `""`.
pub fn pointer(path: &[Segment]) -> String {
    let mut out = String::new();
    for seg in path {
        out.push('/');
        match seg {
            Segment::Key(k) => {
                for c in k.chars() {
                    match c {
                        '~' => out.push_str("~0"),
                        '/' => out.push_str("~1"),
                        c => out.push(c),
                    }
                }
            }
            Segment::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// A refusal of the walk: what, and where (outermost segment first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewError {
    problem: Problem,
    path: Vec<Segment>,
}

impl ViewError {
    /// A refusal of the value itself (empty path).
    pub fn new(problem: Problem) -> Self {
        Self {
            problem,
            path: Vec::new(),
        }
    }

    /// What was wrong.
    pub fn problem(&self) -> Problem {
        self.problem
    }

    /// Where, outermost first.
    pub fn path(&self) -> &[Segment] {
        &self.path
    }

    /// Where, as a JSON Pointer.
    pub fn pointer(&self) -> String {
        pointer(&self.path)
    }

    /// The same refusal, one level further out.
    pub fn within(mut self, seg: Segment) -> Self {
        self.path.insert(0, seg);
        self
    }
}

impl fmt::Display for ViewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.problem {
            Problem::TooLarge(_) => "the value is too large",
            Problem::NotUtf8String => "a string is not valid UTF-8",
            Problem::NotUtf8Key => "a key is not valid UTF-8",
            Problem::NotFinite => "a number is not finite",
            Problem::Unsupported => "a value is not a JSON value",
        };
        f.write_str(what)
    }
}

impl std::error::Error for ViewError {}

/// Counts what a walk costs and refuses before a limit is passed.
#[derive(Debug)]
pub struct Budget {
    limits: Limits,
    used: usize,
}

impl Budget {
    /// A fresh budget.
    pub fn new(limits: Limits) -> Self {
        Self { limits, used: 0 }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// What the walk has cost so far, in the units of [`Limits::max_bytes`].
    pub fn used(&self) -> usize {
        self.used
    }

    fn charge(&mut self, bytes: usize) -> Result<(), ViewError> {
        self.used = self.used.saturating_add(bytes);
        if self.used > self.limits.max_bytes {
            Err(ViewError::new(Problem::TooLarge(Limit::Bytes)))
        } else {
            Ok(())
        }
    }

    /// Before entering an array of `items` entries at `depth` (outermost = 1).
    pub fn container(&mut self, depth: usize, items: usize) -> Result<(), ViewError> {
        if depth > self.limits.max_depth {
            return Err(ViewError::new(Problem::TooLarge(Limit::Depth)));
        }
        if items > self.limits.max_items {
            return Err(ViewError::new(Problem::TooLarge(Limit::Items)));
        }
        self.charge(items.saturating_mul(ENTRY_COST))
    }

    /// Before copying (or reading) a string of `len` bytes.
    pub fn string(&mut self, len: usize) -> Result<(), ViewError> {
        if len > self.limits.max_string_bytes {
            return Err(ViewError::new(Problem::TooLarge(Limit::StringBytes)));
        }
        self.charge(len)
    }

    /// Before copying (or reading) a key of `len` bytes.
    pub fn key(&mut self, len: usize) -> Result<(), ViewError> {
        if len > self.limits.max_key_bytes {
            return Err(ViewError::new(Problem::TooLarge(Limit::KeyBytes)));
        }
        self.charge(len)
    }

    /// A scalar (null, bool, int, float).
    pub fn scalar(&mut self) -> Result<(), ViewError> {
        self.charge(ENTRY_COST)
    }
}

/// What the walk reports, in document order: a streaming consumer (a digest)
/// or a builder of owned values ([`Built`]). Every event has passed the
/// budget and the UTF-8 / finiteness rules before the sink sees it.
pub trait Sink {
    /// A scalar or string.
    fn scalar(&mut self, value: Scalar<'_>);
    /// An array of `len` entries opens; its entries follow, each as a
    /// [`Sink::key`] and then a value.
    fn open(&mut self, len: usize);
    /// The key of the next entry: `None` while the array is still a list
    /// (the key is the next position), else the entry's name.
    fn key(&mut self, name: Option<EntryKey<'_>>);
    /// The array opened last is complete; `list` is whether every key was
    /// its position (so the array is a list).
    fn close(&mut self, list: bool);
}

/// A scalar as the sink sees it (strings are valid UTF-8 here).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'a> {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A finite float.
    Float(f64),
    /// A UTF-8 string.
    Str(&'a str),
}

/// The key of an object entry as the sink sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKey<'a> {
    /// An integer key (its name is its decimal form).
    Index(i64),
    /// A UTF-8 name.
    Name(&'a str),
}

/// The one walk: reads `view` within `budget` and reports it to `sink`.
/// On a refusal the sink has seen a prefix of the value and must be dropped.
pub fn walk<V: View + ?Sized, S: Sink>(
    view: &V,
    budget: &mut Budget,
    sink: &mut S,
) -> Result<(), ViewError> {
    walk_at(view, 1, budget, sink)
}

fn walk_at<V: View + ?Sized, S: Sink>(
    view: &V,
    depth: usize,
    budget: &mut Budget,
    sink: &mut S,
) -> Result<(), ViewError> {
    match view.node() {
        Node::Null => {
            budget.scalar()?;
            sink.scalar(Scalar::Null);
        }
        Node::Bool(b) => {
            budget.scalar()?;
            sink.scalar(Scalar::Bool(b));
        }
        Node::Int(i) => {
            budget.scalar()?;
            sink.scalar(Scalar::Int(i));
        }
        Node::Float(x) => {
            budget.scalar()?;
            if !x.is_finite() && !budget.limits.allow_non_finite {
                return Err(ViewError::new(Problem::NotFinite));
            }
            sink.scalar(Scalar::Float(x));
        }
        Node::Str(bytes) => {
            budget.string(bytes.len())?;
            let s =
                std::str::from_utf8(bytes).map_err(|_| ViewError::new(Problem::NotUtf8String))?;
            sink.scalar(Scalar::Str(s));
        }
        Node::Array(len) => {
            budget.container(depth, len)?;
            sink.open(len);
            let mut position: i64 = 0;
            let mut list = true;
            view.entries(|key, child| {
                let seg = match key {
                    Key::Index(n) if list && n == position => {
                        sink.key(None);
                        None
                    }
                    Key::Index(n) => {
                        list = false;
                        budget.key(decimal_len(n))?;
                        sink.key(Some(EntryKey::Index(n)));
                        Some(EntryKey::Index(n))
                    }
                    Key::Name(bytes) => {
                        list = false;
                        budget.key(bytes.len())?;
                        let name = std::str::from_utf8(bytes)
                            .map_err(|_| ViewError::new(Problem::NotUtf8Key))?;
                        sink.key(Some(EntryKey::Name(name)));
                        // The path segment is only built on a refusal.
                        Some(EntryKey::Name(name))
                    }
                };
                let at = position;
                position = position.saturating_add(1);
                walk_at(child, depth + 1, budget, sink).map_err(|e| {
                    e.within(match seg {
                        None => Segment::Index(usize::try_from(at).unwrap_or(usize::MAX)),
                        Some(EntryKey::Index(n)) => Segment::Key(n.to_string()),
                        Some(EntryKey::Name(s)) => Segment::Key(s.to_owned()),
                    })
                })
            })?;
            sink.close(list);
        }
        Node::Unsupported => return Err(ViewError::new(Problem::Unsupported)),
    }
    Ok(())
}

/// Bytes of the decimal form of `n` (what an integer key costs as a name).
fn decimal_len(n: i64) -> usize {
    let mut len = usize::from(n < 0);
    let mut v = n.unsigned_abs();
    loop {
        len += 1;
        v /= 10;
        if v == 0 {
            return len;
        }
    }
}

/// A [`Sink`] that builds an owned value of any [`Build`](super::Build) type.
pub struct Built<B> {
    /// Open arrays, innermost last: entries so far, and the key of the entry
    /// being read (None while the array is a list).
    stack: Vec<Frame<B>>,
    done: Option<B>,
}

struct Frame<B> {
    items: Vec<(Option<String>, B)>,
    pending: Option<String>,
}

impl<B: super::Build> Default for Built<B> {
    fn default() -> Self {
        Self::new()
    }
}

impl<B: super::Build> Built<B> {
    /// An empty builder.
    pub fn new() -> Self {
        Self {
            stack: Vec::new(),
            done: None,
        }
    }

    fn push(&mut self, value: B) {
        match self.stack.last_mut() {
            Some(frame) => {
                let key = frame.pending.take();
                frame.items.push((key, value));
            }
            None => self.done = Some(value),
        }
    }

    /// The value built, once the walk succeeded.
    pub fn finish(self) -> Option<B> {
        self.done
    }
}

impl<B: super::Build> Sink for Built<B> {
    fn scalar(&mut self, value: Scalar<'_>) {
        let v = match value {
            Scalar::Null => B::null(),
            Scalar::Bool(b) => B::bool(b),
            Scalar::Int(i) => B::int(i),
            Scalar::Float(x) => B::float(x),
            Scalar::Str(s) => B::string(s.to_owned()),
        };
        self.push(v);
    }

    fn open(&mut self, len: usize) {
        self.stack.push(Frame {
            items: Vec::with_capacity(len),
            pending: None,
        });
    }

    fn key(&mut self, name: Option<EntryKey<'_>>) {
        if let Some(frame) = self.stack.last_mut() {
            frame.pending = name.map(|k| match k {
                EntryKey::Index(n) => n.to_string(),
                EntryKey::Name(s) => s.to_owned(),
            });
        }
    }

    fn close(&mut self, list: bool) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let value = if list {
            B::array(frame.items.into_iter().map(|(_, v)| v).collect())
        } else {
            // Entries read while the array still looked like a list keep
            // their positions as names.
            B::object(
                frame
                    .items
                    .into_iter()
                    .enumerate()
                    .map(|(i, (k, v))| (k.unwrap_or_else(|| i.to_string()), v))
                    .collect(),
            )
        };
        self.push(value);
    }
}

/// Builds an owned `B` from `view` within `budget`: the one conversion from a
/// viewed value (a PHP value) into a core type.
pub fn build<B: super::Build, V: View + ?Sized>(
    view: &V,
    budget: &mut Budget,
) -> Result<B, ViewError> {
    let mut sink = Built::new();
    walk(view, budget, &mut sink)?;
    sink.finish()
        .ok_or_else(|| ViewError::new(Problem::Unsupported))
}

/// A sink that keeps nothing: walking into it checks a value against a
/// budget and the rules without copying anything.
#[derive(Debug, Default)]
pub struct Measure;

impl Sink for Measure {
    fn scalar(&mut self, _value: Scalar<'_>) {}
    fn open(&mut self, _len: usize) {}
    fn key(&mut self, _name: Option<EntryKey<'_>>) {}
    fn close(&mut self, _list: bool) {}
}

/// Checks `view` against `budget` and the rules, copying nothing.
pub fn measure<V: View + ?Sized>(view: &V, budget: &mut Budget) -> Result<(), ViewError> {
    walk(view, budget, &mut Measure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::testing::T;

    /// A tiny in-memory view, shaped like a PHP array (any keys, any order).
    #[derive(Debug, Clone)]
    enum P {
        N,
        I(i64),
        F(f64),
        S(Vec<u8>),
        A(Vec<(K, P)>),
        O,
    }

    #[derive(Debug, Clone)]
    enum K {
        I(i64),
        S(Vec<u8>),
    }

    impl View for P {
        type Child = P;

        fn node(&self) -> Node<'_> {
            match self {
                P::N => Node::Null,
                P::I(i) => Node::Int(*i),
                P::F(x) => Node::Float(*x),
                P::S(s) => Node::Str(s),
                P::A(e) => Node::Array(e.len()),
                P::O => Node::Unsupported,
            }
        }

        fn entries<E>(&self, mut f: impl FnMut(Key<'_>, &Self) -> Result<(), E>) -> Result<(), E> {
            if let P::A(entries) = self {
                for (k, v) in entries {
                    let key = match k {
                        K::I(i) => Key::Index(*i),
                        K::S(s) => Key::Name(s),
                    };
                    f(key, v)?;
                }
            }
            Ok(())
        }
    }

    const L: Limits = Limits {
        max_bytes: 1000,
        max_depth: 3,
        max_string_bytes: 100,
        max_items: 10,
        max_key_bytes: 16,
        allow_non_finite: false,
    };

    fn list(items: Vec<P>) -> P {
        P::A(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (K::I(i as i64), v))
                .collect(),
        )
    }

    fn go(p: &P) -> Result<T, ViewError> {
        build(p, &mut Budget::new(L))
    }

    #[test]
    fn lists_objects_and_the_empty_array() {
        assert_eq!(go(&list(vec![])), Ok(T::Arr(vec![])));
        assert_eq!(
            go(&list(vec![P::I(1), P::S(b"x".to_vec()), P::N])),
            Ok(T::Arr(vec![T::Int(1), T::Str("x".into()), T::Null]))
        );
        // Keys out of order, a gap, or a name: an object; earlier list
        // entries keep their positions as names.
        let gap = P::A(vec![(K::I(0), P::I(1)), (K::I(2), P::I(2))]);
        assert_eq!(
            go(&gap),
            Ok(T::Obj(vec![
                ("0".into(), T::Int(1)),
                ("2".into(), T::Int(2))
            ]))
        );
        let named = P::A(vec![(K::I(0), P::I(1)), (K::S(b"a".to_vec()), P::F(2.5))]);
        assert_eq!(
            go(&named),
            Ok(T::Obj(vec![
                ("0".into(), T::Int(1)),
                ("a".into(), T::Float(2.5))
            ]))
        );
        let negative = P::A(vec![(K::I(-1), P::I(1))]);
        assert_eq!(go(&negative), Ok(T::Obj(vec![("-1".into(), T::Int(1))])));
        let _ = T::Bool(true);
    }

    #[test]
    fn refusals_carry_problem_and_path() {
        let bad_key = P::A(vec![(
            K::S(b"ok".to_vec()),
            P::A(vec![(K::S(vec![0xff]), P::N)]),
        )]);
        let e = go(&bad_key).unwrap_err();
        assert_eq!(e.problem(), Problem::NotUtf8Key);
        assert_eq!(e.pointer(), "/ok");
        let bad_str = list(vec![P::N, P::S(vec![0xc3])]);
        let e = go(&bad_str).unwrap_err();
        assert_eq!(
            (e.problem(), e.pointer()),
            (Problem::NotUtf8String, "/1".into())
        );
        let e = go(&list(vec![P::F(f64::NAN)])).unwrap_err();
        assert_eq!(e.problem(), Problem::NotFinite);
        let e = go(&list(vec![P::F(f64::INFINITY)])).unwrap_err();
        assert_eq!(e.problem(), Problem::NotFinite);
        let lenient = Limits {
            allow_non_finite: true,
            ..L
        };
        let inf = build::<T, _>(&P::F(f64::INFINITY), &mut Budget::new(lenient));
        assert_eq!(inf, Ok(T::Float(f64::INFINITY)));
        let e = go(&list(vec![P::O])).unwrap_err();
        assert_eq!(e.problem(), Problem::Unsupported);
        let slash = P::A(vec![(K::S(b"a/b".to_vec()), P::O)]);
        assert_eq!(go(&slash).unwrap_err().pointer(), "/a~1b");
    }

    #[test]
    fn limits_are_checked_before_copying() {
        let too_long = P::S(vec![b'a'; 101]);
        assert_eq!(
            go(&too_long).unwrap_err().problem(),
            Problem::TooLarge(Limit::StringBytes)
        );
        let deep = list(vec![list(vec![list(vec![list(vec![])])])]);
        assert_eq!(
            go(&deep).unwrap_err().problem(),
            Problem::TooLarge(Limit::Depth)
        );
        assert!(go(&list(vec![list(vec![list(vec![])])])).is_ok());
        let many = list(vec![P::N; 11]);
        assert_eq!(
            go(&many).unwrap_err().problem(),
            Problem::TooLarge(Limit::Items)
        );
        let long_key = P::A(vec![(K::S(vec![b'k'; 17]), P::N)]);
        assert_eq!(
            go(&long_key).unwrap_err().problem(),
            Problem::TooLarge(Limit::KeyBytes)
        );
        let big_int_key = P::A(vec![(K::I(i64::MIN), P::N)]);
        assert_eq!(
            go(&big_int_key).unwrap_err().problem(),
            Problem::TooLarge(Limit::KeyBytes)
        );
        // Ten strings of 100 bytes go over the 1000-byte total.
        let total = list(vec![P::S(vec![b'a'; 100]); 10]);
        assert_eq!(
            go(&total).unwrap_err().problem(),
            Problem::TooLarge(Limit::Bytes)
        );
        assert!(measure(&total, &mut Budget::new(L)).is_err());
        assert!(measure(&list(vec![P::I(1)]), &mut Budget::new(L)).is_ok());
    }

    #[test]
    fn decimal_lengths() {
        assert_eq!(decimal_len(0), 1);
        assert_eq!(decimal_len(9), 1);
        assert_eq!(decimal_len(10), 2);
        assert_eq!(decimal_len(-1), 2);
        assert_eq!(decimal_len(i64::MIN), 20);
        assert_eq!(decimal_len(i64::MAX), 19);
    }
}
