//! SiFive / RISC-V platform-level interrupt controller (PLIC), laid out as
//! on the QEMU `virt` machine.
//!
//! | offset | register | |
//! |---|---|---|
//! | `0x000000 + 4·src` | priority of source `src` (1..=95) | 3 bits, 0 = never |
//! | `0x001000 + 4·w` | pending bits of sources `32w..32w+31` | read-only |
//! | `0x002000 + 0x80·ctx + 4·w` | enable bits of context `ctx` | |
//! | `0x200000 + 0x1000·ctx` | priority threshold of context `ctx` | 3 bits |
//! | `0x200004 + 0x1000·ctx` | claim (read) / complete (write) | |
//!
//! Context `2h` is hart `h`'s M-mode external interrupt, `2h + 1` its S-mode
//! one, as on QEMU `virt`. Priorities and thresholds hold 3 bits (0–7),
//! like QEMU's `virt` PLIC: higher bits are dropped on write.
//!
//! Sources are level-triggered: a source is pending while its level (set by
//! [`Plic::set_level`]) is high and it is not claimed. A claimed source is
//! not pended again until the claim is completed; if its level is still high
//! then, it pends again at once.
//!
//! A context's output (the MEIP / SEIP input of its hart) is high while some
//! source enabled for it is pending with a priority above its threshold. The
//! PLIC reports output changes — and only changes — to a [`PlicBackend`].
//!
//! Only aligned 32-bit accesses are honoured; any other access is ignored
//! and reads as zero, as are offsets that name no register.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::mmio::MmioDevice;

#[cfg(test)]
mod tests;

/// Base address of the PLIC on the `virt` machine.
pub const PLIC_BASE: u64 = 0x0c00_0000;
/// Size of the PLIC's MMIO window on the `virt` machine.
pub const PLIC_MMIO_SIZE: u64 = 0x60_0000;
/// Device-tree `compatible` strings, most specific first.
pub const PLIC_COMPATIBLE: [&str; 2] = ["sifive,plic-1.0.0", "riscv,plic0"];
/// Number of interrupt sources, the DT property `riscv,ndev` (sources are
/// numbered 1..=`PLIC_NUM_SOURCES`; 0 means "no interrupt").
pub const PLIC_NUM_SOURCES: u32 = 95;
/// Highest priority (and threshold) value.
pub const PLIC_MAX_PRIORITY: u32 = 7;
/// Most harts one PLIC window can serve: every context's threshold page
/// must fit below [`PLIC_MMIO_SIZE`].
pub const PLIC_MAX_HARTS: usize = ((PLIC_MMIO_SIZE - CONTEXT_BASE) / CONTEXT_STRIDE / 2) as usize;
/// The RISC-V interrupt cause of the M-mode external interrupt (the second
/// cell of a context's `interrupts-extended` entry).
pub const IRQ_M_EXT: u32 = 11;
/// The RISC-V interrupt cause of the S-mode external interrupt.
pub const IRQ_S_EXT: u32 = 9;

const PRIORITY_BASE: u64 = 0x0;
const PENDING_BASE: u64 = 0x1000;
const ENABLE_BASE: u64 = 0x2000;
const ENABLE_STRIDE: u64 = 0x80;
const CONTEXT_BASE: u64 = 0x20_0000;
const CONTEXT_STRIDE: u64 = 0x1000;

/// Words of one bit per source (sources 0..=95).
const WORDS: usize = (PLIC_NUM_SOURCES as usize + 1).div_ceil(32);

/// The privilege mode a PLIC context interrupts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrivMode {
    /// Machine mode (context `2·hart`), the hart's MEIP.
    Machine,
    /// Supervisor mode (context `2·hart + 1`), the hart's SEIP.
    Supervisor,
}

