/* Switch dispatch, the shape of bytecode interpreters, parsers and state
 * machines: a stack-machine interpreter whose dense `switch` GCC compiles
 * to a jump table (one indirect jump per bytecode, to one of a dozen
 * targets), and a tokenizer that walks generated text through a state
 * machine, switching on the character class in each state. */
#include "bench.h"

enum op { PUSH, LOAD, STORE, ADD, SUB, MUL, XOR, SHR, DUP, JNZ, DEC, HALT };

/* A small program: for (i = n; i; i--) { acc = (acc ^ (acc >> 7) * 31) + i;
 * for (j = 3; j; j--) m ^= acc * j; }, with acc in vars[2], m in vars[4]. */
static const uint8_t program[] = {
    LOAD, 0, STORE, 1,                                /* 0: i = n */
    LOAD, 2, DUP, PUSH, 7, SHR, PUSH, 31, MUL, XOR,  /* 4: acc ^ (acc >> 7) * 31 */
    LOAD, 1, ADD, STORE, 2,                           /* 14: + i */
    PUSH, 3, STORE, 3,                                /* 19: j = 3 */
    LOAD, 2, LOAD, 3, MUL, LOAD, 4, XOR, STORE, 4,    /* 23: m ^= acc * j */
    LOAD, 3, DEC, DUP, STORE, 3, JNZ, 23,             /* 33: while (--j) */
    LOAD, 1, DEC, DUP, STORE, 1, JNZ, 4,              /* 41: while (--i) */
    HALT,                                             /* 49 */
};

static uint64_t interpret(const uint8_t *code, uint64_t n) {
    uint64_t vars[8] = {n, 0, n * 0x9e3779b9u, 0, 0, 0, 0, 0};
    uint64_t stack[16];
    unsigned sp = 0, pc = 0;
    for (;;) {
        uint8_t op = code[pc++];
        switch (op) {
        case PUSH: stack[sp++] = code[pc++]; break;
        case LOAD: stack[sp++] = vars[code[pc++] & 7]; break;
        case STORE: vars[code[pc++] & 7] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case SHR: sp--; stack[sp - 1] >>= stack[sp] & 63; break;
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case JNZ: {
            uint8_t to = code[pc++];
            if (stack[--sp]) pc = to;
            break;
        }
        case DEC: stack[sp - 1]--; break;
        case HALT: return vars[2] ^ vars[4];
        default: bench_fail(2);
        }
        sp &= 15;
    }
}

enum class_ { SPACE, LETTER, DIGIT, PUNCT, QUOTE, NEWLINE };

static enum class_ classify(uint8_t c) {
    if (c == ' ' || c == '\t') return SPACE;
    if (c == '\n') return NEWLINE;
    if (c == '"') return QUOTE;
    if ((c | 32) >= 'a' && (c | 32) <= 'z') return LETTER;
    if (c >= '0' && c <= '9') return DIGIT;
    return PUNCT;
}

#define TEXT 16384
static uint8_t text[TEXT];

/* Counts words, numbers, strings, punctuation and lines, hashing each
 * token's length. */
static uint64_t tokenize(const uint8_t *s, unsigned n) {
    enum { START, WORD, NUMBER, STRING } state = START;
    uint64_t words = 0, numbers = 0, strings = 0, puncts = 0, lines = 0, h = 0;
    unsigned len = 0;
    for (unsigned i = 0; i < n; i++) {
        enum class_ c = classify(s[i]);
        switch (state) {
        case START:
            switch (c) {
            case LETTER: state = WORD; len = 1; break;
            case DIGIT: state = NUMBER; len = 1; break;
            case QUOTE: state = STRING; len = 0; break;
            case PUNCT: puncts++; break;
            case NEWLINE: lines++; break;
            case SPACE: break;
            }
            break;
        case WORD:
            if (c == LETTER || c == DIGIT) { len++; break; }
            words++; h = h * 31 + len; state = START;
            if (c == PUNCT) puncts++;
            else if (c == NEWLINE) lines++;
            else if (c == QUOTE) { state = STRING; len = 0; }
            break;
        case NUMBER:
            if (c == DIGIT) { len++; break; }
            numbers++; h = h * 37 + len; state = START;
            if (c == PUNCT) puncts++;
            else if (c == NEWLINE) lines++;
            break;
        case STRING:
            if (c == QUOTE) { strings++; h = h * 41 + len; state = START; }
            else if (c == NEWLINE) { lines++; state = START; }
            else len++;
            break;
        }
    }
    return h ^ (words << 48) ^ (numbers << 32) ^ (strings << 16) ^ puncts ^ (lines << 56);
}

static void make_text(uint64_t *seed) {
    static const char alphabet[] = "etaoinshrdlucmfw   ..,;()\"0123456789\n";
    for (unsigned i = 0; i < TEXT; i++)
        text[i] = (uint8_t)alphabet[bench_rng(seed) % (sizeof alphabet - 1)];
}

uint64_t bench_run(void) {
    uint64_t seed = 0x243f6a8885a308d3ull, check = 0;
    for (int iter = 0; iter < ITERATIONS; iter++) {
        check = bench_mix(check, interpret(program, 2000 + (unsigned)iter));
        make_text(&seed);
        check = bench_mix(check, tokenize(text, TEXT));
    }
    return check;
}
