use super::*;
use std::collections::BTreeMap;

type Props = BTreeMap<String, Vec<u8>>;

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(b[at..at + 4].try_into().unwrap())
}

/// A minimal FDT reader: checks the header and returns every node's path
/// with its properties.
fn walk(dtb: &[u8]) -> BTreeMap<String, Props> {
    assert_eq!(be32(dtb, 0), 0xd00d_feed, "magic");
    assert_eq!(be32(dtb, 4) as usize, dtb.len(), "totalsize");
    assert_eq!(be32(dtb, 20), 17, "version");
    let off_struct = be32(dtb, 8) as usize;
    let off_strings = be32(dtb, 12) as usize;
    let size_struct = be32(dtb, 36) as usize;
    let strings = &dtb[off_strings..off_strings + be32(dtb, 32) as usize];
    let cstr = |b: &[u8]| -> String {
        let end = b.iter().position(|&c| c == 0).expect("NUL-terminated");
        String::from_utf8(b[..end].to_vec()).unwrap()
    };
    let mut nodes = BTreeMap::new();
    let mut stack: Vec<String> = Vec::new();
    let mut at = off_struct;
    let end = off_struct + size_struct;
    loop {
        assert!(at < end, "structure block ended without FDT_END");
        let token = be32(dtb, at);
        at += 4;
        match token {
            1 => {
                let name = cstr(&dtb[at..]);
                at += (name.len() + 1).next_multiple_of(4);
                let path = match stack.last() {
                    None => "/".to_string(),
                    Some(p) if p == "/" => format!("/{name}"),
                    Some(p) => format!("{p}/{name}"),
                };
                assert!(nodes.insert(path.clone(), Props::new()).is_none(), "duplicate {path}");
                stack.push(path);
            }
            2 => {
                stack.pop().expect("unbalanced END_NODE");
            }
            3 => {
                let len = be32(dtb, at) as usize;
                let name = cstr(&strings[be32(dtb, at + 4) as usize..]);
                let value = dtb[at + 8..at + 8 + len].to_vec();
                at += 8 + len.next_multiple_of(4);
                let node = nodes.get_mut(stack.last().expect("prop outside node")).unwrap();
                assert!(node.insert(name.clone(), value).is_none(), "duplicate prop {name}");
            }
            4 => {}
            9 => break,
            t => panic!("bad token {t}"),
        }
    }
    assert!(stack.is_empty());
    nodes
}

fn s(v: &[u8]) -> Vec<String> {
    v.split(|&c| c == 0).filter(|x| !x.is_empty()).map(|x| String::from_utf8(x.to_vec()).unwrap()).collect()
}

fn cells(v: &[u8]) -> Vec<u32> {
    v.chunks(4).map(|c| u32::from_be_bytes(c.try_into().unwrap())).collect()
}

fn prop<'a>(t: &'a BTreeMap<String, Props>, node: &str, name: &str) -> &'a [u8] {
    t.get(node).unwrap_or_else(|| panic!("no node {node}")).get(name).unwrap_or_else(|| panic!("no {node}:{name}"))
}

/// Decompiles with dtc (when installed) and returns the DTS, asserting
/// dtc printed no warnings.
fn dtc(dtb: &[u8]) -> Option<String> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = match Command::new("dtc")
        .args(["-I", "dtb", "-O", "dts", "-o", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(_) => {
            eprintln!("skipped: dtc not installed");
            return None;
        }
    };
    child.stdin.take().unwrap().write_all(dtb).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "dtc failed: {stderr}");
    assert!(stderr.trim().is_empty(), "dtc warnings:\n{stderr}");
    Some(String::from_utf8(out.stdout).unwrap())
}

/// The machine of the old builder: no PLIC, no RTC.
fn minimal() -> FdtConfig {
    FdtConfig { plic: None, rtc_base: None, ..FdtConfig::default() }
}

