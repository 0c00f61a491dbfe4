//! The contract between generated code and the runtime that runs it: where
//! the hart's state lives, what the runtime's helpers look like, and what a
//! translation returns.

use hartvm_frontend::Inst;

/// A translation returns this when the next block is at the context's pc.
pub const EXIT_NEXT: u64 = 0;
/// The instruction at the context's pc needs the interpreter (a slow
/// memory path, a trap, a CSR or system instruction); nothing of it ran.
pub const EXIT_STEP: u64 = 1;
/// The translation was invalidated before it ran; look the pc up again.
pub const EXIT_STALE: u64 = 2;

/// What [`Helpers::exec_inst`] reports.
pub mod exec {
    /// The instruction retired; go on.
    pub const DONE: u64 = 0;
    /// The instruction did not run (it traps or needs the VMM): leave the
    /// translation with [`super::EXIT_STEP`] so the interpreter redoes it.
    pub const NOT_RUN: u64 = 1;
    /// The instruction retired but changed what later code may assume
    /// (it wrote translated code): leave the translation after it.
    pub const DONE_EXIT: u64 = 2;
}

/// Byte offsets, from the context pointer every translation receives, of
/// the fields generated code reads and writes. The runtime fills this in
/// with `offset_of!` on its own vCPU structure.
#[derive(Clone, Copy, Debug)]
pub struct ContextLayout {
    /// `[u64; 32]` integer registers (x0 is never written).
    pub x: i32,
    /// `[u64; 32]` FP registers, raw bits.
    pub f: i32,
    /// `u64` program counter: the entry pc on entry, the next pc on exit.
    pub pc: i32,
    /// `u64` instructions retired.
    pub instret: i32,
    /// `u64`: chained execution returns to the dispatcher once `instret`
    /// reaches this.
    pub stop_at: i32,
    /// `u64`: the current jump-cache key (fetch translation and mode).
    pub jump_key: i32,
    /// `*const JumpEntry`: the vCPU's jump cache ([`JUMP_CACHE_ENTRIES`]).
    pub jump_cache: i32,
    /// `*mut JumpRecord`: the vCPU's record of where its indirect jumps
    /// went ([`JUMP_RECORD_ENTRIES`]).
    pub jump_records: i32,
    /// `usize`: an exit whose chain slot is empty leaves the slot's address here.
    pub patch_slot: i32,
    /// `*const u8`: the vCPU's TLB (see [`TlbLayout`]).
    pub tlb: i32,
    /// `[u64; 3]`: chain hits, jump-cache hits, jump-cache misses.
    pub counters: i32,
    /// `u8`: the accrued FP exception flags (`fflags`, NX in bit 0).
    pub fflags: i32,
    /// `u8`: the dynamic rounding mode (`frm`, 0 = round to nearest even).
    pub frm: i32,
    /// `u64`: where a helper called through a shim leaves its result;
    /// between calls, the scratch word through which translations pass a
    /// value the optimizer must not see through.
    pub helper_out: i32,
    /// `[u64; 2]`: the arguments of [`Helpers::tlb_fill`].
    pub tlb_fill_args: i32,
}

/// Shape of the runtime's TLB: `levels` direct-mapped tables of `sets`
/// entries, indexed by virtual page number, each table stored field by
/// field (an array per field, entry `set` at element `set` of each).
#[derive(Clone, Copy, Debug)]
pub struct TlbLayout {
    /// Entries per level (a power of two).
    pub sets: u32,
    /// Bytes from one level's table to the next's.
    pub level_size: u32,
    /// Offset in a level of the `[u64; sets]` tags loads compare: the
    /// virtual page number when the entry allows loads, something no page
    /// number equals when it does not (or is empty).
    pub tag_read: i32,
    /// Offset of the tags stores compare, likewise; they also exclude
    /// pages whose stores must take the slow path (see
    /// [`RamLayout::page_flags`]), so translated code checks no page flags
    /// behind a TLB hit.
    pub tag_write: i32,
    /// Offset of the `[usize; sets]` host-address addends (host = addend
    /// + va).
    pub addend: i32,
}

/// Guest RAM as the host sees it; fixed for the life of a VM.
#[derive(Clone, Copy, Debug)]
pub struct RamLayout {
    /// Guest physical address of the first byte of RAM.
    pub base: u64,
    /// Bytes of RAM.
    pub size: u64,
    /// Host address of the first byte of RAM.
    pub host: usize,
    /// Host address of the per-page flag bytes (nonzero: stores take the
    /// slow path because the page holds code or a watched word).
    pub page_flags: usize,
}

