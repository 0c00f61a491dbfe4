//! F and D instructions on top of `hartvm-softfloat`, generic over the two
//! formats. Single-precision values live NaN-boxed in 64-bit registers.

use hartvm_frontend::{Inst, Op};
use hartvm_softfloat as sf;
use sf::{Flags, RoundingMode};

use crate::interp::{extend, illegal, Flow, LoadMiss, Stop};
use crate::vcpu::{Core, PendingLoad};

/// One IEEE format as the F/D instructions see it.
trait Format {
    /// Width in bytes.
    const BYTES: usize;
    /// The sign bit, in register bits.
    const SIGN: u64;
    /// The value a register holds, as this format's bits (unboxing f32).
    fn read(reg: u64) -> u64;
    /// The register contents for a result (boxing f32).
    fn write(v: u64) -> u64;
    fn add(a: u64, b: u64, rm: RoundingMode, f: &mut Flags) -> u64;
    fn sub(a: u64, b: u64, rm: RoundingMode, f: &mut Flags) -> u64;
    fn mul(a: u64, b: u64, rm: RoundingMode, f: &mut Flags) -> u64;
    fn div(a: u64, b: u64, rm: RoundingMode, f: &mut Flags) -> u64;
    fn sqrt(a: u64, rm: RoundingMode, f: &mut Flags) -> u64;
    fn mul_add(a: u64, b: u64, c: u64, rm: RoundingMode, f: &mut Flags) -> u64;
    fn min(a: u64, b: u64, f: &mut Flags) -> u64;
    fn max(a: u64, b: u64, f: &mut Flags) -> u64;
    fn eq(a: u64, b: u64, f: &mut Flags) -> bool;
    fn lt(a: u64, b: u64, f: &mut Flags) -> bool;
    fn le(a: u64, b: u64, f: &mut Flags) -> bool;
    fn classify(a: u64) -> u64;
    fn to_i32(a: u64, rm: RoundingMode, f: &mut Flags) -> i32;
    fn to_u32(a: u64, rm: RoundingMode, f: &mut Flags) -> u32;
    fn to_i64(a: u64, rm: RoundingMode, f: &mut Flags) -> i64;
    fn to_u64(a: u64, rm: RoundingMode, f: &mut Flags) -> u64;
    fn from_i32(a: i32, rm: RoundingMode, f: &mut Flags) -> u64;
    fn from_u32(a: u32, rm: RoundingMode, f: &mut Flags) -> u64;
    fn from_i64(a: i64, rm: RoundingMode, f: &mut Flags) -> u64;
    fn from_u64(a: u64, rm: RoundingMode, f: &mut Flags) -> u64;
}

struct S;
struct D;

const BOX: u64 = 0xffff_ffff_0000_0000;

