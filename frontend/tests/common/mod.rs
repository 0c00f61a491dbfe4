//! Shared helpers for the tests that compare hartvm's decoder and
//! disassembler with GNU binutils (`riscv64-unknown-elf-objdump`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The cross C compiler.
pub const CC: &str = "riscv64-unknown-elf-gcc";
/// The cross assembler.
pub const AS: &str = "riscv64-unknown-elf-as";
/// The cross objcopy.
pub const OBJCOPY: &str = "riscv64-unknown-elf-objcopy";
/// The cross objdump.
pub const OBJDUMP: &str = "riscv64-unknown-elf-objdump";

/// The ISA the reference objdump is told about (through the ELF attributes
/// of the objects we assemble): exactly the extensions hartvm decodes that
/// binutils 2.40 knows (it has no Zicond).
pub const MARCH: &str = "rv64gc_zba_zbb_zbs_zicsr_zifencei_zihintpause";

/// Panics with an actionable message unless the RISC-V toolchain is installed.
pub fn require_toolchain() {
    for tool in [CC, AS, OBJCOPY, OBJDUMP] {
        let ok = Command::new(tool).arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
        assert!(
            ok,
            "`{tool}` is not available. The frontend's corpus tests need the RISC-V \
             bare-metal toolchain: install the Debian packages \
             `gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf` \
             (apt-get install gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf)."
        );
    }
}

/// A fresh scratch directory for one test, under Cargo's per-target
/// temporary directory.
pub fn work_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hartvm-frontend").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Runs a command, panicking with its output if it fails.
pub fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Assembles `source` (written to `dir/name.s`) for [`MARCH`] and returns
/// the object's path. With `as_code`, the `$d` mapping symbols that
/// `.2byte`/`.4byte` directives create are removed, so that objdump
/// disassembles the data as instructions.
pub fn assemble(dir: &Path, name: &str, source: &str, as_code: bool) -> PathBuf {
    let src = dir.join(format!("{name}.s"));
    let obj = dir.join(format!("{name}.o"));
    std::fs::write(&src, source).expect("write assembly");
    run(Command::new(AS)
        .arg(format!("-march={MARCH}"))
        .arg("-mpriv-spec=1.12")
        .arg("-mabi=lp64d")
        .arg("-o")
        .arg(&obj)
        .arg(&src));
    if as_code {
        let code = dir.join(format!("{name}.code.o"));
        run(Command::new(OBJCOPY).args(["-N", "$d", "-N", "$x"]).arg(&obj).arg(&code));
        code
    } else {
        obj
    }
}

/// One instruction line of `objdump -d` output.
#[derive(Debug, Clone)]
pub struct Line {
    /// Address.
    pub addr: u64,
    /// The encoding (16 or 32 bits).
    pub raw: u32,
    /// 2 or 4; 0 for lines that are not one 16/32-bit unit (e.g. `.byte`).
    pub len: usize,
    /// The disassembly with objdump's ` <symbol>` suffix and `#` comment removed.
    pub text: String,
    /// The full line, for messages.
    pub full: String,
}

/// Removes what a per-instruction disassembler cannot produce: the
/// ` <symbol>` objdump appends to branch targets and the `# …` comments it
/// computes from earlier instructions.
pub fn normalize(text: &str) -> String {
    let mut t = text;
    if let Some(i) = t.find(" #") {
        t = &t[..i];
    }
    if let Some(i) = t.find(" <") {
        t = &t[..i];
    }
    t.trim_end().to_string()
}

/// Runs `objdump -d -M no-aliases` on an object and parses its instruction lines.
pub fn objdump(obj: &Path) -> Vec<Line> {
    let text = run(Command::new(OBJDUMP).args(["-d", "-M", "no-aliases", "-w"]).arg(obj));
    let mut lines = Vec::new();
    for l in text.lines() {
        // "   1c:\t00b50533          \tadd\ta0,a0,a1"
        let Some((addr, rest)) = l.split_once(":\t") else {
            continue;
        };
        let Ok(addr) = u64::from_str_radix(addr.trim(), 16) else {
            continue;
        };
        let Some((hex, insn)) = rest.split_once('\t') else {
            continue;
        };
        let hex = hex.trim();
        let (raw, len) = if hex.len() == 4 || hex.len() == 8 {
            match u32::from_str_radix(hex, 16) {
                Ok(v) => (v, hex.len() / 2),
                Err(_) => (0, 0),
            }
        } else {
            (0, 0)
        };
        lines.push(Line { addr, raw, len, text: normalize(insn), full: l.to_string() });
    }
    lines
}

/// Whether objdump's text means it could not decode the unit (or decoded
/// the architecturally illegal `c.unimp`, the all-zero halfword).
pub fn objdump_illegal(text: &str) -> bool {
    text.starts_with(".2byte")
        || text.starts_with(".4byte")
        || text.starts_with(".byte")
        || text.starts_with(".word")
        || text == "c.unimp"
}

/// A small deterministic PRNG (xorshift64*), so failures are reproducible.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// The next 32 random bits.
    pub fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }
}
