//! The JIT against the interpreter on random programs: every program runs
//! under `Engine::Difftest`, which executes each translation and then the
//! interpreter over the same instructions and compares the whole state.
//! Also runs them under the plain JIT engines, which must reach the same
//! end as the interpreter.

use hartvm_conformance::random::{generate, GenConfig, RandomProgram, EXIT_OK};
use hartvm_runtime::{Engine, VcpuExit, Vm, VmConfig};

/// Random blocks checked per run, at least (the issue asks for 100,000).
const MIN_BLOCKS: usize = 100_000;
const BLOCKS_PER_PROGRAM: usize = 1_000;
const LIMIT: u64 = 20_000_000;

/// Runs `p` under `engine` to its `tohost` store; the final registers and
/// the instruction and trap counts.
fn run(p: &RandomProgram, engine: Engine) -> Result<([u64; 32], u64, u64), String> {
    let vm = Vm::new(VmConfig { mem_size: p.mem_size, engine, ..VmConfig::default() }).unwrap();
    assert!(vm.memory().write(p.load_addr, &p.image));
    vm.watch_word(p.tohost);
    let mut vcpu = vm.create_vcpu(0).unwrap();
    vcpu.state_mut().pc = p.entry;
    vcpu.set_instruction_limit(LIMIT);
    let result = match vcpu.run() {
        VcpuExit::Watch { value: EXIT_OK, .. } => Ok(()),
        VcpuExit::Divergence { report } => Err(report.to_string()),
        other => Err(format!("{other:?}")),
    };
    result.map(|()| (vcpu.state().x, vcpu.stats().instructions, vcpu.stats().traps))
}

fn program(seed: u64) -> RandomProgram {
    let config = GenConfig { blocks: BLOCKS_PER_PROGRAM, paging: seed % 3 == 1, ..GenConfig::default() };
    generate(seed, &config)
}

/// How many programs to check: enough for [`MIN_BLOCKS`], or
/// `HARTVM_DIFFTEST_PROGRAMS` (for longer soak runs by hand).
fn program_count() -> u64 {
    let default = MIN_BLOCKS.div_ceil(BLOCKS_PER_PROGRAM) as u64;
    match std::env::var("HARTVM_DIFFTEST_PROGRAMS") {
        Ok(n) => n.parse().unwrap_or_else(|_| panic!("HARTVM_DIFFTEST_PROGRAMS={n:?} is not a count")),
        Err(_) => default,
    }
}

#[test]
fn random_programs_agree_under_difftest() {
    let programs = program_count();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4) as u64;
    let failures: Vec<String> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    let mut failures = Vec::new();
                    for seed in (t..programs).step_by(threads as usize) {
                        let p = program(seed);
                        if let Err(e) = run(&p, Engine::Difftest) {
                            failures.push(format!("seed {seed} ({:?}, paging {}):\n{e}", p.mode, p.paging));
                        }
                    }
                    failures
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("worker")).collect()
    });
    assert!(failures.is_empty(), "{} of {programs} programs diverged; first:\n{}", failures.len(), failures[0]);
}

#[test]
fn every_engine_ends_like_the_interpreter() {
    for seed in 1000..1006 {
        let p = program(seed);
        let reference = run(&p, Engine::Interp).expect("the interpreter runs the program");
        for engine in [Engine::Jit, Engine::Tiered] {
            let got = run(&p, engine).unwrap_or_else(|e| panic!("seed {seed} under {engine:?}: {e}"));
            assert_eq!(got, reference, "seed {seed} under {engine:?}");
        }
    }
}

/// Runs the program of seed `$HARTVM_DIFFTEST_SEED` under `Engine::Difftest`
/// and prints the divergence, if any (for debugging one seed by hand). The
/// image goes to `/tmp/hartvm-seed.bin`, for objdump as in `random.rs`'s
/// `dump`.
#[test]
#[ignore]
fn one_seed() {
    let seed = std::env::var("HARTVM_DIFFTEST_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    let p = program(seed);
    std::fs::write("/tmp/hartvm-seed.bin", &p.image).unwrap();
    eprintln!("load {:#x} entry {:#x}", p.load_addr, p.entry);
    if let Err(e) = run(&p, Engine::Difftest) {
        panic!("seed {seed}:\n{e}");
    }
}
