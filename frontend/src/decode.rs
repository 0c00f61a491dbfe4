//! Decoding of 32-bit RV64 instructions (I, M, A, F, D, Zicsr, Zifencei,
//! Zba, Zbb, Zbs, Zicond and the privileged instructions) into [`Inst`].
//!
//! The decoder is a set of plain `match`es on the encoding's fields: no
//! tables, no allocation. Every encoding the ISA manual reserves decodes as
//! [`Op::Illegal`].

use crate::compressed;
use crate::inst::{Inst, Op};

/// The length in bytes of the instruction whose low 16 bits are `low_half`:
/// 2 for compressed instructions, 4 otherwise. Encodings of 48 bits or more
/// are reported as 4 bytes long (and decode as [`Op::Illegal`]).
#[inline]
pub fn insn_length(low_half: u16) -> usize {
    if low_half & 3 != 3 {
        2
    } else {
        4
    }
}

/// Decodes one instruction. If `raw & 3 != 3` only the low 16 bits are used
/// and the result is the base operation the compressed instruction expands
/// to, with `len == 2`.
#[inline]
pub fn decode(raw: u32) -> Inst {
    if raw & 3 != 3 {
        compressed::expand(raw as u16)
    } else {
        decode32(raw)
    }
}

/// Whether a rounding-mode field value is valid (5 and 6 are reserved).
#[inline]
pub(crate) fn rm_ok(rm: u32) -> bool {
    rm != 5 && rm != 6
}

