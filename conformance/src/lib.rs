//! hartvm's own conformance material.
//!
//! * The self-checking bare-metal guest programs under `conformance/guests/`
//!   are compiled by this crate's build script; [`guest_dir`] is where the
//!   resulting ELFs live (`<subdir>/<name>.elf`, e.g. `isa/rv64i/add.elf`).
//! * The self-checking S-mode SBI programs under `conformance/sbi/` (run by
//!   an SBI implementation: hartvm's, or OpenSBI under QEMU) are compiled
//!   too; [`sbi_guest_dir`] is where their ELFs live (`<name>.elf`).
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

/// The directory holding the compiled S-mode SBI guest programs
/// (`$OUT_DIR/sbi/<name>.elf`, from `conformance/sbi/<name>.c`). They are
/// linked at 0x8020_0000 and expect to be entered in S-mode with an SBI
/// implementation below them (`hartvm run --kernel`), so they are kept out
/// of [`guest_dir`], whose programs `hartvm test` runs as bare-metal ELFs.
pub fn sbi_guest_dir() -> PathBuf {
    PathBuf::from(env!("OUT_DIR")).join("sbi")
}
