use super::*;
use std::cell::RefCell;

/// Guest RAM at [BASE, BASE + len).
struct Ram(RefCell<Vec<u8>>);
const BASE: u64 = 0x8000_0000;

impl Ram {
    fn new(len: usize) -> Self {
        Ram(RefCell::new(vec![0; len]))
    }
    fn range(&self, addr: u64, len: usize) -> Option<std::ops::Range<usize>> {
        let start = usize::try_from(addr.checked_sub(BASE)?).ok()?;
        let end = start.checked_add(len)?;
        (end <= self.0.borrow().len()).then_some(start..end)
    }
    fn put_words(&self, addr: u64, words: &[u64]) {
        for (i, w) in words.iter().enumerate() {
            assert!(self.write(addr + 8 * i as u64, &w.to_le_bytes()));
        }
    }
    fn word(&self, addr: u64) -> u64 {
        let mut b = [0; 8];
        assert!(self.read(addr, &mut b));
        u64::from_le_bytes(b)
    }
}

impl GuestMemoryAccess for Ram {
    fn read(&self, addr: u64, buf: &mut [u8]) -> bool {
        let Some(r) = self.range(addr, buf.len()) else {
            return false;
        };
        buf.copy_from_slice(&self.0.borrow()[r]);
        true
    }
    fn write(&self, addr: u64, buf: &[u8]) -> bool {
        let Some(r) = self.range(addr, buf.len()) else {
            return false;
        };
        self.0.borrow_mut()[r].copy_from_slice(buf);
        true
    }
}

#[test]
fn decode_all_kinds() {
    assert_eq!(decode_tohost(1), HtifRequest::Exit { code: 0 });
    assert_eq!(decode_tohost(0x1f), HtifRequest::Exit { code: 15 });
    assert_eq!(decode_tohost(0xffff_ffff_ffff), HtifRequest::Exit { code: 0x7fff_ffff_ffff });
    assert_eq!(decode_tohost(0x8000_0040), HtifRequest::Syscall { addr: 0x8000_0040 });
    assert_eq!(decode_tohost(encode(1, 1, 0x1ff)), HtifRequest::Putchar(0xff));
    assert_eq!(decode_tohost(encode(1, 0, 0)), HtifRequest::Getchar);
    for v in [encode(0, 1, 1), encode(2, 0, 1), encode(1, 2, 0), u64::MAX] {
        assert_eq!(decode_tohost(v), HtifRequest::Unknown(v));
    }
}

#[test]
fn encode_truncates_payload() {
    assert_eq!(encode(0xff, 0xff, u64::MAX), u64::MAX);
    assert_eq!(encode(0, 0, 1 << 48), 0);
}

#[test]
fn write_to_stdout_and_stderr() {
    let ram = Ram::new(0x1000);
    ram.write(BASE + 0x200, b"hello").then_some(()).unwrap();
    for fd in [1, 2] {
        ram.put_words(BASE, &[SYS_WRITE, fd, BASE + 0x200, 5, 0, 0, 0, 0]);
        let mut out = Vec::new();
        assert_eq!(serve_syscall(&ram, BASE, &mut out), SyscallOutcome::Return(5));
        assert_eq!(out, b"hello");
        assert_eq!(ram.word(BASE), 5);
    }
}

