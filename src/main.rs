//! The `mglint` binary: everything happens in the library.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    mglint::cli::run()
}
