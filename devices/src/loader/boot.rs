//! Booting Linux: where the kernel `Image`, the DTB, the initrd and
//! (in firmware mode) the M-mode firmware and its `fw_dynamic` info go in
//! guest RAM ([`plan_linux_boot`], pure), and putting them there
//! ([`load_linux`]).
//!
//! # Placement rules
//!
//! - **Kernel**: at the first 2 MiB-aligned address at or above
//!   `RAM base + text_offset` (an RV64 kernel must sit on a PMD boundary;
//!   its header's `text_offset` is 2 MiB, so this is 0x8020_0000 on `virt`,
//!   the address QEMU uses too, which keeps runs comparable). In firmware
//!   mode it also stays above the firmware, its runtime area
//!   ([`FIRMWARE_RUNTIME_RESERVE`]: OpenSBI puts per-hart stacks, scratch
//!   space and heap right after its image; Debian's OpenSBI 1.1
//!   `fw_dynamic`, 113 KiB, reports a 296 KiB footprint and protects
//!   512 KiB) and the `fw_dynamic` info page. The kernel occupies
//!   `image_size` bytes (BSS included), never less than the file.
//! - **Nothing below the kernel** but firmware: Linux 6.1 ignores RAM
//!   below its own image ("Ignoring memory range"), and drops an initrd
//!   that is not in RAM it knows. In hypervisor mode this leaves the
//!   `text_offset` bytes below the kernel unused with such kernels.
//! - **DTB**: at the top of RAM, but below 4 GiB when RAM starts below it
//!   (32-bit firmware and RV32 guests can reach it; on RV64 it is within
//!   the first 2 GiB, always linearly mapped), 2 MiB-aligned (Linux maps
//!   it early through 2 MiB pages; page-aligned when 2 MiB alignment does
//!   not fit), with [`DTB_SLACK`] free bytes after it: firmware edits the
//!   tree in place and grows it (OpenSBI adds a `reserved-memory` node and
//!   rewrites the PLIC's M contexts).
//! - **initrd**: page-aligned, directly below the DTB, so the memory
//!   after the kernel stays contiguous; when it does not fit there, the
//!   highest free place above the kernel (above the DTB, then above
//!   4 GiB).
//! - **fw_dynamic info** (firmware mode): the page below the kernel, away
//!   from the top of RAM where Linux's early allocator starts handing out
//!   memory while secondary harts may still be reading the structure.
//!
//! Nothing overlaps, everything is inside RAM, and every check happens
//! before the first byte is written.

use super::image::{ImageError, ImageHeader};
use super::{is_elf, load_elf, load_raw, GuestRam, LoadError, LoadedElf};
use crate::fdt::{build_fdt_with, FdtConfig, FdtError, FdtNode, PlicMContexts};

/// Alignment of an RV64 kernel (a PMD: 2 MiB).
pub const KERNEL_ALIGN: u64 = 2 << 20;
/// Preferred alignment of the DTB.
pub const DTB_ALIGN: u64 = 2 << 20;
/// Page size: fallback DTB alignment, initrd alignment.
pub const PAGE_SIZE: u64 = 4096;
/// Free bytes kept after the DTB for firmware that grows it in place.
pub const DTB_SLACK: u64 = 64 << 10;
/// Bytes kept free after the firmware image for its runtime data.
pub const FIRMWARE_RUNTIME_RESERVE: u64 = 512 << 10;
/// Bytes reserved for the `fw_dynamic` info structure (one page).
pub const FW_DYNAMIC_INFO_SPACE: u64 = PAGE_SIZE;

/// `magic` of OpenSBI's `struct fw_dynamic_info` ("OSBI" little-endian).
pub const FW_DYNAMIC_INFO_MAGIC: u64 = 0x4942_534f;
/// The structure version written (version 2 adds `boot_hart`).
pub const FW_DYNAMIC_INFO_VERSION: u64 = 2;
/// `next_mode` for S-mode.
pub const FW_DYNAMIC_NEXT_MODE_S: u64 = 1;
/// Size of the version-2 structure: six XLEN-sized (here 64-bit) fields.
pub const FW_DYNAMIC_INFO_LEN: usize = 48;

