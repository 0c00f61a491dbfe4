/* legacy_shutdown: the legacy System Shutdown (EID 0x08) ends the machine
 * (hartvm exits 0); it must not return. */
#include "sbi_test.h"

void test_main(unsigned long hartid, unsigned long dtb)
{
    (void)hartid;
    (void)dtb;
    printf("legacy_shutdown: calling sbi_shutdown\n");
    printf("PASS legacy_shutdown\n");
    sbi_legacy(EID_LEGACY_SHUTDOWN, 0, 0, 0, 0, 0);
    fail(1, "legacy shutdown returned");
}
