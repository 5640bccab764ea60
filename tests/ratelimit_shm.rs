//! The shared-memory table is unmapped when it is dropped (the extension drops
//! it at module shutdown: tests/php/Extension/RateLimitShutdownTest.php checks
//! that through the real module).

use mcp_guard::core::ratelimit::shm::SharedSlots;

/// Whether `/proc/self/maps` has a mapping starting at `addr`.
fn mapped(addr: usize) -> bool {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    maps.lines().any(|l| {
        l.split('-')
            .next()
            .and_then(|s| usize::from_str_radix(s, 16).ok())
            == Some(addr)
    })
}

#[test]
fn dropping_the_table_unmaps_it() {
    let table = SharedSlots::map(4096).unwrap();
    // The mapping starts with the namespace directory, then the slots.
    let addr = table.directory().as_ptr() as usize;
    assert_eq!(table.slots().len(), 4096);
    assert_eq!(
        table.slots().as_ptr() as usize,
        addr + table.directory().len() * 16
    );
    assert!(mapped(addr), "the table is mapped");
    drop(table);
    assert!(!mapped(addr), "the table is unmapped after drop");
}
