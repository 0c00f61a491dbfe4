//! `get_one_reg` / `set_one_reg` with KVM's RISC-V register ids:
//! `0x8000_0000_0000_0000 | size | type << 24 | subtype << 16 | index`.

use std::sync::atomic::Ordering;

use hartvm_frontend::csr;
use hartvm_sbi::Extension;

use crate::hart::{mstatus, Privilege, MARCHID, MIMPID, MISA, MVENDORID};
use crate::vcpu::{Core, Vcpu};
use crate::TIMEBASE_HZ;

/// Register-id fields and constants, as KVM's RISC-V headers define them.
pub mod id {
    /// The architecture bits of every RISC-V register id.
    pub const RISCV: u64 = 0x8000_0000_0000_0000;
    /// Size field: a 4-byte register.
    pub const SIZE_U32: u64 = 0x0020_0000_0000_0000;
    /// Size field: an 8-byte register.
    pub const SIZE_U64: u64 = 0x0030_0000_0000_0000;
    /// Mask of the size field.
    pub const SIZE_MASK: u64 = 0x00f0_0000_0000_0000;
    /// Register type: CONFIG.
    pub const CONFIG: u64 = 1;
    /// Register type: CORE (pc, x1 to x31, mode).
    pub const CORE: u64 = 2;
    /// Register type: CSR.
    pub const CSR: u64 = 3;
    /// Register type: TIMER.
    pub const TIMER: u64 = 4;
    /// Register type: FP_F (single-precision registers, fcsr).
    pub const FP_F: u64 = 5;
    /// Register type: FP_D (double-precision registers, fcsr).
    pub const FP_D: u64 = 6;
    /// Register type: ISA_EXT.
    pub const ISA_EXT: u64 = 7;
    /// Register type: SBI_EXT.
    pub const SBI_EXT: u64 = 8;

    /// The id of an 8-byte register.
    pub const fn u64_reg(kind: u64, subtype: u64, index: u64) -> u64 {
        RISCV | SIZE_U64 | kind << 24 | subtype << 16 | index
    }

    /// The id of a 4-byte register.
    pub const fn u32_reg(kind: u64, subtype: u64, index: u64) -> u64 {
        RISCV | SIZE_U32 | kind << 24 | subtype << 16 | index
    }
}

/// Why a register access failed; [`RegError::errno`] gives KVM's errno.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RegError {
    /// No register has this id (ENOENT).
    #[error("no register has id {0:#x}")]
    UnknownId(u64),
    /// The id's size field, or the buffer, does not match the register (EINVAL).
    #[error("register {id:#x} is {expected} bytes, not {got}")]
    WrongSize {
        /// The register id.
        id: u64,
        /// Its size.
        expected: usize,
        /// The size given.
        got: usize,
    },
    /// The value is not one the register can take (EINVAL).
    #[error("register {0:#x} cannot take this value")]
    InvalidValue(u64),
    /// The register can only change before the vCPU first runs (EBUSY).
    #[error("the register can only be changed before the vCPU first runs")]
    Busy,
}

impl RegError {
    /// The errno KVM returns for this error.
    pub fn errno(&self) -> i32 {
        match self {
            RegError::UnknownId(_) => 2,                                  // ENOENT
            RegError::WrongSize { .. } | RegError::InvalidValue(_) => 22, // EINVAL
            RegError::Busy => 16,                                         // EBUSY
        }
    }
}

/// KVM's `KVM_RISCV_ISA_EXT_*` numbers of the extensions hartvm implements.
const ISA_EXTS: [(u64, &str); 15] = [
    (0, "a"),
    (1, "c"),
    (2, "d"),
    (3, "f"),
    (5, "i"),
    (6, "m"),
    (8, "sstc"),
    (10, "zihintpause"),
    (13, "zbb"),
    (17, "zba"),
    (18, "zbs"),
    (19, "zicntr"),
    (20, "zicsr"),
    (21, "zifencei"),
    (24, "zicond"),
];

