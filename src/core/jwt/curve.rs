//! Public-key validation at key-set construction.
//!
//! ring checks a public key only when a signature is verified with it
//! (`UnparsedPublicKey` defers the parse), so a broken EC or Ed25519 key would
//! load and then fail every token as `bad_signature`. These checks run once,
//! when the key set is built, and refuse the key as `invalid_key` instead:
//!
//! * P-256 / P-384: `x` and `y` are below the field prime and `(x, y)` is on
//!   the curve `y² = x³ − 3x + b` (SEC 1 v2 §3.2.2.1 partial validation; the
//!   cofactor is 1, so a point on the curve is in the group);
//! * Ed25519: the 32 bytes decode to a point (RFC 8032 §5.1.3: `y < p`, the
//!   square root exists, `x = 0` only with sign bit 0) and the point is not of
//!   small order (`[8]A` is not the identity: with such a key a signature
//!   verifies for any message).
//!
//! Public data only, so the arithmetic is plain variable-time Montgomery
//! multiplication on 64-bit limbs; no secret ever goes through it.

/// Most limbs of a field element (P-384: 6 × 64 bits).
const MAX_LIMBS: usize = 6;

/// A field element or an integer, little-endian 64-bit limbs.
type Limbs<const N: usize> = [u64; N];

/// Parses hex digits (anything else is skipped) into little-endian limbs, at
/// compile time.
const fn hex<const N: usize>(s: &str) -> Limbs<N> {
    let bytes = s.as_bytes();
    let mut out = [0u64; N];
    let mut i = bytes.len();
    let mut nibble = 0usize;
    while i > 0 {
        i -= 1;
        let c = bytes[i];
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => 16,
        };
        if v < 16 && nibble / 16 < N {
            out[nibble / 16] |= (v as u64) << ((nibble % 16) * 4);
            nibble += 1;
        }
    }
    out
}

// Curve constants, big-endian hex (source: NIST FIPS 186-4 Appendix D.1.2.3
// for P-256 and D.1.2.4 for P-384; the same values as SEC 2 v2 §2.4.2, §2.5.1).
const P256_P: Limbs<4> =
    hex("ffffffff 00000001 00000000 00000000 00000000 ffffffff ffffffff ffffffff");
const P256_B: Limbs<4> =
    hex("5ac635d8 aa3a93e7 b3ebbd55 769886bc 651d06b0 cc53b0f6 3bce3c3e 27d2604b");
const P384_P: Limbs<6> = hex("ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff \
     ffffffff fffffffe ffffffff 00000000 00000000 ffffffff");
const P384_B: Limbs<6> = hex("b3312fa7 e23ee7e4 988e056b e3f82d19 181d9c6e fe814112 \
     0314088f 5013875a c656398d 8a2ed19d 2a85c8ed d3ec2aef");
// Ed25519 (RFC 8032 §5.1): p = 2^255 − 19, d = −121665/121666 mod p
// (37095705934669439343138083508754565189542113879843219016388785533085940283555
// in RFC 8032), and the square root of −1 used by §5.1.3, 2^((p−1)/4) mod p.
// The tests recompute d and sqrt(−1) from their definitions.
const ED25519_P: Limbs<4> =
    hex("7fffffff ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff ffffffed");
const ED25519_D: Limbs<4> =
    hex("52036cee 2b6ffe73 8cc74079 7779e898 00700a4d 4141d8ab 75eb4dca 135978a3");
const ED25519_SQRT_M1: Limbs<4> =
    hex("2b832480 4fc1df0b 2b4d0099 3dfbd7a7 2f431806 ad2fe478 c4ee1b27 4a0ea0b0");

fn lt<const N: usize>(a: &Limbs<N>, b: &Limbs<N>) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

fn add_raw<const N: usize>(a: &Limbs<N>, b: &Limbs<N>) -> (Limbs<N>, bool) {
    let mut out = [0u64; N];
    let mut carry = false;
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        let (s1, c1) = x.overflowing_add(*y);
        let (s2, c2) = s1.overflowing_add(u64::from(carry));
        *o = s2;
        carry = c1 || c2;
    }
    (out, carry)
}

