//! Disassembly in the syntax of `riscv64-unknown-elf-objdump -d -M no-aliases`
//! (GNU binutils 2.40): the mnemonic, a tab, then the operands separated by
//! `,` without spaces, ABI register names, CSRs by name, branch and jump
//! targets as absolute hexadecimal addresses without `0x` (as objdump
//! prints them when the object has symbols; it then appends ` <symbol>`,
//! which we do not), compressed instructions in their `c.*` form.
//!
//! Deliberate choices where objdump 2.40 gives no guidance or where we
//! differ from it:
//!
//! - Illegal encodings print as objdump prints undecodable words:
//!   `.2byte\t0x…` / `.4byte\t0x…` (hex without leading zeros). Where
//!   objdump does decode an encoding the ISA manual reserves we print what
//!   objdump prints: `c.unimp` for the all-zero halfword, `c.addi16sp\tsp,0`
//!   for `c.addi16sp` with a zero immediate, and the instruction with an
//!   `unknown` rounding mode for FP encodings with rm = 5 or 6, and the
//!   obsolete `uret`, `hret` and `sfence.vm` (N extension and privileged
//!   spec 1.9, reserved today).
//! - `fence` with non-zero `rd`/`rs1` or a reserved `fm`, and `fence.i` with
//!   non-zero `imm`/`rs1`/`rd`, are legal (the ISA says implementations
//!   ignore those fields) but objdump 2.40 does not decode them: we print
//!   them as objdump does, `.4byte\t0x…`.
//! - `fcvt.d.s`, `fcvt.d.w` and `fcvt.d.wu` with a non-zero rm are legal
//!   (they never round) but objdump 2.40 only knows them with rm = 0: we
//!   print the rounding mode as a suffix (`,rtz`, …, including `,dyn`)
//!   when it is not 0.
//! - `czero.eqz`/`czero.nez` (Zicond) are unknown to objdump 2.40; we print
//!   them as R-type instructions, `czero.eqz\trd,rs1,rs2`.
//! - objdump annotates some instructions with a ` # address <symbol>`
//!   comment computed from previous instructions (e.g. `auipc` + `addi`)
//!   or from `x0`-relative addressing; a per-instruction disassembler
//!   cannot know them and we never print comments.

use crate::csr;
use crate::decode::decode;
use crate::inst::{Inst, Op};
use std::fmt::Write;

/// ABI names of the integer registers.
const XREG: [&str; 32] = [
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2",
    "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
];

/// ABI names of the floating-point registers.
const FREG: [&str; 32] = [
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
    "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
];

/// Rounding-mode names as objdump prints them.
const RM: [&str; 8] = ["rne", "rtz", "rdn", "rup", "rmm", "unknown", "unknown", "dyn"];

#[inline]
fn x(r: u8) -> &'static str {
    XREG[(r & 31) as usize]
}

#[inline]
fn f(r: u8) -> &'static str {
    FREG[(r & 31) as usize]
}

/// The branch or jump target `pc + imm`.
#[inline]
fn target(pc: u64, imm: i32) -> u64 {
    pc.wrapping_add(imm as i64 as u64)
}

/// The `pred`/`succ` set of a fence as objdump prints it.
fn fence_set(bits: u32) -> String {
    if bits & 15 == 0 {
        return "unknown".into();
    }
    let mut s = String::with_capacity(4);
    for (bit, c) in [(8, 'i'), (4, 'o'), (2, 'r'), (1, 'w')] {
        if bits & bit != 0 {
            s.push(c);
        }
    }
    s
}

