//! Tests: graphs.
