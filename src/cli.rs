//! Command-line interface.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

/// hartvm: a translating hypervisor for RISC-V guests.
#[derive(Parser, Debug)]
#[command(name = "hartvm", version, about, long_about = None)]
pub struct Cli {
    /// What to do (default: run the built-in guest with statistics).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a RISC-V guest on the QEMU `virt` machine: a bare-metal ELF in
    /// M-mode at its entry, or with `--kernel` an S-mode kernel under the
    /// built-in SBI (like a KVM guest).
    Run(RunArgs),
    /// Run a riscv-tests-style suite (self-checking ELFs reporting through HTIF) in parallel.
    Test(TestArgs),
}

/// Options of `hartvm run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Guest RAM size (bytes, or with a K, M or G suffix).
    #[arg(long, default_value = "128M", value_parser = parse_size, allow_hyphen_values = true)]
    pub mem: u64,
    /// Number of harts.
    #[arg(long, default_value_t = 1, value_parser = parse_smp, allow_hyphen_values = true)]
    pub smp: usize,
    /// Stop the guest after this many seconds (exit code 124).
    #[arg(long, value_parser = parse_seconds, allow_hyphen_values = true)]
    pub timeout: Option<Duration>,
    /// Stop the guest after this many instructions (exit code 125).
    #[arg(long)]
    pub max_insns: Option<u64>,
    /// Print execution statistics to stderr when the guest ends.
    #[arg(long)]
    pub stats: bool,
    /// The engine running guest code.
    #[arg(long, value_enum, default_value_t = EngineArg::Tiered)]
    pub engine: EngineArg,
    /// Write `/tmp/perf-<pid>.map` naming each translation by guest symbol,
    /// so `perf report` shows guest functions.
    #[arg(long)]
    pub perf_map: bool,
    /// Boot this kernel: a Linux `Image`, an S-mode ELF (at its physical
    /// addresses), or a raw binary (2 MiB into RAM), as QEMU's `-kernel`. Without
    /// `--bios` it runs in hypervisor mode: hart 0 at its entry with
    /// a0 = 0 and a1 = the device tree, the other harts stopped until SBI
    /// HSM starts them; SBI calls are served by hartvm (like KVM).
    #[arg(long, conflicts_with = "elf")]
    pub kernel: Option<PathBuf>,
    /// An initial RAM disk for the kernel (e.g. a gzipped cpio archive).
    #[arg(long, requires = "kernel")]
    pub initrd: Option<PathBuf>,
    /// The kernel command line (`/chosen/bootargs`).
    #[arg(long, requires = "kernel", allow_hyphen_values = true)]
    pub append: Option<String>,
    /// M-mode firmware (ELF or raw binary, e.g. OpenSBI's fw_dynamic) run
    /// at 0x80000000 on every hart, with the kernel behind it (as QEMU).
    #[arg(long, requires = "kernel")]
    pub bios: Option<PathBuf>,
    /// A raw disk image as a virtio-blk disk (repeatable): `FILE` or
    /// `FILE,readonly`. Guest writes go to the file.
    #[arg(long, value_parser = parse_drive, requires = "kernel")]
    pub drive: Vec<Drive>,
    /// Add a virtio-console (the guest's `hvc0`, e.g. `--append
    /// console=hvc0`) on the terminal; console input then goes to it
    /// rather than to the UART.
    #[arg(long, requires = "kernel")]
    pub virtio_console: bool,
    /// Write the machine's device tree blob to this file and exit.
    #[arg(long)]
    pub dump_dtb: Option<PathBuf>,
    /// After the guest suspends the system (SBI SUSP), wake it this long
    /// after (e.g. `100ms`, `2s`); it also wakes on console input or SIGUSR1.
    #[arg(long, value_parser = parse_duration, allow_hyphen_values = true)]
    pub wake_after: Option<Duration>,
    /// Do not offer this SBI extension to the guest (repeatable): v01,
    /// time, ipi, rfence, srst, hsm, dbcn, susp.
    #[arg(long = "sbi-disable", value_parser = parse_sbi_extension)]
    pub sbi_disable: Vec<hartvm_runtime::SbiExtension>,
    /// When the guest ends, write the memory between the program's
    /// `begin_signature` and `end_signature` symbols to this file, as
    /// Spike's `+signature=` and Sail's `--test-signature` do for
    /// conformance suites (riscv-arch-test): one line per
    /// `--signature-granularity` bytes, in hex, most significant byte first.
    #[arg(long, visible_alias = "test-signature")]
    pub signature: Option<PathBuf>,
    /// Bytes per line of the `--signature` file.
    #[arg(long, default_value_t = 4, value_parser = parse_granularity, requires = "signature")]
    pub signature_granularity: usize,
    /// The bare-metal guest program (a RISC-V ELF64 executable); without it
    /// (and without `--kernel`), the built-in demo guest.
    pub elf: Option<PathBuf>,
}