fn sub_raw<const N: usize>(a: &Limbs<N>, b: &Limbs<N>) -> (Limbs<N>, bool) {
    let mut out = [0u64; N];
    let mut borrow = false;
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        let (d1, b1) = x.overflowing_sub(*y);
        let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
        *o = d2;
        borrow = b1 || b2;
    }
    (out, borrow)
}

fn small<const N: usize>(v: u64) -> Limbs<N> {
    let mut out = [0u64; N];
    if let Some(first) = out.first_mut() {
        *first = v;
    }
    out
}

fn bit<const N: usize>(e: &Limbs<N>, i: usize) -> bool {
    e.get(i / 64).is_some_and(|l| (l >> (i % 64)) & 1 == 1)
}

/// Arithmetic modulo an odd prime `p < 2^(64N)`, elements in Montgomery form
/// (`a·R mod p`, `R = 2^(64N)`).
struct Field<const N: usize> {
    p: Limbs<N>,
    /// `−p⁻¹ mod 2^64`.
    n0: u64,
    /// `R² mod p`.
    rr: Limbs<N>,
}

impl<const N: usize> Field<N> {
    fn new(p: Limbs<N>) -> Self {
        let p0 = p.first().copied().unwrap_or(1);
        // Newton's iteration doubles the correct low bits: 1 → 64 in 6 steps.
        let mut inv: u64 = 1;
        for _ in 0..6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(p0.wrapping_mul(inv)));
        }
        let mut f = Self {
            p,
            n0: inv.wrapping_neg(),
            rr: small(1),
        };
        // R² mod p by doubling 1 (2 · 64N) times.
        let mut r = small(1);
        for _ in 0..2 * 64 * N {
            r = f.add(&r, &r);
        }
        f.rr = r;
        f
    }

    fn add(&self, a: &Limbs<N>, b: &Limbs<N>) -> Limbs<N> {
        let (s, carry) = add_raw(a, b);
        if carry || !lt(&s, &self.p) {
            sub_raw(&s, &self.p).0
        } else {
            s
        }
    }

    fn sub(&self, a: &Limbs<N>, b: &Limbs<N>) -> Limbs<N> {
        let (d, borrow) = sub_raw(a, b);
        if borrow {
            add_raw(&d, &self.p).0
        } else {
            d
        }
    }

    fn neg(&self, a: &Limbs<N>) -> Limbs<N> {
        self.sub(&[0u64; N], a)
    }

    /// Montgomery product `a·b·R⁻¹ mod p` (CIOS).
    fn mul(&self, a: &Limbs<N>, b: &Limbs<N>) -> Limbs<N> {
        // N + 2 words of accumulator; MAX_LIMBS bounds N.
        let mut t = [0u64; MAX_LIMBS + 2];
        for bi in b {
            let mut carry: u64 = 0;
            for (tj, aj) in t.iter_mut().zip(a) {
                let s = u128::from(*tj) + u128::from(*aj) * u128::from(*bi) + u128::from(carry);
                *tj = s as u64;
                carry = (s >> 64) as u64;
            }
            let s = u128::from(t.get(N).copied().unwrap_or(0)) + u128::from(carry);
            if let Some(w) = t.get_mut(N) {
                *w = s as u64;
            }
            if let Some(w) = t.get_mut(N + 1) {
                *w = (s >> 64) as u64;
            }
            let m = t.first().copied().unwrap_or(0).wrapping_mul(self.n0);
            let mut carry: u64 = 0;
            for j in 0..N {
                let tj = t.get(j).copied().unwrap_or(0);
                let pj = self.p.get(j).copied().unwrap_or(0);
                let s = u128::from(tj) + u128::from(m) * u128::from(pj) + u128::from(carry);
                carry = (s >> 64) as u64;
                if j > 0 {
                    if let Some(w) = t.get_mut(j - 1) {
                        *w = s as u64;
                    }
                }
            }
            let s = u128::from(t.get(N).copied().unwrap_or(0)) + u128::from(carry);
            if let Some(w) = t.get_mut(N - 1) {
                *w = s as u64;
            }
            let top = t.get(N + 1).copied().unwrap_or(0) + (s >> 64) as u64;
            if let Some(w) = t.get_mut(N) {
                *w = top;
            }
        }
        let mut out = [0u64; N];
        for (o, w) in out.iter_mut().zip(t.iter()) {
            *o = *w;
        }
        if t.get(N).copied().unwrap_or(0) != 0 || !lt(&out, &self.p) {
            out = sub_raw(&out, &self.p).0;
        }
        out
    }

    /// Into Montgomery form; `a < p` required.
    fn enter(&self, a: &Limbs<N>) -> Limbs<N> {
        self.mul(a, &self.rr)
    }

    /// Out of Montgomery form.
    fn leave(&self, a: &Limbs<N>) -> Limbs<N> {
        self.mul(a, &small(1))
    }

    fn one(&self) -> Limbs<N> {
        self.enter(&small(1))
    }

    /// `a^e` (a in Montgomery form, e a plain integer).
    fn pow(&self, a: &Limbs<N>, e: &Limbs<N>) -> Limbs<N> {
        let mut r = self.one();
        for i in (0..64 * N).rev() {
            r = self.mul(&r, &r);
            if bit(e, i) {
                r = self.mul(&r, a);
            }
        }
        r
    }
}