#[test]
fn minimal_machine() {
    let dtb = build_fdt(&minimal()).unwrap();
    let t = walk(&dtb);
    let paths: Vec<&str> = t.keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            "/",
            "/chosen",
            "/cpus",
            "/cpus/cpu-map",
            "/cpus/cpu-map/cluster0",
            "/cpus/cpu-map/cluster0/core0",
            "/cpus/cpu@0",
            "/cpus/cpu@0/interrupt-controller",
            "/memory@80000000",
            "/poweroff",
            "/reboot",
            "/soc",
            "/soc/clint@2000000",
            "/soc/serial@10000000",
            "/soc/test@100000",
        ]
    );
    assert_eq!(s(prop(&t, "/", "compatible")), ["riscv-virtio"]);
    assert_eq!(cells(prop(&t, "/", "#address-cells")), [2]);
    assert_eq!(s(prop(&t, "/chosen", "stdout-path")), ["/soc/serial@10000000"]);
    assert!(!t["/chosen"].contains_key("bootargs"));
    assert!(!t["/chosen"].contains_key("rng-seed"));
    assert_eq!(cells(prop(&t, "/memory@80000000", "reg")), [0, 0x8000_0000, 0, 128 << 20]);
    assert_eq!(cells(prop(&t, "/cpus", "timebase-frequency")), [10_000_000]);
    let cpu = "/cpus/cpu@0";
    assert_eq!(s(prop(&t, cpu, "device_type")), ["cpu"]);
    assert_eq!(cells(prop(&t, cpu, "reg")), [0]);
    assert_eq!(s(prop(&t, cpu, "status")), ["okay"]);
    assert_eq!(s(prop(&t, cpu, "compatible")), ["riscv"]);
    assert_eq!(s(prop(&t, cpu, "riscv,isa")), ["rv64imafdc_zicond_zicsr_zifencei_zba_zbb_zbs"]);
    assert_eq!(s(prop(&t, cpu, "riscv,isa-base")), ["rv64i"]);
    assert_eq!(
        s(prop(&t, cpu, "riscv,isa-extensions")),
        ["i", "m", "a", "f", "d", "c", "zicond", "zicsr", "zifencei", "zba", "zbb", "zbs"]
    );
    assert_eq!(s(prop(&t, cpu, "mmu-type")), ["riscv,sv57"]);
    assert!(!t[cpu].contains_key("cpu-idle-states"));
    let cpu_ph = cells(prop(&t, cpu, "phandle"))[0];
    assert_eq!(cells(prop(&t, "/cpus/cpu-map/cluster0/core0", "cpu")), [cpu_ph]);
    let intc = "/cpus/cpu@0/interrupt-controller";
    assert_eq!(s(prop(&t, intc, "compatible")), ["riscv,cpu-intc"]);
    assert_eq!(prop(&t, intc, "interrupt-controller"), b"");
    let intc_ph = cells(prop(&t, intc, "phandle"))[0];
    assert_eq!(cells(prop(&t, "/soc/clint@2000000", "interrupts-extended")), [intc_ph, 3, intc_ph, 7]);
    assert_eq!(s(prop(&t, "/soc/clint@2000000", "compatible")), ["sifive,clint0", "riscv,clint0"]);
    assert_eq!(cells(prop(&t, "/soc/clint@2000000", "reg")), [0, 0x200_0000, 0, 0x10000]);
    let serial = "/soc/serial@10000000";
    assert_eq!(s(prop(&t, serial, "compatible")), ["ns16550a"]);
    assert_eq!(cells(prop(&t, serial, "clock-frequency")), [3_686_400]);
    assert_eq!(cells(prop(&t, serial, "reg")), [0, 0x1000_0000, 0, 0x100]);
    assert!(!t[serial].contains_key("interrupts"));
    let test = "/soc/test@100000";
    assert_eq!(s(prop(&t, test, "compatible")), ["sifive,test1", "sifive,test0", "syscon"]);
    let test_ph = cells(prop(&t, test, "phandle"))[0];
    assert_ne!(test_ph, intc_ph);
    for (node, compat, value) in [("/poweroff", "syscon-poweroff", 0x5555), ("/reboot", "syscon-reboot", 0x7777)] {
        assert_eq!(s(prop(&t, node, "compatible")), [compat]);
        assert_eq!(cells(prop(&t, node, "regmap")), [test_ph]);
        assert_eq!(cells(prop(&t, node, "offset")), [0]);
        assert_eq!(cells(prop(&t, node, "value")), [value]);
    }
    assert_eq!(s(prop(&t, "/soc", "compatible")), ["simple-bus"]);
    assert_eq!(prop(&t, "/soc", "ranges"), b"");
}

