/* base: the BASE extension (EID 0x10). */
#include "sbi_test.h"

static void check_probe(int n, unsigned long eid, const char *name, int need_v2)
{
    struct sbiret r = SBI1(EID_BASE, 3, eid);
    CHECK_ERR(n, r, SBI_SUCCESS, "probe_extension error");
    if (r.value == 0 && need_v2 && skip_old(n, name))
        return;
    CHECK(n, r.value != 0, "probe_extension(%s = 0x%lx) returned 0", name, eid);
}

void test_main(unsigned long hartid, unsigned long dtb)
{
    (void)hartid;
    (void)dtb;
    struct sbiret r;

    /* 1-3: spec version */
    r = SBI0(EID_BASE, 0);
    CHECK_ERR(1, r, SBI_SUCCESS, "get_spec_version");
    unsigned long v = r.value;
    CHECK(2, (v >> 31) == 0, "spec_version 0x%lx: bit 31 and above must be 0", v);
    unsigned long major = (v >> 24) & 0x7f, minor = v & 0xffffff;
    printf("base: spec version %lu.%lu\n", major, minor);
    if (!skip_old(3, "spec_version major >= 2"))
        CHECK(3, major >= 2, "spec_version major %lu < 2 (minor %lu)", major, minor);

    /* 4-5: implementation id and version */
    r = SBI0(EID_BASE, 1);
    CHECK_ERR(4, r, SBI_SUCCESS, "get_impl_id");
    unsigned long id = r.value;
    r = SBI0(EID_BASE, 2);
    CHECK_ERR(5, r, SBI_SUCCESS, "get_impl_version");
    printf("base: impl id %lu version 0x%lx\n", id, (unsigned long)r.value);

    /* 6-15: probe every extension the guest relies on */
    check_probe(6, EID_BASE, "BASE", 0);
    check_probe(7, EID_TIME, "TIME", 0);
    check_probe(8, EID_IPI, "IPI", 0);
    check_probe(9, EID_RFENCE, "RFENCE", 0);
    check_probe(10, EID_HSM, "HSM", 0);
    check_probe(11, EID_SRST, "SRST", 0);
    check_probe(12, EID_SUSP, "SUSP", 1);
    check_probe(13, EID_DBCN, "DBCN", 1);
    for (unsigned long e = 0; e <= 8; e++)
        check_probe(14, e, "legacy", 0);
    r = SBI1(EID_BASE, 3, 0x12345678);
    CHECK_ERR(15, r, SBI_SUCCESS, "probe_extension(0x12345678)");
    CHECK_EQ(15, r.value, 0, "probe_extension(0x12345678) value");
    r = SBI1(EID_BASE, 3, 0x0A000000 + 0x54494D45);
    CHECK_EQ(15, r.value, 0, "probe_extension(unknown 0x5e494d45) value");

    /* 16-18: machine ids */
    r = SBI0(EID_BASE, 4);
    CHECK_ERR(16, r, SBI_SUCCESS, "get_mvendorid");
    r = SBI0(EID_BASE, 5);
    CHECK_ERR(17, r, SBI_SUCCESS, "get_marchid");
    r = SBI0(EID_BASE, 6);
    CHECK_ERR(18, r, SBI_SUCCESS, "get_mimpid");

    /* 19-20: unknown extensions */
    r = SBI0(0x12345678, 0);
    CHECK_ERR(19, r, SBI_ERR_NOT_SUPPORTED, "ecall to unknown EID 0x12345678");
    r = SBI0(0x0A000000, 0);
    CHECK_ERR(20, r, SBI_ERR_NOT_SUPPORTED, "ecall to unknown EID 0x0A000000 (experimental range)");

    /* 21-29: unknown FIDs of existing extensions */
    r = SBI0(EID_BASE, 7);
    CHECK_ERR(21, r, SBI_ERR_NOT_SUPPORTED, "BASE fid 7");
    r = SBI0(EID_BASE, 0x100);
    CHECK_ERR(21, r, SBI_ERR_NOT_SUPPORTED, "BASE fid 0x100");
    r = SBI0(EID_TIME, 1);
    CHECK_ERR(22, r, SBI_ERR_NOT_SUPPORTED, "TIME fid 1");
    r = SBI0(EID_IPI, 1);
    CHECK_ERR(23, r, SBI_ERR_NOT_SUPPORTED, "IPI fid 1");
    r = SBI0(EID_RFENCE, 7);
    CHECK_ERR(24, r, SBI_ERR_NOT_SUPPORTED, "RFENCE fid 7");
    r = SBI0(EID_HSM, 4);
    CHECK_ERR(25, r, SBI_ERR_NOT_SUPPORTED, "HSM fid 4");
    r = SBI2(EID_SRST, 1, 0, 0);
    CHECK_ERR(26, r, SBI_ERR_NOT_SUPPORTED, "SRST fid 1");
    if (sbi_probe(EID_SUSP)) {
        r = SBI0(EID_SUSP, 1);
        CHECK_ERR(27, r, SBI_ERR_NOT_SUPPORTED, "SUSP fid 1");
    }
    if (sbi_probe(EID_DBCN)) {
        r = SBI0(EID_DBCN, 3);
        CHECK_ERR(28, r, SBI_ERR_NOT_SUPPORTED, "DBCN fid 3");
    }
    r = SBI0(EID_BASE, -1UL);
    CHECK_ERR(29, r, SBI_ERR_NOT_SUPPORTED, "BASE fid -1");

    /* 30: every register but a0/a1 survives an SBI call */
    long changed = regs_preserved_check(EID_BASE, 0);
    CHECK_EQ(30, changed, 0, "mask of registers (bit n = xn) clobbered by get_spec_version");
    changed = regs_preserved_check(EID_BASE, 3);
    CHECK_EQ(30, changed, 0, "mask of registers clobbered by probe_extension");
    changed = regs_preserved_check(0x12345678, 0);
    CHECK_EQ(30, changed, 0, "mask of registers clobbered by an unknown EID");
    changed = regs_preserved_check(EID_HSM, 2);
    CHECK_EQ(30, changed, 0, "mask of registers clobbered by hart_get_status");

    /* 31: BASE calls ignore unused argument registers */
    r = sbi_call(EID_BASE, 0, 0xdead, 0xbeef, 1, 2, 3, 4);
    CHECK_ERR(31, r, SBI_SUCCESS, "get_spec_version with junk in a0-a5");
    CHECK_EQ(31, r.value, v, "get_spec_version with junk in a0-a5");
}
