//! Tests: kb.
