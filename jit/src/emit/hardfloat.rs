//! Host-FPU fast paths for the common F and D instructions.
//!
//! The soft-float helpers give the exact result and flags for any input.
//! The host FPU gives the same results (IEEE 754, round to nearest even)
//! but its flags cannot be read cheaply, so the fast path runs only where
//! the flags the operation raises are known without them:
//! - arithmetic: the rounding mode is round-to-nearest-even (the host's),
//!   the inexact flag is already set (raising it again changes nothing)
//!   and the result is finite and normal, or below the normal range but
//!   known to be exact, which rules out every other flag (see
//!   `checked_result`);
//! - comparisons: no operand is a NaN, so no flag is due;
//! - conversions from integers: the value is exactly representable, or the
//!   inexact flag is set and the rounding mode is the host's.
//!
//! Everything else takes the helper, which computes with soft-float; an
//! instruction whose fast path fails a check leaves the trace for the
//! interpreter (see `fp_fast`).

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

/// Which results below the normal range (zeros included) an operation
/// can give without raising a flag, so the fast path keeps them.
#[derive(Clone, Copy)]
enum Tiny {
    /// All of them: a sum or difference that small is exact (both
    /// operands are multiples of the smallest subnormal, and so is the
    /// result). Square roots are never that small, except of zeros.
    Exact,
    /// Zeros from a zero first or second operand (products).
    ZeroFromEither,
    /// Zeros from a zero first or second operand, when rounding to
    /// nearest (fused products: the sign of a zero sum depends on the
    /// rounding mode).
    ZeroFromEitherNearest,
    /// Zeros from a zero first operand (quotients).
    ZeroFromFirst,
}

