/* Call-heavy integer work, the shape of embedded benchmarks: small
 * functions that are called rather than inlined, comparators passed as
 * function pointers, a switch-driven state machine, per-byte CRC helpers.
 * Every call and return is a control transfer a translator must handle
 * well (the other workloads spend their time in loops without calls). */
#include "bench.h"

#define NOINLINE __attribute__((noinline))
#define NODES 256
#define TEXT 2048

struct node {
    struct node *next;
    int32_t key;
    int32_t val;
};

typedef int (*compare_fn)(const struct node *, const struct node *);

static struct node pool[NODES];
static char text[TEXT];

NOINLINE static int by_key(const struct node *a, const struct node *b) {
    return (a->key > b->key) - (a->key < b->key);
}

NOINLINE static int by_val(const struct node *a, const struct node *b) {
    return (a->val > b->val) - (a->val < b->val);
}

NOINLINE static struct node *list_find(struct node *list, int32_t key) {
    for (; list; list = list->next) {
        if (list->key == key) {
            return list;
        }
    }
    return 0;
}

NOINLINE static struct node *list_reverse(struct node *list) {
    struct node *done = 0;
    while (list) {
        struct node *next = list->next;
        list->next = done;
        done = list;
        list = next;
    }
    return done;
}

/* Merge sort on the list itself (bottom-up, no recursion). */
NOINLINE static struct node *list_sort(struct node *list, compare_fn cmp) {
    for (int width = 1;; width *= 2) {
        struct node *p = list, *tail = 0;
        int merges = 0;
        list = 0;
        while (p) {
            struct node *q = p;
            int psize = 0, qsize = width;
            merges++;
            while (q && psize < width) {
                psize++;
                q = q->next;
            }
            while (psize > 0 || (qsize > 0 && q)) {
                struct node *e;
                if (psize == 0) {
                    e = q, q = q->next, qsize--;
                } else if (qsize == 0 || !q || cmp(p, q) <= 0) {
                    e = p, p = p->next, psize--;
                } else {
                    e = q, q = q->next, qsize--;
                }
                if (tail) {
                    tail->next = e;
                } else {
                    list = e;
                }
                tail = e;
            }
            p = q;
        }
        tail->next = 0;
        if (merges <= 1) {
            return list;
        }
    }
}

NOINLINE static uint16_t crc_byte(uint16_t crc, uint8_t byte) {
    for (int i = 0; i < 8; i++) {
        uint16_t mix = (crc ^ byte) & 1;
        crc >>= 1;
        byte >>= 1;
        if (mix) {
            crc ^= 0xa001;
        }
    }
    return crc;
}

NOINLINE static uint16_t crc_word(uint16_t crc, uint32_t w) {
    crc = crc_byte(crc, (uint8_t)w);
    crc = crc_byte(crc, (uint8_t)(w >> 8));
    crc = crc_byte(crc, (uint8_t)(w >> 16));
    return crc_byte(crc, (uint8_t)(w >> 24));
}

enum kind { SPACE, DIGIT, ALPHA, SIGN, POINT, OTHER };

NOINLINE static enum kind classify(char c) {
    if (c == ' ' || c == ',') {
        return SPACE;
    }
    if (c >= '0' && c <= '9') {
        return DIGIT;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        return ALPHA;
    }
    if (c == '+' || c == '-') {
        return SIGN;
    }
    return c == '.' ? POINT : OTHER;
}

enum state { START, INT, FRAC, WORD, SIGNED, BAD, STATES };

/* Scans the text token by token and counts how each token ended. */
NOINLINE static uint64_t scan(const char *s, int n, uint32_t counts[STATES]) {
    enum state st = START;
    uint64_t h = 0;
    for (int i = 0; i < n; i++) {
        enum kind k = classify(s[i]);
        if (k == SPACE) {
            counts[st]++;
            h = h * 31 + st;
            st = START;
            continue;
        }
        switch (st) {
        case START:
            st = k == DIGIT ? INT : k == ALPHA ? WORD : k == SIGN ? SIGNED : k == POINT ? FRAC : BAD;
            break;
        case SIGNED:
            st = k == DIGIT ? INT : k == POINT ? FRAC : BAD;
            break;
        case INT:
            st = k == DIGIT ? INT : k == POINT ? FRAC : BAD;
            break;
        case FRAC:
            st = k == DIGIT ? FRAC : BAD;
            break;
        case WORD:
            st = k == ALPHA || k == DIGIT ? WORD : BAD;
            break;
        default:
            break;
        }
    }
    return h;
}

NOINLINE static int32_t dot(const int16_t *a, const int16_t *b, int n, int stride) {
    int32_t sum = 0;
    for (int i = 0; i < n; i++) {
        sum += a[i] * b[i * stride];
    }
    return sum;
}

#define M 12
static int16_t mat_a[M * M], mat_b[M * M];

NOINLINE static uint64_t matrix(void) {
    uint64_t h = 0;
    for (int i = 0; i < M; i++) {
        for (int j = 0; j < M; j++) {
            h = bench_mix(h, (uint32_t)dot(&mat_a[i * M], &mat_b[j], M, M));
        }
    }
    return h;
}

static void fill(uint64_t *rng) {
    static const char alphabet[] = "0123456789abcdefXYZ+-.,  ;";
    for (int i = 0; i < NODES; i++) {
        uint64_t r = bench_rng(rng);
        pool[i].key = (int32_t)(r & 0x3ff);
        pool[i].val = (int32_t)(r >> 40);
        pool[i].next = i + 1 < NODES ? &pool[i + 1] : 0;
    }
    for (int i = 0; i < TEXT; i++) {
        text[i] = alphabet[bench_rng(rng) % (sizeof alphabet - 1)];
    }
    for (int i = 0; i < M * M; i++) {
        mat_a[i] = (int16_t)bench_rng(rng);
        mat_b[i] = (int16_t)bench_rng(rng);
    }
}

uint64_t bench_run(void) {
    uint64_t rng = 0x1234567887654321ull, h = 0;
    fill(&rng);
    struct node *list = &pool[0];
    for (int it = 0; it < ITERATIONS; it++) {
        for (int round = 0; round < 4; round++) {
            list = list_sort(list, round & 1 ? by_val : by_key);
            uint16_t crc = 0xffff;
            int found = 0;
            for (int k = 0; k < 64; k++) {
                struct node *n = list_find(list, (int32_t)((k * 37 + it) & 0x3ff));
                if (n) {
                    found++;
                    crc = crc_word(crc, (uint32_t)n->val);
                }
            }
            list = list_reverse(list);
            for (struct node *n = list; n; n = n->next) {
                crc = crc_word(crc, (uint32_t)n->key);
            }
            h = bench_mix(h, crc);
            h = bench_mix(h, (uint64_t)found);
            /* The list changes between rounds: values drift. */
            for (int i = 0; i < NODES; i += 7) {
                pool[i].val += (int32_t)(h & 0xff);
                pool[i].key = (pool[i].key + 13) & 0x3ff;
            }
        }
        uint32_t counts[STATES] = {0};
        h = bench_mix(h, scan(text, TEXT, counts));
        for (int s = 0; s < STATES; s++) {
            h = bench_mix(h, counts[s]);
        }
        h = bench_mix(h, matrix());
        text[it % TEXT] = (char)('0' + (h % 10));
        mat_a[it % (M * M)] ^= (int16_t)h;
    }
    return h;
}
