//! Guest RAM: one anonymous host mapping shared by every vCPU thread.
//!
//! Every access is bounds-checked against the mapping before a host pointer
//! is formed, so no guest address can make the host touch memory outside
//! guest RAM. Aligned accesses use relaxed host atomics: guest harts on
//! different host threads may race on the same words, which must not be
//! undefined behaviour on the host side.

use std::sync::atomic::{AtomicU16, AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::{Mutex, OnceLock};

use std::ptr::NonNull;

/// Physical base address of guest RAM on the QEMU `virt` machine.
pub const RAM_BASE: u64 = 0x8000_0000;

/// Size of a guest page, the unit of code tracking.
pub const PAGE_SIZE: u64 = 4096;

/// Bits of the per-page flags that divert stores to the slow path.
pub(crate) mod page_flag {
    /// Decoded blocks were cached from this page: a store invalidates them.
    pub const CODE: u8 = 1;
    /// The page holds a watched word (HTIF `tohost`).
    pub const WATCH: u8 = 2;
}

/// A write into RAM by the VMM: address and bytes.
pub(crate) type VmmWrite = (u64, Vec<u8>);

/// Guest physical memory (RAM only; devices are reached through exits).
pub struct GuestMemory {
    base: u64,
    size: u64,
    map: HostMapping,
    page_flags: PageFlags,
    /// Bumped whenever a page holding cached code is written: every hart
    /// drops decoded blocks it cached before the bump.
    code_epoch: AtomicU64,
    /// Bumped whenever a page gains a flag: every hart then takes store
    /// permission away from the TLB entries of flagged pages, through
    /// which translated code would store without looking at the flags
    /// (see `Tlb::deny_flagged_writes`).
    flag_epoch: AtomicU64,
    /// Bumped when a hart took a store tag back from its TLB for a page
    /// flagged after the entry was filled: if another hart flagged it, the
    /// hart may have stored to the page through the tag unseen in
    /// between, so the next multi-hart `fence.i` of each hart drops its
    /// decoded blocks. (A page the hart flagged itself counts too: it
    /// cannot tell the two apart, and counting more only drops more.)
    unseen_stores: AtomicU64,
    /// Drops the translations of a physical page (by page number), for
    /// writes that are not a vCPU's stores (see [`GuestMemory::write`]).
    code_overwritten: OnceLock<Box<dyn Fn(u64) + Send + Sync>>,
    /// Writes through [`GuestMemory::write`] since last taken, when
    /// recorded (`--engine difftest` hands them to its shadow VM).
    vmm_writes: Option<Mutex<Vec<VmmWrite>>>,
}

/// Errors creating guest memory.
#[derive(Debug, thiserror::Error)]
pub enum MemoryError {
    /// The size is zero, not page aligned, or does not fit the address space.
    #[error("invalid guest memory size {0:#x}: must be a non-zero multiple of 4 KiB below 512 GiB")]
    InvalidSize(u64),
    /// The host refused the mapping.
    #[error("cannot map {size:#x} bytes of guest memory: {source}")]
    Map {
        /// The size requested.
        size: u64,
        /// The host error.
        source: std::io::Error,
    },
}

impl GuestMemory {
    /// Maps `size` bytes of zeroed RAM at guest physical address `base`.
    pub fn new(base: u64, size: u64) -> Result<GuestMemory, MemoryError> {
        if size == 0 || !size.is_multiple_of(PAGE_SIZE) || size > (512 << 30) {
            return Err(MemoryError::InvalidSize(size));
        }
        let map = HostMapping::new(size as usize, base, 0).map_err(|source| MemoryError::Map { size, source })?;
        let page_flags =
            PageFlags::new((size / PAGE_SIZE) as usize).map_err(|source| MemoryError::Map { size, source })?;
        Ok(GuestMemory {
            base,
            size,
            map,
            page_flags,
            code_epoch: AtomicU64::new(0),
            flag_epoch: AtomicU64::new(0),
            unseen_stores: AtomicU64::new(0),
            code_overwritten: OnceLock::new(),
            vmm_writes: None,
        })
    }

    /// Guest physical address of the first byte of RAM.
    pub fn base(&self) -> u64 {
        self.base
    }

    /// Size of RAM in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Whether `[addr, addr + len)` lies entirely in RAM.
    #[inline]
    pub fn contains(&self, addr: u64, len: u64) -> bool {
        let off = addr.wrapping_sub(self.base);
        off < self.size && len <= self.size - off
    }

    /// Host pointer to the guest byte at `addr`, if `[addr, addr+len)` is RAM.
    #[inline]
    pub(crate) fn host_ptr(&self, addr: u64, len: u64) -> Option<*mut u8> {
        if self.contains(addr, len) {
            // SAFETY: the offset was just checked to lie inside the mapping.
            Some(unsafe { self.map.ptr.as_ptr().add((addr - self.base) as usize) })
        } else {
            None
        }
    }

    /// Host address of the first byte of RAM (for TLB addends).
    #[inline]
    pub(crate) fn host_base(&self) -> usize {
        self.map.ptr.as_ptr() as usize
    }

    /// Copies guest RAM at `addr` into `buf`; false if any byte is outside RAM.
    pub fn read(&self, addr: u64, buf: &mut [u8]) -> bool {
        let Some(p) = self.host_ptr(addr, buf.len() as u64) else { return false };
        for (i, b) in buf.iter_mut().enumerate() {
            // SAFETY: `p..p+len` is inside the mapping (checked by host_ptr);
            // atomics make concurrent guest writers harmless.
            *b = unsafe { (*(p.add(i) as *const AtomicU8)).load(Ordering::Relaxed) };
        }
        true
    }

    /// Copies `buf` into guest RAM at `addr`; false if any byte is outside RAM.
    /// Writes through here come from the VMM (loader, devices); decoded code
    /// cached from the written pages is dropped by every vCPU before it runs
    /// that code again, and translations of them at once.
    pub fn write(&self, addr: u64, buf: &[u8]) -> bool {
        if !self.store_bytes(addr, buf) {
            return false;
        }
        if let Some(log) = &self.vmm_writes {
            log.lock().unwrap_or_else(|e| e.into_inner()).push((addr, buf.to_vec()));
        }
        if !buf.is_empty() {
            let first = (addr - self.base) / PAGE_SIZE;
            let last = (addr - self.base + buf.len() as u64 - 1) / PAGE_SIZE;
            for page in first..=last {
                let old = self.page_flags.as_slice()[page as usize].fetch_and(!page_flag::CODE, Ordering::Relaxed);
                if old & page_flag::CODE != 0 {
                    if let Some(drop_translations) = self.code_overwritten.get() {
                        drop_translations(self.base / PAGE_SIZE + page);
                    }
                    self.bump_code_epoch();
                }
            }
        }
        true
    }

    /// Records writes through [`GuestMemory::write`] from now on (see
    /// [`GuestMemory::take_vmm_writes`]).
    pub(crate) fn record_vmm_writes(&mut self) {
        self.vmm_writes = Some(Mutex::new(Vec::new()));
    }

    /// The writes through [`GuestMemory::write`] recorded since the last
    /// call, oldest first, as (address, bytes).
    pub(crate) fn take_vmm_writes(&self) -> Vec<VmmWrite> {
        self.vmm_writes
            .as_ref()
            .map_or_else(Vec::new, |log| std::mem::take(&mut *log.lock().unwrap_or_else(|e| e.into_inner())))
    }

    /// Has `f` drop the translations of a page (given by its physical page
    /// number) that [`GuestMemory::write`] overwrote; set once, by the VM.
    pub(crate) fn on_code_overwritten(&self, f: impl Fn(u64) + Send + Sync + 'static) {
        let _ = self.code_overwritten.set(Box::new(f));
    }

    /// Copies `buf` into guest RAM at `addr` for a guest store, leaving
    /// the page flags alone: the caller looks at them after (code tracking
    /// must see the code flag that [`GuestMemory::write`] would clear);
    /// false if any byte is outside RAM.
    pub(crate) fn store_bytes(&self, addr: u64, buf: &[u8]) -> bool {
        let Some(p) = self.host_ptr(addr, buf.len() as u64) else { return false };
        for (i, b) in buf.iter().enumerate() {
            // SAFETY: as in `read`.
            unsafe { (*(p.add(i) as *const AtomicU8)).store(*b, Ordering::Relaxed) };
        }
        true
    }

    /// Loads `size` (1, 2, 4, 8) bytes from `p`, which is `size`-aligned.
    ///
    /// # Safety
    /// `p..p+size` must lie inside the mapping and `p` must be aligned.
    #[inline(always)]
    pub(crate) unsafe fn load_aligned(p: *const u8, size: usize) -> u64 {
        // SAFETY: in range and aligned, as the caller guarantees.
        unsafe {
            match size {
                1 => (*(p as *const AtomicU8)).load(Ordering::Relaxed) as u64,
                2 => (*(p as *const AtomicU16)).load(Ordering::Relaxed) as u64,
                4 => (*(p as *const AtomicU32)).load(Ordering::Relaxed) as u64,
                _ => (*(p as *const AtomicU64)).load(Ordering::Relaxed),
            }
        }
    }

    /// Stores `size` bytes of `v` at `p`, which is `size`-aligned.
    ///
    /// # Safety
    /// `p..p+size` must lie inside the mapping and `p` must be aligned.
    #[inline(always)]
    pub(crate) unsafe fn store_aligned(p: *mut u8, size: usize, v: u64) {
        // SAFETY: in range and aligned, as the caller guarantees.
        unsafe {
            match size {
                1 => (*(p as *const AtomicU8)).store(v as u8, Ordering::Relaxed),
                2 => (*(p as *const AtomicU16)).store(v as u16, Ordering::Relaxed),
                4 => (*(p as *const AtomicU32)).store(v as u32, Ordering::Relaxed),
                _ => (*(p as *const AtomicU64)).store(v, Ordering::Relaxed),
            }
        }
    }

    /// The page-flag byte of the RAM page holding `addr` (which must be RAM).
    #[inline]
    pub(crate) fn page_flags(&self, addr: u64) -> &AtomicU8 {
        &self.page_flags.as_slice()[((addr - self.base) / PAGE_SIZE) as usize]
    }

    /// Whether the page holding `addr` (which must be RAM) has any flag:
    /// stores to it must take the slow path.
    #[inline]
    pub(crate) fn is_flagged(&self, addr: u64) -> bool {
        self.page_flags(addr).load(Ordering::Acquire) != 0
    }

    /// Marks the page holding `addr` as containing cached code.
    pub(crate) fn mark_code(&self, addr: u64) {
        self.set_flag(addr, page_flag::CODE);
    }

    /// Marks the page holding `addr` as holding a watched word.
    pub(crate) fn mark_watch(&self, addr: u64) {
        self.set_flag(addr, page_flag::WATCH);
    }

    fn set_flag(&self, addr: u64, flag: u8) {
        if self.page_flags(addr).fetch_or(flag, Ordering::AcqRel) & flag == 0 {
            self.flag_epoch.fetch_add(1, Ordering::AcqRel);
        }
    }

    /// Records that stores may have gone unseen (see `unseen_stores`).
    pub(crate) fn note_unseen_stores(&self) {
        self.unseen_stores.fetch_add(1, Ordering::AcqRel);
    }

    /// How many times stores may have gone unseen.
    pub(crate) fn unseen_stores(&self) -> u64 {
        self.unseen_stores.load(Ordering::Acquire)
    }

    /// How many times a page has gained a flag (see `flag_epoch`).
    #[inline]
    pub(crate) fn flag_epoch(&self) -> u64 {
        self.flag_epoch.load(Ordering::Acquire)
    }

    /// Clears the CODE flag of the page holding `addr`; true if it was set.
    pub(crate) fn take_code_page(&self, addr: u64) -> bool {
        self.page_flags(addr).fetch_and(!page_flag::CODE, Ordering::Relaxed) & page_flag::CODE != 0
    }

    /// Where the page flags live, for the store fast path (see `RamView`).
    pub(crate) fn page_flags_ptr(&self) -> *const AtomicU8 {
        self.page_flags.as_slice().as_ptr()
    }

    /// The current code epoch.
    #[inline]
    pub(crate) fn code_epoch(&self) -> u64 {
        self.code_epoch.load(Ordering::Acquire)
    }

    /// Announces that cached code may be stale; returns the epoch before.
    pub(crate) fn bump_code_epoch(&self) -> u64 {
        self.code_epoch.fetch_add(1, Ordering::AcqRel)
    }

    /// The atomic u32 at `addr` (aligned, in RAM) for AMOs.
    #[inline]
    pub(crate) fn atomic_u32(&self, addr: u64) -> Option<&AtomicU32> {
        if addr & 3 != 0 {
            return None;
        }
        // SAFETY: in range and 4-byte aligned (the mapping is page aligned);
        // the reference lives no longer than `self`, which owns the mapping.
        self.host_ptr(addr, 4).map(|p| unsafe { &*(p as *const AtomicU32) })
    }

    /// The atomic u64 at `addr` (aligned, in RAM) for AMOs and PTE updates.
    #[inline]
    pub(crate) fn atomic_u64(&self, addr: u64) -> Option<&AtomicU64> {
        if addr & 7 != 0 {
            return None;
        }
        // SAFETY: in range and 8-byte aligned; see `atomic_u32`.
        self.host_ptr(addr, 8).map(|p| unsafe { &*(p as *const AtomicU64) })
    }
}

/// Anonymous, zeroed host memory for guest RAM, placed at the guest's own
/// physical address when the host has that range free (it usually has:
/// 0x8000_0000 lies below where Linux puts a process's mappings). Then a
/// host address is the guest address itself, which saves translated code
/// an addition (or a 64-bit constant) on every access with the MMU off;
/// elsewhere, only that saving is lost. Accesses are bounds-checked
/// against guest RAM either way.
struct HostMapping {
    ptr: NonNull<u8>,
    len: usize,
}

impl HostMapping {
    /// Maps `len` zeroed bytes, at `want` if that is free, with `extra`
    /// mmap flags.
    fn new(len: usize, want: u64, extra: libc::c_int) -> std::io::Result<HostMapping> {
        let hint = usize::try_from(want).unwrap_or(0) as *mut libc::c_void;
        let prot = libc::PROT_READ | libc::PROT_WRITE;
        let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | extra;
        // SAFETY: an anonymous mapping at an address of the kernel's choice
        // (a hint without MAP_FIXED never replaces existing mappings); the
        // result is checked before use.
        let p = unsafe { libc::mmap(hint, len, prot, flags, -1, 0) };
        if p == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        let ptr = NonNull::new(p as *mut u8).ok_or_else(|| std::io::Error::other("mmap returned null"))?;
        Ok(HostMapping { ptr, len })
    }

    /// Whether the mapping lies in the host's low 2 GiB.
    #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
    fn is_low(&self) -> bool {
        self.ptr.as_ptr() as usize + self.len <= 1 << 31
    }
}

impl Drop for HostMapping {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping `new` made; nothing refers to
        // it any more (`GuestMemory` owns it and is being dropped).
        unsafe { libc::munmap(self.ptr.as_ptr() as *mut libc::c_void, self.len) };
    }
}

