//! Architectural state of one hart, and the constants that describe it.

use crate::mmu::Tlb;
use crate::pmp::Pmp;

/// Privilege levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Privilege {
    /// U-mode.
    User = 0,
    /// S-mode.
    Supervisor = 1,
    /// M-mode.
    Machine = 3,
}

impl Privilege {
    /// The level encoded in an xPP field (2 is reserved and never stored).
    pub fn from_bits(bits: u64) -> Privilege {
        match bits & 3 {
            0 => Privilege::User,
            1 => Privilege::Supervisor,
            _ => Privilege::Machine,
        }
    }
}

/// `mstatus` fields.
pub mod mstatus {
    #![allow(missing_docs)]
    pub const SIE: u64 = 1 << 1;
    pub const MIE: u64 = 1 << 3;
    pub const SPIE: u64 = 1 << 5;
    pub const MPIE: u64 = 1 << 7;
    pub const SPP: u64 = 1 << 8;
    pub const MPP_SHIFT: u32 = 11;
    pub const MPP: u64 = 3 << 11;
    pub const FS: u64 = 3 << 13;
    pub const FS_INITIAL: u64 = 1 << 13;
    pub const FS_DIRTY: u64 = 3 << 13;
    pub const MPRV: u64 = 1 << 17;
    pub const SUM: u64 = 1 << 18;
    pub const MXR: u64 = 1 << 19;
    pub const TVM: u64 = 1 << 20;
    pub const TW: u64 = 1 << 21;
    pub const TSR: u64 = 1 << 22;
    pub const UXL: u64 = 3 << 32;
    pub const SXL: u64 = 3 << 34;
    pub const SD: u64 = 1 << 63;
    /// Bits M-mode software can write.
    pub const WRITABLE: u64 = SIE | MIE | SPIE | MPIE | SPP | MPP | FS | MPRV | SUM | MXR | TVM | TW | TSR;
    /// Bits visible through `sstatus`.
    pub const SSTATUS_VIEW: u64 = SIE | SPIE | SPP | FS | SUM | MXR | UXL | SD;
    /// Bits S-mode software can write through `sstatus`.
    pub const SSTATUS_WRITABLE: u64 = SIE | SPIE | SPP | FS | SUM | MXR;
    /// UXL = SXL = 64-bit, read-only.
    pub const XL64: u64 = (2 << 32) | (2 << 34);
}

/// Interrupt numbers and `mip`/`mie` bits.
pub mod irq {
    #![allow(missing_docs)]
    pub const SSI: u64 = 1;
    pub const MSI: u64 = 3;
    pub const STI: u64 = 5;
    pub const MTI: u64 = 7;
    pub const SEI: u64 = 9;
    pub const MEI: u64 = 11;
    pub const SSIP: u64 = 1 << SSI;
    pub const MSIP: u64 = 1 << MSI;
    pub const STIP: u64 = 1 << STI;
    pub const MTIP: u64 = 1 << MTI;
    pub const SEIP: u64 = 1 << SEI;
    pub const MEIP: u64 = 1 << MEI;
    /// Interrupts a supervisor can be given.
    pub const S_MASK: u64 = SSIP | STIP | SEIP;
    /// Every implemented interrupt.
    pub const ALL: u64 = S_MASK | MSIP | MTIP | MEIP;
    /// Order in which simultaneously pending interrupts are taken.
    pub const PRIORITY: [u64; 6] = [MEI, MSI, MTI, SEI, SSI, STI];
}

/// `menvcfg`/`senvcfg` fields.
pub mod envcfg {
    #![allow(missing_docs)]
    /// Fence of I/O implies memory (no effect: every access is ordered).
    pub const FIOM: u64 = 1;
    /// Sstc: `stimecmp` is accessible below M-mode and drives `mip.STIP`.
    pub const STCE: u64 = 1 << 63;
}

/// Synchronous exception causes.
pub mod cause {
    #![allow(missing_docs)]
    pub const FETCH_MISALIGNED: u64 = 0;
    pub const FETCH_ACCESS: u64 = 1;
    pub const ILLEGAL_INSTRUCTION: u64 = 2;
    pub const BREAKPOINT: u64 = 3;
    pub const LOAD_MISALIGNED: u64 = 4;
    pub const LOAD_ACCESS: u64 = 5;
    pub const STORE_MISALIGNED: u64 = 6;
    pub const STORE_ACCESS: u64 = 7;
    pub const ECALL_U: u64 = 8;
    pub const ECALL_S: u64 = 9;
    pub const ECALL_M: u64 = 11;
    pub const FETCH_PAGE_FAULT: u64 = 12;
    pub const LOAD_PAGE_FAULT: u64 = 13;
    pub const STORE_PAGE_FAULT: u64 = 15;
    /// Exceptions M-mode may delegate (not ecall from M).
    pub const DELEGABLE: u64 = (1 << FETCH_MISALIGNED)
        | (1 << FETCH_ACCESS)
        | (1 << ILLEGAL_INSTRUCTION)
        | (1 << BREAKPOINT)
        | (1 << LOAD_MISALIGNED)
        | (1 << LOAD_ACCESS)
        | (1 << STORE_MISALIGNED)
        | (1 << STORE_ACCESS)
        | (1 << ECALL_U)
        | (1 << ECALL_S)
        | (1 << FETCH_PAGE_FAULT)
        | (1 << LOAD_PAGE_FAULT)
        | (1 << STORE_PAGE_FAULT);
}

