//! The `virt` machine's test finisher (`sifive,test0` / `syscon` at
//! 0x100000): a guest write ends the emulation.
//!
//! A 32-bit write at offset 0 of `0x5555` asks for poweroff (a passing
//! test), `0x7777` for a reset, and `(code << 16) | 0x3333` for a failure with
//! `code`; other values are ignored. A device cannot stop a vCPU, so the
//! request is recorded as a [`FinisherEvent`] that the VMM takes with
//! [`TestFinisher::take_event`] after dispatching an MMIO write (and then
//! stops or resets the machine). An 8-bit-aligned 64-bit write is accepted
//! too (its low 32 bits count); reads return zero.

use std::sync::Mutex;

use crate::mmio::MmioDevice;

#[cfg(test)]
mod tests;

/// Size of the finisher's MMIO window on the `virt` machine.
pub const FINISHER_MMIO_SIZE: u64 = 0x1000;
/// Value requesting poweroff / test pass.
pub const FINISHER_PASS: u32 = 0x5555;
/// Value requesting a reset.
pub const FINISHER_RESET: u32 = 0x7777;
/// Low 16 bits of a failure request (`(code << 16) | FINISHER_FAIL`).
pub const FINISHER_FAIL: u32 = 0x3333;

/// What the guest asked the finisher for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FinisherEvent {
    /// Poweroff; for a test, success (`0x5555`).
    Pass,
    /// Reset the machine (`0x7777`).
    Reset,
    /// Poweroff with failure `code` (`(code << 16) | 0x3333`).
    Fail(u16),
}

impl FinisherEvent {
    /// Decodes a value written to the finisher; `None` for values it ignores.
    ///
    /// ```
    /// use hartvm_devices::test_finisher::FinisherEvent;
    /// assert_eq!(FinisherEvent::decode(0x5555), Some(FinisherEvent::Pass));
    /// assert_eq!(FinisherEvent::decode(0x7777), Some(FinisherEvent::Reset));
    /// assert_eq!(FinisherEvent::decode(0x2a_3333), Some(FinisherEvent::Fail(42)));
    /// assert_eq!(FinisherEvent::decode(0x1234), None);
    /// ```
    pub fn decode(value: u32) -> Option<Self> {
        match value & 0xffff {
            FINISHER_PASS => Some(FinisherEvent::Pass),
            FINISHER_RESET => Some(FinisherEvent::Reset),
            FINISHER_FAIL => Some(FinisherEvent::Fail((value >> 16) as u16)),
            _ => None,
        }
    }

    /// The process exit status a VMM would report: 0 for `Pass`, the code
    /// for `Fail` (1 if the code is 0, so a failure never looks like a pass),
    /// `None` for `Reset`.
    pub fn exit_status(self) -> Option<i32> {
        match self {
            FinisherEvent::Pass => Some(0),
            FinisherEvent::Fail(0) => Some(1),
            FinisherEvent::Fail(code) => Some(i32::from(code)),
            FinisherEvent::Reset => None,
        }
    }
}

/// The test finisher device. The first request wins until it is taken.
///
/// ```
/// use hartvm_devices::mmio::MmioDevice;
/// use hartvm_devices::test_finisher::{FinisherEvent, TestFinisher};
///
/// let fin = TestFinisher::new();
/// assert_eq!(fin.take_event(), None);
/// fin.write(0, &0x0003_3333u32.to_le_bytes());
/// assert_eq!(fin.take_event(), Some(FinisherEvent::Fail(3)));
/// assert_eq!(fin.take_event(), None);
/// ```
#[derive(Debug, Default)]
pub struct TestFinisher {
    event: Mutex<Option<FinisherEvent>>,
}

impl TestFinisher {
    /// Creates a finisher with no pending event.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the pending event, if any (the VMM polls this after MMIO writes).
    pub fn take_event(&self) -> Option<FinisherEvent> {
        self.event.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// The pending event without taking it.
    pub fn peek_event(&self) -> Option<FinisherEvent> {
        *self.event.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl MmioDevice for TestFinisher {
    fn read(&self, _offset: u64, data: &mut [u8]) {
        data.fill(0);
    }

    fn write(&self, offset: u64, data: &[u8]) {
        // OpenSBI's sifive_test driver stores the code as a halfword; the
        // fail code's upper half only comes with a word (or wider) store.
        let value = match (offset, data.len()) {
            (0, 2) => u16::from_le_bytes([data[0], data[1]]) as u32,
            (0, 4 | 8) => u32::from_le_bytes([data[0], data[1], data[2], data[3]]),
            _ => return,
        };
        if let Some(ev) = FinisherEvent::decode(value) {
            self.event.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(ev);
        }
    }
}
