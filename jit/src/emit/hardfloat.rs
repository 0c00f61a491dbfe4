//! Host-FPU fast paths for the common F and D instructions.
//!
//! The soft-float helpers give the exact result and flags for any input.
//! The host FPU gives the same results (IEEE 754, round to nearest even)
//! but its flags cannot be read cheaply, so the fast path runs only where
//! the flags the operation raises are known without it:
//! - arithmetic: the rounding mode is round-to-nearest-even (the host's),
//!   the inexact flag is already set (raising it again changes nothing),
//!   the inputs are normal numbers or zeros and the result is a finite
//!   number above the smallest normal one, so neither invalid,
//!   divide-by-zero, overflow nor underflow is due;
//! - comparisons: no input is a NaN, so no flag is due;
//! - conversions from integers: the value is exactly representable, or the
//!   inexact flag is set and the rounding mode is the host's.
//!
//! Everything else (and every input that fails a check) takes the helper.

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

    fn int(self) -> Type {
        match self {
            Format::Single => I32,
            Format::Double => I64,
        }
    }

    /// Bits of the smallest normal number (its exponent's lowest bit).
    fn min_normal(self) -> i64 {
        match self {
            Format::Single => 1 << 23,
            Format::Double => 1 << 52,
        }
    }

    /// Bits of +infinity.
    fn infinity(self) -> i64 {
        match self {
            Format::Single => 0x7f80_0000,
            Format::Double => 0x7ff0_0000_0000_0000,
        }
    }

    /// All bits but the sign.
    fn magnitude_mask(self) -> i64 {
        match self {
            Format::Single => 0x7fff_ffff,
            Format::Double => 0x7fff_ffff_ffff_ffff,
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
            self.fr(r);
        }
        self.xr(i.rs1);
        let slow = self.b.create_block();
        let join = self.b.create_block();
        self.b.append_block_param(join, I64);
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
        self.b.ins().jump(join, &[slow_result.into()]);
        self.b.switch_to_block(join);
        self.b.seal_block(join);
        let value = self.b.block_params(join)[0];
        if writes_int(i.op) {
            self.set_x(i.rd, value);
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

    /// The operand's bits in its format's integer type, and whether it is
    /// usable (a properly NaN-boxed single).
    fn operand(&mut self, r: u8, format: Format) -> (Value, Option<Value>) {
        let v = self.fr(r);
        match format {
            Format::Double => (v, None),
            Format::Single => {
                let high = self.b.ins().ushr_imm_s(v, 32);
                let boxed = self.b.ins().icmp_imm_s(IntCC::Equal, high, 0xffff_ffff);
                (self.b.ins().ireduce(I32, v), Some(boxed))
            }
        }
    }

    /// `bits` is a normal number or a zero (a NaN-boxing check in `boxed`).
    fn normal_or_zero(&mut self, bits: Value, format: Format, boxed: Option<Value>) -> Value {
        let magnitude = self.b.ins().band_imm_s(bits, format.magnitude_mask());
        let zero = self.b.ins().icmp_imm_s(IntCC::Equal, magnitude, 0);
        let above = self.b.ins().iadd_imm_s(magnitude, -format.min_normal());
        let normal = self.b.ins().icmp_imm_s(IntCC::UnsignedLessThan, above, format.infinity() - format.min_normal());
        let ok = self.b.ins().bor(zero, normal);
        match boxed {
            Some(boxed) => self.b.ins().band(ok, boxed),
            None => ok,
        }
    }

    /// `bits` is finite and above the smallest normal number in magnitude:
    /// no overflow, and no underflow whatever tininess detection says.
    fn safe_result(&mut self, bits: Value, format: Format) -> Value {
        let magnitude = self.b.ins().band_imm_s(bits, format.magnitude_mask());
        let above = self.b.ins().iadd_imm_s(magnitude, -(format.min_normal() + 1));
        self.b.ins().icmp_imm_s(IntCC::UnsignedLessThan, above, format.infinity() - format.min_normal() - 1)
    }

    /// A register value from a result's bits: singles are NaN-boxed.
    fn boxed(&mut self, bits: Value, format: Format) -> Value {
        match format {
            Format::Double => bits,
            Format::Single => {
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
        let (a, boxed_a) = self.operand(i.rs1, format);
        let (b, boxed_b) = self.operand(i.rs2, format);
        let ok_a = self.normal_or_zero(a, format, boxed_a);
        let ok_b = self.normal_or_zero(b, format, boxed_b);
        let ok = self.b.ins().band(ok_a, ok_b);
        let ok = self.b.ins().band(ok, allowed);
        self.require(ok, slow);
        let x = self.b.ins().bitcast(format.float(), MemFlagsData::new(), a);
        let y = self.b.ins().bitcast(format.float(), MemFlagsData::new(), b);
        let r = op(&mut self.b, x, y);
        self.checked_result(r, format, slow)
    }

    fn fast_sqrt(&mut self, i: &Inst, format: Format, slow: Block) -> Value {
        let allowed = self.inexact_allowed();
        let (a, boxed) = self.operand(i.rs1, format);
        // Positive normal numbers only: the sign bit makes the rest fail.
        let above = self.b.ins().iadd_imm_s(a, -format.min_normal());
        let normal = self.b.ins().icmp_imm_s(IntCC::UnsignedLessThan, above, format.infinity() - format.min_normal());
        let ok = self.b.ins().band(normal, allowed);
        let ok = match boxed {
            Some(boxed) => self.b.ins().band(ok, boxed),
            None => ok,
        };
        self.require(ok, slow);
        let x = self.b.ins().bitcast(format.float(), MemFlagsData::new(), a);
        let r = self.b.ins().sqrt(x);
        self.checked_result(r, format, slow)
    }

    /// The result's register value, or `slow` if it may have raised more
    /// than the inexact flag.
    fn checked_result(&mut self, r: Value, format: Format, slow: Block) -> Value {
        let bits = self.b.ins().bitcast(format.int(), MemFlagsData::new(), r);
        let ok = self.safe_result(bits, format);
        self.require(ok, slow);
        self.boxed(bits, format)
    }

    fn fast_compare(&mut self, i: &Inst, format: Format, cc: FloatCC, slow: Block) -> Value {
        let (a, boxed_a) = self.operand(i.rs1, format);
        let (b, boxed_b) = self.operand(i.rs2, format);
        let not_nan_a = self.not_nan(a, format, boxed_a);
        let not_nan_b = self.not_nan(b, format, boxed_b);
        let ok = self.b.ins().band(not_nan_a, not_nan_b);
        self.require(ok, slow);
        let x = self.b.ins().bitcast(format.float(), MemFlagsData::new(), a);
        let y = self.b.ins().bitcast(format.float(), MemFlagsData::new(), b);
        let c = self.b.ins().fcmp(cc, x, y);
        self.b.ins().uextend(I64, c)
    }

    fn not_nan(&mut self, bits: Value, format: Format, boxed: Option<Value>) -> Value {
        let magnitude = self.b.ins().band_imm_s(bits, format.magnitude_mask());
        let ok = self.b.ins().icmp_imm_s(IntCC::UnsignedLessThanOrEqual, magnitude, format.infinity());
        match boxed {
            Some(boxed) => self.b.ins().band(ok, boxed),
            None => ok,
        }
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
        let bits = self.b.ins().bitcast(format.int(), MemFlagsData::new(), r);
        self.boxed(bits, format)
    }
}
