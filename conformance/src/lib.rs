//! hartvm's own conformance material.
//!
//! * The self-checking bare-metal guest programs under `conformance/guests/`
//!   are compiled by this crate's build script; [`guest_dir`] is where the
//!   resulting ELFs live (`<subdir>/<name>.elf`, e.g. `isa/rv64i/add.elf`).
//! * [`suite`] discovers riscv-tests-style ELFs, runs them in parallel with a
//!   runner supplied by the VMM, and reports the results (text and JUnit XML).
//!   It is what `hartvm test` uses.
#![deny(missing_docs)]

use std::path::PathBuf;

pub mod random;
pub mod suite;

/// The directory holding the compiled guest test programs of this crate
/// (`$OUT_DIR/guests`), laid out like `conformance/guests/` with `.elf`
/// files in place of the sources.
pub fn guest_dir() -> PathBuf {
    PathBuf::from(env!("OUT_DIR")).join("guests")
}