impl RunArgs {
    /// `hartvm` with no arguments: the built-in demo on 4 harts, with statistics.
    pub fn default_guest() -> RunArgs {
        RunArgs {
            mem: 128 << 20,
            smp: 4,
            timeout: None,
            max_insns: None,
            stats: true,
            engine: EngineArg::Tiered,
            perf_map: false,
            kernel: None,
            initrd: None,
            append: None,
            bios: None,
            drive: Vec::new(),
            virtio_console: false,
            dump_dtb: None,
            wake_after: None,
            sbi_disable: Vec::new(),
            signature: None,
            signature_granularity: 4,
            elf: None,
        }
    }
}

/// A `--drive` argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drive {
    /// The raw image file.
    pub path: PathBuf,
    /// The guest may not write it.
    pub readonly: bool,
}

fn parse_granularity(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n @ (1 | 2 | 4 | 8 | 16)) => Ok(n),
        _ => Err(format!("`{s}` is not a signature granularity (1, 2, 4, 8 or 16 bytes)")),
    }
}

/// The command line with Spike's spellings of the signature options
/// (`+signature=FILE`, `+signature-granularity=N`) in clap's form, so
/// conformance harnesses written for Spike can drive hartvm unchanged.
/// A kernel command line (`--append`'s value) is left as it is.
pub fn spike_style_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut out: Vec<std::ffi::OsString> = Vec::new();
    for arg in args {
        let spike = arg.to_str().filter(|a| a.starts_with("+signature=") || a.starts_with("+signature-granularity="));
        let value_of_append = out.last().is_some_and(|prev| prev == "--append");
        out.push(match spike {
            Some(a) if !value_of_append => format!("--{}", &a[1..]).into(),
            _ => arg,
        });
    }
    out
}

fn parse_drive(s: &str) -> Result<Drive, String> {
    let mut parts = s.split(',');
    let path = parts.next().filter(|p| !p.is_empty()).ok_or("--drive needs a file name")?;
    let mut readonly = false;
    for option in parts {
        match option {
            "readonly" | "readonly=on" => readonly = true,
            "readonly=off" => readonly = false,
            other => return Err(format!("unknown drive option `{other}` (known: readonly)")),
        }
    }
    Ok(Drive { path: PathBuf::from(path), readonly })
}

/// Options of `hartvm test`.
#[derive(Args, Debug)]
pub struct TestArgs {
    /// Number of tests run at once (default: the number of host CPUs).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Per-test time limit in seconds; a test still running is counted as failed.
    #[arg(long, default_value = "30", value_parser = parse_seconds, allow_hyphen_values = true)]
    pub timeout: Duration,
    /// Guest RAM per test.
    #[arg(long, default_value = "64M", value_parser = parse_size, allow_hyphen_values = true)]
    pub mem: u64,
    /// Write a JUnit XML report here.
    #[arg(long)]
    pub junit: Option<PathBuf>,
    /// The engine running the tests.
    #[arg(long, value_enum, default_value_t = EngineArg::Tiered)]
    pub engine: EngineArg,
    /// Also print a line for every passing test.
    #[arg(long, short)]
    pub verbose: bool,
    /// Test ELFs, or directories scanned recursively for them.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

/// `--engine`: which engine runs guest code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum EngineArg {
    /// The interpreter only.
    Interp,
    /// Compile every block before it first runs.
    Jit,
    /// Interpret cold code, compile hot code in the background.
    Tiered,
    /// Run the JIT and the interpreter in lockstep and stop at the first difference.
    Difftest,
}

impl From<EngineArg> for hartvm_runtime::Engine {
    fn from(e: EngineArg) -> Self {
        match e {
            EngineArg::Interp => hartvm_runtime::Engine::Interp,
            EngineArg::Jit => hartvm_runtime::Engine::Jit,
            EngineArg::Tiered => hartvm_runtime::Engine::Tiered,
            EngineArg::Difftest => hartvm_runtime::Engine::Difftest,
        }
    }
}

/// Largest guest RAM accepted.
const MAX_MEM: u64 = 64 << 30;

