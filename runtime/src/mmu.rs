//! Address translation: Sv39/Sv48/Sv57 page walks with hardware A/D
//! updates, PMP checks, and a per-hart TLB that caches the result together
//! with the permissions the current mode has on the page.

use std::sync::atomic::Ordering;

use crate::hart::{cause, mstatus, HartState, Privilege};
use crate::memory::GuestMemory;
use crate::pmp::{self, Perms};

/// Kinds of memory access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Instruction fetch.
    Fetch,
    /// Load (and LR).
    Load,
    /// Store, SC and AMO.
    Store,
}

impl Access {
    fn need(self) -> Perms {
        match self {
            Access::Fetch => pmp::access::EXEC,
            Access::Load => pmp::access::READ,
            Access::Store => pmp::access::WRITE,
        }
    }

    /// The access-fault cause of this kind.
    pub fn access_fault(self) -> u64 {
        match self {
            Access::Fetch => cause::FETCH_ACCESS,
            Access::Load => cause::LOAD_ACCESS,
            Access::Store => cause::STORE_ACCESS,
        }
    }

    /// The page-fault cause of this kind.
    pub fn page_fault(self) -> u64 {
        match self {
            Access::Fetch => cause::FETCH_PAGE_FAULT,
            Access::Load => cause::LOAD_PAGE_FAULT,
            Access::Store => cause::STORE_PAGE_FAULT,
        }
    }

    /// The address-misaligned cause of this kind.
    pub fn misaligned(self) -> u64 {
        match self {
            Access::Fetch => cause::FETCH_MISALIGNED,
            Access::Load => cause::LOAD_MISALIGNED,
            Access::Store => cause::STORE_MISALIGNED,
        }
    }
}

/// A synchronous exception: cause and trap value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exception {
    /// The exception code (`mcause` without the interrupt bit).
    pub cause: u64,
    /// The trap value (`mtval`/`stval`).
    pub tval: u64,
}

/// Entries per privilege level: enough for a few MiB working set without
/// thrashing, small enough that a flush (satp, sfence.vma) stays cheap.
const TLB_SETS: usize = 1024;

/// Set in a tag whose entry does not grant that access (a virtual page
/// number never has it: it is at most 52 bits wide).
const DENIED: u64 = 1 << 63;
const INVALID: u64 = u64::MAX;
// Neither an empty tag nor a denied one equals a page number (52 bits).
const _: () = assert!(INVALID & !DENIED > u64::MAX >> 12 && DENIED > u64::MAX >> 12);

/// One privilege level's cached pages, field by field: entry `set` is the
/// `set`th element of each array. Loads and stores compare a single tag
/// each, which holds the page number only when the access is allowed, so
/// generated code needs one comparison per access, not a tag and a
/// permission check; and it reaches the tag and the addend with the set
/// number scaled by 8 in the addressing mode, not through an entry
/// address it would have to compute first.
#[repr(C)]
struct TlbLevel {
    /// Virtual page numbers, `| DENIED` if loads may not use the entry;
    /// INVALID when the entry is empty.
    tag_read: [u64; TLB_SETS],
    /// Likewise for stores, and denied while the page is flagged (holds
    /// cached code or a watched word): stores to it take the slow path.
    tag_write: [u64; TLB_SETS],
    /// Host address of the page minus its virtual address.
    addend: [usize; TLB_SETS],
    /// Physical address of the page, with the R/W/X permissions of the
    /// mode the entry was filled for in its low bits.
    pa_perms: [u64; TLB_SETS],
}

const EMPTY_LEVEL: TlbLevel = TlbLevel {
    tag_read: [INVALID; TLB_SETS],
    tag_write: [INVALID; TLB_SETS],
    addend: [0; TLB_SETS],
    pa_perms: [0; TLB_SETS],
};

/// The set caching virtual page `vpn`.
fn set_of(vpn: u64) -> usize {
    (vpn as usize) & (TLB_SETS - 1)
}

impl TlbLevel {
    /// Whether entry `set` holds `vpn` and grants `need`.
    #[inline(always)]
    fn grants(&self, set: usize, vpn: u64, need: Perms) -> bool {
        self.tag_read[set] & !DENIED == vpn && (self.pa_perms[set] as Perms) & need != 0
    }

    /// Physical address of entry `set`'s page.
    fn pa_page(&self, set: usize) -> u64 {
        self.pa_perms[set] & !0xfff
    }

