//! The audit chain verifier and the record reader on arbitrary input:
//! never a panic; a record the reader accepts is exactly what the writer
//! writes for it; arbitrary rows are never all accepted unless they are a
//! real chain; and one flipped byte anywhere in a real chain is named at its
//! own row.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_guard::core::audit::chain::{self, Head, Verifier};
use mcp_guard::core::audit::{record, Event, EventType};
use mcp_guard::core::digest;

fuzz_target!(|data: &[u8]| {
    // 1. The input as a record.
    if let Ok(v) = record::read(data) {
        assert_eq!(
            record::write(&v.to_event(), v.seq, &v.prev).as_bytes(),
            data,
            "an accepted record is canonical"
        );
    }

    // 2. The input as rows: `record 0xfe hash`, rows split by 0xff, seq by
    // position (a first byte 0x00 shifts seqs by one, to reach `missing`).
    let shift = u64::from(data.first() == Some(&0));
    let mut v = Verifier::new(None);
    let mut last_hash: &[u8] = b"";
    let mut rows = 0u64;
    for (i, row) in data.split(|&b| b == 0xff).enumerate() {
        let mut parts = row.splitn(2, |&b| b == 0xfe);
        let rec = parts.next().unwrap_or_default();
        let hash = parts.next().unwrap_or_default();
        let seq = i as u64 + 1 + shift;
        if v.feed(seq, rec, hash).is_err() {
            // Broken stays broken.
            assert!(v.feed(seq + 1, rec, hash).is_err());
            break;
        }
        last_hash = hash;
        rows = seq;
    }
    let _ = v.finish(Some(Head { seq: rows, hash: last_hash, mac: None }));

    // 3. A real chain from the input's bytes, one byte flipped at a place
    // the input picks: named at that row.
    let n = usize::from(data.first().copied().unwrap_or(3) % 6) + 1;
    let mut links = Vec::new();
    let mut prev: Option<digest::Hash> = None;
    for i in 0..n {
        let kind = EventType::ALL[usize::from(data.get(i).copied().unwrap_or(0)) % EventType::ALL.len()];
        let mut e = Event::new(kind, u64::from(data.get(i + 1).copied().unwrap_or(0))).unwrap();
        if let Some(p) = data.get(i + 2..i + 10) {
            let _ = e.set_principal(p);
        }
        let l = chain::link(&e, i as u64 + 1, prev.as_ref()).unwrap();
        prev = Some(l.hash);
        links.push((l.record.into_bytes(), digest::hex(&l.hash).into_bytes()));
    }
    let pick = usize::from(data.get(1).copied().unwrap_or(0)) % n;
    let in_hash = data.get(2).is_some_and(|b| b & 1 == 1);
    let at = usize::from(data.get(3).copied().unwrap_or(0));
    let target = if in_hash { &mut links[pick].1 } else { &mut links[pick].0 };
    let at = at % target.len();
    target[at] ^= 1 << (data.get(4).copied().unwrap_or(0) % 8);
    let mut v = Verifier::new(None);
    for (i, (rec, hash)) in links.iter().enumerate() {
        if v.feed(i as u64 + 1, rec, hash).is_err() {
            break;
        }
    }
    let broken = v.broken().expect("a flipped byte goes unnoticed");
    assert_eq!(broken.seq, pick as u64 + 1, "{:?}", broken.reason);
});