/// The mnemonic of an operation (for compressed instructions, of the base
/// operation they expand to).
pub(crate) fn mnemonic(op: Op) -> &'static str {
    use Op::*;
    match op {
        Illegal => "illegal",
        Lui => "lui",
        Auipc => "auipc",
        Jal => "jal",
        Jalr => "jalr",
        Beq => "beq",
        Bne => "bne",
        Blt => "blt",
        Bge => "bge",
        Bltu => "bltu",
        Bgeu => "bgeu",
        Lb => "lb",
        Lh => "lh",
        Lw => "lw",
        Ld => "ld",
        Lbu => "lbu",
        Lhu => "lhu",
        Lwu => "lwu",
        Sb => "sb",
        Sh => "sh",
        Sw => "sw",
        Sd => "sd",
        Addi => "addi",
        Slti => "slti",
        Sltiu => "sltiu",
        Xori => "xori",
        Ori => "ori",
        Andi => "andi",
        Slli => "slli",
        Srli => "srli",
        Srai => "srai",
        Add => "add",
        Sub => "sub",
        Sll => "sll",
        Slt => "slt",
        Sltu => "sltu",
        Xor => "xor",
        Srl => "srl",
        Sra => "sra",
        Or => "or",
        And => "and",
        Addiw => "addiw",
        Slliw => "slliw",
        Srliw => "srliw",
        Sraiw => "sraiw",
        Addw => "addw",
        Subw => "subw",
        Sllw => "sllw",
        Srlw => "srlw",
        Sraw => "sraw",
        Fence => "fence",
        Ecall => "ecall",
        Ebreak => "ebreak",
        FenceI => "fence.i",
        Csrrw => "csrrw",
        Csrrs => "csrrs",
        Csrrc => "csrrc",
        Csrrwi => "csrrwi",
        Csrrsi => "csrrsi",
        Csrrci => "csrrci",
        Mul => "mul",
        Mulh => "mulh",
        Mulhsu => "mulhsu",
        Mulhu => "mulhu",
        Div => "div",
        Divu => "divu",
        Rem => "rem",
        Remu => "remu",
        Mulw => "mulw",
        Divw => "divw",
        Divuw => "divuw",
        Remw => "remw",
        Remuw => "remuw",
        LrW => "lr.w",
        ScW => "sc.w",
        AmoswapW => "amoswap.w",
        AmoaddW => "amoadd.w",
        AmoxorW => "amoxor.w",
        AmoandW => "amoand.w",
        AmoorW => "amoor.w",
        AmominW => "amomin.w",
        AmomaxW => "amomax.w",
        AmominuW => "amominu.w",
        AmomaxuW => "amomaxu.w",
        LrD => "lr.d",
        ScD => "sc.d",
        AmoswapD => "amoswap.d",
        AmoaddD => "amoadd.d",
        AmoxorD => "amoxor.d",
        AmoandD => "amoand.d",
        AmoorD => "amoor.d",
        AmominD => "amomin.d",
        AmomaxD => "amomax.d",
        AmominuD => "amominu.d",
        AmomaxuD => "amomaxu.d",
        Flw => "flw",
        Fsw => "fsw",
        FmaddS => "fmadd.s",
        FmsubS => "fmsub.s",
        FnmsubS => "fnmsub.s",
        FnmaddS => "fnmadd.s",
        FaddS => "fadd.s",
        FsubS => "fsub.s",
        FmulS => "fmul.s",
        FdivS => "fdiv.s",
        FsqrtS => "fsqrt.s",
        FsgnjS => "fsgnj.s",
        FsgnjnS => "fsgnjn.s",
        FsgnjxS => "fsgnjx.s",
        FminS => "fmin.s",
        FmaxS => "fmax.s",
        FcvtWS => "fcvt.w.s",
        FcvtWuS => "fcvt.wu.s",
        FcvtLS => "fcvt.l.s",
        FcvtLuS => "fcvt.lu.s",
        FmvXW => "fmv.x.w",
        FclassS => "fclass.s",
        FeqS => "feq.s",
        FltS => "flt.s",
        FleS => "fle.s",
        FcvtSW => "fcvt.s.w",
        FcvtSWu => "fcvt.s.wu",
        FcvtSL => "fcvt.s.l",
        FcvtSLu => "fcvt.s.lu",
        FmvWX => "fmv.w.x",
        Fld => "fld",
        Fsd => "fsd",
        FmaddD => "fmadd.d",
        FmsubD => "fmsub.d",
        FnmsubD => "fnmsub.d",
        FnmaddD => "fnmadd.d",
        FaddD => "fadd.d",
        FsubD => "fsub.d",
        FmulD => "fmul.d",
        FdivD => "fdiv.d",
        FsqrtD => "fsqrt.d",
        FsgnjD => "fsgnj.d",
        FsgnjnD => "fsgnjn.d",
        FsgnjxD => "fsgnjx.d",
        FminD => "fmin.d",
        FmaxD => "fmax.d",
        FcvtSD => "fcvt.s.d",
        FcvtDS => "fcvt.d.s",
        FcvtWD => "fcvt.w.d",
        FcvtWuD => "fcvt.wu.d",
        FcvtLD => "fcvt.l.d",
        FcvtLuD => "fcvt.lu.d",
        FmvXD => "fmv.x.d",
        FclassD => "fclass.d",
        FeqD => "feq.d",
        FltD => "flt.d",
        FleD => "fle.d",
        FcvtDW => "fcvt.d.w",
        FcvtDWu => "fcvt.d.wu",
        FcvtDL => "fcvt.d.l",
        FcvtDLu => "fcvt.d.lu",
        FmvDX => "fmv.d.x",
        AddUw => "add.uw",
        Sh1add => "sh1add",
        Sh2add => "sh2add",
        Sh3add => "sh3add",
        Sh1addUw => "sh1add.uw",
        Sh2addUw => "sh2add.uw",
        Sh3addUw => "sh3add.uw",
        SlliUw => "slli.uw",
        Andn => "andn",
        Orn => "orn",
        Xnor => "xnor",
        Clz => "clz",
        Clzw => "clzw",
        Ctz => "ctz",
        Ctzw => "ctzw",
        Cpop => "cpop",
        Cpopw => "cpopw",
        Max => "max",
        Maxu => "maxu",
        Min => "min",
        Minu => "minu",
        SextB => "sext.b",
        SextH => "sext.h",
        ZextH => "zext.h",
        Rol => "rol",
        Rolw => "rolw",
        Ror => "ror",
        Rori => "rori",
        Roriw => "roriw",
        Rorw => "rorw",
        OrcB => "orc.b",
        Rev8 => "rev8",
        Bclr => "bclr",
        Bclri => "bclri",
        Bext => "bext",
        Bexti => "bexti",
        Binv => "binv",
        Binvi => "binvi",
        Bset => "bset",
        Bseti => "bseti",
        CzeroEqz => "czero.eqz",
        CzeroNez => "czero.nez",
        Mret => "mret",
        Sret => "sret",
        Wfi => "wfi",
        SfenceVma => "sfence.vma",
    }
}