/// Where the PLIC's outputs go, implemented by the VMM over the vCPUs.
///
/// The PLIC calls it with its own lock held, so that calls for one output
/// arrive in the order the changes happened: an implementation must not
/// call back into the [`Plic`].
pub trait PlicBackend: Send + Sync {
    /// Sets the external-interrupt pending bit (MEIP for
    /// [`PrivMode::Machine`], SEIP for [`PrivMode::Supervisor`]) of `hart`,
    /// waking it if it waits in WFI. Only called when the level changes.
    fn set_external(&self, hart: usize, mode: PrivMode, level: bool);
}

/// Why [`Plic::new`] refused a configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlicError {
    /// The hart count is zero or above [`PLIC_MAX_HARTS`].
    #[error("the PLIC supports 1 to {max} harts, not {0}", max = PLIC_MAX_HARTS)]
    HartCount(usize),
}

type Bits = [u32; WORDS];

fn bit(bits: &Bits, source: u32) -> bool {
    bits.get(source as usize / 32).is_some_and(|w| w & (1 << (source % 32)) != 0)
}

fn set_bit(bits: &mut Bits, source: u32, v: bool) {
    if let Some(w) = bits.get_mut(source as usize / 32) {
        if v {
            *w |= 1 << (source % 32);
        } else {
            *w &= !(1 << (source % 32));
        }
    }
}

struct State {
    /// Indexed by source; entry 0 stays 0.
    priority: [u32; PLIC_NUM_SOURCES as usize + 1],
    level: Bits,
    claimed: Bits,
    enable: Vec<Bits>,
    threshold: Vec<u32>,
    /// The output levels last reported to the backend.
    output: Vec<bool>,
}

impl State {
    fn pending(&self) -> Bits {
        let mut p = [0; WORDS];
        for (i, w) in p.iter_mut().enumerate() {
            *w = self.level[i] & !self.claimed[i];
        }
        // Source 0 does not exist.
        p[0] &= !1;
        p
    }

    /// The source a claim by `ctx` would return (0 if none).
    fn best(&self, ctx: usize) -> u32 {
        let (Some(enable), Some(&threshold)) = (self.enable.get(ctx), self.threshold.get(ctx)) else {
            return 0;
        };
        let pending = self.pending();
        let mut best = 0;
        let mut best_prio = threshold;
        for (w, (&p, &e)) in pending.iter().zip(enable).enumerate() {
            // Only the sources both pending and enabled are candidates.
            let mut cand = p & e;
            while cand != 0 {
                let src = w as u32 * 32 + cand.trailing_zeros();
                cand &= cand - 1;
                let prio = self.priority.get(src as usize).copied().unwrap_or(0);
                // Strictly greater: ties keep the lower source id found first.
                if prio > best_prio {
                    best = src;
                    best_prio = prio;
                }
            }
        }
        best
    }
}

/// The PLIC.
///
/// ```
/// use hartvm_devices::mmio::MmioDevice;
/// use hartvm_devices::plic::{Plic, PlicBackend, PrivMode};
/// use std::sync::{Arc, Mutex};
///
/// #[derive(Default)]
/// struct Log(Mutex<Vec<(usize, PrivMode, bool)>>);
/// impl PlicBackend for Log {
///     fn set_external(&self, hart: usize, mode: PrivMode, level: bool) {
///         self.0.lock().unwrap().push((hart, mode, level));
///     }
/// }
///
/// let log = Arc::new(Log::default());
/// let plic = Plic::new(1, log.clone()).unwrap();
/// let w32 = |off: u64, v: u32| plic.write(off, &v.to_le_bytes());
/// w32(4 * 10, 1); // priority of source 10
/// w32(0x2080, 1 << 10); // enable source 10 for context 1 (hart 0, S-mode)
/// plic.set_level(10, true);
/// assert_eq!(*log.0.lock().unwrap(), [(0, PrivMode::Supervisor, true)]);
///
/// let mut claim = [0u8; 4];
/// plic.read(0x20_1004, &mut claim);
/// assert_eq!(u32::from_le_bytes(claim), 10);
/// assert_eq!(log.0.lock().unwrap().last(), Some(&(0, PrivMode::Supervisor, false)));
/// plic.set_level(10, false);
/// w32(0x20_1004, 10); // complete
/// ```
pub struct Plic {
    num_harts: usize,
    backend: Arc<dyn PlicBackend>,
    state: Mutex<State>,
}

