//! A random RISC-V (RV64GC + Zba/Zbb/Zbs/Zicond) program generator for
//! differential testing: two engines run the same program in lockstep and
//! must agree on every step. Programs are not checked against expected
//! values; they are built so that any correct implementation runs them to
//! the end, deterministically, whatever the random values turn out to be.
//!
//! # What a program does
//!
//! The hart starts in M-mode at [`RandomProgram::entry`] with every register
//! zero. The prologue installs the trap handlers, sets up PMP (locked entries
//! make the data region non-executable and a guard page inaccessible even to
//! M-mode), enables the FPU, optionally turns on Sv39 paging, seeds every
//! register with random and boundary values, and `mret`s into the body at
//! the chosen privilege ([`BodyMode`]). The body is [`GenConfig::blocks`]
//! random basic blocks; the epilogue stores [`EXIT_OK`] (1) to
//! [`RandomProgram::tohost`].
//!
//! Every trap goes to a handler that counts it (total and per cause, see
//! [`RandomProgram::trap_counter`] and [`RandomProgram::cause_counters`]) and
//! resumes after the faulting instruction (its length read from memory), or,
//! for instruction fetch faults (wild jumps), at the recovery address the
//! body put in `gp` just before jumping. After [`RandomProgram::trap_budget`]
//! traps the handler stores [`EXIT_BUDGET`] to `tohost` itself, so a
//! program always ends.
//!
//! # Memory layout (offsets from RAM base `0x8000_0000`)
//!
//! | offset | contents |
//! |---|---|
//! | `0x00000` | prologue, M- and S-mode trap handlers |
//! | `0x08000` | control page: `tohost`, trap counter, budget, handler save area, per-cause counters |
//! | `0x09000` | guard page (locked PMP entry, no access) |
//! | `0x0a000` | Sv39 page tables |
//! | `0x10000` | 64 KiB data region (random contents; loads, stores and atomics go here) |
//! | `0x20000` | the random blocks, leaf functions and the epilogue |
//!
//! # Registers
//!
//! `gp` (fetch-fault recovery address), `tp` (control page) and `s0`
//! (middle of the data region) belong to the harness: random instructions
//! read them but never write them. Loop counters and leaf-function link
//! registers are reserved while their loop or function runs.
//!
//! Behaviour that the ISA leaves to the implementation is avoided (PTEs have
//! A and D set unless [`GenConfig::hw_ad_updates`], SCs that must fail are an
//! SC right after an SC, nothing reads `time`), with the exceptions an
//! emulator of this kind fixes anyway: misaligned accesses (emulated or
//! trapped, both are fine as long as the two engines agree) and the exact
//! values of `cycle`/`instret` (see [`GenConfig::counters`]).

mod encode;

use std::ops::Range;

use encode::{fixed, opc, Asm, CWidth, Label, Reg};

/// Stored to `tohost` by the epilogue: the body ran to its end.
pub const EXIT_OK: u64 = 1;
/// Stored to `tohost` by a trap handler once the trap budget is spent.
pub const EXIT_BUDGET: u64 = 3;
/// Stored to `tohost` after an instruction fetch fault that no wild jump
/// planned (the recovery address was already used).
pub const EXIT_STRAY_FETCH: u64 = 5;
/// Stored to `tohost` by a trap handler that took an interrupt (none is
/// ever enabled).
pub const EXIT_INTERRUPT: u64 = 7;

/// Where RAM starts on hartvm's (and QEMU `virt`'s) machine.
const RAM_BASE: u64 = 0x8000_0000;

// Layout (offsets from RAM_BASE).
const CODE0_END: usize = 0x8000;
const CTRL: usize = 0x8000;
const GUARD: usize = 0x9000;
const PT_ROOT: usize = 0xa000;
const PT_L1: usize = 0xb000;
const PT_L0: usize = 0xc000;
const PT_WEIRD_L1: usize = 0xd000;
const PT_WEIRD_L0: usize = 0xe000;
const DATA: usize = 0x1_0000;
const DATA_SIZE: usize = 0x1_0000;
const BODY: usize = 0x2_0000;

// Control page fields (offsets from CTRL, reachable from `tp` with a 12-bit offset).
const TOHOST: i32 = 0x00;
const TRAP_COUNT: i32 = 0x10;
const BUDGET: i32 = 0x18;
const SAVE_M: i32 = 0x20;
const SAVE_S: i32 = 0x30;
const HIST_M: i32 = 0x100;
const HIST_S: i32 = 0x200;

/// Where the weird Sv39 mappings live (root entry 1): a misaligned
/// megapage, a write-only megapage, then 4 KiB pages of assorted validity.
const WEIRD_VA: u64 = 0x4000_0000;
/// The alias gigapage (root entry 3): the whole of RAM again, without execute.
const ALIAS_VA: u64 = 0xc000_0000;

// Registers.
const RA: Reg = 1;
const SP: Reg = 2;
const GP: Reg = 3;
const TP: Reg = 4;
const T0: Reg = 5;
const T1: Reg = 6;
const S0: Reg = 8;

const fn mask(regs: &[Reg]) -> u32 {
    let mut m = 0;
    let mut k = 0;
    while k < regs.len() {
        m |= 1 << regs[k];
        k += 1;
    }
    m
}

/// Never written by random instructions (x0 and the harness registers).
const RESERVED: u32 = mask(&[0, GP, TP, S0]);
/// Loop counters and link registers come from here (ra, t0, s1, s2..s11).
const LINK_POOL: u32 = mask(&[RA, T0, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]);
/// The only destinations of patchable code slots (t1, t2, a0..a7, t3..t6):
/// never loop counters or link registers, so a patched-in instruction can
/// never break the control flow around it.
const SLOT_POOL: u32 = mask(&[6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 28, 29, 30, 31]);
/// Registers the compressed formats' 3-bit fields can name.
const CREGS: u32 = 0xff00;

// CSR numbers.
const FFLAGS: u16 = 0x001;
const FRM: u16 = 0x002;
const FCSR: u16 = 0x003;
const SSTATUS_CSR: u16 = 0x100;
const STVEC: u16 = 0x105;
const SCOUNTEREN: u16 = 0x106;
const SSCRATCH: u16 = 0x140;
const SEPC: u16 = 0x141;
const SCAUSE: u16 = 0x142;
const SATP: u16 = 0x180;
const MSTATUS: u16 = 0x300;
const MEDELEG: u16 = 0x302;
const MTVEC: u16 = 0x305;
const MCOUNTEREN: u16 = 0x306;
const MSCRATCH: u16 = 0x340;
const MEPC: u16 = 0x341;
const MCAUSE: u16 = 0x342;
const PMPCFG0: u16 = 0x3a0;
const PMPADDR0: u16 = 0x3b0;
const MCYCLE: u16 = 0xb00;
const MINSTRET: u16 = 0xb02;
const CYCLE: u16 = 0xc00;
const INSTRET: u16 = 0xc02;
const MHARTID: u16 = 0xf14;

// Sv39 PTE bits.
const PTE_V: u64 = 1;
const PTE_R: u64 = 2;
const PTE_W: u64 = 4;
const PTE_X: u64 = 8;
const PTE_U: u64 = 16;
const PTE_A: u64 = 64;
const PTE_D: u64 = 128;

/// The privilege level the random body runs at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyMode {
    /// M-mode (only without paging: M-mode is never translated).
    Machine,
    /// S-mode.
    Supervisor,
    /// U-mode.
    User,
}

impl BodyMode {
    /// The mstatus.MPP encoding.
    fn mpp(self) -> u64 {
        match self {
            BodyMode::Machine => 3,
            BodyMode::Supervisor => 1,
            BodyMode::User => 0,
        }
    }
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenConfig {
    /// Number of random basic blocks in the body.
    pub blocks: usize,
    /// Run the body with Sv39 translation on (in S- or U-mode).
    pub paging: bool,
    /// The body's privilege; `None` lets the seed choose (M, S or U without
    /// paging; S or U with paging).
    pub mode: Option<BodyMode>,
    /// Also map some data pages with A or D clear, which relies on the
    /// hardware updating A/D (as hartvm does; an implementation that traps
    /// instead, as Svade allows, would run the program differently).
    pub hw_ad_updates: bool,
    /// Read (and sometimes write) `cycle`, `instret`, `mcycle` and
    /// `minstret`. hartvm counts exactly one per instruction, so two hartvm
    /// engines must agree on them; other implementations (QEMU, hardware)
    /// do not: turn this off to compare against those.
    pub counters: bool,
    /// Traps after which the handler ends the program; `None` picks a
    /// generous bound from the number of blocks.
    pub trap_budget: Option<u64>,
}

impl Default for GenConfig {
    fn default() -> GenConfig {
        GenConfig { blocks: 200, paging: false, mode: None, hw_ad_updates: false, counters: true, trap_budget: None }
    }
}

/// Counts of the generator's planted features (static: how often they
/// occur in the code, not how often they run).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GenStats {
    /// Jumps to non-executable or unmapped addresses (fetch faults).
    pub wild_jumps: usize,
    /// Stores of a new instruction over an existing one, each followed by `fence.i`.
    pub code_stores: usize,
    /// Bounded backward loops.
    pub loops: usize,
    /// Calls of leaf functions.
    pub calls: usize,
    /// Leaf functions.
    pub leaves: usize,
    /// Instructions chosen to trap (ecall, ebreak, illegal encodings, bad
    /// addresses, privilege violations, invalid rounding modes); loads and
    /// stores that fault on restricted pages come on top.
    pub planted_traps: usize,
}

/// A generated program: a flat image plus what a harness needs to run it.
#[derive(Clone, Debug)]
pub struct RandomProgram {
    /// The image, to be loaded at `load_addr`: code, data region and page
    /// tables (everything else in RAM starts zeroed).
    pub image: Vec<u8>,
    /// Load address of the image: the RAM base, `0x8000_0000`.
    pub load_addr: u64,
    /// Where the hart starts, in M-mode with all registers zero.
    pub entry: u64,
    /// The program ends by storing a nonzero u64 here: [`EXIT_OK`] at the
    /// end of the body, another odd value if it had to stop early.
    pub tohost: u64,
    /// Bytes of RAM the program needs (a multiple of 1 MiB).
    pub mem_size: u64,
    /// Number of random basic blocks generated.
    pub blocks: usize,
    /// The privilege the body runs at.
    pub mode: BodyMode,
    /// Whether the body runs with Sv39 translation on.
    pub paging: bool,
    /// Address of the u64 counting every trap the handlers took.
    pub trap_counter: u64,
    /// Address of 64 u64 counters: traps the M-mode handler took, indexed
    /// by cause (`mcause & 31`), then 32 for the S-mode handler.
    pub cause_counters: u64,
    /// Traps after which the handler ends the program (the trap counter
    /// then equals this value).
    pub trap_budget: u64,
    /// The random code (blocks, leaf functions, epilogue): the only code
    /// that stores into code modify.
    pub code: Range<u64>,
    /// The data region the loads, stores and atomics work on.
    pub data: Range<u64>,
    /// What the generator planted.
    pub stats: GenStats,
}

