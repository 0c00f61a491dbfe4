//! `hartvm test`: a riscv-tests-style suite, run in parallel.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};
use hartvm_conformance::suite::{self, TestOutcome};

use crate::cli::TestArgs;
use crate::console::Console;
use hartvm_runtime::Engine;

use crate::machine::{Boot, DeviceConfig, Limits, Machine, MachineConfig, Outcome};

/// Runs the suite; exit status 0 only if every test passed.
pub fn run(args: TestArgs) -> Result<u8> {
    for p in &args.paths {
        if !p.exists() {
            bail!("{}: no such file or directory", p.display());
        }
    }
    let elfs = suite::discover(&args.paths).context("cannot scan the test paths")?;
    if elfs.is_empty() {
        bail!("no test ELFs found in the given paths");
    }
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let limits = Limits { timeout: Some(args.timeout), max_insns: None };
    let report = suite::run(&elfs, jobs, |path| run_one(path, args.mem, args.engine.into(), limits));
    let mut out = std::io::stdout().lock();
    report.write_text(&mut out, args.verbose)?;
    out.flush()?;
    if let Some(junit) = &args.junit {
        report.write_junit_file(junit, "hartvm").with_context(|| format!("cannot write {}", junit.display()))?;
    }
    Ok(if report.all_passed() { 0 } else { 1 })
}

/// Runs one test program to its HTIF verdict.
pub fn run_one(path: &Path, mem_size: u64, engine: Engine, limits: Limits) -> TestOutcome {
    let config = MachineConfig {
        mem_size,
        harts: 1,
        console: Console::discard(),
        engine,
        boot: Boot::BareMetal,
        devices: DeviceConfig::default(),
        bootargs: None,
        stdin: None,
    };
    let mut machine = match Machine::with_elf(config, path) {
        Ok(m) => m,
        Err(e) => return TestOutcome::Error(format!("{e:#}")),
    };
    if machine.elf().tohost.is_none() {
        return TestOutcome::Error("no tohost symbol: not an HTIF test program".into());
    }
    match machine.run(limits).outcome {
        Outcome::HtifExit(code) => TestOutcome::from_tohost((code << 1) | 1),
        Outcome::PowerOff => TestOutcome::Pass,
        Outcome::FinisherFail(code) => TestOutcome::Fail { code: code as u64 },
        Outcome::Timeout | Outcome::InstructionLimit => TestOutcome::Timeout,
        Outcome::Quit => TestOutcome::Error("stopped from the console".into()),
        Outcome::Reset => TestOutcome::Error("the guest requested a reset".into()),
        Outcome::SystemFailure => TestOutcome::Error("the guest reported a system failure".into()),
        Outcome::GuestError(msg) | Outcome::InternalError(msg) => TestOutcome::Error(msg),
    }
}
