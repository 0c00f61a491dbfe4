//! DBCN (EID "DBCN"): the debug console. The hypervisor forwards these
//! calls to the VMM, which owns the console; [`serve`] is the VMM's half.
//!
//! ```
//! use hartvm_sbi::dbcn::{serve, DebugConsole, GuestRam};
//! use hartvm_sbi::{eid, SbiCall, SbiRet};
//! struct Ram(Vec<u8>);
//! impl GuestRam for Ram {
//!     fn contains(&self, addr: u64, len: u64) -> bool {
//!         addr >= 0x8000_0000 && (addr - 0x8000_0000).checked_add(len).is_some_and(|e| e <= self.0.len() as u64)
//!     }
//!     fn read(&self, addr: u64, buf: &mut [u8]) -> bool {
//!         let Some(a) = addr.checked_sub(0x8000_0000) else { return false };
//!         match self.0.get(a as usize..a as usize + buf.len()) {
//!             Some(src) => { buf.copy_from_slice(src); true }
//!             None => false,
//!         }
//!     }
//!     fn write(&self, _: u64, _: &[u8]) -> bool { false }
//! }
//! struct Out(Vec<u8>);
//! impl DebugConsole for Out {
//!     fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> { self.0.extend_from_slice(bytes); Ok(()) }
//!     fn read(&mut self, _: &mut [u8]) -> usize { 0 }
//! }
//! let ram = Ram(b"hello".to_vec());
//! let mut out = Out(Vec::new());
//! let write = SbiCall { eid: eid::DBCN, fid: 0, args: [5, 0x8000_0000, 0, 0, 0, 0] };
//! assert_eq!(serve(&write, &ram, &mut out), SbiRet::ok(5));
//! assert_eq!(out.0, b"hello");
//! ```

use crate::{Outcome, SbiCall, SbiError, SbiRet};

const WRITE: u64 = 0;
const READ: u64 = 1;
const WRITE_BYTE: u64 = 2;

/// Bytes one write or read moves at most; the guest calls again for the rest.
const CHUNK: usize = 4096;

/// Guest physical memory as the VMM sees it.
pub trait GuestRam {
    /// Whether every byte of `[addr, addr + len)` is RAM.
    fn contains(&self, addr: u64, len: u64) -> bool;
    /// Copies guest RAM at `addr` into `buf`; false if any byte is not RAM.
    fn read(&self, addr: u64, buf: &mut [u8]) -> bool;
    /// Copies `buf` into guest RAM at `addr`; false if any byte is not RAM.
    fn write(&self, addr: u64, buf: &[u8]) -> bool;
}

/// The console behind DBCN.
pub trait DebugConsole {
    /// Writes all of `bytes`.
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<()>;
    /// Reads what input is available now (never waits); 0 if none.
    fn read(&mut self, buf: &mut [u8]) -> usize;
}

pub(crate) fn handle(call: &SbiCall) -> Outcome {
    match call.fid {
        WRITE | READ | WRITE_BYTE => Outcome::Forward,
        _ => Outcome::error(SbiError::NotSupported),
    }
}

/// Serves a forwarded DBCN call.
pub fn serve(call: &SbiCall, ram: &impl GuestRam, console: &mut impl DebugConsole) -> SbiRet {
    let [num_bytes, lo, hi, ..] = call.args;
    let result = match call.fid {
        WRITE => buffer(ram, num_bytes, lo, hi).and_then(|(addr, len)| {
            let mut buf = vec![0; len];
            if !ram.read(addr, &mut buf) {
                return Err(SbiError::InvalidParam);
            }
            console.write(&buf).map(|()| len as u64).map_err(|_| SbiError::Failed)
        }),
        READ => buffer(ram, num_bytes, lo, hi).and_then(|(addr, len)| {
            let mut probe = vec![0; len];
            if !ram.read(addr, &mut probe) {
                return Err(SbiError::InvalidParam);
            }
            let n = console.read(&mut probe);
            ram.write(addr, &probe[..n]);
            Ok(n as u64)
        }),
        WRITE_BYTE => console.write(&[num_bytes as u8]).map(|()| 0).map_err(|_| SbiError::Failed),
        _ => Err(SbiError::NotSupported),
    };
    SbiRet::from_result(result)
}

