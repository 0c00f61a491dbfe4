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

/// The name `objdump` (binutils 2.40) prints for a CSR number, if it has one.
pub fn name(csr: u16) -> Option<&'static str> {
    Some(match csr {
        0x3A0..=0x3AF => PMPCFG_NAMES[(csr - 0x3A0) as usize],
        0x3B0..=0x3EF => PMPADDR_NAMES[(csr - 0x3B0) as usize],
        0x323..=0x33F => MHPMEVENT_NAMES[(csr - 0x323) as usize],
        0x723..=0x73F => MHPMEVENT_H_NAMES[(csr - 0x723) as usize],
        0xB03..=0xB1F => MHPMCOUNTER_NAMES[(csr - 0xB03) as usize],
        0xB83..=0xB9F => MHPMCOUNTER_H_NAMES[(csr - 0xB83) as usize],
        0xC03..=0xC1F => HPMCOUNTER_NAMES[(csr - 0xC03) as usize],
        0xC83..=0xC9F => HPMCOUNTER_H_NAMES[(csr - 0xC83) as usize],
        0x001 => "fflags",
        0x002 => "frm",
        0x003 => "fcsr",
        0x008 => "vstart",
        0x009 => "vxsat",
        0x00A => "vxrm",
        0x00F => "vcsr",
        0x015 => "seed",
        0x100 => "sstatus",
        0x104 => "sie",
        0x105 => "stvec",
        0x106 => "scounteren",
        0x10A => "senvcfg",
        0x10C => "sstateen0",
        0x10D => "sstateen1",
        0x10E => "sstateen2",
        0x10F => "sstateen3",
        0x114 => "sieh",
        0x140 => "sscratch",
        0x141 => "sepc",
        0x142 => "scause",
        0x143 => "stval",
        0x144 => "sip",
        0x14D => "stimecmp",
        0x150 => "siselect",
        0x151 => "sireg",
        0x154 => "siph",
        0x15C => "stopei",
        0x15D => "stimecmph",
        0x180 => "satp",
        0x200 => "vsstatus",
        0x204 => "vsie",
        0x205 => "vstvec",
        0x214 => "vsieh",
        0x240 => "vsscratch",
        0x241 => "vsepc",
        0x242 => "vscause",
        0x243 => "vstval",
        0x244 => "vsip",
        0x24D => "vstimecmp",
        0x250 => "vsiselect",
        0x251 => "vsireg",
        0x254 => "vsiph",
        0x25C => "vstopei",
        0x25D => "vstimecmph",
        0x280 => "vsatp",
        0x300 => "mstatus",
        0x301 => "misa",
        0x302 => "medeleg",
        0x303 => "mideleg",
        0x304 => "mie",
        0x305 => "mtvec",
        0x306 => "mcounteren",
        0x308 => "mvien",
        0x309 => "mvip",
        0x30A => "menvcfg",
        0x30C => "mstateen0",
        0x30D => "mstateen1",
        0x30E => "mstateen2",
        0x30F => "mstateen3",
        0x310 => "mstatush",
        0x313 => "midelegh",
        0x314 => "mieh",
        0x318 => "mvienh",
        0x319 => "mviph",
        0x31A => "menvcfgh",
        0x31C => "mstateen0h",
        0x31D => "mstateen1h",
        0x31E => "mstateen2h",
        0x31F => "mstateen3h",
        0x320 => "mcountinhibit",
        0x340 => "mscratch",
        0x341 => "mepc",
        0x342 => "mcause",
        0x343 => "mtval",
        0x344 => "mip",
        0x34A => "mtinst",
        0x34B => "mtval2",
        0x350 => "miselect",
        0x351 => "mireg",
        0x354 => "miph",
        0x35C => "mtopei",
        0x5A8 => "scontext",
        0x600 => "hstatus",
        0x602 => "hedeleg",
        0x603 => "hideleg",
        0x604 => "hie",
        0x605 => "htimedelta",
        0x606 => "hcounteren",
        0x607 => "hgeie",
        0x608 => "hvien",
        0x609 => "hvictl",
        0x60A => "henvcfg",
        0x60C => "hstateen0",
        0x60D => "hstateen1",
        0x60E => "hstateen2",
        0x60F => "hstateen3",
        0x613 => "hidelegh",
        0x615 => "htimedeltah",
        0x618 => "hvienh",
        0x61A => "henvcfgh",
        0x61C => "hstateen0h",
        0x61D => "hstateen1h",
        0x61E => "hstateen2h",
        0x61F => "hstateen3h",
        0x643 => "htval",
        0x644 => "hip",
        0x645 => "hvip",
        0x646 => "hviprio1",
        0x647 => "hviprio2",
        0x64A => "htinst",
        0x655 => "hviph",
        0x656 => "hviprio1h",
        0x657 => "hviprio2h",
        0x680 => "hgatp",
        0x6A8 => "hcontext",
        0x747 => "mseccfg",
        0x757 => "mseccfgh",
        0x7A0 => "tselect",
        0x7A1 => "tdata1",
        0x7A2 => "tdata2",
        0x7A3 => "tdata3",
        0x7A4 => "tinfo",
        0x7A5 => "tcontrol",
        0x7A8 => "mcontext",
        0x7AA => "mscontext",
        0x7B0 => "dcsr",
        0x7B1 => "dpc",
        0x7B2 => "dscratch0",
        0x7B3 => "dscratch1",
        0xB00 => "mcycle",
        0xB02 => "minstret",
        0xB80 => "mcycleh",
        0xB82 => "minstreth",
        0xC00 => "cycle",
        0xC01 => "time",
        0xC02 => "instret",
        0xC20 => "vl",
        0xC21 => "vtype",
        0xC22 => "vlenb",
        0xC80 => "cycleh",
        0xC81 => "timeh",
        0xC82 => "instreth",
        0xDA0 => "scountovf",
        0xDB0 => "stopi",
        0xE12 => "hgeip",
        0xEB0 => "vstopi",
        0xF11 => "mvendorid",
        0xF12 => "marchid",
        0xF13 => "mimpid",
        0xF14 => "mhartid",
        0xF15 => "mconfigptr",
        0xFB0 => "mtopi",
        _ => return None,
    })
}

