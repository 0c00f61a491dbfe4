use super::*;
use std::sync::Mutex;

/// Records every access and reads back `offset` as the value.
#[derive(Default)]
struct Recorder(Mutex<Vec<(bool, u64, usize)>>);

impl MmioDevice for Recorder {
    fn read(&self, offset: u64, data: &mut [u8]) {
        self.0.lock().unwrap().push((false, offset, data.len()));
        put_le_value(data, offset);
    }
    fn write(&self, offset: u64, data: &[u8]) {
        self.0.lock().unwrap().push((true, offset, data.len()));
    }
}

#[test]
fn routes_by_address_with_offsets() {
    let mut bus = MmioBus::new();
    let a = Arc::new(Recorder::default());
    let b = Arc::new(Recorder::default());
    bus.insert(0x2000, 0x100, b.clone()).unwrap();
    bus.insert(0x1000, 0x100, a.clone()).unwrap();
    let mut buf = [0u8; 4];
    assert!(bus.read(0x1010, &mut buf));
    assert_eq!(u32::from_le_bytes(buf), 0x10);
    assert!(bus.write(0x20fc, &[1, 2, 3, 4]));
    assert_eq!(*a.0.lock().unwrap(), vec![(false, 0x10, 4)]);
    assert_eq!(*b.0.lock().unwrap(), vec![(true, 0xfc, 4)]);
    assert_eq!(bus.ranges().collect::<Vec<_>>(), vec![(0x1000, 0x100), (0x2000, 0x100)]);
}

#[test]
fn unmapped_and_straddling_accesses_fail() {
    let mut bus = MmioBus::new();
    bus.insert(0x1000, 0x100, Arc::new(Recorder::default())).unwrap();
    let mut buf = [0xeeu8; 8];
    assert!(!bus.read(0xfff, &mut buf[..1]));
    assert!(!bus.read(0x1100, &mut buf[..1]));
    assert!(!bus.read(0x10fc, &mut buf)); // runs past the end
    assert_eq!(buf, [0xee; 8]);
    assert!(bus.read(0x10f8, &mut buf));
    assert!(!bus.write(0, &[0]));
    assert!(!bus.write(u64::MAX, &[0, 0]));
    assert!(!MmioBus::new().read(0x1000, &mut buf));
}

#[test]
fn insert_rejects_overlap_empty_and_wrapping() {
    let mut bus = MmioBus::new();
    let d = || Arc::new(Recorder::default()) as Arc<dyn MmioDevice>;
    bus.insert(0x1000, 0x1000, d()).unwrap();
    bus.insert(0x3000, 0x1000, d()).unwrap();
    // Touching neighbours are fine.
    bus.insert(0x2000, 0x1000, d()).unwrap();
    for (base, len) in [(0x1fff, 2), (0x0, 0x1001), (0x3fff, 1), (0x0, 0x10000), (0x2800, 1)] {
        let err = bus.insert(base, len, d()).unwrap_err();
        assert!(matches!(err, BusError::Overlap { .. }), "{base:#x}+{len:#x}: {err}");
    }
    assert_eq!(bus.insert(0x9000, 0, d()), Err(BusError::EmptyRange { base: 0x9000 }));
    assert!(matches!(bus.insert(u64::MAX, 2, d()), Err(BusError::Wraps { .. })));
    bus.insert(u64::MAX - 0x100, 0x100, d()).unwrap();
    let mut b = [0u8; 1];
    assert!(bus.read(u64::MAX - 1, &mut b));
    assert!(!bus.read(u64::MAX, &mut b));
    let msg = bus.insert(0x1800, 0x10, d()).unwrap_err().to_string();
    assert_eq!(msg, "MMIO range [0x1800, 0x1810) overlaps the device at [0x1000, 0x2000)");
}

#[test]
fn le_helpers() {
    assert_eq!(le_value(&[0x34, 0x12]), Some(0x1234));
    assert_eq!(le_value(&[1, 2, 3]), None);
    let mut b = [0u8; 2];
    put_le_value(&mut b, 0xabcd_ef01);
    assert_eq!(b, [0x01, 0xef]);
}
