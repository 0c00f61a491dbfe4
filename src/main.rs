//! The `hartvm` command: runs RISC-V guests on the QEMU `virt` machine.

mod cli;
mod clint;
mod console;
mod fdt;
mod machine;
mod sbi_console;
mod signature;
mod stats;
mod test_cmd;
mod wake;

use std::process::ExitCode;

use clap::Parser;

use anyhow::Context;
use cli::{Cli, Command, RunArgs};
use console::Console;
use machine::{read_file, Boot, DeviceConfig, Limits, Machine, MachineConfig, Outcome, Payload, Raw};

/// The built-in demo guest (`demo/`): starts every hart with SBI HSM,
/// computes in parallel, suspends the system and shuts down.
const DEMO_GUEST: &[u8] = include_bytes!("../demo/demo.elf");

/// How long the demo stays suspended when no `--wake-after` is given.
const DEMO_WAKE_AFTER: std::time::Duration = std::time::Duration::from_millis(100);

/// Exit status for errors in what the user asked for (bad file, bad flag).
const EXIT_USAGE: u8 = 2;
/// Exit status when `--timeout` stopped the guest (as timeout(1)).
const EXIT_TIMEOUT: u8 = 124;
/// Exit status when `--max-insns` stopped the guest.
const EXIT_INSN_LIMIT: u8 = 125;

