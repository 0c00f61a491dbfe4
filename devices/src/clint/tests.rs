use super::*;
use std::sync::Mutex;

#[derive(Default)]
struct Mock {
    harts: usize,
    time: Mutex<u64>,
    cmp: Mutex<Vec<u64>>,
    sip: Mutex<Vec<bool>>,
    calls: Mutex<Vec<String>>,
}

impl Mock {
    fn new(harts: usize) -> Arc<Self> {
        Arc::new(Mock {
            harts,
            cmp: Mutex::new(vec![u64::MAX; harts]),
            sip: Mutex::new(vec![false; harts]),
            ..Mock::default()
        })
    }
}

impl ClintBackend for Mock {
    fn num_harts(&self) -> usize {
        self.harts
    }
    fn mtime(&self) -> u64 {
        *self.time.lock().unwrap()
    }
    fn set_mtime(&self, v: u64) {
        self.calls.lock().unwrap().push(format!("mtime={v:#x}"));
        *self.time.lock().unwrap() = v;
    }
    fn mtimecmp(&self, hart: usize) -> u64 {
        self.cmp.lock().unwrap()[hart]
    }
    fn set_mtimecmp(&self, hart: usize, v: u64) {
        self.calls.lock().unwrap().push(format!("cmp[{hart}]={v:#x}"));
        self.cmp.lock().unwrap()[hart] = v;
    }
    fn msip(&self, hart: usize) -> bool {
        self.sip.lock().unwrap()[hart]
    }
    fn set_msip(&self, hart: usize, v: bool) {
        self.calls.lock().unwrap().push(format!("msip[{hart}]={v}"));
        self.sip.lock().unwrap()[hart] = v;
    }
}

fn r32(c: &Clint, off: u64) -> u32 {
    let mut b = [0xff; 4];
    c.read(off, &mut b);
    u32::from_le_bytes(b)
}

fn r64(c: &Clint, off: u64) -> u64 {
    let mut b = [0xff; 8];
    c.read(off, &mut b);
    u64::from_le_bytes(b)
}

#[test]
fn msip_per_hart() {
    let m = Mock::new(2);
    let c = Clint::new(m.clone());
    c.write(4, &1u32.to_le_bytes());
    assert_eq!(*m.sip.lock().unwrap(), vec![false, true]);
    assert_eq!(r32(&c, 0), 0);
    assert_eq!(r32(&c, 4), 1);
    // Only bit 0 counts.
    c.write(4, &0xfffe_u32.to_le_bytes());
    assert_eq!(r32(&c, 4), 0);
    c.write(0, &3u32.to_le_bytes());
    assert_eq!(r32(&c, 0), 1);
}

#[test]
fn mtimecmp_64_and_halves() {
    let m = Mock::new(2);
    let c = Clint::new(m.clone());
    c.write(0x4008, &0x1122_3344_5566_7788u64.to_le_bytes());
    assert_eq!(m.cmp.lock().unwrap()[1], 0x1122_3344_5566_7788);
    assert_eq!(r64(&c, 0x4008), 0x1122_3344_5566_7788);
    assert_eq!(r32(&c, 0x4008), 0x5566_7788);
    assert_eq!(r32(&c, 0x400c), 0x1122_3344);
    c.write(0x400c, &0xaabb_ccddu32.to_le_bytes());
    assert_eq!(r64(&c, 0x4008), 0xaabb_ccdd_5566_7788);
    c.write(0x4008, &0x0102_0304u32.to_le_bytes());
    assert_eq!(r64(&c, 0x4008), 0xaabb_ccdd_0102_0304);
    assert_eq!(m.cmp.lock().unwrap()[0], u64::MAX, "hart 0 untouched");
}

#[test]
fn mtime_read_write() {
    let m = Mock::new(1);
    let c = Clint::new(m.clone());
    *m.time.lock().unwrap() = 0x0000_0001_ffff_fff0;
    assert_eq!(r64(&c, 0xbff8), 0x0000_0001_ffff_fff0);
    assert_eq!(r32(&c, 0xbff8), 0xffff_fff0);
    assert_eq!(r32(&c, 0xbffc), 1);
    c.write(0xbff8, &42u64.to_le_bytes());
    assert_eq!(*m.time.lock().unwrap(), 42);
    c.write(0xbffc, &7u32.to_le_bytes());
    assert_eq!(*m.time.lock().unwrap(), (7 << 32) | 42);
}

#[test]
fn bad_accesses_are_ignored_and_read_zero() {
    let m = Mock::new(2);
    let c = Clint::new(m.clone());
    // Missing hart.
    c.write(8, &1u32.to_le_bytes());
    c.write(0x4010, &1u64.to_le_bytes());
    assert_eq!(r32(&c, 8), 0);
    assert_eq!(r64(&c, 0x4010), 0);
    assert_eq!(r64(&c, 0x7ff0), 0);
    // Wrong sizes / misaligned.
    c.write(0, &[1]);
    c.write(0, &1u64.to_le_bytes());
    c.write(2, &1u32.to_le_bytes());
    c.write(0x4001, &1u32.to_le_bytes());
    c.write(0x4004, &1u64.to_le_bytes());
    c.write(0x4000, &[1, 0]);
    c.write(0xbffa, &1u32.to_le_bytes());
    c.write(0xbffc, &1u64.to_le_bytes());
    // Outside the registers.
    c.write(0xc000, &1u32.to_le_bytes());
    c.write(0xfffc, &1u32.to_le_bytes());
    c.write(u64::MAX, &1u32.to_le_bytes());
    assert!(m.calls.lock().unwrap().is_empty(), "{:?}", m.calls.lock().unwrap());
    let mut b = [0xffu8; 2];
    c.read(0x4000, &mut b);
    assert_eq!(b, [0, 0]);
    assert_eq!(r32(&c, 0xc000), 0);
    c.read(0x4000, &mut []);
}

#[test]
fn many_harts_reach_into_mtimecmp_space() {
    // 4095 harts is the architectural maximum of the msip array.
    let m = Mock::new(4095);
    let c = Clint::new(m.clone());
    c.write(0x3ff8, &1u32.to_le_bytes());
    c.write(0x3ffc, &1u32.to_le_bytes()); // hart 4095 does not exist
    assert!(m.sip.lock().unwrap()[4094]);
    c.write(0x4000 + 8 * 4094, &5u64.to_le_bytes());
    assert_eq!(m.cmp.lock().unwrap()[4094], 5);
}
