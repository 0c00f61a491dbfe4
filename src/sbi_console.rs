//! The VMM's half of SBI: console calls the hypervisor forwards
//! (legacy putchar/getchar and DBCN), served on the host console.

use std::io::Write;

use hartvm_runtime::GuestMemory;
use hartvm_sbi::dbcn::{self, DebugConsole, GuestRam};
use hartvm_sbi::{eid, SbiCall, SbiError};

use crate::console::{Console, ConsoleInput};

/// Legacy console_putchar and console_getchar.
const LEGACY_PUTCHAR: u64 = 1;
const LEGACY_GETCHAR: u64 = 2;

struct Ram<'a>(&'a GuestMemory);

impl GuestRam for Ram<'_> {
    fn contains(&self, addr: u64, len: u64) -> bool {
        self.0.contains(addr, len)
    }
    fn read(&self, addr: u64, buf: &mut [u8]) -> bool {
        self.0.read(addr, buf)
    }
    fn write(&self, addr: u64, buf: &[u8]) -> bool {
        self.0.write(addr, buf)
    }
}

struct Terminal<'a> {
    out: Console,
    input: &'a ConsoleInput,
}

impl DebugConsole for Terminal<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)?;
        self.out.flush()
    }
    fn read(&mut self, buf: &mut [u8]) -> usize {
        self.input.read(buf)
    }
}

/// Serves a forwarded call; returns a0/a1.
pub fn serve(call: &SbiCall, mem: &GuestMemory, out: &Console, input: &ConsoleInput) -> [u64; 2] {
    let mut terminal = Terminal { out: out.clone(), input };
    match call.eid {
        LEGACY_PUTCHAR => {
            let ok = terminal.write(&[call.args[0] as u8]).is_ok();
            [if ok { 0 } else { SbiError::Failed.code() as u64 }, 0]
        }
        LEGACY_GETCHAR => {
            let mut byte = [0u8];
            // -1: no character waiting.
            [if input.read(&mut byte) == 1 { byte[0] as u64 } else { u64::MAX }, 0]
        }
        eid::DBCN => {
            let ret = dbcn::serve(call, &Ram(mem), &mut terminal);
            [ret.error as u64, ret.value]
        }
        _ => [SbiError::NotSupported.code() as u64, 0],
    }
}