impl Format for S {
    const BYTES: usize = 4;
    const SIGN: u64 = 1 << 31;
    fn read(reg: u64) -> u64 {
        if reg & BOX == BOX {
            reg & 0xffff_ffff
        } else {
            sf::F32_CANONICAL_NAN as u64
        }
    }
    fn write(v: u64) -> u64 {
        BOX | (v & 0xffff_ffff)
    }
    fn add(a: u64, b: u64, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::f32_add(a as u32, b as u32, rm, f) as u64
    }
    fn sub(a: u64, b: u64, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::f32_sub(a as u32, b as u32, rm, f) as u64
    }
    fn mul(a: u64, b: u64, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::f32_mul(a as u32, b as u32, rm, f) as u64
    }
    fn div(a: u64, b: u64, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::f32_div(a as u32, b as u32, rm, f) as u64
    }
    fn sqrt(a: u64, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::f32_sqrt(a as u32, rm, f) as u64
    }
    fn mul_add(a: u64, b: u64, c: u64, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::f32_mul_add(a as u32, b as u32, c as u32, rm, f) as u64
    }
    fn min(a: u64, b: u64, f: &mut Flags) -> u64 {
        sf::f32_min(a as u32, b as u32, f) as u64
    }
    fn max(a: u64, b: u64, f: &mut Flags) -> u64 {
        sf::f32_max(a as u32, b as u32, f) as u64
    }
    fn eq(a: u64, b: u64, f: &mut Flags) -> bool {
        sf::f32_eq(a as u32, b as u32, f)
    }
    fn lt(a: u64, b: u64, f: &mut Flags) -> bool {
        sf::f32_lt(a as u32, b as u32, f)
    }
    fn le(a: u64, b: u64, f: &mut Flags) -> bool {
        sf::f32_le(a as u32, b as u32, f)
    }
    fn classify(a: u64) -> u64 {
        sf::f32_classify(a as u32)
    }
    fn to_i32(a: u64, rm: RoundingMode, f: &mut Flags) -> i32 {
        sf::f32_to_i32(a as u32, rm, f)
    }
    fn to_u32(a: u64, rm: RoundingMode, f: &mut Flags) -> u32 {
        sf::f32_to_u32(a as u32, rm, f)
    }
    fn to_i64(a: u64, rm: RoundingMode, f: &mut Flags) -> i64 {
        sf::f32_to_i64(a as u32, rm, f)
    }
    fn to_u64(a: u64, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::f32_to_u64(a as u32, rm, f)
    }
    fn from_i32(a: i32, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::i32_to_f32(a, rm, f) as u64
    }
    fn from_u32(a: u32, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::u32_to_f32(a, rm, f) as u64
    }
    fn from_i64(a: i64, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::i64_to_f32(a, rm, f) as u64
    }
    fn from_u64(a: u64, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::u64_to_f32(a, rm, f) as u64
    }
}

impl Format for D {
    const BYTES: usize = 8;
    const SIGN: u64 = 1 << 63;
    fn read(reg: u64) -> u64 {
        reg
    }
    fn write(v: u64) -> u64 {
        v
    }
    fn add(a: u64, b: u64, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::f64_add(a, b, rm, f)
    }
    fn sub(a: u64, b: u64, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::f64_sub(a, b, rm, f)
    }
    fn mul(a: u64, b: u64, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::f64_mul(a, b, rm, f)
    }
    fn div(a: u64, b: u64, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::f64_div(a, b, rm, f)
    }
    fn sqrt(a: u64, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::f64_sqrt(a, rm, f)
    }
    fn mul_add(a: u64, b: u64, c: u64, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::f64_mul_add(a, b, c, rm, f)
    }
    fn min(a: u64, b: u64, f: &mut Flags) -> u64 {
        sf::f64_min(a, b, f)
    }
    fn max(a: u64, b: u64, f: &mut Flags) -> u64 {
        sf::f64_max(a, b, f)
    }
    fn eq(a: u64, b: u64, f: &mut Flags) -> bool {
        sf::f64_eq(a, b, f)
    }
    fn lt(a: u64, b: u64, f: &mut Flags) -> bool {
        sf::f64_lt(a, b, f)
    }
    fn le(a: u64, b: u64, f: &mut Flags) -> bool {
        sf::f64_le(a, b, f)
    }
    fn classify(a: u64) -> u64 {
        sf::f64_classify(a)
    }
    fn to_i32(a: u64, rm: RoundingMode, f: &mut Flags) -> i32 {
        sf::f64_to_i32(a, rm, f)
    }
    fn to_u32(a: u64, rm: RoundingMode, f: &mut Flags) -> u32 {
        sf::f64_to_u32(a, rm, f)
    }
    fn to_i64(a: u64, rm: RoundingMode, f: &mut Flags) -> i64 {
        sf::f64_to_i64(a, rm, f)
    }
    fn to_u64(a: u64, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::f64_to_u64(a, rm, f)
    }
    fn from_i32(a: i32, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::i32_to_f64(a, rm, f)
    }
    fn from_u32(a: u32, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::u32_to_f64(a, rm, f)
    }
    fn from_i64(a: i64, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::i64_to_f64(a, rm, f)
    }
    fn from_u64(a: u64, rm: RoundingMode, f: &mut Flags) -> u64 {
        sf::u64_to_f64(a, rm, f)
    }
}