/// What an instruction computes.
#[derive(Clone, Copy)]
enum Fast {
    Binary(Format, fn(&mut FunctionBuilder<'_>, Value, Value) -> Value, Tiny),
    Sqrt(Format),
    /// `rs1 * rs2 + rs3`, the product (first) and the addend (second)
    /// negated where true.
    Fused(Format, bool, bool),
    Compare(Format, FloatCC),
    /// From a signed (true) or unsigned integer of the given bits.
    FromInt(Format, bool, u8),
}

fn fast_kind(op: Op) -> Option<Fast> {
    use Format::{Double, Single};
    use Op::*;
    Some(match op {
        FaddS => Fast::Binary(Single, |b, x, y| b.ins().fadd(x, y), Tiny::Exact),
        FsubS => Fast::Binary(Single, |b, x, y| b.ins().fsub(x, y), Tiny::Exact),
        FmulS => Fast::Binary(Single, |b, x, y| b.ins().fmul(x, y), Tiny::ZeroFromEither),
        FdivS => Fast::Binary(Single, |b, x, y| b.ins().fdiv(x, y), Tiny::ZeroFromFirst),
        FaddD => Fast::Binary(Double, |b, x, y| b.ins().fadd(x, y), Tiny::Exact),
        FsubD => Fast::Binary(Double, |b, x, y| b.ins().fsub(x, y), Tiny::Exact),
        FmulD => Fast::Binary(Double, |b, x, y| b.ins().fmul(x, y), Tiny::ZeroFromEither),
        FdivD => Fast::Binary(Double, |b, x, y| b.ins().fdiv(x, y), Tiny::ZeroFromFirst),
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
        FcvtSW => Fast::FromInt(Single, true, 32),
        FcvtSWu => Fast::FromInt(Single, false, 32),
        FcvtSL => Fast::FromInt(Single, true, 64),
        FcvtSLu => Fast::FromInt(Single, false, 64),
        FcvtDW => Fast::FromInt(Double, true, 32),
        FcvtDWu => Fast::FromInt(Double, false, 32),
        FcvtDL => Fast::FromInt(Double, true, 64),
        FcvtDLu => Fast::FromInt(Double, false, 64),
        _ => return None,
    })
}

/// Whether `i` gets a host-FPU fast path (see `Emitter::fp_fast`).
pub(super) fn has_fast_path(i: &Inst) -> bool {
    fast_kind(i.op).is_some_and(|kind| matches!(i.rm, 0 | 7) || matches!(kind, Fast::Compare(..)))
}

impl Emitter<'_> {
    /// Emits `i` with a host-FPU fast path and a side exit before it as
    /// its slow path; false (nothing emitted) if `i` has no fast path.
    pub(super) fn fp_fast(&mut self, i: &Inst, delta: i64) -> bool {
        // Only round-to-nearest-even, statically or through `frm`.
        let Some(kind) = fast_kind(i.op).filter(|_| has_fast_path(i)) else { return false };
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
            Fast::Binary(format, op, tiny) => self.fast_binary(i, format, op, tiny, slow),
            Fast::Sqrt(format) => self.fast_sqrt(i, format, slow),
            Fast::Fused(format, negate_product, negate_addend) => {
                self.fast_fused(i, format, (negate_product, negate_addend), slow)
            }
            Fast::Compare(format, cc) => self.fast_compare(i, format, cc, slow),
            Fast::FromInt(format, signed, bits) => self.fast_from_int(i, format, signed, bits, slow),
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

    /// (Re)loads the inexact penalty (see `inexact_penalty`) from the
    /// environment: 0 when inexact results are allowed (round to nearest
    /// even in `frm`, the inexact flag already set), else at least 2^32.
    /// Kept in a variable: within a trace `frm` cannot change (CSR writes
    /// end traces) and flags are only ever added, so it only needs
    /// reloading after a helper that may have set the inexact flag.
    pub(super) fn load_fp_penalty(&mut self) {
        let Some(var) = self.fp_penalty else { return };
        let flags = self.b.ins().uload8(I64, super::flags(), self.ctx, self.t.ctx.fflags);
        let frm = self.b.ins().uload8(I64, super::flags(), self.ctx, self.t.ctx.frm);
        let nx = self.b.ins().band_imm_s(flags, 1);
        let shifted = self.b.ins().ishl_imm_s(frm, 1);
        // frm << 1 | NX is 1 exactly when allowed.
        let both = self.b.ins().bor(shifted, nx);
        let not = self.b.ins().bxor_imm_s(both, 1);
        let penalty = self.b.ins().ishl_imm_s(not, 32);
        self.b.def_var(var, penalty);
    }

    /// Whether the environment allows inexact results.
    fn inexact_allowed(&mut self) -> Value {
        let penalty = self.inexact_penalty();
        self.b.ins().icmp_imm_s(IntCC::Equal, penalty, 0)
    }

    /// 0 when the environment allows inexact results, else at least
    /// 2^32: added to a biased exponent, it fails the range check in
    /// `checked_result`, so one comparison covers both.
    fn inexact_penalty(&mut self) -> Value {
        let var = self.fp_penalty.expect("traces with FP fast paths load the penalty in their prologue");
        self.b.use_var(var)
    }

    /// Goes to `slow` unless inexact results are allowed; for doubles,
    /// `checked_result` does it.
    fn require_inexact_allowed(&mut self, format: Format, slow: Block) {
        if let Format::Single = format {
            let allowed = self.inexact_allowed();
            self.require(allowed, slow);
        }
    }

    /// Continues in a fresh block if `ok`, else goes to `slow`.
    fn require(&mut self, ok: Value, slow: Block) {
        let go = self.b.create_block();
        self.b.ins().brif(ok, go, &[], slow, &[]);
        self.b.switch_to_block(go);
        self.b.seal_block(go);
    }

    /// Registers `regs` in `format`'s float type; for singles, requires
    /// (in one comparison) that all are NaN-boxed (an unboxed one reads as
    /// the canonical NaN, which the interpreter handles).
    fn float_registers<const N: usize>(&mut self, regs: [u8; N], format: Format, slow: Block) -> [Value; N] {
        match format {
            Format::Double => regs.map(|r| self.fr_double(r)),
            Format::Single => {
                let bits = regs.map(|r| self.fr(r));
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

    /// The result's register value (a double, or a NaN-boxed single's
    /// bits), or `slow` unless it is finite and normal, or below the
    /// normal range where `tiny` vouches for it. Then, with inexact
    /// allowed, no other flag can be due: invalid operations give NaNs;
    /// overflow and division by zero give infinities; underflow needs a
    /// result below the normal range, whatever tininess detection says.
    /// Normal results within a factor of two of the smallest go slow too
    /// (merely slower), to keep the comparison to one.
    fn checked_result(&mut self, r: Value, operands: (Value, Value), format: Format, tiny: Tiny, slow: Block) -> Value {
        // On the bits' biased exponent, in one comparison, the
        // environment check folded in for doubles (see `inexact_penalty`).
        let (bits, mantissa, max_exp) = match format {
            Format::Single => (self.b.ins().bitcast(I32, MemFlagsData::new(), r), 23, 0xff),
            Format::Double => (self.b.ins().bitcast(I64, MemFlagsData::new(), r), 52, 0x7ff),
        };
        let e = self.b.ins().ushr_imm_s(bits, mantissa);
        let e = self.b.ins().band_imm_s(e, max_exp);
        let e = match format {
            Format::Single => e,
            Format::Double => {
                let penalty = self.inexact_penalty();
                self.b.ins().iadd(e, penalty)
            }
        };
        match tiny {
            Tiny::Exact => {
                let finite = self.b.ins().icmp_imm_s(IntCC::UnsignedLessThan, e, max_exp);
                self.require(finite, slow);
            }
            Tiny::ZeroFromEither | Tiny::ZeroFromEitherNearest | Tiny::ZeroFromFirst => {
                let e = self.b.ins().iadd_imm_s(e, -2);
                let normal = self.b.ins().icmp_imm_s(IntCC::UnsignedLessThan, e, max_exp - 2);
                let go = self.b.create_block();
                let small = self.b.create_block();
                self.b.ins().brif(normal, go, &[], small, &[]);
                self.enter_cold(small);
                let exact = self.exact_zero(bits, operands, format, tiny);
                self.b.ins().brif(exact, go, &[], slow, &[]);
                self.b.switch_to_block(go);
                self.b.seal_block(go);
            }
        }
        self.boxed(r, format)
    }

    /// Whether `bits` is a zero that a zero operand gave (exact, so no
    /// flag is due).
    fn exact_zero(&mut self, bits: Value, (x, y): (Value, Value), format: Format, tiny: Tiny) -> Value {
        let unsigned = self.b.ins().ishl_imm_s(bits, 1);
        let zero = self.b.ins().icmp_imm_s(IntCC::Equal, unsigned, 0);
        let float_zero = match format {
            Format::Single => self.b.ins().f32const(0.0),
            Format::Double => self.b.ins().f64const(0.0),
        };
        let mut from_zero = self.b.ins().fcmp(FloatCC::Equal, x, float_zero);
        if let Tiny::ZeroFromEither | Tiny::ZeroFromEitherNearest = tiny {
            let y_zero = self.b.ins().fcmp(FloatCC::Equal, y, float_zero);
            from_zero = self.b.ins().bor(from_zero, y_zero);
        }
        let exact = self.b.ins().band(zero, from_zero);
        if let Tiny::ZeroFromEitherNearest = tiny {
            // Stricter than needed (it asks for the inexact flag too).
            let nearest = self.inexact_allowed();
            return self.b.ins().band(exact, nearest);
        }
        exact
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
        tiny: Tiny,
        slow: Block,
    ) -> Value {
        self.require_inexact_allowed(format, slow);
        let [x, y] = self.float_registers([i.rs1, i.rs2], format, slow);
        let r = op(&mut self.b, x, y);
        self.checked_result(r, (x, y), format, tiny, slow)
    }

    fn fast_sqrt(&mut self, i: &Inst, format: Format, slow: Block) -> Value {
        self.require_inexact_allowed(format, slow);
        let [x] = self.float_registers([i.rs1], format, slow);
        let r = self.b.ins().sqrt(x);
        self.checked_result(r, (x, x), format, Tiny::Exact, slow)
    }

    fn fast_fused(
        &mut self,
        i: &Inst,
        format: Format,
        (negate_product, negate_addend): (bool, bool),
        slow: Block,
    ) -> Value {
        self.require_inexact_allowed(format, slow);
        let [x, y, z] = self.float_registers([i.rs1, i.rs2, i.rs3], format, slow);
        // Negations are exact, and any NaN result goes slow, so negating
        // operands gives the negated product or addend.
        let x = if negate_product { self.b.ins().fneg(x) } else { x };
        let z = if negate_addend { self.b.ins().fneg(z) } else { z };
        let r = self.b.ins().fma(x, y, z);
        // A zero product plus a zero addend is an exact zero; other zeros
        // may be underflows.
        self.checked_result(r, (x, y), format, Tiny::ZeroFromEitherNearest, slow)
    }

    fn fast_compare(&mut self, i: &Inst, format: Format, cc: FloatCC, slow: Block) -> Value {
        let [x, y] = self.float_registers([i.rs1, i.rs2], format, slow);
        // NaN operands raise flags (some or all, by the comparison).
        let ordered = self.b.ins().fcmp(FloatCC::Ordered, x, y);
        self.require(ordered, slow);
        let c = self.b.ins().fcmp(cc, x, y);
        self.b.ins().uextend(I64, c)
    }

    fn fast_from_int(&mut self, i: &Inst, format: Format, signed: bool, bits: u8, slow: Block) -> Value {
        let x = self.xr(i.rs1);
        let x = match (bits, signed) {
            (32, true) => self.sext32(x),
            (32, false) => {
                let w = self.low32(x);
                self.b.ins().uextend(I64, w)
            }
            _ => x,
        };
        let precision = match format {
            Format::Single => 24,
            Format::Double => 53,
        };
        // Exact below 2^precision in magnitude; otherwise only inexact
        // can be due (no integer overflows a single or a double).
        if bits > precision {
            let limit = 1i64 << precision;
            let exact = if signed {
                let shifted = self.b.ins().iadd_imm_s(x, limit);
                self.b.ins().icmp_imm_s(IntCC::UnsignedLessThanOrEqual, shifted, 2 * limit)
            } else {
                self.b.ins().icmp_imm_s(IntCC::UnsignedLessThanOrEqual, x, limit)
            };
            let allowed = self.inexact_allowed();
            let ok = self.b.ins().bor(exact, allowed);
            self.require(ok, slow);
        }
        let r = if signed || bits == 32 {
            self.b.ins().fcvt_from_sint(format.float(), x)
        } else {
            self.b.ins().fcvt_from_uint(format.float(), x)
        };
        self.boxed(r, format)
    }
}
