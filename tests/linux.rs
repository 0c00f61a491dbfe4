//! Real Linux on the `virt` machine: the project's test guest (`linux/`: a
//! kernel from Debian's linux-source-6.1 and a tiny init that checks the
//! machine) booted to its init and a clean poweroff, in hypervisor mode on
//! 1, 2 and 4 harts and behind Debian's OpenSBI; the file the init writes
//! to the virtio-blk disk is read back from the image; a reboot boots the
//! guest again; bad kernel, initrd and disk input gets one-line errors.
//!
//! `linux/build.sh` builds the guest on first use (several minutes) and
//! reuses it from `~/.cache/hartvm` afterwards; `scripts/setup` runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

mod common;
use common::{assert_usage_error, hartvm, scratch};

/// Debian's OpenSBI generic firmware (package `opensbi`).
const OPENSBI: &str = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The directory with `Image` and `initramfs.cpio.gz`, built once.
fn guest() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let out = Command::new(root().join("linux/build.sh")).output().expect("run linux/build.sh");
        let log = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "linux/build.sh failed:\n{log}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        PathBuf::from(stdout.lines().last().expect("build.sh prints the directory").trim())
    })
}

/// A fresh ext2 disk whose `/in.txt` holds `text`.
fn disk(name: &str, text: &str) -> PathBuf {
    let path = scratch("linux-tests", name);
    let out = Command::new(root().join("linux/make-disk.sh")).arg(&path).arg(text).output().expect("make-disk.sh");
    assert!(out.status.success(), "linux/make-disk.sh {}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
    path
}

/// A file from the ext2 image, read on the host.
fn read_back(image: &Path, file: &str) -> String {
    let out = Command::new("debugfs")
        .args(["-R", &format!("cat /{file}")])
        .arg(image)
        .output()
        .expect("debugfs not found: apt-get install e2fsprogs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Boots the guest on `smp` harts with `disk`, `extra` hartvm arguments
/// and `append` added to the command line.
fn boot(smp: u32, disk: &Path, extra: &[&str], append: &str) -> (Output, String) {
    let dir = guest();
    let (kernel, initrd) = (dir.join("Image"), dir.join("initramfs.cpio.gz"));
    let console = if append.contains("console=") { "" } else { "console=ttyS0 " };
    let cmdline = format!("{console}hartvm.cpus={smp} {append}");
    let smp = smp.to_string();
    let mut args = vec!["run", "--timeout", "300", "--mem", "256M", "--smp", &smp];
    args.extend(["--kernel", kernel.to_str().unwrap(), "--initrd", initrd.to_str().unwrap()]);
    args.extend(["--append", &cmdline, "--drive", disk.to_str().unwrap()]);
    args.extend(extra);
    let out = hartvm(&args);
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out, text)
}

/// The init ran every check, all passed, and the guest powered off.
fn assert_clean_boot(smp: u32, out: &Output, text: &str, image: &Path, checks: u32) {
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("hartvm-init: start"), "{text}");
    assert!(text.contains(&format!("hartvm-init: cpus: ok {smp} online")), "{text}");
    assert!(text.contains(&format!("hartvm-init: done {checks}/{checks}")), "{text}");
    assert!(!text.contains("FAIL"), "{text}");
    let written = read_back(image, "out.txt");
    assert!(written.contains(&format!("cpus={smp}")), "out.txt on the host: {written:?}\n{text}");
    assert!(written.contains("hello from the host"), "out.txt on the host: {written:?}");
}

macro_rules! hypervisor_boot {
    ($($name:ident: $smp:expr,)*) => {$(
        #[test]
        fn $name() {
            let image = disk(concat!(stringify!($name), ".img"), "hello from the host");
            let (out, text) = boot($smp, &image, &[], "");
            assert_clean_boot($smp, &out, &text, &image, 5);
            assert!(text.contains("SBI specification v2.0"), "the built-in SBI: {text}");
        }
    )*};
}

hypervisor_boot! {
    hypervisor_mode_one_hart: 1,
    hypervisor_mode_two_harts: 2,
    hypervisor_mode_four_harts: 4,
}

/// The console on virtio-console (`hvc0`) instead of the UART.
#[test]
fn console_on_virtio_console() {
    let image = disk("hvc.img", "hello from the host");
    let (out, text) = boot(1, &image, &["--virtio-console"], "console=hvc0");
    assert_clean_boot(1, &out, &text, &image, 5);
    // hvc0 only exists once virtio is probed, so the boot's first lines
    // (which a UART console would show) never appear.
    assert!(!text.contains("Linux version"), "the kernel console stayed on the UART: {text}");
}

#[test]
fn firmware_mode_behind_debian_opensbi() {
    assert!(Path::new(OPENSBI).exists(), "{OPENSBI} missing: apt-get install opensbi");
    let image = disk("firmware.img", "hello from the host");
    let (out, text) = boot(2, &image, &["--bios", OPENSBI], "");
    assert!(text.contains("OpenSBI v"), "{text}");
    assert_clean_boot(2, &out, &text, &image, 5);
}

#[test]
fn reboot_boots_the_guest_again() {
    let image = disk("reboot.img", "hello from the host");
    let (out, text) = boot(2, &image, &[], "hartvm.reboot=1");
    assert!(text.contains("hartvm: the guest asked for a reboot"), "{text}");
    assert!(text.contains("hartvm-init: rebooted: ok"), "{text}");
    assert_clean_boot(2, &out, &text, &image, 6);
    assert_eq!(read_back(&image, "boots.txt").trim(), "2");
}

/// `--dump-dtb` writes the tree the guest gets; dtc decodes it cleanly.
#[test]
fn dump_dtb_decodes_without_warnings() {
    let dir = guest();
    let image = disk("dtb.img", "x");
    let dtb = scratch("linux-tests", "virt.dtb");
    let out = hartvm(&[
        "run",
        "--smp",
        "2",
        "--kernel",
        dir.join("Image").to_str().unwrap(),
        "--append",
        "console=ttyS0",
        "--drive",
        image.to_str().unwrap(),
        "--dump-dtb",
        dtb.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let dts = Command::new("dtc").args(["-I", "dtb", "-O", "dts"]).arg(&dtb).output().expect("dtc");
    let (text, warnings) = (String::from_utf8_lossy(&dts.stdout), String::from_utf8_lossy(&dts.stderr));
    assert!(dts.status.success() && warnings.trim().is_empty(), "dtc: {warnings}");
    for needle in
        ["virtio,mmio", "sifive,plic-1.0.0", "google,goldfish-rtc", "ns16550a", "bootargs = \"console=ttyS0\""]
    {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
}

#[test]
fn bad_kernel_initrd_and_disk_input() {
    let kernel = std::fs::read(guest().join("Image")).unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = scratch("linux-tests", name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "--mem", "64M", "--timeout", "60"];
        args.extend(extra);
        hartvm(&args)
    };
    // Without its magic an Image cannot be told from a raw binary, which
    // `--kernel` loads (as QEMU's does): hartvm says so, and it runs.
    let truncated = write("truncated.Image", &kernel[..40]);
    let mut bad = kernel.clone();
    bad[48..60].fill(0x5a);
    let bad_magic = write("bad-magic.Image", &bad);
    for damaged in [&truncated, &bad_magic] {
        let out = hartvm(&["run", "--mem", "64M", "--timeout", "1", "--kernel", damaged]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(124), "{err}");
        assert!(err.contains("loading it as a raw binary at 0x80200000"), "{err}");
    }
    let mut big_endian = kernel.clone();
    big_endian[24] |= 1;
    let big_endian = write("big-endian.Image", &big_endian);
    assert_usage_error(&run(&["--kernel", &big_endian]), "big-endian");
    assert_usage_error(&run(&["--kernel", &write("empty.Image", &[])]), "empty kernel file");
    let good = guest().join("Image");
    let good = good.to_str().unwrap();
    let huge = write("huge.initrd", &vec![0u8; 80 << 20]);
    assert_usage_error(&run(&["--kernel", good, "--initrd", &huge]), "larger than");
    assert_usage_error(&run(&["--kernel", good, "--drive", "/nonexistent/disk.img"]), "no such file");
    let odd = write("odd.img", &[0u8; 1000]);
    assert_usage_error(&run(&["--kernel", good, "--drive", &odd]), "512");
    let locked = write("locked.img", &[0u8; 4096]);
    let mut perms = std::fs::metadata(&locked).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&locked, perms).unwrap();
    assert_usage_error(&run(&["--kernel", good, "--drive", &locked]), "not writable");
    // Attached read-only, the same file is accepted.
    let dtb = scratch("linux-tests", "locked.dtb");
    let ok = run(&["--kernel", good, "--drive", &format!("{locked},readonly"), "--dump-dtb", dtb.to_str().unwrap()]);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
}
