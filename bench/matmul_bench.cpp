//===- matmul_bench.cpp - intq kernels vs oneDNN, one thread --------------===//
//
// Google Benchmark of int8 and fp32 matrix multiplication (M x K times
// K x N) at batch-1 inference settings, one thread:
//   intq    the objects intq-compile writes for bench/gen_kernels.py's
//           kernels (int8: intq.matmul at the quantized level, weights
//           constant; fp32: tosa.matmul with constant weights),
//   oneDNN  matmul primitives with the weights prepacked (format "any",
//           reordered once outside the timed loop): int8 u8 x s8 -> u8 with
//           per-channel output scales and a source zero point, and fp32.
// Every benchmark reports GOP/s (2 M N K operations per iteration).
// scripts/bench.py runs this binary and writes docs/benchmarks.md.
//
//===----------------------------------------------------------------------===//

#include <benchmark/benchmark.h>

#include "oneapi/dnnl/dnnl.hpp"

// libgomp, which Debian's oneDNN runs on (no omp.h needed for one call).
extern "C" void omp_set_num_threads(int);

#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "intq_bench_kernels.h" // generated: the intq kernels and INTQ_BENCH_SHAPES

namespace {

void setCounters(benchmark::State &state, int64_t m, int64_t k, int64_t n) {
  state.counters["GOP/s"] = benchmark::Counter(
      2.0 * m * n * k, benchmark::Counter::kIsIterationInvariantRate,
      benchmark::Counter::kIs1000);
  state.counters["M"] = m;
  state.counters["K"] = k;
  state.counters["N"] = n;
}

template <typename T> std::vector<T> randomVector(size_t n, int lo, int hi) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> d(lo, hi);
  std::vector<T> v(n);
  for (auto &x : v)
    x = static_cast<T>(d(rng));
  return v;
}

