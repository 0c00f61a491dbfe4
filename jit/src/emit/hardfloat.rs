//! Host-FPU fast paths for the common F and D instructions.
//!
//! In modes where `frm` is round-to-nearest-even ([`Mode::fp_nearest`]),
//! F and D arithmetic runs on the host FPU, which gives the results RISC-V
//! does (IEEE 754, round to nearest even) and accrues the exception flags
//! RISC-V would raise, for the runtime to fold into `fflags` (see
//! [`crate::host_fp`]). So an operation needs no check for its flags. What
//! the host does differently is NaNs: x86 gives a negative default NaN or
//! passes an operand's payload on, where RISC-V gives the canonical NaN;
//! and singles must be NaN-boxed. So:
//! - arithmetic, square roots, fused products and conversions between
//!   formats leave the trace, before the instruction, when the result is a
//!   NaN (or an operand is not NaN-boxed);
//! - comparisons and minimum/maximum, when an operand is a NaN;
//! - conversions to integers (`rtz` only, as C casts are compiled), when
//!   the operand is out of the destination's range or a NaN.
//!
//! The interpreter then redoes the instruction with soft-float. The flags
//! the host raised for it are among the ones RISC-V raises: an operation
//! that gives a NaN is invalid or has a NaN operand; it is not inexact.
//! Everything else takes the soft-float helpers.
//!
//! [`Mode::fp_nearest`]: crate::Mode::fp_nearest

use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::types::{F32, F64};

use super::*;

/// An operand or result format.
#[derive(Clone, Copy)]
enum Format {
    Single,
    Double,
}

impl Format {
    fn float(self) -> Type {
        match self {
            Format::Single => F32,
            Format::Double => F64,
        }
    }
}