/// A range of guest physical memory `[start, start + size)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Region {
    /// First byte.
    pub start: u64,
    /// Length in bytes.
    pub size: u64,
}

impl Region {
    /// One past the last byte (saturating).
    pub fn end(&self) -> u64 {
        self.start.saturating_add(self.size)
    }

    /// Whether the two regions share a byte.
    pub fn overlaps(&self, other: &Region) -> bool {
        self.size != 0 && other.size != 0 && self.start < other.end() && other.start < self.end()
    }
}

/// Where everything goes (see the module documentation for the rules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BootLayout {
    /// The kernel: `start` is its load address and entry point, `size`
    /// its in-memory size (`image_size`, at least the file).
    pub kernel: Region,
    /// The DTB blob (the [`DTB_SLACK`] after it is kept free too).
    pub dtb: Region,
    /// The initrd, if any.
    pub initrd: Option<Region>,
    /// The firmware image as given to the planner (firmware mode).
    pub firmware: Option<Region>,
    /// Address of the `fw_dynamic` info structure (firmware mode): `a2`.
    pub fw_dynamic_info: Option<u64>,
}

/// Why the pieces do not fit in guest RAM. One line each.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    /// `ram_base + ram_size` overflows.
    #[error("guest RAM at {base:#x} of {size:#x} bytes wraps around the address space")]
    BadRam {
        /// RAM base.
        base: u64,
        /// RAM size.
        size: u64,
    },
    /// The firmware is not inside RAM.
    #[error("firmware at [{start:#x}, {end:#x}) lies outside guest RAM [{ram_start:#x}, {ram_end:#x})")]
    FirmwareOutsideRam {
        /// First byte of the firmware.
        start: u64,
        /// End of the firmware (exclusive).
        end: u64,
        /// First byte of RAM.
        ram_start: u64,
        /// End of RAM (exclusive).
        ram_end: u64,
    },
    /// The kernel does not fit at its address.
    #[error("guest RAM is too small for the kernel ({size:#x} bytes at {start:#x}, RAM ends at {ram_end:#x}): give more with --mem")]
    KernelDoesNotFit {
        /// Where the kernel would go.
        start: u64,
        /// Its in-memory size.
        size: u64,
        /// End of RAM (exclusive).
        ram_end: u64,
    },
    /// The initrd file is empty.
    #[error("the initrd is empty")]
    EmptyInitrd,
    /// The initrd alone is larger than RAM.
    #[error("the initrd ({initrd_len} bytes) is larger than guest RAM ({ram_size} bytes): give more with --mem")]
    InitrdLargerThanRam {
        /// Length of the initrd.
        initrd_len: u64,
        /// Size of RAM.
        ram_size: u64,
    },
    /// No free room left for a piece above the kernel.
    #[error("guest RAM has no room left for the {what} ({len} bytes) after the kernel: give more with --mem")]
    NoRoom {
        /// "device tree" or "initrd".
        what: &'static str,
        /// Bytes needed.
        len: u64,
    },
}

fn align_up(v: u64, a: u64) -> Option<u64> {
    Some(v.checked_add(a - 1)? & !(a - 1))
}

fn align_down(v: u64, a: u64) -> u64 {
    v & !(a - 1)
}

/// The highest `a`-aligned start in `[floor, top - len]` whose `len` bytes
/// miss every region in `avoid`.
fn place_top_down(len: u64, align: u64, floor: u64, mut top: u64, avoid: &[Region]) -> Option<u64> {
    loop {
        let start = align_down(top.checked_sub(len)?, align);
        if start < floor {
            return None;
        }
        let candidate = Region { start, size: len };
        // Each retry moves `top` strictly down, to the lowest start of a
        // clashing region, so the loop ends.
        match avoid.iter().filter(|r| r.overlaps(&candidate)).map(|r| r.start).min() {
            None => return Some(start),
            Some(clash) => top = clash,
        }
    }
}

