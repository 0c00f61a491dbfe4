//! RISC-V instruction encoders (base formats and the compressed formats the
//! generator uses) and a small assembler that lays code into an image and
//! resolves forward references to labels.
//!
//! The encoders assert their operands' ranges: an out-of-range operand is a
//! generator bug, and a loud one beats a silently wrong instruction.

/// A register number (integer or floating-point), 0..=31.
pub(super) type Reg = u8;

/// Major opcodes.
pub(super) mod opc {
    pub const LOAD: u32 = 0x03;
    pub const LOAD_FP: u32 = 0x07;
    pub const MISC_MEM: u32 = 0x0f;
    pub const OP_IMM: u32 = 0x13;
    pub const AUIPC: u32 = 0x17;
    pub const OP_IMM_32: u32 = 0x1b;
    pub const STORE: u32 = 0x23;
    pub const STORE_FP: u32 = 0x27;
    pub const AMO: u32 = 0x2f;
    pub const OP: u32 = 0x33;
    pub const LUI: u32 = 0x37;
    pub const OP_32: u32 = 0x3b;
    pub const MADD: u32 = 0x43;
    pub const OP_FP: u32 = 0x53;
    pub const BRANCH: u32 = 0x63;
    pub const JALR: u32 = 0x67;
    pub const JAL: u32 = 0x6f;
    pub const SYSTEM: u32 = 0x73;
}

fn reg(r: Reg) -> u32 {
    assert!(r < 32, "register {r} out of range");
    r as u32
}

/// The 3-bit register field of the compressed formats (x8..x15 / f8..f15).
fn creg(r: Reg) -> u32 {
    assert!((8..16).contains(&r), "register {r} is not compressible");
    (r - 8) as u32
}

fn fits_signed(v: i64, bits: u32) -> bool {
    let half = 1i64 << (bits - 1);
    (-half..half).contains(&v)
}

/// R-type.
pub(super) fn r(opcode: u32, rd: Reg, f3: u32, rs1: Reg, rs2: Reg, f7: u32) -> u32 {
    f7 << 25 | reg(rs2) << 20 | reg(rs1) << 15 | f3 << 12 | reg(rd) << 7 | opcode
}

/// R4-type (fused multiply-add): `opcode` selects the operation, `fmt` the precision.
pub(super) fn r4(opcode: u32, rd: Reg, rm: u32, rs1: Reg, rs2: Reg, rs3: Reg, fmt: u32) -> u32 {
    reg(rs3) << 27 | fmt << 25 | reg(rs2) << 20 | reg(rs1) << 15 | rm << 12 | reg(rd) << 7 | opcode
}

/// I-type with a signed 12-bit immediate.
pub(super) fn i(opcode: u32, rd: Reg, f3: u32, rs1: Reg, imm: i32) -> u32 {
    assert!(fits_signed(imm as i64, 12), "I-immediate {imm} out of range");
    ((imm as u32) & 0xfff) << 20 | reg(rs1) << 15 | f3 << 12 | reg(rd) << 7 | opcode
}

/// S-type.
pub(super) fn s(opcode: u32, f3: u32, rs1: Reg, rs2: Reg, imm: i32) -> u32 {
    assert!(fits_signed(imm as i64, 12), "S-immediate {imm} out of range");
    let imm = imm as u32;
    ((imm >> 5) & 0x7f) << 25 | reg(rs2) << 20 | reg(rs1) << 15 | f3 << 12 | (imm & 0x1f) << 7 | opcode
}

/// B-type; `off` is the byte offset from the branch.
pub(super) fn b(f3: u32, rs1: Reg, rs2: Reg, off: i64) -> u32 {
    assert!(off & 1 == 0 && fits_signed(off, 13), "branch offset {off} out of range");
    let o = off as u32;
    ((o >> 12) & 1) << 31
        | ((o >> 5) & 0x3f) << 25
        | reg(rs2) << 20
        | reg(rs1) << 15
        | f3 << 12
        | ((o >> 1) & 0xf) << 8
        | ((o >> 11) & 1) << 7
        | opc::BRANCH
}

/// U-type; `imm20` is the value of the upper 20 bits.
pub(super) fn u(opcode: u32, rd: Reg, imm20: u32) -> u32 {
    assert!(imm20 < 1 << 20, "U-immediate {imm20:#x} out of range");
    imm20 << 12 | reg(rd) << 7 | opcode
}

