//! Interrupt lines from devices to the interrupt controller.
//!
//! A device that raises an interrupt owns an [`IrqLine`] and drives its
//! level; on the `virt` machine the other end is a PLIC source
//! ([`PlicLine`]). All lines are level-triggered: a device sets the level
//! high while it wants service and low once the cause is gone, and may
//! repeat a level it already set (that must be harmless).
//!
//! Devices call [`IrqLine::set_level`] while holding their own lock, so an
//! implementation must not call back into the device that owns the line.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::plic::Plic;

/// The output of a level-triggered interrupt line.
///
/// ```
/// use hartvm_devices::irq::{IrqLine, LevelCell};
///
/// let line = LevelCell::default();
/// line.set_level(true);
/// assert!(line.level());
/// ```
pub trait IrqLine: Send + Sync {
    /// Drives the line high (`true`) or low (`false`).
    fn set_level(&self, level: bool);
}

/// An [`IrqLine`] that routes to one source of a [`Plic`].
///
/// ```
/// use hartvm_devices::irq::{IrqLine, PlicLine};
/// use hartvm_devices::plic::{Plic, PlicBackend, PrivMode};
/// use std::sync::Arc;
///
/// struct Ignore;
/// impl PlicBackend for Ignore {
///     fn set_external(&self, _hart: usize, _mode: PrivMode, _level: bool) {}
/// }
///
/// let plic = Arc::new(Plic::new(1, Arc::new(Ignore)).unwrap());
/// let uart_irq = PlicLine::new(plic.clone(), 10);
/// uart_irq.set_level(true);
/// assert!(plic.level(10));
/// ```
#[derive(Debug, Clone)]
pub struct PlicLine {
    plic: Arc<Plic>,
    source: u32,
}

impl PlicLine {
    /// The line into `source` of `plic`. Sources outside the PLIC's range
    /// (including the reserved source 0) give a line that goes nowhere.
    pub fn new(plic: Arc<Plic>, source: u32) -> Self {
        PlicLine { plic, source }
    }

    /// The PLIC source this line drives.
    pub fn source(&self) -> u32 {
        self.source
    }
}

impl IrqLine for PlicLine {
    fn set_level(&self, level: bool) {
        self.plic.set_level(self.source, level);
    }
}

/// An [`IrqLine`] that only remembers its level: for tests, and for devices
/// whose interrupt is not wired anywhere.
#[derive(Debug, Default)]
pub struct LevelCell(AtomicBool);

impl LevelCell {
    /// The level last set.
    pub fn level(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

impl IrqLine for LevelCell {
    fn set_level(&self, level: bool) {
        self.0.store(level, Ordering::SeqCst);
    }
}
