//! The Spike / riscv-tests host-target interface (HTIF).
//!
//! The guest talks to the host through two 64-bit words in its RAM, found by
//! the ELF symbols `tohost` and `fromhost` (see
//! [`LoadedElf`](crate::loader::LoadedElf)). A store to `tohost` carries a
//! request: `device = value >> 56`, `command = (value >> 48) & 0xff`,
//! `payload = value & 0xffff_ffff_ffff`. [`decode_tohost`] turns the value
//! into an [`HtifRequest`]; for a syscall, [`serve_syscall`] does the work
//! and says what the VMM must do next ([`SyscallOutcome`]).
//!
//! The VMM's part of the protocol, for a nonzero value read from `tohost`:
//!
//! 1. `Exit { code }`: stop; `code == 0` is a pass, otherwise riscv-tests'
//!    failing test number.
//! 2. `Syscall { addr }`: call [`serve_syscall`]; on
//!    [`SyscallOutcome::Return`] the result is already in `magic_mem[0]`:
//!    write 0 to `tohost`, then [`FROMHOST_SYSCALL_DONE`] (1) to `fromhost`
//!    (the guest spins on `fromhost != 0`). On [`SyscallOutcome::Exit`] stop
//!    like `Exit`.
//! 3. `Putchar(c)`: print `c`, write 0 to `tohost`; optionally acknowledge
//!    with `fromhost = encode(1, 1, 0x100 | c)` ([`encode`]).
//! 4. `Getchar`: write 0 to `tohost`; when a byte `c` is available, write
//!    `encode(1, 0, 0x100 | c)` to `fromhost`.
//! 5. `Unknown`: write 0 to `tohost` and ignore (or report).
//!
//! [`handle_tohost`] does all of this in one call and returns an
//! [`HtifAction`] with the remaining steps.

use std::io::Write;

#[cfg(test)]
mod tests;

/// Linux `write` syscall number (the RISC-V generic syscall table).
pub const SYS_WRITE: u64 = 64;
/// Linux `exit` syscall number.
pub const SYS_EXIT: u64 = 93;
/// Linux `exit_group` syscall number (served like `exit`).
pub const SYS_EXIT_GROUP: u64 = 94;
/// `-ENOSYS`, returned for syscalls the helper does not implement.
pub const ENOSYS: i64 = -38;
/// `-EBADF`, returned for `write` to a file descriptor other than 1 or 2.
pub const EBADF: i64 = -9;
/// `-EFAULT`, returned when the buffer of a `write` is not in guest memory.
pub const EFAULT: i64 = -14;
/// The value the VMM writes to `fromhost` after serving a syscall.
pub const FROMHOST_SYSCALL_DONE: u64 = 1;

/// A decoded `tohost` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HtifRequest {
    /// The program ended (device 0, command 0, odd payload). `code` is
    /// `payload >> 1`: 0 = pass, n = riscv-tests' failing test number.
    Exit {
        /// Exit code; 0 means pass.
        code: u64,
    },
    /// A proxied syscall (device 0, command 0, even payload): `addr` points
    /// to a 64-byte "magic memory" block of eight u64 words,
    /// `[number, arg0, arg1, arg2, ...]`.
    Syscall {
        /// Guest physical address of the magic memory block.
        addr: u64,
    },
    /// Console output of one byte (device 1, command 1).
    Putchar(u8),
    /// Console input request (device 1, command 0).
    Getchar,
    /// Anything else; the raw `tohost` value.
    Unknown(u64),
}

/// Decodes a value the guest stored to `tohost`.
///
/// ```
/// use hartvm_devices::htif::{decode_tohost, HtifRequest};
/// assert_eq!(decode_tohost(1), HtifRequest::Exit { code: 0 });
/// assert_eq!(decode_tohost((5 << 1) | 1), HtifRequest::Exit { code: 5 });
/// assert_eq!(decode_tohost(0x8000_1000), HtifRequest::Syscall { addr: 0x8000_1000 });
/// assert_eq!(decode_tohost(0x0101_0000_0000_0041), HtifRequest::Putchar(b'A'));
/// assert_eq!(decode_tohost(0x0100_0000_0000_0000), HtifRequest::Getchar);
/// ```
pub fn decode_tohost(value: u64) -> HtifRequest {
    let device = value >> 56;
    let command = (value >> 48) & 0xff;
    let payload = value & 0xffff_ffff_ffff;
    match (device, command) {
        (0, 0) if payload & 1 == 1 => HtifRequest::Exit { code: payload >> 1 },
        (0, 0) => HtifRequest::Syscall { addr: payload },
        (1, 1) => HtifRequest::Putchar(payload as u8),
        (1, 0) => HtifRequest::Getchar,
        _ => HtifRequest::Unknown(value),
    }
}

