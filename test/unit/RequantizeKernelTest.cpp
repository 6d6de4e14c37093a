//===- RequantizeKernelTest.cpp - vector requantization forms vs gemmlowp -===//
//
// The --intq-codegen kernels requantize vector<16xi32> registers with
// cheaper forms of the gemmlowp arithmetic (QuantLowering.h:
// RequantParams::pairedLanes, roundNudge, the one-step double rounding on
// lane pairs on unsigned products of a biased accumulator, roundEven /
// roundOdd, and the AArch64 form, neon, whose two
// target ops are emulated here with the Arm ARM semantics). This test
// builds each form with
// the same builders the kernels use, JIT-compiles it for the host (AVX-512
// here: vpmuldq, masked adds) and compares it, lane by lane, with
// intq::quant::requantize over edge cases and millions of random inputs.
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
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <random>
#include <vector>

using namespace mlir;

namespace {

constexpr int kLanes = 16;

/// Arguments of the compiled function: 16 lanes each of the accumulator,
/// M0, right shift, nudge, negative mask, zero point, lo, hi; the 16
/// results; then the 8 even and 8 odd lanes' i64 rounding terms.
using RequantFn = void (*)(const int32_t *, const int32_t *, const int32_t *,
                           const int32_t *, const int32_t *, const int32_t *,
                           const int32_t *, const int32_t *, int32_t *,
                           const int64_t *, const int64_t *);

struct Form {
  bool paired, shortRounding, zeroPointInNudge = false;
  /// The double rounding in one step on lane pairs (roundEven / roundOdd):
  /// unsigned products of x + 2^31 and 2 M0, the rounding terms
  /// 2^31 + 2^(31+right) less 2^32 (M0 + 1), plus the top bit of x + 2^31,
  /// shifted by right. The accumulator and multiplier arguments then hold
  /// x + 2^31 and 2 M0 (32-bit patterns).
  bool highHalf = false;
  /// The AArch64 form (RequantParams::neon): sqrdmulh, the fixup, srshl by
  /// -right. Its two target ops are replaced here by arith code with the
  /// Arm ARM semantics, so that the form runs (and is checked) on the host.
  bool neon = false;
  /// #intq.rounding<single> (with neon: srshl(sqdmulh(x, M0), -right), the
  /// single rounding with s = 31 + right); the reference is then
  /// requantizeSingleRound.
  bool single = false;
};

/// The Arm ARM semantics of SQRDMULH (rounding) and SQDMULH on 32-bit
/// lanes: sat((2ab + (rounding ? 2^31 : 0)) >> 32), in i64 arith.
Value emulateDoublingHighMul(OpBuilder &b, Location loc, Value a, Value m,
                             bool rounding) {
  auto vt = llvm::cast<VectorType>(a.getType());
  Type wide = vt.clone(b.getI64Type());
  Value p = arith::MulIOp::create(b, loc, arith::ExtSIOp::create(b, loc, wide, a),
                                  arith::ExtSIOp::create(b, loc, wide, m));
  p = arith::AddIOp::create(b, loc, p, p);
  if (rounding)
    p = arith::AddIOp::create(b, loc, p,
                              intq::intConstant(b, loc, wide, int64_t(1) << 31));
  p = arith::ShRSIOp::create(b, loc, p, intq::intConstant(b, loc, wide, 32));
  p = arith::MinSIOp::create(b, loc, p, intq::intConstant(b, loc, wide, INT32_MAX));
  return arith::TruncIOp::create(b, loc, vt, p);
}

/// SRSHL (32-bit lanes) for shift amounts s <= 0, the only ones the kernels
/// use: (v + 2^(-s-1)) >> -s without overflow (v for s = 0).
Value emulateSrshl(OpBuilder &b, Location loc, Value v, Value s) {
  auto vt = llvm::cast<VectorType>(v.getType());
  Type wide = vt.clone(b.getI64Type());
  Value n = arith::SubIOp::create(b, loc, intq::intConstant(b, loc, wide, 0),
                                  arith::ExtSIOp::create(b, loc, wide, s));
  Value one = intq::intConstant(b, loc, wide, 1);
  Value round = arith::ShRSIOp::create(b, loc, arith::ShLIOp::create(b, loc, one, n), one);
  Value r = arith::ShRSIOp::create(
      b, loc, arith::AddIOp::create(b, loc, arith::ExtSIOp::create(b, loc, wide, v), round),
      n);
  return arith::TruncIOp::create(b, loc, vt, r);
}

/// JIT-compiles `clamp(zp + RDivPOT(SRDHM(x, M0), right))` on
/// vector<16xi32> in the given form.
class RequantizeKernel {
public:
  explicit RequantizeKernel(Form form) {
    OpBuilder b(&jit.context());
    Location loc = b.getUnknownLoc();
    b.setInsertionPointToEnd(jit.getModule().getBody());
    auto buf = MemRefType::get({kLanes}, b.getI32Type());
    auto vec = VectorType::get({kLanes}, b.getI32Type());
    auto buf64 = MemRefType::get({kLanes / 2}, b.getI64Type());
    auto vec64 = VectorType::get({kLanes / 2}, b.getI64Type());
    SmallVector<Type> args(9, buf);
    args.append({buf64, buf64});
    auto fn = func::FuncOp::create(b, loc, "requant",
                                   b.getFunctionType(args, {}));
    Block *body = fn.addEntryBlock();
    b.setInsertionPointToStart(body);
    Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
    auto load = [&](int i) -> Value {
      return vector::LoadOp::create(b, loc, vec, body->getArgument(i),
                                    ValueRange{c0});
    };
    intq::RequantParams p;
    Value x = load(0);
    p.multiplier = load(1);
    p.rightShift = load(2);
    if (form.shortRounding) {
      p.roundNudge = load(3);
      p.roundNegMask = load(4);
      p.zeroPointInNudge = form.zeroPointInNudge;
    }
    if (form.highHalf) {
      p.roundEven = vector::LoadOp::create(b, loc, vec64, body->getArgument(9),
                                           ValueRange{c0});
      p.roundOdd = vector::LoadOp::create(b, loc, vec64, body->getArgument(10),
                                          ValueRange{c0});
      p.zeroPointInNudge = form.zeroPointInNudge;
    }
    p.pairedLanes = form.paired;
    p.neon = form.neon;
    p.singleRound = form.single;
    p.zeroPoint = load(5);
    p.lo = load(6);
    p.hi = load(7);
    Value r = intq::buildRequantize(b, loc, x, p);
    vector::StoreOp::create(b, loc, r, body->getArgument(8), ValueRange{c0});
    func::ReturnOp::create(b, loc);
    if (form.neon) {
      int replaced = 0;
      fn.walk([&](Operation *op) {
        OpBuilder rb(op);
        Value e;
        if (auto m = llvm::dyn_cast<intq::Arm64SqrdmulhOp>(op))
          e = emulateDoublingHighMul(rb, loc, m.getLhs(), m.getRhs(), true);
        else if (auto m = llvm::dyn_cast<intq::Arm64SqdmulhOp>(op))
          e = emulateDoublingHighMul(rb, loc, m.getLhs(), m.getRhs(), false);
        else if (auto s = llvm::dyn_cast<intq::Arm64SrshlOp>(op))
          e = emulateSrshl(rb, loc, s.getValue(), s.getShift());
        else
          return;
        op->getResult(0).replaceAllUsesWith(e);
        op->erase();
        ++replaced;
      });
      if (replaced != 2) // the form must use both ops
        return;
    }

    fn_ = jit.compile<RequantFn>("requant");
  }