/// `misa`: RV64 with A, C, D, F, I, M, S, U.
pub const MISA: u64 =
    (2 << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);

/// hartvm's JEDEC vendor id: 0 (non-commercial implementation).
pub const MVENDORID: u64 = 0;
/// hartvm's architecture id (a value of our own; open-source ids are assigned by RISC-V International).
pub const MARCHID: u64 = 0x6861_7274;
/// Implementation version: major << 16 | minor << 8 | patch.
pub const MIMPID: u64 = 0x0000_0100;

/// The control and status registers a hart keeps (counters and PMP
/// included); views such as `sstatus` and `sip` are computed from these.
#[derive(Clone, Debug, Default)]
pub struct Csrs {
    /// `mstatus` (sstatus is a view).
    pub mstatus: u64,
    /// `medeleg`.
    pub medeleg: u64,
    /// `mideleg`.
    pub mideleg: u64,
    /// `mie` (sie is a view).
    pub mie: u64,
    /// Software-writable `mip` bits (SSIP, STIP, SEIP); MSIP/MTIP/MEIP come from the platform.
    pub mip: u64,
    /// `mtvec`.
    pub mtvec: u64,
    /// `mscratch`.
    pub mscratch: u64,
    /// `mepc`.
    pub mepc: u64,
    /// `mcause`.
    pub mcause: u64,
    /// `mtval`.
    pub mtval: u64,
    /// `mcounteren`.
    pub mcounteren: u64,
    /// `mcountinhibit`.
    pub mcountinhibit: u64,
    /// `menvcfg`.
    pub menvcfg: u64,
    /// `stvec`.
    pub stvec: u64,
    /// `sscratch`.
    pub sscratch: u64,
    /// `sepc`.
    pub sepc: u64,
    /// `scause`.
    pub scause: u64,
    /// `stval`.
    pub stval: u64,
    /// `satp`.
    pub satp: u64,
    /// `scounteren`.
    pub scounteren: u64,
    /// `senvcfg`.
    pub senvcfg: u64,
    /// `fflags` (accrued exceptions).
    pub fflags: u8,
    /// `frm` (dynamic rounding mode).
    pub frm: u8,
    /// `mcycle` as of the last counter sync (the runtime adds the
    /// instructions retired since, unless inhibited).
    pub mcycle: u64,
    /// `minstret` as of the last counter sync.
    pub minstret: u64,
}

/// The complete architectural state of a hart.
pub struct HartState {
    /// Integer registers; x0 is kept zero.
    pub x: [u64; 32],
    /// Floating-point registers as raw bits (f32 values NaN-boxed).
    pub f: [u64; 32],
    /// Program counter.
    pub pc: u64,
    /// Current privilege level.
    pub privilege: Privilege,
    /// CSRs.
    pub csr: Csrs,
    /// Physical-memory protection.
    pub pmp: Pmp,
    /// The LR reservation: (physical address, value loaded).
    pub reservation: Option<(u64, u64)>,
    /// Address translation cache.
    pub(crate) tlb: Tlb,
    /// This hart's id (`mhartid`).
    pub hartid: u64,
}

impl HartState {
    /// A hart in its reset state: M-mode at `pc`.
    pub fn new(hartid: u64, pc: u64) -> HartState {
        HartState {
            x: [0; 32],
            f: [0; 32],
            pc,
            privilege: Privilege::Machine,
            csr: Csrs { mstatus: mstatus::XL64, ..Csrs::default() },
            pmp: Pmp::default(),
            reservation: None,
            tlb: Tlb::new(),
            hartid,
        }
    }

    /// `mstatus` with SD computed from FS.
    pub fn mstatus(&self) -> u64 {
        let s = self.csr.mstatus;
        if s & mstatus::FS == mstatus::FS_DIRTY {
            s | mstatus::SD
        } else {
            s & !mstatus::SD
        }
    }

    /// Privilege used for loads and stores (MPRV applies MPP in M-mode).
    #[inline]
    pub fn data_privilege(&self) -> Privilege {
        if self.privilege == Privilege::Machine && self.csr.mstatus & mstatus::MPRV != 0 {
            Privilege::from_bits(self.csr.mstatus >> mstatus::MPP_SHIFT)
        } else {
            self.privilege
        }
    }

    /// Whether the FP unit is on (mstatus.FS != Off).
    #[inline]
    pub fn fp_enabled(&self) -> bool {
        self.csr.mstatus & mstatus::FS != 0
    }

    /// Marks the FP state dirty after an instruction changed it.
    #[inline]
    pub fn set_fs_dirty(&mut self) {
        self.csr.mstatus |= mstatus::FS_DIRTY;
    }
}