/// JAL.
pub(super) fn jal(rd: Reg, off: i64) -> u32 {
    assert!(off & 1 == 0 && fits_signed(off, 21), "jal offset {off} out of range");
    let o = off as u32;
    ((o >> 20) & 1) << 31
        | ((o >> 1) & 0x3ff) << 21
        | ((o >> 11) & 1) << 20
        | ((o >> 12) & 0xff) << 12
        | reg(rd) << 7
        | opc::JAL
}

/// JALR.
pub(super) fn jalr(rd: Reg, rs1: Reg, imm: i32) -> u32 {
    i(opc::JALR, rd, 0, rs1, imm)
}

/// Shift by immediate with the given funct6 in imm[11:6] and a shift
/// amount of `shamt_bits` bits (6 for the RV64 forms, 5 for most W forms).
pub(super) fn shift_imm(opcode: u32, rd: Reg, f3: u32, rs1: Reg, funct6: u32, shamt: u32, shamt_bits: u32) -> u32 {
    assert!(shamt < 1 << shamt_bits, "shift amount {shamt} out of range");
    (funct6 << 26 | shamt << 20) | reg(rs1) << 15 | f3 << 12 | reg(rd) << 7 | opcode
}

/// A CSR instruction: `f3` 1..=3 take a register, 5..=7 a 5-bit immediate in `rs1`.
pub(super) fn csr(rd: Reg, f3: u32, rs1: Reg, csr: u16) -> u32 {
    (csr as u32) << 20 | reg(rs1) << 15 | f3 << 12 | reg(rd) << 7 | opc::SYSTEM
}

/// An A-extension operation: `funct5` selects it, `f3` is 2 (W) or 3 (D).
pub(super) fn amo(funct5: u32, aq: bool, rl: bool, rd: Reg, f3: u32, rs1: Reg, rs2: Reg) -> u32 {
    r(opc::AMO, rd, f3, rs1, rs2, funct5 << 2 | (aq as u32) << 1 | rl as u32)
}

/// FENCE with predecessor/successor sets and the fm field.
pub(super) fn fence(fm: u32, pred: u32, succ: u32) -> u32 {
    fm << 28 | pred << 24 | succ << 20 | opc::MISC_MEM
}

/// Fixed encodings.
pub(super) mod fixed {
    pub const ECALL: u32 = 0x0000_0073;
    pub const EBREAK: u32 = 0x0010_0073;
    pub const MRET: u32 = 0x3020_0073;
    pub const SRET: u32 = 0x1020_0073;
    pub const FENCE_I: u32 = 0x0000_100f;
    pub const C_NOP: u16 = 0x0001;
    pub const C_EBREAK: u16 = 0x9002;
}

/// SFENCE.VMA rs1, rs2.
pub(super) fn sfence_vma(rs1: Reg, rs2: Reg) -> u32 {
    r(opc::SYSTEM, 0, 0, rs1, rs2, 0x09)
}

// ---- compressed -------------------------------------------------------

fn bits(v: u32, hi: u32, lo: u32) -> u32 {
    (v >> lo) & ((1 << (hi - lo + 1)) - 1)
}

/// CI format with a signed 6-bit immediate (c.addi, c.addiw, c.li, c.andi's layout differs).
fn ci_signed(f3: u16, rd: u32, imm: i32, op: u16) -> u16 {
    assert!(fits_signed(imm as i64, 6), "CI immediate {imm} out of range");
    let v = imm as u32;
    f3 << 13 | (bits(v, 5, 5) << 12) as u16 | (rd << 7) as u16 | (bits(v, 4, 0) << 2) as u16 | op
}

/// c.addi rd, imm (rd != 0, imm != 0).
pub(super) fn c_addi(rd: Reg, imm: i32) -> u16 {
    assert!(rd != 0 && imm != 0);
    ci_signed(0, reg(rd), imm, 1)
}

/// c.addiw rd, imm (rd != 0).
pub(super) fn c_addiw(rd: Reg, imm: i32) -> u16 {
    assert!(rd != 0);
    ci_signed(1, reg(rd), imm, 1)
}

/// c.li rd, imm (rd != 0).
pub(super) fn c_li(rd: Reg, imm: i32) -> u16 {
    assert!(rd != 0);
    ci_signed(2, reg(rd), imm, 1)
}

