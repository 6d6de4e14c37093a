//===- PackBytesTest.cpp - intq.x86.pack_bytes: intrinsics vs emulation ---===//
//
// The x86 kernels narrow four output vectors at once with
// intq.x86.pack_bytes, which --intq-lower-target-ops turns into vpackssdw,
// vpacksswb / vpackuswb and a vpermd that undoes their in-lane interleave;
// with emulate-vnni, into a clamp, a truncation and a concatenation. This
// test JIT-compiles both lowerings (the intrinsic one only where the host
// has AVX-512BW) and compares them with the op's definition,
// result[16j + i] = sat(v_j[i]), on the saturation edges and random
// values, signed and unsigned.
//
//===----------------------------------------------------------------------===//

#include "JitSupport.h"

#include "intq/Passes/Passes.h"

#include "llvm/TargetParser/Host.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <random>
#include <vector>

using namespace mlir;

namespace {

using PackFn = void (*)(const int32_t *, const int32_t *, const int32_t *,
                        const int32_t *, uint8_t *);

/// intq.x86.pack_bytes of four 16-lane buffers into a 64-byte buffer,
/// lowered to intrinsics or emulated.
class PackKernel {
public:
  PackKernel(bool isUnsigned, bool emulate) {
    OpBuilder b(&jit.context());
    Location loc = b.getUnknownLoc();
    b.setInsertionPointToEnd(jit.getModule().getBody());
    auto in = MemRefType::get({16}, b.getI32Type());
    auto out = MemRefType::get({64}, b.getI8Type());
    auto fn = func::FuncOp::create(
        b, loc, "pack", b.getFunctionType({in, in, in, in, out}, {}));
    Block *body = fn.addEntryBlock();
    b.setInsertionPointToStart(body);
    Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
    SmallVector<Value> v;
    for (int i = 0; i < 4; ++i)
      v.push_back(vector::LoadOp::create(b, loc,
                                         VectorType::get({16}, b.getI32Type()),
                                         body->getArgument(i), ValueRange{c0}));
    Value r = intq::X86PackBytesOp::create(
        b, loc, VectorType::get({64}, b.getI8Type()), v[0], v[1], v[2], v[3],
        isUnsigned);
    vector::StoreOp::create(b, loc, r, body->getArgument(4), ValueRange{c0});
    func::ReturnOp::create(b, loc);
    fn_ = jit.compile<PackFn>("pack", [&](PassManager &pm) {
      intq::LowerTargetOpsOptions options;
      options.emulateVnni = emulate;
      pm.addPass(intq::createLowerTargetOps(options));
    });
  }

  bool ok() const { return fn_ != nullptr; }
  void run(const std::vector<int32_t> &in, uint8_t *out) const {
    fn_(in.data(), in.data() + 16, in.data() + 32, in.data() + 48, out);
  }

private:
  intq::test::KernelJit jit;
  PackFn fn_ = nullptr;
};

bool hostHasAvx512bw() {
  return llvm::sys::getHostCPUFeatures().lookup("avx512bw");
}

class PackBytesTest
    : public ::testing::TestWithParam<std::tuple<bool, bool>> {};

TEST_P(PackBytesTest, MatchesDefinition) {
  auto [isUnsigned, emulate] = GetParam();
  if (!emulate && !hostHasAvx512bw())
    GTEST_SKIP() << "the host has no AVX-512BW";
  PackKernel kernel(isUnsigned, emulate);
  ASSERT_TRUE(kernel.ok());
  int64_t lo = isUnsigned ? 0 : -128, hi = isUnsigned ? 255 : 127;
  // Edges of the byte and word ranges (the packs saturate to i16 first).
  std::vector<int32_t> edges = {INT32_MIN, INT32_MIN + 1, -65536, -32769,
                                -32768,    -32767,        -257,   -256,
                                -255,      -129,          -128,   -127,
                                -1,        0,             1,      126,
                                127,       128,           254,    255,
                                256,       32767,         32768,  65535,
                                65536,     INT32_MAX - 1, INT32_MAX};
  std::mt19937 rng(7);
  std::uniform_int_distribution<int32_t> any(INT32_MIN, INT32_MAX);
  std::uniform_int_distribution<int32_t> near(-600, 600);
  for (int trial = 0; trial < 20000; ++trial) {
    std::vector<int32_t> in(64);
    for (size_t i = 0; i < in.size(); ++i) {
      // Every lane a distinct value class, so that a lane or operand
      // permutation shows.
      if (trial < 4)
        in[i] = edges[(i + trial * 64) % edges.size()];
      else
        in[i] = trial % 2 ? near(rng) : any(rng);
    }
    uint8_t out[64];
    kernel.run(in, out);
    for (int64_t j = 0; j < 4; ++j)
      for (int64_t i = 0; i < 16; ++i) {
        int64_t x = in[j * 16 + i];
        uint8_t want = static_cast<uint8_t>(std::clamp(x, lo, hi));
        ASSERT_EQ(out[j * 16 + i], want)
            << "operand " << j << " lane " << i << " value " << x
            << (isUnsigned ? " unsigned" : " signed")
            << (emulate ? " emulated" : " intrinsics");
      }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Forms, PackBytesTest,
    ::testing::Combine(::testing::Bool(), ::testing::Bool()),
    [](const ::testing::TestParamInfo<std::tuple<bool, bool>> &info) {
      return std::string(std::get<0>(info.param) ? "Unsigned" : "Signed") +
             (std::get<1>(info.param) ? "Emulated" : "Intrinsics");
    });

} // namespace
