//! Randomness, injected: production code passes [`SystemRng`] (the operating
//! system's CSPRNG through ring), tests pass a deterministic source so that
//! issued tokens are exact.

/// The operating system could not provide random bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RngFailure;

impl std::fmt::Display for RngFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the system random generator failed")
    }
}

impl std::error::Error for RngFailure {}

/// A source of cryptographically secure random bytes.
pub trait SecureRandom {
    /// Fills `dest` entirely with random bytes, or fails without a partial result
    /// being used.
    fn fill(&self, dest: &mut [u8]) -> Result<(), RngFailure>;
}

/// The operating system's CSPRNG (`getrandom(2)` on Linux), through ring.
#[derive(Debug)]
pub struct SystemRng(ring::rand::SystemRandom);

impl Default for SystemRng {
    fn default() -> Self {
        Self::new()
    }
}

impl SystemRng {
    /// A handle to the system generator; cheap to create.
    pub fn new() -> Self {
        Self(ring::rand::SystemRandom::new())
    }

    /// The same generator as ring's own trait, for ring's signing functions.
    pub fn as_ring(&self) -> &dyn ring::rand::SecureRandom {
        &self.0
    }
}

impl SecureRandom for SystemRng {
    fn fill(&self, dest: &mut [u8]) -> Result<(), RngFailure> {
        ring::rand::SecureRandom::fill(&self.0, dest).map_err(|_| RngFailure)
    }
}

/// Deterministic byte streams for tests and benchmarks. Never use it to issue a
/// real token: its output is predictable by design.
pub mod testing {
    use super::{RngFailure, SecureRandom};
    use std::cell::Cell;

    /// Yields `seed, seed+1, seed+2, ...` (wrapping) as bytes.
    #[derive(Debug)]
    pub struct CountingRng(Cell<u8>);

    impl CountingRng {
        /// A stream starting at `seed`.
        pub fn new(seed: u8) -> Self {
            Self(Cell::new(seed))
        }
    }

    impl SecureRandom for CountingRng {
        fn fill(&self, dest: &mut [u8]) -> Result<(), RngFailure> {
            for b in dest {
                let v = self.0.get();
                *b = v;
                self.0.set(v.wrapping_add(1));
            }
            Ok(())
        }
    }

    /// A generator that always fails, to test that failure is reported.
    #[derive(Debug, Default)]
    pub struct FailingRng;

    impl SecureRandom for FailingRng {
        fn fill(&self, _dest: &mut [u8]) -> Result<(), RngFailure> {
            Err(RngFailure)
        }
    }
}