#[test]
fn full_virt_machine() {
    let cfg = FdtConfig {
        num_harts: 3,
        virtio_slots: VIRTIO_ALL_SLOTS.to_vec(),
        idle_states: IdleState::sbi_defaults(),
        rng_seed: Some(vec![1, 2, 3, 4, 5, 6, 7, 8]),
        ..FdtConfig::default()
    };
    let dtb = build_fdt(&cfg).unwrap();
    let t = walk(&dtb);
    let intcs: Vec<u32> =
        (0..3).map(|h| cells(prop(&t, &format!("/cpus/cpu@{h}/interrupt-controller"), "phandle"))[0]).collect();

    let plic = "/soc/plic@c000000";
    assert_eq!(s(prop(&t, plic, "compatible")), ["sifive,plic-1.0.0", "riscv,plic0"]);
    assert_eq!(cells(prop(&t, plic, "reg")), [0, 0x0c00_0000, 0, 0x60_0000]);
    assert_eq!(cells(prop(&t, plic, "#interrupt-cells")), [1]);
    assert_eq!(cells(prop(&t, plic, "#address-cells")), [0]);
    assert_eq!(prop(&t, plic, "interrupt-controller"), b"");
    assert_eq!(cells(prop(&t, plic, "riscv,ndev")), [95]);
    // Context order: hart 0 M, hart 0 S, hart 1 M, ...
    let expect: Vec<u32> = intcs.iter().flat_map(|&p| [p, 11, p, 9]).collect();
    assert_eq!(cells(prop(&t, plic, "interrupts-extended")), expect);
    let plic_ph = cells(prop(&t, plic, "phandle"))[0];

    let serial = "/soc/serial@10000000";
    assert_eq!(cells(prop(&t, serial, "interrupt-parent")), [plic_ph]);
    assert_eq!(cells(prop(&t, serial, "interrupts")), [10]);

    let rtc = "/soc/rtc@101000";
    assert_eq!(s(prop(&t, rtc, "compatible")), ["google,goldfish-rtc"]);
    assert_eq!(cells(prop(&t, rtc, "reg")), [0, 0x10_1000, 0, 0x1000]);
    assert_eq!(cells(prop(&t, rtc, "interrupt-parent")), [plic_ph]);
    assert_eq!(cells(prop(&t, rtc, "interrupts")), [11]);

    for i in 0..8u32 {
        let base = 0x1000_1000 + 0x1000 * i;
        let node = format!("/soc/virtio_mmio@{base:x}");
        assert_eq!(s(prop(&t, &node, "compatible")), ["virtio,mmio"]);
        assert_eq!(cells(prop(&t, &node, "reg")), [0, base, 0, 0x1000]);
        assert_eq!(cells(prop(&t, &node, "interrupts")), [1 + i]);
        assert_eq!(cells(prop(&t, &node, "interrupt-parent")), [plic_ph]);
    }

    let ret = "/cpus/idle-states/retentive";
    let nonret = "/cpus/idle-states/non-retentive";
    for (node, param) in [(ret, 0), (nonret, 0x8000_0000)] {
        assert_eq!(s(prop(&t, node, "compatible")), ["riscv,idle-state"]);
        assert_eq!(cells(prop(&t, node, "riscv,sbi-suspend-param")), [param]);
        for p in ["entry-latency-us", "exit-latency-us", "min-residency-us"] {
            assert_eq!(prop(&t, node, p).len(), 4, "{node}:{p}");
        }
        assert!(!t[node].contains_key("local-timer-stop"));
    }
    let states = [cells(prop(&t, ret, "phandle"))[0], cells(prop(&t, nonret, "phandle"))[0]];
    for h in 0..3 {
        let cpu = format!("/cpus/cpu@{h}");
        assert_eq!(cells(prop(&t, &cpu, "cpu-idle-states")), states);
        let cpu_ph = cells(prop(&t, &cpu, "phandle"))[0];
        assert_eq!(cells(prop(&t, &format!("/cpus/cpu-map/cluster0/core{h}"), "cpu")), [cpu_ph]);
    }
    assert_eq!(prop(&t, "/chosen", "rng-seed"), [1, 2, 3, 4, 5, 6, 7, 8]);

    // Every phandle is unique.
    let mut all: Vec<u32> = t.values().filter_map(|p| p.get("phandle")).map(|v| cells(v)[0]).collect();
    let n = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), n);
    dtc(&dtb);
}

