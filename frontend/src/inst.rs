//! The typed instruction shared by the decoder, the disassembler and every engine.

/// Every operation hartvm understands, one variant per mnemonic of the base
/// (uncompressed) instruction it means. Compressed instructions decode to the
/// operation they expand to, with [`Inst::len`] = 2.
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Op {
    /// A reserved or illegal encoding: executing it raises an illegal-instruction trap.
    Illegal,
    // RV64I
    Lui,
    Auipc,
    Jal,
    Jalr,
    Beq,
    Bne,
    Blt,
    Bge,
    Bltu,
    Bgeu,
    Lb,
    Lh,
    Lw,
    Ld,
    Lbu,
    Lhu,
    Lwu,
    Sb,
    Sh,
    Sw,
    Sd,
    Addi,
    Slti,
    Sltiu,
    Xori,
    Ori,
    Andi,
    Slli,
    Srli,
    Srai,
    Add,
    Sub,
    Sll,
    Slt,
    Sltu,
    Xor,
    Srl,
    Sra,
    Or,
    And,
    Addiw,
    Slliw,
    Srliw,
    Sraiw,
    Addw,
    Subw,
    Sllw,
    Srlw,
    Sraw,
    /// `fence pred, succ` (also `fence.tso` and `pause`); `imm` holds the raw fm/pred/succ bits 31:20.
    Fence,
    Ecall,
    Ebreak,
    // Zifencei
    FenceI,
    // Zicsr: `imm` is the CSR number, `rs1` the register or the 5-bit immediate.
    Csrrw,
    Csrrs,
    Csrrc,
    Csrrwi,
    Csrrsi,
    Csrrci,
    // M
    Mul,
    Mulh,
    Mulhsu,
    Mulhu,
    Div,
    Divu,
    Rem,
    Remu,
    Mulw,
    Divw,
    Divuw,
    Remw,
    Remuw,
    // A: `rm` holds aq << 1 | rl.
    LrW,
    ScW,
    AmoswapW,
    AmoaddW,
    AmoxorW,
    AmoandW,
    AmoorW,
    AmominW,
    AmomaxW,
    AmominuW,
    AmomaxuW,
    LrD,
    ScD,
    AmoswapD,
    AmoaddD,
    AmoxorD,
    AmoandD,
    AmoorD,
    AmominD,
    AmomaxD,
    AmominuD,
    AmomaxuD,
    // F: `rm` holds the rounding-mode field where the encoding has one.
    Flw,
    Fsw,
    FmaddS,
    FmsubS,
    FnmsubS,
    FnmaddS,
    FaddS,
    FsubS,
    FmulS,
    FdivS,
    FsqrtS,
    FsgnjS,
    FsgnjnS,
    FsgnjxS,
    FminS,
    FmaxS,
    FcvtWS,
    FcvtWuS,
    FcvtLS,
    FcvtLuS,
    FmvXW,
    FclassS,
    FeqS,
    FltS,
    FleS,
    FcvtSW,
    FcvtSWu,
    FcvtSL,
    FcvtSLu,
    FmvWX,
    // D
    Fld,
    Fsd,
    FmaddD,
    FmsubD,
    FnmsubD,
    FnmaddD,
    FaddD,
    FsubD,
    FmulD,
    FdivD,
    FsqrtD,
    FsgnjD,
    FsgnjnD,
    FsgnjxD,
    FminD,
    FmaxD,
    FcvtSD,
    FcvtDS,
    FcvtWD,
    FcvtWuD,
    FcvtLD,
    FcvtLuD,
    FmvXD,
    FclassD,
    FeqD,
    FltD,
    FleD,
    FcvtDW,
    FcvtDWu,
    FcvtDL,
    FcvtDLu,
    FmvDX,
    // Zba
    AddUw,
    Sh1add,
    Sh2add,
    Sh3add,
    Sh1addUw,
    Sh2addUw,
    Sh3addUw,
    SlliUw,
    // Zbb
    Andn,
    Orn,
    Xnor,
    Clz,
    Clzw,
    Ctz,
    Ctzw,
    Cpop,
    Cpopw,
    Max,
    Maxu,
    Min,
    Minu,
    SextB,
    SextH,
    ZextH,
    Rol,
    Rolw,
    Ror,
    Rori,
    Roriw,
    Rorw,
    OrcB,
    Rev8,
    // Zbs
    Bclr,
    Bclri,
    Bext,
    Bexti,
    Binv,
    Binvi,
    Bset,
    Bseti,
    // Zicond
    CzeroEqz,
    CzeroNez,
    // Privileged
    Mret,
    Sret,
    Wfi,
    SfenceVma,
}