#[test]
fn write_errors() {
    let ram = Ram::new(0x1000);
    let mut out = Vec::new();
    ram.put_words(BASE, &[SYS_WRITE, 3, BASE, 8]);
    assert_eq!(serve_syscall(&ram, BASE, &mut out), SyscallOutcome::Return(EBADF));
    assert_eq!(ram.word(BASE) as i64, EBADF);
    ram.put_words(BASE, &[SYS_WRITE, 1, 0x10, 8]);
    assert_eq!(serve_syscall(&ram, BASE, &mut out), SyscallOutcome::Return(EFAULT));
    // A buffer running past the end of RAM writes the readable part.
    ram.put_words(BASE, &[SYS_WRITE, 1, BASE + 0xffe, 10_000]);
    assert_eq!(serve_syscall(&ram, BASE, &mut out), SyscallOutcome::Return(2));
    // Zero-length write.
    ram.put_words(BASE, &[SYS_WRITE, 1, 0, 0]);
    assert_eq!(serve_syscall(&ram, BASE, &mut out), SyscallOutcome::Return(0));
    // A length that wraps the address space.
    ram.put_words(BASE, &[SYS_WRITE, 1, u64::MAX - 1, u64::MAX]);
    assert_eq!(serve_syscall(&ram, BASE, &mut out), SyscallOutcome::Return(EFAULT));
    assert_eq!(out.len(), 2);
}

#[test]
fn large_write_crosses_chunks() {
    let ram = Ram::new(0x4000);
    let text: Vec<u8> = (0..10_000u32).map(|i| b'a' + (i % 26) as u8).collect();
    assert!(ram.write(BASE + 0x100, &text));
    ram.put_words(BASE, &[SYS_WRITE, 1, BASE + 0x100, text.len() as u64]);
    let mut out = Vec::new();
    assert_eq!(serve_syscall(&ram, BASE, &mut out), SyscallOutcome::Return(10_000));
    assert_eq!(out, text);
}

#[test]
fn exit_and_unknown() {
    let ram = Ram::new(0x100);
    let mut out = Vec::new();
    ram.put_words(BASE, &[SYS_EXIT, 7]);
    assert_eq!(serve_syscall(&ram, BASE, &mut out), SyscallOutcome::Exit(7));
    assert_eq!(ram.word(BASE), SYS_EXIT, "exit writes no response");
    ram.put_words(BASE, &[SYS_EXIT_GROUP, 0]);
    assert_eq!(serve_syscall(&ram, BASE, &mut out), SyscallOutcome::Exit(0));
    ram.put_words(BASE, &[57 /* close */, 3]);
    assert_eq!(serve_syscall(&ram, BASE, &mut out), SyscallOutcome::Return(ENOSYS));
    assert_eq!(ram.word(BASE) as i64, -38);
}

#[test]
fn bad_magic_address() {
    let ram = Ram::new(0x100);
    let mut out = Vec::new();
    for addr in [0, BASE + 0xc8, u64::MAX - 8] {
        assert_eq!(serve_syscall(&ram, addr, &mut out), SyscallOutcome::BadAddress(addr));
    }
}

#[test]
fn handle_tohost_covers_every_request() {
    let ram = Ram::new(0x1000);
    let mut out = Vec::new();
    assert_eq!(handle_tohost(1, &ram, &mut out), HtifAction::Exit(0));
    assert_eq!(handle_tohost(0x2b, &ram, &mut out), HtifAction::Exit(21));
    assert!(ram.write(BASE + 0x100, b"hey"));
    ram.put_words(BASE, &[SYS_WRITE, 1, BASE + 0x100, 3]);
    assert_eq!(handle_tohost(BASE, &ram, &mut out), HtifAction::Done { fromhost: Some(1) });
    ram.put_words(BASE, &[SYS_EXIT, 4]);
    assert_eq!(handle_tohost(BASE, &ram, &mut out), HtifAction::Exit(4));
    assert_eq!(handle_tohost(0x10, &ram, &mut out), HtifAction::Fault(0x10));
    assert_eq!(
        handle_tohost(encode(1, 1, u64::from(b'\n')), &ram, &mut out),
        HtifAction::Done { fromhost: Some(0x0101_0000_0000_010a) }
    );
    assert_eq!(handle_tohost(encode(1, 0, 0), &ram, &mut out), HtifAction::Getchar);
    let odd = encode(7, 7, 7);
    assert_eq!(handle_tohost(odd, &ram, &mut out), HtifAction::Unknown(odd));
    assert_eq!(out, b"hey\n");
}