/// Generates the program for `seed`: the same seed and configuration
/// always give the same program.
///
/// # Panics
///
/// If `config` asks for paging with an M-mode body.
pub fn generate(seed: u64, config: &GenConfig) -> RandomProgram {
    let mut rng = Rng::new(seed);
    let mode = config.mode.unwrap_or_else(|| {
        if config.paging {
            rng.weighted(&[(60, BodyMode::Supervisor), (40, BodyMode::User)])
        } else {
            rng.weighted(&[(70, BodyMode::Machine), (15, BodyMode::Supervisor), (15, BodyMode::User)])
        }
    });
    assert!(!(config.paging && mode == BodyMode::Machine), "paging needs an S- or U-mode body");
    Gen::new(rng, config, mode).run()
}

// ---- randomness -------------------------------------------------------

/// SplitMix64: small, fast, and good enough to drive a generator.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x6a09_e667_f3bc_c908)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in lo..=hi.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `p` percent.
    fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    fn weighted<T: Copy>(&mut self, items: &[(u32, T)]) -> T {
        let total: u32 = items.iter().map(|&(w, _)| w).sum();
        let mut r = self.below(total as u64) as u32;
        for &(w, v) in items {
            if r < w {
                return v;
            }
            r -= w;
        }
        unreachable!("weights sum to {total}")
    }

    /// A register from the set bits of `set` (nonempty).
    fn reg_in(&mut self, set: u32) -> Reg {
        let n = set.count_ones() as u64;
        assert!(n > 0, "no register available");
        let mut k = self.below(n);
        let mut m = set;
        loop {
            let r = m.trailing_zeros();
            if k == 0 {
                return r as Reg;
            }
            k -= 1;
            m &= m - 1;
        }
    }
}

// ---- value tables -----------------------------------------------------

/// Integer values that sit on the edges of the operations.
const INTERESTING_X: [u64; 24] = [
    0,
    1,
    2,
    u64::MAX,
    u64::MAX - 1,
    i64::MIN as u64,
    i64::MAX as u64,
    i64::MIN as u64 + 1,
    i32::MIN as i64 as u64,
    i32::MAX as u64,
    0xffff_ffff,
    0x8000_0000,
    0x1_0000_0000,
    0xffff_ffff_0000_0000,
    0x0000_0000_7fff_ffff,
    0xffff_ffff_7fff_ffff,
    0x5555_5555_5555_5555,
    0xaaaa_aaaa_aaaa_aaaa,
    0x0101_0101_0101_0101,
    0x8080_8080_8080_8080,
    0x00ff_00ff_00ff_00ff,
    0xffff,
    0x8000,
    63,
];

/// Double-precision bit patterns: signed zeros, infinities, quiet and
/// signalling NaNs, subnormals, extremes and the integer-conversion edges.
const INTERESTING_D: [u64; 22] = [
    0x0000_0000_0000_0000,
    0x8000_0000_0000_0000,
    0x3ff0_0000_0000_0000,
    0xbff0_0000_0000_0000,
    0x7ff0_0000_0000_0000,
    0xfff0_0000_0000_0000,
    0x7ff8_0000_0000_0000,
    0xfff8_0000_0000_0001,
    0x7ff0_0000_0000_0001,
    0x7ff4_0000_0000_0000,
    0x0000_0000_0000_0001,
    0x800f_ffff_ffff_ffff,
    0x0010_0000_0000_0000,
    0x7fef_ffff_ffff_ffff,
    0x3fe0_0000_0000_0000,
    0x3ff8_0000_0000_0000,
    0x41e0_0000_0000_0000,
    0xc1e0_0000_0000_0000,
    0x41f0_0000_0000_0000,
    0x43e0_0000_0000_0000,
    0xc3e0_0000_0000_0000,
    0x43f0_0000_0000_0000,
];

/// Single-precision bit patterns (NaN-boxed when loaded into a register,
/// unless the generator chooses a non-boxed variant).
const INTERESTING_S: [u32; 20] = [
    0x0000_0000,
    0x8000_0000,
    0x3f80_0000,
    0xbf80_0000,
    0x7f80_0000,
    0xff80_0000,
    0x7fc0_0000,
    0xffc0_0001,
    0x7f80_0001,
    0x7fa0_0000,
    0x0000_0001,
    0x807f_ffff,
    0x0080_0000,
    0x7f7f_ffff,
    0x3f00_0000,
    0x3fc0_0000,
    0x4f00_0000,
    0xcf00_0000,
    0x4f80_0000,
    0x5f00_0000,
];

// ---- instruction tables -----------------------------------------------

/// Register-register operations: (opcode, funct3, funct7).
const ALU_REG: [(u32, u32, u32); 15] = [
    (opc::OP, 0, 0x00),    // add
    (opc::OP, 0, 0x20),    // sub
    (opc::OP, 1, 0x00),    // sll
    (opc::OP, 2, 0x00),    // slt
    (opc::OP, 3, 0x00),    // sltu
    (opc::OP, 4, 0x00),    // xor
    (opc::OP, 5, 0x00),    // srl
    (opc::OP, 5, 0x20),    // sra
    (opc::OP, 6, 0x00),    // or
    (opc::OP, 7, 0x00),    // and
    (opc::OP_32, 0, 0x00), // addw
    (opc::OP_32, 0, 0x20), // subw
    (opc::OP_32, 1, 0x00), // sllw
    (opc::OP_32, 5, 0x00), // srlw
    (opc::OP_32, 5, 0x20), // sraw
];

/// Register-immediate operations with a 12-bit immediate: (opcode, funct3).
const ALU_IMM: [(u32, u32); 7] = [
    (opc::OP_IMM, 0),    // addi
    (opc::OP_IMM, 2),    // slti
    (opc::OP_IMM, 3),    // sltiu
    (opc::OP_IMM, 4),    // xori
    (opc::OP_IMM, 6),    // ori
    (opc::OP_IMM, 7),    // andi
    (opc::OP_IMM_32, 0), // addiw
];

/// Shifts by immediate: (opcode, funct3, funct6, shamt bits).
const SHIFT_IMM: [(u32, u32, u32, u32); 6] = [
    (opc::OP_IMM, 1, 0x00, 6),    // slli
    (opc::OP_IMM, 5, 0x00, 6),    // srli
    (opc::OP_IMM, 5, 0x10, 6),    // srai
    (opc::OP_IMM_32, 1, 0x00, 5), // slliw
    (opc::OP_IMM_32, 5, 0x00, 5), // srliw
    (opc::OP_IMM_32, 5, 0x10, 5), // sraiw
];

/// M extension: (opcode, funct3), funct7 = 1.
const MUL_DIV: [(u32, u32); 13] = [
    (opc::OP, 0),    // mul
    (opc::OP, 1),    // mulh
    (opc::OP, 2),    // mulhsu
    (opc::OP, 3),    // mulhu
    (opc::OP, 4),    // div
    (opc::OP, 5),    // divu
    (opc::OP, 6),    // rem
    (opc::OP, 7),    // remu
    (opc::OP_32, 0), // mulw
    (opc::OP_32, 4), // divw
    (opc::OP_32, 5), // divuw
    (opc::OP_32, 6), // remw
    (opc::OP_32, 7), // remuw
];

/// Zba/Zbb/Zbs/Zicond register-register operations: (opcode, funct3, funct7).
const BIT_REG: [(u32, u32, u32); 24] = [
    (opc::OP_32, 0, 0x04), // add.uw
    (opc::OP, 2, 0x10),    // sh1add
    (opc::OP, 4, 0x10),    // sh2add
    (opc::OP, 6, 0x10),    // sh3add
    (opc::OP_32, 2, 0x10), // sh1add.uw
    (opc::OP_32, 4, 0x10), // sh2add.uw
    (opc::OP_32, 6, 0x10), // sh3add.uw
    (opc::OP, 7, 0x20),    // andn
    (opc::OP, 6, 0x20),    // orn
    (opc::OP, 4, 0x20),    // xnor
    (opc::OP, 6, 0x05),    // max
    (opc::OP, 7, 0x05),    // maxu
    (opc::OP, 4, 0x05),    // min
    (opc::OP, 5, 0x05),    // minu
    (opc::OP, 1, 0x30),    // rol
    (opc::OP, 5, 0x30),    // ror
    (opc::OP_32, 1, 0x30), // rolw
    (opc::OP_32, 5, 0x30), // rorw
    (opc::OP, 1, 0x24),    // bclr
    (opc::OP, 5, 0x24),    // bext
    (opc::OP, 1, 0x34),    // binv
    (opc::OP, 1, 0x14),    // bset
    (opc::OP, 5, 0x07),    // czero.eqz
    (opc::OP, 7, 0x07),    // czero.nez
];

/// Zbb unary operations, encoded as an I-type with a fixed immediate:
/// (opcode, funct3, imm12).
const BIT_UNARY: [(u32, u32, i32); 11] = [
    (opc::OP_IMM, 1, 0x600),    // clz
    (opc::OP_IMM, 1, 0x601),    // ctz
    (opc::OP_IMM, 1, 0x602),    // cpop
    (opc::OP_IMM, 1, 0x604),    // sext.b
    (opc::OP_IMM, 1, 0x605),    // sext.h
    (opc::OP_IMM_32, 1, 0x600), // clzw
    (opc::OP_IMM_32, 1, 0x601), // ctzw
    (opc::OP_IMM_32, 1, 0x602), // cpopw
    (opc::OP_IMM, 5, 0x287),    // orc.b
    (opc::OP_IMM, 5, 0x6b8),    // rev8
    (opc::OP_32, 4, 0x080),     // zext.h
];