/// What an instruction computes.
#[derive(Clone, Copy)]
enum Fast {
    Binary(Format, fn(&mut FunctionBuilder<'_>, Value, Value) -> Value),
    Sqrt(Format),
    /// `rs1 * rs2 + rs3`, the product (first) and the addend (second)
    /// negated where true.
    Fused(Format, bool, bool),
    Compare(Format, FloatCC),
    /// Minimum (false) or maximum (true).
    MinMax(Format, bool),
    /// From a signed (true) or unsigned integer of the given bits.
    FromInt(Format, bool, u8),
    /// To a signed (true) or unsigned integer of the given bits, rounding
    /// toward zero.
    ToInt(Format, bool, u8),
    /// From the first format to the second.
    Convert(Format, Format),
}

fn fast_kind(op: Op) -> Option<Fast> {
    use Format::{Double, Single};
    use Op::*;
    Some(match op {
        FaddS => Fast::Binary(Single, |b, x, y| b.ins().fadd(x, y)),
        FsubS => Fast::Binary(Single, |b, x, y| b.ins().fsub(x, y)),
        FmulS => Fast::Binary(Single, |b, x, y| b.ins().fmul(x, y)),
        FdivS => Fast::Binary(Single, |b, x, y| b.ins().fdiv(x, y)),
        FaddD => Fast::Binary(Double, |b, x, y| b.ins().fadd(x, y)),
        FsubD => Fast::Binary(Double, |b, x, y| b.ins().fsub(x, y)),
        FmulD => Fast::Binary(Double, |b, x, y| b.ins().fmul(x, y)),
        FdivD => Fast::Binary(Double, |b, x, y| b.ins().fdiv(x, y)),
        FsqrtS => Fast::Sqrt(Single),
        FsqrtD => Fast::Sqrt(Double),
        FmaddS => Fast::Fused(Single, false, false),
        FmsubS => Fast::Fused(Single, false, true),
        FnmsubS => Fast::Fused(Single, true, false),
        FnmaddS => Fast::Fused(Single, true, true),
        FmaddD => Fast::Fused(Double, false, false),
        FmsubD => Fast::Fused(Double, false, true),
        FnmsubD => Fast::Fused(Double, true, false),
        FnmaddD => Fast::Fused(Double, true, true),
        FeqS => Fast::Compare(Single, FloatCC::Equal),
        FltS => Fast::Compare(Single, FloatCC::LessThan),
        FleS => Fast::Compare(Single, FloatCC::LessThanOrEqual),
        FeqD => Fast::Compare(Double, FloatCC::Equal),
        FltD => Fast::Compare(Double, FloatCC::LessThan),
        FleD => Fast::Compare(Double, FloatCC::LessThanOrEqual),
        FminS => Fast::MinMax(Single, false),
        FmaxS => Fast::MinMax(Single, true),
        FminD => Fast::MinMax(Double, false),
        FmaxD => Fast::MinMax(Double, true),
        FcvtSW => Fast::FromInt(Single, true, 32),
        FcvtSWu => Fast::FromInt(Single, false, 32),
        FcvtSL => Fast::FromInt(Single, true, 64),
        FcvtSLu => Fast::FromInt(Single, false, 64),
        FcvtDW => Fast::FromInt(Double, true, 32),
        FcvtDWu => Fast::FromInt(Double, false, 32),
        FcvtDL => Fast::FromInt(Double, true, 64),
        FcvtDLu => Fast::FromInt(Double, false, 64),
        FcvtWS => Fast::ToInt(Single, true, 32),
        FcvtWuS => Fast::ToInt(Single, false, 32),
        FcvtLS => Fast::ToInt(Single, true, 64),
        FcvtLuS => Fast::ToInt(Single, false, 64),
        FcvtWD => Fast::ToInt(Double, true, 32),
        FcvtWuD => Fast::ToInt(Double, false, 32),
        FcvtLD => Fast::ToInt(Double, true, 64),
        FcvtLuD => Fast::ToInt(Double, false, 64),
        FcvtSD => Fast::Convert(Double, Single),
        FcvtDS => Fast::Convert(Single, Double),
        _ => return None,
    })
}

/// `i`'s fast path, if it has one in a mode where `frm` is
/// round-to-nearest-even (see `Emitter::fp_fast`).
fn fast_path(i: &Inst) -> Option<Fast> {
    let kind = fast_kind(i.op)?;
    let ok = match kind {
        // The rounding-mode field selects the operation.
        Fast::Compare(..) | Fast::MinMax(..) => true,
        // What C casts compile to; the host's truncating conversion.
        Fast::ToInt(..) => i.rm == 1,
        // Round to nearest even, statically or through `frm`.
        _ => matches!(i.rm, 0 | 7),
    };
    ok.then_some(kind)
}

/// The FP registers `i` writes with a value defined where it runs: the
/// result of a load, a conversion, a helper or a fast path (which is made
/// to stay where it is, see `Emitter::invariant_in_a_loop`). Not the
/// moves and sign injections, which may pass a value defined elsewhere on.
pub(super) fn defines(i: &Inst) -> u32 {
    use Op::*;
    let moves = matches!(i.op, FsgnjS | FsgnjnS | FsgnjxS | FsgnjD | FsgnjnD | FsgnjxD | FmvWX | FmvDX);
    if moves {
        0
    } else {
        written(i).1
    }
}

impl Emitter<'_> {
    /// Emits `i` with a host-FPU fast path and a side exit before it as
    /// its slow path; false (nothing emitted) if `i` has no fast path.
    pub(super) fn fp_fast(&mut self, i: &Inst, delta: i64) -> bool {
        if !(self.mode.fp_nearest && crate::host_fp::ACCRUES_FLAGS) {
            return false;
        }
        let Some(kind) = fast_path(i) else { return false };
        if let (Fast::Fused(..), false) = (kind, self.fma) {
            return false;
        }
        // Whatever the fast path cannot vouch for leaves the trace before
        // the instruction, for the interpreter's soft-float. A helper call
        // joining the fast path instead would hold the result in a block
        // parameter and pin the operands to the call's registers, and the
        // register allocator spreads that cost over the fast path.
        let slow = self.side_exit(delta).block;
        let value = match kind {
            Fast::Binary(format, op) => self.fast_binary(i, format, op, slow),
            Fast::Sqrt(format) => self.fast_sqrt(i, format, slow),
            Fast::Fused(format, negate_product, negate_addend) => {
                self.fast_fused(i, format, (negate_product, negate_addend), slow)
            }
            Fast::Compare(format, cc) => self.fast_compare(i, format, cc, slow),
            Fast::MinMax(format, max) => self.fast_min_max(i, format, max, slow),
            Fast::FromInt(format, signed, bits) => self.fast_from_int(i, format, signed, bits, slow),
            Fast::ToInt(format, signed, bits) => self.fast_to_int(i, format, signed, bits, slow),
            Fast::Convert(from, to) => self.fast_convert(i, from, to, slow),
        };
        if writes_int(i.op) {
            self.set_x(i.rd, value);
        } else if self.b.func.dfg.value_type(value) == F64 {
            self.set_f_double(i.rd, value);
        } else {
            self.set_f(i.rd, value);
        }
        true
    }

    /// Continues in a fresh block if `ok`, else goes to `slow`.
    fn require(&mut self, ok: Value, slow: Block) {
        let go = self.b.create_block();
        self.b.ins().brif(ok, go, &[], slow, &[]);
        self.b.switch_to_block(go);
        self.b.seal_block(go);
    }

    /// Goes to `slow` if `x` or `y` is a NaN.
    fn require_ordered(&mut self, x: Value, y: Value, slow: Block) {
        let ordered = self.b.ins().fcmp(FloatCC::Ordered, x, y);
        self.require(ordered, slow);
    }

    /// Registers `regs` in `format`'s float type; for singles, requires
    /// (in one comparison) that all are NaN-boxed (an unboxed one reads as
    /// the canonical NaN, which the interpreter handles).
    fn float_registers<const N: usize>(&mut self, regs: [u8; N], format: Format, slow: Block) -> [Value; N] {
        // An operand that may be loop-invariant goes through `opaque`
        // (see `invariant_in_a_loop`), as bits.
        let pin = self.invariant_in_a_loop(&regs);
        match format {
            Format::Double => {
                let mut values = regs.map(|r| self.fr_double(r));
                if pin {
                    let bits = self.fr(regs[0]);
                    let bits = self.opaque(bits);
                    values[0] = self.b.ins().bitcast(F64, MemFlagsData::new(), bits);
                }
                values
            }
            Format::Single => {
                let mut bits = regs.map(|r| self.fr(r));
                if pin {
                    bits[0] = self.opaque(bits[0]);
                }
                let all = bits[1..].iter().fold(bits[0], |all, &v| self.b.ins().band(all, v));
                let high = self.b.ins().ushr_imm_s(all, 32);
                let boxed = self.b.ins().icmp_imm_s(IntCC::Equal, high, 0xffff_ffff);
                self.require(boxed, slow);
                bits.map(|v| {
                    let v = self.b.ins().ireduce(I32, v);
                    self.b.ins().bitcast(F32, MemFlagsData::new(), v)
                })
            }
        }
    }

    /// Whether the operands `regs` of the current instruction may all be
    /// the same values on every iteration of a loop around it. Cranelift
    /// would then compute the operation once before the loop (it sees no
    /// side effect in FP arithmetic), where the guest may never run it,
    /// and the host would raise its flags for nothing; such an operand
    /// goes through `opaque`, which keeps the operation in the loop.
    /// Operands are known to change if read from memory in place, or
    /// written in the loop by an instruction that defines a value there
    /// (`defines`); the value is then a parameter of the loop's header, or
    /// defined after it.
    fn invariant_in_a_loop(&self, regs: &[u8]) -> bool {
        let mask = regs.iter().fold(0u32, |m, &r| m | 1 << r);
        let index = self.index;
        self.loops.iter().filter(|&&(h, b)| h <= index && index <= b).any(|&(h, b)| {
            let defined = self.fp_defines[h..=b].iter().fold(self.in_place_f, |m, &d| m | d);
            mask & defined == 0
        })
    }

    /// The register value of result `r` (a double, or a NaN-boxed
    /// single's bits), or `slow` if it is a NaN, which the host does not
    /// make canonical. Its flags accrued on the host. The check also keeps
    /// the operation where the guest runs it: Cranelift sees no side
    /// effect in FP arithmetic, and would drop one whose result is never
    /// used (and its flags with it).
    fn checked_result(&mut self, r: Value, format: Format, slow: Block) -> Value {
        self.require_ordered(r, r, slow);
        self.boxed(r, format)
    }

    /// A register value from a result: singles are NaN-boxed bits.
    fn boxed(&mut self, r: Value, format: Format) -> Value {
        match format {
            Format::Double => r,
            Format::Single => {
                let bits = self.b.ins().bitcast(I32, MemFlagsData::new(), r);
                let wide = self.b.ins().uextend(I64, bits);
                self.b.ins().bor_imm_s(wide, NAN_BOX)
            }
        }
    }

    fn fast_binary(
        &mut self,
        i: &Inst,
        format: Format,
        op: fn(&mut FunctionBuilder<'_>, Value, Value) -> Value,
        slow: Block,
    ) -> Value {
        let [x, y] = self.float_registers([i.rs1, i.rs2], format, slow);
        let r = op(&mut self.b, x, y);
        self.checked_result(r, format, slow)
    }

    fn fast_sqrt(&mut self, i: &Inst, format: Format, slow: Block) -> Value {
        let [x] = self.float_registers([i.rs1], format, slow);
        let r = self.b.ins().sqrt(x);
        self.checked_result(r, format, slow)
    }

    fn fast_fused(
        &mut self,
        i: &Inst,
        format: Format,
        (negate_product, negate_addend): (bool, bool),
        slow: Block,
    ) -> Value {
        let [x, y, z] = self.float_registers([i.rs1, i.rs2, i.rs3], format, slow);
        // Negations are exact, and any NaN result goes slow, so negating
        // operands gives the negated product or addend.
        let x = if negate_product { self.b.ins().fneg(x) } else { x };
        let z = if negate_addend { self.b.ins().fneg(z) } else { z };
        let r = self.b.ins().fma(x, y, z);
        self.checked_result(r, format, slow)
    }

    fn fast_compare(&mut self, i: &Inst, format: Format, cc: FloatCC, slow: Block) -> Value {
        let [x, y] = self.float_registers([i.rs1, i.rs2], format, slow);
        // NaN operands raise flags (some or all, by the comparison).
        self.require_ordered(x, y, slow);
        let c = self.b.ins().fcmp(cc, x, y);
        self.b.ins().uextend(I64, c)
    }

    fn fast_min_max(&mut self, i: &Inst, format: Format, max: bool, slow: Block) -> Value {
        let [x, y] = self.float_registers([i.rs1, i.rs2], format, slow);
        // Without NaNs, Cranelift's IEEE 754-2019 minimum and maximum
        // (-0 below +0) are RISC-V's, and raise nothing.
        self.require_ordered(x, y, slow);
        let r = if max { self.b.ins().fmax(x, y) } else { self.b.ins().fmin(x, y) };
        self.boxed(r, format)
    }

    /// `v`, through memory the optimizer does not look into (a store and
    /// an atomic load): Cranelift folds conversions of constants at
    /// compile time, and the host would raise no flag for them. FP values
    /// all come from memory, bit casts (which this Cranelift does not
    /// fold) or such conversions, so no FP operation has constant operands
    /// either. Being atomic, the load also stays
    /// where the guest's conversion is, even in a loop.
    fn opaque(&mut self, v: Value) -> Value {
        let scratch = self.t.ctx.helper_out;
        self.b.ins().store(flags(), v, self.ctx, scratch);
        let at = self.b.ins().iadd_imm_s(self.ctx, scratch as i64);
        self.b.ins().atomic_load(I64, flags(), at)
    }

    fn fast_from_int(&mut self, i: &Inst, format: Format, signed: bool, bits: u8, slow: Block) -> Value {
        let x = self.xr(i.rs1);
        let x = self.opaque(x);
        let x = match (bits, signed) {
            (32, true) => self.sext32(x),
            (32, false) => {
                let w = self.low32(x);
                self.b.ins().uextend(I64, w)
            }
            _ => x,
        };
        let r = if signed || bits == 32 {
            self.b.ins().fcvt_from_sint(format.float(), x)
        } else {
            self.b.ins().fcvt_from_uint(format.float(), x)
        };
        // Never a NaN; checked to stay where it is.
        self.checked_result(r, format, slow)
    }

    /// Truncation, for operands whose result fits (also in a signed
    /// 64-bit integer, the host's widest conversion); the others (NaNs
    /// included) go slow, for RISC-V's saturated results.
    fn fast_to_int(&mut self, i: &Inst, format: Format, signed: bool, bits: u8, slow: Block) -> Value {
        let [x] = self.float_registers([i.rs1], format, slow);
        // Exact in a double, and so are these bounds.
        let wide = match format {
            Format::Single => self.b.ins().fpromote(F64, x),
            Format::Double => x,
        };
        // The open interval of operands whose truncation fits.
        let (above, below) = match (signed, bits) {
            (true, 32) => (-2_147_483_649.0, 2_147_483_648.0),
            (false, 32) => (-1.0, 4_294_967_296.0),
            // -2^63 fits itself; the next double below does not.
            (true, _) => (-9_223_372_036_854_777_856.0, 9_223_372_036_854_775_808.0),
            (false, _) => (-1.0, 9_223_372_036_854_775_808.0),
        };
        let above = self.b.ins().f64const(above);
        let below = self.b.ins().f64const(below);
        let low_ok = self.b.ins().fcmp(FloatCC::GreaterThan, wide, above);
        let high_ok = self.b.ins().fcmp(FloatCC::LessThan, wide, below);
        let fits = self.b.ins().band(low_ok, high_ok);
        self.require(fits, slow);
        // The trapping conversion, which never traps here, because
        // Cranelift keeps it where it is and keeps it if unused (the
        // saturating one may move or go, and its inexact flag with it).
        let r = self.b.ins().fcvt_to_sint(I64, x);
        if bits == 32 {
            // Word results are sign-extended, unsigned ones too.
            self.sext32(r)
        } else {
            r
        }
    }

    fn fast_convert(&mut self, i: &Inst, from: Format, to: Format, slow: Block) -> Value {
        let [x] = self.float_registers([i.rs1], from, slow);
        let r = match to {
            Format::Single => self.b.ins().fdemote(F32, x),
            Format::Double => self.b.ins().fpromote(F64, x),
        };
        self.checked_result(r, to, slow)
    }
}