/// The operation an FP instruction performs, independent of format.
#[derive(Clone, Copy)]
enum Kind {
    Load,
    Store,
    /// Fused multiply-add; (negate product, negate addend).
    MulAdd(bool, bool),
    Add,
    Sub,
    Mul,
    Div,
    Sqrt,
    SignInject,
    SignInjectNeg,
    SignInjectXor,
    Min,
    Max,
    ToI32,
    ToU32,
    ToI64,
    ToU64,
    FromI32,
    FromU32,
    FromI64,
    FromU64,
    MoveToInt,
    MoveFromInt,
    Classify,
    Eq,
    Lt,
    Le,
    /// fcvt.s.d / fcvt.d.s: convert from the other format.
    Convert,
}

/// The format and kind of an FP op.
fn classify_op(op: Op) -> Option<(bool, Kind)> {
    use Kind::*;
    let (double, kind) = match op {
        Op::Flw => (false, Load),
        Op::Fsw => (false, Store),
        Op::FmaddS => (false, MulAdd(false, false)),
        Op::FmsubS => (false, MulAdd(false, true)),
        Op::FnmsubS => (false, MulAdd(true, false)),
        Op::FnmaddS => (false, MulAdd(true, true)),
        Op::FaddS => (false, Add),
        Op::FsubS => (false, Sub),
        Op::FmulS => (false, Mul),
        Op::FdivS => (false, Div),
        Op::FsqrtS => (false, Sqrt),
        Op::FsgnjS => (false, SignInject),
        Op::FsgnjnS => (false, SignInjectNeg),
        Op::FsgnjxS => (false, SignInjectXor),
        Op::FminS => (false, Min),
        Op::FmaxS => (false, Max),
        Op::FcvtWS => (false, ToI32),
        Op::FcvtWuS => (false, ToU32),
        Op::FcvtLS => (false, ToI64),
        Op::FcvtLuS => (false, ToU64),
        Op::FmvXW => (false, MoveToInt),
        Op::FclassS => (false, Classify),
        Op::FeqS => (false, Eq),
        Op::FltS => (false, Lt),
        Op::FleS => (false, Le),
        Op::FcvtSW => (false, FromI32),
        Op::FcvtSWu => (false, FromU32),
        Op::FcvtSL => (false, FromI64),
        Op::FcvtSLu => (false, FromU64),
        Op::FmvWX => (false, MoveFromInt),
        Op::FcvtSD => (false, Convert),
        Op::Fld => (true, Load),
        Op::Fsd => (true, Store),
        Op::FmaddD => (true, MulAdd(false, false)),
        Op::FmsubD => (true, MulAdd(false, true)),
        Op::FnmsubD => (true, MulAdd(true, false)),
        Op::FnmaddD => (true, MulAdd(true, true)),
        Op::FaddD => (true, Add),
        Op::FsubD => (true, Sub),
        Op::FmulD => (true, Mul),
        Op::FdivD => (true, Div),
        Op::FsqrtD => (true, Sqrt),
        Op::FsgnjD => (true, SignInject),
        Op::FsgnjnD => (true, SignInjectNeg),
        Op::FsgnjxD => (true, SignInjectXor),
        Op::FminD => (true, Min),
        Op::FmaxD => (true, Max),
        Op::FcvtWD => (true, ToI32),
        Op::FcvtWuD => (true, ToU32),
        Op::FcvtLD => (true, ToI64),
        Op::FcvtLuD => (true, ToU64),
        Op::FmvXD => (true, MoveToInt),
        Op::FclassD => (true, Classify),
        Op::FeqD => (true, Eq),
        Op::FltD => (true, Lt),
        Op::FleD => (true, Le),
        Op::FcvtDW => (true, FromI32),
        Op::FcvtDWu => (true, FromU32),
        Op::FcvtDL => (true, FromI64),
        Op::FcvtDLu => (true, FromU64),
        Op::FmvDX => (true, MoveFromInt),
        Op::FcvtDS => (true, Convert),
        _ => return None,
    };
    Some((double, kind))
}

/// Kinds whose result depends on the rounding mode.
fn rounds(kind: Kind) -> bool {
    use Kind::*;
    matches!(
        kind,
        MulAdd(..)
            | Add
            | Sub
            | Mul
            | Div
            | Sqrt
            | ToI32
            | ToU32
            | ToI64
            | ToU64
            | FromI32
            | FromU32
            | FromI64
            | FromU64
            | Convert
    )
}