/// Big-endian bytes of exactly `8N` or fewer bytes into limbs; `None` if
/// longer.
fn from_be<const N: usize>(bytes: &[u8]) -> Option<Limbs<N>> {
    if bytes.len() > 8 * N {
        return None;
    }
    let mut out = [0u64; N];
    for (i, b) in bytes.iter().rev().enumerate() {
        let limb = out.get_mut(i / 8)?;
        *limb |= u64::from(*b) << ((i % 8) * 8);
    }
    Some(out)
}

fn on_weierstrass_curve<const N: usize>(p: Limbs<N>, b: Limbs<N>, x: &[u8], y: &[u8]) -> bool {
    let (Some(x), Some(y)) = (from_be::<N>(x), from_be::<N>(y)) else {
        return false;
    };
    if !lt(&x, &p) || !lt(&y, &p) {
        return false;
    }
    let f = Field::new(p);
    let (x, y, b) = (f.enter(&x), f.enter(&y), f.enter(&b));
    let three = f.enter(&small(3));
    let lhs = f.mul(&y, &y);
    let x3 = f.mul(&f.mul(&x, &x), &x);
    let rhs = f.add(&f.sub(&x3, &f.mul(&three, &x)), &b);
    lhs == rhs
}

/// Whether the uncompressed point `04 || x || y` is on P-256 (`coord` 32) or
/// P-384 (`coord` 48).
pub fn ec_point_is_valid(point: &[u8]) -> bool {
    let Some((&4, xy)) = point.split_first() else {
        return false;
    };
    let (x, y) = xy.split_at(xy.len() / 2);
    match xy.len() {
        64 => on_weierstrass_curve(P256_P, P256_B, x, y),
        96 => on_weierstrass_curve(P384_P, P384_B, x, y),
        _ => false,
    }
}

/// Whether 32 bytes are an Ed25519 public key we accept: a valid encoding of
/// a point (RFC 8032 §5.1.3) that is not of small order.
pub fn ed25519_key_is_valid(key: &[u8]) -> bool {
    let Ok(bytes) = <[u8; 32]>::try_from(key) else {
        return false;
    };
    let sign = bytes[31] >> 7;
    let mut le = bytes;
    le[31] &= 0x7f;
    let mut be = le;
    be.reverse();
    let Some(y) = from_be::<4>(&be) else {
        return false;
    };
    let p = ED25519_P;
    if !lt(&y, &p) {
        return false; // non-canonical encoding
    }
    let f = Field::new(p);
    let one = f.one();
    let d = f.enter(&ED25519_D);
    let y = f.enter(&y);
    let yy = f.mul(&y, &y);
    let u = f.sub(&yy, &one);
    let v = f.add(&f.mul(&d, &yy), &one);
    // RFC 8032 §5.1.3 step 2: x = u·v³·(u·v⁷)^((p−5)/8), then check v·x² = ±u.
    let v3 = f.mul(&f.mul(&v, &v), &v);
    let v7 = f.mul(&f.mul(&v3, &v3), &v);
    let mut e = sub_raw(&p, &small(5)).0;
    for _ in 0..3 {
        e = shr1(&e);
    }
    let mut x = f.mul(&f.mul(&u, &v3), &f.pow(&f.mul(&u, &v7), &e));
    let vxx = f.mul(&v, &f.mul(&x, &x));
    if vxx != u {
        if vxx != f.neg(&u) {
            return false; // no square root: not a point
        }
        x = f.mul(&x, &f.enter(&ED25519_SQRT_M1));
    }
    let x_plain = f.leave(&x);
    let x_is_zero = x_plain == [0u64; 4];
    if x_is_zero && sign == 1 {
        return false;
    }
    if !x_is_zero && (x_plain[0] & 1) as u8 != sign {
        x = f.neg(&x);
    }
    !small_order(&f, x, y)
}

