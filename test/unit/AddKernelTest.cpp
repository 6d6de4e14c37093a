//===- AddKernelTest.cpp - the vector intq.add vs the scalar reference ----===//
//
// --intq-codegen rewrites intq.add of 8-bit operands on x86 into a loop over
// vector<16xi32> whose arithmetic is intq::buildAdd in its vector form
// (QuantLowering.h: SRDHMs on i64 lane pairs, the lane-pair products of the
// constant multipliers shifted down on both halves, rounding shifts with a
// nudge). This test builds that form with the constants baked in, as the
// kernel does (the constant multipliers take their own code path),
// JIT-compiles it for the host and compares every pair of 8-bit inputs
// (all 65 536) with the TFLite reference arithmetic computed by
// intq::quant (FixedPoint.h, itself tested against gemmlowp), over random
// scales and zero points, signed and unsigned storage, with and without a
// fused clamp, and output multipliers above 1 (a left shift).
//
//===----------------------------------------------------------------------===//

#include "JitSupport.h"
#include "QuantLowering.h"

#include "intq/Dialect/IntQ/IntQ.h"
#include "intq/Quant/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

using namespace mlir;
namespace mq = mlir::quant;

namespace {

constexpr int kLanes = 16;
using AddFn = void (*)(const int32_t *, const int32_t *, int32_t *);

struct Config {
  bool aSigned, bSigned, oSigned;
  double sa, sb, so;
  int64_t za, zb, zo;
  std::optional<double> clampMin;
};

/// Adds to `jit`'s module a function `name` of `inputs` + 1 pointers to 16
/// i32: the result of `body` on the inputs' 16 lanes, stored to the last.
void addLaneFunction(
    intq::test::KernelJit &jit, StringRef name, unsigned inputs,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  OpBuilder b(&jit.context());
  Location loc = b.getUnknownLoc();
  b.setInsertionPointToEnd(jit.getModule().getBody());
  auto buf = MemRefType::get({kLanes}, b.getI32Type());
  auto vec = VectorType::get({kLanes}, b.getI32Type());
  SmallVector<Type> args(inputs + 1, buf);
  auto fn = func::FuncOp::create(b, loc, name, b.getFunctionType(args, {}));
  Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
  SmallVector<Value> lanes;
  for (unsigned i = 0; i < inputs; ++i)
    lanes.push_back(vector::LoadOp::create(b, loc, vec, entry->getArgument(i),
                                           ValueRange{c0}));
  vector::StoreOp::create(b, loc, body(b, loc, lanes),
                          entry->getArgument(inputs), ValueRange{c0});
  func::ReturnOp::create(b, loc);
}

/// The vector form of buildAdd for `r`, JIT-compiled: 16 lanes of a and b
/// (the stored values, extended to i32) to 16 results.
class AddKernel {
public:
  explicit AddKernel(const intq::AddRescale &r) {
    addLaneFunction(jit, "add", 2,
                    [&](OpBuilder &b, Location loc, ValueRange in) {
                      return intq::buildAdd(b, loc, in[0], in[1], r,
                                            /*vectorForm=*/true,
                                            /*clampOutput=*/true);
                    });
    fn_ = jit.compile<AddFn>("add");
  }

