/* srst: the System Reset extension's parameter checks; ends with a
 * shutdown whose type and reason carry junk in their upper 32 bits (only
 * the low 32 bits count), so hartvm must exit 0. */
#include "sbi_test.h"

void test_main(unsigned long hartid, unsigned long dtb)
{
    (void)hartid;
    (void)dtb;
    struct sbiret r;

    /* 1: reserved reset types */
    r = sbi_system_reset(3, 0);
    CHECK_ERR(1, r, SBI_ERR_INVALID_PARAM, "system_reset(type 3)");
    r = sbi_system_reset(0xEFFFFFFFUL, 0);
    CHECK_ERR(1, r, SBI_ERR_INVALID_PARAM, "system_reset(type 0xEFFFFFFF)");
    r = sbi_system_reset(0x12345678UL, 0);
    CHECK_ERR(1, r, SBI_ERR_INVALID_PARAM, "system_reset(type 0x12345678)");

    /* 2: reserved reasons, with every valid type */
    for (unsigned long type = 0; type <= 2; type++) {
        r = sbi_system_reset(type, 2);
        if (r.error != SBI_ERR_INVALID_PARAM)
            fail(2, "system_reset(type %lu, reason 2): error %ld, expected %d", type, r.error,
                 SBI_ERR_INVALID_PARAM);
        r = sbi_system_reset(type, 0xDFFFFFFFUL);
        if (r.error != SBI_ERR_INVALID_PARAM)
            fail(2, "system_reset(type %lu, reason 0xDFFFFFFF): error %ld, expected %d", type,
                 r.error, SBI_ERR_INVALID_PARAM);
    }

    /* 3: only the low 32 bits count: still reserved with upper bits set */
    r = sbi_system_reset(0x100000003UL, 0);
    CHECK_ERR(3, r, SBI_ERR_INVALID_PARAM, "system_reset(type 0x1_00000003)");
    r = sbi_system_reset(0xFFFFFFFF00000003UL, 0);
    CHECK_ERR(3, r, SBI_ERR_INVALID_PARAM, "system_reset(type 0xFFFFFFFF_00000003)");
    r = sbi_system_reset(0, 0x100000002UL);
    CHECK_ERR(3, r, SBI_ERR_INVALID_PARAM, "system_reset(type 0, reason 0x1_00000002)");

    /* 4: shutdown, type and reason with junk above bit 31: no reason */
    int old = skip_old(4, "system_reset(0x1_00000000, 0x1_00000000): only the low 32 bits count");
    printf("PASS %s\n", TEST_NAME);
    if (old)
        r = sbi_system_reset(0, 0);
    else
        r = sbi_system_reset(0x100000000UL, 0xFFFFFFFF00000000UL);
    fail(4, "system_reset(shutdown) returned: error %ld", r.error);
}