fn shr1<const N: usize>(a: &Limbs<N>) -> Limbs<N> {
    let mut out = [0u64; N];
    let mut carry = 0u64;
    for (o, l) in out.iter_mut().zip(a.iter()).rev() {
        *o = (l >> 1) | (carry << 63);
        carry = l & 1;
    }
    out
}

/// Whether `[8](x, y)` is the identity on edwards25519 (`a = −1`): three
/// doublings in projective coordinates (the "dbl-2008-hwcd" formulas, which
/// do not need `d` and are complete on this curve because `d` is not a
/// square).
fn small_order(f: &Field<4>, x: Limbs<4>, y: Limbs<4>) -> bool {
    let (mut px, mut py, mut pz) = (x, y, f.one());
    for _ in 0..3 {
        let a = f.mul(&px, &px);
        let b = f.mul(&py, &py);
        let zz = f.mul(&pz, &pz);
        let c = f.add(&zz, &zz);
        let d = f.neg(&a);
        let s = f.add(&px, &py);
        let e = f.sub(&f.sub(&f.mul(&s, &s), &a), &b);
        let g = f.add(&d, &b);
        let ff = f.sub(&g, &c);
        let h = f.sub(&d, &b);
        px = f.mul(&e, &ff);
        py = f.mul(&g, &h);
        pz = f.mul(&ff, &g);
    }
    px == [0u64; 4] && py == pz
}

#[cfg(test)]
mod tests {
    use super::*;

    fn be(hex_str: &str) -> Vec<u8> {
        let digits: Vec<u8> = hex_str
            .bytes()
            .filter(u8::is_ascii_hexdigit)
            .map(|c| (c as char).to_digit(16).unwrap() as u8)
            .collect();
        digits.chunks(2).map(|c| c[0] << 4 | c[1]).collect()
    }

    fn point(x: &str, y: &str) -> Vec<u8> {
        let mut p = vec![4u8];
        p.extend(be(x));
        p.extend(be(y));
        p
    }

    // Base points (source: FIPS 186-4 Appendix D.1.2.3 and D.1.2.4).
    const P256_GX: &str = "6b17d1f2 e12c4247 f8bce6e5 63a440f2 77037d81 2deb33a0 f4a13945 d898c296";
    const P256_GY: &str = "4fe342e2 fe1a7f9b 8ee7eb4a 7c0f9e16 2bce3357 6b315ece cbb64068 37bf51f5";
    const P384_GX: &str =
        "aa87ca22 be8b0537 8eb1c71e f320ad74 6e1d3b62 8ba79b98 59f741e0 82542a38 \
                           5502f25d bf55296c 3a545e38 72760ab7";
    const P384_GY: &str =
        "3617de4a 96262c6f 5d9e98bf 9292dc29 f8f41dbd 289a147c e9da3113 b5f0b8c0 \
                           0a60b1ce 1d7e819d 7a431d7c 90ea0e5f";

    #[test]
    fn base_points_are_on_their_curves() {
        assert!(ec_point_is_valid(&point(P256_GX, P256_GY)));
        assert!(ec_point_is_valid(&point(P384_GX, P384_GY)));
    }

