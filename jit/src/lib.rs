//! Tier 1 of hartvm: RISC-V traces translated to host code with Cranelift.
//!
//! A trace (see [`trace`]) starts at a guest physical address and follows
//! the likely path through its page: through conditional branches (taken
//! ones leave through side exits), direct jumps, and indirect jumps to
//! where they went before (checked), up to an indirect jump it cannot
//! predict, an instruction only the interpreter runs, or the page end. The
//! generated code works on a context structure owned by the runtime,
//! described by [`ContextLayout`], and calls back into the runtime through
//! [`Helpers`] for TLB misses and for instructions it does not inline.
//!
//! Translations are shared by all vCPUs of a VM through a [`CodeCache`],
//! keyed by physical pc and [`Mode`]. Exits chain directly to the next
//! translation through per-exit slots, or through a per-vCPU jump cache
//! for indirect jumps.
#![deny(missing_docs)]

pub mod abi;
mod cache;
mod codemem;
mod compiler;
mod emit;
pub mod host_fp;
mod ram_checks;
pub mod trace;

pub use abi::{ContextLayout, Helpers, JumpEntry, JumpRecord, Mode, RamLayout, TlbLayout};
pub use cache::{CacheStats, CodeCache, CodeSource, Generation, Status, Symbolizer, Translation};
pub use compiler::{CompileError, Compiler};
pub use emit::Target;
pub use trace::JumpTargets;
