//! Physical memory protection: 16 entries, 4-byte granularity.

use crate::hart::Privilege;

/// Number of implemented PMP entries.
pub const ENTRIES: usize = 16;

const R: u8 = 1;
const W: u8 = 2;
const X: u8 = 4;
const A_SHIFT: u8 = 3;
const L: u8 = 0x80;
/// cfg bits that exist (bits 5 and 6 are reserved, read as zero).
const CFG_MASK: u8 = R | W | X | (3 << A_SHIFT) | L;
/// pmpaddr holds physical address bits 55:2.
const ADDR_MASK: u64 = (1 << 54) - 1;

/// Access permissions as a bit set (read 1, write 2, execute 4).
pub type Perms = u8;
/// Everything allowed.
pub const RWX: Perms = R | W | X;

/// The PMP registers and the ranges they describe.
#[derive(Clone, Debug, Default)]
pub struct Pmp {
    cfg: [u8; ENTRIES],
    addr: [u64; ENTRIES],
    /// Decoded [lo, hi) of each active entry (empty when OFF).
    range: [(u64, u64); ENTRIES],
    /// Whether any entry is active (M-mode accesses need checking: an
    /// access matching an entry only partly fails even in M-mode).
    any_active: bool,
}

impl Pmp {
    /// Reads `pmpcfg<n>` (n even, RV64 packs eight entries per register).
    pub fn read_cfg(&self, n: usize) -> u64 {
        let first = n * 4;
        (0..8)
            .map(|i| first + i)
            .filter(|&e| e < ENTRIES)
            .map(|e| (self.cfg[e] as u64) << (8 * (e - first)))
            .fold(0, |a, b| a | b)
    }

    /// Writes `pmpcfg<n>`; locked entries keep their value.
    pub fn write_cfg(&mut self, n: usize, value: u64) {
        let first = n * 4;
        for i in 0..8 {
            let e = first + i;
            if e >= ENTRIES || self.cfg[e] & L != 0 {
                continue;
            }
            let mut c = (value >> (8 * i)) as u8 & CFG_MASK;
            if c & (R | W) == W {
                c &= !W; // R=0, W=1 is reserved: keep it unreachable.
            }
            self.cfg[e] = c;
        }
        self.recompute();
    }

    /// Reads `pmpaddr<n>`.
    pub fn read_addr(&self, n: usize) -> u64 {
        self.addr.get(n).copied().unwrap_or(0)
    }

    /// Writes `pmpaddr<n>`; ignored when the entry is locked, or when the
    /// next entry is a locked TOR entry (whose lower bound this is).
    pub fn write_addr(&mut self, n: usize, value: u64) {
        if n >= ENTRIES || self.cfg[n] & L != 0 {
            return;
        }
        if n + 1 < ENTRIES && self.cfg[n + 1] & L != 0 && mode(self.cfg[n + 1]) == 1 {
            return;
        }
        self.addr[n] = value & ADDR_MASK;
        self.recompute();
    }

    fn recompute(&mut self) {
        for e in 0..ENTRIES {
            let a = self.addr[e];
            self.range[e] = match mode(self.cfg[e]) {
                0 => (0, 0),
                1 => (if e == 0 { 0 } else { self.addr[e - 1] << 2 }, a << 2),
                2 => (a << 2, (a << 2) + 4),
                _ => {
                    let ones = (!a).trailing_zeros().min(54) as u64;
                    let size = 1u64 << (ones + 3);
                    let lo = (a << 2) & !(size - 1);
                    (lo, lo.saturating_add(size))
                }
            };
        }
        self.any_active = self.range.iter().any(|&(lo, hi)| lo < hi);
    }

    /// Permissions for `[addr, addr + len)` at privilege `p`, or `None`
    /// when the range straddles an entry boundary (which denies the access).
    fn perms(&self, addr: u64, len: u64, p: Privilege) -> Option<Perms> {
        let end = addr.saturating_add(len);
        for e in 0..ENTRIES {
            let (lo, hi) = self.range[e];
            if lo >= hi || end <= lo || addr >= hi {
                continue;
            }
            if addr < lo || end > hi {
                return None;
            }
            let c = self.cfg[e];
            return Some(if p == Privilege::Machine && c & L == 0 { RWX } else { c & RWX });
        }
        Some(if p == Privilege::Machine { RWX } else { 0 })
    }

    /// One entry granting everything to every mode, as firmware sets up
    /// before it hands a hart to a supervisor.
    pub fn allow_all() -> Pmp {
        let mut p = Pmp::default();
        p.write_addr(0, u64::MAX);
        p.write_cfg(0, (3 << A_SHIFT | RWX) as u64);
        p
    }

