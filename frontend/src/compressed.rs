//! Expansion of 16-bit RV64C instructions into the base operation they
//! stand for (`len = 2`, `raw` = the 16 bits).
//!
//! Reserved encodings (the all-zero word, `c.addi4spn` with a zero
//! immediate, `c.lui`/`c.addi16sp` with a zero immediate, `c.lwsp`/`c.ldsp`/
//! `c.addiw` with `rd = x0`, `c.jr` with `rs1 = x0`, and the unassigned
//! slots) are [`Op::Illegal`]; HINT encodings are legal and expand to their
//! base operation.

use crate::inst::{Inst, Op};

/// `rd'`/`rs2'` (bits 4:2) as a full register number.
#[inline]
fn reg_lo(x: u32) -> u8 {
    (((x >> 2) & 7) + 8) as u8
}

/// `rs1'`/`rd'` (bits 9:7) as a full register number.
#[inline]
fn reg_hi(x: u32) -> u8 {
    (((x >> 7) & 7) + 8) as u8
}

/// The 6-bit signed immediate of the CI format (bit 12, bits 6:2).
#[inline]
fn ci_imm(x: u32) -> i32 {
    let v = (((x >> 7) & 0x20) | ((x >> 2) & 0x1f)) as i32;
    (v << 26) >> 26
}

/// The 6-bit shift amount of `c.slli`/`c.srli`/`c.srai`.
#[inline]
fn ci_shamt(x: u32) -> i32 {
    (((x >> 7) & 0x20) | ((x >> 2) & 0x1f)) as i32
}

/// Sign-extends the low `bits` bits of `v`.
#[inline]
fn sext(v: u32, bits: u32) -> i32 {
    ((v << (32 - bits)) as i32) >> (32 - bits)
}