/// Disassembles one instruction at address `pc`, as
/// `riscv64-unknown-elf-objdump -d -M no-aliases` prints it (without the
/// ` <symbol>` part after branch targets and without `#` comments).
pub fn disassemble(inst: &Inst, pc: u64) -> String {
    if inst.len == 2 {
        return disasm_compressed(inst, pc);
    }
    let mut out = String::with_capacity(32);
    if inst.op == Op::Illegal {
        disasm_illegal32(inst.raw, pc, &mut out);
    } else {
        disasm32(inst, pc, &mut out);
    }
    out
}

/// 32-bit illegal encodings: objdump's `unknown` rounding mode where it
/// decodes one, `.4byte` otherwise.
fn disasm_illegal32(raw: u32, pc: u64, out: &mut String) {
    let rm = (raw >> 12) & 7;
    let opcode = raw & 0x7f;
    let fp = matches!(opcode, 0x43 | 0x47 | 0x4b | 0x4f | 0x53);
    if fp && (rm == 5 || rm == 6) {
        let alt = decode(raw | 0x7000);
        let rounding = !matches!(alt.op, Op::Illegal | Op::FcvtDS | Op::FcvtDW | Op::FcvtDWu) && has_rm(alt.op);
        if rounding {
            disasm32(&Inst { rm: rm as u8, ..alt }, pc, out);
            return;
        }
    }
    // Privileged instructions of earlier specifications (N extension,
    // priv 1.9) that the current ISA reserves but objdump still decodes.
    match raw {
        0x0020_0073 => out.push_str("uret"),
        0x2020_0073 => out.push_str("hret"),
        0x1040_0073 => out.push_str("sfence.vm"),
        _ if raw & 0xfff0_7fff == 0x1040_0073 => {
            let _ = write!(out, "sfence.vm\t{}", x((raw >> 15) as u8 & 31));
        }
        _ => {
            let _ = write!(out, ".4byte\t0x{raw:x}");
        }
    }
}

