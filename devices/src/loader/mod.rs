//! Loading guest images into guest RAM: ELF executables ([`load_elf`]),
//! raw binaries ([`load_raw`]), and Linux boots ([`load_linux`]: a kernel
//! `Image` ([`ImageHeader`]), initrd, device tree and optional M-mode
//! firmware with its `fw_dynamic` info, placed by [`plan_linux_boot`]).
//!
//! ELF loading follows QEMU: every `PT_LOAD` segment is placed at its
//! *physical* address (`p_paddr`), `p_filesz` bytes are copied from the file
//! and the rest up to `p_memsz` is zeroed. Nothing is relocated (an `ET_DYN`
//! image is loaded at the addresses it names). Every check is done before
//! the first byte is written, so a rejected image leaves RAM untouched. No
//! input, however garbled, makes the loader panic.

use object::elf;
use object::read::elf::{FileHeader, ProgramHeader, SectionHeader, Sym};
use object::LittleEndian;

mod boot;
mod image;
#[cfg(test)]
mod tests;

pub use boot::{
    load_linux, plan_linux_boot, BootError, BootLayout, FwDynamicInfo, LayoutError, LinuxBoot, LoadedLinux, Region,
    StartMode, DTB_ALIGN, DTB_SLACK, FIRMWARE_RUNTIME_RESERVE, FW_DYNAMIC_INFO_LEN, FW_DYNAMIC_INFO_MAGIC,
    FW_DYNAMIC_INFO_SPACE, FW_DYNAMIC_INFO_VERSION, FW_DYNAMIC_NEXT_MODE_S, KERNEL_ALIGN, PAGE_SIZE,
};
pub use image::{
    is_linux_image, ImageError, ImageHeader, IMAGE_HEADER_LEN, IMAGE_MAGIC, IMAGE_MAGIC2, MAX_IMAGE_SIZE,
    RAW_TEXT_OFFSET,
};

/// Index of the class byte in `e_ident`.
const EI_CLASS: usize = 4;
/// Index of the data-encoding byte in `e_ident`.
const EI_DATA: usize = 5;

/// Guest RAM as the loader sees it: one contiguous range
/// `[base(), base() + size())`.
pub trait GuestRam {
    /// Guest physical address of the first byte of RAM.
    fn base(&self) -> u64;
    /// Size of RAM in bytes.
    fn size(&self) -> u64;
    /// Copies `data` to guest physical `addr`. The loader only calls this
    /// with ranges inside RAM.
    fn write(&mut self, addr: u64, data: &[u8]);
}

/// A [`GuestRam`] over a host byte slice that represents guest RAM starting
/// at `base` (e.g. the VMM's RAM mapping, or a `Vec` in tests).
///
/// ```
/// use hartvm_devices::loader::{load_raw, SliceRam};
/// let mut ram = vec![0u8; 0x1000];
/// let mut mem = SliceRam::new(0x8000_0000, &mut ram);
/// load_raw(&[0x13, 0, 0, 0], 0x8000_0010, &mut mem).unwrap(); // a nop
/// assert_eq!(&ram[0x10..0x14], &[0x13, 0, 0, 0]);
/// ```
#[derive(Debug)]
pub struct SliceRam<'a> {
    base: u64,
    mem: &'a mut [u8],
}

impl<'a> SliceRam<'a> {
    /// Wraps `mem` as guest RAM starting at guest physical `base`.
    pub fn new(base: u64, mem: &'a mut [u8]) -> Self {
        SliceRam { base, mem }
    }
}

impl GuestRam for SliceRam<'_> {
    fn base(&self) -> u64 {
        self.base
    }

    fn size(&self) -> u64 {
        self.mem.len() as u64
    }

    fn write(&mut self, addr: u64, data: &[u8]) {
        let dst = addr
            .checked_sub(self.base)
            .and_then(|off| usize::try_from(off).ok())
            .and_then(|off| Some(off..off.checked_add(data.len())?))
            .and_then(|r| self.mem.get_mut(r));
        if let Some(dst) = dst {
            dst.copy_from_slice(data);
        }
    }
}