/// Zba/Zbb/Zbs shifts by immediate: (opcode, funct3, funct6, shamt bits).
const BIT_SHIFT: [(u32, u32, u32, u32); 7] = [
    (opc::OP_IMM_32, 1, 0x02, 6), // slli.uw
    (opc::OP_IMM, 5, 0x18, 6),    // rori
    (opc::OP_IMM_32, 5, 0x18, 5), // roriw
    (opc::OP_IMM, 1, 0x12, 6),    // bclri
    (opc::OP_IMM, 5, 0x12, 6),    // bexti
    (opc::OP_IMM, 1, 0x1a, 6),    // binvi
    (opc::OP_IMM, 1, 0x0a, 6),    // bseti
];

/// A-extension AMO funct5 values (not LR/SC).
const AMO_OPS: [u32; 9] = [
    0x00, // amoadd
    0x01, // amoswap
    0x04, // amoxor
    0x08, // amoor
    0x0c, // amoand
    0x10, // amomin
    0x14, // amomax
    0x18, // amominu
    0x1c, // amomaxu
];
const LR: u32 = 0x02;
const SC: u32 = 0x03;

/// A load or store.
#[derive(Clone, Copy, Debug)]
struct MemOp {
    opcode: u32,
    f3: u32,
    size: u32,
    store: bool,
    fp: bool,
    /// The compressed form, if there is one.
    compressed: Option<CWidth>,
}

const fn mem_op(opcode: u32, f3: u32, size: u32, compressed: Option<CWidth>) -> MemOp {
    let store = opcode == opc::STORE || opcode == opc::STORE_FP;
    let fp = opcode == opc::LOAD_FP || opcode == opc::STORE_FP;
    MemOp { opcode, f3, size, store, fp, compressed }
}

const MEM_OPS: [MemOp; 15] = [
    mem_op(opc::LOAD, 0, 1, None),                       // lb
    mem_op(opc::LOAD, 1, 2, None),                       // lh
    mem_op(opc::LOAD, 2, 4, Some(CWidth::Word)),         // lw
    mem_op(opc::LOAD, 3, 8, Some(CWidth::Double)),       // ld
    mem_op(opc::LOAD, 4, 1, None),                       // lbu
    mem_op(opc::LOAD, 5, 2, None),                       // lhu
    mem_op(opc::LOAD, 6, 4, None),                       // lwu
    mem_op(opc::STORE, 0, 1, None),                      // sb
    mem_op(opc::STORE, 1, 2, None),                      // sh
    mem_op(opc::STORE, 2, 4, Some(CWidth::Word)),        // sw
    mem_op(opc::STORE, 3, 8, Some(CWidth::Double)),      // sd
    mem_op(opc::LOAD_FP, 2, 4, None),                    // flw
    mem_op(opc::LOAD_FP, 3, 8, Some(CWidth::FpDouble)),  // fld
    mem_op(opc::STORE_FP, 2, 4, None),                   // fsw
    mem_op(opc::STORE_FP, 3, 8, Some(CWidth::FpDouble)), // fsd
];

// ---- the generator ----------------------------------------------------

/// Where the item being generated sits, which limits what it may be.
#[derive(Clone, Copy, Debug, Default)]
struct Ctx {
    /// Inside a loop body (its counter is reserved; no calls or code
    /// stores, and loops only one level deep).
    in_loop: bool,
    /// Inside the body of a loop that is itself in a loop.
    in_inner_loop: bool,
    /// Inside a leaf function (its link register is reserved; likewise).
    in_leaf: bool,
    /// Forward-branch nesting depth.
    depth: u8,
    /// Inside the short reach of a compressed branch: small items only.
    small: bool,
}

/// Instruction classes, picked by weight for each item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    AluReg,
    AluImm,
    MulDiv,
    Bitmanip,
    Compressed,
    Li,
    Mem,
    FpArith,
    FpMisc,
    Csr,
    Atomic,
    Fence,
    Trap,
    BadAccess,
    Branch,
    Jump,
    WildJump,
    Call,
    Loop,
    CodeStore,
}

const CLASSES: [(u32, Class); 20] = [
    (20, Class::AluReg),
    (20, Class::AluImm),
    (12, Class::MulDiv),
    (16, Class::Bitmanip),
    (20, Class::Compressed),
    (6, Class::Li),
    (28, Class::Mem),
    (16, Class::FpArith),
    (14, Class::FpMisc),
    (5, Class::Csr),
    (8, Class::Atomic),
    (2, Class::Fence),
    (3, Class::Trap),
    (2, Class::BadAccess),
    (10, Class::Branch),
    (2, Class::Jump),
    (2, Class::WildJump),
    (6, Class::Call),
    (4, Class::Loop),
    (4, Class::CodeStore),
];

impl Class {
    fn allowed(self, ctx: Ctx) -> bool {
        let top = !ctx.in_loop && !ctx.in_leaf;
        match self {
            // Loops only outside forward branches keep those short; one
            // level of nesting exercises loops within loops.
            Class::Loop => !ctx.in_leaf && !ctx.in_inner_loop && ctx.depth == 0,
            Class::Call | Class::CodeStore => top && !ctx.small,
            Class::Branch | Class::Jump => ctx.depth < 2 && !ctx.small,
            Class::WildJump => !ctx.small,
            _ => true,
        }
    }
}

/// A leaf function: called with `jal link, label`, returns through `link`.
#[derive(Clone, Copy, Debug)]
struct Leaf {
    label: Label,
    link: Reg,
}

/// A patchable instruction: 2 or 4 bytes at a label (4-byte slots are
/// 4-byte aligned), only ever holding ALU instructions writing SLOT_POOL.
#[derive(Clone, Copy, Debug)]
struct Slot {
    label: Label,
    len: u8,
}

struct Gen<'c> {
    rng: Rng,
    asm: Asm,
    cfg: &'c GenConfig,
    mode: BodyMode,
    /// Registers reserved by the enclosing construct (loop counter, link
    /// register, LR/SC address).
    busy: u32,
    ctx: Ctx,
    leaves: Vec<Leaf>,
    leaf_slots: Vec<Slot>,
    /// Slots that earlier code stores target, by the block that must hold them.
    pending: Vec<Vec<Slot>>,
    /// The start of each block; the last one is the epilogue.
    block_labels: Vec<Label>,
    /// Where a fetch fault nobody planned for ends up (via gp).
    stray: Label,
    stats: GenStats,
}