/// One flag byte per RAM page (see [`page_flag`]). Translated code reads
/// a store's flag byte at the table's address plus the page number; with
/// the table in the host's low 2 GiB that address fits an x86-64
/// instruction's 32-bit displacement, so the load needs no register
/// holding the table's address (nor an instruction loading it).
struct PageFlags {
    map: HostMapping,
    pages: usize,
}

impl PageFlags {
    fn new(pages: usize) -> std::io::Result<PageFlags> {
        let len = pages.next_multiple_of(PAGE_SIZE as usize);
        Ok(PageFlags { map: Self::low(len)?, pages })
    }

    /// A mapping in the low 2 GiB if the host gives one: asked for with
    /// `MAP_32BIT` where Linux has it, else by address hint (valgrind,
    /// for one, ignores `MAP_32BIT`), which the kernel may not honour:
    /// the mapping is then wherever it put it.
    fn low(len: usize) -> std::io::Result<HostMapping> {
        #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
        if let Ok(map) = HostMapping::new(len, 0, libc::MAP_32BIT) {
            if map.is_low() {
                return Ok(map);
            }
        }
        HostMapping::new(len, LOW_HINT, 0)
    }

    fn as_slice(&self) -> &[AtomicU8] {
        // SAFETY: the mapping holds at least `pages` zero-initialised
        // bytes, lives as long as `self`, and is only accessed atomically.
        unsafe { std::slice::from_raw_parts(self.map.ptr.as_ptr() as *const AtomicU8, self.pages) }
    }
}

