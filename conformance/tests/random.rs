//! The random program generator, run under the interpreter: programs are
//! deterministic, always reach `tohost`, and do trap, jump wild and modify
//! their own code.

use hartvm_conformance::random::{generate, BodyMode, GenConfig, RandomProgram, EXIT_BUDGET, EXIT_OK};
use hartvm_runtime::{VcpuExit, Vm, VmConfig};

/// Far above what any program needs (the generator promises less than 5
/// million instructions for 2000 blocks): hitting it means a program did
/// not terminate.
const LIMIT: u64 = 20_000_000;

/// What a run ended with.
struct Run {
    instructions: u64,
    traps: u64,
    /// The program's own trap counter.
    counted: u64,
    /// Per-cause counts: M handler by cause, then S handler by cause.
    causes: [u64; 64],
    /// The code differs from the image at the end: code stores happened.
    code_modified: bool,
}

impl Run {
    fn cause(&self, cause: usize) -> u64 {
        self.causes[cause] + self.causes[32 + cause]
    }
}

fn read_u64(vm: &Vm, addr: u64) -> u64 {
    let mut b = [0u8; 8];
    assert!(vm.memory().read(addr, &mut b));
    u64::from_le_bytes(b)
}

fn run(p: &RandomProgram) -> Run {
    run_to(p, EXIT_OK)
}

/// Runs `p` until it stores to `tohost`, which must be `exit`.
fn run_to(p: &RandomProgram, exit: u64) -> Run {
    let vm = Vm::new(VmConfig { mem_size: p.mem_size, ..VmConfig::default() }).unwrap();
    assert!(vm.memory().write(p.load_addr, &p.image));
    vm.watch_word(p.tohost);
    let mut vcpu = vm.create_vcpu(0).unwrap();
    vcpu.state_mut().pc = p.entry;
    vcpu.set_instruction_limit(LIMIT);
    // Compared as text: the exit borrows the vCPU, whose pc the message needs.
    let got = format!("{:?}", vcpu.run());
    assert_eq!(
        got,
        format!("{:?}", VcpuExit::Watch { addr: p.tohost, value: exit }),
        "{:?} blocks={} paging={}: stopped at pc {:#x}",
        p.mode,
        p.blocks,
        p.paging,
        vcpu.state().pc
    );
    let stats = vcpu.stats().clone();
    let mut causes = [0; 64];
    for (k, c) in causes.iter_mut().enumerate() {
        *c = read_u64(&vm, p.cause_counters + 8 * k as u64);
    }
    let mut code = vec![0; (p.code.end - p.code.start) as usize];
    assert!(vm.memory().read(p.code.start, &mut code));
    let image_code = &p.image[(p.code.start - p.load_addr) as usize..(p.code.end - p.load_addr) as usize];
    Run {
        instructions: stats.instructions,
        traps: stats.traps,
        counted: read_u64(&vm, p.trap_counter),
        causes,
        code_modified: code != image_code,
    }
}

#[test]
fn same_seed_same_program() {
    for paging in [false, true] {
        let cfg = GenConfig { blocks: 300, paging, ..GenConfig::default() };
        for seed in [0, 1, 0xdead_beef] {
            let (a, b) = (generate(seed, &cfg), generate(seed, &cfg));
            assert_eq!(a.image, b.image);
            assert_eq!(a.stats, b.stats);
        }
        assert_ne!(generate(1, &cfg).image, generate(2, &cfg).image);
    }
}

#[test]
fn layout() {
    let p = generate(7, &GenConfig::default());
    assert_eq!(p.load_addr, 0x8000_0000);
    assert_eq!(p.entry, 0x8000_0000);
    assert_eq!(p.tohost % 8, 0);
    assert!(p.image.len() as u64 <= p.mem_size);
    assert!(p.mem_size <= 2 << 20);
    assert!([p.tohost, p.trap_counter, p.cause_counters + 63 * 8].iter().all(|&a| a < p.load_addr + p.mem_size));
}

/// Many seeds in every mode: each program ends by itself, every trap goes
/// through the handlers (which count exactly what the VM counts), and the
/// planted features do happen.
#[test]
fn programs_terminate_and_trap() {
    let mut totals = Totals::default();
    for paging in [false, true] {
        for seed in 0..200u64 {
            let blocks = [40, 150, 400][seed as usize % 3];
            let cfg = GenConfig { blocks, paging, ..GenConfig::default() };
            let p = generate(seed, &cfg);
            let r = run(&p);
            assert_eq!(r.counted, r.traps, "seed {seed} paging {paging}: every trap goes through a handler");
            assert!(r.counted < p.trap_budget, "seed {seed} paging {paging}: trap budget spent");
            assert_eq!(r.causes.iter().sum::<u64>(), r.counted);
            totals.add(&p, &r);
        }
    }
    eprintln!("{totals:#?}");
    assert!(totals.trapping_programs * 10 >= totals.programs * 9, "most programs trap");
    assert!(totals.modifying_programs * 10 >= totals.programs * 8, "most programs modify their code");
    assert!(totals.modes.iter().all(|&n| n > 20), "every privilege is exercised: {:?}", totals.modes);
    for cause in [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 15] {
        assert!(totals.causes[cause] > 0, "no trap with cause {cause}");
    }
    assert!(totals.s_handler > 0, "no trap was delegated to S-mode");
    assert!(totals.code_stores > 100 && totals.wild_jumps > 100);
}