/// The S-mode CSRs of the CSR register type, by index.
const GUEST_CSRS: [u16; 11] = [
    csr::SSTATUS,
    csr::SIE,
    csr::STVEC,
    csr::SSCRATCH,
    csr::SEPC,
    csr::SCAUSE,
    csr::STVAL,
    csr::SIP,
    csr::SATP,
    csr::SCOUNTEREN,
    csr::SENVCFG,
];

/// CONFIG registers: isa, zicbom/zicboz block sizes (absent), vendor ids, satp_mode.
const CONFIG_ISA: u64 = 0;
const CONFIG_MVENDORID: u64 = 2;
const CONFIG_MARCHID: u64 = 3;
const CONFIG_MIMPID: u64 = 4;
const CONFIG_SATP_MODE: u64 = 6;
/// Sv57 is the largest translation mode.
const SATP_MODE_SV57: u64 = 10;

/// CORE index of the privilege mode (1 = S, 0 = U).
const CORE_MODE: u64 = 32;
/// FP index of fcsr.
const FCSR: u64 = 32;
/// SBI_EXT subtypes.
const SBI_SINGLE: u64 = 0;
const SBI_MULTI_EN: u64 = 1;
const SBI_MULTI_DIS: u64 = 2;

/// A register's size in bytes and its value.
struct Reg {
    size: usize,
    value: u64,
}

fn kvm_isa_ext(index: u64) -> Option<&'static str> {
    ISA_EXTS.iter().find(|(n, _)| *n == index).map(|(_, name)| *name)
}

impl Core {
    fn read_reg(&self, id: u64) -> Result<Reg, RegError> {
        let kind = (id >> 24) & 0xff;
        let subtype = (id >> 16) & 0xff;
        let index = id & 0xffff;
        let unknown = RegError::UnknownId(id);
        if id & !(id::SIZE_MASK | 0xffff_ffff) != id::RISCV {
            return Err(unknown);
        }
        let u64_reg = |value| Ok(Reg { size: 8, value });
        let u32_reg = |value: u64| Ok(Reg { size: 4, value: value & 0xffff_ffff });
        let h = &self.hart;
        match (kind, subtype, index) {
            (id::CONFIG, 0, CONFIG_ISA) => u64_reg(MISA & ((1 << 26) - 1)),
            (id::CONFIG, 0, CONFIG_MVENDORID) => u64_reg(MVENDORID),
            (id::CONFIG, 0, CONFIG_MARCHID) => u64_reg(MARCHID),
            (id::CONFIG, 0, CONFIG_MIMPID) => u64_reg(MIMPID),
            (id::CONFIG, 0, CONFIG_SATP_MODE) => u64_reg(SATP_MODE_SV57),
            (id::CORE, 0, 0) => u64_reg(h.pc),
            (id::CORE, 0, 1..=31) => u64_reg(h.x[index as usize]),
            (id::CORE, 0, CORE_MODE) => u64_reg((h.privilege != Privilege::User) as u64),
            (id::CSR, 0, n) if (n as usize) < GUEST_CSRS.len() => {
                u64_reg(self.csr_read(GUEST_CSRS[n as usize], 0).ok_or(unknown)?)
            }
            (id::TIMER, 0, 0) => u64_reg(TIMEBASE_HZ),
            (id::TIMER, 0, 1) => u64_reg(self.shared.clock.mtime()),
            (id::TIMER, 0, 2) => u64_reg(self.lines.stimecmp.load(Ordering::Acquire)),
            (id::TIMER, 0, 3) => u64_reg((self.lines.stimecmp.load(Ordering::Acquire) != u64::MAX) as u64),
            (id::FP_F, 0, 0..=31) => u32_reg(h.f[index as usize]),
            (id::FP_D, 0, 0..=31) => u64_reg(h.f[index as usize]),
            (id::FP_F | id::FP_D, 0, FCSR) => u32_reg(self.csr_read(csr::FCSR, 0).ok_or(unknown)?),
            (id::ISA_EXT, 0, n) if kvm_isa_ext(n).is_some() => u64_reg(1),
            (id::SBI_EXT, SBI_SINGLE, n) => match Extension::from_kvm_id(n) {
                Some(e) if e.implemented() => u64_reg(self.sbi_extensions.contains(e) as u64),
                _ => Err(unknown),
            },
            (id::SBI_EXT, SBI_MULTI_EN | SBI_MULTI_DIS, 0) => {
                let on = Extension::ALL.iter().filter(|e| e.implemented() && self.sbi_extensions.contains(**e));
                let enabled = on.fold(0, |m, e| m | 1 << e.kvm_id());
                let implemented = Extension::ALL.iter().filter(|e| e.implemented()).fold(0, |m, e| m | 1 << e.kvm_id());
                u64_reg(if subtype == SBI_MULTI_EN { enabled } else { implemented & !enabled })
            }
            _ => Err(unknown),
        }
    }

