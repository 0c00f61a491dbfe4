//! CSR numbers (privileged and unprivileged specifications).
#![allow(missing_docs)]

pub const FFLAGS: u16 = 0x001;
pub const FRM: u16 = 0x002;
pub const FCSR: u16 = 0x003;
pub const CYCLE: u16 = 0xC00;
pub const TIME: u16 = 0xC01;
pub const INSTRET: u16 = 0xC02;
/// `hpmcounter3`; `hpmcounter3 + n - 3` is `hpmcounter<n>` up to 31.
pub const HPMCOUNTER3: u16 = 0xC03;
pub const HPMCOUNTER31: u16 = 0xC1F;

pub const SSTATUS: u16 = 0x100;
pub const SIE: u16 = 0x104;
pub const STVEC: u16 = 0x105;
pub const SCOUNTEREN: u16 = 0x106;
pub const SENVCFG: u16 = 0x10A;
pub const SSCRATCH: u16 = 0x140;
pub const SEPC: u16 = 0x141;
pub const SCAUSE: u16 = 0x142;
pub const STVAL: u16 = 0x143;
pub const SIP: u16 = 0x144;
pub const STIMECMP: u16 = 0x14D;
pub const SATP: u16 = 0x180;

pub const MVENDORID: u16 = 0xF11;
pub const MARCHID: u16 = 0xF12;
pub const MIMPID: u16 = 0xF13;
pub const MHARTID: u16 = 0xF14;
pub const MCONFIGPTR: u16 = 0xF15;
pub const MSTATUS: u16 = 0x300;
pub const MISA: u16 = 0x301;
pub const MEDELEG: u16 = 0x302;
pub const MIDELEG: u16 = 0x303;
pub const MIE: u16 = 0x304;
pub const MTVEC: u16 = 0x305;
pub const MCOUNTEREN: u16 = 0x306;
pub const MENVCFG: u16 = 0x30A;
pub const MCOUNTINHIBIT: u16 = 0x320;
/// `mhpmevent3`; up to `mhpmevent31` at 0x33F.
pub const MHPMEVENT3: u16 = 0x323;
pub const MHPMEVENT31: u16 = 0x33F;
pub const MSCRATCH: u16 = 0x340;
pub const MEPC: u16 = 0x341;
pub const MCAUSE: u16 = 0x342;
pub const MTVAL: u16 = 0x343;
pub const MIP: u16 = 0x344;
/// `pmpcfg0`; on RV64 only the even ones up to `pmpcfg14` exist.
pub const PMPCFG0: u16 = 0x3A0;
pub const PMPCFG15: u16 = 0x3AF;
/// `pmpaddr0`; up to `pmpaddr63` at 0x3EF.
pub const PMPADDR0: u16 = 0x3B0;
pub const PMPADDR63: u16 = 0x3EF;
pub const MSECCFG: u16 = 0x747;
pub const TSELECT: u16 = 0x7A0;
pub const TDATA1: u16 = 0x7A1;
pub const TDATA2: u16 = 0x7A2;
pub const TDATA3: u16 = 0x7A3;
pub const TINFO: u16 = 0x7A4;
pub const MCYCLE: u16 = 0xB00;
pub const MINSTRET: u16 = 0xB02;
/// `mhpmcounter3`; up to `mhpmcounter31` at 0xB1F.
pub const MHPMCOUNTER3: u16 = 0xB03;
pub const MHPMCOUNTER31: u16 = 0xB1F;

/// The name `objdump` prints for a CSR number, if it has one.
pub fn name(csr: u16) -> Option<&'static str> {
    Some(match csr {
        FFLAGS => "fflags",
        FRM => "frm",
        FCSR => "fcsr",
        CYCLE => "cycle",
        TIME => "time",
        INSTRET => "instret",
        SSTATUS => "sstatus",
        SIE => "sie",
        STVEC => "stvec",
        SCOUNTEREN => "scounteren",
        SENVCFG => "senvcfg",
        SSCRATCH => "sscratch",
        SEPC => "sepc",
        SCAUSE => "scause",
        STVAL => "stval",
        SIP => "sip",
        STIMECMP => "stimecmp",
        SATP => "satp",
        MVENDORID => "mvendorid",
        MARCHID => "marchid",
        MIMPID => "mimpid",
        MHARTID => "mhartid",
        MCONFIGPTR => "mconfigptr",
        MSTATUS => "mstatus",
        MISA => "misa",
        MEDELEG => "medeleg",
        MIDELEG => "mideleg",
        MIE => "mie",
        MTVEC => "mtvec",
        MCOUNTEREN => "mcounteren",
        MENVCFG => "menvcfg",
        MCOUNTINHIBIT => "mcountinhibit",
        MSCRATCH => "mscratch",
        MEPC => "mepc",
        MCAUSE => "mcause",
        MTVAL => "mtval",
        MIP => "mip",
        MSECCFG => "mseccfg",
        TSELECT => "tselect",
        TDATA1 => "tdata1",
        TDATA2 => "tdata2",
        TDATA3 => "tdata3",
        TINFO => "tinfo",
        MCYCLE => "mcycle",
        MINSTRET => "minstret",
        _ => return None,
    })
}