fn main() -> ExitCode {
    let cli = match Cli::try_parse_from(cli::spike_style_args(std::env::args_os())) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { 0 });
        }
    };
    let result = match cli.command {
        Some(Command::Run(args)) => run(args),
        Some(Command::Test(args)) => test_cmd::run(args),
        None => run(RunArgs::default_guest()),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("hartvm: {}", one_line(&e));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// The error and its causes on one line.
fn one_line(e: &anyhow::Error) -> String {
    e.chain().map(|c| c.to_string()).collect::<Vec<_>>().join(": ")
}

fn run(args: RunArgs) -> anyhow::Result<u8> {
    let builtin = args.kernel.is_none() && args.elf.is_none();
    // The demo suspends the system: wake it by itself unless told otherwise.
    let wake_after = args.wake_after.or(builtin.then_some(DEMO_WAKE_AFTER));
    let boot = match (&args.kernel, &args.elf, &args.bios) {
        (None, Some(_), _) => Boot::BareMetal,
        (Some(_), _, Some(_)) => Boot::Firmware,
        _ => Boot::Kernel { sbi_disabled: args.sbi_disable.clone(), wake_after },
    };
    if !matches!(boot, Boot::Kernel { .. }) && (args.wake_after.is_some() || !args.sbi_disable.is_empty()) {
        anyhow::bail!(
            "--wake-after and --sbi-disable apply to kernels under the built-in SBI (--kernel without --bios)"
        );
    }
    if matches!(boot, Boot::Kernel { .. }) {
        wake::catch_sigusr1();
    }
    if args.engine == cli::EngineArg::Difftest && args.smp > 1 {
        // The interpreter twin runs on a private copy of RAM, so stores
        // by other harts would show up as differences.
        anyhow::bail!("--engine difftest checks one hart at a time: use --smp 1");
    }
    let payload = payload(&args)?;
    let linux = matches!(payload, Payload::Linux { .. });
    let config = MachineConfig {
        mem_size: args.mem,
        harts: args.smp,
        console: Console::stdout(),
        engine: args.engine.into(),
        boot,
        devices: DeviceConfig { drives: args.drive.clone(), rng: linux, virtio_console: args.virtio_console },
        bootargs: args.append.clone(),
        // Guests read the console; an interactive Linux gets raw keys.
        stdin: args.dump_dtb.is_none().then_some(Raw(linux)),
    };
    if builtin {
        eprintln!("hartvm: running the built-in demo guest (SBI HSM, SUSP and SRST on {} harts)", args.smp);
    }
    let mut machine = Machine::new(config, payload)?;
    let signature = args.signature.as_deref().map(|path| signature::Request::new(&machine, path)).transpose()?;
    if let Some(path) = &args.dump_dtb {
        let blob = machine.device_tree()?;
        std::fs::write(path, blob).with_context(|| format!("cannot write {}", path.display()))?;
        return Ok(0);
    }
    if args.perf_map {
        machine.enable_perf_map()?;
    }
    let report = machine.run(Limits { timeout: args.timeout, max_insns: args.max_insns });
    console::restore_terminal();
    if args.stats {
        eprint!("{}", stats::format(&report));
    }
    if let Some(request) = signature {
        request.write(&machine, args.signature_granularity)?;
    }
    Ok(match report.outcome {
        Outcome::HtifExit(0) | Outcome::PowerOff => 0,
        Outcome::SystemFailure => {
            eprintln!("hartvm: the guest shut down reporting a system failure");
            1
        }
        Outcome::HtifExit(code) => {
            eprintln!("hartvm: guest exited with code {code}");
            exit_code(code)
        }
        Outcome::FinisherFail(code) => {
            eprintln!("hartvm: guest reported failure {code}");
            exit_code(code as u64)
        }
        Outcome::Reset => {
            eprintln!("hartvm: guest requested a reset; bare-metal runs end there");
            0
        }
        Outcome::Timeout => {
            eprintln!("hartvm: timeout: the guest was stopped after {:.1} s", report.wall.as_secs_f64());
            EXIT_TIMEOUT
        }
        Outcome::Quit => {
            eprintln!("hartvm: terminated from the console (C-a x)");
            0
        }
        Outcome::InstructionLimit => {
            eprintln!("hartvm: the guest was stopped at the instruction limit");
            EXIT_INSN_LIMIT
        }
        Outcome::GuestError(msg) => {
            eprintln!("hartvm: guest error: {msg}");
            1
        }
        Outcome::InternalError(msg) => {
            eprintln!("hartvm: internal error: {msg}");
            70
        }
    })
}

/// The program to boot: the demo, a bare-metal ELF, or a kernel (a Linux
/// `Image`, a raw binary or an S-mode ELF) with what goes with it.
fn payload(args: &RunArgs) -> anyhow::Result<Payload> {
    let Some(kernel_path) = &args.kernel else {
        return match &args.elf {
            Some(path) => Ok(Payload::Elf(read_file(path, "program")?)),
            None => Ok(Payload::Elf(DEMO_GUEST.to_vec())),
        };
    };
    let kernel = read_file(kernel_path, "kernel")?;
    let elf = hartvm_devices::loader::is_elf(&kernel);
    if elf && args.initrd.is_none() && args.bios.is_none() {
        return Ok(Payload::Elf(kernel));
    }
    if !elf {
        // An Image, or a raw binary (as QEMU's -kernel takes).
        hartvm_devices::loader::ImageHeader::of_kernel(&kernel).with_context(|| kernel_path.display().to_string())?;
        if !hartvm_devices::loader::is_linux_image(&kernel) {
            // A damaged Image looks the same: say what happens to it.
            // Firmware may push the kernel above RAM + 2 MiB (see `plan_linux_boot`).
            let place = match args.bios {
                None => format!("at {:#x}", hartvm_runtime::RAM_BASE + hartvm_devices::loader::RAW_TEXT_OFFSET),
                Some(_) => "behind the firmware".to_owned(),
            };
            eprintln!(
                "hartvm: {}: no ELF or Linux Image header; loading it as a raw binary {place}",
                kernel_path.display()
            );
        }
    }
    let initrd = args.initrd.as_deref().map(|p| read_file(p, "initrd")).transpose()?;
    let firmware = args.bios.as_deref().map(|p| read_file(p, "firmware")).transpose()?;
    Ok(Payload::Linux { kernel, initrd, firmware })
}

/// A guest's non-zero exit code as a process status (never 0).
fn exit_code(code: u64) -> u8 {
    match (code & 0xff) as u8 {
        0 => 1,
        c => c,
    }
}