/// Where to ask for a mapping meant to lie in the low 2 GiB: below the
/// usual guest RAM base (0x8000_0000), above where executables load.
const LOW_HINT: u64 = 0x4000_0000;

// SAFETY: the mapping is plain memory; `GuestMemory` accesses it only
// through atomics or with exclusive access, from any thread.
unsafe impl Send for HostMapping {}
// SAFETY: as above.
unsafe impl Sync for HostMapping {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Translated stores read the flag table by 32-bit displacement only
    /// when it lies in the low 2 GiB (see [`PageFlags`]); the flags work
    /// wherever it lies.
    #[test]
    fn page_flags_lie_low_and_work() {
        let mem = GuestMemory::new(0x8000_0000, 64 << 20).unwrap();
        let table = mem.page_flags_ptr() as usize;
        if cfg!(all(target_arch = "x86_64", target_os = "linux")) {
            assert!(table + (64 << 20) / PAGE_SIZE as usize <= 1 << 31, "table at {table:#x}");
        }
        mem.mark_code(0x8000_1000);
        assert!(mem.is_flagged(0x8000_1234));
        assert!(!mem.is_flagged(0x8000_2000));
        assert!(mem.take_code_page(0x8000_1ffc));
        assert!(!mem.is_flagged(0x8000_1000));
        mem.mark_watch(0x83ff_f000);
        assert!(mem.is_flagged(0x83ff_ffff));
    }
}