/// Plans a Linux boot: where the kernel, DTB, initrd and `fw_dynamic`
/// info go in RAM `[ram_base, ram_base + ram_size)`.
///
/// `kernel_len` is the length of the `Image` file, `initrd_len` that of
/// the initrd if there is one, `dtb_len` that of the DTB blob, and
/// `firmware` where the firmware image lies (firmware mode; `None` in
/// hypervisor mode).
///
/// # Errors
///
/// A [`LayoutError`] when RAM is malformed, the firmware lies outside it,
/// the initrd is empty or larger than RAM, or a piece does not fit.
///
/// ```
/// use hartvm_devices::loader::{plan_linux_boot, ImageHeader, Region};
/// let kernel = ImageHeader { text_offset: 0x20_0000, image_size: 20 << 20, flags: 0, version: 2 };
/// let fw = Region { start: 0x8000_0000, size: 115 << 10 };
/// let plan = plan_linux_boot(0x8000_0000, 256 << 20, &kernel, 12 << 20, Some(8 << 20), 8 << 10, Some(fw))
///     .unwrap();
/// assert_eq!(plan.kernel.start, 0x8020_0000);
/// assert_eq!(plan.dtb.start, 0x8fe0_0000); // 2 MiB below the top of RAM
/// assert_eq!(plan.initrd.unwrap().end(), 0x8fe0_0000); // right below it
/// assert_eq!(plan.fw_dynamic_info, Some(0x801f_f000)); // the page below the kernel
/// ```
pub fn plan_linux_boot(
    ram_base: u64,
    ram_size: u64,
    kernel: &ImageHeader,
    kernel_len: u64,
    initrd_len: Option<u64>,
    dtb_len: u64,
    firmware: Option<Region>,
) -> Result<BootLayout, LayoutError> {
    let ram_end = ram_base.checked_add(ram_size).ok_or(LayoutError::BadRam { base: ram_base, size: ram_size })?;
    match initrd_len {
        Some(0) => return Err(LayoutError::EmptyInitrd),
        Some(len) if len > ram_size => return Err(LayoutError::InitrdLargerThanRam { initrd_len: len, ram_size }),
        _ => {}
    }
    let kernel_too_big = |start: u64| LayoutError::KernelDoesNotFit { start, size: kernel.image_size, ram_end };

    let mut avoid = Vec::new();
    let mut kernel_min = ram_base.saturating_add(kernel.text_offset);
    if let Some(fw) = firmware {
        let fw_end = fw.start.checked_add(fw.size);
        if fw.start < ram_base || fw_end.is_none_or(|e| e > ram_end) {
            return Err(LayoutError::FirmwareOutsideRam {
                start: fw.start,
                end: fw.end(),
                ram_start: ram_base,
                ram_end,
            });
        }
        let runtime_end = fw.end().saturating_add(FIRMWARE_RUNTIME_RESERVE);
        avoid.push(Region { start: fw.start, size: runtime_end - fw.start });
        kernel_min = kernel_min.max(runtime_end.saturating_add(FW_DYNAMIC_INFO_SPACE));
    }
    let kernel_start = align_up(kernel_min, KERNEL_ALIGN).ok_or_else(|| kernel_too_big(kernel_min))?;
    let kernel_region = Region { start: kernel_start, size: kernel.image_size.max(kernel_len) };
    if kernel_region.start.checked_add(kernel_region.size).is_none_or(|e| e > ram_end) {
        return Err(kernel_too_big(kernel_start));
    }
    avoid.push(kernel_region);
    let fw_dynamic_info = firmware.map(|_| kernel_start - FW_DYNAMIC_INFO_SPACE);
    if let Some(info) = fw_dynamic_info {
        avoid.push(Region { start: info, size: FW_DYNAMIC_INFO_SPACE });
    }

    const LOW_4G: u64 = 1 << 32;
    let capped_top = if ram_base < LOW_4G { ram_end.min(LOW_4G) } else { ram_end };
    let tops = [capped_top, ram_end];

    let dtb_need = dtb_len.saturating_add(DTB_SLACK);
    let dtb_start = tops
        .iter()
        .flat_map(|&top| [DTB_ALIGN, PAGE_SIZE].map(|align| (top, align)))
        .find_map(|(top, align)| place_top_down(dtb_need, align, kernel_region.end(), top, &avoid))
        .ok_or(LayoutError::NoRoom { what: "device tree", len: dtb_len })?;
    avoid.push(Region { start: dtb_start, size: dtb_need });

    let initrd = match initrd_len {
        None => None,
        Some(len) => {
            let start = [dtb_start, capped_top, ram_end]
                .iter()
                .find_map(|&top| place_top_down(len, PAGE_SIZE, kernel_region.end(), top, &avoid))
                .ok_or(LayoutError::NoRoom { what: "initrd", len })?;
            Some(Region { start, size: len })
        }
    };

    Ok(BootLayout {
        kernel: kernel_region,
        dtb: Region { start: dtb_start, size: dtb_len },
        initrd,
        firmware,
        fw_dynamic_info,
    })
}