impl std::fmt::Debug for Plic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plic").field("num_harts", &self.num_harts).finish_non_exhaustive()
    }
}

impl Plic {
    /// A PLIC for `num_harts` harts (two contexts each) in its reset state:
    /// all priorities, enables and thresholds zero, every output low.
    ///
    /// # Errors
    ///
    /// [`PlicError::HartCount`] if `num_harts` is 0 or above
    /// [`PLIC_MAX_HARTS`].
    pub fn new(num_harts: usize, backend: Arc<dyn PlicBackend>) -> Result<Self, PlicError> {
        if num_harts == 0 || num_harts > PLIC_MAX_HARTS {
            return Err(PlicError::HartCount(num_harts));
        }
        let contexts = 2 * num_harts;
        Ok(Plic {
            num_harts,
            backend,
            state: Mutex::new(State {
                priority: [0; PLIC_NUM_SOURCES as usize + 1],
                level: [0; WORDS],
                claimed: [0; WORDS],
                enable: vec![[0; WORDS]; contexts],
                threshold: vec![0; contexts],
                output: vec![false; contexts],
            }),
        })
    }

    /// Number of harts served.
    pub fn num_harts(&self) -> usize {
        self.num_harts
    }

    /// Number of contexts (two per hart).
    pub fn num_contexts(&self) -> usize {
        2 * self.num_harts
    }