/// Why an image could not be loaded. Each message is one line meant for the
/// user (the VMM prefixes the file name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The file has no bytes.
    #[error("the file is empty")]
    Empty,
    /// The file does not start with the ELF magic number.
    #[error("not an ELF file (bad magic number)")]
    NotElf,
    /// The file ends inside a structure the ELF header promises.
    #[error("truncated ELF file: {0}")]
    Truncated(&'static str),
    /// An ELF32 file.
    #[error("32-bit ELF, hartvm runs RV64 guests")]
    Elf32,
    /// `EI_CLASS` is neither ELFCLASS32 nor ELFCLASS64.
    #[error("invalid ELF class {0} (expected 2, 64-bit)")]
    BadClass(u8),
    /// A big-endian ELF (or an invalid `EI_DATA`).
    #[error("ELF data encoding {0} is not little-endian; RISC-V guests are little-endian")]
    NotLittleEndian(u8),
    /// `e_machine` is not EM_RISCV (243).
    #[error("ELF is for {name} (e_machine {machine}), not RISC-V")]
    WrongMachine {
        /// The `e_machine` found.
        machine: u16,
        /// A readable name for it.
        name: String,
    },
    /// `e_type` is neither ET_EXEC nor ET_DYN.
    #[error("ELF is a {kind}, not an executable (ET_EXEC or ET_DYN)")]
    NotExecutable {
        /// What the file is instead (e.g. "relocatable object").
        kind: String,
    },
    /// The program header table is malformed or lies outside the file.
    #[error("ELF program header table is malformed or lies outside the file")]
    BadProgramHeaders,
    /// A segment's file bytes are not inside the file.
    #[error("ELF segment {index}: its file bytes [{offset:#x}, +{filesz:#x}) lie outside the {file_len}-byte file")]
    SegmentOutsideFile {
        /// Index in the program header table.
        index: usize,
        /// `p_offset`.
        offset: u64,
        /// `p_filesz`.
        filesz: u64,
        /// Length of the file.
        file_len: usize,
    },
    /// A segment with `p_filesz > p_memsz`.
    #[error("ELF segment {index}: file size {filesz:#x} exceeds memory size {memsz:#x}")]
    SegmentFileszExceedsMemsz {
        /// Index in the program header table.
        index: usize,
        /// `p_filesz`.
        filesz: u64,
        /// `p_memsz`.
        memsz: u64,
    },
    /// A segment does not fit in guest RAM.
    #[error("ELF segment {index} at [{start:#x}, {end:#x}) lies outside guest RAM [{ram_start:#x}, {ram_end:#x})")]
    SegmentOutsideRam {
        /// Index in the program header table.
        index: usize,
        /// `p_paddr`.
        start: u64,
        /// `p_paddr + p_memsz` (saturated at `u64::MAX`).
        end: u64,
        /// First byte of RAM.
        ram_start: u64,
        /// End of RAM (exclusive, saturated).
        ram_end: u64,
    },
    /// No `PT_LOAD` segment with a nonzero memory size.
    #[error("ELF has no loadable segment")]
    NoLoadableSegment,
    /// A raw image does not fit in guest RAM.
    #[error("raw image at [{start:#x}, {end:#x}) lies outside guest RAM [{ram_start:#x}, {ram_end:#x})")]
    RawOutsideRam {
        /// Load address.
        start: u64,
        /// Load address + length (saturated).
        end: u64,
        /// First byte of RAM.
        ram_start: u64,
        /// End of RAM (exclusive, saturated).
        ram_end: u64,
    },
}

/// What [`load_elf`] loaded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LoadedElf {
    /// Entry point as a physical address: `e_entry`, translated through the
    /// segment that contains it (virtual → physical) when there is one.
    pub entry: u64,
    /// Physical address of the `tohost` symbol (HTIF), if present.
    pub tohost: Option<u64>,
    /// Physical address of the `fromhost` symbol (HTIF), if present.
    pub fromhost: Option<u64>,
    /// Physical addresses of the `begin_signature` and `end_signature`
    /// symbols, if both are present: the region conformance tests (the
    /// riscv-arch-test style) leave their results in.
    pub signature: Option<std::ops::Range<u64>>,
    /// Code symbols as `(address, size, name)`, sorted by address then name:
    /// `STT_FUNC` symbols, and untyped labels in executable sections (size
    /// usually 0, e.g. riscv-tests' `reset_vector`). Addresses are the
    /// symbol values (link-time virtual addresses). Empty if the file has no
    /// usable symbol table.
    pub symbols: Vec<(u64, u64, String)>,
    /// Lowest physical address written.
    pub load_start: u64,
    /// One past the highest physical address written.
    pub load_end: u64,
}

impl LoadedElf {
    /// The symbol for `addr`: the nearest symbol at or below `addr`, if it
    /// is a label (size 0) or its `[address, address + size)` contains
    /// `addr`. Meant for profiles and statistics.
    ///
    /// ```
    /// use hartvm_devices::loader::LoadedElf;
    /// let elf = LoadedElf {
    ///     symbols: vec![(0x100, 0x10, "f".into()), (0x200, 0, "_start".into())],
    ///     ..LoadedElf::default()
    /// };
    /// assert_eq!(elf.symbol_at(0x108).map(|s| s.2.as_str()), Some("f"));
    /// assert_eq!(elf.symbol_at(0x110), None);
    /// assert_eq!(elf.symbol_at(0x280).map(|s| s.2.as_str()), Some("_start"));
    /// ```
    pub fn symbol_at(&self, addr: u64) -> Option<&(u64, u64, String)> {
        let n = self.symbols.partition_point(|s| s.0 <= addr);
        // Several symbols may share the nearest address: any that fits wins.
        let nearest = self.symbols[..n].last()?.0;
        self.symbols[..n].iter().rev().take_while(|s| s.0 == nearest).find(|s| s.1 == 0 || addr - s.0 < s.1)
    }
}

