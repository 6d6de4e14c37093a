//===- CodegenFuzzer.cpp - libFuzzer target over intq's codegen -----------===//
//
// Decodes the input bytes (FuzzedDataProvider) into a valid quantized case
// of the end-to-end oracle (test/E2E/ref/E2ERef.h): conv2d (grouped or
// not), depthwise, matmul, add, max or average pooling, with their shapes,
// strides, paddings, dilations, scales, zero points, int8 / uint8 / int16
// activations, 8/7/4/2-bit weights and fused activation. The oracle writes it
// as intq MLIR at the quantized level with its inputs and the bit-exact
// expected output; the case is JIT-compiled with intq's codegen
// (intq::jitCompile) for kernels the bytes pick (the host's, generic,
// none = plain linalg loops, or x86-amx: on the tile unit where the host has
// AMX, else with its tile ops emulated), run on the inputs, and compared
// with the oracle bit for bit.
//
// A mismatch, a case the compiler rejects, or a crash aborts (libFuzzer
// saves the input); the message gives the intq-e2e-ref command line and the
// kernels that reproduce it outside the fuzzer. The compiled code runs on
// buffers that end (then start) at a PROT_NONE page, inputs read-only, so
// reads or writes outside them fault too.
//
// Built with -fsanitize=fuzzer,address,undefined over intq's own code; run
// for a bounded time by test/E2E/fuzz-codegen.test. INTQ_FUZZ_VERBOSE=1
// prints each case's command line; INTQ_FUZZ_SELF_TEST=1 changes the last
// expected element by one, so every case must fail (the test checks that a
// mismatch is caught and reported); INTQ_FUZZ_KNOWN_BUGS=1 runs the cases of
// known open bugs too (knownBug below), which are skipped otherwise.
//
//===----------------------------------------------------------------------===//

#include "E2ERef.h"
#include "FuzzSupport.h"

#include "intq/Passes/Pipelines.h"
#include "intq/Target/Jit.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