    fn write_reg(&mut self, id: u64, value: u64) -> Result<(), RegError> {
        let kind = (id >> 24) & 0xff;
        let subtype = (id >> 16) & 0xff;
        let index = id & 0xffff;
        let current = self.read_reg(id)?.value;
        let invalid = RegError::InvalidValue(id);
        match (kind, subtype, index) {
            // Identity and ISA registers are fixed: only their value may be written back.
            (id::CONFIG, ..) | (id::ISA_EXT, ..) | (id::TIMER, 0, 0) => {
                return if value == current { Ok(()) } else { Err(invalid) };
            }
            (id::CORE, 0, 0) => self.hart.pc = value,
            (id::CORE, 0, 1..=31) => self.hart.x[index as usize] = value,
            (id::CORE, 0, CORE_MODE) => {
                self.hart.privilege = match value {
                    0 => Privilege::User,
                    1 => Privilege::Supervisor,
                    _ => return Err(invalid),
                };
            }
            (id::CSR, 0, n) => {
                let num = GUEST_CSRS[n as usize];
                if num == csr::SATP && value >> 60 != 0 && ![8, 9, 10].contains(&(value >> 60)) {
                    return Err(invalid);
                }
                self.csr_write(num, value, 0).ok_or(invalid)?;
            }
            (id::TIMER, 0, 1) => self.shared.clock.set_mtime(value),
            (id::TIMER, 0, 2) => self.lines.stimecmp.store(value, Ordering::Release),
            (id::TIMER, 0, 3) => match value {
                0 => self.lines.stimecmp.store(u64::MAX, Ordering::Release),
                1 => {}
                _ => return Err(invalid),
            },
            (id::FP_F, 0, 0..=31) => self.hart.f[index as usize] = value | 0xffff_ffff_0000_0000,
            (id::FP_D, 0, 0..=31) => self.hart.f[index as usize] = value,
            (id::FP_F | id::FP_D, 0, FCSR) => {
                self.csr_write(csr::FCSR, value & 0xff, 0).ok_or(invalid)?;
            }
            (id::SBI_EXT, ..) => self.write_sbi_ext(id, subtype, index, value)?,
            _ => return Err(RegError::UnknownId(id)),
        }
        self.hart.csr.mstatus |= if kind == id::FP_F || kind == id::FP_D { mstatus::FS_DIRTY } else { 0 };
        self.hart.tlb.flush(&self.shared.mem);
        self.fetch_epoch += 1;
        self.check_interrupts = true;
        Ok(())
    }

    fn write_sbi_ext(&mut self, id: u64, subtype: u64, index: u64, value: u64) -> Result<(), RegError> {
        if self.ran {
            return Err(RegError::Busy);
        }
        let invalid = RegError::InvalidValue(id);
        let mut set = self.sbi_extensions;
        let mut apply = |n: u64, on: bool| {
            let e = Extension::from_kvm_id(n).ok_or(RegError::UnknownId(id))?;
            set.set(e, on).map_err(|_| RegError::UnknownId(id))
        };
        match subtype {
            SBI_SINGLE if value <= 1 => apply(index, value == 1)?,
            SBI_SINGLE => return Err(invalid),
            _ => {
                let on = subtype == SBI_MULTI_EN;
                for n in (0..64).filter(|n| value & (1 << n) != 0) {
                    apply(n, on)?;
                }
            }
        }
        self.sbi_extensions = set;
        Ok(())
    }
}