/// What an FP instruction produced.
enum Result {
    Float(u64),
    Int(u64),
}

impl Core {
    /// Executes an F or D instruction (anything else is illegal).
    #[inline(never)]
    pub(crate) fn exec_fp(&mut self, i: &Inst) -> Flow {
        let Some((double, kind)) = classify_op(i.op) else { return illegal(i) };
        if !self.hart.fp_enabled() {
            return illegal(i);
        }
        let Some(rm) = self.rounding_mode(i.rm, kind) else { return illegal(i) };
        match kind {
            Kind::Load => return self.fp_load(i, if double { 8 } else { 4 }),
            Kind::Store => {
                let v = self.hart.f[i.rs2 as usize];
                let va = self.hart.x[i.rs1 as usize].wrapping_add(i.imm as i64 as u64);
                return self.store(va, if double { 8 } else { 4 }, v);
            }
            _ => {}
        }
        let h = &self.hart;
        let ops = FpOperands {
            f1: h.f[i.rs1 as usize],
            f2: h.f[i.rs2 as usize],
            f3: h.f[i.rs3 as usize],
            x1: h.x[i.rs1 as usize],
        };
        let mut flags = Flags::default();
        let result = if double {
            fp_compute::<D, S>(&ops, kind, rm, &mut flags)
        } else {
            fp_compute::<S, D>(&ops, kind, rm, &mut flags)
        };
        match result {
            Result::Float(v) => {
                self.hart.f[i.rd as usize] = v;
                self.hart.set_fs_dirty();
            }
            Result::Int(v) => {
                if i.rd != 0 {
                    self.hart.x[i.rd as usize] = v;
                }
            }
        }
        if flags.0 != 0 {
            self.hart.csr.fflags |= flags.0;
            self.hart.set_fs_dirty();
        }
        Flow::Next
    }

    /// The rounding mode an instruction's `field` selects (7: `frm`);
    /// `None` if it is reserved.
    fn dynamic_rounding(&self, field: u8) -> Option<RoundingMode> {
        RoundingMode::from_bits(if field == 7 { self.hart.csr.frm } else { field })
    }

    /// The rounding mode an instruction of `kind` uses: from its `field`
    /// if it rounds (`None` if reserved), else round-to-nearest-even.
    fn rounding_mode(&self, field: u8, kind: Kind) -> Option<RoundingMode> {
        if rounds(kind) {
            self.dynamic_rounding(field)
        } else {
            Some(RoundingMode::NearestEven)
        }
    }

    /// The JIT's FP helper: computes the arithmetic (non-memory) FP
    /// instruction `i` from operand values and accrues its flags; returns
    /// the destination register's new contents. `None` if it must trap
    /// (FP off or an invalid rounding mode), with nothing changed.
    pub(crate) fn fp_eval(&mut self, i: &Inst, ops: &FpOperands) -> Option<u64> {
        let (double, kind) = classify_op(i.op)?;
        if !self.hart.fp_enabled() || matches!(kind, Kind::Load | Kind::Store) {
            return None;
        }
        let rm = self.rounding_mode(i.rm, kind)?;
        let mut flags = Flags::default();
        let result = if double {
            fp_compute::<D, S>(ops, kind, rm, &mut flags)
        } else {
            fp_compute::<S, D>(ops, kind, rm, &mut flags)
        };
        self.hart.set_fs_dirty();
        self.hart.csr.fflags |= flags.0;
        Some(match result {
            Result::Float(v) | Result::Int(v) => v,
        })
    }
}

/// The register values an FP instruction may read.
pub(crate) struct FpOperands {
    /// `f[rs1]`.
    pub(crate) f1: u64,
    /// `f[rs2]`.
    pub(crate) f2: u64,
    /// `f[rs3]`.
    pub(crate) f3: u64,
    /// `x[rs1]`.
    pub(crate) x1: u64,
}