#[test]
fn hidden_m_contexts_keep_numbering() {
    let cfg = FdtConfig {
        num_harts: 2,
        plic: Some(PlicConfig { m_contexts: PlicMContexts::Hidden, ..PlicConfig::default() }),
        ..FdtConfig::default()
    };
    let dtb = build_fdt(&cfg).unwrap();
    let t = walk(&dtb);
    let intcs: Vec<u32> =
        (0..2).map(|h| cells(prop(&t, &format!("/cpus/cpu@{h}/interrupt-controller"), "phandle"))[0]).collect();
    let got = cells(prop(&t, "/soc/plic@c000000", "interrupts-extended"));
    // 4 contexts as in hardware; S contexts stay at 1 and 3.
    assert_eq!(got, [intcs[0], 0xffff_ffff, intcs[0], 9, intcs[1], 0xffff_ffff, intcs[1], 9]);
    dtc(&dtb);
}

#[test]
fn virtio_slots_only_populated_ones() {
    let cfg = FdtConfig { virtio_slots: vec![5, 2, 5], ..FdtConfig::default() };
    let t = walk(&build_fdt(&cfg).unwrap());
    let virtio: Vec<&str> = t.keys().map(String::as_str).filter(|p| p.starts_with("/soc/virtio")).collect();
    assert_eq!(virtio, ["/soc/virtio_mmio@10003000", "/soc/virtio_mmio@10006000"]);
    assert_eq!(cells(prop(&t, "/soc/virtio_mmio@10006000", "interrupts")), [6]);
    let none = walk(&build_fdt(&FdtConfig::default()).unwrap());
    assert!(!none.keys().any(|p| p.contains("virtio")));
}

#[test]
fn isa_from_extension_list() {
    let cfg = FdtConfig {
        extensions: ["sstc", "zicntr", "c", "zba", "d", "f", "a", "m", "i", "zifencei", "zicsr", "zicond"]
            .map(String::from)
            .to_vec(),
        ..FdtConfig::default()
    };
    let t = walk(&build_fdt(&cfg).unwrap());
    let cpu = "/cpus/cpu@0";
    assert_eq!(s(prop(&t, cpu, "riscv,isa")), ["rv64imafdc_zicntr_zicond_zicsr_zifencei_zba_sstc"]);
    assert_eq!(
        s(prop(&t, cpu, "riscv,isa-extensions")),
        ["i", "m", "a", "f", "d", "c", "zicntr", "zicond", "zicsr", "zifencei", "zba", "sstc"]
    );
    let rv32 = FdtConfig { xlen: 32, extensions: vec!["i".into(), "m".into()], ..FdtConfig::default() };
    let t = walk(&build_fdt(&rv32).unwrap());
    assert_eq!(s(prop(&t, cpu, "riscv,isa")), ["rv32im"]);
    assert_eq!(s(prop(&t, cpu, "riscv,isa-base")), ["rv32i"]);
}

