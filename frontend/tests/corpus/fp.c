/* Floating-point code for the decoder/disassembler corpus. */
#include <stdint.h>

double dot(const double *a, const double *b, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

float dotf(const float *a, const float *b, int n) {
    float s = 0;
    for (int i = 0; i < n; i++) s = __builtin_fmaf(a[i], b[i], s);
    return s;
}

double fused(double a, double b, double c) {
    return __builtin_fma(a, b, c) - __builtin_fma(-a, b, c) + __builtin_fma(a, b, -c) +
           __builtin_fma(-a, b, -c);
}

float fusedf(float a, float b, float c) {
    return __builtin_fmaf(a, b, c) - __builtin_fmaf(-a, b, c) + __builtin_fmaf(a, b, -c) +
           __builtin_fmaf(-a, b, -c);
}

double arith(double a, double b) { return (a + b) * (a - b) / (a * b) + __builtin_sqrt(a); }
float arithf(float a, float b) { return (a + b) * (a - b) / (a * b) + __builtin_sqrtf(a); }

int64_t conv(double d, float f, int32_t i, uint32_t u, int64_t l, uint64_t ul) {
    double x = (double)i + (double)u + (double)l + (double)ul + (double)f;
    float y = (float)i + (float)u + (float)l + (float)ul + (float)d;
    return (int64_t)x + (int32_t)y + (uint32_t)d + (uint64_t)f + (int64_t)f + (int32_t)d +
           (uint64_t)d + (uint32_t)f;
}

int compare(double a, double b, float c, float d) {
    return (a < b) + (a <= b) + (a == b) + (c < d) + (c <= d) + (c == d) + (a > b) + (c >= d);
}

double signs(double a, double b, float c, float d) {
    return __builtin_copysign(a, b) + __builtin_fabs(a) - (double)__builtin_copysignf(c, d) +
           (double)__builtin_fabsf(d) + -a;
}

double minmax(double a, double b, float c, float d) {
    return __builtin_fmin(a, b) + __builtin_fmax(a, b) + __builtin_fminf(c, d) + __builtin_fmaxf(c, d);
}

int classify(double a, float b) { return __builtin_isnan(a) + __builtin_isinf(b) + __builtin_isfinite(a); }

uint64_t bitsd(double a, float b) {
    union { double d; uint64_t u; } x = {a};
    union { float f; uint32_t u; } y = {b};
    return x.u + y.u;
}

double frombits(uint64_t a, uint32_t b) {
    union { double d; uint64_t u; } x;
    union { float f; uint32_t u; } y;
    x.u = a;
    y.u = b;
    return x.d + y.f;
}

long lround_(double a) { return __builtin_lround(a) + __builtin_lrint(a) + (long)__builtin_floor(a) + (long)__builtin_ceil(a); }

double poly(double x) {
    static const double c[] = {1.0, 0.5, 0.25, 0.125, 1e-3, 3.14159};
    double r = 0;
    for (int i = 5; i >= 0; i--) r = r * x + c[i];
    return r;
}

void saxpy(float *y, const float *x, float a, int n) {
    for (int i = 0; i < n; i++) y[i] += a * x[i];
}
