//! What a machine boots: an ELF (bare metal in M-mode, or an S-mode
//! kernel), or a Linux `Image` with its initrd, behind M-mode firmware or
//! directly in S-mode; and the state the harts start in.

use anyhow::{Context, Result};
use hartvm_devices::fdt::FdtConfig;
use hartvm_devices::loader::{self, GuestRam, LinuxBoot, LoadedElf};
use hartvm_runtime::{GuestMemory, Vm};

/// The program a machine boots, kept to load again at a reboot.
pub enum Payload {
    /// An ELF executable.
    Elf(Vec<u8>),
    /// A kernel with an initrd or behind firmware: a Linux `Image`, a raw
    /// binary, or an ELF.
    Linux {
        /// The kernel file.
        kernel: Vec<u8>,
        /// The initrd, if any.
        initrd: Option<Vec<u8>>,
        /// M-mode firmware run first (`--bios`), if any.
        firmware: Option<Vec<u8>>,
    },
}

/// Where the harts start once the payload is in RAM.
#[derive(Clone, Debug, Default)]
pub struct Start {
    /// First instruction.
    pub entry: u64,
    /// `a1`: the device tree.
    pub dtb: u64,
    /// `a2`: the `fw_dynamic` info for firmware, else 0.
    pub a2: u64,
    /// The ELF that was loaded (symbols, HTIF words); empty for an `Image`
    /// behind raw firmware.
    pub elf: LoadedElf,
}

pub(crate) struct RamWriter<'a>(pub(crate) &'a GuestMemory);

impl GuestRam for RamWriter<'_> {
    fn base(&self) -> u64 {
        self.0.base()
    }
    fn size(&self) -> u64 {
        self.0.size()
    }
    fn write(&mut self, addr: u64, data: &[u8]) {
        self.0.write(addr, data);
    }
}

impl Payload {
    /// Loads the payload and its device tree (`fdt`) into `vm`'s RAM.
    pub fn load(&self, vm: &Vm, fdt: &FdtConfig) -> Result<Start> {
        let mem = vm.memory();
        match self {
            Payload::Elf(bytes) => {
                let elf = loader::load_elf(bytes, &mut RamWriter(mem))?;
                let dtb = crate::fdt::place_dtb(vm, fdt, (elf.load_start, elf.load_end))?;
                Ok(Start { entry: elf.entry, dtb, a2: 0, elf })
            }
            Payload::Linux { kernel, initrd, firmware } => {
                let boot = LinuxBoot { kernel, initrd: initrd.as_deref(), firmware: firmware.as_deref(), boot_hart: 0 };
                let loaded = loader::load_linux(&mut RamWriter(mem), &boot, fdt, &[])?;
                Ok(Start {
                    entry: loaded.entry,
                    dtb: loaded.a1,
                    a2: loaded.a2,
                    elf: loaded.firmware_elf.unwrap_or_default(),
                })
            }
        }
    }
}

/// Reads a file the user named, saying which on failure.
pub fn read_file(path: &std::path::Path, what: &str) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read the {what} {}", path.display()))
}
