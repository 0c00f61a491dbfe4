//! Tier-1 figures: JIT and tiered throughput on the guest workloads (in
//! guest instructions per second, criterion's "elem/s"), and compile
//! latency, measured on the `cold` workload under `Engine::Jit`, where
//! every one of its million straight-line instructions is compiled once
//! and run once: its time per instruction is the compile cost.
//!
//! Each iteration loads the workload into a fresh VM (not timed) and runs it
//! to its `tohost` exit (timed), compilation included.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkGroup, Criterion, SamplingMode, Throughput};
use hartvm_benches::{workload, Prepared, WORKLOADS};
use hartvm_runtime::Engine;

fn bench_workload(group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>, name: &str, engine: Engine) {
    let bytes = std::fs::read(workload(name).expect("built workload")).expect("read workload ELF");
    let first = Prepared::with_engine(&bytes, engine).and_then(Prepared::run).expect("run workload");
    assert_eq!(first.exit_code, 0, "{name} computed a wrong result under {engine:?}");
    let instructions = first.stats.instructions;
    group.throughput(Throughput::Elements(instructions));
    group.bench_function(name, |b| {
        b.iter_batched(
            || Prepared::with_engine(&bytes, engine).expect("load workload"),
            |prepared| {
                let run = prepared.run().expect("run workload");
                assert_eq!(run.exit_code, 0);
                assert_eq!(run.stats.instructions, instructions, "{name} is not deterministic");
            },
            BatchSize::PerIteration,
        )
    });
}

fn throughput(c: &mut Criterion) {
    for (label, engine) in [("jit", Engine::Jit), ("tiered", Engine::Tiered)] {
        let mut group = c.benchmark_group(label);
        group.sampling_mode(SamplingMode::Flat);
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(5));
        for &name in WORKLOADS {
            bench_workload(&mut group, name, engine);
        }
        group.finish();
    }
}

fn compile_latency(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    bench_workload(&mut group, "cold", Engine::Jit);
    group.finish();
}

criterion_group!(benches, throughput, compile_latency);
criterion_main!(benches);