impl Gen<'_> {
    fn new(rng: Rng, cfg: &GenConfig, mode: BodyMode) -> Gen<'_> {
        let mut asm = Asm::new(RAM_BASE);
        let block_labels = (0..=cfg.blocks).map(|_| asm.label()).collect();
        let stray = asm.label();
        Gen {
            rng,
            asm,
            cfg,
            mode,
            busy: 0,
            ctx: Ctx::default(),
            leaves: Vec::new(),
            leaf_slots: Vec::new(),
            pending: vec![Vec::new(); cfg.blocks],
            block_labels,
            stray,
            stats: GenStats::default(),
        }
    }

    fn run(mut self) -> RandomProgram {
        let budget = self.cfg.trap_budget.unwrap_or(1024 + 64 * self.cfg.blocks as u64);
        let mtrap = self.asm.label();
        let strap = self.asm.label();
        let body = self.asm.label();
        let delegate = self.mode != BodyMode::Machine && self.rng.percent(50);
        let medeleg = if delegate { self.medeleg() } else { 0 };

        self.prologue(mtrap, strap, body, medeleg);
        self.handler(mtrap, false);
        self.handler(strap, true);
        assert!(self.asm.offset() <= CODE0_END, "prologue and handlers overflow their area");

        self.asm.seek(BODY);
        self.asm.bind(body);
        self.island();
        let mut since_island = 0;
        for idx in 0..self.cfg.blocks {
            self.block(idx);
            since_island += 1;
            if since_island >= 6 && self.rng.percent(20) {
                self.island();
                since_island = 0;
            }
            self.block_end(idx);
        }
        let end = self.block_labels[self.cfg.blocks];
        self.asm.bind(end);
        self.exit(EXIT_OK);
        self.asm.bind(self.stray);
        self.exit(EXIT_STRAY_FETCH);

        let code_end = self.asm.offset() as u64;
        let mem_size = (code_end + 0x1000).div_ceil(1 << 20) << 20;
        self.control_page(budget);
        self.data_region();
        if self.cfg.paging {
            self.page_tables(mem_size);
        }
        let image = self.asm.finish();
        RandomProgram {
            image,
            load_addr: RAM_BASE,
            entry: RAM_BASE,
            tohost: RAM_BASE + CTRL as u64 + TOHOST as u64,
            mem_size,
            blocks: self.cfg.blocks,
            mode: self.mode,
            paging: self.cfg.paging,
            trap_counter: RAM_BASE + CTRL as u64 + TRAP_COUNT as u64,
            cause_counters: RAM_BASE + CTRL as u64 + HIST_M as u64,
            trap_budget: budget,
            code: RAM_BASE + BODY as u64..RAM_BASE + code_end,
            data: RAM_BASE + DATA as u64..RAM_BASE + (DATA + DATA_SIZE) as u64,
            stats: self.stats,
        }
    }

    /// Stores `code` to tohost (ending the run), then spins.
    fn exit(&mut self, code: u64) {
        self.e(encode::i(opc::OP_IMM, T0, 0, 0, code as i32));
        self.e(encode::s(opc::STORE, 3, TP, T0, TOHOST));
        self.e(encode::jal(0, 0));
    }

    // ---- emission helpers --------------------------------------------

    fn e(&mut self, insn: u32) {
        self.asm.emit(insn);
    }

    fn c(&mut self, insn: u16) {
        self.asm.emit_c(insn);
    }

    /// Registers random instructions may write right now.
    fn writable(&self) -> u32 {
        !(RESERVED | self.busy)
    }

    /// A random destination register.
    fn rd(&mut self) -> Reg {
        let set = self.writable();
        self.rng.reg_in(set)
    }

    /// A destination register from `pool`, if one is free.
    fn rd_in(&mut self, pool: u32) -> Option<Reg> {
        let set = self.writable() & pool;
        (set != 0).then(|| self.rng.reg_in(set))
    }

    /// A random source register (any register; x0 a little more often).
    fn rs(&mut self) -> Reg {
        if self.rng.percent(8) {
            0
        } else {
            self.rng.below(32) as Reg
        }
    }

    /// A random source register a compressed format can name.
    fn rs_c(&mut self) -> Reg {
        self.rng.range(8, 15) as Reg
    }

    fn fr(&mut self) -> Reg {
        self.rng.below(32) as Reg
    }

    /// A 12-bit immediate, often at the edges.
    fn imm12(&mut self) -> i32 {
        match self.rng.below(8) {
            0 => self.rng.pick(&[0, 1, -1, 2047, -2048, 31, 32, 63, 64]),
            1..=3 => self.rng.range(-16, 16) as i32,
            _ => self.rng.range(-2048, 2047) as i32,
        }
    }

    /// A 64-bit value, often an interesting one.
    fn value(&mut self) -> u64 {
        match self.rng.below(10) {
            0..=3 => self.rng.pick(&INTERESTING_X),
            4 => self.rng.range(-16, 16) as u64,
            5 => 1u64 << self.rng.below(64),
            6 => (1u64 << self.rng.below(64)).wrapping_sub(1),
            7 => self.rng.next() as i32 as u64,
            _ => self.rng.next(),
        }
    }

    /// An FP register bit pattern: interesting doubles, NaN-boxed singles,
    /// and singles that are not properly boxed (which read as NaN).
    fn fp_value(&mut self) -> u64 {
        match self.rng.below(10) {
            0..=3 => self.rng.pick(&INTERESTING_D),
            4..=6 => 0xffff_ffff_0000_0000 | self.rng.pick(&INTERESTING_S) as u64,
            7 => (self.rng.next() & 0xffff_fffe_0000_0000) | self.rng.pick(&INTERESTING_S) as u64,
            8 => 0xffff_ffff_0000_0000 | (self.rng.next() & 0xffff_ffff),
            _ => self.rng.next(),
        }
    }

    /// Loads the constant `v` into `rd` (lui/addiw, slli/addi chains, or the
    /// compressed forms for small values).
    fn li(&mut self, rd: Reg, v: u64) {
        let v = v as i64;
        if (-32..32).contains(&v) && rd != 0 && self.rng.percent(50) {
            self.c(encode::c_li(rd, v as i32));
        } else if (-2048..2048).contains(&v) {
            self.e(encode::i(opc::OP_IMM, rd, 0, 0, v as i32));
        } else if v == v as i32 as i64 {
            let lo = (v << 52) >> 52;
            let hi = ((v - lo) >> 12) as u32 & 0xf_ffff;
            let hi6 = ((hi as i32) << 12) >> 12;
            if lo == 0 && rd != SP && (-32..32).contains(&hi6) && self.rng.percent(50) {
                self.c(encode::c_lui(rd, hi6));
            } else {
                self.e(encode::u(opc::LUI, rd, hi));
            }
            if lo != 0 {
                self.e(encode::i(opc::OP_IMM_32, rd, 0, rd, lo as i32));
            }
        } else {
            let lo = (v << 52) >> 52;
            let mut hi = v.wrapping_sub(lo) >> 12;
            let shift = hi.trailing_zeros();
            hi >>= shift;
            self.li(rd, hi as u64);
            self.e(encode::shift_imm(opc::OP_IMM, rd, 1, rd, 0, 12 + shift, 6));
            if lo != 0 {
                self.e(encode::i(opc::OP_IMM, rd, 0, rd, lo as i32));
            }
        }
    }

    /// Rounding mode field: the five static modes and dynamic.
    fn rm(&mut self) -> u32 {
        self.rng.weighted(&[(10, 0), (10, 1), (10, 2), (10, 3), (10, 4), (40, 7)])
    }

    // ---- prologue, handlers, data ------------------------------------

    fn medeleg(&mut self) -> u64 {
        // Causes worth sending to S-mode: fetch, load and store faults
        // (access, misaligned, page), illegal instruction, breakpoint,
        // ecall from U and S.
        let candidates = [1u64, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 15];
        candidates.iter().filter(|_| self.rng.percent(50)).fold(0, |m, &c| m | 1 << c)
    }

    fn csrw(&mut self, csr: u16, rs: Reg) {
        self.e(encode::csr(0, 1, rs, csr));
    }

    fn prologue(&mut self, mtrap: Label, strap: Label, body: Label, medeleg: u64) {
        let ctrl = RAM_BASE + CTRL as u64;
        let data = RAM_BASE + DATA as u64;
        self.li(TP, ctrl);
        self.li(S0, data + DATA_SIZE as u64 / 2);

        // Trap vectors: vectored mode changes nothing for exceptions, so pick either.
        self.asm.la(T0, mtrap);
        if self.rng.percent(30) {
            self.e(encode::i(opc::OP_IMM, T0, 6, T0, 1));
        }
        self.csrw(MTVEC, T0);

        // PMP: a locked no-access guard page, the locked read-write (never
        // executable, even for M-mode) data region, then everything else
        // open for S and U.
        self.li(T0, ((RAM_BASE + GUARD as u64) >> 2) | 0x1ff);
        self.csrw(PMPADDR0, T0);
        self.li(T0, (data >> 2) | ((DATA_SIZE as u64 >> 3) - 1));
        self.csrw(PMPADDR0 + 1, T0);
        self.li(T0, u64::MAX);
        self.csrw(PMPADDR0 + 2, T0);
        self.li(T0, 0x98 | 0x9b << 8 | 0x1f << 16);
        self.csrw(PMPCFG0, T0);

        // FPU on (initial or dirty); SUM lets the S handler read U code.
        let mut status = if self.rng.percent(50) { 1 << 13 } else { 3 << 13 };
        if self.mode == BodyMode::User {
            status |= 1 << 18;
        }
        self.li(T0, status);
        self.e(encode::csr(0, 2, T0, MSTATUS));
        // Mostly round to nearest even, as nearly all code runs (and the
        // only mode in which translations use the host FPU).
        let frm = if self.rng.percent(50) { 0 } else { self.rng.below(5) };
        let fcsr = if self.rng.percent(95) { frm << 5 } else { self.rng.below(256) };
        self.li(T0, fcsr);
        self.csrw(FCSR, T0);

        if self.mode != BodyMode::Machine {
            // cycle and instret for lower modes (time stays off: it is not deterministic).
            for csr in [MCOUNTEREN, SCOUNTEREN] {
                let en = if self.rng.percent(80) { 5 } else { self.rng.pick(&[0, 1, 4]) };
                self.li(T0, en);
                self.csrw(csr, T0);
            }
            self.li(T0, medeleg);
            self.csrw(MEDELEG, T0);
            self.asm.la(T0, strap);
            self.csrw(STVEC, T0);
        }
        if self.cfg.paging {
            self.li(T0, 8 << 60 | (RAM_BASE + PT_ROOT as u64) >> 12);
            self.csrw(SATP, T0);
            self.e(encode::sfence_vma(0, 0));
        }
        for csr in [MSCRATCH, SSCRATCH] {
            let v = self.value();
            self.li(T0, v);
            self.csrw(csr, T0);
        }
        for f in 0..32 {
            let v = self.fp_value();
            self.li(T0, v);
            self.e(encode::r(opc::OP_FP, f, 0, T0, 0, 0x79)); // fmv.d.x
        }
        // Until a wild jump sets it, a fetch fault (there should be none)
        // ends the program with EXIT_STRAY_FETCH.
        self.asm.la(GP, self.stray);

        self.li(T0, 3 << 11);
        self.e(encode::csr(0, 3, T0, MSTATUS));
        self.li(T0, self.mode.mpp() << 11);
        self.e(encode::csr(0, 2, T0, MSTATUS));
        self.asm.la(T0, body);
        self.csrw(MEPC, T0);
        for r in 1..32 {
            if RESERVED & 1 << r == 0 {
                let v = self.value();
                self.li(r, v);
            }
        }
        self.e(fixed::MRET);
    }

    /// A trap handler for M-mode or S-mode: counts the trap, gives up once
    /// the budget is spent, and resumes after the trapping instruction or,
    /// for fetch faults, at the recovery address in gp.
    fn handler(&mut self, at: Label, supervisor: bool) {
        use encode::{i, r, s};
        let (cause, epc, save, hist, ret) = if supervisor {
            (SCAUSE, SEPC, SAVE_S, HIST_S, fixed::SRET)
        } else {
            (MCAUSE, MEPC, SAVE_M, HIST_M, fixed::MRET)
        };
        let [budget, interrupt, finish, recover, out, short] = [(); 6].map(|_| self.asm.label());
        self.asm.align(4);
        self.asm.bind(at);
        self.e(s(opc::STORE, 3, TP, T0, save));
        self.e(s(opc::STORE, 3, TP, T1, save + 8));
        self.e(i(opc::LOAD, T0, 3, TP, TRAP_COUNT));
        self.e(i(opc::OP_IMM, T0, 0, T0, 1));
        self.e(s(opc::STORE, 3, TP, T0, TRAP_COUNT));
        self.e(i(opc::LOAD, T1, 3, TP, BUDGET));
        self.asm.branch(7, T0, T1, budget); // bgeu
        self.e(encode::csr(T0, 2, 0, cause));
        self.asm.branch(4, T0, 0, interrupt); // none is ever enabled
        self.e(i(opc::OP_IMM, T0, 7, T0, 31));
        self.e(encode::shift_imm(opc::OP_IMM, T0, 1, T0, 0, 3, 6));
        self.e(r(opc::OP, T0, 0, T0, TP, 0));
        self.e(i(opc::LOAD, T1, 3, T0, hist));
        self.e(i(opc::OP_IMM, T1, 0, T1, 1));
        self.e(s(opc::STORE, 3, T0, T1, hist));
        self.e(encode::csr(T0, 2, 0, cause));
        self.e(i(opc::OP_IMM, T1, 0, T0, -1)); // instruction access fault
        self.asm.branch(0, T1, 0, recover);
        self.e(i(opc::OP_IMM, T1, 0, T0, -12)); // instruction page fault
        self.asm.branch(0, T1, 0, recover);
        self.e(encode::csr(T0, 2, 0, epc));
        self.e(i(opc::LOAD, T1, 5, T0, 0)); // lhu: the low half tells the length
        self.e(i(opc::OP_IMM, T1, 7, T1, 3));
        self.e(i(opc::OP_IMM, T1, 0, T1, -3));
        self.asm.branch(1, T1, 0, short);
        self.e(i(opc::OP_IMM, T0, 0, T0, 2));
        self.asm.bind(short);
        self.e(i(opc::OP_IMM, T0, 0, T0, 2));
        self.csrw(epc, T0);
        self.asm.jal(0, out);
        // Recovery is good for one fetch fault: another one before the
        // next wild jump would be a stray (a generator bug).
        self.asm.bind(recover);
        self.csrw(epc, GP);
        self.asm.la(GP, self.stray);
        self.asm.bind(out);
        self.e(i(opc::LOAD, T0, 3, TP, save));
        self.e(i(opc::LOAD, T1, 3, TP, save + 8));
        self.e(ret);
        self.asm.bind(budget);
        self.e(i(opc::OP_IMM, T0, 0, 0, EXIT_BUDGET as i32));
        self.asm.jal(0, finish);
        self.asm.bind(interrupt);
        self.e(i(opc::OP_IMM, T0, 0, 0, EXIT_INTERRUPT as i32));
        self.asm.bind(finish);
        self.e(s(opc::STORE, 3, TP, T0, TOHOST));
        self.asm.jal(0, finish);
    }

    fn control_page(&mut self, budget: u64) {
        self.asm.write_at(CTRL + BUDGET as usize, &budget.to_le_bytes());
    }

    /// Random data with interesting integer and FP values sprinkled in.
    fn data_region(&mut self) {
        let mut bytes = Vec::with_capacity(DATA_SIZE);
        for _ in 0..DATA_SIZE / 8 {
            let v = match self.rng.below(4) {
                0 => self.value(),
                1 => self.fp_value(),
                _ => self.rng.next(),
            };
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        self.asm.write_at(DATA, &bytes);
    }

    /// Sv39 tables: RAM identity-mapped (4 KiB pages for the first 2 MiB,
    /// megapages beyond), data pages with assorted permissions, an alias
    /// gigapage without execute, and a region of malformed entries.
    fn page_tables(&mut self, mem_size: u64) {
        let u = if self.mode == BodyMode::User { PTE_U } else { 0 };
        let leaf = |pa: u64, flags: u64| (pa >> 12) << 10 | flags | PTE_V;
        let table = |off: usize| ((RAM_BASE + off as u64) >> 12) << 10 | PTE_V;
        let rw = PTE_R | PTE_W | PTE_A | PTE_D | u;
        let put = |asm: &mut Asm, t: usize, idx: usize, pte: u64| asm.write_at(t + 8 * idx, &pte.to_le_bytes());

        put(&mut self.asm, PT_ROOT, 1, table(PT_WEIRD_L1));
        put(&mut self.asm, PT_ROOT, 2, table(PT_L1));
        put(&mut self.asm, PT_ROOT, 3, leaf(RAM_BASE, rw));
        put(&mut self.asm, PT_L1, 0, table(PT_L0));
        for mega in 1..(mem_size >> 21) as usize {
            put(&mut self.asm, PT_L1, mega, leaf(RAM_BASE + ((mega as u64) << 21), rw | PTE_X));
        }
        for page in 0..512usize.min((mem_size >> 12) as usize) {
            let off = page << 12;
            let pa = RAM_BASE + off as u64;
            let pte = match off {
                // The S handler's code: never executable from U-mode.
                _ if off < CODE0_END => leaf(pa, PTE_R | PTE_X | PTE_A),
                CTRL | GUARD => leaf(pa, rw),
                _ if off < DATA => 0,
                _ if off < DATA + DATA_SIZE => self.data_pte(pa, page - (DATA >> 12), u),
                _ => leaf(pa, rw | PTE_X),
            };
            put(&mut self.asm, PT_L0, page, pte);
        }
        let data = RAM_BASE + DATA as u64;
        // A megapage whose PPN is not megapage-aligned, and one that is write-only.
        put(&mut self.asm, PT_WEIRD_L1, 0, leaf(data, rw));
        put(&mut self.asm, PT_WEIRD_L1, 1, leaf(data, PTE_W | PTE_A | PTE_D | u));
        put(&mut self.asm, PT_WEIRD_L1, 2, table(PT_WEIRD_L0));
        // Data aliases: read-write, read-only, a pointer where a leaf must
        // be, invalid, and one with the U bit of the wrong mode.
        put(&mut self.asm, PT_WEIRD_L0, 0, leaf(data, rw));
        put(&mut self.asm, PT_WEIRD_L0, 1, leaf(data + 0x1000, PTE_R | PTE_A | u));
        put(&mut self.asm, PT_WEIRD_L0, 2, leaf(data + 0x2000, 0));
        put(&mut self.asm, PT_WEIRD_L0, 4, leaf(data + 0x3000, rw ^ PTE_U));
    }

    /// The PTE of data page `index`: the pages around `s0` are always
    /// read-write; the others may be read-only, invalid, of the wrong U
    /// setting, or (with `hw_ad_updates`) lack A or D.
    fn data_pte(&mut self, pa: u64, index: usize, u: u64) -> u64 {
        let base = (pa >> 12) << 10 | PTE_V | u;
        let rw = base | PTE_R | PTE_W | PTE_A | PTE_D;
        if index == 7 || index == 8 {
            return rw;
        }
        let ad = self.cfg.hw_ad_updates;
        match self.rng.below(20) {
            0..=1 => base | PTE_R | PTE_A,
            2 => 0,
            3 => rw ^ PTE_U,
            4 if ad => base | PTE_R | PTE_W,
            5 if ad => base | PTE_R | PTE_W | PTE_A,
            _ => rw,
        }
    }

    // ---- blocks --------------------------------------------------------

    fn block(&mut self, idx: usize) {
        let start = self.block_labels[idx];
        self.asm.bind(start);
        let items = self.rng.range(5, 24) as usize;
        let slots = std::mem::take(&mut self.pending[idx]);
        let placed: Vec<(usize, Slot)> =
            slots.into_iter().map(|slot| (self.rng.below(items as u64 + 1) as usize, slot)).collect();
        for k in 0..=items {
            for &(_, slot) in placed.iter().filter(|(at, _)| *at == k) {
                self.place_slot(slot);
            }
            if k < items {
                self.item(idx);
            }
        }
    }

    /// How control reaches the next block: falling through, or a direct,
    /// indirect or far jump over a little junk.
    fn block_end(&mut self, idx: usize) {
        let next = self.block_labels[idx + 1];
        match self.rng.below(20) {
            0..=10 => return,
            11..=13 => {
                let rd = if self.rng.percent(70) { 0 } else { self.rd() };
                self.asm.jal(rd, next);
            }
            14..=16 => {
                let t = self.rd();
                self.asm.la(t, next);
                let link_ra = self.writable() & 1 << RA != 0;
                match self.rng.below(3) {
                    0 => self.c(encode::c_jr(t)),
                    1 if link_ra => self.c(encode::c_jalr(t)),
                    _ => {
                        let rd = if self.rng.percent(50) { 0 } else { self.rd() };
                        self.e(encode::jalr(rd, t, 0));
                    }
                }
            }
            _ => {
                let (t, rd) = (self.rd(), if self.rng.percent(50) { 0 } else { self.rd() });
                self.asm.far_jump(t, rd, next);
            }
        }
        if self.rng.percent(40) {
            self.junk();
        }
    }

    /// Bytes that are never executed (they follow an unconditional jump).
    fn junk(&mut self) {
        let n = 2 * self.rng.range(1, 6) as usize;
        let bytes: Vec<u8> = match self.rng.below(3) {
            0 => vec![0; n],
            1 => vec![0xff; n],
            _ => (0..n).map(|_| self.rng.next() as u8).collect(),
        };
        self.asm.emit_bytes(&bytes);
    }

    /// Leaf functions, jumped over.
    fn island(&mut self) {
        let over = self.asm.label();
        self.asm.jal(0, over);
        for _ in 0..self.rng.range(1, 3) {
            self.leaf();
        }
        self.asm.bind(over);
    }

    fn leaf(&mut self) {
        let link = self.rng.reg_in(LINK_POOL);
        let label = self.asm.here();
        let saved = (self.ctx, self.busy);
        self.ctx.in_leaf = true;
        self.busy |= 1 << link;
        let items = self.rng.range(2, 8);
        for _ in 0..items {
            if self.rng.percent(12) {
                let len = if self.rng.percent(70) { 4 } else { 2 };
                let slot = Slot { label: self.asm.label(), len };
                self.place_slot(slot);
                self.leaf_slots.push(slot);
            }
            self.item(usize::MAX);
        }
        if self.rng.percent(50) {
            self.c(encode::c_jr(link));
        } else {
            self.e(encode::jalr(0, link, 0));
        }
        (self.ctx, self.busy) = saved;
        self.leaves.push(Leaf { label, link });
        self.stats.leaves += 1;
    }

    /// One random item: an instruction or a short sequence of them.
    fn item(&mut self, block: usize) {
        let ctx = self.ctx;
        let class = loop {
            let c = self.rng.weighted(&CLASSES);
            if c.allowed(ctx) {
                break c;
            }
        };
        match class {
            Class::AluReg => self.alu_reg(),
            Class::AluImm => self.alu_imm(),
            Class::MulDiv => self.mul_div(),
            Class::Bitmanip => self.bitmanip(),
            Class::Compressed => self.compressed(),
            Class::Li => {
                let (rd, v) = (self.rd(), self.value());
                self.li(rd, v);
            }
            Class::Mem => self.mem(),
            Class::FpArith => self.fp_arith(),
            Class::FpMisc => self.fp_misc(),
            Class::Csr => self.csr_op(),
            Class::Atomic => self.atomic(),
            Class::Fence => self.fence(),
            Class::Trap => self.trap(),
            Class::BadAccess => self.bad_access(),
            Class::Branch => self.forward_branch(block),
            Class::Jump => self.jump_over_junk(),
            Class::WildJump => self.wild_jump(),
            Class::Call => self.call(),
            Class::Loop => self.bounded_loop(block),
            Class::CodeStore => self.code_store(block),
        }
    }

    // ---- integer ------------------------------------------------------

    fn alu_reg(&mut self) {
        let (op, f3, f7) = self.rng.pick(&ALU_REG);
        let (rd, rs1, rs2) = (self.rd(), self.rs(), self.rs());
        self.e(encode::r(op, rd, f3, rs1, rs2, f7));
    }

    fn alu_imm(&mut self) {
        let rd = self.rd();
        let rs1 = self.rs();
        match self.rng.below(10) {
            0..=5 => {
                let (op, f3) = self.rng.pick(&ALU_IMM);
                let imm = self.imm12();
                self.e(encode::i(op, rd, f3, rs1, imm));
            }
            6..=8 => {
                let (op, f3, f6, bits) = self.rng.pick(&SHIFT_IMM);
                let sh = self.rng.below(1 << bits) as u32;
                self.e(encode::shift_imm(op, rd, f3, rs1, f6, sh, bits));
            }
            _ => {
                let op = self.rng.pick(&[opc::LUI, opc::AUIPC]);
                let imm = self.rng.below(1 << 20) as u32;
                self.e(encode::u(op, rd, imm));
            }
        }
    }

    /// M extension, with operands forced to zero, -1 or the most negative
    /// value now and then (division by zero and signed overflow).
    fn mul_div(&mut self) {
        let (op, f3) = self.rng.pick(&MUL_DIV);
        let mut rs1 = self.rs();
        let mut rs2 = self.rs();
        if self.rng.percent(30) {
            rs2 = self.rd();
            let v = self.rng.pick(&[0, u64::MAX, 0, 1]);
            self.li(rs2, v);
        }
        if self.rng.percent(20) {
            rs1 = self.rd();
            let v = self.rng.pick(&[i64::MIN as u64, i32::MIN as i64 as u64, 0x8000_0000]);
            self.li(rs1, v);
        }
        let rd = self.rd();
        self.e(encode::r(op, rd, f3, rs1, rs2, 1));
    }

    fn bitmanip(&mut self) {
        let rd = self.rd();
        let rs1 = self.rs();
        match self.rng.below(10) {
            0..=5 => {
                let (op, f3, f7) = self.rng.pick(&BIT_REG);
                let rs2 = self.rs();
                self.e(encode::r(op, rd, f3, rs1, rs2, f7));
            }
            6..=7 => {
                let (op, f3, imm) = self.rng.pick(&BIT_UNARY);
                self.e(encode::i(op, rd, f3, rs1, imm));
            }
            _ => {
                let (op, f3, f6, bits) = self.rng.pick(&BIT_SHIFT);
                let sh = self.rng.below(1 << bits) as u32;
                self.e(encode::shift_imm(op, rd, f3, rs1, f6, sh, bits));
            }
        }
    }

    /// The compressed integer instructions (loads and stores are in `mem`).
    fn compressed(&mut self) {
        let rd = self.rd();
        let rdc = self.rd_in(CREGS);
        let nz6 = |rng: &mut Rng| loop {
            let v = rng.range(-32, 31) as i32;
            if v != 0 {
                break v;
            }
        };
        match (self.rng.below(15), rdc) {
            (0, _) => {
                let imm = nz6(&mut self.rng);
                self.c(encode::c_addi(rd, imm));
            }
            (1, _) => {
                let imm = self.rng.range(-32, 31) as i32;
                self.c(encode::c_addiw(rd, imm));
            }
            (2, _) => {
                let imm = self.rng.range(-32, 31) as i32;
                self.c(encode::c_li(rd, imm));
            }
            (3, _) if rd != SP => {
                let imm = nz6(&mut self.rng);
                self.c(encode::c_lui(rd, imm));
            }
            (4, _) => {
                let sh = self.rng.range(1, 63) as u32;
                self.c(encode::c_slli(rd, sh));
            }
            (5, _) => {
                let rs = self.rng.range(1, 31) as Reg;
                self.c(encode::c_mv(rd, rs));
            }
            (6, _) => {
                let rs = self.rng.range(1, 31) as Reg;
                self.c(encode::c_add(rd, rs));
            }
            (7, _) if self.writable() & 1 << SP != 0 => {
                let imm = 16 * nz6(&mut self.rng);
                self.c(encode::c_addi16sp(imm));
            }
            (8, Some(rdc)) => {
                let imm = 4 * self.rng.range(1, 255) as u32;
                self.c(encode::c_addi4spn(rdc, imm));
            }
            (9, Some(rdc)) => {
                let sh = self.rng.range(1, 63) as u32;
                let arith = self.rng.percent(50);
                self.c(encode::c_shift_right(arith, rdc, sh));
            }
            (10, Some(rdc)) => {
                let imm = self.rng.range(-32, 31) as i32;
                self.c(encode::c_andi(rdc, imm));
            }
            (11..=13, Some(rdc)) => {
                let word = self.rng.percent(35);
                let f2 = self.rng.below(if word { 2 } else { 4 }) as u32;
                let rs2 = self.rs_c();
                self.c(encode::c_arith(word, f2, rdc, rs2));
            }
            _ => self.c(fixed::C_NOP),
        }
    }

    // ---- memory --------------------------------------------------------

    /// `t` = s0 + a random register's low bits, sign-extended (within
    /// ±16 KiB), aligned to `align`: a data-dependent address well inside
    /// the data region.
    fn data_pointer(&mut self, t: Reg, align: u32) {
        let src = self.rs();
        let k = self.rng.range(49, 52) as u32;
        self.e(encode::shift_imm(opc::OP_IMM, t, 1, src, 0, k, 6));
        self.e(encode::shift_imm(opc::OP_IMM, t, 5, t, 0x10, k, 6));
        if align > 1 {
            self.e(encode::i(opc::OP_IMM, t, 7, t, -(align as i32)));
        }
        if self.rng.percent(50) {
            self.c(encode::c_add(t, S0));
        } else {
            self.e(encode::r(opc::OP, t, 0, t, S0, 0));
        }
    }

    /// A 12-bit offset for an access of `size` bytes, usually aligned.
    fn mem_offset(&mut self, size: u32, aligned: bool) -> i32 {
        let off = self.rng.range(-2048, 2047 - size as i64) as i32;
        if aligned {
            off & !(size as i32 - 1)
        } else {
            off
        }
    }

    fn mem_insn(&mut self, m: MemOp, base: Reg, off: i32) {
        if m.store {
            let data = if m.fp { self.fr() } else { self.rs() };
            self.e(encode::s(m.opcode, m.f3, base, data, off));
        } else {
            let data = if m.fp { self.fr() } else { self.rd() };
            self.e(encode::i(m.opcode, data, m.f3, base, off));
        }
    }

    /// A load or store into the data region, through s0, a computed
    /// pointer, the compressed forms, or the alias mapping.
    fn mem(&mut self) {
        let m = self.rng.pick(&MEM_OPS);
        let aligned = self.rng.percent(88);
        // Without paging the alias is outside RAM: an access fault.
        let alias = if self.cfg.paging { 8 } else { 2 };
        let compressed = if m.compressed.is_some() { 10 } else { 0 };
        let form = self.rng.weighted(&[(30, 0), (25, 1), (alias, 2), (2 * compressed, 3), (compressed, 4)]);
        match form {
            0 => {
                let off = self.mem_offset(m.size, aligned);
                self.mem_insn(m, S0, off);
            }
            1 => {
                let t = self.rd();
                self.data_pointer(t, if aligned { m.size } else { 1 });
                let off = self.mem_offset(m.size, aligned);
                self.mem_insn(m, t, off);
            }
            2 => {
                // The alias gigapage (paging) or nothing at all (bare: access fault).
                let t = self.rd();
                self.e(encode::u(opc::LUI, t, (ALIAS_VA - RAM_BASE) as u32 >> 12));
                self.e(encode::r(opc::OP, t, 0, t, S0, 0));
                let off = self.mem_offset(m.size, aligned);
                self.mem_insn(m, t, off);
            }
            3 => self.mem_compressed(m),
            _ => self.mem_compressed_sp(m),
        }
    }

    fn mem_compressed(&mut self, m: MemOp) {
        let w = m.compressed.expect("compressed form");
        let base = match self.rd_in(CREGS) {
            Some(t) if self.rng.percent(50) => {
                self.data_pointer(t, w.size());
                t
            }
            _ => S0,
        };
        let off = w.size() * self.rng.below(32) as u32;
        // FP registers (loads and stores) and integer sources: any of the
        // eight the 3-bit field names. Integer destinations must be writable.
        let data = if m.fp || m.store {
            self.rs_c()
        } else {
            match self.rd_in(CREGS) {
                Some(r) => r,
                None => return self.c(fixed::C_NOP),
            }
        };
        if m.store {
            self.c(encode::c_store(w, data, base, off));
        } else {
            self.c(encode::c_load(w, data, base, off));
        }
    }

    fn mem_compressed_sp(&mut self, m: MemOp) {
        let w = m.compressed.expect("compressed form");
        if self.writable() & 1 << SP == 0 {
            return self.c(fixed::C_NOP);
        }
        self.data_pointer(SP, w.size());
        let off = w.size() * self.rng.below(64) as u32;
        if m.store {
            let data = if m.fp { self.fr() } else { self.rs() };
            self.c(encode::c_store_sp(w, data, off));
        } else {
            let data = if m.fp { self.fr() } else { self.rd() };
            self.c(encode::c_load_sp(w, data, off));
        }
    }

    /// An aligned pointer into the data region for an atomic of `size` bytes.
    fn atomic_pointer(&mut self, t: Reg, size: u32) {
        if self.rng.percent(50) {
            self.data_pointer(t, size);
        } else {
            let off = self.mem_offset(size, true);
            self.e(encode::i(opc::OP_IMM, t, 0, S0, off));
        }
    }

    fn atomic(&mut self) {
        let f3 = self.rng.pick(&[2, 3]);
        let size = 1 << f3;
        let (aq, rl) = (self.rng.percent(30), self.rng.percent(30));
        let t = self.rd();
        self.atomic_pointer(t, size);
        if self.rng.percent(30) {
            // LR, a few instructions that cannot trap, SC; sometimes a
            // second SC, which must fail (an SC ends any reservation).
            self.busy |= 1 << t;
            let rd = self.rd();
            self.e(encode::amo(LR, aq, rl, rd, f3, t, 0));
            for _ in 0..self.rng.below(3) {
                if self.rng.percent(50) {
                    self.alu_reg();
                } else {
                    self.alu_imm();
                }
            }
            let (rd, rs2) = (self.rd(), self.rs());
            self.e(encode::amo(SC, aq, rl, rd, f3, t, rs2));
            if self.rng.percent(40) {
                let (rd, rs2) = (self.rd(), self.rs());
                self.e(encode::amo(SC, aq, rl, rd, f3, t, rs2));
            }
            self.busy &= !(1 << t);
            return;
        }
        if self.rng.percent(8) {
            // Misaligned: an address-misaligned (or access) fault.
            let skew = self.rng.range(1, size as i64 - 1) as i32;
            self.e(encode::i(opc::OP_IMM, t, 0, t, skew));
            self.stats.planted_traps += 1;
        }
        let op = self.rng.pick(&AMO_OPS);
        let rd = if self.rng.percent(20) { 0 } else { self.rd() };
        let rs2 = self.rs();
        self.e(encode::amo(op, aq, rl, rd, f3, t, rs2));
    }

    /// Loads, stores and AMOs at addresses that fault: outside RAM, the
    /// guard page, unmapped or malformed translations, non-canonical.
    fn bad_access(&mut self) {
        let guard = RAM_BASE + GUARD as u64 + 8 * self.rng.below(512);
        let mut addrs = vec![
            0,
            8,
            WEIRD_VA,
            WEIRD_VA + 0x20_0000,
            WEIRD_VA + 0x40_1000,
            WEIRD_VA + 0x40_2000,
            WEIRD_VA + 0x40_3000,
            WEIRD_VA + 0x40_4000,
            RAM_BASE + 0x1000_0000,
            RAM_BASE - 8,
            guard,
            u64::MAX - 7,
            0x0000_0040_0000_0000,
        ];
        if self.cfg.paging {
            // Mapped without write (code) or not at all (page tables).
            addrs.extend([RAM_BASE + 0x100, RAM_BASE + PT_L1 as u64]);
        }
        let addr = self.rng.pick(&addrs);
        let t = self.rd();
        self.li(t, addr);
        if self.rng.percent(20) {
            let f3 = self.rng.pick(&[2, 3]);
            let op = self.rng.pick(&AMO_OPS);
            let (rd, rs2) = (self.rd(), self.rs());
            self.e(encode::amo(op, false, false, rd, f3, t, rs2));
        } else {
            let m = self.rng.pick(&MEM_OPS);
            self.mem_insn(m, t, 0);
        }
        self.stats.planted_traps += 1;
    }

    // ---- floating point --------------------------------------------------

    fn fp_arith(&mut self) {
        let fmt = self.rng.below(2) as u32;
        let (rd, rs1, rs2, rs3) = (self.fr(), self.fr(), self.fr(), self.fr());
        let insn = match self.rng.below(12) {
            0..=3 => {
                // fadd fsub fmul fdiv
                let f5 = self.rng.below(4) as u32;
                encode::r(opc::OP_FP, rd, self.rm(), rs1, rs2, f5 << 2 | fmt)
            }
            4 => encode::r(opc::OP_FP, rd, self.rm(), rs1, 0, 0x2c | fmt), // fsqrt
            5..=7 => {
                // fmadd fmsub fnmsub fnmadd
                let op = opc::MADD + 4 * self.rng.below(4) as u32;
                encode::r4(op, rd, self.rm(), rs1, rs2, rs3, fmt)
            }
            8..=9 => {
                // fsgnj fsgnjn fsgnjx
                let f3 = self.rng.below(3) as u32;
                encode::r(opc::OP_FP, rd, f3, rs1, rs2, 0x10 | fmt)
            }
            _ => {
                // fmin fmax
                let f3 = self.rng.below(2) as u32;
                encode::r(opc::OP_FP, rd, f3, rs1, rs2, 0x14 | fmt)
            }
        };
        self.e(insn);
    }

    /// Conversions, moves, compares and classification.
    fn fp_misc(&mut self) {
        let fmt = self.rng.below(2) as u32;
        let (fd, fs1, fs2) = (self.fr(), self.fr(), self.fr());
        let insn = match self.rng.below(12) {
            0 => encode::r(opc::OP_FP, fd, self.rm(), fs1, 1, 0x20), // fcvt.s.d
            1 => encode::r(opc::OP_FP, fd, self.rm(), fs1, 0, 0x21), // fcvt.d.s
            2..=3 => {
                // fle flt feq
                let f3 = self.rng.below(3) as u32;
                encode::r(opc::OP_FP, self.rd(), f3, fs1, fs2, 0x50 | fmt)
            }
            4 => encode::r(opc::OP_FP, self.rd(), 1, fs1, 0, 0x70 | fmt), // fclass
            5 => encode::r(opc::OP_FP, self.rd(), 0, fs1, 0, 0x70 | fmt), // fmv.x.w / fmv.x.d
            6..=8 => {
                // fcvt.{w,wu,l,lu}.{s,d}
                let k = self.rng.below(4) as u8;
                encode::r(opc::OP_FP, self.rd(), self.rm(), fs1, k, 0x60 | fmt)
            }
            9..=10 => {
                // fcvt.{s,d}.{w,wu,l,lu}
                let k = self.rng.below(4) as u8;
                encode::r(opc::OP_FP, fd, self.rm(), self.rs(), k, 0x68 | fmt)
            }
            _ => encode::r(opc::OP_FP, fd, 0, self.rs(), 0, 0x78 | fmt), // fmv.w.x / fmv.d.x
        };
        self.e(insn);
    }

    // ---- system -----------------------------------------------------------

    /// CSR accesses: the FP CSRs, the scratch registers and the counters
    /// (reads, plus writes that are illegal for read-only counters). Some of
    /// them trap at the body's privilege; that is part of the point.
    fn csr_op(&mut self) {
        // Those above the body's privilege are rarer: they only ever trap.
        let (s, m) = match self.mode {
            BodyMode::Machine => (3, 3),
            BodyMode::Supervisor => (3, 1),
            BodyMode::User => (1, 1),
        };
        let c = self.cfg.counters as u32;
        let csr = self.rng.weighted(&[
            (5, FFLAGS),
            (5, FRM),
            (4, FCSR),
            (s, SSCRATCH),
            (m, MSCRATCH),
            (2 * c, CYCLE),
            (2 * c, INSTRET),
            (c, MCYCLE),
            (c, MINSTRET),
            (1, MHARTID),
        ]);
        let rd = if self.rng.percent(25) { 0 } else { self.rd() };
        let read_only = matches!(csr, CYCLE | INSTRET | MHARTID);
        let counter = matches!(csr, MCYCLE | MINSTRET);
        let insn = if (read_only && self.rng.percent(85)) || (counter && self.rng.percent(80)) {
            encode::csr(rd, 2, 0, csr) // a plain read
        } else if csr == FRM && self.rng.percent(95) {
            // Mostly a valid mode: a reserved frm makes every instruction
            // with dynamic rounding trap until frm is written again.
            let valid = if self.rng.percent(50) { 0 } else { self.rng.below(5) };
            let uimm = if self.rng.percent(97) { valid } else { self.rng.range(5, 7) as u64 };
            encode::csr(rd, 5, uimm as Reg, csr)
        } else if csr == FCSR && self.rng.percent(95) {
            // The immediate forms only reach fflags (csrrwi also zeroes frm).
            let f3 = self.rng.pick(&[5, 6, 7]);
            encode::csr(rd, f3, self.rng.below(32) as Reg, csr)
        } else {
            let f3 = self.rng.pick(&[1, 2, 3, 5, 6, 7]);
            let src = if f3 < 4 { self.rs() } else { self.rng.below(32) as Reg };
            encode::csr(rd, f3, src, csr)
        };
        self.e(insn);
    }

    fn fence(&mut self) {
        let insn = match self.rng.below(6) {
            0..=1 => encode::fence(0, self.rng.range(1, 15) as u32, self.rng.range(1, 15) as u32),
            2 => encode::fence(8, 3, 3), // fence.tso
            3..=4 => fixed::FENCE_I,
            _ => {
                // Illegal in U-mode.
                let rs1 = if self.rng.percent(50) { 0 } else { self.rs() };
                let rs2 = if self.rng.percent(50) { 0 } else { self.rs() };
                encode::sfence_vma(rs1, rs2)
            }
        };
        self.e(insn);
    }

    /// Instructions that always trap: environment calls, breakpoints,
    /// illegal encodings, privilege violations, reserved rounding modes.
    fn trap(&mut self) {
        self.stats.planted_traps += 1;
        match self.rng.below(12) {
            0..=1 => self.e(fixed::ECALL),
            2 => self.e(fixed::EBREAK),
            3 => self.c(fixed::C_EBREAK),
            4 => self.asm.emit_bytes(&[0; 4]), // two c.unimp (illegal) halves
            5 => self.asm.emit_bytes(&[0xff; 4]),
            6 => self.asm.emit_bytes(&[0; 2]),
            7 => {
                // A write to a read-only counter.
                let csr = self.rng.pick(&[CYCLE, INSTRET, MHARTID]);
                let rs = self.rng.range(1, 31) as Reg;
                self.e(encode::csr(0, 1, rs, csr));
            }
            8 => {
                // An xRET from a lower privilege (from the body's own
                // privilege it would return somewhere unpredictable).
                match self.mode {
                    BodyMode::Machine => self.e(fixed::EBREAK),
                    BodyMode::Supervisor => self.e(fixed::MRET),
                    BodyMode::User => {
                        let xret = if self.rng.percent(50) { fixed::MRET } else { fixed::SRET };
                        self.e(xret);
                    }
                }
            }
            9 => {
                // A CSR above the body's privilege (M-mode has none: ecall).
                let rd = self.rd();
                match self.mode {
                    BodyMode::Machine => self.e(fixed::ECALL),
                    BodyMode::Supervisor => self.e(encode::csr(rd, 2, 0, MSTATUS)),
                    BodyMode::User => self.e(encode::csr(rd, 2, 0, SSTATUS_CSR)),
                }
            }
            _ => {
                // A reserved static rounding mode.
                let fmt = self.rng.below(2) as u32;
                let rm = self.rng.pick(&[5, 6]);
                let (rd, rs1, rs2) = (self.fr(), self.fr(), self.fr());
                let f5 = self.rng.below(4) as u32;
                self.e(encode::r(opc::OP_FP, rd, rm, rs1, rs2, f5 << 2 | fmt));
            }
        }
    }

    // ---- control flow -----------------------------------------------------

    /// A forward conditional branch over a few items (taken or not,
    /// depending on the data).
    fn forward_branch(&mut self, block: usize) {
        let skip = self.asm.label();
        let saved = self.ctx;
        self.ctx.depth += 1;
        let items = if self.rng.percent(20) {
            self.ctx.small = true;
            let rs = self.rs_c();
            let ne = self.rng.percent(50);
            self.asm.c_branch(ne, rs, skip);
            self.rng.range(1, 2)
        } else {
            let f3 = self.rng.pick(&[0, 1, 4, 5, 6, 7]);
            let rs1 = self.rs();
            let rs2 = if self.rng.percent(15) { rs1 } else { self.rs() };
            self.asm.branch(f3, rs1, rs2, skip);
            self.rng.range(1, 3)
        };
        for _ in 0..items {
            self.item(block);
        }
        self.asm.bind(skip);
        self.ctx = saved;
    }

    /// An unconditional jump over bytes that must never execute.
    fn jump_over_junk(&mut self) {
        let over = self.asm.label();
        if self.rng.percent(50) {
            self.asm.c_j(over);
        } else {
            let rd = if self.rng.percent(70) { 0 } else { self.rd() };
            self.asm.jal(rd, over);
        }
        self.junk();
        self.asm.bind(over);
    }

    /// A jump to an address that cannot be fetched: outside RAM, the data
    /// region or guard page (PMP denies execute), or (with paging) unmapped
    /// or non-executable pages. The handler resumes at `gp`, set just before.
    fn wild_jump(&mut self) {
        let data = RAM_BASE + DATA as u64 + 2 * self.rng.below(DATA_SIZE as u64 / 2);
        let mut targets = vec![
            0,
            0x1000,
            WEIRD_VA + 0x40_0000,
            RAM_BASE + 0x1000_0000,
            RAM_BASE + GUARD as u64 + 2 * self.rng.below(2048),
            data,
            data,
            u64::MAX - 0xfff,
            0x0000_0040_0000_0000,
            ALIAS_VA + BODY as u64,
        ];
        if self.cfg.paging {
            targets.extend([RAM_BASE + CTRL as u64, RAM_BASE + PT_L0 as u64]);
            if self.mode == BodyMode::User {
                targets.push(RAM_BASE); // the S handler: not executable from U-mode
            }
        }
        let target = self.rng.pick(&targets);
        let recover = self.asm.label();
        self.asm.la(GP, recover);
        let near = (target as i64 - self.asm.pc() as i64).abs() < 0xf_0000;
        if near && self.rng.percent(30) {
            let l = self.asm.label();
            self.asm.bind_at(l, (target - RAM_BASE) as usize);
            let rd = if self.rng.percent(50) { 0 } else { self.rd() };
            self.asm.jal(rd, l);
        } else {
            let t = self.rd();
            self.li(t, target);
            let link_ra = self.writable() & 1 << RA != 0;
            match self.rng.below(4) {
                0 => self.c(encode::c_jr(t)),
                1 if link_ra => self.c(encode::c_jalr(t)),
                _ => {
                    let rd = if self.rng.percent(50) { 0 } else { self.rd() };
                    self.e(encode::jalr(rd, t, 0));
                }
            }
        }
        self.asm.bind(recover);
        self.stats.wild_jumps += 1;
    }

    fn call(&mut self) {
        let recent = &self.leaves[self.leaves.len().saturating_sub(4)..];
        let Some(&leaf) = recent.get(self.rng.below(recent.len() as u64) as usize) else {
            return self.alu_reg();
        };
        match self.rng.below(4) {
            0 => {
                let t = self.rd();
                self.asm.far_jump(t, leaf.link, leaf.label);
            }
            1 if leaf.link == RA => {
                let t = self.rd();
                self.asm.la(t, leaf.label);
                self.c(encode::c_jalr(t));
            }
            _ => self.asm.jal(leaf.link, leaf.label),
        }
        self.stats.calls += 1;
    }

    /// A loop running 1 to 8 times, its counter reserved while it runs.
    fn bounded_loop(&mut self, block: usize) {
        let Some(counter) = self.rd_in(LINK_POOL) else { return self.alu_imm() };
        let saved = (self.ctx, self.busy);
        self.busy |= 1 << counter;
        self.ctx.in_inner_loop = self.ctx.in_loop;
        self.ctx.in_loop = true;
        let n = self.rng.range(1, 8);
        self.li(counter, n as u64);
        let top = self.asm.here();
        for _ in 0..self.rng.range(2, 8) {
            self.item(block);
        }
        match self.rng.below(3) {
            0 => self.c(encode::c_addi(counter, -1)),
            1 => self.e(encode::i(opc::OP_IMM_32, counter, 0, counter, -1)),
            _ => self.e(encode::i(opc::OP_IMM, counter, 0, counter, -1)),
        }
        let back = self.asm.pc() - self.asm.addr(top).expect("bound");
        let compressible = CREGS & 1 << counter != 0 && back <= 256;
        match self.rng.below(4) {
            0 if compressible => self.asm.c_branch(true, counter, top),
            1 => self.asm.branch(4, 0, counter, top), // blt zero, counter
            2 => self.asm.branch(6, 0, counter, top), // bltu zero, counter
            _ => self.asm.branch(1, counter, 0, top), // bnez counter
        }
        (self.ctx, self.busy) = saved;
        self.stats.loops += 1;
    }

    // ---- self-modifying code -------------------------------------------------

    /// Emits a patchable slot holding its original instruction.
    fn place_slot(&mut self, slot: Slot) {
        if slot.len == 4 {
            self.asm.align(4);
        }
        self.asm.bind(slot.label);
        let insn = self.slot_insn(slot.len);
        if slot.len == 4 {
            self.e(insn);
        } else {
            self.c(insn as u16);
        }
    }

    /// An instruction for a slot: ALU only, writing SLOT_POOL only.
    fn slot_insn(&mut self, len: u8) -> u32 {
        let rd = self.rng.reg_in(SLOT_POOL);
        let rs1 = self.rs();
        if len == 2 {
            let rs = self.rng.range(1, 31) as Reg;
            let imm = self.rng.range(1, 31) as i32;
            return match self.rng.below(4) {
                0 => encode::c_addi(rd, imm),
                1 => encode::c_li(rd, -imm),
                2 => encode::c_mv(rd, rs),
                _ => encode::c_add(rd, rs),
            } as u32;
        }
        match self.rng.below(3) {
            0 => {
                let (op, f3, f7) = self.rng.pick(&ALU_REG);
                encode::r(op, rd, f3, rs1, self.rs(), f7)
            }
            1 => {
                let (op, f3, f7) = self.rng.pick(&BIT_REG);
                encode::r(op, rd, f3, rs1, self.rs(), f7)
            }
            _ => {
                let (op, f3) = self.rng.pick(&ALU_IMM);
                encode::i(op, rd, f3, rs1, self.imm12())
            }
        }
    }

    /// Overwrites a slot in a later block or a leaf function (which may have
    /// run, and been translated, already) with a new instruction, then
    /// `fence.i`. With paging, sometimes through the alias mapping, so the
    /// store's virtual address is not the one the code runs at.
    fn code_store(&mut self, block: usize) {
        let later = block + self.rng.range(1, 8) as usize;
        let slot = if !self.leaf_slots.is_empty() && (later >= self.cfg.blocks || self.rng.percent(40)) {
            self.rng.pick(&self.leaf_slots)
        } else if later < self.cfg.blocks {
            let len = if self.rng.percent(75) { 4 } else { 2 };
            let slot = Slot { label: self.asm.label(), len };
            self.pending[later].push(slot);
            slot
        } else {
            return self.fence();
        };
        let new = self.slot_insn(slot.len);
        let t = self.rd();
        self.busy |= 1 << t;
        let v = self.rd();
        self.busy &= !(1 << t);
        self.asm.la(t, slot.label);
        if self.cfg.paging && self.rng.percent(25) {
            // Through the alias mapping: the same physical code, written at
            // another virtual address.
            self.e(encode::u(opc::LUI, v, (ALIAS_VA - RAM_BASE) as u32 >> 12));
            self.e(encode::r(opc::OP, t, 0, t, v, 0));
        }
        if slot.len == 2 {
            self.li(v, new as u64);
            self.e(encode::s(opc::STORE, 1, t, v, 0));
        } else {
            self.li(v, new as i32 as u64);
            match self.rng.below(4) {
                0 => {
                    // Two halves.
                    self.e(encode::s(opc::STORE, 1, t, v, 0));
                    self.e(encode::shift_imm(opc::OP_IMM, v, 5, v, 0, 16, 6));
                    self.e(encode::s(opc::STORE, 1, t, v, 2));
                }
                1 => {
                    let rd = if self.rng.percent(50) { 0 } else { self.rd() };
                    self.e(encode::amo(1, false, false, rd, 2, t, v)); // amoswap.w
                }
                _ if CREGS & (1 << t | 1 << v) == (1 << t | 1 << v) => self.c(encode::c_store(CWidth::Word, v, t, 0)),
                _ => self.e(encode::s(opc::STORE, 2, t, v, 0)),
            }
        }
        self.e(fixed::FENCE_I);
        self.stats.code_stores += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hartvm_runtime::{VcpuExit, Vm, VmConfig};

    /// `li` (in all its random shapes) loads exactly the value asked for.
    #[test]
    fn li_loads_every_value() {
        let cfg = GenConfig::default();
        let mut g = Gen::new(Rng::new(5), &cfg, BodyMode::Machine);
        let mut values: Vec<u64> = INTERESTING_X.to_vec();
        values.extend(INTERESTING_D);
        values.extend((0..64).flat_map(|k| [1u64 << k, (1u64 << k) - 1, !(1u64 << k), (-2048i64 << k) as u64]));
        values.extend((0..2000).map(|_| g.value()));
        values.extend((0..500).map(|_| g.rng.next()));
        let out = RAM_BASE + 0x8_0000; // past the code
        g.li(TP, out);
        for (k, &v) in values.iter().enumerate() {
            let rd = [T0, T1, SP, 10, 31][k % 5];
            g.li(rd, v);
            g.li(S0, out + 8 + 8 * k as u64);
            g.e(encode::s(opc::STORE, 3, S0, rd, 0));
        }
        g.exit(EXIT_OK);
        let image = g.asm.finish();

        let vm = Vm::new(VmConfig { mem_size: 1 << 20, ..VmConfig::default() }).unwrap();
        assert!(vm.memory().write(RAM_BASE, &image));
        vm.watch_word(out);
        let mut vcpu = vm.create_vcpu(0).unwrap();
        vcpu.set_instruction_limit(1_000_000);
        assert_eq!(vcpu.run(), VcpuExit::Watch { addr: out, value: EXIT_OK });
        for (k, &v) in values.iter().enumerate() {
            let mut b = [0u8; 8];
            assert!(vm.memory().read(out + 8 + 8 * k as u64, &mut b));
            assert_eq!(u64::from_le_bytes(b), v, "li {v:#x}");
        }
    }

    #[test]
    fn rng_is_uniform_enough() {
        let mut rng = Rng::new(1);
        let mut counts = [0u32; 10];
        for _ in 0..100_000 {
            counts[rng.below(10) as usize] += 1;
        }
        assert!(counts.iter().all(|&c| (9_000..11_000).contains(&c)), "{counts:?}");
        assert_eq!(rng.reg_in(1 << 7), 7);
        assert!((0..1000).all(|_| (3..=9).contains(&rng.range(3, 9))));
    }
}
