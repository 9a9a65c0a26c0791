//! mglint: license compatibility along model derivation graphs.
//!
//! The pipeline is: [`graph::load`] reads inputs into a [`graph::Graph`] (collecting every
//! input error); [`checks::check`] resolves licenses against the [`kb::KnowledgeBase`],
//! runs the [`engine`] and turns what each node carries into findings; [`render`]
//! writes them. [`cli`] is the command line over these.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod checks;
pub mod cli;
pub mod engine;
pub mod error;
pub mod graph;
pub mod kb;
pub mod render;
pub mod source;
pub mod syntax;