#[derive(Debug, Default)]
struct Totals {
    programs: u64,
    trapping_programs: u64,
    modifying_programs: u64,
    instructions: u64,
    max_instructions: u64,
    traps: u64,
    causes: [u64; 32],
    s_handler: u64,
    modes: [u64; 3],
    wild_jumps: usize,
    code_stores: usize,
}

impl Totals {
    fn add(&mut self, p: &RandomProgram, r: &Run) {
        self.programs += 1;
        self.trapping_programs += (r.traps > 0) as u64;
        self.modifying_programs += r.code_modified as u64;
        self.instructions += r.instructions;
        self.max_instructions = self.max_instructions.max(r.instructions);
        self.traps += r.traps;
        for (c, n) in self.causes.iter_mut().enumerate() {
            *n += r.cause(c);
        }
        self.s_handler += r.causes[32..].iter().sum::<u64>();
        self.modes[match p.mode {
            BodyMode::Machine => 0,
            BodyMode::Supervisor => 1,
            BodyMode::User => 2,
        }] += 1;
        self.wild_jumps += p.stats.wild_jumps;
        self.code_stores += p.stats.code_stores;
    }
}

/// The handler ends the program once the trap budget is spent.
#[test]
fn trap_budget_ends_the_program() {
    for paging in [false, true] {
        let p = generate(3, &GenConfig { blocks: 400, paging, trap_budget: Some(25), ..GenConfig::default() });
        let r = run_to(&p, EXIT_BUDGET);
        assert_eq!(r.counted, 25);
        assert_eq!(r.traps, 25);
    }
}

/// Corner configurations: no blocks, every mode forced, A/D updates, no counters.
#[test]
fn explicit_configurations() {
    for (seed, blocks, paging, mode, hw_ad_updates) in [
        (1, 0, false, None, false),
        (2, 0, true, None, false),
        (3, 150, false, Some(BodyMode::Machine), false),
        (4, 150, false, Some(BodyMode::Supervisor), false),
        (5, 150, false, Some(BodyMode::User), false),
        (6, 150, true, Some(BodyMode::Supervisor), true),
        (7, 150, true, Some(BodyMode::User), true),
    ] {
        let counters = seed % 2 == 0;
        let p = generate(seed, &GenConfig { blocks, paging, mode, hw_ad_updates, counters, trap_budget: None });
        assert!(mode.is_none_or(|m| m == p.mode));
        let r = run(&p);
        assert_eq!(r.counted, r.traps);
    }
}

#[test]
#[should_panic(expected = "paging needs an S- or U-mode body")]
fn paging_rejects_machine_mode() {
    generate(0, &GenConfig { paging: true, mode: Some(BodyMode::Machine), ..GenConfig::default() });
}

/// The largest programs the difftest uses stay within the instruction bound.
#[test]
fn large_programs_stay_bounded() {
    for (seed, paging) in [(11, false), (12, true), (13, false), (14, true)] {
        let p = generate(seed, &GenConfig { blocks: 2000, paging, ..GenConfig::default() });
        assert!(p.mem_size <= 2 << 20);
        let r = run(&p);
        assert!(r.instructions < 5_000_000, "seed {seed}: {} instructions", r.instructions);
        assert!(r.counted < p.trap_budget);
    }
}

/// Writes the image of `$HARTVM_RANDOM_SEED` (default 1) to
/// `/tmp/hartvm-random.bin`, for `riscv64-unknown-elf-objdump -D -b binary
/// -m riscv:rv64 --adjust-vma=0x80000000`.
#[test]
#[ignore]
fn dump() {
    let seed = std::env::var("HARTVM_RANDOM_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let paging = std::env::var_os("HARTVM_RANDOM_PAGING").is_some();
    let p = generate(seed, &GenConfig { paging, ..GenConfig::default() });
    std::fs::write("/tmp/hartvm-random.bin", &p.image).unwrap();
    eprintln!("{:?} mem_size {:#x} stats {:?}", p.mode, p.mem_size, p.stats);
}
