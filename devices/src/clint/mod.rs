//! CLINT / ACLINT (MSWI + MTIMER) MMIO model, as on the `virt` machine at
//! 0x200_0000.
//!
//! | offset | register | access |
//! |---|---|---|
//! | `0x0000 + 4·hart` | `msip[hart]` (bit 0) | 32-bit |
//! | `0x4000 + 8·hart` | `mtimecmp[hart]` | 64-bit, or 32-bit halves |
//! | `0xBFF8` | `mtime` (writable) | 64-bit, or 32-bit halves |
//!
//! The timer and interrupt state belong to the vCPU runtime (it must see
//! `mtimecmp` and `msip` on its hot path), so this device only translates
//! MMIO accesses into calls on a [`ClintBackend`] the VMM implements.
//! Misaligned or wrongly sized accesses and harts past
//! [`ClintBackend::num_harts`] are ignored and read as zero.

use std::sync::Arc;

use crate::mmio::MmioDevice;

#[cfg(test)]
mod tests;

/// Size of the CLINT's MMIO window.
pub const CLINT_MMIO_SIZE: u64 = 0x10000;
/// Offset of `msip[0]`.
pub const MSIP_OFFSET: u64 = 0x0;
/// Offset of `mtimecmp[0]`.
pub const MTIMECMP_OFFSET: u64 = 0x4000;
/// Offset of `mtime`.
pub const MTIME_OFFSET: u64 = 0xbff8;

/// The machine-timer and software-interrupt state the CLINT exposes,
/// implemented by the VMM over the vCPU runtime.
///
/// `set_mtimecmp` and `set_msip` must update the target hart's pending
/// interrupts (MTIP / MSIP) and wake it if it waits in WFI.
pub trait ClintBackend: Send + Sync {
    /// Number of harts (valid hart indices are `0..num_harts()`).
    fn num_harts(&self) -> usize;
    /// Current `mtime` (10 MHz on the `virt` machine).
    fn mtime(&self) -> u64;
    /// Sets `mtime`.
    fn set_mtime(&self, v: u64);
    /// `mtimecmp` of `hart`.
    fn mtimecmp(&self, hart: usize) -> u64;
    /// Sets `mtimecmp` of `hart`.
    fn set_mtimecmp(&self, hart: usize, v: u64);
    /// `msip` of `hart`.
    fn msip(&self, hart: usize) -> bool;
    /// Sets `msip` of `hart` (raises or clears its machine software interrupt).
    fn set_msip(&self, hart: usize, v: bool);
}

/// Which register an access names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reg {
    Msip(usize),
    Mtimecmp(usize),
    Mtime,
}

/// The CLINT device over a backend.
///
/// ```
/// use hartvm_devices::clint::{Clint, ClintBackend};
/// use hartvm_devices::mmio::MmioDevice;
/// use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
/// use std::sync::Arc;
///
/// #[derive(Default)]
/// struct OneHart { time: AtomicU64, cmp: AtomicU64, sip: AtomicBool }
/// impl ClintBackend for OneHart {
///     fn num_harts(&self) -> usize { 1 }
///     fn mtime(&self) -> u64 { self.time.load(Relaxed) }
///     fn set_mtime(&self, v: u64) { self.time.store(v, Relaxed) }
///     fn mtimecmp(&self, _: usize) -> u64 { self.cmp.load(Relaxed) }
///     fn set_mtimecmp(&self, _: usize, v: u64) { self.cmp.store(v, Relaxed) }
///     fn msip(&self, _: usize) -> bool { self.sip.load(Relaxed) }
///     fn set_msip(&self, _: usize, v: bool) { self.sip.store(v, Relaxed) }
/// }
///
/// let backend = Arc::new(OneHart::default());
/// let clint = Clint::new(backend.clone());
/// clint.write(0x4000, &1234u64.to_le_bytes()); // mtimecmp[0]
/// assert_eq!(backend.cmp.load(Relaxed), 1234);
/// clint.write(0x0, &1u32.to_le_bytes()); // msip[0]
/// assert!(backend.sip.load(Relaxed));
/// ```
pub struct Clint {
    backend: Arc<dyn ClintBackend>,
}

impl std::fmt::Debug for Clint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clint").field("num_harts", &self.backend.num_harts()).finish()
    }
}

impl Clint {
    /// Creates a CLINT over `backend`.
    pub fn new(backend: Arc<dyn ClintBackend>) -> Self {
        Clint { backend }
    }

    /// Decodes an access into (register, byte offset inside it), or `None`
    /// if it is misaligned, wrongly sized, or names a missing hart.
    fn decode(&self, offset: u64, size: usize) -> Option<(Reg, u64)> {
        let harts = self.backend.num_harts();
        let hart_ok = |h: u64| usize::try_from(h).ok().filter(|&h| h < harts);
        let (reg, within) = if offset < MTIMECMP_OFFSET {
            if size != 4 || !offset.is_multiple_of(4) {
                return None;
            }
            (Reg::Msip(hart_ok(offset / 4)?), 0)
        } else if offset < MTIME_OFFSET {
            let rel = offset - MTIMECMP_OFFSET;
            (Reg::Mtimecmp(hart_ok(rel / 8)?), rel % 8)
        } else if offset < MTIME_OFFSET + 8 {
            (Reg::Mtime, offset - MTIME_OFFSET)
        } else {
            return None;
        };
        match (reg, size, within) {
            (Reg::Msip(_), ..) | (_, 8, 0) | (_, 4, 0 | 4) => Some((reg, within)),
            _ => None,
        }
    }

    fn get(&self, reg: Reg) -> u64 {
        match reg {
            Reg::Msip(h) => u64::from(self.backend.msip(h)),
            Reg::Mtimecmp(h) => self.backend.mtimecmp(h),
            Reg::Mtime => self.backend.mtime(),
        }
    }

    fn set(&self, reg: Reg, v: u64) {
        match reg {
            Reg::Msip(h) => self.backend.set_msip(h, v & 1 != 0),
            Reg::Mtimecmp(h) => self.backend.set_mtimecmp(h, v),
            Reg::Mtime => self.backend.set_mtime(v),
        }
    }
}

impl MmioDevice for Clint {
    fn read(&self, offset: u64, data: &mut [u8]) {
        data.fill(0);
        if let Some((reg, within)) = self.decode(offset, data.len()) {
            let v = self.get(reg) >> (8 * within);
            data.copy_from_slice(&v.to_le_bytes()[..data.len()]);
        }
    }

    fn write(&self, offset: u64, data: &[u8]) {
        let Some((reg, within)) = self.decode(offset, data.len()) else {
            return;
        };
        let v = match (reg, data.len()) {
            (Reg::Msip(_), _) => u64::from(data[0]),
            (_, 8) => u64::from_le_bytes(data.try_into().unwrap_or_default()),
            _ => {
                // A 32-bit half: read-modify-write the 64-bit register.
                let half = u64::from(u32::from_le_bytes(data.try_into().unwrap_or_default()));
                let shift = 8 * within;
                (self.get(reg) & !(0xffff_ffff << shift)) | (half << shift)
            }
        };
        self.set(reg, v);
    }
}