/// Whether `bytes` starts with the ELF magic number.
pub fn is_elf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x7fELF")
}

fn machine_name(machine: u16) -> String {
    let name = match machine {
        0 => "no machine",
        2 => "SPARC",
        3 => "x86 (i386)",
        8 => "MIPS",
        20 => "PowerPC",
        21 => "PowerPC64",
        22 => "S/390",
        40 => "ARM",
        42 => "SuperH",
        43 => "SPARC V9",
        50 => "IA-64",
        62 => "x86-64",
        183 => "AArch64",
        247 => "BPF",
        258 => "LoongArch",
        _ => return format!("machine {machine}"),
    };
    name.to_string()
}

struct Segment<'d> {
    vaddr: u64,
    paddr: u64,
    memsz: u64,
    data: &'d [u8],
}

/// Loads an RV64 ELF executable into `mem`.
///
/// # Errors
///
/// A [`LoadError`] if the file is not a little-endian ELF64 RISC-V
/// executable, is malformed, or a segment falls outside RAM; RAM is then
/// unchanged.
///
/// ```
/// use hartvm_devices::loader::{load_elf, LoadError, SliceRam};
/// let mut ram = vec![0u8; 0x1000];
/// let mut mem = SliceRam::new(0x8000_0000, &mut ram);
/// assert_eq!(load_elf(b"MZ\x90\x00", &mut mem), Err(LoadError::NotElf));
/// ```
pub fn load_elf(bytes: &[u8], mem: &mut dyn GuestRam) -> Result<LoadedElf, LoadError> {
    if bytes.is_empty() {
        return Err(LoadError::Empty);
    }
    if !is_elf(bytes) {
        return if b"\x7fELF".starts_with(bytes) {
            Err(LoadError::Truncated("the file ends inside the ELF header"))
        } else {
            Err(LoadError::NotElf)
        };
    }
    match bytes.get(EI_CLASS) {
        None => return Err(LoadError::Truncated("the file ends inside the ELF header")),
        Some(&elf::ELFCLASS64) => {}
        Some(&elf::ELFCLASS32) => return Err(LoadError::Elf32),
        Some(&c) => return Err(LoadError::BadClass(c)),
    }
    match bytes.get(EI_DATA) {
        None => return Err(LoadError::Truncated("the file ends inside the ELF header")),
        Some(&elf::ELFDATA2LSB) => {}
        Some(&d) => return Err(LoadError::NotLittleEndian(d)),
    }
    let header = elf::FileHeader64::<LittleEndian>::parse(bytes)
        .map_err(|_| LoadError::Truncated("the file ends inside the ELF header"))?;
    let e = LittleEndian;

    let machine = header.e_machine(e);
    if machine != elf::EM_RISCV {
        return Err(LoadError::WrongMachine { machine, name: machine_name(machine) });
    }
    match header.e_type(e) {
        elf::ET_EXEC | elf::ET_DYN => {}
        t => {
            let kind = match t {
                elf::ET_NONE => "file of no type (ET_NONE)".to_string(),
                elf::ET_REL => "relocatable object (ET_REL)".to_string(),
                elf::ET_CORE => "core dump (ET_CORE)".to_string(),
                t => format!("file of type {t:#x}"),
            };
            return Err(LoadError::NotExecutable { kind });
        }
    }

    let phdrs = header.program_headers(e, bytes).map_err(|_| LoadError::BadProgramHeaders)?;
    let ram_start = mem.base();
    let ram_end = ram_start.saturating_add(mem.size());
    let mut segments = Vec::new();
    for (index, ph) in phdrs.iter().enumerate() {
        if ph.p_type(e) != elf::PT_LOAD {
            continue;
        }
        let (offset, filesz, memsz) = (ph.p_offset(e), ph.p_filesz(e), ph.p_memsz(e));
        if filesz > memsz {
            return Err(LoadError::SegmentFileszExceedsMemsz { index, filesz, memsz });
        }
        if memsz == 0 {
            continue;
        }
        let data = usize::try_from(offset)
            .ok()
            .zip(usize::try_from(filesz).ok())
            .and_then(|(o, n)| bytes.get(o..o.checked_add(n)?))
            .ok_or(LoadError::SegmentOutsideFile { index, offset, filesz, file_len: bytes.len() })?;
        let start = ph.p_paddr(e);
        let end = start.checked_add(memsz);
        match end {
            Some(end) if start >= ram_start && end <= ram_end => {}
            _ => {
                return Err(LoadError::SegmentOutsideRam {
                    index,
                    start,
                    end: end.unwrap_or(u64::MAX),
                    ram_start,
                    ram_end,
                })
            }
        }
        segments.push(Segment { vaddr: ph.p_vaddr(e), paddr: start, memsz, data });
    }
    if segments.is_empty() {
        return Err(LoadError::NoLoadableSegment);
    }

    const ZEROS: [u8; 4096] = [0; 4096];
    for seg in &segments {
        mem.write(seg.paddr, seg.data);
        let mut at = seg.paddr + seg.data.len() as u64;
        let end = seg.paddr + seg.memsz;
        while at < end {
            let n = (end - at).min(ZEROS.len() as u64);
            mem.write(at, &ZEROS[..n as usize]);
            at += n;
        }
    }

    // Virtual → physical through the loaded segments (identity otherwise).
    let to_phys = |va: u64| {
        segments.iter().find(|s| va >= s.vaddr && va - s.vaddr < s.memsz).map_or(va, |s| s.paddr + (va - s.vaddr))
    };
    let mut loaded = LoadedElf {
        entry: to_phys(header.e_entry(e)),
        load_start: segments.iter().map(|s| s.paddr).min().unwrap_or(0),
        load_end: segments.iter().map(|s| s.paddr + s.memsz).max().unwrap_or(0),
        ..LoadedElf::default()
    };
    read_symbols(header, bytes, &mut loaded);
    loaded.tohost = loaded.tohost.map(to_phys);
    loaded.fromhost = loaded.fromhost.map(to_phys);
    loaded.signature = loaded.signature.map(|r| to_phys(r.start)..to_phys(r.end));
    Ok(loaded)
}