/// `F` is the instruction's format, `O` the other one (for fcvt.s.d / fcvt.d.s).
fn fp_compute<F: Format, O: Format>(ops: &FpOperands, kind: Kind, rm: RoundingMode, fl: &mut Flags) -> Result {
    let a = F::read(ops.f1);
    let b = F::read(ops.f2);
    let x1 = ops.x1;
    let float = |v: u64| Result::Float(F::write(v));
    match kind {
        Kind::MulAdd(neg_product, neg_addend) => {
            let c = F::read(ops.f3);
            let a = if neg_product { a ^ F::SIGN } else { a };
            let c = if neg_addend { c ^ F::SIGN } else { c };
            float(F::mul_add(a, b, c, rm, fl))
        }
        Kind::Add => float(F::add(a, b, rm, fl)),
        Kind::Sub => float(F::sub(a, b, rm, fl)),
        Kind::Mul => float(F::mul(a, b, rm, fl)),
        Kind::Div => float(F::div(a, b, rm, fl)),
        Kind::Sqrt => float(F::sqrt(a, rm, fl)),
        Kind::SignInject => float((a & !F::SIGN) | (b & F::SIGN)),
        Kind::SignInjectNeg => float((a & !F::SIGN) | (!b & F::SIGN)),
        Kind::SignInjectXor => float(a ^ (b & F::SIGN)),
        Kind::Min => float(F::min(a, b, fl)),
        Kind::Max => float(F::max(a, b, fl)),
        Kind::ToI32 => Result::Int(F::to_i32(a, rm, fl) as i64 as u64),
        Kind::ToU32 => Result::Int(F::to_u32(a, rm, fl) as i32 as i64 as u64),
        Kind::ToI64 => Result::Int(F::to_i64(a, rm, fl) as u64),
        Kind::ToU64 => Result::Int(F::to_u64(a, rm, fl)),
        Kind::FromI32 => float(F::from_i32(x1 as i32, rm, fl)),
        Kind::FromU32 => float(F::from_u32(x1 as u32, rm, fl)),
        Kind::FromI64 => float(F::from_i64(x1 as i64, rm, fl)),
        Kind::FromU64 => float(F::from_u64(x1, rm, fl)),
        Kind::MoveToInt => Result::Int(extend(ops.f1, F::BYTES, true)),
        Kind::MoveFromInt => float(x1),
        Kind::Classify => Result::Int(F::classify(a)),
        Kind::Eq => Result::Int(F::eq(a, b, fl) as u64),
        Kind::Lt => Result::Int(F::lt(a, b, fl) as u64),
        Kind::Le => Result::Int(F::le(a, b, fl) as u64),
        Kind::Convert => {
            let src = O::read(ops.f1);
            float(if F::BYTES == 4 { sf::f64_to_f32(src, rm, fl) as u64 } else { sf::f32_to_f64(src as u32, fl) })
        }
        Kind::Load | Kind::Store => unreachable!("memory kinds are handled by exec_fp"),
    }
}

impl Core {
    fn fp_load(&mut self, i: &Inst, size: usize) -> Flow {
        let va = self.hart.x[i.rs1 as usize].wrapping_add(i.imm as i64 as u64);
        match self.load(va, size) {
            Ok(v) => {
                self.hart.f[i.rd as usize] = if size == 4 { S::write(v) } else { v };
                self.hart.set_fs_dirty();
                Flow::Next
            }
            Err(LoadMiss::Flow(f)) => f,
            Err(LoadMiss::Mmio) => {
                self.pending_load =
                    Some(PendingLoad { rd: i.rd, size: size as u8, signed: false, float: true, len: i.len });
                Flow::Stop(Stop::MmioRead)
            }
        }
    }
}

/// Operations with a direct JIT helper (see [`direct_helper`]).
mod direct {
    pub const ADD: u8 = 0;
    pub const SUB: u8 = 1;
    pub const MUL: u8 = 2;
    pub const DIV: u8 = 3;
    /// Fused multiply-add; the low two bits of `K - MADD` negate the product
    /// (bit 1) and the addend (bit 0).
    pub const MADD: u8 = 4;
    pub const SQRT: u8 = 8;
    pub const MIN: u8 = 9;
    pub const MAX: u8 = 10;
    /// Comparisons: the result goes to an integer register.
    pub const EQ: u8 = 11;
    pub const LT: u8 = 12;
    pub const LE: u8 = 13;
}