/// Whether an operation's encoding has a rounding-mode field.
fn has_rm(op: Op) -> bool {
    use Op::*;
    matches!(
        op,
        FmaddS
            | FmsubS
            | FnmsubS
            | FnmaddS
            | FaddS
            | FsubS
            | FmulS
            | FdivS
            | FsqrtS
            | FcvtWS
            | FcvtWuS
            | FcvtLS
            | FcvtLuS
            | FcvtSW
            | FcvtSWu
            | FcvtSL
            | FcvtSLu
            | FmaddD
            | FmsubD
            | FnmsubD
            | FnmaddD
            | FaddD
            | FsubD
            | FmulD
            | FdivD
            | FsqrtD
            | FcvtSD
            | FcvtDS
            | FcvtWD
            | FcvtWuD
            | FcvtLD
            | FcvtLuD
            | FcvtDW
            | FcvtDWu
            | FcvtDL
            | FcvtDLu
    )
}

/// Appends `,rm` unless the rounding mode is dynamic.
fn push_rm(out: &mut String, rm: u8) {
    if rm != 7 {
        out.push(',');
        out.push_str(RM[(rm & 7) as usize]);
    }
}

/// A legal 32-bit instruction.
fn disasm32(i: &Inst, pc: u64, out: &mut String) {
    use Op::*;
    let m = mnemonic(i.op);
    let (rd, rs1, rs2, imm) = (i.rd, i.rs1, i.rs2, i.imm);
    let _ = match i.op {
        Illegal => write!(out, ".4byte\t0x{:x}", i.raw),
        Lui | Auipc => write!(out, "{m}\t{},0x{:x}", x(rd), (imm as u32) >> 12),
        Jal => write!(out, "{m}\t{},{:x}", x(rd), target(pc, imm)),
        Jalr | Lb | Lh | Lw | Ld | Lbu | Lhu | Lwu => {
            write!(out, "{m}\t{},{imm}({})", x(rd), x(rs1))
        }
        Beq | Bne | Blt | Bge | Bltu | Bgeu => {
            write!(out, "{m}\t{},{},{:x}", x(rs1), x(rs2), target(pc, imm))
        }
        Sb | Sh | Sw | Sd => write!(out, "{m}\t{},{imm}({})", x(rs2), x(rs1)),
        Addi | Slti | Sltiu | Xori | Ori | Andi | Addiw => {
            write!(out, "{m}\t{},{},{imm}", x(rd), x(rs1))
        }
        Slli | Srli | Srai | Slliw | Srliw | Sraiw | Rori | Roriw | Bclri | Bexti | Binvi | Bseti | SlliUw => {
            write!(out, "{m}\t{},{},0x{imm:x}", x(rd), x(rs1))
        }
        Clz | Clzw | Ctz | Ctzw | Cpop | Cpopw | SextB | SextH | ZextH | OrcB | Rev8 => {
            write!(out, "{m}\t{},{}", x(rd), x(rs1))
        }
        Fence => {
            let bits = imm as u32;
            if rd != 0 || rs1 != 0 {
                write!(out, ".4byte\t0x{:x}", i.raw)
            } else if bits == 0x833 {
                write!(out, "fence.tso")
            } else if bits == 0x010 {
                write!(out, "pause")
            } else if bits >> 8 != 0 {
                write!(out, ".4byte\t0x{:x}", i.raw)
            } else {
                write!(out, "fence\t{},{}", fence_set(bits >> 4), fence_set(bits))
            }
        }
        FenceI => {
            if i.raw == 0x0000_100f {
                write!(out, "fence.i")
            } else {
                write!(out, ".4byte\t0x{:x}", i.raw)
            }
        }
        Ecall | Ebreak | Mret | Sret | Wfi => write!(out, "{m}"),
        SfenceVma => write!(out, "{m}\t{},{}", x(rs1), x(rs2)),
        Csrrw | Csrrs | Csrrc | Csrrwi | Csrrsi | Csrrci => {
            write!(out, "{m}\t{},", x(rd)).ok();
            let n = (imm as u32 & 0xfff) as u16;
            match csr::name(n) {
                Some(name) => out.push_str(name),
                None => {
                    let _ = write!(out, "0x{n:x}");
                }
            }
            if matches!(i.op, Csrrw | Csrrs | Csrrc) {
                write!(out, ",{}", x(rs1))
            } else {
                write!(out, ",{rs1}")
            }
        }
        LrW | LrD | ScW | ScD | AmoswapW | AmoaddW | AmoxorW | AmoandW | AmoorW | AmominW | AmomaxW | AmominuW
        | AmomaxuW | AmoswapD | AmoaddD | AmoxorD | AmoandD | AmoorD | AmominD | AmomaxD | AmominuD | AmomaxuD => {
            let order = match i.rm & 3 {
                0 => "",
                1 => ".rl",
                2 => ".aq",
                _ => ".aqrl",
            };
            if matches!(i.op, LrW | LrD) {
                write!(out, "{m}{order}\t{},({})", x(rd), x(rs1))
            } else {
                write!(out, "{m}{order}\t{},{},({})", x(rd), x(rs2), x(rs1))
            }
        }
        Flw | Fld => write!(out, "{m}\t{},{imm}({})", f(rd), x(rs1)),
        Fsw | Fsd => write!(out, "{m}\t{},{imm}({})", f(rs2), x(rs1)),
        FmaddS | FmsubS | FnmsubS | FnmaddS | FmaddD | FmsubD | FnmsubD | FnmaddD => {
            write!(out, "{m}\t{},{},{},{}", f(rd), f(rs1), f(rs2), f(i.rs3)).ok();
            push_rm(out, i.rm);
            Ok(())
        }
        FaddS | FsubS | FmulS | FdivS | FaddD | FsubD | FmulD | FdivD => {
            write!(out, "{m}\t{},{},{}", f(rd), f(rs1), f(rs2)).ok();
            push_rm(out, i.rm);
            Ok(())
        }
        FsqrtS | FsqrtD | FcvtSD => {
            write!(out, "{m}\t{},{}", f(rd), f(rs1)).ok();
            push_rm(out, i.rm);
            Ok(())
        }
        FcvtDS => {
            write!(out, "{m}\t{},{}", f(rd), f(rs1)).ok();
            exact_rm(out, i.rm);
            Ok(())
        }
        FcvtWS | FcvtWuS | FcvtLS | FcvtLuS | FcvtWD | FcvtWuD | FcvtLD | FcvtLuD => {
            write!(out, "{m}\t{},{}", x(rd), f(rs1)).ok();
            push_rm(out, i.rm);
            Ok(())
        }
        FcvtSW | FcvtSWu | FcvtSL | FcvtSLu | FcvtDL | FcvtDLu => {
            write!(out, "{m}\t{},{}", f(rd), x(rs1)).ok();
            push_rm(out, i.rm);
            Ok(())
        }
        FcvtDW | FcvtDWu => {
            write!(out, "{m}\t{},{}", f(rd), x(rs1)).ok();
            exact_rm(out, i.rm);
            Ok(())
        }
        FsgnjS | FsgnjnS | FsgnjxS | FminS | FmaxS | FsgnjD | FsgnjnD | FsgnjxD | FminD | FmaxD => {
            write!(out, "{m}\t{},{},{}", f(rd), f(rs1), f(rs2))
        }
        FmvXW | FclassS | FmvXD | FclassD => write!(out, "{m}\t{},{}", x(rd), f(rs1)),
        FmvWX | FmvDX => write!(out, "{m}\t{},{}", f(rd), x(rs1)),
        FeqS | FltS | FleS | FeqD | FltD | FleD => {
            write!(out, "{m}\t{},{},{}", x(rd), f(rs1), f(rs2))
        }
        Add | Sub | Sll | Slt | Sltu | Xor | Srl | Sra | Or | And | Addw | Subw | Sllw | Srlw | Sraw | Mul | Mulh
        | Mulhsu | Mulhu | Div | Divu | Rem | Remu | Mulw | Divw | Divuw | Remw | Remuw | AddUw | Sh1add | Sh2add
        | Sh3add | Sh1addUw | Sh2addUw | Sh3addUw | Andn | Orn | Xnor | Max | Maxu | Min | Minu | Rol | Rolw | Ror
        | Rorw | Bclr | Bext | Binv | Bset | CzeroEqz | CzeroNez => {
            write!(out, "{m}\t{},{},{}", x(rd), x(rs1), x(rs2))
        }
    };
}

