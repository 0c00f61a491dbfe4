//! The `hartvm` command as a user meets it: bad input gives a one-line
//! error and exit status 2; hostile guests end by trap, limit or timeout.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{assert_usage_error, hartvm, scratch, spawn_piped, stderr};

/// Builds `tests/guests/<name>.S` with the Debian cross compiler.
fn guest(name: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/guests").join(format!("{name}.S"));
    let ld = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/guests/include/link.ld");
    let out = scratch("cli-tests", &format!("{name}.elf"));
    let status = Command::new("riscv64-unknown-elf-gcc")
        .args(["-march=rv64gc", "-mabi=lp64d", "-nostdlib", "-nostartfiles", "-T"])
        .arg(&ld)
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .status()
        .expect("riscv64-unknown-elf-gcc not found: apt-get install gcc-riscv64-unknown-elf");
    assert!(status.success(), "building {name}");
    out
}

/// A minimal ELF64 header + one PT_LOAD program header (16 bytes at `paddr`).
fn elf64(machine: u16, class: u8, paddr: u64) -> Vec<u8> {
    elf64_sized(machine, class, paddr, 16)
}

/// As `elf64`, with a segment of `memsz` bytes (16 of them from the file).
fn elf64_sized(machine: u16, class: u8, paddr: u64, memsz: u64) -> Vec<u8> {
    let mut f = vec![0u8; 64 + 56 + 16];
    f[..4].copy_from_slice(b"\x7fELF");
    f[4] = class;
    f[5] = 1; // little-endian
    f[6] = 1;
    f[16..18].copy_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    f[18..20].copy_from_slice(&machine.to_le_bytes());
    f[20..24].copy_from_slice(&1u32.to_le_bytes());
    f[24..32].copy_from_slice(&paddr.to_le_bytes()); // entry
    f[32..40].copy_from_slice(&64u64.to_le_bytes()); // phoff
    f[52..54].copy_from_slice(&64u16.to_le_bytes());
    f[54..56].copy_from_slice(&56u16.to_le_bytes());
    f[56..58].copy_from_slice(&1u16.to_le_bytes());
    let ph = &mut f[64..120];
    ph[0..4].copy_from_slice(&1u32.to_le_bytes()); // PT_LOAD
    ph[4..8].copy_from_slice(&5u32.to_le_bytes());
    ph[8..16].copy_from_slice(&120u64.to_le_bytes()); // offset
    ph[16..24].copy_from_slice(&paddr.to_le_bytes());
    ph[24..32].copy_from_slice(&paddr.to_le_bytes());
    ph[32..40].copy_from_slice(&16u64.to_le_bytes());
    ph[40..48].copy_from_slice(&memsz.to_le_bytes());
    f
}