/// c.lui rd, imm (rd != 0, 2; imm is the signed 6-bit value of bits 17:12, nonzero).
pub(super) fn c_lui(rd: Reg, imm: i32) -> u16 {
    assert!(rd != 0 && rd != 2 && imm != 0);
    ci_signed(3, reg(rd), imm, 1)
}

/// c.addi16sp imm (a nonzero multiple of 16 in -512..=496).
pub(super) fn c_addi16sp(imm: i32) -> u16 {
    assert!(imm != 0 && imm % 16 == 0 && (-512..512).contains(&imm), "c.addi16sp {imm}");
    let v = imm as u32;
    let lo = bits(v, 4, 4) << 6 | bits(v, 6, 6) << 5 | bits(v, 8, 7) << 3 | bits(v, 5, 5) << 2;
    (3 << 13 | bits(v, 9, 9) << 12 | 2 << 7 | lo | 1) as u16
}

/// c.addi4spn rd', nzuimm (a nonzero multiple of 4 below 1024).
pub(super) fn c_addi4spn(rd: Reg, imm: u32) -> u16 {
    assert!(imm != 0 && imm.is_multiple_of(4) && imm < 1024, "c.addi4spn {imm}");
    let field = bits(imm, 5, 4) << 11 | bits(imm, 9, 6) << 7 | bits(imm, 2, 2) << 6 | bits(imm, 3, 3) << 5;
    (field | creg(rd) << 2) as u16
}

/// c.slli rd, shamt (rd != 0, shamt 1..=63).
pub(super) fn c_slli(rd: Reg, shamt: u32) -> u16 {
    assert!(rd != 0 && (1..64).contains(&shamt));
    (bits(shamt, 5, 5) << 12 | reg(rd) << 7 | bits(shamt, 4, 0) << 2 | 2) as u16
}

/// c.srli / c.srai (`arith`) rd', shamt (1..=63).
pub(super) fn c_shift_right(arith: bool, rd: Reg, shamt: u32) -> u16 {
    assert!((1..64).contains(&shamt));
    (4 << 13 | bits(shamt, 5, 5) << 12 | (arith as u32) << 10 | creg(rd) << 7 | bits(shamt, 4, 0) << 2 | 1) as u16
}

/// c.andi rd', imm.
pub(super) fn c_andi(rd: Reg, imm: i32) -> u16 {
    assert!(fits_signed(imm as i64, 6));
    let v = imm as u32;
    (4 << 13 | bits(v, 5, 5) << 12 | 2 << 10 | creg(rd) << 7 | bits(v, 4, 0) << 2 | 1) as u16
}

/// The CA group: `word` selects c.subw/c.addw (funct2 0/1) over
/// c.sub/c.xor/c.or/c.and (funct2 0..=3).
pub(super) fn c_arith(word: bool, funct2: u32, rd: Reg, rs2: Reg) -> u16 {
    assert!(funct2 < if word { 2 } else { 4 });
    (4 << 13 | (word as u32) << 12 | 3 << 10 | creg(rd) << 7 | funct2 << 5 | creg(rs2) << 2 | 1) as u16
}

/// c.mv rd, rs2 (both nonzero).
pub(super) fn c_mv(rd: Reg, rs2: Reg) -> u16 {
    assert!(rd != 0 && rs2 != 0);
    (8 << 12 | reg(rd) << 7 | reg(rs2) << 2 | 2) as u16
}

/// c.add rd, rs2 (both nonzero).
pub(super) fn c_add(rd: Reg, rs2: Reg) -> u16 {
    assert!(rd != 0 && rs2 != 0);
    (9 << 12 | reg(rd) << 7 | reg(rs2) << 2 | 2) as u16
}

/// c.jr rs1 (nonzero).
pub(super) fn c_jr(rs1: Reg) -> u16 {
    assert!(rs1 != 0);
    (8 << 12 | reg(rs1) << 7 | 2) as u16
}

/// c.jalr rs1 (nonzero; links ra).
pub(super) fn c_jalr(rs1: Reg) -> u16 {
    assert!(rs1 != 0);
    (9 << 12 | reg(rs1) << 7 | 2) as u16
}

/// c.j with a byte offset.
pub(super) fn c_j(off: i64) -> u16 {
    assert!(off & 1 == 0 && fits_signed(off, 12), "c.j offset {off} out of range");
    let o = off as u32;
    let field = bits(o, 11, 11) << 12
        | bits(o, 4, 4) << 11
        | bits(o, 9, 8) << 9
        | bits(o, 10, 10) << 8
        | bits(o, 6, 6) << 7
        | bits(o, 7, 7) << 6
        | bits(o, 3, 1) << 3
        | bits(o, 5, 5) << 2;
    (5 << 13 | field | 1) as u16
}

