//! Table-driven tests of the decoder's field conventions: immediates of
//! every format (checked against independent encoders), sign extension,
//! compressed expansion, and reserved encodings.

use hartvm_frontend::{decode, disassemble, insn_length, Inst, Op};

// ---- Independent encoders (from the ISA manual's format diagrams). ----

fn r_type(opcode: u32, f3: u32, f7: u32, rd: u32, rs1: u32, rs2: u32) -> u32 {
    (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode
}

fn i_type(opcode: u32, f3: u32, rd: u32, rs1: u32, imm: i32) -> u32 {
    ((imm as u32 & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode
}

fn s_type(opcode: u32, f3: u32, rs1: u32, rs2: u32, imm: i32) -> u32 {
    let imm = imm as u32;
    (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | opcode
}

fn b_type(f3: u32, rs1: u32, rs2: u32, imm: i32) -> u32 {
    let imm = imm as u32;
    (((imm >> 12) & 1) << 31)
        | (((imm >> 5) & 0x3f) << 25)
        | (rs2 << 20)
        | (rs1 << 15)
        | (f3 << 12)
        | (((imm >> 1) & 0xf) << 8)
        | (((imm >> 11) & 1) << 7)
        | 0x63
}

fn u_type(opcode: u32, rd: u32, imm20: u32) -> u32 {
    (imm20 << 12) | (rd << 7) | opcode
}

fn j_type(rd: u32, imm: i32) -> u32 {
    let imm = imm as u32;
    (((imm >> 20) & 1) << 31)
        | (((imm >> 1) & 0x3ff) << 21)
        | (((imm >> 11) & 1) << 20)
        | (((imm >> 12) & 0xff) << 12)
        | (rd << 7)
        | 0x6f
}

/// Bit `n` of `v` moved to position `to`.
fn bit(v: i32, n: u32, to: u32) -> u32 {
    (((v as u32) >> n) & 1) << to
}

fn c_j(imm: i32) -> u32 {
    // offset[11|4|9:8|10|6|7|3:1|5]
    0xa001
        | bit(imm, 11, 12)
        | bit(imm, 4, 11)
        | bit(imm, 9, 10)
        | bit(imm, 8, 9)
        | bit(imm, 10, 8)
        | bit(imm, 6, 7)
        | bit(imm, 7, 6)
        | bit(imm, 3, 5)
        | bit(imm, 2, 4)
        | bit(imm, 1, 3)
        | bit(imm, 5, 2)
}

fn c_beqz(rs1p: u32, imm: i32) -> u32 {
    // offset[8|4:3] rs1' offset[7:6|2:1|5]
    0xc001
        | bit(imm, 8, 12)
        | bit(imm, 4, 11)
        | bit(imm, 3, 10)
        | (rs1p << 7)
        | bit(imm, 7, 6)
        | bit(imm, 6, 5)
        | bit(imm, 2, 4)
        | bit(imm, 1, 3)
        | bit(imm, 5, 2)
}

fn c_addi16sp(imm: i32) -> u32 {
    // nzimm[9] 00010 nzimm[4|6|8:7|5]
    0x6101 | bit(imm, 9, 12) | bit(imm, 4, 6) | bit(imm, 6, 5) | bit(imm, 8, 4) | bit(imm, 7, 3) | bit(imm, 5, 2)
}

fn c_addi4spn(rdp: u32, imm: i32) -> u32 {
    // nzuimm[5:4|9:6|2|3] rd'
    bit(imm, 5, 12)
        | bit(imm, 4, 11)
        | bit(imm, 9, 10)
        | bit(imm, 8, 9)
        | bit(imm, 7, 8)
        | bit(imm, 6, 7)
        | bit(imm, 2, 6)
        | bit(imm, 3, 5)
        | (rdp << 2)
}

/// Shorthand for an expected decoded instruction.
#[allow(clippy::too_many_arguments)]
fn inst(op: Op, rd: u8, rs1: u8, rs2: u8, rs3: u8, rm: u8, imm: i32, raw: u32, len: u8) -> Inst {
    Inst { op, rd, rs1, rs2, rs3, rm, len, imm, raw }
}

const IMM12: [i32; 12] = [0, 1, -1, 2, -2, 5, 100, -100, 2047, -2048, 1024, -1024];

#[test]
fn i_type_immediates_are_sign_extended() {
    for &imm in &IMM12 {
        for (f3, op) in [(0, Op::Addi), (2, Op::Slti), (3, Op::Sltiu), (4, Op::Xori)] {
            let raw = i_type(0x13, f3, 5, 6, imm);
            assert_eq!(decode(raw), inst(op, 5, 6, 0, 0, 0, imm, raw, 4), "{raw:#x}");
        }
        let raw = i_type(0x03, 3, 10, 2, imm);
        assert_eq!(decode(raw), inst(Op::Ld, 10, 2, 0, 0, 0, imm, raw, 4));
        let raw = i_type(0x67, 0, 1, 7, imm);
        assert_eq!(decode(raw), inst(Op::Jalr, 1, 7, 0, 0, 0, imm, raw, 4));
        let raw = i_type(0x1b, 0, 31, 30, imm);
        assert_eq!(decode(raw), inst(Op::Addiw, 31, 30, 0, 0, 0, imm, raw, 4));
        let raw = i_type(0x07, 3, 8, 9, imm);
        assert_eq!(decode(raw), inst(Op::Fld, 8, 9, 0, 0, 0, imm, raw, 4));
    }
}

#[test]
fn s_type_immediates_are_sign_extended() {
    for &imm in &IMM12 {
        for (f3, op) in [(0, Op::Sb), (1, Op::Sh), (2, Op::Sw), (3, Op::Sd)] {
            let raw = s_type(0x23, f3, 2, 17, imm);
            assert_eq!(decode(raw), inst(op, 0, 2, 17, 0, 0, imm, raw, 4), "{raw:#x}");
        }
        let raw = s_type(0x27, 2, 3, 31, imm);
        assert_eq!(decode(raw), inst(Op::Fsw, 0, 3, 31, 0, 0, imm, raw, 4));
    }
}

#[test]
fn b_type_offsets() {
    let mut offs: Vec<i32> = (-4096..4096).step_by(2).collect();
    offs.extend([0, 2, -2, 4094, -4096]);
    for imm in offs {
        for (f3, op) in [(0, Op::Beq), (1, Op::Bne), (4, Op::Blt), (7, Op::Bgeu)] {
            let raw = b_type(f3, 11, 12, imm);
            assert_eq!(decode(raw), inst(op, 0, 11, 12, 0, 0, imm, raw, 4), "{raw:#x}");
        }
    }
}

#[test]
fn u_and_j_type_immediates() {
    for imm20 in [0u32, 1, 0x7ffff, 0x80000, 0xfffff, 0x12345] {
        let imm = (imm20 << 12) as i32;
        let raw = u_type(0x37, 3, imm20);
        assert_eq!(decode(raw), inst(Op::Lui, 3, 0, 0, 0, 0, imm, raw, 4));
        let raw = u_type(0x17, 4, imm20);
        assert_eq!(decode(raw), inst(Op::Auipc, 4, 0, 0, 0, 0, imm, raw, 4));
    }
    let mut offs: Vec<i32> = (-(1 << 20)..(1 << 20)).step_by(2 * 997).collect();
    offs.extend([0, 2, -2, (1 << 20) - 2, -(1 << 20), 2048, -2048, 4094]);
    for imm in offs {
        let raw = j_type(1, imm);
        assert_eq!(decode(raw), inst(Op::Jal, 1, 0, 0, 0, 0, imm, raw, 4), "{imm}");
    }
}

#[test]
fn shifts_and_bit_immediates() {
    let cases: &[(u32, Op, i32)] = &[
        (i_type(0x13, 1, 5, 6, 63), Op::Slli, 63),
        (i_type(0x13, 5, 5, 6, 32), Op::Srli, 32),
        (i_type(0x13, 5, 5, 6, 0x400 | 17), Op::Srai, 17),
        (i_type(0x13, 5, 5, 6, 0x600 | 63), Op::Rori, 63),
        (i_type(0x13, 1, 5, 6, 0x480 | 40), Op::Bclri, 40),
        (i_type(0x13, 5, 5, 6, 0x480 | 1), Op::Bexti, 1),
        (i_type(0x13, 1, 5, 6, 0x680 | 63), Op::Binvi, 63),
        (i_type(0x13, 1, 5, 6, 0x280), Op::Bseti, 0),
        (i_type(0x1b, 1, 5, 6, 31), Op::Slliw, 31),
        (i_type(0x1b, 5, 5, 6, 1), Op::Srliw, 1),
        (i_type(0x1b, 5, 5, 6, 0x400 | 31), Op::Sraiw, 31),
        (i_type(0x1b, 5, 5, 6, 0x600 | 5), Op::Roriw, 5),
        (i_type(0x1b, 1, 5, 6, 0x080 | 63), Op::SlliUw, 63),
    ];
    for &(raw, op, imm) in cases {
        assert_eq!(decode(raw), inst(op, 5, 6, 0, 0, 0, imm, raw, 4), "{raw:#x}");
    }
}

#[test]
fn unary_and_register_operations() {
    let unary: &[(u32, Op)] = &[
        (i_type(0x13, 1, 7, 8, 0x600), Op::Clz),
        (i_type(0x13, 1, 7, 8, 0x601), Op::Ctz),
        (i_type(0x13, 1, 7, 8, 0x602), Op::Cpop),
        (i_type(0x13, 1, 7, 8, 0x604), Op::SextB),
        (i_type(0x13, 1, 7, 8, 0x605), Op::SextH),
        (i_type(0x13, 5, 7, 8, 0x287), Op::OrcB),
        (i_type(0x13, 5, 7, 8, 0x6b8), Op::Rev8),
        (i_type(0x1b, 1, 7, 8, 0x600), Op::Clzw),
        (i_type(0x1b, 1, 7, 8, 0x601), Op::Ctzw),
        (i_type(0x1b, 1, 7, 8, 0x602), Op::Cpopw),
        (r_type(0x3b, 4, 0x04, 7, 8, 0), Op::ZextH),
    ];
    for &(raw, op) in unary {
        assert_eq!(decode(raw), inst(op, 7, 8, 0, 0, 0, 0, raw, 4), "{raw:#x}");
    }
    let binary: &[(u32, Op)] = &[
        (r_type(0x33, 0, 0x20, 1, 2, 3), Op::Sub),
        (r_type(0x33, 3, 0x01, 1, 2, 3), Op::Mulhu),
        (r_type(0x3b, 7, 0x01, 1, 2, 3), Op::Remuw),
        (r_type(0x3b, 0, 0x04, 1, 2, 3), Op::AddUw),
        (r_type(0x33, 6, 0x10, 1, 2, 3), Op::Sh3add),
        (r_type(0x3b, 2, 0x10, 1, 2, 3), Op::Sh1addUw),
        (r_type(0x33, 7, 0x20, 1, 2, 3), Op::Andn),
        (r_type(0x33, 7, 0x05, 1, 2, 3), Op::Maxu),
        (r_type(0x3b, 1, 0x30, 1, 2, 3), Op::Rolw),
        (r_type(0x33, 5, 0x24, 1, 2, 3), Op::Bext),
        (r_type(0x33, 1, 0x34, 1, 2, 3), Op::Binv),
        (r_type(0x33, 5, 0x07, 1, 2, 3), Op::CzeroEqz),
        (r_type(0x33, 7, 0x07, 1, 2, 3), Op::CzeroNez),
        (r_type(0x73, 0, 0x09, 0, 2, 3), Op::SfenceVma),
    ];
    for &(raw, op) in binary {
        let rd = if op == Op::SfenceVma { 0 } else { 1 };
        assert_eq!(decode(raw), inst(op, rd, 2, 3, 0, 0, 0, raw, 4), "{raw:#x}");
    }
}

#[test]
fn system_csr_and_fence_fields() {
    // csrrw a0, 0xfff, a1: the CSR number is zero-extended.
    let raw = i_type(0x73, 1, 10, 11, -1);
    assert_eq!(decode(raw), inst(Op::Csrrw, 10, 11, 0, 0, 0, 0xfff, raw, 4));
    // csrrsi zero, mstatus, 31: rs1 holds the immediate.
    let raw = i_type(0x73, 6, 0, 31, 0x300);
    assert_eq!(decode(raw), inst(Op::Csrrsi, 0, 31, 0, 0, 0, 0x300, raw, 4));
    let raw = i_type(0x73, 7, 3, 4, 0xc00);
    assert_eq!(decode(raw), inst(Op::Csrrci, 3, 4, 0, 0, 0, 0xc00, raw, 4));
    // fence.tso: imm holds fm|pred|succ = 0x833, zero-extended.
    assert_eq!(decode(0x8330_000f).imm, 0x833);
    assert_eq!(decode(0x8330_000f).op, Op::Fence);
    assert_eq!(decode(0x0ff0_000f).imm, 0x0ff);
    assert_eq!(decode(0x0000_100f).op, Op::FenceI);
    for (raw, op) in [
        (0x0000_0073, Op::Ecall),
        (0x0010_0073, Op::Ebreak),
        (0x3020_0073, Op::Mret),
        (0x1020_0073, Op::Sret),
        (0x1050_0073, Op::Wfi),
    ] {
        assert_eq!(decode(raw), inst(op, 0, 0, 0, 0, 0, 0, raw, 4));
    }
}

#[test]
fn atomic_and_fp_fields() {
    // amoadd.d.aqrl a0, a2, (a1)
    let raw = r_type(0x2f, 3, 0x03, 10, 11, 12);
    assert_eq!(decode(raw), inst(Op::AmoaddD, 10, 11, 12, 0, 3, 0, raw, 4));
    // lr.w.aq a0, (a1)
    let raw = r_type(0x2f, 2, 0x0a, 10, 11, 0);
    assert_eq!(decode(raw), inst(Op::LrW, 10, 11, 0, 0, 2, 0, raw, 4));
    // sc.d.rl
    let raw = r_type(0x2f, 3, 0x0d, 10, 11, 12);
    assert_eq!(decode(raw), inst(Op::ScD, 10, 11, 12, 0, 1, 0, raw, 4));
    // fmadd.d fa0, fa1, fa2, fa3, rmm
    let raw = (13 << 27) | r_type(0x43, 4, 0x01, 10, 11, 12);
    assert_eq!(decode(raw), inst(Op::FmaddD, 10, 11, 12, 13, 4, 0, raw, 4));
    // fnmadd.s ... dyn
    let raw = (31 << 27) | r_type(0x4f, 7, 0x00, 1, 2, 3);
    assert_eq!(decode(raw), inst(Op::FnmaddS, 1, 2, 3, 31, 7, 0, raw, 4));
    // fcvt.d.s (rm stored even though it never rounds), fcvt.d.w, fcvt.lu.d rtz.
    let raw = r_type(0x53, 0, 0x21, 1, 2, 0);
    assert_eq!(decode(raw), inst(Op::FcvtDS, 1, 2, 0, 0, 0, 0, raw, 4));
    let raw = r_type(0x53, 3, 0x69, 1, 2, 0);
    assert_eq!(decode(raw), inst(Op::FcvtDW, 1, 2, 0, 0, 3, 0, raw, 4));
    let raw = r_type(0x53, 1, 0x61, 1, 2, 3);
    assert_eq!(decode(raw), inst(Op::FcvtLuD, 1, 2, 0, 0, 1, 0, raw, 4));
    // fsqrt.s, fadd.d with rm; fsgnjx.d, feq.s, fclass.d, fmv.d.x without.
    let raw = r_type(0x53, 2, 0x2c, 4, 5, 0);
    assert_eq!(decode(raw), inst(Op::FsqrtS, 4, 5, 0, 0, 2, 0, raw, 4));
    let raw = r_type(0x53, 0, 0x01, 4, 5, 6);
    assert_eq!(decode(raw), inst(Op::FaddD, 4, 5, 6, 0, 0, 0, raw, 4));
    let raw = r_type(0x53, 2, 0x11, 4, 5, 6);
    assert_eq!(decode(raw), inst(Op::FsgnjxD, 4, 5, 6, 0, 0, 0, raw, 4));
    let raw = r_type(0x53, 2, 0x50, 4, 5, 6);
    assert_eq!(decode(raw), inst(Op::FeqS, 4, 5, 6, 0, 0, 0, raw, 4));
    let raw = r_type(0x53, 1, 0x71, 4, 5, 0);
    assert_eq!(decode(raw), inst(Op::FclassD, 4, 5, 0, 0, 0, 0, raw, 4));
    let raw = r_type(0x53, 0, 0x79, 4, 5, 0);
    assert_eq!(decode(raw), inst(Op::FmvDX, 4, 5, 0, 0, 0, 0, raw, 4));
}

/// Reserved 32-bit encodings, each with the reason it is reserved.
const ILLEGAL32: &[(u32, &str)] = &[
    (0x0000_0000, "all zero (length 2, c.unimp)"),
    (0xffff_ffff, "all ones"),
    (0x0000_001f, "48-bit encoding"),
    (0x0000_003f, "64-bit encoding"),
    (0x0000_007f, ">= 80-bit encoding"),
    (0x0000_1067, "jalr with funct3 != 0"),
    (0x0000_2063, "branch funct3 2"),
    (0x0000_3063, "branch funct3 3"),
    (0x0000_7003, "load funct3 7"),
    (0x0000_4023, "store funct3 4 (sq)"),
    (0x0400_1013, "slli with funct6 000001 (shamt[5] is bit 25, fine)"),
    (0x4000_1013, "slli with funct6 010000"),
    (0x0200_101b, "slliw with shamt[5] set"),
    (0x0200_501b, "srliw with shamt[5] set"),
    (0x4200_501b, "sraiw with shamt[5] set"),
    (0x6200_501b, "roriw with shamt[5] set"),
    (0x6030_1013, "Zbb unary with rs2 = 3"),
    (0x6060_1013, "Zbb unary with rs2 = 6"),
    (0x6030_101b, "Zbb unary W with rs2 = 3"),
    (0x2880_5013, "orc.b with a wrong low bit"),
    (0x6b90_5013, "rev8 with a wrong shamt (RV32 encoding is 0x698)"),
    (0x6980_5013, "RV32 rev8"),
    (0x0800_4033, "pack (Zbkb, not supported)"),
    (0x0810_403b, "zext.h with rs2 != 0 (packw)"),
    (0x0a00_1033, "clmul (Zbc, not supported)"),
    (0x0e00_4033, "czero funct3 4"),
    (0x0e00_6033, "czero funct3 6"),
    (0x0000_2033 | (0x20 << 25), "sub-family funct3 2"),
    (0x0200_103b | (0x20 << 25), "OP-32 funct7 0x21"),
    (0x0200_203b, "mulw funct3 2"),
    (0x0000_0077, "opcode 0x77 (OP-V-ish)"),
    (0x0000_0057, "OP-V"),
    (0x0000_005b, "custom-2"),
    (0x0000_000b, "custom-0"),
    (0x0000_4073, "SYSTEM funct3 4 (hypervisor loads)"),
    (0x0000_00f3, "ecall with rd != 0"),
    (0x0000_8073, "ecall with rs1 != 0"),
    (0x0020_0073, "uret"),
    (0x2020_0073, "hret"),
    (0x1040_0073, "sfence.vm (priv 1.9)"),
    (0x3020_0173, "mret with rd != 0"),
    (0x1050_8073, "wfi with rs1 != 0"),
    (0x7b20_0073, "dret (debug mode only, not supported)"),
    (0x1200_0173, "sfence.vma with rd != 0"),
    (0x2200_0073, "hfence.vvma (H, not supported)"),
    (0x0000_200f, "MISC-MEM funct3 2 (cbo, not supported)"),
    (0x1005_a52f | (1 << 20), "lr.w with rs2 != 0"),
    (0x1005_b52f | (5 << 20), "lr.d with rs2 != 0"),
    (0x0000_452f, "AMO funct3 4 (amo*.q)"),
    (0x0000_052f, "AMO funct3 0 (Zabha amo*.b)"),
    (0x2800_252f, "AMO funct5 00101"),
    (0x0000_4007, "flq"),
    (0x0000_1007, "flh (Zfh)"),
    (0x0000_4027, "fsq"),
    (0x0600_0043, "fmadd.q (fmt 3)"),
    (0x0400_0043, "fmadd.h (fmt 2)"),
    (0x0000_5043, "fmadd.s rm 5"),
    (0x0000_6047, "fmsub.s rm 6"),
    (0x0000_5053, "fadd.s rm 5"),
    (0x0200_6053, "fadd.d rm 6"),
    (0x0600_0053, "fadd.q"),
    (0x0400_0053, "fadd.h"),
    (0x5810_0053, "fsqrt.s with rs2 != 0"),
    (0x4200_5053, "fcvt.d.s rm 5"),
    (0xd200_6053, "fcvt.d.w rm 6"),
    (0x4000_0053, "fcvt.s.s (rs2 0)"),
    (0x4210_0053, "fcvt.d.d (rs2 1)"),
    (0x4030_0053, "fcvt.s.q"),
    (0xc040_0053, "fcvt.w.s rs2 4"),
    (0xd240_0053, "fcvt.d.w rs2 4"),
    (0x2000_3053, "fsgnj.s funct3 3"),
    (0x2800_2053, "fmin.s funct3 2"),
    (0xa000_3053, "feq.s funct3 3"),
    (0xe000_2053, "fmv.x.w funct3 2"),
    (0xe010_0053, "fmv.x.w rs2 != 0"),
    (0xf000_1053, "fmv.w.x funct3 1"),
    (0xf010_0053, "fmv.w.x rs2 != 0"),
    (0xe400_0053, "fmv.x.h"),
    (0xf200_1053, "fmv.d.x funct3 1"),
    (0x2c00_0053, "fmin.h funct7"),
];

#[test]
fn reserved_32_bit_encodings_are_illegal() {
    let mut bad = Vec::new();
    for &(raw, why) in ILLEGAL32 {
        let i = decode(raw);
        if i.op != Op::Illegal {
            bad.push(format!("{raw:#010x} ({why}) decoded as {:?}", i.op));
        }
        assert_eq!(i.raw, if raw & 3 == 3 { raw } else { raw & 0xffff });
        assert_eq!(i.len as usize, insn_length(raw as u16));
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn compressed_expansion_table() {
    // (raw, op, rd, rs1, rs2, imm)
    let table: &[(u32, Op, u8, u8, u8, i32)] = &[
        (0x0001, Op::Addi, 0, 0, 0, 0),        // c.nop
        (0x0005, Op::Addi, 0, 0, 0, 1),        // c.nop 1 (HINT)
        (0x0505, Op::Addi, 10, 10, 0, 1),      // c.addi a0,1
        (0x1501, Op::Addi, 10, 10, 0, -32),    // c.addi a0,-32
        (0x0501, Op::Addi, 10, 10, 0, 0),      // c.addi a0,0 (HINT)
        (0x4505, Op::Addi, 10, 0, 0, 1),       // c.li a0,1
        (0x557d, Op::Addi, 10, 0, 0, -1),      // c.li a0,-1
        (0x4001, Op::Addi, 0, 0, 0, 0),        // c.li zero,0 (HINT)
        (0x2505, Op::Addiw, 10, 10, 0, 1),     // c.addiw a0,1
        (0x357d, Op::Addiw, 10, 10, 0, -1),    // c.addiw a0,-1
        (0x6505, Op::Lui, 10, 0, 0, 0x1000),   // c.lui a0,0x1
        (0x757d, Op::Lui, 10, 0, 0, -0x1000),  // c.lui a0,0xfffff
        (0x7501, Op::Lui, 10, 0, 0, -0x20000), // c.lui a0,0xfffe0
        (0x6005, Op::Lui, 0, 0, 0, 0x1000),    // c.lui zero,0x1 (HINT)
        (0x6141, Op::Addi, 2, 2, 0, 16),       // c.addi16sp sp,16
        (0x7101, Op::Addi, 2, 2, 0, -512),     // c.addi16sp sp,-512
        (0x617d, Op::Addi, 2, 2, 0, 496),      // c.addi16sp sp,496
        (0x0028, Op::Addi, 10, 2, 0, 8),       // c.addi4spn a0,sp,8
        (0x1fe0, Op::Addi, 8, 2, 0, 1020),     // c.addi4spn s0,sp,1020
        (0x8105, Op::Srli, 10, 10, 0, 1),      // c.srli a0,1
        (0x9101, Op::Srli, 10, 10, 0, 32),     // c.srli a0,32
        (0x8101, Op::Srli, 10, 10, 0, 0),      // c.srli64 a0 (HINT)
        (0x957d, Op::Srai, 10, 10, 0, 63),     // c.srai a0,63
        (0x897d, Op::Andi, 10, 10, 0, 31),     // c.andi a0,31
        (0x9901, Op::Andi, 10, 10, 0, -32),    // c.andi a0,-32
        (0x050a, Op::Slli, 10, 10, 0, 2),      // c.slli a0,2
        (0x1502, Op::Slli, 10, 10, 0, 32),     // c.slli a0,32
        (0x0502, Op::Slli, 10, 10, 0, 0),      // c.slli64 a0 (HINT)
        (0x0006, Op::Slli, 0, 0, 0, 1),        // c.slli zero,1 (HINT)
        (0x8d0d, Op::Sub, 10, 10, 11, 0),      // c.sub a0,a1
        (0x8d2d, Op::Xor, 10, 10, 11, 0),      // c.xor a0,a1
        (0x8d4d, Op::Or, 10, 10, 11, 0),       // c.or a0,a1
        (0x8d6d, Op::And, 10, 10, 11, 0),      // c.and a0,a1
        (0x9d0d, Op::Subw, 10, 10, 11, 0),     // c.subw a0,a1
        (0x9d2d, Op::Addw, 10, 10, 11, 0),     // c.addw a0,a1
        (0x852e, Op::Add, 10, 0, 11, 0),       // c.mv a0,a1
        (0x800a, Op::Add, 0, 0, 2, 0),         // c.mv zero,sp (HINT)
        (0x952e, Op::Add, 10, 10, 11, 0),      // c.add a0,a1
        (0x9006, Op::Add, 0, 0, 1, 0),         // c.add zero,ra (HINT)
        (0x8082, Op::Jalr, 0, 1, 0, 0),        // c.jr ra
        (0x9502, Op::Jalr, 1, 10, 0, 0),       // c.jalr a0
        (0x9002, Op::Ebreak, 0, 0, 0, 0),      // c.ebreak
        (0x4188, Op::Lw, 10, 11, 0, 0),        // c.lw a0,0(a1)
        (0x5ff8, Op::Lw, 14, 15, 0, 124),      // c.lw a4,124(a5)
        (0x6188, Op::Ld, 10, 11, 0, 0),        // c.ld a0,0(a1)
        (0x7ff8, Op::Ld, 14, 15, 0, 248),      // c.ld a4,248(a5)
        (0x3ff8, Op::Fld, 14, 15, 0, 248),     // c.fld fa4,248(a5)
        (0xdff8, Op::Sw, 0, 15, 14, 124),      // c.sw a4,124(a5)
        (0xfff8, Op::Sd, 0, 15, 14, 248),      // c.sd a4,248(a5)
        (0xbff8, Op::Fsd, 0, 15, 14, 248),     // c.fsd fa4,248(a5)
        (0x4502, Op::Lw, 10, 2, 0, 0),         // c.lwsp a0,0(sp)
        (0x50fe, Op::Lw, 1, 2, 0, 252),        // c.lwsp ra,252(sp)
        (0x70fe, Op::Ld, 1, 2, 0, 504),        // c.ldsp ra,504(sp)
        (0x3ffe, Op::Fld, 31, 2, 0, 504),      // c.fldsp ft11,504(sp)
        (0xdf86, Op::Sw, 0, 2, 1, 252),        // c.swsp ra,252(sp)
        (0xff86, Op::Sd, 0, 2, 1, 504),        // c.sdsp ra,504(sp)
        (0xbffe, Op::Fsd, 0, 2, 31, 504),      // c.fsdsp ft11,504(sp)
        (0xa001, Op::Jal, 0, 0, 0, 0),         // c.j .
        (0xbffd, Op::Jal, 0, 0, 0, -2),        // c.j .-2
        (0xc119, Op::Beq, 0, 10, 0, 6),        // c.beqz a0,.+6
        (0xfd7d, Op::Bne, 0, 10, 0, -2),       // c.bnez a0,.-2
    ];
    for &(raw, op, rd, rs1, rs2, imm) in table {
        assert_eq!(
            decode(raw),
            inst(op, rd, rs1, rs2, 0, 0, imm, raw, 2),
            "{raw:#06x}: {}",
            disassemble(&decode(raw), 0)
        );
        // Only the low 16 bits count.
        assert_eq!(decode(raw | 0xabcd_0000), decode(raw));
    }
}

#[test]
fn compressed_immediates_exhaustive() {
    for imm in (-2048..2048).step_by(2) {
        let d = decode(c_j(imm));
        assert_eq!((d.op, d.rd, d.imm), (Op::Jal, 0, imm), "c.j {imm}");
    }
    for imm in (-256..256).step_by(2) {
        for r in 0..8 {
            let d = decode(c_beqz(r, imm));
            assert_eq!((d.op, d.rs1, d.rs2, d.imm), (Op::Beq, 8 + r as u8, 0, imm));
            let d = decode(c_beqz(r, imm) | 0x2000);
            assert_eq!((d.op, d.rs1, d.imm), (Op::Bne, 8 + r as u8, imm));
        }
    }
    for imm in (-512..512).step_by(16) {
        let d = decode(c_addi16sp(imm));
        if imm == 0 {
            assert_eq!(d.op, Op::Illegal);
        } else {
            assert_eq!((d.op, d.rd, d.rs1, d.imm), (Op::Addi, 2, 2, imm));
        }
    }
    for imm in (0..1024).step_by(4) {
        let d = decode(c_addi4spn(3, imm));
        if imm == 0 {
            assert_eq!(d.op, Op::Illegal);
        } else {
            assert_eq!((d.op, d.rd, d.rs1, d.imm), (Op::Addi, 11, 2, imm));
        }
    }
}

#[test]
fn reserved_compressed_encodings_are_illegal() {
    let table: &[(u32, &str)] = &[
        (0x0000, "all-zero halfword"),
        (0x0010, "c.addi4spn with a zero immediate (rd' = a2)"),
        (0x6101, "c.addi16sp with a zero immediate"),
        (0x6501, "c.lui with a zero immediate"),
        (0x6001, "c.lui zero with a zero immediate"),
        (0x2001, "c.addiw with rd = 0"),
        (0x207d, "c.addiw with rd = 0, imm -1"),
        (0x4002, "c.lwsp with rd = 0"),
        (0x6002, "c.ldsp with rd = 0"),
        (0x8002, "c.jr with rs1 = 0"),
        (0x8000, "quadrant 0 funct3 100 (Zcb c.lbu & co)"),
        (0x9c41, "c.subw-family 10 (reserved)"),
        (0x9c61, "c.subw-family 11 (Zcb c.mul)"),
    ];
    for &(raw, why) in table {
        let i = decode(raw);
        assert_eq!((i.op, i.len), (Op::Illegal, 2), "{raw:#06x} ({why})");
    }
}

#[test]
fn lengths() {
    assert_eq!(insn_length(0x0001), 2);
    assert_eq!(insn_length(0x0002), 2);
    assert_eq!(insn_length(0xfffc), 2);
    assert_eq!(insn_length(0x0003), 4);
    assert_eq!(insn_length(0x001f), 4);
    assert_eq!(insn_length(0xffff), 4);
    assert_eq!(decode(0x0000_0513).len, 4);
    assert_eq!(decode(0x0000_4501).len, 2);
}

#[test]
fn disassembly_examples() {
    let table: &[(u32, u64, &str)] = &[
        (0x00b5_0533, 0, "add\ta0,a0,a1"),
        (0xfff5_0513, 0, "addi\ta0,a0,-1"),
        (0x03f5_9513, 0, "slli\ta0,a1,0x3f"),
        (0xffff_f537, 0, "lui\ta0,0xfffff"),
        (0x0000_0517, 0, "auipc\ta0,0x0"),
        (j_type(1, -4), 0x1000, "jal\tra,ffc"),
        (b_type(0, 10, 11, 16), 0x8000_0000, "beq\ta0,a1,80000010"),
        (0x0005_00e7, 0, "jalr\tra,0(a0)"),
        (0xff85_3503, 0, "ld\ta0,-8(a0)"),
        (0x00a1_3423, 0, "sd\ta0,8(sp)"),
        (0x3005_9573, 0, "csrrw\ta0,mstatus,a1"),
        (0x7c00_2573, 0, "csrrs\ta0,0x7c0,zero"),
        (0x3002_d573, 0, "csrrwi\ta0,mstatus,5"),
        (0x3a20_2573, 0, "csrrs\ta0,pmpcfg2,zero"),
        (0x0ff0_000f, 0, "fence\tiorw,iorw"),
        (0x8330_000f, 0, "fence.tso"),
        (0x0000_100f, 0, "fence.i"),
        (0x1605_a52f, 0, "lr.w.aqrl\ta0,(a1)"),
        (0x02c5_a52f, 0, "amoadd.w.rl\ta0,a2,(a1)"),
        (0x00c5_8553, 0, "fadd.s\tfa0,fa1,fa2,rne"),
        (0x00c5_f553, 0, "fadd.s\tfa0,fa1,fa2"),
        (0x6ac5_c543, 0, "fmadd.d\tfa0,fa1,fa2,fa3,rmm"),
        (0xc005_1553, 0, "fcvt.w.s\ta0,fa0,rtz"),
        (0x4205_8553, 0, "fcvt.d.s\tfa0,fa1"),
        (0x4205_9553, 0, "fcvt.d.s\tfa0,fa1,rtz"),
        (0x00c5_d553, 0, "fadd.s\tfa0,fa1,fa2,unknown"),
        (0x12b5_0073, 0, "sfence.vma\ta0,a1"),
        (0x3020_0073, 0, "mret"),
        (0x0ec5_d533, 0, "czero.eqz\ta0,a1,a2"),
        (0x0ec5_f533, 0, "czero.nez\ta0,a1,a2"),
        (0x0805_c53b, 0, "zext.h\ta0,a1"),
        (0x0a15_951b, 0, "slli.uw\ta0,a1,0x21"),
        (0x0000_7003, 0, ".4byte\t0x7003"),
        (0x0505, 0, "c.addi\ta0,1"),
        (0x0001, 0, "c.addi\tzero,0"),
        (0x0000, 0, "c.unimp"),
        (0x8000, 0, ".2byte\t0x8000"),
        (0x0502, 0, "c.slli64\ta0"),
        (0x757d, 0, "c.lui\ta0,0xfffff"),
        (0xbffd, 0x100, "c.j\tfe"),
        (0x852e, 0, "c.mv\ta0,a1"),
        (0x9006, 0, "c.add\tzero,ra"),
        (0x50fe, 0, "c.lwsp\tra,252(sp)"),
        (0xbffe, 0, "c.fsdsp\tft11,504(sp)"),
        (0x3ff8, 0, "c.fld\tfa4,248(a5)"),
    ];
    for &(raw, pc, text) in table {
        assert_eq!(disassemble(&decode(raw), pc), text, "{raw:#x}");
    }
}