fn write(name: &str, bytes: &[u8]) -> String {
    let p = scratch("cli-tests", name);
    std::fs::write(&p, bytes).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn missing_file() {
    assert_usage_error(&hartvm(&["run", "/nonexistent/prog.elf"]), "No such file");
}

#[test]
fn not_an_elf() {
    let p = write("text.elf", b"just some text, not a program\n");
    assert_usage_error(&hartvm(&["run", &p]), "not an ELF");
    let empty = write("empty.elf", b"");
    assert_usage_error(&hartvm(&["run", &empty]), "empty");
}

#[test]
fn elf32_is_refused() {
    let p = write("rv32.elf", &elf64(243, 1, 0x8000_0000));
    assert_usage_error(&hartvm(&["run", &p]), "32-bit");
}

#[test]
fn foreign_machine_is_refused() {
    let p = write("x86.elf", &elf64(62, 2, 0x8000_0000));
    assert_usage_error(&hartvm(&["run", &p]), "x86-64");
}

#[test]
fn segment_outside_ram_is_refused() {
    let p = write("outside.elf", &elf64(243, 2, 0x4000_0000));
    assert_usage_error(&hartvm(&["run", &p]), "outside");
    let p = write("beyond.elf", &elf64(243, 2, 0x8000_0000 + (128 << 20) - 8));
    assert_usage_error(&hartvm(&["run", &p]), "outside");
}

#[test]
fn program_filling_ram_leaves_no_room_for_the_device_tree() {
    let p = write("top.elf", &elf64_sized(243, 2, 0x8000_0000 + (1 << 20) - 0x2000, 0x2000));
    assert_usage_error(&hartvm(&["run", "--mem", "1M", "--timeout", "10", &p]), "--mem");
}

#[test]
fn bad_memory_and_hart_counts() {
    let elf = guest("uart_hello");
    let elf = elf.to_str().unwrap();
    for mem in ["0", "0M", "100000G", "12Q", "-5M"] {
        assert_usage_error(&hartvm(&["run", "--mem", mem, elf]), "--mem");
    }
    for smp in ["0", "65", "1000000", "x"] {
        assert_usage_error(&hartvm(&["run", "--smp", smp, elf]), "--smp");
    }
    assert_usage_error(&hartvm(&["run", "--timeout", "-1", elf]), "--timeout");
    assert_usage_error(&hartvm(&["test", "/nonexistent-dir"]), "no such file");
}

#[test]
fn uart_output_and_poweroff() {
    let o = hartvm(&["run", guest("uart_hello").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "hello from the guest\n");
}

#[test]
fn htif_words_written_in_halves() {
    let o = hartvm(&["run", "--timeout", "20", guest("htif_halves").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "AB");
}

#[test]
fn atomics_are_atomic_across_harts() {
    let elf = guest("smp_atomics");
    for _ in 0..3 {
        let o = hartvm(&["run", "--smp", "4", "--timeout", "60", elf.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
}

#[test]
fn forbidden_device_writes_trap() {
    let o = hartvm(&["run", "--timeout", "20", guest("device_abuse").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// A guest driving virtio-blk like a broken driver (chains that loop,
/// buffers outside RAM or off its end, ring entries past the queue, a write
/// past the disk, a bad queue size) gets device errors, the device works
/// again after a reset, and the image keeps every byte it had. (Not under
/// `difftest`: its shadow interpreter does not see device DMA.)
#[test]
fn a_guest_misprogramming_virtio_gets_device_errors_and_the_image_is_untouched() {
    let elf = guest("virtio_misuse");
    let image = scratch("cli-tests", "virtio-misuse.img");
    let mut data = b"HARTVMIO".to_vec();
    data.extend((0..4096 - 8).map(|i| (i * 7) as u8));
    std::fs::write(&image, &data).unwrap();
    for engine in ["interp", "jit", "tiered"] {
        let args = ["run", "--engine", engine, "--timeout", "30", "--drive", image.to_str().unwrap()];
        let o = hartvm(&[&args[..], &[elf.to_str().unwrap()]].concat());
        assert_eq!(o.status.code(), Some(0), "{engine}: case {:?} failed: {}", o.status.code(), stderr(&o));
        assert!(std::fs::read(&image).unwrap() == data, "{engine}: the image changed");
    }
}

/// What `tests/guests/signature.S` leaves in its signature, as 32-bit words.
fn expected_signature_words() -> Vec<u32> {
    let mut x = 1u32;
    let mut words: Vec<u32> = (0..31)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            x
        })
        .collect();
    words.push(0x4433_2211);
    words
}

#[test]
fn signature_is_written_as_spike_writes_it() {
    let elf = guest("signature");
    let words = expected_signature_words();
    let by_word: String = words.iter().map(|w| format!("{w:08x}\n")).collect();
    let by_dword: String = words.chunks(2).map(|p| format!("{:08x}{:08x}\n", p[1], p[0])).collect();
    for engine in ["interp", "jit", "tiered", "difftest"] {
        let sig = scratch("cli-tests", &format!("signature-{engine}.txt"));
        let _ = std::fs::remove_file(&sig);
        let flag = format!("--signature={}", sig.display());
        let o = hartvm(&["run", "--engine", engine, &flag, elf.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{engine}: {}", stderr(&o));
        assert_eq!(std::fs::read_to_string(&sig).unwrap(), by_word, "{engine}");
    }
    // Spike's spelling, as conformance harnesses pass it.
    let sig = scratch("cli-tests", "signature-spike.txt");
    let plus = format!("+signature={}", sig.display());
    let o = hartvm(&["run", &plus, "+signature-granularity=8", elf.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&sig).unwrap(), by_dword);
}

#[test]
fn signature_errors_come_before_the_run() {
    let sig = scratch("cli-tests", "no-signature.txt");
    let _ = std::fs::remove_file(&sig);
    let flag = format!("--signature={}", sig.display());
    let o = hartvm(&["run", &flag, guest("uart_hello").to_str().unwrap()]);
    assert_usage_error(&o, "no begin_signature and end_signature symbols");
    assert!(o.stdout.is_empty(), "the guest must not run: {}", String::from_utf8_lossy(&o.stdout));
    assert!(!sig.exists());
    let elf = guest("signature");
    for granularity in ["0", "3", "32", "four"] {
        let o = hartvm(&["run", &flag, "--signature-granularity", granularity, elf.to_str().unwrap()]);
        assert_usage_error(&o, "signature granularity");
    }
    let o = hartvm(&["run", "--signature=/nonexistent-dir/sig.txt", elf.to_str().unwrap()]);
    assert_usage_error(&o, "cannot write the signature to /nonexistent-dir/sig.txt");
}

#[test]
fn fault_loops_are_bounded_by_max_insns() {
    let o = hartvm(&["run", "--max-insns", "100000", "--timeout", "60", guest("wild").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(125), "{}", stderr(&o));
    assert!(stderr(&o).contains("instruction limit"));
}

#[test]
fn garbage_code_is_bounded() {
    let elf = guest("garbage");
    let o = hartvm(&["run", "--max-insns", "2000000", "--timeout", "60", elf.to_str().unwrap()]);
    assert!(matches!(o.status.code(), Some(0..=125)), "status {:?}: {}", o.status, stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    let o = hartvm(&["run", "--timeout", "1", elf.to_str().unwrap()]);
    assert!(matches!(o.status.code(), Some(0..=124)), "status {:?}: {}", o.status, stderr(&o));
}

#[test]
fn no_arguments_run_the_demo_on_four_harts() {
    let o = hartvm(&[]);
    let (out, err) = (String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(err.contains("built-in demo guest") && err.contains("MIPS:"), "{err}");
    assert!(err.contains("resumes from suspend:   1"), "{err}");
    assert!(out.contains("found 4 harts"), "{out}");
}

#[test]
fn kernel_mode_bad_input_is_a_one_line_error() {
    for args in [
        &["run", "--kernel", "/nonexistent.elf"][..],
        &["run", "--smp", "0", "--kernel", "x.elf"],
        &["run", "--smp", "65", "--kernel", "x.elf"],
        &["run", "--wake-after", "soon", "--kernel", "x.elf"],
        &["run", "--wake-after", "-5ms", "--kernel", "x.elf"],
        &["run", "--sbi-disable", "pmu", "--kernel", "x.elf"],
        &["run", "--sbi-disable", "bogus", "--kernel", "x.elf"],
        &["run", "--wake-after", "10ms", "bare.elf"],
        &["run", "--engine", "difftest", "--smp", "2", "--kernel", "x.elf"],
    ] {
        let o = hartvm(args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn stats_report_mips() {
    let o = hartvm(&["run", "--stats", guest("uart_hello").to_str().unwrap()]);
    let err = stderr(&o);
    for key in ["instructions:", "MIPS:", "blocks decoded:", "jump cache hit rate:"] {
        assert!(err.contains(key), "{key} missing in {err}");
    }
}

/// Ctrl-A x on the console ends the run with status 0, as in QEMU: here
/// against a guest that suspends the system and would otherwise wait for
/// a wake-up forever (Ctrl-A x is not console input, so it does not wake it).
#[test]
fn ctrl_a_x_quits() {
    use std::io::Write;
    let susp = hartvm_conformance::sbi_guest_dir().join("susp.elf");
    let mut child = spawn_piped(&["run", "--smp", "2", "--timeout", "60", "--kernel", susp.to_str().unwrap()]);
    let mut stdin = child.stdin.take().unwrap();
    // Wait until the guest is asleep, so no byte reaches it by accident.
    let start = std::time::Instant::now();
    let mut err = child.stderr.take().unwrap();
    let mut seen = Vec::new();
    while !String::from_utf8_lossy(&seen).contains("suspended the system") {
        let mut buf = [0u8; 256];
        let n = std::io::Read::read(&mut err, &mut buf).unwrap();
        assert!(n > 0 && start.elapsed().as_secs() < 60, "no suspend: {}", String::from_utf8_lossy(&seen));
        seen.extend_from_slice(&buf[..n]);
    }
    stdin.write_all(b"\x01x").unwrap();
    let o = child.wait_with_output().unwrap();
    std::io::Read::read_to_end(&mut err, &mut seen).unwrap();
    let err = String::from_utf8_lossy(&seen);
    assert_eq!(o.status.code(), Some(0), "stderr: {err}");
    assert!(err.contains("terminated from the console"), "{err}");
    assert!(!String::from_utf8_lossy(&o.stdout).contains("resumed"), "the quit key woke the guest");
}

/// Console input reaches a bare-metal guest through the UART's receive
/// interrupt (PLIC source 10, MEIP); the guest echoes it and powers off.
#[test]
fn console_input_raises_the_uart_interrupt() {
    use std::io::Write;
    let elf = guest("uart_echo");
    let mut child = spawn_piped(&["run", "--timeout", "60", elf.to_str().unwrap()]);
    let mut stdin = child.stdin.take().unwrap();
    // Let the guest reach WFI first, so the bytes arrive as interrupts.
    std::thread::sleep(std::time::Duration::from_millis(300));
    stdin.write_all(b"hi").unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    stdin.write_all(b"!q").unwrap();
    let o = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "stdout: {out} stderr: {}", stderr(&o));
    assert_eq!(out, "[h][i][!]");
}