/// Names of the numbered CSRs from 0x3A0.
const PMPCFG_NAMES: [&str; 16] = [
    "pmpcfg0", "pmpcfg1", "pmpcfg2", "pmpcfg3", "pmpcfg4", "pmpcfg5", "pmpcfg6", "pmpcfg7", "pmpcfg8", "pmpcfg9",
    "pmpcfg10", "pmpcfg11", "pmpcfg12", "pmpcfg13", "pmpcfg14", "pmpcfg15",
];

/// Names of the numbered CSRs from 0x3B0.
const PMPADDR_NAMES: [&str; 64] = [
    "pmpaddr0",
    "pmpaddr1",
    "pmpaddr2",
    "pmpaddr3",
    "pmpaddr4",
    "pmpaddr5",
    "pmpaddr6",
    "pmpaddr7",
    "pmpaddr8",
    "pmpaddr9",
    "pmpaddr10",
    "pmpaddr11",
    "pmpaddr12",
    "pmpaddr13",
    "pmpaddr14",
    "pmpaddr15",
    "pmpaddr16",
    "pmpaddr17",
    "pmpaddr18",
    "pmpaddr19",
    "pmpaddr20",
    "pmpaddr21",
    "pmpaddr22",
    "pmpaddr23",
    "pmpaddr24",
    "pmpaddr25",
    "pmpaddr26",
    "pmpaddr27",
    "pmpaddr28",
    "pmpaddr29",
    "pmpaddr30",
    "pmpaddr31",
    "pmpaddr32",
    "pmpaddr33",
    "pmpaddr34",
    "pmpaddr35",
    "pmpaddr36",
    "pmpaddr37",
    "pmpaddr38",
    "pmpaddr39",
    "pmpaddr40",
    "pmpaddr41",
    "pmpaddr42",
    "pmpaddr43",
    "pmpaddr44",
    "pmpaddr45",
    "pmpaddr46",
    "pmpaddr47",
    "pmpaddr48",
    "pmpaddr49",
    "pmpaddr50",
    "pmpaddr51",
    "pmpaddr52",
    "pmpaddr53",
    "pmpaddr54",
    "pmpaddr55",
    "pmpaddr56",
    "pmpaddr57",
    "pmpaddr58",
    "pmpaddr59",
    "pmpaddr60",
    "pmpaddr61",
    "pmpaddr62",
    "pmpaddr63",
];

/// Names of the numbered CSRs from 0x323.
const MHPMEVENT_NAMES: [&str; 29] = [
    "mhpmevent3",
    "mhpmevent4",
    "mhpmevent5",
    "mhpmevent6",
    "mhpmevent7",
    "mhpmevent8",
    "mhpmevent9",
    "mhpmevent10",
    "mhpmevent11",
    "mhpmevent12",
    "mhpmevent13",
    "mhpmevent14",
    "mhpmevent15",
    "mhpmevent16",
    "mhpmevent17",
    "mhpmevent18",
    "mhpmevent19",
    "mhpmevent20",
    "mhpmevent21",
    "mhpmevent22",
    "mhpmevent23",
    "mhpmevent24",
    "mhpmevent25",
    "mhpmevent26",
    "mhpmevent27",
    "mhpmevent28",
    "mhpmevent29",
    "mhpmevent30",
    "mhpmevent31",
];