/// The rounding mode of the widening conversions that never round: none
/// for rm = 0 (the only form objdump 2.40 knows), the explicit name
/// otherwise.
fn exact_rm(out: &mut String, rm: u8) {
    if rm != 0 {
        out.push(',');
        out.push_str(RM[(rm & 7) as usize]);
    }
}

/// A 16-bit instruction, in its `c.*` form.
fn disasm_compressed(i: &Inst, pc: u64) -> String {
    use Op::*;
    let raw = i.raw & 0xffff;
    if i.op == Illegal {
        return if raw == 0 {
            "c.unimp".into()
        } else if raw & 0xef83 == 0x6101 {
            // c.addi16sp with a zero immediate: reserved, but objdump decodes it.
            "c.addi16sp\tsp,0".into()
        } else {
            format!(".2byte\t0x{raw:x}")
        };
    }
    let (rd, rs1, rs2, imm) = (i.rd, i.rs1, i.rs2, i.imm);
    let quadrant = raw & 3;
    let f3 = raw >> 13;
    match i.op {
        Addi if quadrant == 0 => format!("c.addi4spn\t{},sp,{imm}", x(rd)),
        Addi if quadrant == 1 && f3 == 0 => format!("c.addi\t{},{imm}", x(rd)),
        Addi if quadrant == 1 && f3 == 2 => format!("c.li\t{},{imm}", x(rd)),
        Addi => format!("c.addi16sp\tsp,{imm}"),
        Addiw => format!("c.addiw\t{},{imm}", x(rd)),
        Lui => format!("c.lui\t{},0x{:x}", x(rd), (imm as u32) >> 12),
        Srli | Srai | Slli => {
            let name = match i.op {
                Srli => "c.srli",
                Srai => "c.srai",
                _ => "c.slli",
            };
            if imm == 0 {
                format!("{name}64\t{}", x(rd))
            } else {
                format!("{name}\t{},0x{imm:x}", x(rd))
            }
        }
        Andi => format!("c.andi\t{},{imm}", x(rd)),
        Sub | Xor | Or | And | Subw | Addw => {
            format!("c.{}\t{},{}", mnemonic(i.op), x(rd), x(rs2))
        }
        Add if raw & 0x1000 == 0 => format!("c.mv\t{},{}", x(rd), x(rs2)),
        Add => format!("c.add\t{},{}", x(rd), x(rs2)),
        Jal => format!("c.j\t{:x}", target(pc, imm)),
        Beq => format!("c.beqz\t{},{:x}", x(rs1), target(pc, imm)),
        Bne => format!("c.bnez\t{},{:x}", x(rs1), target(pc, imm)),
        Jalr if rd == 0 => format!("c.jr\t{}", x(rs1)),
        Jalr => format!("c.jalr\t{}", x(rs1)),
        Ebreak => "c.ebreak".into(),
        Lw | Ld if quadrant == 2 => format!("c.{}sp\t{},{imm}(sp)", mnemonic(i.op), x(rd)),
        Fld if quadrant == 2 => format!("c.fldsp\t{},{imm}(sp)", f(rd)),
        Sw | Sd if quadrant == 2 => format!("c.{}sp\t{},{imm}(sp)", mnemonic(i.op), x(rs2)),
        Fsd if quadrant == 2 => format!("c.fsdsp\t{},{imm}(sp)", f(rs2)),
        Lw | Ld => format!("c.{}\t{},{imm}({})", mnemonic(i.op), x(rd), x(rs1)),
        Fld => format!("c.fld\t{},{imm}({})", f(rd), x(rs1)),
        Sw | Sd => format!("c.{}\t{},{imm}({})", mnemonic(i.op), x(rs2), x(rs1)),
        Fsd => format!("c.fsd\t{},{imm}({})", f(rs2), x(rs1)),
        // Not produced by the compressed decoder.
        _ => format!(".2byte\t0x{raw:x}"),
    }
}