  bool ok() const { return fn_ != nullptr; }
  void run(const int32_t *a, const int32_t *b, int32_t *out) const {
    fn_(a, b, out);
  }

private:
  intq::test::KernelJit jit;
  AddFn fn_ = nullptr;
};

/// The TFLite reference add of stored values qa, qb.
int32_t referenceAdd(const intq::AddRescale &r, int32_t qa, int32_t qb) {
  namespace fp = intq::quant;
  auto mult = [](const intq::AddRescale::Multiplier &m) {
    fp::QuantizedMultiplier q;
    q.multiplier = m.m0;
    q.shift = m.left ? m.left : -m.right;
    return q;
  };
  // (q - zp) * 2^leftShift: a multiply, a left shift of a negative value
  // being undefined in C++17 (UBSan).
  int32_t scale = int32_t(1) << r.leftShift;
  int32_t ra =
      fp::multiplyByQuantizedMultiplier((qa - r.lhsZp) * scale, mult(r.lhs));
  int32_t rb =
      fp::multiplyByQuantizedMultiplier((qb - r.rhsZp) * scale, mult(r.rhs));
  return fp::requantize(ra + rb, mult(r.out), r.outZp, r.lo, r.hi);
}

mq::UniformQuantizedType typeOf(MLIRContext &ctx, bool isSigned, double scale,
                                int64_t zp) {
  Type i8 = IntegerType::get(&ctx, 8);
  return mq::UniformQuantizedType::get(
      isSigned ? mq::QuantizationFlags::Signed : 0, i8,
      Float32Type::get(&ctx), scale, zp, isSigned ? -128 : 0,
      isSigned ? 127 : 255);
}

/// Every (qa, qb) of the storage ranges of `c` through the vector form
/// equals the reference; returns the number of lanes compared.
int64_t expectExhaustive(const Config &c) {
  MLIRContext ctx;
  ctx.loadDialect<mq::QuantDialect>();
  auto r = intq::getAddRescale(typeOf(ctx, c.aSigned, c.sa, c.za),
                               typeOf(ctx, c.bSigned, c.sb, c.zb),
                               typeOf(ctx, c.oSigned, c.so, c.zo), c.clampMin,
                               std::nullopt);
  if (!r)
    return 0;
  int64_t n = 0;
  AddKernel k(*r);
  EXPECT_TRUE(k.ok());
  if (!k.ok())
    return 0;
  int32_t aLo = c.aSigned ? -128 : 0, bLo = c.bSigned ? -128 : 0;
  int32_t a[kLanes], b[kLanes], out[kLanes];
  int64_t bad = 0;
  for (int32_t qa = aLo; qa < aLo + 256; ++qa)
    for (int32_t qb = bLo; qb < bLo + 256; qb += kLanes) {
      for (int l = 0; l < kLanes; ++l) {
        a[l] = qa;
        b[l] = qb + l;
      }
      k.run(a, b, out);
      for (int l = 0; l < kLanes; ++l, ++n) {
        int32_t want = referenceAdd(*r, a[l], b[l]);
        if (out[l] != want && bad++ < 5)
          ADD_FAILURE() << "a " << a[l] << " b " << b[l] << ": " << out[l]
                        << ", reference " << want << " (scales " << c.sa
                        << ", " << c.sb << " -> " << c.so << ", zero points "
                        << c.za << ", " << c.zb << " -> " << c.zo << ")";
      }
    }
  EXPECT_EQ(bad, 0);
  return n;
}

TEST(AddKernelTest, EqualScalesAndTies) {
  // Equal input scales: both multipliers are 1/2 (M0 = 2^30, no right
  // shift), the rescaled terms exact halves.
  EXPECT_EQ(expectExhaustive({true, true, true, 0.05, 0.05, 0.1, -3, 10, -20,
                              std::nullopt}),
            65536);
  EXPECT_EQ(expectExhaustive({false, true, false, 0.02, 0.08, 0.05, 128, 0, 7,
                              0.0}),
            65536);
}

TEST(AddKernelTest, RandomScalesAreExact) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> logScale(-8.0, 0.0);
  int64_t lanes = 0;
  for (int i = 0; i < 24; ++i) {
    Config c;
    c.aSigned = rng() & 1;
    c.bSigned = rng() & 1;
    c.oSigned = rng() & 1;
    c.sa = std::exp2(logScale(rng));
    c.sb = std::exp2(logScale(rng));
    // Output scales from far below the inputs' (an output multiplier
    // above 1: a left shift) to far above.
    c.so = std::max(c.sa, c.sb) * std::exp2(logScale(rng) + 4.0);
    c.za = int64_t(rng() % 256) - (c.aSigned ? 128 : 0);
    c.zb = int64_t(rng() % 256) - (c.bSigned ? 128 : 0);
    c.zo = int64_t(rng() % 256) - (c.oSigned ? 128 : 0);
    if (rng() % 3 == 0)
      c.clampMin = 0.0; // a fused ReLU
    lanes += expectExhaustive(c);
  }
  EXPECT_GT(lanes, 20 * 65536); // nearly every configuration representable
}

/// buildAddInputRescale's vector form (i32 lanes, the multiplier split at
/// bit 11) for one input, JIT-compiled: 16 stored values to 16 terms.
using RescaleFn = void (*)(const int32_t *, int32_t *);
class RescaleKernel {
public:
  RescaleKernel(int32_t zp, const intq::AddRescale::Multiplier &m) {
    addLaneFunction(jit, "rescale", 1,
                    [&](OpBuilder &b, Location loc, ValueRange in) {
                      return intq::buildAddInputRescale(
                          b, loc, in[0], zp, m, /*leftShift=*/20,
                          /*vectorForm=*/true);
                    });
    fn_ = jit.compile<RescaleFn>("rescale");
  }
  bool ok() const { return fn_ != nullptr; }
  void run(const int32_t *q, int32_t *out) const { fn_(q, out); }

private:
  intq::test::KernelJit jit;
  RescaleFn fn_ = nullptr;
};

// The input rescale alone, on every stored value: an error of one unit in
// a rescaled term (2^-19 of an input step) rarely changes an add's output,
// so the exhaustive adds above would not see it. Multipliers at the edges
// of [2^30, 2^31) and of the split (Ml = 0, 1, 2^11 - 1), random ones, and
// every right shift an input multiplier in (0, 1/2] can have.
TEST(AddKernelTest, InputRescaleIsExact) {
  namespace fp = intq::quant;
  std::mt19937_64 rng(11);
  std::vector<int32_t> m0s = {1 << 30, (1 << 30) + 1, (1 << 30) + 2047,
                              (1 << 30) + 2048, 0x7fffffff, 0x7ffff800,
                              1518500250};
  for (int i = 0; i < 9; ++i)
    m0s.push_back(int32_t((1u << 30) + rng() % (1u << 30)));
  int64_t lanes = 0;
  for (int32_t m0 : m0s)
    for (int32_t right : {0, 1, 2, 3, 7, 11, 19, 30, 31}) {
      bool isSigned = rng() & 1;
      int32_t lo = isSigned ? -128 : 0;
      int32_t zp = lo + int32_t(rng() % 256);
      RescaleKernel k(zp, {m0, 0, right});
      ASSERT_TRUE(k.ok());
      int32_t q[kLanes], out[kLanes];
      for (int32_t base = lo; base < lo + 256; base += kLanes) {
        for (int l = 0; l < kLanes; ++l)
          q[l] = base + l;
        k.run(q, out);
        for (int l = 0; l < kLanes; ++l, ++lanes) {
          int32_t want = fp::roundingDivideByPOT(
              fp::saturatingRoundingDoublingHighMul((q[l] - zp) * (1 << 20),
                                                    m0),
              right);
          ASSERT_EQ(out[l], want) << "q " << q[l] << " zp " << zp << " M0 "
                                  << m0 << " right " << right;
        }
      }
    }
  EXPECT_EQ(lanes, int64_t(16 * 9 * 256));
}

} // namespace