/// OpenSBI's `struct fw_dynamic_info` (version 2), which a previous boot
/// stage passes to a `fw_dynamic` firmware in `a2`: six little-endian
/// 64-bit fields `magic, version, next_addr, next_mode, options,
/// boot_hart`, 8-byte aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FwDynamicInfo {
    /// Where the firmware jumps after initialising (the kernel).
    pub next_addr: u64,
    /// Privilege mode for `next_addr` ([`FW_DYNAMIC_NEXT_MODE_S`]).
    pub next_mode: u64,
    /// OpenSBI option bits (0: defaults, boot messages on).
    pub options: u64,
    /// The hart that boots; the others wait to be started through SBI
    /// HSM. `u64::MAX` lets the harts race for it.
    pub boot_hart: u64,
}

impl FwDynamicInfo {
    /// Jump to `kernel` in S-mode, booting on `boot_hart`.
    pub fn for_kernel(kernel: u64, boot_hart: u32) -> Self {
        FwDynamicInfo { next_addr: kernel, next_mode: FW_DYNAMIC_NEXT_MODE_S, options: 0, boot_hart: boot_hart.into() }
    }

    /// The structure as the firmware reads it.
    ///
    /// ```
    /// use hartvm_devices::loader::FwDynamicInfo;
    /// let b = FwDynamicInfo::for_kernel(0x8020_0000, 0).to_bytes();
    /// assert_eq!(&b[0..8], b"OSBI\0\0\0\0");
    /// assert_eq!(b[8], 2); // version
    /// assert_eq!(&b[16..24], &0x8020_0000u64.to_le_bytes());
    /// assert_eq!(b[24], 1); // next mode S
    /// ```
    pub fn to_bytes(&self) -> [u8; FW_DYNAMIC_INFO_LEN] {
        let fields = [
            FW_DYNAMIC_INFO_MAGIC,
            FW_DYNAMIC_INFO_VERSION,
            self.next_addr,
            self.next_mode,
            self.options,
            self.boot_hart,
        ];
        let mut out = [0u8; FW_DYNAMIC_INFO_LEN];
        for (chunk, v) in out.chunks_exact_mut(8).zip(fields) {
            chunk.copy_from_slice(&v.to_le_bytes());
        }
        out
    }
}

/// The files of a Linux boot.
#[derive(Debug, Clone, Copy)]
pub struct LinuxBoot<'a> {
    /// The kernel: an `Image`, an ELF (loaded at its physical addresses,
    /// started at its entry), or a raw binary (see
    /// [`ImageHeader::of_kernel`]).
    pub kernel: &'a [u8],
    /// The initrd, if any.
    pub initrd: Option<&'a [u8]>,
    /// M-mode firmware (`--bios`): an ELF (loaded at its physical
    /// addresses) or a raw binary (loaded at the start of RAM). `None`:
    /// hypervisor mode, the kernel starts in S-mode.
    pub firmware: Option<&'a [u8]>,
    /// Hart that boots (`a0`; the firmware's preferred boot hart).
    pub boot_hart: u32,
}

/// Privilege mode the boot hart starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartMode {
    /// M-mode: the firmware runs first.
    Machine,
    /// S-mode: the kernel runs directly.
    Supervisor,
}