namespace {

/// One case: what the oracle generates, and the kernels to compile it with.
struct FuzzCase {
  enum Kind { Gemm, Add, Pool } kind = Gemm;
  e2eref::GemmSpec gemm;
  e2eref::AddSpec add;
  e2eref::PoolSpec pool;
  intq::fuzz::Kernels kernels;
};

//===----------------------------------------------------------------------===//
// Decoding bytes into a valid case
//===----------------------------------------------------------------------===//

e2eref::Storage consumeStorage(FuzzedDataProvider &fdp) {
  e2eref::Storage st;
  switch (fdp.ConsumeIntegralInRange<int>(0, 2)) {
  case 0:
    break; // int8
  case 1:
    st.isUnsigned = true;
    break;
  default:
    st.bits = 16;
    break;
  }
  return st;
}

/// A zero point inside the storage range, often at its ends.
int32_t consumeZeroPoint(FuzzedDataProvider &fdp, const e2eref::Storage &st) {
  switch (fdp.ConsumeIntegralInRange<int>(0, 4)) {
  case 0:
    return st.lo();
  case 1:
    return st.hi();
  case 2:
    return st.isUnsigned ? 128 : 0;
  default:
    return fdp.ConsumeIntegralInRange<int32_t>(st.lo(), st.hi());
  }
}

/// 10^(e/8) for e in [lo, hi].
double consumePow10(FuzzedDataProvider &fdp, int lo, int hi) {
  return std::pow(10.0, fdp.ConsumeIntegralInRange<int>(lo, hi) / 8.0);
}

/// Grows `size` until a window of `extent` fits the padded input.
int64_t fitInput(int64_t size, int64_t padBefore, int64_t padAfter,
                 int64_t extent) {
  return std::max(size, std::max<int64_t>(1, extent - padBefore - padAfter));
}

FuzzCase decode(FuzzedDataProvider &fdp) {
  FuzzCase fc;
  fc.kernels = intq::fuzz::pickKernels(
      fdp.ConsumeIntegralInRange<int>(
          0, intq::fuzz::numKernelChoices(/*withNone=*/true) - 1),
      /*withNone=*/true);
  int kind = fdp.ConsumeIntegralInRange<int>(0, 10);
  uint64_t seed = fdp.ConsumeIntegral<uint32_t>();
  if (kind <= 7) {
    e2eref::GemmSpec &s = fc.gemm;
    fc.kind = FuzzCase::Gemm;
    s.seed = seed;
    s.in = consumeStorage(fdp);
    s.out = consumeStorage(fdp);
    s.inZp = consumeZeroPoint(fdp, s.in);
    static const char *acts[] = {"none", "relu", "relu6"};
    s.act = fdp.PickValueInArray(acts);
    // 7 bits: every weight in [-64, 64], where the x86-avx2 kernels take
    // vpmaddubsw (the same draws as before: one of the two 8s became 7).
    static const int weightBits[] = {8, 7, 4, 2};
    s.weightBits = fdp.PickValueInArray(weightBits);
    s.sparse = fdp.ConsumeIntegralInRange<int>(0, 3) == 3;
    // Output scale multiplier 1e-6 .. 1e3 (saturating to tiny multipliers),
    // 1 half the time; weight scales 1e-5 .. 1.
    s.outScaleMul = fdp.ConsumeBool() ? consumePow10(fdp, -48, 24) : 1.0;
    double a = 1 / consumePow10(fdp, 0, 40), b = 1 / consumePow10(fdp, 0, 40);
    s.wScaleMin = std::min(a, b), s.wScaleMax = std::max(a, b);
    if (kind <= 2) {
      s.kind = "conv";
      bool grouped = kind == 2;
      s.groups = grouped ? fdp.ConsumeIntegralInRange<int64_t>(2, 4) : 1;
      s.c = s.groups * fdp.ConsumeIntegralInRange<int64_t>(1, grouped ? 8 : 24);
      s.o = s.groups * fdp.ConsumeIntegralInRange<int64_t>(1, grouped ? 8 : 24);
    } else if (kind <= 4) {
      s.kind = "dwconv";
      s.c = fdp.ConsumeIntegralInRange<int64_t>(1, 40);
      s.mult = fdp.ConsumeIntegralInRange<int64_t>(1, 3);
    } else {
      s.kind = "matmul";
      s.m = fdp.ConsumeIntegralInRange<int64_t>(1, 24);
      s.k = fdp.ConsumeBool() ? fdp.ConsumeIntegralInRange<int64_t>(1, 64)
                              : fdp.ConsumeIntegralInRange<int64_t>(1, 1200);
      s.nout = fdp.ConsumeIntegralInRange<int64_t>(1, 80);
      s.correlated = fdp.ConsumeIntegralInRange<int>(0, 3) == 3;
    }
    if (s.kind != "matmul") {
      s.n = fdp.ConsumeIntegralInRange<int64_t>(1, 2);
      s.kh = fdp.ConsumeIntegralInRange<int64_t>(1, 5);
      s.kw = fdp.ConsumeIntegralInRange<int64_t>(1, 5);
      for (auto &v : s.stride)
        v = fdp.ConsumeIntegralInRange<int64_t>(1, 3);
      for (auto &v : s.dilation)
        v = fdp.ConsumeIntegralInRange<int64_t>(1, 3);
      for (auto &v : s.pad)
        v = fdp.ConsumeIntegralInRange<int64_t>(0, 4);
      s.h = fitInput(fdp.ConsumeIntegralInRange<int64_t>(1, 14), s.pad[0],
                     s.pad[1], s.dilation[0] * (s.kh - 1) + 1);
      s.w = fitInput(fdp.ConsumeIntegralInRange<int64_t>(1, 14), s.pad[2],
                     s.pad[3], s.dilation[1] * (s.kw - 1) + 1);
    }
    // Last, so that older inputs decode as before (an exhausted input
    // gives the default double rounding).
    s.rounding = fdp.ConsumeBool() ? "single" : "double";
    // Last too: half the depthwise cases get a shape the x86 kernels take
    // by whole kernel rows where the CPU has AVX512-VBMI (W x C and 8 x
    // stride x C multiples of 64, KW <= 4, dilation 1, C <= 32), with rows
    // of 24 to 64 pixels so that steps of 8 columns fit; the guarded input
    // buffer catches a chunk read past its end.
    if (s.kind == "dwconv" && fdp.ConsumeBool()) {
      static const int64_t channels[] = {8, 16, 24, 32};
      s.c = fdp.PickValueInArray(channels);
      s.mult = 1;
      s.kw = std::min<int64_t>(s.kw, 4);
      s.dilation[1] = 1;
      s.stride[1] = fdp.ConsumeIntegralInRange<int64_t>(1, 2);
      int64_t unit = 64 / std::gcd<int64_t>(64, s.c);
      s.w = unit * fdp.ConsumeIntegralInRange<int64_t>((24 + unit - 1) / unit,
                                                       64 / unit);
    }
  } else if (kind == 8) {
    e2eref::AddSpec &s = fc.add;
    fc.kind = FuzzCase::Add;
    s.seed = seed;
    s.in = consumeStorage(fdp);
    s.out = consumeStorage(fdp);
    s.inZp = consumeZeroPoint(fdp, s.in);
    s.inZpB = consumeZeroPoint(fdp, s.in);
    s.act = fdp.ConsumeBool() ? "relu" : "none";
    s.scaleRatio = consumePow10(fdp, -16, 16);
    s.outScaleMul = fdp.ConsumeBool() ? consumePow10(fdp, -48, 16) : 1.0;
    s.n = fdp.ConsumeIntegralInRange<int64_t>(1, 2);
    s.h = fdp.ConsumeIntegralInRange<int64_t>(1, 8);
    s.w = fdp.ConsumeIntegralInRange<int64_t>(1, 8);
    s.c = fdp.ConsumeIntegralInRange<int64_t>(1, 40);
  } else {
    e2eref::PoolSpec &s = fc.pool;
    fc.kind = FuzzCase::Pool;
    s.isMax = kind == 9;
    s.seed = seed;
    s.in = consumeStorage(fdp);
    s.inZp = consumeZeroPoint(fdp, s.in);
    s.n = fdp.ConsumeIntegralInRange<int64_t>(1, 2);
    s.c = fdp.ConsumeIntegralInRange<int64_t>(1, 40);
    s.kh = fdp.ConsumeIntegralInRange<int64_t>(1, 5);
    s.kw = fdp.ConsumeIntegralInRange<int64_t>(1, 5);
    for (auto &v : s.stride)
      v = fdp.ConsumeIntegralInRange<int64_t>(1, 3);
    // Padding below the kernel: every window holds an input position.
    s.pad[0] = fdp.ConsumeIntegralInRange<int64_t>(0, s.kh - 1);
    s.pad[1] = fdp.ConsumeIntegralInRange<int64_t>(0, s.kh - 1);
    s.pad[2] = fdp.ConsumeIntegralInRange<int64_t>(0, s.kw - 1);
    s.pad[3] = fdp.ConsumeIntegralInRange<int64_t>(0, s.kw - 1);
    s.h = fitInput(fdp.ConsumeIntegralInRange<int64_t>(1, 12), s.pad[0],
                   s.pad[1], s.kh);
    s.w = fitInput(fdp.ConsumeIntegralInRange<int64_t>(1, 12), s.pad[2],
                   s.pad[3], s.kw);
  }
  return fc;
}

//===----------------------------------------------------------------------===//
// Reproducing a case outside the fuzzer
//===----------------------------------------------------------------------===//

std::string storageFlags(const char *prefix, const e2eref::Storage &st) {
  std::string s;
  if (st.bits != 8)
    s += std::string(" --") + prefix + "-bits=" + std::to_string(st.bits);
  if (st.isUnsigned)
    s += std::string(" --") + prefix + "-unsigned=1";
  return s;
}

std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

template <size_t N> std::string list(const std::array<int64_t, N> &a) {
  std::string s;
  for (size_t i = 0; i < N; ++i)
    s += (i ? "," : "") + std::to_string(a[i]);
  return s;
}

/// The intq-e2e-ref command line that generates the same case, and the
/// intq-compile kernels.
std::string describe(const FuzzCase &fc) {
  std::string s = "intq-e2e-ref gen";
  if (fc.kind == FuzzCase::Gemm) {
    const e2eref::GemmSpec &g = fc.gemm;
    s += " --kind=" + g.kind;
    if (g.kind == "matmul")
      s += " --m=" + std::to_string(g.m) + " --k=" + std::to_string(g.k) +
           " --nout=" + std::to_string(g.nout);
    else
      s += " --n=" + std::to_string(g.n) + " --h=" + std::to_string(g.h) +
           " --w=" + std::to_string(g.w) + " --c=" + std::to_string(g.c) +
           (g.kind == "dwconv" ? " --mult=" + std::to_string(g.mult)
                               : " --o=" + std::to_string(g.o) +
                                     " --groups=" + std::to_string(g.groups)) +
           " --kh=" + std::to_string(g.kh) + " --kw=" + std::to_string(g.kw) +
           " --stride=" + list(g.stride) + " --pad=" + list(g.pad) +
           " --dilation=" + list(g.dilation);
    s += storageFlags("in", g.in) + storageFlags("out", g.out) +
         " --in-zp=" + std::to_string(g.inZp) + " --act=" + g.act +
         " --weight-bits=" + std::to_string(g.weightBits) +
         " --out-scale-mul=" + fmt(g.outScaleMul) +
         " --wscale-min=" + fmt(g.wScaleMin) +
         " --wscale-max=" + fmt(g.wScaleMax) +
         " --sparse=" + (g.sparse ? "1" : "0") +
         " --correlated=" + (g.correlated ? "1" : "0") +
         " --rounding=" + g.rounding + " --seed=" + std::to_string(g.seed);
  } else if (fc.kind == FuzzCase::Add) {
    const e2eref::AddSpec &a = fc.add;
    s += " --kind=add --n=" + std::to_string(a.n) +
         " --h=" + std::to_string(a.h) + " --w=" + std::to_string(a.w) +
         " --c=" + std::to_string(a.c) + storageFlags("in", a.in) +
         storageFlags("out", a.out) + " --in-zp=" + std::to_string(a.inZp) +
         " --in-zp-b=" + std::to_string(a.inZpB) + " --act=" + a.act +
         " --scale-ratio=" + fmt(a.scaleRatio) +
         " --out-scale-mul=" + fmt(a.outScaleMul) +
         " --seed=" + std::to_string(a.seed);
  } else {
    const e2eref::PoolSpec &p = fc.pool;
    s += std::string(" --kind=") + (p.isMax ? "maxpool" : "avgpool") +
         " --n=" + std::to_string(p.n) + " --h=" + std::to_string(p.h) +
         " --w=" + std::to_string(p.w) + " --c=" + std::to_string(p.c) +
         " --kh=" + std::to_string(p.kh) + " --kw=" + std::to_string(p.kw) +
         " --stride=" + list(p.stride) + " --pad=" + list(p.pad) +
         storageFlags("in", p.in) + " --in-zp=" + std::to_string(p.inZp) +
         " --seed=" + std::to_string(p.seed);
  }
  s += " --out=case; kernels " + fc.kernels.describe();
  return s;
}

//===----------------------------------------------------------------------===//
// Known open bugs
//===----------------------------------------------------------------------===//

/// The open bug a case runs into, if any. Such cases are skipped, not
/// failed, unless INTQ_FUZZ_KNOWN_BUGS=1: a bounded run then reports new bugs
/// only (and does not fail at random on a known one). Each entry is a
/// predicate on the case (it may cover more cases than fail, never fewer)
/// with an XFAIL reproducer in test/E2E/; both go with the fix, and its
/// input joins the replays of fuzz-codegen.test. None is open: the first
/// bug found (x86-amx kernels, padded activations and output in one buffer)
/// is fixed.
const char *knownBug(const FuzzCase &) { return nullptr; }

[[noreturn]] void fail(const FuzzCase &fc, const std::string &what) {
  intq::fuzz::reportFailure("intq-codegen-fuzzer", what, describe(fc));
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  intq::fuzz::initialize();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using intq::fuzz::envFlag;
  static const bool verbose = envFlag("INTQ_FUZZ_VERBOSE");
  static const bool selfTest = envFlag("INTQ_FUZZ_SELF_TEST");
  static const bool knownBugs = envFlag("INTQ_FUZZ_KNOWN_BUGS");
  FuzzedDataProvider fdp(data, size);
  FuzzCase fc = decode(fdp);
  if (verbose)
    std::fprintf(stderr, "%s\n", describe(fc).c_str());

  if (!knownBugs)
    if (const char *bug = knownBug(fc)) {
      if (verbose)
        std::fprintf(stderr, "  skipped, known bug: %s\n", bug);
      return -1;
    }

  // The oracle: a case, or a reason it has none for these parameters (a
  // multiplier beyond the contract, ...): not a case, not kept.
  e2eref::Case c;
  std::string err = fc.kind == FuzzCase::Gemm  ? e2eref::generate(fc.gemm, c)
                    : fc.kind == FuzzCase::Add ? e2eref::generate(fc.add, c)
                                               : e2eref::generate(fc.pool, c);
  if (err == e2eref::kOutputStagesDisagree)
    fail(fc, "the oracle's own output stages disagree");
  if (!err.empty()) {
    if (verbose)
      std::fprintf(stderr, "  no case: %s\n", err.c_str());
    return -1;
  }

  intq::fuzz::CaseContext cc;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(c.mlir, &cc.ctx);
  if (!module)
    fail(fc, "the oracle's MLIR does not parse or verify:\n" + cc.diagnostics);
  intq::CodegenPipelineOptions codegen;
  fc.kernels.apply(codegen);
  mlir::FailureOr<intq::JitModel> jit =
      intq::jitCompile(*module, /*ptq=*/false, "", codegen);
  if (failed(jit))
    fail(fc, "compilation failed:\n" + cc.diagnostics);

  int elemBytes = c.outStorage.bits / 8;
  if (selfTest)
    c.expected[(c.outCount - 1) * elemBytes] ^= 1;
  size_t outBytes = size_t(c.outCount) * elemBytes;
  size_t inBytes = c.input.size() / c.numInputs;
  if (jit->inputShapes.size() != size_t(c.numInputs) ||
      jit->outputShapes.size() != 1 ||
      size_t(intq::numElements(jit->outputShapes[0]) * elemBytes) != outBytes)
    fail(fc, "the compiled function's signature differs from the case");

  // Twice: buffers ending at a guard page, output prefilled with 0xA5, then
  // starting after one, prefilled with 0x5A (an output element left
  // unwritten cannot match the expected value both times).
  std::vector<std::vector<uint8_t>> inputs;
  for (int i = 0; i < c.numInputs; ++i)
    inputs.emplace_back(c.input.begin() + i * inBytes,
                        c.input.begin() + (i + 1) * inBytes);
  for (int pass = 0; pass < 2; ++pass) {
    bool atEnd = pass == 0;
    auto outs =
        intq::fuzz::runGuarded(*jit, inputs, atEnd, atEnd ? 0xA5 : 0x5A);
    if (failed(outs))
      fail(fc, "running the compiled function failed");
    const std::vector<uint8_t> &actual = (*outs)[0];
    if (actual == c.expected)
      continue;
    std::string report;
    llvm::raw_string_ostream os(report);
    int64_t mismatches = 0;
    const auto &shape = jit->outputShapes[0];
    for (int64_t i = 0; i < c.outCount; ++i) {
      int32_t e = c.outStorage.decode(c.expected, i),
              a = c.outStorage.decode(actual, i);
      if (a == e)
        continue;
      if (mismatches++ < 8)
        os << "  at [" << intq::fuzz::formatIndex(shape, i) << "]: expected "
           << e << ", got " << a << "\n";
    }
    fail(fc, std::to_string(mismatches) + " of " + std::to_string(c.outCount) +
                 " output elements differ from the oracle (" +
                 (atEnd ? "first" : "second") + " run, " + c.summary + "):\n" +
                 report);
  }
  return 0;
}
