//! Host-FPU fast paths for the common F and D instructions.
//!
//! The soft-float helpers give the exact result and flags for any input.
//! The host FPU gives the same results (IEEE 754, round to nearest even)
//! but its flags cannot be read cheaply, so the fast path runs only where
//! the flags the operation raises are known without them:
//! - arithmetic: the rounding mode is round-to-nearest-even (the host's),
//!   the inexact flag is already set (raising it again changes nothing)
//!   and the result is finite and above the smallest normal number in
//!   magnitude, which rules out every other flag (see `checked_result`);
//! - comparisons: no operand is a NaN, so no flag is due;
//! - conversions from integers: the value is exactly representable, or the
//!   inexact flag is set and the rounding mode is the host's.
//!
//! Everything else (and every result that fails a check) takes the helper,
//! which computes again from the same operands.

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
    Compare(Format, FloatCC),
    /// From a signed (true) or unsigned integer of the given bits.
    FromInt(Format, bool, u8),
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

impl Emitter<'_> {
    /// Emits `i` with a host-FPU fast path and the helper as its slow
    /// path; false (nothing emitted) if `i` has no fast path.
    pub(super) fn fp_fast(&mut self, i: &Inst) -> bool {
        let Some(kind) = fast_kind(i.op) else { return false };
        // Only round-to-nearest-even, statically or through `frm`.
        if !matches!(i.rm, 0 | 7) && !matches!(kind, Fast::Compare(..)) {
            return false;
        }
        // The slow path's operands, loaded here on the main path: a first
        // load in the cold block would not reach the code after the join.
        for r in [i.rs1, i.rs2, i.rs3] {
            self.fr_double(r);
        }
        self.xr(i.rs1);
        // Doubles stay in FP registers; integers and singles are bits.
        let double = !writes_int(i.op)
            && matches!(
                kind,
                Fast::Binary(Format::Double, _) | Fast::Sqrt(Format::Double) | Fast::FromInt(Format::Double, ..)
            );
        let slow = self.b.create_block();
        let join = self.b.create_block();
        self.b.append_block_param(join, if double { F64 } else { I64 });
        let result = match kind {
            Fast::Binary(format, op) => self.fast_binary(i, format, op, slow),
            Fast::Sqrt(format) => self.fast_sqrt(i, format, slow),
            Fast::Compare(format, cc) => self.fast_compare(i, format, cc, slow),
            Fast::FromInt(format, signed, bits) => self.fast_from_int(i, format, signed, bits, slow),
        };
        self.b.ins().jump(join, &[result.into()]);
        self.b.switch_to_block(slow);
        self.b.seal_block(slow);
        self.b.set_cold_block(slow);
        let slow_result = self.fp_helper_value(i);
        let slow_result =
            if double { self.b.ins().bitcast(F64, MemFlagsData::new(), slow_result) } else { slow_result };
        self.b.ins().jump(join, &[slow_result.into()]);
        self.b.switch_to_block(join);
        self.b.seal_block(join);
        let value = self.b.block_params(join)[0];
        if writes_int(i.op) {
            self.set_x(i.rd, value);
        } else if double {
            self.set_f_double(i.rd, value);
        } else {
            self.set_f(i.rd, value);
        }
        true
    }

    /// Whether the environment allows inexact results: round to nearest
    /// even in `frm` and the inexact flag already set. Computed once per
    /// trace: within one, `frm` cannot change (CSR writes end traces) and
    /// flags are only ever added, so an early "yes" stays true.
    fn inexact_allowed(&mut self) -> Value {
        if let Some(v) = self.inexact_allowed {
            return v;
        }
        let flags = self.b.ins().uload8(I64, super::flags(), self.ctx, self.t.ctx.fflags);
        let frm = self.b.ins().uload8(I64, super::flags(), self.ctx, self.t.ctx.frm);
        let nx = self.b.ins().band_imm_s(flags, 1);
        // frm == 0 and nx == 1, in one comparison.
        let shifted = self.b.ins().ishl_imm_s(frm, 1);
        let both = self.b.ins().bor(shifted, nx);
        let v = self.b.ins().icmp_imm_s(IntCC::Equal, both, 1);
        self.inexact_allowed = Some(v);
        v
    }

    /// Continues in a fresh block if `ok`, else goes to `slow`.
    fn require(&mut self, ok: Value, slow: Block) {
        let go = self.b.create_block();
        self.b.ins().brif(ok, go, &[], slow, &[]);
        self.b.switch_to_block(go);
        self.b.seal_block(go);
    }

    /// The operands `rs1` and `rs2` (just `rs1` if `unary`) in `format`'s
    /// float type; for singles, requires that they are NaN-boxed (an
    /// unboxed one reads as the canonical NaN, which the helper handles).
    fn float_operands(&mut self, i: &Inst, format: Format, unary: bool, slow: Block) -> (Value, Value) {
        match format {
            Format::Double => {
                let a = self.fr_double(i.rs1);
                let b = if unary { a } else { self.fr_double(i.rs2) };
                (a, b)
            }
            Format::Single => {
                let a = self.fr(i.rs1);
                let b = if unary { a } else { self.fr(i.rs2) };
                let both = self.b.ins().band(a, b);
                let high = self.b.ins().ushr_imm_s(both, 32);
                let boxed = self.b.ins().icmp_imm_s(IntCC::Equal, high, 0xffff_ffff);
                self.require(boxed, slow);
                let a = self.b.ins().ireduce(I32, a);
                let b = self.b.ins().ireduce(I32, b);
                let a = self.b.ins().bitcast(F32, MemFlagsData::new(), a);
                let b = self.b.ins().bitcast(F32, MemFlagsData::new(), b);
                (a, b)
            }
        }
    }

    /// The result's register value (a double, or a NaN-boxed single's
    /// bits), or `slow` unless it is finite and above the smallest normal
    /// number in magnitude. Then, with inexact allowed, no other flag can
    /// be due: invalid operations give NaNs; overflow and division by zero
    /// give infinities; underflow needs a result at most the smallest
    /// normal number, whatever tininess detection says. Zero results go
    /// slow too (exact ones are fine, but cannot be told from underflows).
    fn checked_result(&mut self, r: Value, format: Format, slow: Block) -> Value {
        let magnitude = self.b.ins().fabs(r);
        let (min, max) = match format {
            Format::Single => (self.b.ins().f32const(f32::MIN_POSITIVE), self.b.ins().f32const(f32::MAX)),
            Format::Double => (self.b.ins().f64const(f64::MIN_POSITIVE), self.b.ins().f64const(f64::MAX)),
        };
        let above = self.b.ins().fcmp(FloatCC::GreaterThan, magnitude, min);
        self.require(above, slow);
        let finite = self.b.ins().fcmp(FloatCC::LessThanOrEqual, magnitude, max);
        self.require(finite, slow);
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
        let allowed = self.inexact_allowed();
        self.require(allowed, slow);
        let (x, y) = self.float_operands(i, format, false, slow);
        let r = op(&mut self.b, x, y);
        self.checked_result(r, format, slow)
    }

    fn fast_sqrt(&mut self, i: &Inst, format: Format, slow: Block) -> Value {
        let allowed = self.inexact_allowed();
        self.require(allowed, slow);
        let (x, _) = self.float_operands(i, format, true, slow);
        let r = self.b.ins().sqrt(x);
        self.checked_result(r, format, slow)
    }

    fn fast_compare(&mut self, i: &Inst, format: Format, cc: FloatCC, slow: Block) -> Value {
        let (x, y) = self.float_operands(i, format, false, slow);
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