    /// Empties every entry: no tag matches any more (the other fields
    /// are read only behind a matching tag).
    fn clear(&mut self) {
        self.tag_read.fill(INVALID);
        self.tag_write.fill(INVALID);
    }
}

/// Per-hart translation cache, one direct-mapped table per privilege level.
pub(crate) struct Tlb {
    levels: Box<[TlbLevel; 3]>,
    /// The memory's `flag_epoch` when flagged pages last lost their store
    /// tags here.
    flag_epoch: u64,
}

/// The TLB's shape as generated code sees it (levels U, S, M in order).
pub(crate) fn jit_tlb_layout() -> hartvm_jit::TlbLayout {
    hartvm_jit::TlbLayout {
        sets: TLB_SETS as u32,
        level_size: std::mem::size_of::<TlbLevel>() as u32,
        tag_read: std::mem::offset_of!(TlbLevel, tag_read) as i32,
        tag_write: std::mem::offset_of!(TlbLevel, tag_write) as i32,
        addend: std::mem::offset_of!(TlbLevel, addend) as i32,
    }
}

fn level_index(p: Privilege) -> usize {
    match p {
        Privilege::User => 0,
        Privilege::Supervisor => 1,
        Privilege::Machine => 2,
    }
}

impl Tlb {
    pub(crate) fn new() -> Tlb {
        Tlb { levels: Box::new([EMPTY_LEVEL; 3]), flag_epoch: 0 }
    }

    /// Address of the first level, for generated code.
    pub(crate) fn as_ptr(&self) -> *const u8 {
        self.levels.as_ptr() as *const u8
    }

    /// Drops every cached translation.
    pub(crate) fn flush(&mut self, mem: &GuestMemory) {
        // An entry dropped with a store tag its page's flag has outdated
        // would take the evidence of stores through it along.
        self.sync_flags(mem);
        for level in self.levels.iter_mut() {
            level.clear();
        }
    }

    /// Host pointer for `va` if the TLB grants `need` at level `p`.
    #[inline(always)]
    pub(crate) fn lookup(&self, p: Privilege, va: u64, need: Perms) -> Option<*mut u8> {
        let (vpn, level) = (va >> 12, &self.levels[level_index(p)]);
        let set = set_of(vpn);
        level.grants(set, vpn, need).then(|| level.addend[set].wrapping_add(va as usize) as *mut u8)
    }

    /// Physical address for `va` if the TLB grants `need` at level `p`.
    #[inline]
    pub(crate) fn lookup_pa(&self, p: Privilege, va: u64, need: Perms) -> Option<u64> {
        let (vpn, level) = (va >> 12, &self.levels[level_index(p)]);
        let set = set_of(vpn);
        level.grants(set, vpn, need).then_some(level.pa_page(set) | (va & 0xfff))
    }

    fn insert(&mut self, mem: &GuestMemory, p: Privilege, va: u64, pa_page: u64, host_page: usize, perms: Perms) {
        // The entry replaced may hold an outdated store tag (see `flush`).
        self.sync_flags(mem);
        let vpn = va >> 12;
        let tag = |allowed: bool| if allowed { vpn } else { vpn | DENIED };
        let flagged = mem.is_flagged(pa_page);
        let (level, set) = (&mut self.levels[level_index(p)], set_of(vpn));
        level.tag_read[set] = tag(perms & pmp::access::READ != 0);
        level.tag_write[set] = tag(perms & pmp::access::WRITE != 0 && !flagged);
        level.addend[set] = host_page.wrapping_sub((vpn << 12) as usize);
        level.pa_perms[set] = pa_page | perms as u64;
    }

    /// Gives the entry for `va` at level `p` its store tag back if it
    /// grants stores and its page is no longer flagged (a store to it took
    /// the slow path, which cleared the flag).
    fn allow_write(&mut self, mem: &GuestMemory, p: Privilege, va: u64) {
        let vpn = va >> 12;
        let (level, set) = (&mut self.levels[level_index(p)], set_of(vpn));
        if level.grants(set, vpn, pmp::access::WRITE) && !mem.is_flagged(level.pa_page(set)) {
            level.tag_write[set] = vpn;
        }
    }