/// Encodes an HTIF word (for `fromhost` responses): `device << 56 |
/// command << 48 | payload` (payload truncated to 48 bits).
///
/// ```
/// use hartvm_devices::htif::encode;
/// assert_eq!(encode(1, 0, 0x100 | u64::from(b'y')), 0x0100_0000_0000_0179);
/// ```
pub fn encode(device: u8, command: u8, payload: u64) -> u64 {
    (u64::from(device) << 56) | (u64::from(command) << 48) | (payload & 0xffff_ffff_ffff)
}

/// Guest physical memory as the HTIF helper needs it. Both methods return
/// `false` (and do nothing or part of the work) if any byte of the range is
/// not guest RAM.
pub trait GuestMemoryAccess {
    /// Reads `buf.len()` bytes at guest physical `addr`.
    fn read(&self, addr: u64, buf: &mut [u8]) -> bool;
    /// Writes `buf` at guest physical `addr`.
    fn write(&self, addr: u64, buf: &[u8]) -> bool;
}

/// What the VMM must do after [`serve_syscall`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyscallOutcome {
    /// The syscall was served and its return value (also given here) was
    /// stored in `magic_mem[0]`. The VMM writes 0 to `tohost`, then
    /// [`FROMHOST_SYSCALL_DONE`] to `fromhost`, and resumes the guest.
    Return(i64),
    /// The guest called `exit(code)`: stop the machine with that status
    /// (0 = pass). No response is written.
    Exit(u64),
    /// The magic memory block at this address could not be read or its
    /// result written: a guest bug. Nothing was written; the VMM should stop
    /// with an error (the guest would otherwise wait for `fromhost` forever).
    BadAddress(u64),
}

/// Serves the syscall whose magic memory block is at `addr`.
///
/// `SYS_write` (64) to fd 1 or 2 copies the bytes to `out` and returns the
/// count (a buffer partly outside RAM writes what is readable; none at all
/// → `-EFAULT`; other fds → `-EBADF`). `SYS_exit` (93) and `exit_group`
/// (94) give [`SyscallOutcome::Exit`] with `arg0`. Everything else returns
/// `-ENOSYS` (-38). See [`SyscallOutcome`] for the VMM's next step.
///
/// ```
/// use hartvm_devices::htif::{serve_syscall, GuestMemoryAccess, SyscallOutcome, SYS_WRITE};
/// use std::cell::RefCell;
///
/// struct Ram(RefCell<Vec<u8>>); // guest RAM at address 0
/// impl GuestMemoryAccess for Ram {
///     fn read(&self, addr: u64, buf: &mut [u8]) -> bool {
///         let m = self.0.borrow();
///         let Some(src) = m.get(addr as usize..addr as usize + buf.len()) else { return false };
///         buf.copy_from_slice(src);
///         true
///     }
///     fn write(&self, addr: u64, buf: &[u8]) -> bool {
///         let mut m = self.0.borrow_mut();
///         let Some(dst) = m.get_mut(addr as usize..addr as usize + buf.len()) else { return false };
///         dst.copy_from_slice(buf);
///         true
///     }
/// }
///
/// let ram = Ram(RefCell::new(vec![0; 256]));
/// let magic: [u64; 8] = [SYS_WRITE, 1, 128, 3, 0, 0, 0, 0];
/// for (i, w) in magic.iter().enumerate() {
///     ram.write(i as u64 * 8, &w.to_le_bytes());
/// }
/// ram.write(128, b"ok\n");
/// let mut out = Vec::new();
/// assert_eq!(serve_syscall(&ram, 0, &mut out), SyscallOutcome::Return(3));
/// assert_eq!(out, b"ok\n");
/// let mut ret = [0u8; 8];
/// ram.read(0, &mut ret);
/// assert_eq!(u64::from_le_bytes(ret), 3); // magic_mem[0] = return value
/// ```
pub fn serve_syscall(mem: &dyn GuestMemoryAccess, addr: u64, out: &mut dyn Write) -> SyscallOutcome {
    let mut raw = [0u8; 64];
    if !mem.read(addr, &mut raw) {
        return SyscallOutcome::BadAddress(addr);
    }
    let word = |i: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&raw[i * 8..i * 8 + 8]);
        u64::from_le_bytes(b)
    };
    let (number, arg0, arg1, arg2) = (word(0), word(1), word(2), word(3));
    let ret = match number {
        SYS_EXIT | SYS_EXIT_GROUP => return SyscallOutcome::Exit(arg0),
        SYS_WRITE if arg0 == 1 || arg0 == 2 => sys_write(mem, arg1, arg2, out),
        SYS_WRITE => EBADF,
        _ => ENOSYS,
    };
    if !mem.write(addr, &ret.to_le_bytes()) {
        return SyscallOutcome::BadAddress(addr);
    }
    SyscallOutcome::Return(ret)
}