/// What [`load_linux`] did: the layout and the boot hart's start state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedLinux {
    /// Where everything went.
    pub layout: BootLayout,
    /// First instruction: the firmware's entry, or the kernel.
    pub entry: u64,
    /// Mode of the first instruction.
    pub mode: StartMode,
    /// `a0`: the boot hart's id.
    pub a0: u64,
    /// `a1`: the DTB's address.
    pub a1: u64,
    /// `a2`: the `fw_dynamic` info's address (firmware mode), else 0.
    pub a2: u64,
    /// The firmware, when it was an ELF (entry, symbols, extent).
    pub firmware_elf: Option<LoadedElf>,
}

/// Why a Linux boot could not be set up. One line each.
#[derive(Debug, thiserror::Error)]
pub enum BootError {
    /// The kernel file is not a usable `Image`.
    #[error("kernel: {0}")]
    Image(#[from] ImageError),
    /// The firmware could not be loaded.
    #[error("firmware: {0}")]
    Firmware(#[from] LoadError),
    /// The kernel, an ELF, could not be loaded.
    #[error("kernel: {0}")]
    KernelElf(LoadError),
    /// The kernel, an ELF, loads below where the firmware leaves room
    /// (its runtime memory and the `fw_dynamic` info) or off the 2 MiB
    /// alignment of a kernel's place.
    #[error("kernel: the ELF loads at {start:#x}, where a kernel cannot go: the lowest place is {lowest:#x} (2 MiB aligned, past any firmware)")]
    KernelElfTooLow {
        /// Its lowest segment address.
        start: u64,
        /// The lowest place for a kernel.
        lowest: u64,
    },
    /// The pieces do not fit.
    #[error("{0}")]
    Layout(#[from] LayoutError),
    /// The device tree could not be built.
    #[error("{0}")]
    Fdt(#[from] FdtError),
    /// The device tree came out longer than when it was measured (a
    /// builder that is not deterministic).
    #[error("device tree: grew from {planned} to {built} bytes between planning and writing")]
    DtbGrew {
        /// Length used for planning.
        planned: u64,
        /// Length of the final blob.
        built: u64,
    },
}

/// A [`GuestRam`] that only has a shape: loading into it checks an image
/// without writing anything.
struct DryRun {
    base: u64,
    size: u64,
}

impl GuestRam for DryRun {
    fn base(&self) -> u64 {
        self.base
    }
    fn size(&self) -> u64 {
        self.size
    }
    fn write(&mut self, _addr: u64, _data: &[u8]) {}
}

/// Loads a Linux boot into `mem`: firmware (if any), kernel, initrd, the
/// device tree built from `fdt` with `extra_nodes`, and the `fw_dynamic`
/// info. Returns where the boot hart starts.
///
/// Of the tree, this sets `initrd` and the PLIC's M contexts (wired in
/// firmware mode, hidden in hypervisor mode: see [`PlicMContexts`]); RAM,
/// bootargs, harts and devices are the caller's.
///
/// # Errors
///
/// A [`BootError`]; RAM is then unchanged.
///
/// ```
/// use hartvm_devices::fdt::FdtConfig;
/// use hartvm_devices::loader::{load_linux, LinuxBoot, SliceRam, StartMode};
/// let mut kernel = vec![0u8; 4096];
/// kernel[8..16].copy_from_slice(&0x20_0000u64.to_le_bytes());
/// kernel[16..24].copy_from_slice(&0x10_0000u64.to_le_bytes());
/// kernel[56..60].copy_from_slice(b"RSC\x05");
/// let mut ram = vec![0u8; 16 << 20];
/// let mut mem = SliceRam::new(0x8000_0000, &mut ram);
/// let cfg = FdtConfig { mem_size: 16 << 20, ..FdtConfig::default() };
/// let boot = LinuxBoot { kernel: &kernel, initrd: None, firmware: None, boot_hart: 0 };
/// let loaded = load_linux(&mut mem, &boot, &cfg, &[]).unwrap();
/// assert_eq!((loaded.entry, loaded.mode), (0x8020_0000, StartMode::Supervisor));
/// assert_eq!(loaded.a1, loaded.layout.dtb.start);
/// ```
pub fn load_linux(
    mem: &mut dyn GuestRam,
    boot: &LinuxBoot<'_>,
    fdt: &FdtConfig,
    extra_nodes: &[&dyn FdtNode],
) -> Result<LoadedLinux, BootError> {
    let (ram_base, ram_size) = (mem.base(), mem.size());
    let kernel_elf = if is_elf(boot.kernel) {
        let dry_run = &mut DryRun { base: ram_base, size: ram_size };
        Some(load_elf(boot.kernel, dry_run).map_err(BootError::KernelElf)?)
    } else {
        None
    };
    let header = match &kernel_elf {
        Some(elf) => elf_kernel_header(elf, ram_base),
        None => ImageHeader::of_kernel(boot.kernel)?,
    };

    // The firmware's extent, checked without writing.
    let firmware = match boot.firmware {
        None => None,
        Some(fw) if is_elf(fw) => {
            let elf = load_elf(fw, &mut DryRun { base: ram_base, size: ram_size })?;
            let region = Region { start: elf.load_start, size: elf.load_end - elf.load_start };
            Some((region, elf.entry))
        }
        Some(fw) => {
            let (start, end) = load_raw(fw, ram_base, &mut DryRun { base: ram_base, size: ram_size })?;
            Some((Region { start, size: end - start }, start))
        }
    };

    // The initrd properties have a fixed size, so a tree built with
    // placeholder addresses measures the final one.
    let mut cfg = fdt.clone();
    cfg.initrd = boot.initrd.map(|_| (0, 0));
    if let Some(plic) = &mut cfg.plic {
        plic.m_contexts = if firmware.is_some() { PlicMContexts::Wired } else { PlicMContexts::Hidden };
    }
    let planned_len = build_fdt_with(&cfg, extra_nodes)?.len() as u64;
    let layout = plan_linux_boot(
        ram_base,
        ram_size,
        &header,
        boot.kernel.len() as u64,
        boot.initrd.map(|i| i.len() as u64),
        planned_len,
        firmware.map(|f| f.0),
    )?;
    if let Some(elf) = &kernel_elf {
        if layout.kernel.start != elf.load_start {
            return Err(BootError::KernelElfTooLow { start: elf.load_start, lowest: layout.kernel.start });
        }
    }
    cfg.initrd = layout.initrd.map(|r| (r.start, r.end()));
    let dtb = build_fdt_with(&cfg, extra_nodes)?;
    if dtb.len() as u64 != planned_len {
        return Err(BootError::DtbGrew { planned: planned_len, built: dtb.len() as u64 });
    }

    // Everything is checked: write.
    let firmware_elf = match boot.firmware {
        Some(fw) if is_elf(fw) => Some(load_elf(fw, mem)?),
        Some(fw) => {
            load_raw(fw, ram_base, mem)?;
            None
        }
        None => None,
    };
    let kernel_entry = match kernel_elf {
        Some(_) => load_elf(boot.kernel, mem).map_err(BootError::KernelElf)?.entry,
        None => {
            mem.write(layout.kernel.start, boot.kernel);
            layout.kernel.start
        }
    };
    if let (Some(initrd), Some(r)) = (boot.initrd, layout.initrd) {
        mem.write(r.start, initrd);
    }
    mem.write(layout.dtb.start, &dtb);
    if let Some(info) = layout.fw_dynamic_info {
        mem.write(info, &FwDynamicInfo::for_kernel(kernel_entry, boot.boot_hart).to_bytes());
    }

    let (entry, mode) = match firmware {
        Some((_, entry)) => (entry, StartMode::Machine),
        None => (kernel_entry, StartMode::Supervisor),
    };
    Ok(LoadedLinux {
        entry,
        mode,
        a0: boot.boot_hart.into(),
        a1: layout.dtb.start,
        a2: layout.fw_dynamic_info.unwrap_or(0),
        layout,
        firmware_elf,
    })
}

/// The header an ELF kernel would have: its segments' extent, as an
/// offset from the start of RAM and a size.
fn elf_kernel_header(elf: &LoadedElf, ram_base: u64) -> ImageHeader {
    // The dry run checked that the segments lie in RAM.
    let (text_offset, image_size) = (elf.load_start - ram_base, elf.load_end - elf.load_start);
    ImageHeader { text_offset, image_size, flags: 0, version: 0 }
}

#[cfg(test)]
#[path = "boot_tests.rs"]
mod tests;