/// Decodes a 32-bit instruction (`raw & 3 == 3`).
fn decode32(raw: u32) -> Inst {
    use Op::*;
    let rd = ((raw >> 7) & 31) as u8;
    let f3 = (raw >> 12) & 7;
    let rs1 = ((raw >> 15) & 31) as u8;
    let rs2 = ((raw >> 20) & 31) as u8;
    let f7 = raw >> 25;
    let imm_i = (raw as i32) >> 20;
    let ill = Inst::illegal(raw, 4);
    let mk = |op: Op, rd: u8, rs1: u8, rs2: u8, imm: i32| Inst { op, rd, rs1, rs2, rs3: 0, rm: 0, len: 4, imm, raw };
    // R-type, I-type and unary (rd, rs1) helpers.
    let r = |op: Op| mk(op, rd, rs1, rs2, 0);
    let i = |op: Op| mk(op, rd, rs1, 0, imm_i);
    let u = |op: Op| mk(op, rd, rs1, 0, 0);
    match raw & 0x7f {
        0x37 => mk(Lui, rd, 0, 0, (raw & 0xffff_f000) as i32),
        0x17 => mk(Auipc, rd, 0, 0, (raw & 0xffff_f000) as i32),
        0x6f => {
            let imm = (((raw as i32) >> 11) & !0xf_ffff) // imm[20] -> bits 31:20
                | (raw & 0x000f_f000) as i32 // imm[19:12]
                | ((raw >> 9) & 0x800) as i32 // imm[11]
                | ((raw >> 20) & 0x7fe) as i32; // imm[10:1]
            mk(Jal, rd, 0, 0, imm)
        }
        0x67 if f3 == 0 => i(Jalr),
        0x63 => {
            let op = match f3 {
                0 => Beq,
                1 => Bne,
                4 => Blt,
                5 => Bge,
                6 => Bltu,
                7 => Bgeu,
                _ => return ill,
            };
            let imm = (((raw as i32) >> 19) & !0xfff) // imm[12] -> bits 31:12
                | ((raw << 4) & 0x800) as i32 // imm[11]
                | ((raw >> 20) & 0x7e0) as i32 // imm[10:5]
                | ((raw >> 7) & 0x1e) as i32; // imm[4:1]
            mk(op, 0, rs1, rs2, imm)
        }
        0x03 => i(match f3 {
            0 => Lb,
            1 => Lh,
            2 => Lw,
            3 => Ld,
            4 => Lbu,
            5 => Lhu,
            6 => Lwu,
            _ => return ill,
        }),
        0x23 => {
            let op = match f3 {
                0 => Sb,
                1 => Sh,
                2 => Sw,
                3 => Sd,
                _ => return ill,
            };
            mk(op, 0, rs1, rs2, s_imm(raw))
        }
        0x13 => decode_op_imm(raw, rd, rs1, f3, imm_i),
        0x1b => {
            let shamt5 = rs2 as i32;
            match (f3, f7) {
                (0, _) => i(Addiw),
                (1, 0) => mk(Slliw, rd, rs1, 0, shamt5),
                (1, 0b000_0100 | 0b000_0101) => mk(SlliUw, rd, rs1, 0, ((raw >> 20) & 63) as i32),
                (1, 0b011_0000) => match rs2 {
                    0 => u(Clzw),
                    1 => u(Ctzw),
                    2 => u(Cpopw),
                    _ => ill,
                },
                (5, 0) => mk(Srliw, rd, rs1, 0, shamt5),
                (5, 0b010_0000) => mk(Sraiw, rd, rs1, 0, shamt5),
                (5, 0b011_0000) => mk(Roriw, rd, rs1, 0, shamt5),
                _ => ill,
            }
        }
        0x33 => r(match (f7, f3) {
            (0, 0) => Add,
            (0, 1) => Sll,
            (0, 2) => Slt,
            (0, 3) => Sltu,
            (0, 4) => Xor,
            (0, 5) => Srl,
            (0, 6) => Or,
            (0, 7) => And,
            (0b010_0000, 0) => Sub,
            (0b010_0000, 5) => Sra,
            (0b010_0000, 4) => Xnor,
            (0b010_0000, 6) => Orn,
            (0b010_0000, 7) => Andn,
            (1, 0) => Mul,
            (1, 1) => Mulh,
            (1, 2) => Mulhsu,
            (1, 3) => Mulhu,
            (1, 4) => Div,
            (1, 5) => Divu,
            (1, 6) => Rem,
            (1, 7) => Remu,
            (0b000_0101, 4) => Min,
            (0b000_0101, 5) => Minu,
            (0b000_0101, 6) => Max,
            (0b000_0101, 7) => Maxu,
            (0b001_0000, 2) => Sh1add,
            (0b001_0000, 4) => Sh2add,
            (0b001_0000, 6) => Sh3add,
            (0b011_0000, 1) => Rol,
            (0b011_0000, 5) => Ror,
            (0b010_0100, 1) => Bclr,
            (0b010_0100, 5) => Bext,
            (0b011_0100, 1) => Binv,
            (0b001_0100, 1) => Bset,
            (0b000_0111, 5) => CzeroEqz,
            (0b000_0111, 7) => CzeroNez,
            _ => return ill,
        }),
        0x3b => r(match (f7, f3) {
            (0, 0) => Addw,
            (0, 1) => Sllw,
            (0, 5) => Srlw,
            (0b010_0000, 0) => Subw,
            (0b010_0000, 5) => Sraw,
            (1, 0) => Mulw,
            (1, 4) => Divw,
            (1, 5) => Divuw,
            (1, 6) => Remw,
            (1, 7) => Remuw,
            (0b000_0100, 0) => AddUw,
            (0b000_0100, 4) if rs2 == 0 => return u(ZextH),
            (0b001_0000, 2) => Sh1addUw,
            (0b001_0000, 4) => Sh2addUw,
            (0b001_0000, 6) => Sh3addUw,
            (0b011_0000, 1) => Rolw,
            (0b011_0000, 5) => Rorw,
            _ => return ill,
        }),
        0x0f => match f3 {
            0 => mk(Fence, rd, rs1, 0, (raw >> 20) as i32),
            1 => mk(FenceI, 0, 0, 0, 0),
            _ => ill,
        },
        0x73 => match f3 {
            0 => match raw {
                0x0000_0073 => mk(Ecall, 0, 0, 0, 0),
                0x0010_0073 => mk(Ebreak, 0, 0, 0, 0),
                0x3020_0073 => mk(Mret, 0, 0, 0, 0),
                0x1020_0073 => mk(Sret, 0, 0, 0, 0),
                0x1050_0073 => mk(Wfi, 0, 0, 0, 0),
                _ if f7 == 0b000_1001 && rd == 0 => mk(SfenceVma, 0, rs1, rs2, 0),
                _ => ill,
            },
            4 => ill,
            _ => {
                let op = match f3 {
                    1 => Csrrw,
                    2 => Csrrs,
                    3 => Csrrc,
                    5 => Csrrwi,
                    6 => Csrrsi,
                    _ => Csrrci,
                };
                mk(op, rd, rs1, 0, (raw >> 20) as i32)
            }
        },
        0x2f => decode_amo(raw, rd, rs1, rs2, f3),
        0x07 => match f3 {
            2 => i(Flw),
            3 => i(Fld),
            _ => ill,
        },
        0x27 => match f3 {
            2 => mk(Fsw, 0, rs1, rs2, s_imm(raw)),
            3 => mk(Fsd, 0, rs1, rs2, s_imm(raw)),
            _ => ill,
        },
        0x43 | 0x47 | 0x4b | 0x4f => {
            let double = match f7 & 3 {
                0 => false,
                1 => true,
                _ => return ill,
            };
            if !rm_ok(f3) {
                return ill;
            }
            let op = match (raw & 0x7f, double) {
                (0x43, false) => FmaddS,
                (0x47, false) => FmsubS,
                (0x4b, false) => FnmsubS,
                (0x4f, false) => FnmaddS,
                (0x43, true) => FmaddD,
                (0x47, true) => FmsubD,
                (0x4b, true) => FnmsubD,
                _ => FnmaddD,
            };
            Inst { rs3: (raw >> 27) as u8, rm: f3 as u8, ..r(op) }
        }
        0x53 => decode_op_fp(raw, rd, rs1, rs2, f3, f7),
        _ => ill,
    }
}