#[test]
fn smp_bootargs_initrd() {
    let cfg = FdtConfig {
        num_harts: 4,
        mem_size: 2 << 30,
        bootargs: Some("console=ttyS0 earlycon".into()),
        initrd: Some((0x8800_0000, 0x8812_3456)),
        ..FdtConfig::default()
    };
    let t = walk(&build_fdt(&cfg).unwrap());
    let phandles: Vec<u32> = (0..4)
        .map(|h| {
            let cpu = format!("/cpus/cpu@{h}");
            assert_eq!(cells(prop(&t, &cpu, "reg")), [h]);
            cells(prop(&t, &format!("{cpu}/interrupt-controller"), "phandle"))[0]
        })
        .collect();
    let mut uniq = phandles.clone();
    uniq.dedup();
    assert_eq!(uniq.len(), 4);
    let expect: Vec<u32> = phandles.iter().flat_map(|&p| [p, 3, p, 7]).collect();
    assert_eq!(cells(prop(&t, "/soc/clint@2000000", "interrupts-extended")), expect);
    assert_eq!(s(prop(&t, "/chosen", "bootargs")), ["console=ttyS0 earlycon"]);
    assert_eq!(cells(prop(&t, "/chosen", "linux,initrd-start")), [0, 0x8800_0000]);
    assert_eq!(cells(prop(&t, "/chosen", "linux,initrd-end")), [0, 0x8812_3456]);
    assert_eq!(cells(prop(&t, "/memory@80000000", "reg")), [0, 0x8000_0000, 0, 0x8000_0000]);
}

#[test]
fn dtc_accepts_it_without_warnings() {
    let cfg = FdtConfig {
        num_harts: 2,
        bootargs: Some("console=ttyS0".into()),
        initrd: Some((0x8400_0000, 0x8500_0000)),
        rng_seed: Some(vec![0xaa; 32]),
        virtio_slots: VIRTIO_ALL_SLOTS.to_vec(),
        idle_states: IdleState::sbi_defaults(),
        ..FdtConfig::default()
    };
    let Some(dts) = dtc(&build_fdt(&cfg).unwrap()) else {
        return;
    };
    // dtc 1.6 prints string lists as "a\0b", newer versions as "a", "b".
    let dts = dts.replace("\\0", "\", \"");
    for needle in [
        "compatible = \"riscv-virtio\";",
        "cpu@1 {",
        "riscv,isa-extensions = \"i\", \"m\"",
        "stdout-path = \"/soc/serial@10000000\";",
        "bootargs = \"console=ttyS0\";",
        "serial@10000000 {",
        "clint@2000000 {",
        "test@100000 {",
        "compatible = \"syscon-poweroff\";",
        "value = <0x7777>;",
        "memory@80000000 {",
        "plic@c000000 {",
        "riscv,ndev = <0x5f>;",
        "rtc@101000 {",
        "virtio_mmio@10008000 {",
        "idle-states {",
        "riscv,sbi-suspend-param = <0x80000000>;",
        "cpu-map {",
        "linux,initrd-start = <0x00 0x84000000>;",
    ] {
        assert!(dts.contains(needle), "{needle:?} missing in:\n{dts}");
    }
}

/// A PLIC-like node using the extension point.
struct FakePlic;

impl FdtNode for FakePlic {
    fn reserve(&self, ctx: &mut FdtContext) {
        let p = ctx.alloc_phandle();
        ctx.interrupt_parent = Some(p);
    }
    fn write(&self, fdt: &mut FdtWriter, ctx: &mut FdtContext) -> Result<(), FdtError> {
        let node = fdt.begin_node("plic@c000000")?;
        fdt.property_string("compatible", "riscv,plic0")?;
        fdt.property_array_u64("reg", &[0xc00_0000, 0x60_0000])?;
        fdt.property_u32("#address-cells", 0)?;
        fdt.property_u32("#interrupt-cells", 1)?;
        fdt.property_null("interrupt-controller")?;
        fdt.property_u32("riscv,ndev", 95)?;
        let ext: Vec<u32> = ctx.cpu_intc_phandles.iter().flat_map(|&p| [p, 11, p, 9]).collect();
        fdt.property_array_u32("interrupts-extended", &ext)?;
        fdt.property_phandle(ctx.interrupt_parent.unwrap())?;
        fdt.end_node(node)?;
        Ok(())
    }
}

#[test]
fn extension_nodes_and_uart_interrupt() {
    let dtb = build_fdt_with(&minimal(), &[&FakePlic]).unwrap();
    let t = walk(&dtb);
    let plic_ph = cells(prop(&t, "/soc/plic@c000000", "phandle"))[0];
    let serial = "/soc/serial@10000000";
    assert_eq!(cells(prop(&t, serial, "interrupt-parent")), [plic_ph]);
    assert_eq!(cells(prop(&t, serial, "interrupts")), [10]);
    dtc(&dtb);
}

