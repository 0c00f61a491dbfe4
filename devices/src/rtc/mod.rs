//! Goldfish real-time clock (`google,goldfish-rtc`), as on the QEMU `virt`
//! machine at 0x101000, IRQ 11.
//!
//! | offset | register | |
//! |---|---|---|
//! | `0x00` | `TIME_LOW` | read: low half of the time, latches the high half; write: sets the time |
//! | `0x04` | `TIME_HIGH` | read: the latched high half; write: high half for the next `TIME_LOW` write |
//! | `0x08` | `ALARM_LOW` | write: arms the alarm at `ALARM_HIGH << 32 \| value` |
//! | `0x0c` | `ALARM_HIGH` | high half of the next alarm |
//! | `0x10` | `IRQ_ENABLED` | bit 0: the alarm may raise the interrupt line |
//! | `0x14` | `CLEAR_ALARM` | write: disarms the alarm |
//! | `0x18` | `ALARM_STATUS` | read: 1 while an alarm is armed |
//! | `0x1c` | `CLEAR_INTERRUPT` | write: lowers the interrupt line |
//!
//! Times are nanoseconds since the Unix epoch. The clock is the host's wall
//! clock ([`SystemClock`]) plus an offset the guest sets by writing the
//! time; tests inject their own [`WallClock`].
//!
//! The alarm fires when the RTC is looked at after its time: on any MMIO
//! access, and on [`Rtc::poll`]. Two ways to make sure that happens on time:
//!
//! - the VMM calls `poll` from its own event loop; `poll` returns how long
//!   until the armed alarm is due, so the loop can sleep that long (but it
//!   must also poll again soon after the guest arms a new alarm), or
//! - [`Rtc::start_timer_thread`] starts a thread that sleeps until the next
//!   deadline, is woken when the guest arms or clears an alarm or sets the
//!   time, and polls. It ends by itself once the RTC is dropped.
//!
//! Either way a vCPU waiting in WFI for the alarm is woken by the interrupt
//! the poll raises.
//!
//! Only aligned 32-bit accesses are honoured; others are ignored and read
//! as zero.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::irq::IrqLine;
use crate::mmio::MmioDevice;

#[cfg(test)]
mod tests;

/// Base address of the RTC on the `virt` machine.
pub const RTC_BASE: u64 = 0x0010_1000;
/// Size of the RTC's MMIO window on the `virt` machine.
pub const RTC_MMIO_SIZE: u64 = 0x1000;
/// The RTC's PLIC source on the `virt` machine.
pub const RTC_IRQ: u32 = 11;
/// Device-tree `compatible` string.
pub const RTC_COMPATIBLE: &str = "google,goldfish-rtc";

const TIME_LOW: u64 = 0x00;
const TIME_HIGH: u64 = 0x04;
const ALARM_LOW: u64 = 0x08;
const ALARM_HIGH: u64 = 0x0c;
const IRQ_ENABLED: u64 = 0x10;
const CLEAR_ALARM: u64 = 0x14;
const ALARM_STATUS: u64 = 0x18;
const CLEAR_INTERRUPT: u64 = 0x1c;

/// A source of wall-clock time.
pub trait WallClock: Send + Sync {
    /// Nanoseconds since the Unix epoch.
    fn now_ns(&self) -> u64;
}

/// The host's wall clock ([`SystemTime`]); a host clock before 1970 reads
/// as 0.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl WallClock for SystemClock {
    fn now_ns(&self) -> u64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
    }
}

struct State {
    /// Guest time minus host time, wrapping (the guest may set any time).
    offset: u64,
    latched_high: u32,
    /// The high half a following `TIME_LOW` write uses.
    time_high_written: u32,
    alarm_high: u32,
    /// Guest-time deadline of the armed alarm.
    alarm: Option<u64>,
    /// The last alarm value written (reads of ALARM_LOW / ALARM_HIGH).
    alarm_value: u64,
    irq_enabled: bool,
    /// The alarm has fired and the guest has not cleared the interrupt.
    irq_pending: bool,
    line: bool,
}