/// The S-type immediate (stores).
#[inline]
fn s_imm(raw: u32) -> i32 {
    (((raw as i32) >> 20) & !0x1f) | ((raw >> 7) & 0x1f) as i32
}

/// OP-IMM (major opcode 0x13): base immediates, shifts and the Zbb/Zbs
/// immediate forms.
fn decode_op_imm(raw: u32, rd: u8, rs1: u8, f3: u32, imm_i: i32) -> Inst {
    use Op::*;
    let mk = |op: Op, imm: i32| Inst { op, rd, rs1, rs2: 0, rs3: 0, rm: 0, len: 4, imm, raw };
    let imm12 = raw >> 20;
    let f6 = raw >> 26;
    let shamt = (imm12 & 63) as i32;
    match f3 {
        0 => mk(Addi, imm_i),
        2 => mk(Slti, imm_i),
        3 => mk(Sltiu, imm_i),
        4 => mk(Xori, imm_i),
        6 => mk(Ori, imm_i),
        7 => mk(Andi, imm_i),
        1 => match (f6, imm12) {
            (0, _) => mk(Slli, shamt),
            (0b01_0010, _) => mk(Bclri, shamt),
            (0b01_1010, _) => mk(Binvi, shamt),
            (0b00_1010, _) => mk(Bseti, shamt),
            (_, 0x600) => mk(Clz, 0),
            (_, 0x601) => mk(Ctz, 0),
            (_, 0x602) => mk(Cpop, 0),
            (_, 0x604) => mk(SextB, 0),
            (_, 0x605) => mk(SextH, 0),
            _ => Inst::illegal(raw, 4),
        },
        _ => match (f6, imm12) {
            (0, _) => mk(Srli, shamt),
            (0b01_0000, _) => mk(Srai, shamt),
            (0b01_1000, _) => mk(Rori, shamt),
            (0b01_0010, _) => mk(Bexti, shamt),
            (_, 0x287) => mk(OrcB, 0),
            (_, 0x6b8) => mk(Rev8, 0),
            _ => Inst::illegal(raw, 4),
        },
    }
}

/// AMO (major opcode 0x2f): LR/SC and the AMOs, word and doubleword.
fn decode_amo(raw: u32, rd: u8, rs1: u8, rs2: u8, f3: u32) -> Inst {
    use Op::*;
    let double = match f3 {
        2 => false,
        3 => true,
        _ => return Inst::illegal(raw, 4),
    };
    let f5 = raw >> 27;
    let (w, d) = match f5 {
        0b00010 if rs2 == 0 => (LrW, LrD),
        0b00011 => (ScW, ScD),
        0b00001 => (AmoswapW, AmoswapD),
        0b00000 => (AmoaddW, AmoaddD),
        0b00100 => (AmoxorW, AmoxorD),
        0b01100 => (AmoandW, AmoandD),
        0b01000 => (AmoorW, AmoorD),
        0b10000 => (AmominW, AmominD),
        0b10100 => (AmomaxW, AmomaxD),
        0b11000 => (AmominuW, AmominuD),
        0b11100 => (AmomaxuW, AmomaxuD),
        _ => return Inst::illegal(raw, 4),
    };
    Inst { op: if double { d } else { w }, rd, rs1, rs2, rs3: 0, rm: ((raw >> 25) & 3) as u8, len: 4, imm: 0, raw }
}