fn sys_write(mem: &dyn GuestMemoryAccess, buf: u64, len: u64, out: &mut dyn Write) -> i64 {
    const CHUNK: u64 = 4096;
    let mut done = 0u64;
    let mut tmp = [0u8; CHUNK as usize];
    while done < len {
        let n = (len - done).min(CHUNK);
        let Some(at) = buf.checked_add(done) else {
            break;
        };
        let chunk = &mut tmp[..n as usize];
        if !mem.read(at, chunk) {
            // Fall back to what is readable, byte by byte, at the boundary.
            let mut ok = 0;
            while ok < chunk.len() && mem.read(at + ok as u64, &mut chunk[ok..ok + 1]) {
                ok += 1;
            }
            if ok > 0 && out.write_all(&chunk[..ok]).is_ok() {
                done += ok as u64;
            }
            break;
        }
        if out.write_all(chunk).is_err() {
            break;
        }
        done += n;
    }
    let _ = out.flush();
    if done == 0 && len > 0 {
        EFAULT
    } else {
        i64::try_from(done).unwrap_or(i64::MAX)
    }
}

/// What the VMM must do after [`handle_tohost`]. In every case but
/// `Exit` and `Fault`, the VMM first writes 0 to `tohost`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HtifAction {
    /// Stop the machine: the guest exited with `code` (0 = pass).
    Exit(u64),
    /// The request was served; write 0 to `tohost`, then this value to
    /// `fromhost` if there is one, and resume.
    Done {
        /// Value for `fromhost`, if the protocol expects a response.
        fromhost: Option<u64>,
    },
    /// Console input was requested: write 0 to `tohost`; when a byte `c`
    /// arrives, write `encode(1, 0, 0x100 | c)` to `fromhost`.
    Getchar,
    /// The syscall block at this address is not in guest RAM: stop with an
    /// error.
    Fault(u64),
    /// An unknown request (the raw value): write 0 to `tohost`, report it.
    Unknown(u64),
}

/// Handles one nonzero value read from `tohost`: decodes it, serves
/// syscalls and console output (to `out`, flushed), and says what is left
/// for the VMM to do.
///
/// ```
/// use hartvm_devices::htif::{encode, handle_tohost, GuestMemoryAccess, HtifAction};
///
/// struct NoRam;
/// impl GuestMemoryAccess for NoRam {
///     fn read(&self, _: u64, _: &mut [u8]) -> bool { false }
///     fn write(&self, _: u64, _: &[u8]) -> bool { false }
/// }
///
/// let mut out = Vec::new();
/// let act = handle_tohost(encode(1, 1, u64::from(b'!')), &NoRam, &mut out);
/// assert_eq!(act, HtifAction::Done { fromhost: Some(encode(1, 1, 0x100 | u64::from(b'!'))) });
/// assert_eq!(out, b"!");
/// assert_eq!(handle_tohost(3, &NoRam, &mut out), HtifAction::Exit(1));
/// ```
pub fn handle_tohost(value: u64, mem: &dyn GuestMemoryAccess, out: &mut dyn Write) -> HtifAction {
    match decode_tohost(value) {
        HtifRequest::Exit { code } => HtifAction::Exit(code),
        HtifRequest::Syscall { addr } => match serve_syscall(mem, addr, out) {
            SyscallOutcome::Return(_) => HtifAction::Done { fromhost: Some(FROMHOST_SYSCALL_DONE) },
            SyscallOutcome::Exit(code) => HtifAction::Exit(code),
            SyscallOutcome::BadAddress(a) => HtifAction::Fault(a),
        },
        HtifRequest::Putchar(c) => {
            let _ = out.write_all(&[c]);
            let _ = out.flush();
            HtifAction::Done { fromhost: Some(encode(1, 1, 0x100 | u64::from(c))) }
        }
        HtifRequest::Getchar => HtifAction::Getchar,
        HtifRequest::Unknown(v) => HtifAction::Unknown(v),
    }
}
