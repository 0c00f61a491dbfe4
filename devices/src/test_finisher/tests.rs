use super::*;

fn w32(f: &TestFinisher, off: u64, v: u32) {
    f.write(off, &v.to_le_bytes());
}

#[test]
fn pass_reset_fail() {
    let f = TestFinisher::new();
    w32(&f, 0, 0x5555);
    assert_eq!(f.peek_event(), Some(FinisherEvent::Pass));
    assert_eq!(f.take_event(), Some(FinisherEvent::Pass));
    w32(&f, 0, 0x7777);
    assert_eq!(f.take_event(), Some(FinisherEvent::Reset));
    w32(&f, 0, 0xffff_3333);
    assert_eq!(f.take_event(), Some(FinisherEvent::Fail(0xffff)));
    f.write(0, &0x0001_3333u64.to_le_bytes());
    assert_eq!(f.take_event(), Some(FinisherEvent::Fail(1)));
}

/// OpenSBI's sifive_test driver writes a halfword.
#[test]
fn halfword_writes() {
    let f = TestFinisher::new();
    f.write(0, &[0x55, 0x55]);
    assert_eq!(f.take_event(), Some(FinisherEvent::Pass));
    f.write(0, &[0x77, 0x77]);
    assert_eq!(f.take_event(), Some(FinisherEvent::Reset));
    f.write(2, &[0x55, 0x55]);
    assert_eq!(f.take_event(), None);
}

#[test]
fn ignored_writes() {
    let f = TestFinisher::new();
    w32(&f, 0, 0);
    w32(&f, 0, 0x5556);
    w32(&f, 4, 0x5555);
    f.write(0, &[0x55]);
    f.write(0, &[]);
    f.write(u64::MAX, &[0; 4]);
    assert_eq!(f.take_event(), None);
    let mut b = [0xff; 4];
    f.read(0, &mut b);
    assert_eq!(b, [0; 4]);
}

#[test]
fn first_event_wins_until_taken() {
    let f = TestFinisher::new();
    w32(&f, 0, 0x0005_3333);
    w32(&f, 0, 0x5555);
    assert_eq!(f.take_event(), Some(FinisherEvent::Fail(5)));
    assert_eq!(f.take_event(), None);
}

#[test]
fn exit_status() {
    assert_eq!(FinisherEvent::Pass.exit_status(), Some(0));
    assert_eq!(FinisherEvent::Fail(0).exit_status(), Some(1));
    assert_eq!(FinisherEvent::Fail(7).exit_status(), Some(7));
    assert_eq!(FinisherEvent::Reset.exit_status(), None);
}
