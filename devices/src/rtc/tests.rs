use super::*;
use crate::irq::LevelCell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

#[derive(Default)]
struct ManualClock(AtomicU64);

impl WallClock for ManualClock {
    fn now_ns(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

impl ManualClock {
    fn set(&self, t: u64) {
        self.0.store(t, Ordering::SeqCst);
    }
}

/// Counts level changes, to check the RTC does not repeat itself.
#[derive(Default)]
struct CountingLine {
    level: LevelCell,
    calls: AtomicUsize,
}

impl IrqLine for CountingLine {
    fn set_level(&self, level: bool) {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.level.set_level(level);
    }
}

fn rtc(t: u64) -> (Rtc, Arc<ManualClock>, Arc<CountingLine>) {
    let clock = Arc::new(ManualClock(AtomicU64::new(t)));
    let line = Arc::new(CountingLine::default());
    (Rtc::with_clock(clock.clone(), line.clone()), clock, line)
}

fn r32(r: &Rtc, off: u64) -> u32 {
    let mut b = [0xaa; 4];
    r.read(off, &mut b);
    u32::from_le_bytes(b)
}

fn w32(r: &Rtc, off: u64, v: u32) {
    r.write(off, &v.to_le_bytes());
}

fn read_time(r: &Rtc) -> u64 {
    let lo = r32(r, TIME_LOW);
    let hi = r32(r, TIME_HIGH);
    (u64::from(hi) << 32) | u64::from(lo)
}

fn arm(r: &Rtc, at: u64) {
    w32(r, ALARM_HIGH, (at >> 32) as u32);
    w32(r, ALARM_LOW, at as u32);
}

#[test]
fn reading_time_low_latches_the_high_half() {
    let t = 0x1234_5678_ffff_fff0;
    let (r, clock, _) = rtc(t);
    assert_eq!(r32(&r, TIME_LOW), 0xffff_fff0);
    // The low half wraps before the high half is read: the latch keeps
    // the two halves of one instant together.
    clock.set(t + 0x20);
    assert_eq!(r32(&r, TIME_HIGH), 0x1234_5678);
    assert_eq!(read_time(&r), t + 0x20);
}

#[test]
fn system_clock_is_after_2020() {
    let (line, clock) = (Arc::new(LevelCell::default()), SystemClock);
    let r = Rtc::new(line);
    assert!(read_time(&r) > 1_577_836_800_000_000_000);
    assert!(clock.now_ns() > 1_577_836_800_000_000_000);
}

#[test]
fn guest_sets_the_time_as_an_offset() {
    let (r, clock, _) = rtc(1_000);
    let target = 0x0000_0001_0000_0005u64;
    w32(&r, TIME_HIGH, (target >> 32) as u32);
    w32(&r, TIME_LOW, target as u32);
    assert_eq!(read_time(&r), target);
    clock.set(1_500);
    assert_eq!(read_time(&r), target + 500);
    assert_eq!(r.now_ns(), target + 500);
    // Setting an earlier time than the host's works too.
    w32(&r, TIME_HIGH, 0);
    w32(&r, TIME_LOW, 10);
    assert_eq!(read_time(&r), 10);
    clock.set(1_600);
    assert_eq!(read_time(&r), 110);
}

#[test]
fn alarm_fires_on_poll_when_due() {
    let (r, clock, line) = rtc(1_000);
    arm(&r, 0x1_0000_0000);
    w32(&r, IRQ_ENABLED, 1);
    assert_eq!(r32(&r, ALARM_STATUS), 1);
    assert_eq!(r32(&r, ALARM_LOW), 0);
    assert_eq!(r32(&r, ALARM_HIGH), 1);
    assert_eq!(r.next_deadline_ns(), Some(0x1_0000_0000));
    assert_eq!(r.poll(), Some(Duration::from_nanos(0x1_0000_0000 - 1_000)));
    assert!(!line.level.level());
    clock.set(0x1_0000_0000 - 1);
    assert!(r.poll().is_some());
    clock.set(0x1_0000_0000);
    assert_eq!(r.poll(), None);
    assert!(line.level.level());
    assert_eq!(r32(&r, ALARM_STATUS), 0);
    assert_eq!(r.next_deadline_ns(), None);
    // Stays high until cleared, however often it is polled.
    r.poll();
    r.poll();
    assert_eq!(line.calls.load(Ordering::SeqCst), 1);
    w32(&r, CLEAR_INTERRUPT, 1);
    assert!(!line.level.level());
    assert_eq!(line.calls.load(Ordering::SeqCst), 2);
}

#[test]
fn an_mmio_access_also_fires_a_due_alarm() {
    let (r, clock, line) = rtc(0);
    w32(&r, IRQ_ENABLED, 1);
    arm(&r, 100);
    clock.set(200);
    assert_eq!(r32(&r, ALARM_STATUS), 0);
    assert!(line.level.level());
}

#[test]
fn alarm_in_the_past_fires_at_once() {
    let (r, _, line) = rtc(5_000);
    w32(&r, IRQ_ENABLED, 1);
    arm(&r, 4_000);
    assert!(line.level.level());
    assert_eq!(r32(&r, ALARM_STATUS), 0);
}

#[test]
fn irq_enable_gates_the_line() {
    let (r, clock, line) = rtc(0);
    arm(&r, 10);
    clock.set(10);
    r.poll();
    assert!(!line.level.level(), "disabled");
    w32(&r, IRQ_ENABLED, 1);
    assert!(line.level.level(), "the fired alarm is still pending");
    assert_eq!(r32(&r, IRQ_ENABLED), 1);
    w32(&r, IRQ_ENABLED, 0);
    assert!(!line.level.level());
    assert_eq!(r32(&r, IRQ_ENABLED), 0);
}

#[test]
fn clear_alarm_disarms() {
    let (r, clock, line) = rtc(0);
    w32(&r, IRQ_ENABLED, 1);
    arm(&r, 10);
    w32(&r, CLEAR_ALARM, 1);
    assert_eq!(r32(&r, ALARM_STATUS), 0);
    clock.set(20);
    assert_eq!(r.poll(), None);
    assert!(!line.level.level());
}

#[test]
fn alarm_uses_guest_time() {
    let (r, clock, line) = rtc(1_000_000);
    w32(&r, TIME_HIGH, 0);
    w32(&r, TIME_LOW, 100);
    w32(&r, IRQ_ENABLED, 1);
    arm(&r, 150);
    assert_eq!(r.poll(), Some(Duration::from_nanos(50)));
    clock.set(1_000_050);
    r.poll();
    assert!(line.level.level());
}

#[test]
fn rearming_replaces_the_alarm() {
    let (r, clock, line) = rtc(0);
    w32(&r, IRQ_ENABLED, 1);
    arm(&r, 10);
    arm(&r, 1_000);
    clock.set(500);
    assert_eq!(r.poll(), Some(Duration::from_nanos(500)));
    assert!(!line.level.level());
}

#[test]
fn odd_accesses_are_ignored() {
    let (r, _, _) = rtc(0x55);
    let mut b = [0xaa; 8];
    r.read(0, &mut b);
    assert_eq!(b, [0; 8]);
    let mut b = [0xaa; 1];
    r.read(0, &mut b);
    assert_eq!(b, [0]);
    assert_eq!(r32(&r, 2), 0);
    assert_eq!(r32(&r, 0x20), 0);
    assert_eq!(r32(&r, u64::MAX - 3), 0);
    r.write(ALARM_LOW, &[1]);
    r.write(ALARM_LOW, &1u64.to_le_bytes());
    r.write(ALARM_LOW + 1, &1u32.to_le_bytes());
    w32(&r, 0x800, 1);
    assert_eq!(r32(&r, ALARM_STATUS), 0);
}

fn wait_for(what: impl Fn() -> bool, limit: Duration) -> bool {
    let start = std::time::Instant::now();
    while !what() {
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    true
}

#[test]
fn timer_thread_fires_the_alarm() {
    let (r, clock, line) = rtc(1_000);
    let r = Arc::new(r);
    r.start_timer_thread().unwrap();
    w32(&r, IRQ_ENABLED, 1);
    arm(&r, 2_000_000);
    clock.set(2_000_000);
    assert!(wait_for(|| line.level.level(), Duration::from_secs(5)));
}

#[test]
fn timer_thread_is_woken_by_a_new_alarm() {
    let (r, clock, line) = rtc(0);
    let r = Arc::new(r);
    w32(&r, IRQ_ENABLED, 1);
    // An alarm an hour away: the thread sleeps its longest.
    arm(&r, 3_600_000_000_000);
    r.start_timer_thread().unwrap();
    std::thread::sleep(Duration::from_millis(50));
    // A nearer alarm must not wait for that sleep to end.
    arm(&r, 1_000_000);
    clock.set(1_000_000);
    assert!(wait_for(|| line.level.level(), TIMER_MAX_SLEEP / 2));
}

#[test]
fn timer_thread_ends_after_the_rtc_is_dropped() {
    let (r, _, _) = rtc(0);
    let r = Arc::new(r);
    let handle = r.start_timer_thread().unwrap();
    drop(r);
    let start = std::time::Instant::now();
    handle.join().unwrap();
    assert!(start.elapsed() <= TIMER_MAX_SLEEP + Duration::from_millis(500));
}
