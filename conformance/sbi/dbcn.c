/* dbcn: the Debug Console extension (write, read, write_byte). */
#include "sbi_test.h"

#define RAM_END 0x88000000UL /* 128 MiB from 0x80000000, the default */

static char rbuf[64];

void test_main(unsigned long hartid, unsigned long dtb)
{
    (void)hartid;
    (void)dtb;
    struct sbiret r;
    if (!sbi_probe(EID_DBCN)) {
        if (skip_old(1, "DBCN not implemented"))
            return;
        fail(1, "probe_extension(DBCN) returned 0");
    }

    /* 2: write returns SUCCESS and the number of bytes written */
    static const char msg[] = "dbcn: console write works\n";
    unsigned long len = sizeof msg - 1, done = 0;
    for (int tries = 0; done < len && tries < 1000; tries++) {
        r = SBI3(EID_DBCN, 0, len - done, (unsigned long)msg + done, 0);
        CHECK_ERR(2, r, SBI_SUCCESS, "console_write");
        CHECK(2, (unsigned long)r.value <= len - done, "console_write wrote %ld of %lu bytes", r.value,
              len - done);
        done += r.value;
    }
    CHECK_EQ(2, done, len, "bytes written by console_write");

    /* 3: zero bytes */
    r = SBI3(EID_DBCN, 0, 0, (unsigned long)msg, 0);
    CHECK_ERR(3, r, SBI_SUCCESS, "console_write of 0 bytes");
    CHECK_EQ(3, r.value, 0, "bytes written by console_write of 0 bytes");

    /* 4-7: memory outside RAM */
    r = SBI3(EID_DBCN, 0, 8, 0x70000000UL, 0);
    CHECK_ERR(4, r, SBI_ERR_INVALID_PARAM, "console_write from 0x70000000 (no memory)");
    r = SBI3(EID_DBCN, 0, 8, (unsigned long)msg, 1);
    CHECK_ERR(5, r, SBI_ERR_INVALID_PARAM, "console_write with base_addr_hi = 1");
    r = SBI3(EID_DBCN, 0, 16, RAM_END - 8, 0);
    CHECK_ERR(6, r, SBI_ERR_INVALID_PARAM, "console_write of 16 bytes across the end of RAM");
    r = SBI3(EID_DBCN, 0, -1UL, (unsigned long)msg, 0);
    CHECK_ERR(7, r, SBI_ERR_INVALID_PARAM, "console_write of 2^64-1 bytes");

    /* 8: write_byte: SUCCESS, value 0 */
    static const char line[] = "dbcn: console write_byte works\n";
    for (const char *p = line; *p; p++) {
        r = sbi_call(EID_DBCN, 2, (unsigned char)*p, 0xdead, 0, 0, 0, 0);
        CHECK_ERR(8, r, SBI_SUCCESS, "console_write_byte");
        CHECK_EQ(8, r.value, 0, "console_write_byte value");
    }
    /* 9: only the low 8 bits of the byte count */
    r = SBI1(EID_DBCN, 2, 0x4100 | '\n');
    CHECK_ERR(9, r, SBI_SUCCESS, "console_write_byte(0x410a)");

    /* 10: read with no input pending: SUCCESS, 0 bytes, buffer untouched */
    for (unsigned i = 0; i < sizeof rbuf; i++)
        rbuf[i] = 0x55;
    r = SBI3(EID_DBCN, 1, sizeof rbuf, (unsigned long)rbuf, 0);
    CHECK_ERR(10, r, SBI_SUCCESS, "console_read");
    CHECK(10, (unsigned long)r.value <= sizeof rbuf, "console_read returned %ld bytes", r.value);
    if (r.value == 0)
        for (unsigned i = 0; i < sizeof rbuf; i++)
            CHECK_EQ(10, rbuf[i], 0x55, "buffer byte after a console_read of 0 bytes");
    else
        printf("dbcn: console_read returned %ld bytes of input\n", r.value);

    /* 11-12: read into memory outside RAM */
    r = SBI3(EID_DBCN, 1, 8, 0x70000000UL, 0);
    CHECK_ERR(11, r, SBI_ERR_INVALID_PARAM, "console_read into 0x70000000 (no memory)");
    r = SBI3(EID_DBCN, 1, 8, (unsigned long)rbuf, 1);
    CHECK_ERR(12, r, SBI_ERR_INVALID_PARAM, "console_read with base_addr_hi = 1");

    /* 13: a write of the whole of a larger buffer in pieces */
    static char big[600];
    for (unsigned i = 0; i < sizeof big - 1; i++)
        big[i] = (i % 75 == 74) ? '\n' : 'a' + i % 26;
    big[sizeof big - 1] = '\n';
    done = 0;
    for (int tries = 0; done < sizeof big && tries < 10000; tries++) {
        r = SBI3(EID_DBCN, 0, sizeof big - done, (unsigned long)big + done, 0);
        CHECK_ERR(13, r, SBI_SUCCESS, "console_write of 600 bytes");
        done += r.value;
    }
    CHECK_EQ(13, done, sizeof big, "bytes written of 600");
}