/// Fills `symbols`, `tohost`, `fromhost` and `signature` (virtual
/// addresses) from the symbol table. A missing or malformed table is not
/// an error.
fn read_symbols(header: &elf::FileHeader64<LittleEndian>, bytes: &[u8], out: &mut LoadedElf) {
    let e = LittleEndian;
    let Ok(sections) = header.sections(e, bytes) else {
        return;
    };
    let Ok(symtab) = sections.symbols(e, bytes, elf::SHT_SYMTAB) else {
        return;
    };
    let (mut begin_signature, mut end_signature) = (None, None);
    for sym in symtab.iter() {
        let shndx = sym.st_shndx(e);
        if shndx == elf::SHN_UNDEF {
            continue;
        }
        let Ok(name) = symtab.symbol_name(e, sym) else {
            continue;
        };
        let Ok(name) = std::str::from_utf8(name) else {
            continue;
        };
        let value = sym.st_value(e);
        match name {
            "tohost" => out.tohost = Some(value),
            "fromhost" => out.fromhost = Some(value),
            "begin_signature" => begin_signature = Some(value),
            "end_signature" => end_signature = Some(value),
            _ => {}
        }
        let is_code = match sym.st_type() {
            elf::STT_FUNC | elf::STT_GNU_IFUNC => true,
            elf::STT_NOTYPE => {
                !name.is_empty()
                    && !name.starts_with('$')
                    && !name.starts_with(".L")
                    && sections
                        .section(object::SectionIndex(usize::from(shndx)))
                        .is_ok_and(|s| s.sh_flags(e) & u64::from(elf::SHF_EXECINSTR) != 0)
            }
            _ => false,
        };
        if is_code && !name.is_empty() {
            out.symbols.push((value, sym.st_size(e), name.to_string()));
        }
    }
    out.symbols.sort();
    out.symbols.dedup();
    if let (Some(begin), Some(end)) = (begin_signature, end_signature) {
        out.signature = Some(begin..end);
    }
}

/// Loads a raw binary image at guest physical `addr`; returns the loaded
/// range `(start, end)` with `end` exclusive.
///
/// # Errors
///
/// [`LoadError::RawOutsideRam`] if `[addr, addr + bytes.len())` is not
/// inside RAM.
pub fn load_raw(bytes: &[u8], addr: u64, mem: &mut dyn GuestRam) -> Result<(u64, u64), LoadError> {
    let ram_start = mem.base();
    let ram_end = ram_start.saturating_add(mem.size());
    let end = addr.checked_add(bytes.len() as u64);
    match end {
        Some(end) if addr >= ram_start && end <= ram_end => {
            mem.write(addr, bytes);
            Ok((addr, end))
        }
        _ => Err(LoadError::RawOutsideRam { start: addr, end: end.unwrap_or(u64::MAX), ram_start, ram_end }),
    }
}