/// A decoded instruction.
///
/// Register fields name integer or floating-point registers as the
/// operation's semantics say; unused fields are zero. `imm` is the
/// sign-extended immediate (shift amounts, CSR numbers and fence bits are
/// stored here too, zero-extended).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Inst {
    /// The operation.
    pub op: Op,
    /// Destination register.
    pub rd: u8,
    /// First source register (or the 5-bit immediate of `csrr?i`).
    pub rs1: u8,
    /// Second source register.
    pub rs2: u8,
    /// Third source register (fused multiply-add).
    pub rs3: u8,
    /// Rounding mode for FP operations; `aq << 1 | rl` for atomics.
    pub rm: u8,
    /// Encoded length in bytes: 2 (compressed) or 4.
    pub len: u8,
    /// Immediate operand.
    pub imm: i32,
    /// The raw encoding (low 16 bits for compressed instructions).
    pub raw: u32,
}

impl Op {
    /// Whether this is a conditional branch (`beq` ... `bgeu`).
    pub fn is_conditional_branch(self) -> bool {
        matches!(self, Op::Beq | Op::Bne | Op::Blt | Op::Bge | Op::Bltu | Op::Bgeu)
    }

    /// The access width in bytes of an A-extension operation (LR, SC or
    /// an AMO), `None` for other ops.
    pub fn amo_width(self) -> Option<u32> {
        use Op::*;
        match self {
            LrW | ScW | AmoswapW | AmoaddW | AmoxorW | AmoandW | AmoorW | AmominW | AmomaxW | AmominuW | AmomaxuW => {
                Some(4)
            }
            LrD | ScD | AmoswapD | AmoaddD | AmoxorD | AmoandD | AmoorD | AmominD | AmomaxD | AmominuD | AmomaxuD => {
                Some(8)
            }
            _ => None,
        }
    }
}

/// The encoding of `pause` (FENCE with pred = W, succ = 0, fm = 0, x0).
const PAUSE: u32 = 0x0100_000f;

impl Inst {
    /// An illegal instruction with the given raw bits and length.
    pub const fn illegal(raw: u32, len: u8) -> Inst {
        Inst { op: Op::Illegal, rd: 0, rs1: 0, rs2: 0, rs3: 0, rm: 0, len, imm: 0, raw }
    }

    /// Whether this is Zihintpause's `pause` (a `fence w, 0`): a hint that
    /// the hart is spinning, waiting for another.
    pub fn is_pause(&self) -> bool {
        self.op == Op::Fence && self.raw == PAUSE
    }

    /// Whether this instruction ends a basic block: it may change control
    /// flow, the privilege level, the translation regime or the code itself.
    pub fn ends_block(&self) -> bool {
        use Op::*;
        matches!(
            self.op,
            Illegal
                | Jal
                | Jalr
                | Beq
                | Bne
                | Blt
                | Bge
                | Bltu
                | Bgeu
                | Ecall
                | Ebreak
                | FenceI
                | Csrrw
                | Csrrs
                | Csrrc
                | Csrrwi
                | Csrrsi
                | Csrrci
                | Mret
                | Sret
                | Wfi
                | SfenceVma
        )
    }
}