/// A direct helper for translated code: `(ctx, a, b, c, rm) -> result` for
/// FP register contents `a`, `b`, `c` (passed as doubles: raw bits in host
/// FP registers),
/// the common arithmetic and comparisons, skipping the generic decode of
/// [`Core::fp_eval`]. `rm` is the instruction's field (7: use `frm`). A
/// comparison returns 0 or 1 for an integer register; the others return
/// FP register contents.
pub(crate) fn direct_helper(op: Op) -> Option<usize> {
    type Helper = extern "C" fn(*mut u8, f64, f64, f64, u64) -> u64;
    fn pick<F: Format>(kind: Kind) -> Option<Helper> {
        Some(match kind {
            Kind::Add => arith::<F, { direct::ADD }>,
            Kind::Sub => arith::<F, { direct::SUB }>,
            Kind::Mul => arith::<F, { direct::MUL }>,
            Kind::Div => arith::<F, { direct::DIV }>,
            Kind::MulAdd(false, false) => arith::<F, { direct::MADD }>,
            Kind::MulAdd(false, true) => arith::<F, { direct::MADD + 1 }>,
            Kind::MulAdd(true, false) => arith::<F, { direct::MADD + 2 }>,
            Kind::MulAdd(true, true) => arith::<F, { direct::MADD + 3 }>,
            Kind::Sqrt => arith::<F, { direct::SQRT }>,
            Kind::Min => arith::<F, { direct::MIN }>,
            Kind::Max => arith::<F, { direct::MAX }>,
            Kind::Eq => arith::<F, { direct::EQ }>,
            Kind::Lt => arith::<F, { direct::LT }>,
            Kind::Le => arith::<F, { direct::LE }>,
            _ => return None,
        })
    }
    let (double, kind) = classify_op(op)?;
    let helper = if double { pick::<D>(kind) } else { pick::<S>(kind) };
    helper.map(|h| h as usize)
}

extern "C" fn arith<F: Format, const K: u8>(ctx: *mut u8, a: f64, b: f64, c: f64, rm: u64) -> u64 {
    // SAFETY: translated code passes the context pointer it was entered
    // with, made from a live `&mut Core` by the dispatcher.
    let core = unsafe { &mut *(ctx as *mut Core) };
    // The soft-float library may use the host FPU.
    core.without_host_fp_flags(|core| {
        // Translations with FP code only run while `frm` is valid, and static
        // rounding modes 5 and 6 end a trace (`Mode::fp`).
        let rm = core.dynamic_rounding(rm as u8).expect("translated FP code runs with a valid rounding mode");
        // The operands come in host FP registers: their bits, unchanged
        // (see `without_host_fp_flags` for the `black_box`).
        let (a, b, c) = std::hint::black_box((a, b, c));
        let (a, b, c) = (F::read(a.to_bits()), F::read(b.to_bits()), F::read(c.to_bits()));
        let mut fl = Flags::default();
        let v = match K {
            direct::ADD => F::add(a, b, rm, &mut fl),
            direct::SUB => F::sub(a, b, rm, &mut fl),
            direct::MUL => F::mul(a, b, rm, &mut fl),
            direct::DIV => F::div(a, b, rm, &mut fl),
            direct::SQRT => F::sqrt(a, rm, &mut fl),
            direct::MIN => F::min(a, b, &mut fl),
            direct::MAX => F::max(a, b, &mut fl),
            direct::EQ | direct::LT | direct::LE => {
                let r = match K {
                    direct::EQ => F::eq(a, b, &mut fl),
                    direct::LT => F::lt(a, b, &mut fl),
                    _ => F::le(a, b, &mut fl),
                };
                core.hart.csr.fflags |= fl.0;
                return r as u64;
            }
            _ => {
                let negate = K - direct::MADD;
                let a = if negate & 2 != 0 { a ^ F::SIGN } else { a };
                let c = if negate & 1 != 0 { c ^ F::SIGN } else { c };
                F::mul_add(a, b, c, rm, &mut fl)
            }
        };
        core.hart.csr.fflags |= fl.0;
        F::write(v)
    })
}
