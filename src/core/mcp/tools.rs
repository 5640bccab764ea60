//! Tool annotations (2026-07-28 schema `ToolAnnotations`; the same hints
//! exist in 2025-11-25) derived from the policy's tool class, so a tool's
//! hints can never say less than the policy enforces.
//!
//! | class | readOnlyHint | destructiveHint | idempotentHint | openWorldHint |
//! |---|---|---|---|---|
//! | `read` | true | false | true | false |
//! | `write` | false | false | false | false |
//! | `destructive` | false | true | false | false |
//!
//! `openWorldHint` is false for every class: a shop tool works on the
//! shop's own data, not on an open world of external entities. The hints
//! are hints for the client; the policy is what refuses.

use crate::core::policy::ToolClass;

/// The four behaviour hints of a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Annotations {
    /// `readOnlyHint`: the tool does not modify its environment.
    pub read_only: bool,
    /// `destructiveHint`: the tool may delete or overwrite.
    pub destructive: bool,
    /// `idempotentHint`: calling again with the same arguments has no
    /// further effect.
    pub idempotent: bool,
    /// `openWorldHint`: the tool reaches entities outside the server.
    pub open_world: bool,
}

/// The annotations of a tool of `class`.
pub const fn annotations(class: ToolClass) -> Annotations {
    match class {
        ToolClass::Read => Annotations {
            read_only: true,
            destructive: false,
            idempotent: true,
            open_world: false,
        },
        ToolClass::Write => Annotations {
            read_only: false,
            destructive: false,
            idempotent: false,
            open_world: false,
        },
        ToolClass::Destructive => Annotations {
            read_only: false,
            destructive: true,
            idempotent: false,
            open_world: false,
        },
    }
}

/// The class named `name` (`read`, `write`, `destructive`).
pub fn class_named(name: &[u8]) -> Option<ToolClass> {
    [ToolClass::Read, ToolClass::Write, ToolClass::Destructive]
        .into_iter()
        .find(|c| c.as_str().as_bytes() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_read_tools_are_read_only_and_only_destructive_ones_destructive() {
        let read = annotations(ToolClass::Read);
        assert!(read.read_only && read.idempotent && !read.destructive && !read.open_world);
        let write = annotations(ToolClass::Write);
        assert!(!write.read_only && !write.destructive && !write.idempotent && !write.open_world);
        let destructive = annotations(ToolClass::Destructive);
        assert!(!destructive.read_only && destructive.destructive && !destructive.idempotent);
        assert_eq!(class_named(b"destructive"), Some(ToolClass::Destructive));
        assert_eq!(class_named(b"Read"), None);
        assert_eq!(class_named(b""), None);
    }
}