/// c.beqz / c.bnez (`ne`) rs1', byte offset.
pub(super) fn c_branch(ne: bool, rs1: Reg, off: i64) -> u16 {
    assert!(off & 1 == 0 && fits_signed(off, 9), "compressed branch offset {off} out of range");
    let o = off as u32;
    let field = bits(o, 8, 8) << 12
        | bits(o, 4, 3) << 10
        | creg(rs1) << 7
        | bits(o, 7, 6) << 5
        | bits(o, 2, 1) << 3
        | bits(o, 5, 5) << 2;
    ((6 + ne as u32) << 13 | field | 1) as u16
}

/// Memory access widths of the compressed loads and stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CWidth {
    /// c.lw / c.sw (and the sp forms): 4 bytes.
    Word,
    /// c.ld / c.sd: 8 bytes.
    Double,
    /// c.fld / c.fsd: an 8-byte FP register.
    FpDouble,
}

impl CWidth {
    /// Access size in bytes.
    pub(super) fn size(self) -> u32 {
        match self {
            CWidth::Word => 4,
            CWidth::Double | CWidth::FpDouble => 8,
        }
    }

    /// funct3 of the load (the store adds 4).
    fn load_f3(self) -> u32 {
        match self {
            CWidth::Word => 2,
            CWidth::Double => 3,
            CWidth::FpDouble => 1,
        }
    }

    /// Largest offset of the register-based forms.
    pub(super) fn max_offset(self) -> u32 {
        32 * self.size() - self.size()
    }

    /// Largest offset of the sp-based forms.
    pub(super) fn max_sp_offset(self) -> u32 {
        64 * self.size() - self.size()
    }
}

fn cl_offset(w: CWidth, off: u32) -> u32 {
    assert!(off.is_multiple_of(w.size()) && off <= w.max_offset(), "compressed offset {off} out of range");
    match w {
        CWidth::Word => bits(off, 5, 3) << 10 | bits(off, 2, 2) << 6 | bits(off, 6, 6) << 5,
        _ => bits(off, 5, 3) << 10 | bits(off, 7, 6) << 5,
    }
}

/// CL-format load: rd' = mem[rs1' + off].
pub(super) fn c_load(w: CWidth, rd: Reg, rs1: Reg, off: u32) -> u16 {
    (w.load_f3() << 13 | cl_offset(w, off) | creg(rs1) << 7 | creg(rd) << 2) as u16
}

/// CS-format store: mem[rs1' + off] = rs2'.
pub(super) fn c_store(w: CWidth, rs2: Reg, rs1: Reg, off: u32) -> u16 {
    ((w.load_f3() + 4) << 13 | cl_offset(w, off) | creg(rs1) << 7 | creg(rs2) << 2) as u16
}

/// CI-format sp-relative load (rd != 0 for the integer forms).
pub(super) fn c_load_sp(w: CWidth, rd: Reg, off: u32) -> u16 {
    assert!(off.is_multiple_of(w.size()) && off <= w.max_sp_offset(), "sp offset {off} out of range");
    assert!(rd != 0 || w == CWidth::FpDouble);
    let field = match w {
        CWidth::Word => bits(off, 5, 5) << 12 | bits(off, 4, 2) << 4 | bits(off, 7, 6) << 2,
        _ => bits(off, 5, 5) << 12 | bits(off, 4, 3) << 5 | bits(off, 8, 6) << 2,
    };
    (w.load_f3() << 13 | field | reg(rd) << 7 | 2) as u16
}

/// CSS-format sp-relative store.
pub(super) fn c_store_sp(w: CWidth, rs2: Reg, off: u32) -> u16 {
    assert!(off.is_multiple_of(w.size()) && off <= w.max_sp_offset(), "sp offset {off} out of range");
    let field = match w {
        CWidth::Word => bits(off, 5, 2) << 9 | bits(off, 7, 6) << 7,
        _ => bits(off, 5, 3) << 10 | bits(off, 8, 6) << 7,
    };
    ((w.load_f3() + 4) << 13 | field | reg(rs2) << 2 | 2) as u16
}

// ---- assembler --------------------------------------------------------

/// A position in the image, bound once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Label(usize);