/// Names of the numbered CSRs from 0x723.
const MHPMEVENT_H_NAMES: [&str; 29] = [
    "mhpmevent3h",
    "mhpmevent4h",
    "mhpmevent5h",
    "mhpmevent6h",
    "mhpmevent7h",
    "mhpmevent8h",
    "mhpmevent9h",
    "mhpmevent10h",
    "mhpmevent11h",
    "mhpmevent12h",
    "mhpmevent13h",
    "mhpmevent14h",
    "mhpmevent15h",
    "mhpmevent16h",
    "mhpmevent17h",
    "mhpmevent18h",
    "mhpmevent19h",
    "mhpmevent20h",
    "mhpmevent21h",
    "mhpmevent22h",
    "mhpmevent23h",
    "mhpmevent24h",
    "mhpmevent25h",
    "mhpmevent26h",
    "mhpmevent27h",
    "mhpmevent28h",
    "mhpmevent29h",
    "mhpmevent30h",
    "mhpmevent31h",
];

/// Names of the numbered CSRs from 0xB03.
const MHPMCOUNTER_NAMES: [&str; 29] = [
    "mhpmcounter3",
    "mhpmcounter4",
    "mhpmcounter5",
    "mhpmcounter6",
    "mhpmcounter7",
    "mhpmcounter8",
    "mhpmcounter9",
    "mhpmcounter10",
    "mhpmcounter11",
    "mhpmcounter12",
    "mhpmcounter13",
    "mhpmcounter14",
    "mhpmcounter15",
    "mhpmcounter16",
    "mhpmcounter17",
    "mhpmcounter18",
    "mhpmcounter19",
    "mhpmcounter20",
    "mhpmcounter21",
    "mhpmcounter22",
    "mhpmcounter23",
    "mhpmcounter24",
    "mhpmcounter25",
    "mhpmcounter26",
    "mhpmcounter27",
    "mhpmcounter28",
    "mhpmcounter29",
    "mhpmcounter30",
    "mhpmcounter31",
];

/// Names of the numbered CSRs from 0xB83.
const MHPMCOUNTER_H_NAMES: [&str; 29] = [
    "mhpmcounter3h",
    "mhpmcounter4h",
    "mhpmcounter5h",
    "mhpmcounter6h",
    "mhpmcounter7h",
    "mhpmcounter8h",
    "mhpmcounter9h",
    "mhpmcounter10h",
    "mhpmcounter11h",
    "mhpmcounter12h",
    "mhpmcounter13h",
    "mhpmcounter14h",
    "mhpmcounter15h",
    "mhpmcounter16h",
    "mhpmcounter17h",
    "mhpmcounter18h",
    "mhpmcounter19h",
    "mhpmcounter20h",
    "mhpmcounter21h",
    "mhpmcounter22h",
    "mhpmcounter23h",
    "mhpmcounter24h",
    "mhpmcounter25h",
    "mhpmcounter26h",
    "mhpmcounter27h",
    "mhpmcounter28h",
    "mhpmcounter29h",
    "mhpmcounter30h",
    "mhpmcounter31h",
];

/// Names of the numbered CSRs from 0xC03.
const HPMCOUNTER_NAMES: [&str; 29] = [
    "hpmcounter3",
    "hpmcounter4",
    "hpmcounter5",
    "hpmcounter6",
    "hpmcounter7",
    "hpmcounter8",
    "hpmcounter9",
    "hpmcounter10",
    "hpmcounter11",
    "hpmcounter12",
    "hpmcounter13",
    "hpmcounter14",
    "hpmcounter15",
    "hpmcounter16",
    "hpmcounter17",
    "hpmcounter18",
    "hpmcounter19",
    "hpmcounter20",
    "hpmcounter21",
    "hpmcounter22",
    "hpmcounter23",
    "hpmcounter24",
    "hpmcounter25",
    "hpmcounter26",
    "hpmcounter27",
    "hpmcounter28",
    "hpmcounter29",
    "hpmcounter30",
    "hpmcounter31",
];

/// Names of the numbered CSRs from 0xC83.
const HPMCOUNTER_H_NAMES: [&str; 29] = [
    "hpmcounter3h",
    "hpmcounter4h",
    "hpmcounter5h",
    "hpmcounter6h",
    "hpmcounter7h",
    "hpmcounter8h",
    "hpmcounter9h",
    "hpmcounter10h",
    "hpmcounter11h",
    "hpmcounter12h",
    "hpmcounter13h",
    "hpmcounter14h",
    "hpmcounter15h",
    "hpmcounter16h",
    "hpmcounter17h",
    "hpmcounter18h",
    "hpmcounter19h",
    "hpmcounter20h",
    "hpmcounter21h",
    "hpmcounter22h",
    "hpmcounter23h",
    "hpmcounter24h",
    "hpmcounter25h",
    "hpmcounter26h",
    "hpmcounter27h",
    "hpmcounter28h",
    "hpmcounter29h",
    "hpmcounter30h",
    "hpmcounter31h",
];