/// OP-FP (major opcode 0x53), single and double precision.
fn decode_op_fp(raw: u32, rd: u8, rs1: u8, rs2: u8, f3: u32, f7: u32) -> Inst {
    use Op::*;
    let ill = Inst::illegal(raw, 4);
    let mk = |op: Op, rs2: u8, rm: u32| Inst { op, rd, rs1, rs2, rs3: 0, rm: rm as u8, len: 4, imm: 0, raw };
    // Operations with a rounding-mode field: reserved values are illegal.
    let with_rm = |op: Op, rs2: u8| {
        if rm_ok(f3) {
            mk(op, rs2, f3)
        } else {
            ill
        }
    };
    // Operations where funct3 selects the operation.
    let sel = |op: Op| mk(op, rs2, 0);
    match f7 {
        0b000_0000 => with_rm(FaddS, rs2),
        0b000_0001 => with_rm(FaddD, rs2),
        0b000_0100 => with_rm(FsubS, rs2),
        0b000_0101 => with_rm(FsubD, rs2),
        0b000_1000 => with_rm(FmulS, rs2),
        0b000_1001 => with_rm(FmulD, rs2),
        0b000_1100 => with_rm(FdivS, rs2),
        0b000_1101 => with_rm(FdivD, rs2),
        0b010_1100 if rs2 == 0 => with_rm(FsqrtS, 0),
        0b010_1101 if rs2 == 0 => with_rm(FsqrtD, 0),
        0b001_0000 | 0b001_0001 => {
            let double = f7 & 1 != 0;
            match (f3, double) {
                (0, false) => sel(FsgnjS),
                (1, false) => sel(FsgnjnS),
                (2, false) => sel(FsgnjxS),
                (0, true) => sel(FsgnjD),
                (1, true) => sel(FsgnjnD),
                (2, true) => sel(FsgnjxD),
                _ => ill,
            }
        }
        0b001_0100 | 0b001_0101 => {
            let double = f7 & 1 != 0;
            match (f3, double) {
                (0, false) => sel(FminS),
                (1, false) => sel(FmaxS),
                (0, true) => sel(FminD),
                (1, true) => sel(FmaxD),
                _ => ill,
            }
        }
        0b010_0000 if rs2 == 1 => with_rm(FcvtSD, 0),
        0b010_0001 if rs2 == 0 => with_rm(FcvtDS, 0),
        0b110_0000 | 0b110_0001 | 0b110_1000 | 0b110_1001 => {
            let double = f7 & 1 != 0;
            let to_int = f7 & 0b000_1000 == 0;
            let op = match (to_int, double, rs2) {
                (true, false, 0) => FcvtWS,
                (true, false, 1) => FcvtWuS,
                (true, false, 2) => FcvtLS,
                (true, false, 3) => FcvtLuS,
                (true, true, 0) => FcvtWD,
                (true, true, 1) => FcvtWuD,
                (true, true, 2) => FcvtLD,
                (true, true, 3) => FcvtLuD,
                (false, false, 0) => FcvtSW,
                (false, false, 1) => FcvtSWu,
                (false, false, 2) => FcvtSL,
                (false, false, 3) => FcvtSLu,
                (false, true, 0) => FcvtDW,
                (false, true, 1) => FcvtDWu,
                (false, true, 2) => FcvtDL,
                (false, true, 3) => FcvtDLu,
                _ => return ill,
            };
            with_rm(op, 0)
        }
        0b111_0000 if rs2 == 0 => match f3 {
            0 => sel(FmvXW),
            1 => sel(FclassS),
            _ => ill,
        },
        0b111_0001 if rs2 == 0 => match f3 {
            0 => sel(FmvXD),
            1 => sel(FclassD),
            _ => ill,
        },
        0b101_0000 => match f3 {
            0 => sel(FleS),
            1 => sel(FltS),
            2 => sel(FeqS),
            _ => ill,
        },
        0b101_0001 => match f3 {
            0 => sel(FleD),
            1 => sel(FltD),
            2 => sel(FeqD),
            _ => ill,
        },
        0b111_1000 if rs2 == 0 && f3 == 0 => sel(FmvWX),
        0b111_1001 if rs2 == 0 && f3 == 0 => sel(FmvDX),
        _ => ill,
    }
}
