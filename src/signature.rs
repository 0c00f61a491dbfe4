//! `--signature`: the memory a conformance test (riscv-arch-test style)
//! leaves its results in, written to a file when the guest ends, in the
//! format Spike's `+signature=` writes, so the same reference files and
//! harnesses compare it.

use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use crate::machine::Machine;

/// A signature to write after the run: checked before the guest starts,
/// so a program without one fails at once rather than after running.
pub struct Request {
    path: PathBuf,
    region: Range<u64>,
}

impl Request {
    /// The program's signature region, to be written to `path`.
    pub fn new(machine: &Machine, path: &Path) -> anyhow::Result<Request> {
        let Some(region) = machine.elf().signature.clone() else {
            bail!("--signature: the program has no begin_signature and end_signature symbols");
        };
        if region.end < region.start {
            bail!("--signature: end_signature ({:#x}) is below begin_signature ({:#x})", region.end, region.start);
        }
        if !machine.memory().contains(region.start, region.end - region.start) {
            bail!("--signature: the region {:#x}..{:#x} is not in guest RAM", region.start, region.end);
        }
        Ok(Request { path: path.to_path_buf(), region })
    }

    /// Writes the region as it is now, `granularity` bytes per line.
    pub fn write(&self, machine: &Machine, granularity: usize) -> anyhow::Result<()> {
        let mut bytes = vec![0; (self.region.end - self.region.start) as usize];
        if !machine.memory().read(self.region.start, &mut bytes) {
            bail!("--signature: the region left guest RAM");
        }
        std::fs::write(&self.path, format(&bytes, granularity))
            .with_context(|| format!("cannot write the signature to {}", self.path.display()))
    }
}

/// `bytes` as lines of `granularity` bytes, each the little-endian value
/// in lowercase hex (most significant byte first); a short last line is
/// padded with zero bytes.
pub fn format(bytes: &[u8], granularity: usize) -> String {
    let mut out = String::with_capacity(bytes.len() / granularity * (2 * granularity + 1) + 2 * granularity);
    for chunk in bytes.chunks(granularity) {
        for k in (0..granularity).rev() {
            out.push_str(&format!("{:02x}", chunk.get(k).copied().unwrap_or(0)));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::format;

    #[test]
    fn lines_hold_little_endian_values() {
        let bytes = [0x78, 0x56, 0x34, 0x12, 0xef, 0xbe, 0xad, 0xde];
        assert_eq!(format(&bytes, 4), "12345678\ndeadbeef\n");
        assert_eq!(format(&bytes, 8), "deadbeef12345678\n");
        assert_eq!(format(&bytes, 1), "78\n56\n34\n12\nef\nbe\nad\nde\n");
        assert_eq!(format(&bytes, 16), "0000000000000000deadbeef12345678\n");
    }

    #[test]
    fn an_empty_region_is_an_empty_file() {
        assert_eq!(format(&[], 4), "");
    }
}