/// The goldfish RTC.
///
/// ```
/// use hartvm_devices::irq::LevelCell;
/// use hartvm_devices::mmio::MmioDevice;
/// use hartvm_devices::rtc::{Rtc, WallClock};
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use std::sync::Arc;
///
/// struct Fixed(AtomicU64);
/// impl WallClock for Fixed {
///     fn now_ns(&self) -> u64 { self.0.load(Ordering::SeqCst) }
/// }
///
/// let clock = Arc::new(Fixed(AtomicU64::new(3_000_000_000)));
/// let line = Arc::new(LevelCell::default());
/// let rtc = Rtc::with_clock(clock.clone(), line.clone());
/// let w32 = |off: u64, v: u32| rtc.write(off, &v.to_le_bytes());
/// w32(0x0c, 0); // ALARM_HIGH
/// w32(0x08, 4_000_000_000); // ALARM_LOW: arm at t = 4 s
/// w32(0x10, 1); // IRQ_ENABLED
/// assert!(rtc.poll().is_some()); // due in one second
/// clock.0.store(4_000_000_000, Ordering::SeqCst);
/// assert_eq!(rtc.poll(), None);
/// assert!(line.level());
/// w32(0x1c, 1); // CLEAR_INTERRUPT
/// assert!(!line.level());
/// ```
pub struct Rtc {
    clock: Arc<dyn WallClock>,
    irq: Arc<dyn IrqLine>,
    state: Mutex<State>,
    /// Wakes the timer thread when the deadline may have moved.
    rearm: Condvar,
}

/// Longest the timer thread sleeps without looking again: it bounds how
/// late an alarm can fire after a host clock step and how long the thread
/// outlives the RTC.
const TIMER_MAX_SLEEP: Duration = Duration::from_secs(1);

impl std::fmt::Debug for Rtc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.lock();
        f.debug_struct("Rtc")
            .field("alarm", &s.alarm)
            .field("irq_enabled", &s.irq_enabled)
            .field("irq_pending", &s.irq_pending)
            .finish_non_exhaustive()
    }
}

impl Rtc {
    /// An RTC that reads the host's wall clock and drives `irq`.
    pub fn new(irq: Arc<dyn IrqLine>) -> Self {
        Self::with_clock(Arc::new(SystemClock), irq)
    }