    /// Whether any entry is active (otherwise M-mode is unrestricted).
    pub fn is_active(&self) -> bool {
        self.any_active
    }

    /// Whether an access of kind `need` (R, W or X bit) is allowed.
    pub fn allows(&self, addr: u64, len: u64, p: Privilege, need: Perms) -> bool {
        if p == Privilege::Machine && !self.any_active {
            return true;
        }
        self.perms(addr, len, p).is_some_and(|g| g & need != 0)
    }

    /// The permissions that hold for every byte of the 4 KiB page at
    /// `page`, if the PMP treats the whole page alike (so a TLB entry may
    /// cache the decision); `None` if entries split the page.
    pub fn page_perms(&self, page: u64, p: Privilege) -> Option<Perms> {
        if p == Privilege::Machine && !self.any_active {
            return Some(RWX);
        }
        self.perms(page, 4096, p)
    }
}

fn mode(cfg: u8) -> u8 {
    (cfg >> A_SHIFT) & 3
}

/// Access-kind bits for [`Pmp::allows`].
pub mod access {
    #![allow(missing_docs)]
    pub const READ: u8 = super::R;
    pub const WRITE: u8 = super::W;
    pub const EXEC: u8 = super::X;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_entries_deny_supervisor_allow_machine() {
        let p = Pmp::default();
        assert!(p.allows(0x8000_0000, 8, Privilege::Machine, R));
        assert!(!p.allows(0x8000_0000, 8, Privilege::Supervisor, R));
    }

    #[test]
    fn napot_all_ones_covers_everything() {
        let mut p = Pmp::default();
        p.write_addr(0, u64::MAX);
        p.write_cfg(0, 0x1f); // NAPOT RWX
        assert!(p.allows(0, 8, Privilege::User, W));
        assert!(p.allows(0xffff_ffff_fff0, 8, Privilege::User, X));
        assert_eq!(p.page_perms(0x8000_0000, Privilege::User), Some(RWX));
    }

    #[test]
    fn allow_all_allows_supervisor_everywhere() {
        let p = Pmp::allow_all();
        assert!(p.allows(0x8000_0000, 8, Privilege::Supervisor, RWX & W));
        assert!(p.allows(0x1000, 4, Privilege::User, X));
        assert_eq!(p.page_perms(0x8000_0000, Privilege::Supervisor), Some(RWX));
    }

    #[test]
    fn tor_range_and_straddling() {
        let mut p = Pmp::default();
        p.write_addr(0, 0x8000_0000 >> 2);
        p.write_addr(1, 0x8000_1000 >> 2);
        p.write_cfg(0, (0x0b_u64) << 8); // entry 1: TOR, R|W
        assert!(p.allows(0x8000_0ff8, 8, Privilege::Supervisor, W));
        assert!(!p.allows(0x8000_0ffc, 8, Privilege::Supervisor, R));
        assert!(!p.allows(0x8000_0000, 4, Privilege::Supervisor, X));
    }

    #[test]
    fn lock_binds_machine_and_freezes_entry() {
        let mut p = Pmp::default();
        p.write_addr(0, (0x8000_0000 >> 2) | 0x1ff); // NAPOT 4 KiB
        p.write_cfg(0, 0x80 | 0x18 | 1); // locked NAPOT, R only
        assert!(!p.allows(0x8000_0000, 4, Privilege::Machine, W));
        assert!(p.allows(0x8000_0000, 4, Privilege::Machine, R));
        p.write_cfg(0, 0x1f);
        p.write_addr(0, 0);
        assert_eq!(p.read_cfg(0) & 0xff, 0x99);
        assert_eq!(p.read_addr(0), (0x8000_0000 >> 2) | 0x1ff);
    }

    #[test]
    fn partial_match_fails_even_in_machine_mode() {
        let mut p = Pmp::default();
        p.write_addr(0, 0x8000_0008 >> 2);
        p.write_cfg(0, 0x17); // NA4, RWX
        assert!(!p.allows(0x8000_0004, 8, Privilege::Machine, W));
        assert!(p.allows(0x8000_0008, 4, Privilege::Machine, W));
        assert_eq!(p.page_perms(0x8000_0000, Privilege::Machine), None);
    }

    #[test]
    fn reserved_write_only_is_cleared() {
        let mut p = Pmp::default();
        p.write_cfg(0, 0x1a); // NAPOT, W without R
        assert_eq!(p.read_cfg(0) & 7, 0);
    }
}
