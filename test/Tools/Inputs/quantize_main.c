// Runs the vector (vec_) and reference (ref_) quantizations of
// intq-compile-quantize.mlir on special inputs and counts the bytes that
// differ; prints the first five outputs of each function (NaN, +inf, -inf,
// +0, -0).
#include <math.h>
#include <stdint.h>
#include <stdio.h>

void vec_q8(const float *in, int8_t *out);
void ref_q8(const float *in, int8_t *out);
void vec_qu8(const float *in, uint8_t *out);
void ref_qu8(const float *in, uint8_t *out);

enum { N = 37 };

static void fill(float *x, float scale, float zp, float qmin, float qmax) {
  float v[N] = {NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 1e-40f, 1e30f,
                -1e30f};
  int n = 8;
  // Ties of x / S: (k + 0.5) * S for k around zero and near the bounds.
  for (int k = -3; k <= 2 && n < N; ++k)
    v[n++] = ((float)k + 0.5f) * scale;
  for (int k = -5; k <= 5 && n < N; k += 5)
    v[n++] = (qmax + (float)k - zp + 0.5f) * scale;
  for (int k = -5; k <= 5 && n < N; k += 5)
    v[n++] = (qmin + (float)k - zp + 0.5f) * scale;
  // The clamp bounds as reals and values around them, then a ramp.
  float lo = (qmin - zp) * scale, hi = (qmax - zp) * scale;
  float edges[] = {lo, nextafterf(lo, -INFINITY), hi, nextafterf(hi, INFINITY)};
  for (int i = 0; i < 4 && n < N; ++i)
    v[n++] = edges[i];
  for (float r = -7.3f; n < N; r += 1.37f)
    v[n++] = r;
  for (int i = 0; i < N; ++i)
    x[i] = v[i];
}

int main(void) {
  float x[N];
  int8_t a[N], b[N];
  uint8_t c[N], d[N];
  fill(x, 0.3f, -3.0f, -128.0f, 127.0f);
  vec_q8(x, a);
  ref_q8(x, b);
  int bad = 0;
  for (int i = 0; i < N; ++i)
    bad += a[i] != b[i];
  printf("q8: %d of %d differ\n", bad, N);
  printf("q8: %d %d %d %d %d\n", a[0], a[1], a[2], a[3], a[4]);
  fill(x, 0.07f, 200.0f, 0.0f, 255.0f);
  vec_qu8(x, c);
  ref_qu8(x, d);
  bad = 0;
  for (int i = 0; i < N; ++i)
    bad += c[i] != d[i];
  printf("qu8: %d of %d differ\n", bad, N);
  printf("qu8: %d %d %d %d %d\n", c[0], c[1], c[2], c[3], c[4]);
  return 0;
}
