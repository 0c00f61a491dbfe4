//! Tier-0 interpreter throughput on the guest workloads, in guest
//! instructions per second (criterion's "elem/s"; divide by 1e6 for MIPS).
//!
//! Each iteration loads the workload into a fresh VM (not timed) and runs it
//! to its `tohost` exit (timed). The instruction count used for the
//! throughput comes from a first, untimed run.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode, Throughput};
use hartvm_benches::{workload, Prepared, WORKLOADS};

fn interp(c: &mut Criterion) {
    let mut group = c.benchmark_group("interp");
    // Each run takes ~0.5-1 s: few samples of one run each keep the whole
    // bench at about a minute.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(8));
    for &name in WORKLOADS {
        let path = workload(name).expect("built workload");
        let bytes = std::fs::read(&path).expect("read workload ELF");
        let first = Prepared::new(&bytes).and_then(Prepared::run).expect("run workload");
        assert_eq!(first.exit_code, 0, "{name} computed a wrong result");
        let instructions = first.stats.instructions;
        group.throughput(Throughput::Elements(instructions));
        group.bench_function(name, |b| {
            b.iter_batched(
                || Prepared::new(&bytes).expect("load workload"),
                |prepared| {
                    let run = prepared.run().expect("run workload");
                    assert_eq!(run.exit_code, 0);
                    assert_eq!(run.stats.instructions, instructions, "{name} is not deterministic");
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, interp);
criterion_main!(benches);