/// Parses a memory size such as `4096`, `512K`, `256M` or `2G`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => t.split_at(i),
        None => (t, ""),
    };
    let shift = match unit.to_ascii_uppercase().trim_end_matches(['B', 'I']) {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        _ => return Err(format!("`{s}` is not a size (use e.g. 256M or 2G)")),
    };
    let n: u64 = digits.parse().map_err(|_| format!("`{s}` is not a size (use e.g. 256M or 2G)"))?;
    let bytes = n.checked_shl(shift).filter(|b| b >> shift == n).ok_or(format!("`{s}` is too large"))?;
    if bytes < (1 << 20) {
        return Err(format!("{s} is too small: guest RAM must be at least 1M"));
    }
    if bytes > MAX_MEM {
        return Err(format!("{s} is too large: guest RAM is limited to 64G"));
    }
    if bytes % 4096 != 0 {
        return Err(format!("{s} is not a multiple of 4K"));
    }
    Ok(bytes)
}

fn parse_smp(s: &str) -> Result<usize, String> {
    let n: usize = s.trim().parse().map_err(|_| format!("`{s}` is not a number of harts"))?;
    if n == 0 || n > hartvm_runtime::MAX_HARTS {
        return Err(format!("{n} harts: must be between 1 and {}", hartvm_runtime::MAX_HARTS));
    }
    Ok(n)
}

/// Parses a duration: a number with a unit `ns`, `us`, `ms`, `s`, `m` or
/// `h` (seconds without one), e.g. `100ms` or `1.5s`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let bad = || format!("`{s}` is not a duration (use e.g. 100ms, 2s or 1m)");
    let value: f64 = number.parse().map_err(|_| bad())?;
    let seconds = match unit {
        "ns" => 1e-9,
        "us" => 1e-6,
        "ms" => 1e-3,
        "" | "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        _ => return Err(bad()),
    };
    let secs = value * seconds;
    if !(secs.is_finite() && secs <= 1e7) {
        return Err(format!("`{s}` is too long a duration"));
    }
    Ok(Duration::from_secs_f64(secs))
}

fn parse_sbi_extension(s: &str) -> Result<hartvm_runtime::SbiExtension, String> {
    use hartvm_runtime::SbiExtension;
    let names =
        || SbiExtension::ALL.iter().filter(|e| e.implemented()).map(|e| e.name()).collect::<Vec<_>>().join(", ");
    match SbiExtension::from_name(s) {
        Some(e) if e.implemented() => Ok(e),
        Some(e) => Err(format!("the SBI extension `{}` is not implemented, so it is never offered", e.name())),
        None => Err(format!("`{s}` is not an SBI extension (one of: {})", names())),
    }
}

fn parse_seconds(s: &str) -> Result<Duration, String> {
    let secs: f64 = s.trim().parse().map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if !(secs > 0.0 && secs <= 1e7) {
        return Err(format!("`{s}`: the timeout must be a positive number of seconds"));
    }
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("128M"), Ok(128 << 20));
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("4096K"), Ok(4 << 20));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        for bad in ["0", "0M", "abc", "12Q", "100000G", "99999999999999999999", "", "1M5"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn harts_and_seconds() {
        assert_eq!(parse_smp("4"), Ok(4));
        assert!(parse_smp("0").is_err());
        assert!(parse_smp("65").is_err());
        assert!(parse_seconds("-1").is_err());
        assert!(parse_seconds("nan").is_err());
        assert_eq!(parse_seconds("0.5"), Ok(Duration::from_millis(500)));
    }

    #[test]
    fn spike_signature_options() {
        let args = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            spike_style_args(args(&["hartvm", "run", "+signature=s.txt", "+signature-granularity=8", "t.elf"])),
            args(&["hartvm", "run", "--signature=s.txt", "--signature-granularity=8", "t.elf"])
        );
        let append = args(&["hartvm", "run", "--append", "+signature=x", "--kernel", "Image"]);
        assert_eq!(spike_style_args(append.clone()), append, "a kernel command line is the guest's");
    }

    #[test]
    fn drives() {
        assert_eq!(parse_drive("d.img"), Ok(Drive { path: "d.img".into(), readonly: false }));
        assert_eq!(parse_drive("d.img,readonly"), Ok(Drive { path: "d.img".into(), readonly: true }));
        assert!(parse_drive("").is_err());
        assert!(parse_drive("d.img,cache=none").unwrap_err().contains("cache=none"));
    }

    #[test]
    fn durations_and_extensions() {
        assert_eq!(parse_duration("100ms"), Ok(Duration::from_millis(100)));
        assert_eq!(parse_duration("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("250us"), Ok(Duration::from_micros(250)));
        for bad in ["", "ms", "abc", "-1s", "10 parsecs", "1e400", "100000000h", "1..2s"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_sbi_extension("SUSP"), Ok(hartvm_runtime::SbiExtension::Susp));
        assert!(parse_sbi_extension("pmu").is_err());
        assert!(parse_sbi_extension("nope").unwrap_err().contains("hsm"));
    }
}