/// Functions the runtime provides to generated code. Both take the
/// context pointer first.
#[derive(Clone, Copy, Debug)]
pub struct Helpers {
    /// Translates the access of `size` bytes at `va` (a load, or a store
    /// if `write`) and fills the TLB; returns the host address of `va`, or
    /// 0 if the access must take the interpreter's path (fault, device,
    /// code page, watched word). Its arguments are in the context,
    /// `[va, size << 1 | write]` at [`ContextLayout::tlb_fill_args`], not
    /// in registers: a call with fewer fixed registers disturbs the
    /// allocation of the hit path less.
    pub tlb_fill: extern "C" fn(ctx: *mut u8) -> usize,
    /// Executes one instruction with the interpreter's implementation, at
    /// `pc`, on the state in the context (see [`exec`] for the result).
    pub exec_inst: extern "C" fn(ctx: *mut u8, inst: *const Inst, pc: u64) -> u64,
    /// Computes an arithmetic F/D instruction from its operand values
    /// (`f[rs1]`, `f[rs2]`, `f[rs3]`, `x[rs1]`), accruing its flags, and
    /// returns the destination's new contents. Only called in modes where
    /// it cannot trap (see [`Mode::fp`]).
    /// FP register contents go as doubles (their bits, in host FP registers).
    pub fp: extern "C" fn(ctx: *mut u8, inst: *const Inst, f1: f64, f2: f64, f3: f64, x1: u64) -> u64,
    /// For an F/D operation, the address of a faster helper
    /// `extern "C" fn(ctx, a: f64, b: f64, c: f64, rm) -> u64` taking `f[rs1]`,
    /// `f[rs2]`, `f[rs3]` (as doubles: their bits) and the instruction's
    /// rounding-mode field, if there is one
    /// (for comparisons the result is for the integer register `rd`).
    pub fp_direct: fn(hartvm_frontend::Op) -> Option<usize>,
}

/// The slot of `pc` in a per-vCPU table of `entries` (a power of two)
/// indexed by guest pc, as translated code computes it: instructions are
/// 2-byte aligned, so bit 0 never tells two pcs apart.
#[inline(always)]
pub fn table_slot(pc: u64, entries: usize) -> usize {
    ((pc >> 1) as usize) & (entries - 1)
}

/// Entries in a vCPU's jump cache.
pub const JUMP_CACHE_ENTRIES: usize = 4096;

/// One jump-cache entry: the translation for virtual `pc` under `key`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JumpEntry {
    /// Virtual pc, or `u64::MAX` when empty.
    pub pc: u64,
    /// The jump key the entry was made under.
    pub key: u64,
    /// Entry point of the translation.
    pub code: usize,
    /// Unused; keeps entries a power of two in size.
    pub pad: usize,
}

impl JumpEntry {
    /// An entry that matches no pc.
    pub const EMPTY: JumpEntry = JumpEntry { pc: u64::MAX, key: u64::MAX, code: 0, pad: 0 };

    /// The slot for `pc` in a cache of [`JUMP_CACHE_ENTRIES`].
    #[inline(always)]
    pub fn index(pc: u64) -> usize {
        table_slot(pc, JUMP_CACHE_ENTRIES)
    }
}

/// Entries in a vCPU's record of indirect jumps.
pub const JUMP_RECORD_ENTRIES: usize = 1024;

/// Where an indirect jump (a `jalr` other than a return) last went. The
/// interpreter and translations write these as they jump; the compiler
/// reads them as predictions: a trace follows a recorded target and checks
/// that the jump goes there (see [`crate::trace::JumpTargets`]).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JumpRecord {
    /// Virtual pc of the `jalr`, or `u64::MAX` when empty.
    pub from: u64,
    /// Virtual pc it jumped to.
    pub to: u64,
}

impl JumpRecord {
    /// A record of no jump.
    pub const EMPTY: JumpRecord = JumpRecord { from: u64::MAX, to: 0 };

    /// The slot for the jump at `from` in a table of [`JUMP_RECORD_ENTRIES`].
    #[inline(always)]
    pub fn index(from: u64) -> usize {
        table_slot(from, JUMP_RECORD_ENTRIES)
    }

    /// Whether `inst` (a `jalr`) is a return, whose target translations
    /// take from the call they followed instead of from a record.
    pub fn is_return(inst: &Inst) -> bool {
        inst.rd == 0 && inst.imm == 0 && is_link(inst.rs1)
    }
}

/// Whether register `r` is one the calling convention links calls in
/// (`ra`, or `t0` for millicode).
pub fn is_link(r: u8) -> bool {
    r == 1 || r == 5
}

/// Everything about the hart's mode that changes how code is translated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Mode {
    /// TLB level used for loads and stores (0 U, 1 S, 2 M).
    pub tlb_level: u8,
    /// Loads and stores go straight to RAM (M-mode data accesses, no
    /// translation, no PMP entry binding M-mode).
    pub direct: bool,
    /// The FP unit is on and already dirty, and `frm` holds a valid
    /// rounding mode: FP instructions run inline and cannot trap (an
    /// invalid static rounding mode still ends the trace). The runtime
    /// [`reset`](crate::host_fp::reset)s the host FPU's accrued flags
    /// before entering translations for such a mode and folds what it
    /// [`take`](crate::host_fp::take)s into `fflags` after.
    pub fp: bool,
    /// With `fp`: `frm` is round-to-nearest-even, the host FPU's mode, so
    /// F and D arithmetic may run on the host FPU and leave its exception
    /// flags to accrue there (see [`crate::host_fp`]).
    pub fp_nearest: bool,
    /// Fetches are untranslated and unrestricted, so direct jumps may be
    /// chained across pages.
    pub cross_page: bool,
}

impl Mode {
    /// Bits in [`Mode::bits`].
    pub const BITS: u32 = 6;

    /// A compact encoding (distinct for distinct modes).
    pub fn bits(self) -> u8 {
        self.tlb_level
            | (self.direct as u8) << 2
            | (self.fp as u8) << 3
            | (self.cross_page as u8) << 4
            | (self.fp_nearest as u8) << 5
    }
}