/// What a fixup patches once its label is bound.
#[derive(Clone, Copy, Debug)]
enum Fix {
    /// A B-type branch (funct3, rs1, rs2).
    Branch(u32, Reg, Reg),
    /// JAL rd.
    Jal(Reg),
    /// c.beqz/c.bnez rs1'.
    CBranch(bool, Reg),
    /// c.j.
    CJ,
    /// AUIPC rd followed by a 32-bit I-type instruction (opcode, rd, f3,
    /// rs1) that receives the low 12 bits (addi or jalr).
    PcRel(Reg, u32, Reg, u32, Reg),
}

/// Builds an image: code emitted at a cursor, plus raw data written at
/// fixed offsets, with label references resolved by [`Asm::finish`].
pub(super) struct Asm {
    base: u64,
    buf: Vec<u8>,
    pos: usize,
    labels: Vec<Option<usize>>,
    fixups: Vec<(usize, Label, Fix)>,
}

impl Asm {
    /// An empty image loaded at `base`.
    pub(super) fn new(base: u64) -> Asm {
        Asm { base, buf: Vec::new(), pos: 0, labels: Vec::new(), fixups: Vec::new() }
    }

    /// Address of the cursor.
    pub(super) fn pc(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// Offset of the cursor from the image start.
    pub(super) fn offset(&self) -> usize {
        self.pos
    }

    /// Moves the cursor to `offset` (the image grows as needed).
    pub(super) fn seek(&mut self, offset: usize) {
        self.pos = offset;
    }

    /// Writes raw bytes at `offset` without moving the cursor.
    pub(super) fn write_at(&mut self, offset: usize, bytes: &[u8]) {
        if self.buf.len() < offset + bytes.len() {
            self.buf.resize(offset + bytes.len(), 0);
        }
        self.buf[offset..offset + bytes.len()].copy_from_slice(bytes);
    }

    fn put(&mut self, bytes: &[u8]) {
        self.write_at(self.pos, bytes);
        self.pos += bytes.len();
    }

    /// Emits a 32-bit instruction.
    pub(super) fn emit(&mut self, insn: u32) {
        assert!(insn & 3 == 3, "{insn:#010x} is not a 32-bit encoding");
        self.put(&insn.to_le_bytes());
    }

    /// Emits a 16-bit instruction.
    pub(super) fn emit_c(&mut self, insn: u16) {
        assert!(insn & 3 != 3, "{insn:#06x} is not a 16-bit encoding");
        self.put(&insn.to_le_bytes());
    }

    /// Emits raw bytes (data or deliberately illegal encodings).
    pub(super) fn emit_bytes(&mut self, bytes: &[u8]) {
        self.put(bytes);
    }

    /// Pads with c.nop up to a multiple of `align` bytes.
    pub(super) fn align(&mut self, align: usize) {
        assert!(self.pos.is_multiple_of(2));
        while !self.pos.is_multiple_of(align) {
            self.emit_c(fixed::C_NOP);
        }
    }

    /// A new, unbound label.
    pub(super) fn label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() - 1)
    }

    /// Binds `l` to the cursor.
    pub(super) fn bind(&mut self, l: Label) {
        assert!(self.labels[l.0].is_none(), "label bound twice");
        self.labels[l.0] = Some(self.pos);
    }

    /// Binds `l` to an arbitrary image offset (a jump target that is not code).
    pub(super) fn bind_at(&mut self, l: Label, offset: usize) {
        assert!(self.labels[l.0].is_none(), "label bound twice");
        self.labels[l.0] = Some(offset);
    }

    /// A new label bound to the cursor.
    pub(super) fn here(&mut self) -> Label {
        let l = self.label();
        self.bind(l);
        l
    }

    /// Address of a bound label.
    pub(super) fn addr(&self, l: Label) -> Option<u64> {
        self.labels[l.0].map(|o| self.base + o as u64)
    }

    fn refer(&mut self, l: Label, fix: Fix, len: usize) {
        self.fixups.push((self.pos, l, fix));
        self.put(&vec![0; len]);
    }

    /// B-type branch to `l`.
    pub(super) fn branch(&mut self, f3: u32, rs1: Reg, rs2: Reg, l: Label) {
        self.refer(l, Fix::Branch(f3, rs1, rs2), 4);
    }

    /// JAL rd, `l`.
    pub(super) fn jal(&mut self, rd: Reg, l: Label) {
        self.refer(l, Fix::Jal(rd), 4);
    }

    /// c.beqz/c.bnez rs1', `l`.
    pub(super) fn c_branch(&mut self, ne: bool, rs1: Reg, l: Label) {
        creg(rs1);
        self.refer(l, Fix::CBranch(ne, rs1), 2);
    }

    /// c.j `l`.
    pub(super) fn c_j(&mut self, l: Label) {
        self.refer(l, Fix::CJ, 2);
    }

    /// `auipc rd, %hi; addi rd, rd, %lo`: rd = address of `l`.
    pub(super) fn la(&mut self, rd: Reg, l: Label) {
        self.refer(l, Fix::PcRel(rd, opc::OP_IMM, rd, 0, rd), 8);
    }

    /// `auipc tmp, %hi; jalr rd, %lo(tmp)`: a call or jump to `l` at any distance.
    pub(super) fn far_jump(&mut self, tmp: Reg, rd: Reg, l: Label) {
        self.refer(l, Fix::PcRel(tmp, opc::JALR, rd, 0, tmp), 8);
    }

    /// Resolves every reference and returns the image.
    pub(super) fn finish(mut self) -> Vec<u8> {
        for (at, l, fix) in std::mem::take(&mut self.fixups) {
            let target = self.labels[l.0].expect("reference to an unbound label");
            let off = target as i64 - at as i64;
            match fix {
                Fix::Branch(f3, rs1, rs2) => self.write_at(at, &b(f3, rs1, rs2, off).to_le_bytes()),
                Fix::Jal(rd) => self.write_at(at, &jal(rd, off).to_le_bytes()),
                Fix::CBranch(ne, rs1) => self.write_at(at, &c_branch(ne, rs1, off).to_le_bytes()),
                Fix::CJ => self.write_at(at, &c_j(off).to_le_bytes()),
                Fix::PcRel(tmp, opcode, rd, f3, rs1) => {
                    let lo = ((off << 52) >> 52) as i32;
                    let hi = ((off - lo as i64) >> 12) as u32 & 0xf_ffff;
                    self.write_at(at, &u(opc::AUIPC, tmp, hi).to_le_bytes());
                    self.write_at(at + 4, &i(opcode, rd, f3, rs1, lo).to_le_bytes());
                }
            }
        }
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Encodings checked against GNU objdump.
    #[test]
    fn base_formats() {
        assert_eq!(i(opc::OP_IMM, 10, 0, 11, -1), 0xfff5_8513); // addi a0, a1, -1
        assert_eq!(r(opc::OP, 5, 0, 6, 7, 0x20), 0x4073_02b3); // sub t0, t1, t2
        assert_eq!(s(opc::STORE, 3, 8, 9, -8), 0xfe94_3c23); // sd s1, -8(s0)
        assert_eq!(b(1, 10, 0, -4), 0xfe05_1ee3); // bnez a0, .-4
        assert_eq!(jal(1, 2048), 0x0010_00ef); // jal ra, .+2048
        assert_eq!(u(opc::LUI, 5, 0x80000), 0x8000_02b7); // lui t0, 0x80000
        assert_eq!(csr(0, 1, 5, 0x305), 0x3052_9073); // csrw mtvec, t0
        assert_eq!(amo(2, true, false, 10, 3, 11, 0), 0x1405_b52f); // lr.d.aq a0, (a1)
    }

    /// Compressed encodings checked against GNU objdump.
    #[test]
    fn compressed_formats() {
        assert_eq!(c_addi(10, -1), 0x157d); // c.addi a0, -1
        assert_eq!(c_addi16sp(-64), 0x7139); // c.addi16sp sp, -64
        assert_eq!(c_addi4spn(8, 8), 0x0020); // c.addi4spn s0, sp, 8
        assert_eq!(c_j(-2), 0xbffd); // c.j .-2
        assert_eq!(c_branch(true, 9, 16), 0xe881); // c.bnez s1, .+16
        assert_eq!(c_load(CWidth::Double, 10, 8, 248), 0x7c68); // c.ld a0, 248(s0)
        assert_eq!(c_load(CWidth::Word, 10, 8, 68), 0x4068); // c.lw a0, 68(s0)
        assert_eq!(c_store_sp(CWidth::Double, 10, 504), 0xffaa); // c.sdsp a0, 504(sp)
        assert_eq!(c_load_sp(CWidth::Word, 10, 252), 0x557e); // c.lwsp a0, 252(sp)
    }
}
