use super::*;

#[derive(Default)]
struct Log(Mutex<Vec<(usize, PrivMode, bool)>>);

impl PlicBackend for Log {
    fn set_external(&self, hart: usize, mode: PrivMode, level: bool) {
        self.0.lock().unwrap().push((hart, mode, level));
    }
}

impl Log {
    fn take(&self) -> Vec<(usize, PrivMode, bool)> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

const S: PrivMode = PrivMode::Supervisor;
const M: PrivMode = PrivMode::Machine;

fn plic(harts: usize) -> (Plic, Arc<Log>) {
    let log = Arc::new(Log::default());
    (Plic::new(harts, log.clone()).unwrap(), log)
}

fn r32(p: &Plic, off: u64) -> u32 {
    let mut b = [0xaa; 4];
    p.read(off, &mut b);
    u32::from_le_bytes(b)
}

fn w32(p: &Plic, off: u64, v: u32) {
    p.write(off, &v.to_le_bytes());
}

fn prio(p: &Plic, src: u32, v: u32) {
    w32(p, 4 * src as u64, v);
}

fn enable(p: &Plic, ctx: usize, src: u32) {
    let off = 0x2000 + 0x80 * ctx as u64 + 4 * (src as u64 / 32);
    let old = r32(p, off);
    w32(p, off, old | 1 << (src % 32));
}

fn claim_reg(ctx: usize) -> u64 {
    0x20_0004 + 0x1000 * ctx as u64
}

fn threshold_reg(ctx: usize) -> u64 {
    0x20_0000 + 0x1000 * ctx as u64
}

#[test]
fn hart_count_is_checked() {
    let log: Arc<dyn PlicBackend> = Arc::new(Log::default());
    assert_eq!(Plic::new(0, log.clone()).unwrap_err(), PlicError::HartCount(0));
    assert!(Plic::new(PLIC_MAX_HARTS, log.clone()).is_ok());
    assert!(Plic::new(PLIC_MAX_HARTS + 1, log).is_err());
    assert_eq!(PLIC_MAX_HARTS, 512);
}

#[test]
fn priorities_hold_three_bits_and_source_zero_is_hardwired() {
    let (p, _) = plic(1);
    prio(&p, 1, 0xffff_ffff);
    assert_eq!(r32(&p, 4), 7);
    prio(&p, 95, 3);
    assert_eq!(r32(&p, 4 * 95), 3);
    prio(&p, 0, 5);
    assert_eq!(r32(&p, 0), 0);
    // Past the last source: no register.
    prio(&p, 96, 5);
    assert_eq!(r32(&p, 4 * 96), 0);
}

#[test]
fn enable_bits_and_thresholds_per_context() {
    let (p, _) = plic(2);
    w32(&p, 0x2000, 0xffff_ffff);
    assert_eq!(r32(&p, 0x2000), 0xffff_fffe, "source 0 cannot be enabled");
    w32(&p, 0x2000 + 0x80 * 3 + 8, 0x1234);
    assert_eq!(r32(&p, 0x2000 + 0x80 * 3 + 8), 0x1234);
    assert_eq!(r32(&p, 0x2000 + 0x80 * 2 + 8), 0);
    // Word 3 and beyond hold no sources; contexts past the last do not exist.
    w32(&p, 0x2000 + 12, 0xffff_ffff);
    assert_eq!(r32(&p, 0x2000 + 12), 0);
    w32(&p, 0x2000 + 0x80 * 4, 0xffff_ffff);
    assert_eq!(r32(&p, 0x2000 + 0x80 * 4), 0);
    w32(&p, threshold_reg(1), 0x1f);
    assert_eq!(r32(&p, threshold_reg(1)), 7);
    w32(&p, threshold_reg(4), 3);
    assert_eq!(r32(&p, threshold_reg(4)), 0);
}

#[test]
fn output_follows_level_enable_priority_and_threshold() {
    let (p, log) = plic(1);
    p.set_level(10, true);
    assert!(p.is_pending(10));
    assert_eq!(r32(&p, 0x1000), 1 << 10);
    assert!(log.take().is_empty(), "priority 0 never interrupts");
    prio(&p, 10, 1);
    assert!(log.take().is_empty(), "not enabled yet");
    enable(&p, 1, 10);
    assert_eq!(log.take(), [(0, S, true)]);
    assert!(p.output(0, S));
    assert!(!p.output(0, M));
    w32(&p, threshold_reg(1), 1);
    assert_eq!(log.take(), [(0, S, false)], "priority must exceed the threshold");
    prio(&p, 10, 2);
    assert_eq!(log.take(), [(0, S, true)]);
    p.set_level(10, false);
    assert_eq!(log.take(), [(0, S, false)]);
    assert!(!p.is_pending(10));
}

#[test]
fn backend_sees_changes_only() {
    let (p, log) = plic(1);
    prio(&p, 3, 1);
    prio(&p, 4, 1);
    enable(&p, 0, 3);
    enable(&p, 0, 4);
    p.set_level(3, true);
    p.set_level(4, true);
    p.set_level(3, true);
    prio(&p, 5, 7);
    assert_eq!(log.take(), [(0, M, true)]);
}

#[test]
fn claim_picks_highest_priority_then_lowest_id() {
    let (p, _) = plic(1);
    for src in [5, 6, 40, 90] {
        enable(&p, 1, src);
        p.set_level(src, true);
    }
    prio(&p, 5, 2);
    prio(&p, 6, 3);
    prio(&p, 40, 3);
    prio(&p, 90, 1);
    assert_eq!(r32(&p, claim_reg(1)), 6);
    assert_eq!(r32(&p, claim_reg(1)), 40);
    assert_eq!(r32(&p, claim_reg(1)), 5);
    assert_eq!(r32(&p, claim_reg(1)), 90);
    assert_eq!(r32(&p, claim_reg(1)), 0, "nothing left");
    assert_eq!(r32(&p, 0x1000), 0);
    assert_eq!(r32(&p, 0x1004), 0);
}

#[test]
fn claimed_source_is_not_repended_until_complete() {
    let (p, log) = plic(1);
    prio(&p, 7, 1);
    enable(&p, 1, 7);
    p.set_level(7, true);
    assert_eq!(log.take(), [(0, S, true)]);
    assert_eq!(r32(&p, claim_reg(1)), 7);
    assert_eq!(log.take(), [(0, S, false)]);
    assert!(!p.is_pending(7));
    // Toggling the level while claimed changes nothing.
    p.set_level(7, false);
    p.set_level(7, true);
    assert!(!p.is_pending(7));
    assert!(log.take().is_empty());
    // Complete with the level still high: pends again.
    w32(&p, claim_reg(1), 7);
    assert!(p.is_pending(7));
    assert_eq!(log.take(), [(0, S, true)]);
    assert_eq!(r32(&p, claim_reg(1)), 7);
    p.set_level(7, false);
    w32(&p, claim_reg(1), 7);
    assert!(!p.is_pending(7));
    assert_eq!(log.take(), [(0, S, false)]);
}

#[test]
fn complete_of_a_source_not_enabled_for_the_context_is_ignored() {
    let (p, _) = plic(1);
    prio(&p, 9, 1);
    enable(&p, 1, 9);
    p.set_level(9, true);
    assert_eq!(r32(&p, claim_reg(1)), 9);
    w32(&p, claim_reg(0), 9);
    assert!(!p.is_pending(9), "context 0 does not have source 9 enabled");
    w32(&p, claim_reg(1), 0);
    w32(&p, claim_reg(1), 1000);
    assert!(!p.is_pending(9));
    w32(&p, claim_reg(1), 9);
    assert!(p.is_pending(9));
}

#[test]
fn a_claim_is_global_across_contexts() {
    let (p, log) = plic(2);
    prio(&p, 1, 1);
    enable(&p, 1, 1);
    enable(&p, 3, 1);
    p.set_level(1, true);
    let mut got = log.take();
    got.sort_by_key(|e| e.0);
    assert_eq!(got, [(0, S, true), (1, S, true)]);
    assert_eq!(p.claim(Plic::context(1, S)), 1);
    let mut got = log.take();
    got.sort_by_key(|e| e.0);
    assert_eq!(got, [(0, S, false), (1, S, false)]);
    assert_eq!(p.claim(Plic::context(0, S)), 0);
}

#[test]
fn contexts_map_to_harts_and_modes() {
    let (p, log) = plic(3);
    assert_eq!(p.num_contexts(), 6);
    assert_eq!(Plic::context(2, M), 4);
    assert_eq!(Plic::context(2, S), 5);
    prio(&p, 2, 1);
    enable(&p, 4, 2);
    p.set_level(2, true);
    assert_eq!(log.take(), [(2, M, true)]);
}

#[test]
fn odd_accesses_are_ignored() {
    let (p, _) = plic(1);
    p.write(4, &[7]);
    p.write(4, &[7, 0]);
    p.write(4, &7u64.to_le_bytes());
    p.write(6, &7u32.to_le_bytes());
    assert_eq!(r32(&p, 4), 0);
    prio(&p, 1, 5);
    let mut b8 = [0xaa; 8];
    p.read(4, &mut b8);
    assert_eq!(b8, [0; 8]);
    let mut b1 = [0xaa];
    p.read(4, &mut b1);
    assert_eq!(b1, [0]);
    assert_eq!(r32(&p, 6), 0);
    // Holes and the far end of the window.
    assert_eq!(r32(&p, 0x20_0008), 0);
    assert_eq!(r32(&p, PLIC_MMIO_SIZE - 4), 0);
    assert_eq!(r32(&p, PLIC_MMIO_SIZE), 0);
    assert_eq!(r32(&p, u64::MAX - 3), 0);
    w32(&p, u64::MAX - 3, 1);
    // Pending bits are read-only.
    w32(&p, 0x1000, 0xffff_fffe);
    assert_eq!(r32(&p, 0x1000), 0);
}

#[test]
fn out_of_range_sources_are_ignored() {
    let (p, log) = plic(1);
    w32(&p, 0x2000, 0xffff_ffff);
    p.set_level(0, true);
    p.set_level(96, true);
    p.set_level(u32::MAX, true);
    assert!(!p.level(0));
    assert!(!p.level(96));
    assert!(log.take().is_empty());
    assert_eq!(p.claim(99), 0);
    p.complete(99, 1);
}

#[test]
fn concurrent_levels_and_claims_keep_outputs_consistent() {
    let (p, _) = plic(2);
    let p = Arc::new(p);
    for src in 1..=8 {
        prio(&p, src, 1);
        enable(&p, 1, src);
        enable(&p, 3, src);
    }
    let workers: Vec<_> = (0..2)
        .map(|hart| {
            let p = p.clone();
            std::thread::spawn(move || {
                for i in 0..2000u32 {
                    let src = 1 + (i + hart) % 8;
                    p.set_level(src, true);
                    let got = p.claim(Plic::context(hart as usize, S));
                    p.set_level(src, false);
                    if got != 0 {
                        p.complete(Plic::context(hart as usize, S), got);
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    for src in 1..=8 {
        assert!(!p.is_pending(src));
    }
    assert!(!p.output(0, S) && !p.output(1, S));
}

#[test]
fn sources_at_word_boundaries() {
    let (p, _) = plic(1);
    let sources = [1, 31, 32, 63, 64, 95];
    for (i, &src) in sources.iter().enumerate() {
        prio(&p, src, 1 + i as u32 % 7);
        enable(&p, 1, src);
        p.set_level(src, true);
    }
    assert_eq!(r32(&p, 0x1000), (1 << 1) | (1 << 31));
    assert_eq!(r32(&p, 0x1004), 1 | (1 << 31));
    assert_eq!(r32(&p, 0x1008), 1 | (1 << 31));
    // Priorities 1..=6 in order: claims come out highest first.
    let claimed: Vec<u32> = (0..7).map(|_| p.claim(1)).collect();
    assert_eq!(claimed, [95, 64, 63, 32, 31, 1, 0]);
}

#[test]
fn plic_line_drives_its_source() {
    use crate::irq::{IrqLine, PlicLine};
    let (p, log) = plic(1);
    let p = Arc::new(p);
    let line = PlicLine::new(p.clone(), 8);
    assert_eq!(line.source(), 8);
    prio(&p, 8, 1);
    enable(&p, 1, 8);
    line.set_level(true);
    assert_eq!(log.take(), [(0, S, true)]);
    line.set_level(true);
    assert!(log.take().is_empty(), "a repeated level is harmless");
    line.set_level(false);
    assert_eq!(log.take(), [(0, S, false)]);
    // A line into a source the PLIC does not have goes nowhere.
    PlicLine::new(p.clone(), 0).set_level(true);
    PlicLine::new(p.clone(), 200).set_level(true);
    assert!(log.take().is_empty());
}
