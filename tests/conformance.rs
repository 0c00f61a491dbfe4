//! hartvm's own conformance suite, run through `hartvm test` exactly as a
//! user runs an upstream suite.

use std::process::Command;

/// Runs the own suite under `engine`: every program passes.
fn own_suite_passes_under(engine: &str) {
    let dir = hartvm_conformance::guest_dir();
    let elfs = hartvm_conformance::suite::discover(&[&dir]).expect("scan guest dir");
    assert!(elfs.len() >= 100, "only {} guest programs built", elfs.len());
    let junit = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("conformance-{engine}.xml"));
    let out = Command::new(env!("CARGO_BIN_EXE_hartvm"))
        .args(["test", "--engine", engine])
        .args(["--timeout", "60", "--junit"])
        .arg(&junit)
        .arg(&dir)
        .output()
        .expect("run hartvm test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{engine}: {stdout}{}", String::from_utf8_lossy(&out.stderr));
    let summary = format!("{} passed, 0 failed", elfs.len());
    assert!(stdout.contains(&summary), "{engine}: expected `{summary}` in:\n{stdout}");
    let xml = std::fs::read_to_string(&junit).expect("junit report written");
    assert_eq!(xml.matches("<testcase").count(), elfs.len());
}

#[test]
fn own_conformance_suite_passes_in_the_interpreter() {
    own_suite_passes_under("interp");
}

#[test]
fn own_conformance_suite_passes_in_the_jit() {
    own_suite_passes_under("jit");
}

#[test]
fn own_conformance_suite_passes_tiered() {
    own_suite_passes_under("tiered");
}

#[test]
fn own_conformance_suite_passes_in_difftest() {
    own_suite_passes_under("difftest");
}

#[test]
fn failing_and_hung_tests_are_reported() {
    // Each own program must *fail* when its check is broken: the suite
    // reports the failing test number, counts timeouts as failures and
    // exits non-zero. A program that fails case 7 and one that hangs:
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("suite-negative");
    std::fs::create_dir_all(&dir).unwrap();
    let inc = concat!(env!("CARGO_MANIFEST_DIR"), "/conformance/guests/include");
    let build = |name: &str, body: &str| {
        let src = dir.join(format!("{name}.S"));
        std::fs::write(&src, format!("#include \"hartvm_test.h\"\nTEST_BEGIN\n{body}\nTEST_END\n")).unwrap();
        let ok = Command::new("riscv64-unknown-elf-gcc")
            .args(["-march=rv64gc", "-mabi=lp64d", "-nostdlib", "-nostartfiles", "-I", inc, "-T"])
            .arg(format!("{inc}/link.ld"))
            .arg(&src)
            .arg("-o")
            .arg(dir.join(format!("{name}.elf")))
            .status()
            .expect("riscv64-unknown-elf-gcc");
        assert!(ok.success());
    };
    build("fails7", "TEST_CASE(7, a0, 4, li a0, 3)\n j pass");
    build("hangs", "5: j 5b");
    build("passes", "TEST_CASE(1, a0, 3, li a0, 3)\n j pass");
    let out = Command::new(env!("CARGO_BIN_EXE_hartvm")).args(["test", "--timeout", "2"]).arg(&dir).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("fails7.elf: test 7 failed"), "{stdout}");
    assert!(stdout.contains("TIMEOUT") && stdout.contains("hangs.elf"), "{stdout}");
    assert!(stdout.contains("1 passed, 2 failed"), "{stdout}");
}
