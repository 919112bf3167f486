//! No code: this crate holds the engine's tests that need the provider simulator (`tests/`), so
//! that `inbox-core` itself never depends on it, not even for its tests.