    #[test]
    fn points_off_the_curve_are_refused() {
        let mut g = point(P256_GX, P256_GY);
        *g.last_mut().unwrap() ^= 1;
        assert!(!ec_point_is_valid(&g));
        let mut g = point(P384_GX, P384_GY);
        g[10] ^= 0x80;
        assert!(!ec_point_is_valid(&g));
        // (0, 0), coordinates ≥ p, wrong prefix and lengths.
        assert!(!ec_point_is_valid(&[&[4u8][..], &[0; 64]].concat()));
        assert!(!ec_point_is_valid(&[&[4u8][..], &[0xff; 64]].concat()));
        let mut g = point(P256_GX, P256_GY);
        g[0] = 2;
        assert!(!ec_point_is_valid(&g));
        assert!(!ec_point_is_valid(&point(P256_GX, P256_GY)[..64]));
        assert!(!ec_point_is_valid(&[]));
    }

    #[test]
    fn y_is_negated_as_well() {
        // (x, p − y) is on the curve too.
        let p = be("ffffffff 00000001 00000000 00000000 00000000 ffffffff ffffffff ffffffff");
        let y = be(P256_GY);
        let mut ny = vec![0u8; 32];
        let mut borrow = 0i16;
        for i in (0..32).rev() {
            let d = i16::from(p[i]) - i16::from(y[i]) - borrow;
            borrow = i16::from(d < 0);
            ny[i] = (d + 256 * borrow) as u8;
        }
        let mut pt = vec![4u8];
        pt.extend(be(P256_GX));
        pt.extend(ny);
        assert!(ec_point_is_valid(&pt));
    }

    #[test]
    fn ed25519_keys() {
        // RFC 8032 §7.1 TEST 1 public key and the RFC 8037 A.1 key.
        let t1 = be("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assert!(ed25519_key_is_valid(&t1));
        let rfc8037 =
            crate::core::jwt::b64_decode(b"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo").unwrap();
        assert!(ed25519_key_is_valid(&rfc8037));
        // The identity (y = 1), the order-2 point (y = p − 1), y = 0 (order 4).
        let mut id = [0u8; 32];
        id[0] = 1;
        assert!(!ed25519_key_is_valid(&id));
        let mut minus_one = [0xffu8; 32];
        minus_one[0] = 0xec;
        minus_one[31] = 0x7f;
        assert!(!ed25519_key_is_valid(&minus_one));
        assert!(!ed25519_key_is_valid(&[0u8; 32]));
        // Non-canonical: y = p + 1 (≡ 1).
        let mut big = [0xffu8; 32];
        big[0] = 0xee;
        big[31] = 0x7f;
        assert!(!ed25519_key_is_valid(&big));
        // x = 0 with the sign bit set.
        let mut neg_zero = id;
        neg_zero[31] |= 0x80;
        assert!(!ed25519_key_is_valid(&neg_zero));
        assert!(!ed25519_key_is_valid(&t1[..31]));
    }

    #[test]
    fn ed25519_constants_are_what_they_are_defined_as() {
        let f = Field::new(ED25519_P);
        let d = f.enter(&ED25519_D);
        // d · 121666 = −121665
        assert_eq!(
            f.mul(&d, &f.enter(&small(121_666))),
            f.neg(&f.enter(&small(121_665)))
        );
        // sqrt(−1)² = −1, and it is 2^((p−1)/4).
        let i = f.enter(&ED25519_SQRT_M1);
        assert_eq!(f.mul(&i, &i), f.neg(&f.one()));
        let mut e = sub_raw(&ED25519_P, &small(1)).0;
        e = shr1(&shr1(&e));
        assert_eq!(f.leave(&f.pow(&f.enter(&small(2)), &e)), ED25519_SQRT_M1);
    }

    #[test]
    fn montgomery_arithmetic_agrees_with_plain_arithmetic() {
        let f = Field::new(P256_P);
        let a = small::<4>(123_456_789);
        let b = small::<4>(987_654_321);
        let prod = f.leave(&f.mul(&f.enter(&a), &f.enter(&b)));
        assert_eq!(prod, small(123_456_789u64 * 987_654_321));
        // Fermat: a^(p−1) = 1.
        let e = sub_raw(&P256_P, &small(1)).0;
        assert_eq!(f.leave(&f.pow(&f.enter(&a), &e)), small(1));
        let f = Field::new(P384_P);
        let e = sub_raw(&P384_P, &small(1)).0;
        assert_eq!(f.leave(&f.pow(&f.enter(&small(7)), &e)), small::<6>(1));
    }
}