  bool ok() const { return fn_ != nullptr; }

  /// Runs 16 lanes.
  void run(const int32_t *x, const int32_t *m, const int32_t *right,
           const int32_t *nudge, const int32_t *negMask, const int32_t *zp,
           const int32_t *lo, const int32_t *hi, int32_t *out,
           const int64_t *roundEven, const int64_t *roundOdd) const {
    fn_(x, m, right, nudge, negMask, zp, lo, hi, out, roundEven, roundOdd);
  }

private:
  intq::test::KernelJit jit;
  RequantFn fn_ = nullptr;
};

struct Lane {
  int32_t x, m0, right, zp, lo, hi;
};

/// The short rounding's nudge of a lane: 2^(right-1), plus zp << right
/// when the zero point is folded in.
int64_t nudgeOf(const Lane &l, Form form) {
  int64_t n = l.right > 0 ? int64_t(1) << (l.right - 1) : 0;
  if (form.zeroPointInNudge)
    n += int64_t(l.zp) * (int64_t(1) << l.right);
  return n;
}

/// The precondition of the short rounding (what ChannelConstants proves
/// from the accumulator bound): SRDHM(x, M0) + nudge and SRDHM - 1 + nudge
/// stay within int32.
bool shortRoundingHolds(const Lane &l, Form form) {
  int64_t h = intq::quant::saturatingRoundingDoublingHighMul(l.x, l.m0);
  int64_t n = nudgeOf(l, form);
  return h + n <= INT32_MAX && h + n - 1 >= INT32_MIN && n <= INT32_MAX &&
         n >= INT32_MIN;
}

/// The one-step double rounding's i64 rounding term of a lane:
/// 2^31 + 2^(31+right), plus zp << (32 + right) when the zero point is
/// folded in, less 2^32 (M0 + 1), modulo 2^64 (it may wrap). Written out
/// here rather than taken from intq::oneStepRoundingTerm, so that the test
/// checks that too.
int64_t highHalfRoundOf(const Lane &l, Form form) {
  if (!form.highHalf) // unused; and 2^(32 + right) may not fit
    return 0;
  uint64_t k = (uint64_t(1) << 31) + (uint64_t(1) << (31 + l.right));
  if (form.zeroPointInNudge)
    k += uint64_t(int64_t(l.zp)) * (uint64_t(1) << (32 + l.right));
  return int64_t(k - ((uint64_t(l.m0) + 1) << 32));
}

/// The precondition of the one-step double rounding (what
/// ChannelConstants::initDoubleRoundHigh proves from the accumulator
/// bound): right >= 1, |x| < 2^30, |2x * M0 + round| <= 2^62.
bool highHalfHolds(const Lane &l, Form form) {
  if (l.right < 1 || l.right > 30 || l.x <= -(1 << 30) || l.x >= (1 << 30))
    return false;
  __int128 zp = form.zeroPointInNudge ? l.zp : 0;
  __int128 t = 2 * __int128(l.x) * l.m0 + (__int128(1) << 31) +
               (__int128(1) << (31 + l.right)) +
               zp * (__int128(1) << (32 + l.right));
  return t <= (__int128(1) << 62) && t >= -(__int128(1) << 62);
}

/// Whether `l` satisfies the precondition of `form`.
bool holds(const Lane &l, Form form) {
  if (form.shortRounding && !shortRoundingHolds(l, form))
    return false;
  if (form.single && form.neon && l.right < 1) // every s >= 32
    return false;
  return !form.highHalf || highHalfHolds(l, form);
}

/// Checks `lanes` (padded to whole vectors) against the scalar reference.
/// With the short rounding or the one-step form, each lane must satisfy
/// its precondition.
void expectExact(const RequantizeKernel &k, std::vector<Lane> lanes,
                 Form form) {
  while (lanes.size() % kLanes)
    lanes.push_back(lanes.back());
  for (size_t base = 0; base < lanes.size(); base += kLanes) {
    int32_t x[kLanes], m[kLanes], r[kLanes], nudge[kLanes], neg[kLanes],
        zp[kLanes], lo[kLanes], hi[kLanes], out[kLanes];
    int64_t roundEven[kLanes / 2], roundOdd[kLanes / 2];
    for (int i = 0; i < kLanes; ++i) {
      const Lane &l = lanes[base + i];
      x[i] = l.x;
      m[i] = l.m0;
      r[i] = form.neon ? -l.right : l.right;
      nudge[i] = int32_t(nudgeOf(l, form));
      if (form.highHalf) { // 32-bit patterns of x + 2^31, 2 M0
        x[i] = int32_t(uint32_t(int64_t(l.x) + (int64_t(1) << 31)));
        m[i] = int32_t(uint32_t(2 * int64_t(l.m0)));
      }
      neg[i] = l.right > 0 ? -1 : 0;
      zp[i] = l.zp;
      lo[i] = l.lo;
      hi[i] = l.hi;
      ASSERT_TRUE(holds(l, form)) << "bad test input";
      (i % 2 ? roundOdd : roundEven)[i / 2] = highHalfRoundOf(l, form);
    }
    k.run(x, m, r, nudge, neg, zp, lo, hi, out, roundEven, roundOdd);
    for (int i = 0; i < kLanes; ++i) {
      const Lane &l = lanes[base + i];
      intq::quant::QuantizedMultiplier qm{l.m0, -l.right};
      int32_t want =
          form.single
              ? intq::quant::requantizeSingleRound(l.x, qm, l.zp, l.lo, l.hi)
              : intq::quant::requantize(l.x, qm, l.zp, l.lo, l.hi);
      ASSERT_EQ(out[i], want) << "x=" << l.x << " M0=" << l.m0
                              << " right=" << l.right << " zp=" << l.zp
                              << " lane " << i;
    }
  }
}

/// Edge cases: extreme accumulators and multipliers, every shift, exact
/// ties of the rounding shift on both signs.
std::vector<Lane> edgeLanes(Form form) {
  std::vector<Lane> v;
  const int32_t ms[] = {1 << 30, (1 << 30) + 1, 1518500250, INT32_MAX};
  const int32_t xs[] = {0,         1,         -1,        2,
                        -2,        12345,     -12345,    1 << 20,
                        -(1 << 20), INT32_MAX, INT32_MIN, INT32_MIN + 1,
                        INT32_MAX - 1, (1 << 30) - 1, -(1 << 30) + 1};
  for (int32_t m : ms)
    for (int right = 0; right <= 31; ++right) {
      for (int32_t x : xs)
        for (int32_t zp : {0, -128, 127, 5}) {
          // Without a zero point the raw value is compared (no clamp); with
          // one, the widest storage range (16-bit): the kernels' clamp
          // bounds minus the zero point must fit int32 (RequantParams).
          Lane l{x, m, right, zp, zp ? -32768 : INT32_MIN,
                 zp ? 32767 : INT32_MAX};
          if (holds(l, form))
            v.push_back(l);
        }
      // Accumulators whose SRDHM lands on a tie k * 2^right +- 2^(right-1):
      // with M0 = 2^30, SRDHM(x) = round(x / 2).
      if (m == 1 << 30 && right > 0 && right < 30)
        for (int64_t k : {0, 1, 2, 7, -1, -2, -7})
          for (int64_t d : {int64_t(1) << (right - 1), -(int64_t(1) << (right - 1))}) {
            int64_t h = k * (int64_t(1) << right) + d;
            Lane l{int32_t(2 * h), m, right, -3, -32768, 32767};
            if (holds(l, form))
              v.push_back(l);
          }
    }
  return v;
}

class RequantizeKernelTest : public ::testing::TestWithParam<Form> {};

TEST_P(RequantizeKernelTest, EdgeCasesAreExact) {
  RequantizeKernel k(GetParam());
  ASSERT_TRUE(k.ok());
  expectExact(k, edgeLanes(GetParam()), GetParam());
}

TEST_P(RequantizeKernelTest, RandomInputsAreExact) {
  Form form = GetParam();
  RequantizeKernel k(form);
  ASSERT_TRUE(k.ok());
  std::mt19937_64 rng(42);
  std::vector<Lane> lanes;
  for (int i = 0; i < 1 << 21; ++i) {
    Lane l;
    l.m0 = int32_t((1u << 30) + rng() % (1u << 30)); // [2^30, 2^31)
    l.right = int32_t(rng() % 32);
    // Accumulators of every magnitude: a random bit length.
    int bits = int(rng() % 32);
    int64_t mag = int64_t(rng() & ((uint64_t(1) << bits) - 1));
    l.x = int32_t(rng() & 1 ? -mag : mag);
    l.zp = int32_t(rng() % 256) - 128;
    l.lo = -128;
    l.hi = 127;
    if (rng() % 4 == 0) { // no clamp: the raw value is compared
      l.zp = 0;
      l.lo = INT32_MIN;
      l.hi = INT32_MAX;
    }
    if (holds(l, form))
      lanes.push_back(l);
  }
  expectExact(k, lanes, form);
}

INSTANTIATE_TEST_SUITE_P(
    Forms, RequantizeKernelTest,
    ::testing::Values(Form{false, false}, Form{true, false}, Form{false, true},
                      Form{true, true}, Form{true, true, true},
                      Form{true, false, false, true},
                      Form{true, false, true, true},
                      Form{false, false, false, false, true},
                      Form{false, false, false, false, true, true}),
    [](const ::testing::TestParamInfo<Form> &info) {
      if (info.param.neon)
        return std::string(info.param.single ? "NeonSingle" : "Neon");
      return std::string(info.param.paired ? "Paired" : "Widened") +
             (info.param.highHalf        ? "HighHalf"
              : info.param.shortRounding ? "ShortRounding"
                                         : "Rounding") +
             (info.param.zeroPointInNudge ? "ZeroPointInNudge" : "");
    });

} // namespace