impl Vcpu {
    /// Reads register `id` into `data` (which must be the register's size)
    /// and returns the size, as kvm-ioctls' `get_one_reg`.
    ///
    /// ```
    /// use hartvm_runtime::{one_reg::id, Vm, VmConfig};
    /// let vm = Vm::new(VmConfig { mem_size: 1 << 20, sbi: true, ..VmConfig::default() }).unwrap();
    /// let vcpu = vm.create_vcpu(0).unwrap();
    /// let mut pc = [0u8; 8];
    /// assert_eq!(vcpu.get_one_reg(id::u64_reg(id::CORE, 0, 0), &mut pc), Ok(8));
    /// assert_eq!(u64::from_le_bytes(pc), 0x8000_0000);
    /// assert!(vcpu.get_one_reg(id::u64_reg(id::CORE, 0, 0), &mut [0u8; 4]).is_err());
    /// ```
    pub fn get_one_reg(&self, id: u64, data: &mut [u8]) -> Result<usize, RegError> {
        let reg = self.core.read_reg(id)?;
        check_size(id, reg.size, data.len())?;
        data.copy_from_slice(&reg.value.to_le_bytes()[..reg.size]);
        Ok(reg.size)
    }

    /// Writes register `id` from `data` (which must be the register's
    /// size), as kvm-ioctls' `set_one_reg`.
    pub fn set_one_reg(&mut self, id: u64, data: &[u8]) -> Result<usize, RegError> {
        let reg = self.core.read_reg(id)?;
        check_size(id, reg.size, data.len())?;
        let mut bytes = [0u8; 8];
        bytes[..reg.size].copy_from_slice(data);
        self.core.write_reg(id, u64::from_le_bytes(bytes))?;
        Ok(reg.size)
    }

    /// Every register id this vCPU has (KVM's `KVM_GET_REG_LIST`).
    pub fn reg_list(&self) -> Vec<u64> {
        let mut ids = Vec::new();
        for (kind, indices) in [(id::CONFIG, 0..7), (id::CORE, 0..33), (id::CSR, 0..11), (id::TIMER, 0..4)] {
            ids.extend(indices.map(|i| id::u64_reg(kind, 0, i)));
        }
        ids.extend((0..33).map(|i| id::u32_reg(id::FP_F, 0, i)));
        ids.extend((0..32).map(|i| id::u64_reg(id::FP_D, 0, i)));
        ids.push(id::u32_reg(id::FP_D, 0, FCSR));
        ids.extend((0..64).map(|i| id::u64_reg(id::ISA_EXT, 0, i)));
        ids.extend((0..12).map(|i| id::u64_reg(id::SBI_EXT, SBI_SINGLE, i)));
        ids.push(id::u64_reg(id::SBI_EXT, SBI_MULTI_EN, 0));
        ids.push(id::u64_reg(id::SBI_EXT, SBI_MULTI_DIS, 0));
        ids.retain(|&i| self.core.read_reg(i).is_ok());
        ids
    }
}

/// The id's size field and the buffer must both match the register.
fn check_size(id: u64, size: usize, buffer: usize) -> Result<(), RegError> {
    let declared = match id & id::SIZE_MASK {
        id::SIZE_U32 => 4,
        id::SIZE_U64 => 8,
        other => 1usize << (other >> 52),
    };
    if declared != size {
        return Err(RegError::WrongSize { id, expected: size, got: declared });
    }
    if buffer != size {
        return Err(RegError::WrongSize { id, expected: size, got: buffer });
    }
    Ok(())
}