    /// Takes store permission away from the entries of pages that gained
    /// a flag since the last call (any hart may flag a page), so
    /// translated code, which stores through `tag_write` without reading
    /// the flags, leaves stores to them to the slow path. The hart calls
    /// this where it flags a page itself and between blocks: translated
    /// code of another hart may store to a page in the meantime, as a
    /// store of another hart to code may land after a real hart fetched
    /// it; `fence.i` settles both (see `Core::jit_fence_i`).
    ///
    /// Taking a store tag away tells `mem` that stores may have gone
    /// through it after the page was flagged (`note_unseen_stores`). Every
    /// entry is looked at before it is dropped (`flush`, `insert`), so no
    /// such store goes unnoted.
    #[inline]
    pub(crate) fn sync_flags(&mut self, mem: &GuestMemory) {
        let epoch = mem.flag_epoch();
        if epoch == self.flag_epoch {
            return;
        }
        self.flag_epoch = epoch;
        if self.deny_flagged_writes(mem) {
            mem.note_unseen_stores();
        }
    }

    /// The memory's `flag_epoch` at the last `sync_flags`.
    pub(crate) fn flag_epoch(&self) -> u64 {
        self.flag_epoch
    }

    #[cold]
    fn deny_flagged_writes(&mut self, mem: &GuestMemory) -> bool {
        let mut denied = false;
        for level in self.levels.iter_mut() {
            for set in 0..TLB_SETS {
                if level.tag_write[set] & DENIED == 0 && mem.is_flagged(level.pa_page(set)) {
                    level.tag_write[set] |= DENIED;
                    denied = true;
                }
            }
        }
        denied
    }
}

mod pte {
    pub const V: u64 = 1 << 0;
    pub const R: u64 = 1 << 1;
    pub const W: u64 = 1 << 2;
    pub const X: u64 = 1 << 3;
    pub const U: u64 = 1 << 4;
    pub const A: u64 = 1 << 6;
    pub const D: u64 = 1 << 7;
    /// N, PBMT and reserved bits: hartvm implements neither Svnapot nor Svpbmt.
    pub const RESERVED: u64 = 0x3ff << 54;
    pub const PPN_SHIFT: u32 = 10;
    pub const PPN_MASK: u64 = (1 << 44) - 1;
}

/// Physical addresses are 56 bits wide.
const PA_LIMIT: u64 = 1 << 56;

/// The result of a translation: physical address plus what may be cached.
struct Translation {
    pa: u64,
    /// Permissions of the level on the whole page (page-table ∩ PMP),
    /// or `None` when the page must not be cached.
    page_perms: Option<Perms>,
}

impl HartState {
    /// The privilege an access of this kind is checked at.
    #[inline]
    pub(crate) fn access_privilege(&self, access: Access) -> Privilege {
        if access == Access::Fetch {
            self.privilege
        } else {
            self.data_privilege()
        }
    }

    /// Translates `va` for an access of `len` bytes (which must not cross a
    /// page) and checks PMP. Fills the TLB when the page is RAM.
    pub(crate) fn translate(&mut self, mem: &GuestMemory, va: u64, len: u64, access: Access) -> Result<u64, Exception> {
        let p = self.access_privilege(access);
        let need = access.need();
        if let Some(pa) = self.tlb.lookup_pa(p, va, need) {
            if access == Access::Store {
                self.tlb.allow_write(mem, p, va);
            }
            return Ok(pa);
        }
        let t = self.walk(mem, va, access, p)?;
        if t.pa >= PA_LIMIT {
            return Err(Exception { cause: access.access_fault(), tval: va });
        }
        if !self.pmp.allows(t.pa, len, p, need) {
            return Err(Exception { cause: access.access_fault(), tval: va });
        }
        let pa_page = t.pa & !0xfff;
        if let (Some(perms), Some(host)) = (t.page_perms, mem.host_ptr(pa_page, 4096)) {
            let perms = perms & self.pmp.page_perms(pa_page, p).unwrap_or(0);
            if perms & need != 0 {
                self.tlb.insert(mem, p, va, pa_page, host as usize, perms);
            }
        }
        Ok(t.pa)
    }

    fn satp_mode_levels(&self, p: Privilege) -> Option<u32> {
        if p == Privilege::Machine {
            return None;
        }
        match self.csr.satp >> 60 {
            8 => Some(3),
            9 => Some(4),
            10 => Some(5),
            _ => None,
        }
    }