/// The guest buffer of a read or write, and how much of it one call
/// moves. The whole buffer must be RAM; RV64 addresses fit the low word,
/// so a non-zero high word names memory that does not exist.
fn buffer(ram: &impl GuestRam, num_bytes: u64, lo: u64, hi: u64) -> Result<(u64, usize), SbiError> {
    if hi != 0 || !ram.contains(lo, num_bytes) {
        return Err(SbiError::InvalidParam);
    }
    Ok((lo, num_bytes.min(CHUNK as u64) as usize))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eid;
    use std::cell::RefCell;

    struct Ram(RefCell<Vec<u8>>);
    impl GuestRam for Ram {
        fn contains(&self, addr: u64, len: u64) -> bool {
            addr >= 0x1000 && (addr - 0x1000).checked_add(len).is_some_and(|e| e <= self.0.borrow().len() as u64)
        }
        fn read(&self, addr: u64, buf: &mut [u8]) -> bool {
            let ram = self.0.borrow();
            let Some(src) = addr.checked_sub(0x1000).and_then(|a| ram.get(a as usize..a as usize + buf.len())) else {
                return false;
            };
            buf.copy_from_slice(src);
            true
        }
        fn write(&self, addr: u64, buf: &[u8]) -> bool {
            let mut ram = self.0.borrow_mut();
            let Some(dst) = addr.checked_sub(0x1000).and_then(|a| ram.get_mut(a as usize..a as usize + buf.len()))
            else {
                return false;
            };
            dst.copy_from_slice(buf);
            true
        }
    }
    struct Console {
        out: Vec<u8>,
        input: Vec<u8>,
    }
    impl DebugConsole for Console {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
            self.out.extend_from_slice(bytes);
            Ok(())
        }
        fn read(&mut self, buf: &mut [u8]) -> usize {
            let n = buf.len().min(self.input.len());
            buf[..n].copy_from_slice(&self.input[..n]);
            self.input.drain(..n);
            n
        }
    }

    fn dbcn(fid: u64, args: [u64; 3]) -> SbiCall {
        SbiCall { eid: eid::DBCN, fid, args: [args[0], args[1], args[2], 0, 0, 0] }
    }

    #[test]
    fn write_read_and_bad_buffers() {
        let ram = Ram(RefCell::new(b"0123456789".to_vec()));
        let mut con = Console { out: Vec::new(), input: b"ab".to_vec() };
        assert_eq!(serve(&dbcn(WRITE, [4, 0x1002, 0]), &ram, &mut con), SbiRet::ok(4));
        assert_eq!(serve(&dbcn(WRITE_BYTE, [0x321, 0, 0]), &ram, &mut con), SbiRet::ok(0));
        assert_eq!(con.out, b"2345!");
        let invalid = SbiRet::err(SbiError::InvalidParam);
        assert_eq!(serve(&dbcn(WRITE, [4, 0x1008, 0]), &ram, &mut con), invalid);
        assert_eq!(serve(&dbcn(WRITE, [1, 0x1000, 1]), &ram, &mut con), invalid);
        assert_eq!(serve(&dbcn(READ, [20, 0x1000, 0]), &ram, &mut con), invalid);
        assert_eq!(serve(&dbcn(WRITE, [u64::MAX, 0x1000, 0]), &ram, &mut con), invalid);
        assert_eq!(serve(&dbcn(READ, [5, 0x1000, 0]), &ram, &mut con), SbiRet::ok(2));
        assert_eq!(serve(&dbcn(READ, [5, 0x1000, 0]), &ram, &mut con), SbiRet::ok(0));
        assert_eq!(&ram.0.borrow()[..4], b"ab23");
        assert_eq!(serve(&dbcn(3, [0, 0, 0]), &ram, &mut con), SbiRet::err(SbiError::NotSupported));
        assert_eq!(handle(&dbcn(0, [0; 3])), Outcome::Forward);
        assert_eq!(handle(&dbcn(3, [0; 3])), Outcome::Return(SbiRet::err(SbiError::NotSupported)));
    }
}