#[test]
fn errors() {
    let no_harts = FdtConfig { num_harts: 0, ..FdtConfig::default() };
    assert!(matches!(build_fdt(&no_harts), Err(FdtError::NoHarts)));
    let many = FdtConfig { num_harts: u32::MAX, ..FdtConfig::default() };
    assert!(matches!(build_fdt(&many), Err(FdtError::TooManyHarts(u32::MAX))));
    assert!(build_fdt(&FdtConfig { num_harts: MAX_HARTS, ..FdtConfig::default() }).is_ok());
    for bad in [vec!["m", "a"], vec!["i", "g"], vec!["i", "Zba"], vec!["i", ""], vec!["i", "yfoo"], vec!["i", "z-a"]] {
        let cfg = FdtConfig { extensions: bad.iter().map(|e| e.to_string()).collect(), ..FdtConfig::default() };
        let err = build_fdt(&cfg).unwrap_err();
        assert!(matches!(err, FdtError::BadIsa(_)), "{bad:?}: {err}");
        assert!(!err.to_string().contains('\n'));
    }
    let xlen = FdtConfig { xlen: 128, ..FdtConfig::default() };
    assert!(matches!(build_fdt(&xlen), Err(FdtError::BadIsa(_))));
    let slot = FdtConfig { virtio_slots: vec![0, 8], ..FdtConfig::default() };
    assert!(matches!(build_fdt(&slot), Err(FdtError::BadVirtioSlot(8))));
    let mut states = IdleState::sbi_defaults();
    states[1].suspend_param = 0x8000_0001;
    let reserved = FdtConfig { idle_states: states, ..FdtConfig::default() };
    assert!(matches!(build_fdt(&reserved), Err(FdtError::BadIdleState(_))));
    let mut states = IdleState::sbi_defaults();
    states[1].name = "retentive".into();
    let dup = FdtConfig { idle_states: states, ..FdtConfig::default() };
    assert!(matches!(build_fdt(&dup), Err(FdtError::BadIdleState(_))));
    let mut states = IdleState::sbi_defaults();
    states[0].name = "a/b".into();
    let name = FdtConfig { idle_states: states, ..FdtConfig::default() };
    assert!(matches!(build_fdt(&name), Err(FdtError::BadIdleState(_))));
    let mut states = IdleState::sbi_defaults();
    states[0].suspend_param = 0x1000_0000; // platform-specific retentive: allowed
    states[1].suspend_param = 0x9000_0000;
    assert!(build_fdt(&FdtConfig { idle_states: states, ..FdtConfig::default() }).is_ok());
    let nul = FdtConfig { bootargs: Some("a\0b".into()), ..FdtConfig::default() };
    let err = build_fdt(&nul).unwrap_err();
    assert!(matches!(err, FdtError::Writer(_)));
    assert!(err.to_string().starts_with("device tree: "));
}

#[test]
fn canonical_order() {
    assert_eq!(
        canonical_extensions(&["zbb", "sstc", "zicsr", "c", "h", "v", "i", "xfoo", "zfh", "zmmul", "svpbmt"]).unwrap(),
        ["i", "c", "v", "h", "zicsr", "zmmul", "zfh", "zbb", "sstc", "svpbmt", "xfoo"]
    );
    assert_eq!(isa_string(64, &["i"]), "rv64i");
}

#[test]
fn isa_parsing() {
    let (base, ext) = isa_extensions("rv64gc").unwrap();
    assert_eq!(base, "rv64i");
    assert_eq!(ext, ["i", "m", "a", "f", "d", "zicsr", "zifencei", "c"]);
    let (base, ext) = isa_extensions("RV32IMAC_Zicsr_zicsr").unwrap();
    assert_eq!(base, "rv32i");
    assert_eq!(ext, ["i", "m", "a", "c", "zicsr"]);
    let (_, ext) = isa_extensions("rv64gc_zicsr").unwrap();
    assert_eq!(ext.iter().filter(|e| *e == "zicsr").count(), 1);
    assert!(isa_extensions("rv128i").is_none());
    assert!(isa_extensions("").is_none());
    assert_eq!(isa_extensions("rv64").unwrap().1, Vec::<String>::new());
}