    fn walk(&mut self, mem: &GuestMemory, va: u64, access: Access, p: Privilege) -> Result<Translation, Exception> {
        let page_fault = Exception { cause: access.page_fault(), tval: va };
        let access_fault = Exception { cause: access.access_fault(), tval: va };
        let Some(levels) = self.satp_mode_levels(p) else {
            return Ok(Translation { pa: va, page_perms: Some(pmp::RWX) });
        };
        let va_bits = 12 + 9 * levels;
        let high = (va as i64) >> (va_bits - 1);
        if high != 0 && high != -1 {
            return Err(page_fault);
        }
        'restart: loop {
            let mut table = (self.csr.satp & pte::PPN_MASK) << 12;
            let mut level = levels - 1;
            loop {
                let vpn = (va >> (12 + 9 * level)) & 0x1ff;
                let pte_addr = table + vpn * 8;
                if !self.pmp.allows(pte_addr, 8, Privilege::Supervisor, pmp::access::READ) {
                    return Err(access_fault);
                }
                let Some(slot) = mem.atomic_u64(pte_addr) else { return Err(access_fault) };
                let entry = slot.load(Ordering::Relaxed);
                if entry & pte::V == 0 || entry & (pte::R | pte::W) == pte::W || entry & pte::RESERVED != 0 {
                    return Err(page_fault);
                }
                let ppn = (entry >> pte::PPN_SHIFT) & pte::PPN_MASK;
                if entry & (pte::R | pte::X) == 0 {
                    if level == 0 {
                        return Err(page_fault);
                    }
                    level -= 1;
                    table = ppn << 12;
                    continue;
                }
                let perms = self.leaf_perms(entry, p);
                if perms & access.need() == 0 {
                    return Err(page_fault);
                }
                let low_ppn_mask = (1u64 << (9 * level)) - 1;
                if ppn & low_ppn_mask != 0 {
                    return Err(page_fault);
                }
                let mut want = entry | pte::A;
                if access == Access::Store {
                    want |= pte::D;
                }
                if want != entry && slot.compare_exchange(entry, want, Ordering::AcqRel, Ordering::Relaxed).is_err() {
                    continue 'restart;
                }
                let mut cached = perms;
                if want & pte::D == 0 {
                    cached &= !pmp::access::WRITE;
                }
                let page_ppn = ppn | ((va >> 12) & low_ppn_mask);
                let pa = (page_ppn << 12) | (va & 0xfff);
                return Ok(Translation { pa, page_perms: Some(cached) });
            }
        }
    }

    /// What privilege `p` may do on a leaf PTE under the current SUM/MXR.
    fn leaf_perms(&self, entry: u64, p: Privilege) -> Perms {
        let user_page = entry & pte::U != 0;
        let s = self.csr.mstatus;
        let mut r = entry & pte::R != 0 || (s & mstatus::MXR != 0 && entry & pte::X != 0);
        let mut w = entry & pte::W != 0;
        let mut x = entry & pte::X != 0;
        match p {
            Privilege::User if !user_page => return 0,
            Privilege::Supervisor if user_page => {
                x = false;
                if s & mstatus::SUM == 0 {
                    r = false;
                    w = false;
                }
            }
            _ => {}
        }
        ((r as u8) * pmp::access::READ) | ((w as u8) * pmp::access::WRITE) | ((x as u8) * pmp::access::EXEC)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pmp::access::{EXEC, READ, WRITE};

    const VA: u64 = 0xffff_ffc0_1234_5678;
    const PA_PAGE: u64 = 0x8065_4000;

    fn memory() -> GuestMemory {
        GuestMemory::new(0x8000_0000, 16 << 20).unwrap()
    }

    fn tlb_with(perms: Perms) -> Tlb {
        let mut tlb = Tlb::new();
        tlb.insert(&memory(), Privilege::Supervisor, VA, PA_PAGE, 0x10_0000, perms);
        tlb
    }

    #[test]
    fn an_entry_grants_only_its_permissions() {
        let tlb = tlb_with(READ | EXEC);
        let s = Privilege::Supervisor;
        assert_eq!(tlb.lookup_pa(s, VA, READ), Some(PA_PAGE | 0x678));
        assert_eq!(tlb.lookup_pa(s, VA, EXEC), Some(PA_PAGE | 0x678));
        assert_eq!(tlb.lookup_pa(s, VA, WRITE), None);
        assert_eq!(tlb.lookup(s, VA, READ), Some((0x10_0000 + 0x678) as *mut u8));
        assert_eq!(tlb.lookup(Privilege::User, VA, READ), None, "levels are separate");
        assert_eq!(tlb.lookup(s, VA + 0x1000, READ), None, "the next page");
    }

    #[test]
    fn generated_code_compares_one_tag_per_access() {
        let vpn = VA >> 12;
        let tags = |tlb: &Tlb| (tlb.levels[1].tag_read[set_of(vpn)], tlb.levels[1].tag_write[set_of(vpn)]);
        let (read, write) = tags(&tlb_with(READ | WRITE));
        assert_eq!((read, write), (vpn, vpn));
        let (read, write) = tags(&tlb_with(EXEC));
        assert!(read != vpn && write != vpn, "no data access to an execute-only page");
        assert_eq!(read & !DENIED, vpn, "the interpreter still finds it for fetches");
        // A misaligned access's key (see `tlb_address` in the JIT) has bits
        // above any page number's, so it never equals a tag either.
        let misaligned_key = (VA | 1).rotate_right(3) >> 9;
        assert!(misaligned_key != vpn && misaligned_key & DENIED == 0);
    }

    #[test]
    fn a_flushed_entry_matches_nothing() {
        let mut tlb = tlb_with(READ | WRITE | EXEC);
        tlb.flush(&memory());
        for need in [READ, WRITE, EXEC] {
            assert_eq!(tlb.lookup_pa(Privilege::Supervisor, VA, need), None);
        }
    }

    #[test]
    fn stores_to_a_flagged_page_lose_their_tag_until_it_is_cleared() {
        let mem = memory();
        let (s, vpn) = (Privilege::Supervisor, VA >> 12);
        let mut tlb = Tlb::new();
        tlb.insert(&mem, s, VA, PA_PAGE, 0x10_0000, READ | WRITE);
        let tag_write = |tlb: &Tlb| tlb.levels[1].tag_write[set_of(vpn)];
        assert_eq!(tag_write(&tlb), vpn);

        // Another page gaining a flag leaves the entry alone.
        mem.mark_code(PA_PAGE + 0x1000);
        tlb.sync_flags(&mem);
        assert_eq!(tag_write(&tlb), vpn);

        mem.mark_code(PA_PAGE);
        assert_eq!(tag_write(&tlb), vpn, "until the hart syncs");
        tlb.sync_flags(&mem);
        assert_ne!(tag_write(&tlb), vpn, "translated code's stores now take the slow path");
        assert_eq!(tlb.lookup_pa(s, VA, WRITE), Some(PA_PAGE | 0x678), "which still finds the page");

        tlb.allow_write(&mem, s, VA);
        assert_ne!(tag_write(&tlb), vpn, "not while the page is flagged");
        assert!(mem.take_code_page(PA_PAGE));
        tlb.allow_write(&mem, s, VA);
        assert_eq!(tag_write(&tlb), vpn, "the slow path gives it back");

        mem.mark_watch(PA_PAGE + 8);
        tlb.insert(&mem, s, VA, PA_PAGE, 0x10_0000, READ | WRITE);
        assert_ne!(tag_write(&tlb), vpn, "an entry filled for a flagged page has none");
    }

    #[test]
    fn a_store_tag_outdated_by_a_flag_is_noted_however_the_entry_goes() {
        let s = Privilege::Supervisor;
        // Another page in the same set, so inserting it replaces the entry.
        const SAME_SET: u64 = VA + (TLB_SETS as u64) * 4096;
        type Go = fn(&mut Tlb, &GuestMemory);
        let ways_to_go: [(&str, Go); 3] = [
            ("synced", |tlb, mem| tlb.sync_flags(mem)),
            ("flushed", |tlb, mem| tlb.flush(mem)),
            ("replaced", |tlb, mem| tlb.insert(mem, Privilege::Supervisor, SAME_SET, 0x8000_0000, 0x20_0000, READ)),
        ];
        for (how, go) in ways_to_go {
            let mem = memory();
            let mut tlb = Tlb::new();
            tlb.insert(&mem, s, VA, PA_PAGE, 0x10_0000, READ | WRITE);
            // Stores may go through the tag until the hart looks at the flags.
            mem.mark_code(PA_PAGE);
            go(&mut tlb, &mem);
            assert_eq!(mem.unseen_stores(), 1, "{how}");
            assert_eq!(tlb.flag_epoch(), mem.flag_epoch(), "{how}");
        }
        // A tag taken before the page was flagged went nowhere.
        let mem = memory();
        let mut tlb = Tlb::new();
        tlb.insert(&mem, s, VA, PA_PAGE, 0x10_0000, READ);
        mem.mark_code(PA_PAGE);
        tlb.flush(&mem);
        assert_eq!(mem.unseen_stores(), 0, "no store tag, no stores");
    }
}