    /// An RTC over `clock` that drives `irq`.
    pub fn with_clock(clock: Arc<dyn WallClock>, irq: Arc<dyn IrqLine>) -> Self {
        Rtc {
            clock,
            irq,
            state: Mutex::new(State {
                offset: 0,
                latched_high: 0,
                time_high_written: 0,
                alarm_high: 0,
                alarm: None,
                alarm_value: 0,
                irq_enabled: false,
                irq_pending: false,
                line: false,
            }),
            rearm: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The guest's current time, in nanoseconds since the Unix epoch.
    pub fn now_ns(&self) -> u64 {
        let s = self.lock();
        self.clock.now_ns().wrapping_add(s.offset)
    }

    /// Fires the alarm if it is due, updates the interrupt line, and
    /// returns how long until the armed alarm is due (`None` if no alarm is
    /// armed). The VMM calls this from its event loop, sleeping at most the
    /// returned time in between.
    pub fn poll(&self) -> Option<Duration> {
        let mut s = self.lock();
        let now = self.clock.now_ns().wrapping_add(s.offset);
        self.check(&mut s, now);
        s.alarm.map(|at| Duration::from_nanos(at - now))
    }

    /// Starts a thread that fires the alarm on time (see the module
    /// documentation). It holds only a weak reference and ends within a
    /// second of the RTC being dropped.
    ///
    /// # Errors
    ///
    /// The error from spawning the thread.
    ///
    /// ```
    /// use hartvm_devices::irq::LevelCell;
    /// use hartvm_devices::mmio::MmioDevice;
    /// use hartvm_devices::rtc::Rtc;
    /// use std::sync::Arc;
    /// use std::time::{Duration, Instant};
    ///
    /// let line = Arc::new(LevelCell::default());
    /// let rtc = Arc::new(Rtc::new(line.clone()));
    /// rtc.start_timer_thread().unwrap();
    /// let at = rtc.now_ns() + 20_000_000; // in 20 ms
    /// rtc.write(0x10, &1u32.to_le_bytes()); // IRQ_ENABLED
    /// rtc.write(0x0c, &((at >> 32) as u32).to_le_bytes()); // ALARM_HIGH
    /// rtc.write(0x08, &(at as u32).to_le_bytes()); // ALARM_LOW
    /// let start = Instant::now();
    /// while !line.level() {
    ///     assert!(start.elapsed() < Duration::from_secs(5));
    ///     std::thread::sleep(Duration::from_millis(1));
    /// }
    /// ```
    pub fn start_timer_thread(self: &Arc<Self>) -> std::io::Result<JoinHandle<()>> {
        let weak: Weak<Rtc> = Arc::downgrade(self);
        std::thread::Builder::new().name("goldfish-rtc".into()).spawn(move || {
            while let Some(rtc) = weak.upgrade() {
                let mut s = rtc.lock();
                let now = rtc.clock.now_ns().wrapping_add(s.offset);
                rtc.check(&mut s, now);
                let sleep = s.alarm.map_or(TIMER_MAX_SLEEP, |at| Duration::from_nanos(at - now).min(TIMER_MAX_SLEEP));
                // Waiting under the same lock that computed the deadline:
                // a guest write in between cannot be missed.
                let (s, _) = rtc.rearm.wait_timeout(s, sleep).unwrap_or_else(|e| e.into_inner());
                drop(s);
            }
        })
    }

    /// Guest-time deadline of the armed alarm, if any.
    pub fn next_deadline_ns(&self) -> Option<u64> {
        self.lock().alarm
    }

    /// Fires a due alarm and drives the line; afterwards an armed alarm is
    /// in the future.
    fn check(&self, s: &mut State, now: u64) {
        if s.alarm.is_some_and(|at| at <= now) {
            s.alarm = None;
            s.irq_pending = true;
        }
        let level = s.irq_pending && s.irq_enabled;
        if level != s.line {
            s.line = level;
            self.irq.set_level(level);
        }
    }

    fn read32(&self, offset: u64) -> u32 {
        let mut s = self.lock();
        let now = self.clock.now_ns().wrapping_add(s.offset);
        self.check(&mut s, now);
        match offset {
            TIME_LOW => {
                s.latched_high = (now >> 32) as u32;
                now as u32
            }
            TIME_HIGH => s.latched_high,
            ALARM_LOW => s.alarm_value as u32,
            ALARM_HIGH => (s.alarm_value >> 32) as u32,
            IRQ_ENABLED => u32::from(s.irq_enabled),
            ALARM_STATUS => u32::from(s.alarm.is_some()),
            _ => 0,
        }
    }

    fn write32(&self, offset: u64, v: u32) {
        let mut s = self.lock();
        let host = self.clock.now_ns();
        match offset {
            TIME_LOW => {
                let t = (u64::from(s.time_high_written) << 32) | u64::from(v);
                s.offset = t.wrapping_sub(host);
            }
            TIME_HIGH => s.time_high_written = v,
            ALARM_LOW => {
                let at = (u64::from(s.alarm_high) << 32) | u64::from(v);
                s.alarm_value = at;
                s.alarm = Some(at);
            }
            ALARM_HIGH => s.alarm_high = v,
            IRQ_ENABLED => s.irq_enabled = v & 1 != 0,
            CLEAR_ALARM => s.alarm = None,
            CLEAR_INTERRUPT => s.irq_pending = false,
            _ => {}
        }
        let now = host.wrapping_add(s.offset);
        self.check(&mut s, now);
        if matches!(offset, TIME_LOW | ALARM_LOW | CLEAR_ALARM) {
            self.rearm.notify_all();
        }
    }
}

impl MmioDevice for Rtc {
    fn read(&self, offset: u64, data: &mut [u8]) {
        data.fill(0);
        if data.len() == 4 && offset.is_multiple_of(4) {
            data.copy_from_slice(&self.read32(offset).to_le_bytes());
        }
    }

    fn write(&self, offset: u64, data: &[u8]) {
        if let (Ok(bytes), true) = (<[u8; 4]>::try_from(data), offset.is_multiple_of(4)) {
            self.write32(offset, u32::from_le_bytes(bytes));
        }
    }
}
