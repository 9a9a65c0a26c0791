//! The one integration test binary: every test module is a `mod` here.

mod ci;
mod cli;
mod docs;
mod families;
mod graphs;
mod importers;
mod input_errors;
mod kb;
mod props;
mod regressions;
mod rules;
mod schema;
mod seeing;
mod support;