void intqI8(benchmark::State &state, void (*fn)(const int8_t *, int8_t *),
            int64_t m, int64_t k, int64_t n) {
  auto x = randomVector<int8_t>(m * k, -128, 127);
  std::vector<int8_t> y(m * n);
  for (auto _ : state) {
    fn(x.data(), y.data());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  setCounters(state, m, k, n);
}

void intqF32(benchmark::State &state, void (*fn)(const float *, float *),
             int64_t m, int64_t k, int64_t n) {
  auto x = randomVector<float>(m * k, -3, 3);
  std::vector<float> y(m * n);
  for (auto _ : state) {
    fn(x.data(), y.data());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  setCounters(state, m, k, n);
}

/// oneDNN matmul, weights reordered into the primitive's preferred layout
/// once, outside the timed loop.
void onednn(benchmark::State &state, bool int8, int64_t m, int64_t k,
            int64_t n) {
  using namespace dnnl;
  using tag = memory::format_tag;
  using dt = memory::data_type;
  engine eng(engine::kind::cpu, 0);
  stream strm(eng);
  dt srcT = int8 ? dt::u8 : dt::f32, wT = int8 ? dt::s8 : dt::f32,
     dstT = int8 ? dt::u8 : dt::f32;
  memory::desc srcMd({m, k}, srcT, tag::ab);
  memory::desc wAny({k, n}, wT, tag::any);
  memory::desc wPlain({k, n}, wT, tag::ab);
  memory::desc dstMd({m, n}, dstT, tag::ab);
  primitive_attr attr;
  if (int8) {
    std::vector<float> scales(n);
    for (int64_t i = 0; i < n; ++i)
      scales[i] = 0.001f * (1 + i % 7);
    attr.set_output_scales(/*mask=*/1 << 1, scales);
    attr.set_zero_points(DNNL_ARG_SRC, 0, {125});
  }
  matmul::primitive_desc pd(matmul::desc(srcMd, wAny, dstMd), attr, eng);
  memory src(pd.src_desc(), eng), dst(pd.dst_desc(), eng);
  memory wSrc(wPlain, eng), w(pd.weights_desc(), eng);
  if (int8) {
    auto wv = randomVector<int8_t>(k * n, -127, 127);
    std::copy(wv.begin(), wv.end(), static_cast<int8_t *>(wSrc.get_data_handle()));
    auto sv = randomVector<uint8_t>(m * k, 0, 255);
    std::copy(sv.begin(), sv.end(), static_cast<uint8_t *>(src.get_data_handle()));
  } else {
    auto wv = randomVector<float>(k * n, -1, 1);
    std::copy(wv.begin(), wv.end(), static_cast<float *>(wSrc.get_data_handle()));
    auto sv = randomVector<float>(m * k, -3, 3);
    std::copy(sv.begin(), sv.end(), static_cast<float *>(src.get_data_handle()));
  }
  reorder(wSrc, w).execute(strm, wSrc, w);
  strm.wait();
  matmul prim(pd);
  std::unordered_map<int, memory> args = {
      {DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DST, dst}};
  for (auto _ : state) {
    prim.execute(strm, args);
    strm.wait();
  }
  state.SetLabel(pd.impl_info_str());
  setCounters(state, m, k, n);
}

/// The measured peak: 16 independent accumulator chains of one instruction
/// (vpdpbusd zmm: 64 MACs, vfmadd231ps zmm: 16 MACs), 1024 rounds per
/// iteration. GOP/s counts 2 operations per MAC, as the matmuls do.
__attribute__((target("avx512f,avx512bw,avx512vnni"))) void
peakVnni(benchmark::State &state) {
  __m512i acc[16];
  for (int j = 0; j < 16; ++j)
    acc[j] = _mm512_set1_epi32(j);
  __m512i a = _mm512_set1_epi8(3), b = _mm512_set1_epi8(-2);
  for (auto _ : state) {
    for (int i = 0; i < 1024; ++i)
      for (int j = 0; j < 16; ++j)
        acc[j] = _mm512_dpbusd_epi32(acc[j], a, b);
    benchmark::DoNotOptimize(acc);
  }
  state.counters["GOP/s"] = benchmark::Counter(
      2.0 * 64 * 16 * 1024, benchmark::Counter::kIsIterationInvariantRate,
      benchmark::Counter::kIs1000);
}

__attribute__((target("avx512f,fma"))) void peakFma(benchmark::State &state) {
  __m512 acc[16];
  for (int j = 0; j < 16; ++j)
    acc[j] = _mm512_set1_ps(float(j));
  __m512 a = _mm512_set1_ps(1.0001f), b = _mm512_set1_ps(0.9999f);
  for (auto _ : state) {
    for (int i = 0; i < 1024; ++i)
      for (int j = 0; j < 16; ++j)
        acc[j] = _mm512_fmadd_ps(acc[j], a, b);
    benchmark::DoNotOptimize(acc);
  }
  state.counters["GOP/s"] = benchmark::Counter(
      2.0 * 16 * 16 * 1024, benchmark::Counter::kIsIterationInvariantRate,
      benchmark::Counter::kIs1000);
}

} // namespace

int main(int argc, char **argv) {
  // One thread everywhere: oneDNN here runs on OpenMP.
  omp_set_num_threads(1);
  if (__builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512bw"))
    benchmark::RegisterBenchmark("peak/int8/vpdpbusd", peakVnni);
  if (__builtin_cpu_supports("avx512f"))
    benchmark::RegisterBenchmark("peak/fp32/vfmadd231ps", peakFma);
  for (const auto &s : intqBenchKernels) {
    std::string shape = std::to_string(s.m) + "x" + std::to_string(s.k) + "x" +
                        std::to_string(s.n);
    benchmark::RegisterBenchmark(("matmul/int8/intq/" + shape).c_str(), intqI8,
                                 s.i8, s.m, s.k, s.n);
    benchmark::RegisterBenchmark(("matmul/int8/onednn/" + shape).c_str(),
                                 onednn, true, s.m, s.k, s.n);
    benchmark::RegisterBenchmark(("matmul/fp32/intq/" + shape).c_str(),
                                 intqF32, s.f32, s.m, s.k, s.n);
    benchmark::RegisterBenchmark(("matmul/fp32/onednn/" + shape).c_str(),
                                 onednn, false, s.m, s.k, s.n);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