    /// The context number of `hart`'s `mode` external interrupt.
    pub fn context(hart: usize, mode: PrivMode) -> usize {
        2 * hart + usize::from(mode == PrivMode::Supervisor)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent even if a holder panicked.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sets the input level of `source` (1..=[`PLIC_NUM_SOURCES`]); other
    /// numbers are ignored.
    pub fn set_level(&self, source: u32, level: bool) {
        if source == 0 || source > PLIC_NUM_SOURCES {
            return;
        }
        let mut s = self.lock();
        if bit(&s.level, source) != level {
            set_bit(&mut s.level, source, level);
            self.update(&mut s);
        }
    }

    /// The input level of `source` last set.
    pub fn level(&self, source: u32) -> bool {
        source != 0 && bit(&self.lock().level, source)
    }

    /// Whether `source` is pending (level high and not claimed).
    pub fn is_pending(&self, source: u32) -> bool {
        bit(&self.lock().pending(), source)
    }

    /// The output level of `hart`'s `mode` context (what the backend was
    /// last told; `false` for harts that do not exist).
    pub fn output(&self, hart: usize, mode: PrivMode) -> bool {
        self.lock().output.get(Self::context(hart, mode)).copied().unwrap_or(false)
    }

    /// Claims the best pending source for context `ctx`, as a guest read of
    /// its claim register does. Returns 0 if there is none.
    pub fn claim(&self, ctx: usize) -> u32 {
        let mut s = self.lock();
        let src = s.best(ctx);
        if src != 0 {
            set_bit(&mut s.claimed, src, true);
            self.update(&mut s);
        }
        src
    }

    /// Completes the claim of `source` by context `ctx`, as a guest write
    /// of its claim register does. Ignored if `source` is not enabled for
    /// `ctx` (as the PLIC specification says) or not claimed.
    pub fn complete(&self, ctx: usize, source: u32) {
        let mut s = self.lock();
        let enabled = s.enable.get(ctx).is_some_and(|e| bit(e, source));
        if source != 0 && enabled && bit(&s.claimed, source) {
            set_bit(&mut s.claimed, source, false);
            self.update(&mut s);
        }
    }

    /// Recomputes every context's output and reports the changes.
    fn update(&self, s: &mut State) {
        for ctx in 0..s.output.len() {
            let level = s.best(ctx) != 0;
            if let Some(out) = s.output.get_mut(ctx) {
                if *out != level {
                    *out = level;
                    let mode = if ctx % 2 == 0 { PrivMode::Machine } else { PrivMode::Supervisor };
                    self.backend.set_external(ctx / 2, mode, level);
                }
            }
        }
    }

    fn read32(&self, offset: u64) -> u32 {
        match offset {
            PRIORITY_BASE..PENDING_BASE => {
                let src = (offset - PRIORITY_BASE) / 4;
                self.lock().priority.get(src as usize).copied().unwrap_or(0)
            }
            PENDING_BASE..ENABLE_BASE => {
                let w = (offset - PENDING_BASE) / 4;
                self.lock().pending().get(w as usize).copied().unwrap_or(0)
            }
            ENABLE_BASE..CONTEXT_BASE => {
                let ctx = (offset - ENABLE_BASE) / ENABLE_STRIDE;
                let w = (offset - ENABLE_BASE) % ENABLE_STRIDE / 4;
                let s = self.lock();
                s.enable.get(ctx as usize).and_then(|e| e.get(w as usize)).copied().unwrap_or(0)
            }
            CONTEXT_BASE.. => {
                let ctx = ((offset - CONTEXT_BASE) / CONTEXT_STRIDE) as usize;
                match (offset - CONTEXT_BASE) % CONTEXT_STRIDE {
                    0 => self.lock().threshold.get(ctx).copied().unwrap_or(0),
                    4 => self.claim(ctx),
                    _ => 0,
                }
            }
        }
    }

    fn write32(&self, offset: u64, v: u32) {
        match offset {
            PRIORITY_BASE..PENDING_BASE => {
                let src = (offset - PRIORITY_BASE) / 4;
                let mut s = self.lock();
                if src != 0 {
                    if let Some(p) = s.priority.get_mut(src as usize) {
                        *p = v & PLIC_MAX_PRIORITY;
                        self.update(&mut s);
                    }
                }
            }
            // Pending bits follow the source levels; writes are ignored.
            PENDING_BASE..ENABLE_BASE => {}
            ENABLE_BASE..CONTEXT_BASE => {
                let ctx = (offset - ENABLE_BASE) / ENABLE_STRIDE;
                let w = (offset - ENABLE_BASE) % ENABLE_STRIDE / 4;
                let mut s = self.lock();
                if let Some(e) = s.enable.get_mut(ctx as usize).and_then(|e| e.get_mut(w as usize)) {
                    // Source 0 cannot be enabled.
                    *e = if w == 0 { v & !1 } else { v };
                    self.update(&mut s);
                }
            }
            CONTEXT_BASE.. => {
                let ctx = ((offset - CONTEXT_BASE) / CONTEXT_STRIDE) as usize;
                match (offset - CONTEXT_BASE) % CONTEXT_STRIDE {
                    0 => {
                        let mut s = self.lock();
                        if let Some(t) = s.threshold.get_mut(ctx) {
                            *t = v & PLIC_MAX_PRIORITY;
                            self.update(&mut s);
                        }
                    }
                    4 => self.complete(ctx, v),
                    _ => {}
                }
            }
        }
    }
}

impl MmioDevice for Plic {
    fn read(&self, offset: u64, data: &mut [u8]) {
        data.fill(0);
        if data.len() == 4 && offset.is_multiple_of(4) && offset < PLIC_MMIO_SIZE {
            data.copy_from_slice(&self.read32(offset).to_le_bytes());
        }
    }

    fn write(&self, offset: u64, data: &[u8]) {
        if let (Ok(bytes), 0) = (<[u8; 4]>::try_from(data), offset % 4) {
            if offset < PLIC_MMIO_SIZE {
                self.write32(offset, u32::from_le_bytes(bytes));
            }
        }
    }
}