/// Expands a 16-bit instruction (`raw & 3 != 3`).
pub(crate) fn expand(raw: u16) -> Inst {
    use Op::*;
    let x = raw as u32;
    let ill = Inst::illegal(x, 2);
    let mk = |op: Op, rd: u8, rs1: u8, rs2: u8, imm: i32| Inst { op, rd, rs1, rs2, rs3: 0, rm: 0, len: 2, imm, raw: x };
    let f3 = x >> 13;
    let rd = ((x >> 7) & 31) as u8;
    let rs2 = ((x >> 2) & 31) as u8;
    match (x & 3, f3) {
        // Quadrant 0.
        (0, 0) => {
            let imm = ((x >> 7) & 0x30) | ((x >> 1) & 0x3c0) | ((x >> 4) & 4) | ((x >> 2) & 8);
            if imm == 0 {
                ill
            } else {
                mk(Addi, reg_lo(x), 2, 0, imm as i32)
            }
        }
        (0, 1 | 3 | 5 | 7) => {
            let imm = (((x >> 7) & 0x38) | ((x << 1) & 0xc0)) as i32;
            match f3 {
                1 => mk(Fld, reg_lo(x), reg_hi(x), 0, imm),
                3 => mk(Ld, reg_lo(x), reg_hi(x), 0, imm),
                5 => mk(Fsd, 0, reg_hi(x), reg_lo(x), imm),
                _ => mk(Sd, 0, reg_hi(x), reg_lo(x), imm),
            }
        }
        (0, 2 | 6) => {
            let imm = (((x >> 7) & 0x38) | ((x >> 4) & 4) | ((x << 1) & 0x40)) as i32;
            if f3 == 2 {
                mk(Lw, reg_lo(x), reg_hi(x), 0, imm)
            } else {
                mk(Sw, 0, reg_hi(x), reg_lo(x), imm)
            }
        }
        (0, _) => ill,
        // Quadrant 1.
        (1, 0) => mk(Addi, rd, rd, 0, ci_imm(x)),
        (1, 1) => {
            if rd == 0 {
                ill
            } else {
                mk(Addiw, rd, rd, 0, ci_imm(x))
            }
        }
        (1, 2) => mk(Addi, rd, 0, 0, ci_imm(x)),
        (1, 3) => {
            if rd == 2 {
                let v =
                    ((x >> 3) & 0x200) | ((x >> 2) & 0x10) | ((x << 1) & 0x40) | ((x << 4) & 0x180) | ((x << 3) & 0x20);
                if v == 0 {
                    ill
                } else {
                    mk(Addi, 2, 2, 0, sext(v, 10))
                }
            } else {
                let imm = ci_imm(x);
                if imm == 0 {
                    ill
                } else {
                    mk(Lui, rd, 0, 0, imm << 12)
                }
            }
        }
        (1, 4) => {
            let r = reg_hi(x);
            match (x >> 10) & 3 {
                0 => mk(Srli, r, r, 0, ci_shamt(x)),
                1 => mk(Srai, r, r, 0, ci_shamt(x)),
                2 => mk(Andi, r, r, 0, ci_imm(x)),
                _ => {
                    let op = match ((x >> 12) & 1, (x >> 5) & 3) {
                        (0, 0) => Sub,
                        (0, 1) => Xor,
                        (0, 2) => Or,
                        (0, _) => And,
                        (_, 0) => Subw,
                        (_, 1) => Addw,
                        _ => return ill,
                    };
                    mk(op, r, r, reg_lo(x), 0)
                }
            }
        }
        (1, 5) => {
            let v = ((x >> 1) & 0x800)
                | ((x >> 7) & 0x10)
                | ((x >> 1) & 0x300)
                | ((x << 2) & 0x400)
                | ((x >> 1) & 0x40)
                | ((x << 1) & 0x80)
                | ((x >> 2) & 0xe)
                | ((x << 3) & 0x20);
            mk(Jal, 0, 0, 0, sext(v, 12))
        }
        (1, _) => {
            let v = ((x >> 4) & 0x100) | ((x >> 7) & 0x18) | ((x << 1) & 0xc0) | ((x >> 2) & 6) | ((x << 3) & 0x20);
            let op = if f3 == 6 { Beq } else { Bne };
            mk(op, 0, reg_hi(x), 0, sext(v, 9))
        }
        // Quadrant 2.
        (_, 0) => mk(Slli, rd, rd, 0, ci_shamt(x)),
        (_, 1 | 3) => {
            let imm = (((x >> 7) & 0x20) | ((x >> 2) & 0x18) | ((x << 4) & 0x1c0)) as i32;
            if f3 == 1 {
                mk(Fld, rd, 2, 0, imm)
            } else if rd == 0 {
                ill
            } else {
                mk(Ld, rd, 2, 0, imm)
            }
        }
        (_, 2) => {
            let imm = (((x >> 7) & 0x20) | ((x >> 2) & 0x1c) | ((x << 4) & 0xc0)) as i32;
            if rd == 0 {
                ill
            } else {
                mk(Lw, rd, 2, 0, imm)
            }
        }
        (_, 4) => match ((x >> 12) & 1, rd, rs2) {
            (0, 0, 0) => ill,
            (0, _, 0) => mk(Jalr, 0, rd, 0, 0),
            (0, _, _) => mk(Add, rd, 0, rs2, 0),
            (_, 0, 0) => mk(Ebreak, 0, 0, 0, 0),
            (_, _, 0) => mk(Jalr, 1, rd, 0, 0),
            _ => mk(Add, rd, rd, rs2, 0),
        },
        (_, 5 | 7) => {
            let imm = (((x >> 7) & 0x38) | ((x >> 1) & 0x1c0)) as i32;
            let op = if f3 == 5 { Fsd } else { Sd };
            mk(op, 0, 2, rs2, imm)
        }
        (_, _) => {
            let imm = (((x >> 7) & 0x3c) | ((x >> 1) & 0xc0)) as i32;
            mk(Sw, 0, 2, rs2, imm)
        }
    }
}
