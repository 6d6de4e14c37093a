//===- Calibration.cpp - observation points and range annotation ----------===//

#include "intq/Calibration/Calibration.h"

#include "intq/Dialect/IntQ/IntQ.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

static bool isFloatTensor(Value v) {
  auto t = llvm::dyn_cast<RankedTensorType>(v.getType());
  return t && llvm::isa<FloatType>(t.getElementType());
}

static bool isConstant(Value v) {
  return v.getDefiningOp() && v.getDefiningOp()->hasTrait<OpTrait::ConstantLike>();
}

/// Follows the single-use chain --intq-quantize fuses after a compute op:
/// bias add of a constant (through a reshape for the fully-connected form),
/// then a clamp. Returns every value of the chain; the last one is its end.
static SmallVector<Value> computeChain(Operation *compute) {
  SmallVector<Value> chain = {compute->getResult(0)};
  auto single = [](Value v) -> Operation * {
    return v.hasOneUse() ? *v.getUsers().begin() : nullptr;
  };
  Value v = chain.back();
  Operation *user = single(v);
  if (auto reshape = llvm::dyn_cast_or_null<tosa::ReshapeOp>(user)) {
    Operation *next = single(reshape.getResult());
    if (auto add = llvm::dyn_cast_or_null<tosa::AddOp>(next))
      if (isConstant(add.getInput1()) || isConstant(add.getInput2())) {
        chain.push_back(reshape.getResult());
        v = reshape.getResult();
        user = next;
      }
  }
  if (auto add = llvm::dyn_cast_or_null<tosa::AddOp>(user))
    if (isConstant(add.getInput1()) || isConstant(add.getInput2())) {
      chain.push_back(add.getResult());
      v = add.getResult();
      user = single(v);
    }
  if (auto clamp = llvm::dyn_cast_or_null<tosa::ClampOp>(user))
    chain.push_back(clamp.getResult());
  return chain;
}

SmallVector<Value> intq::selectCalibrationPoints(func::FuncOp func) {
  SmallVector<Value> points;
  llvm::DenseSet<Value> internal, chosen;
  auto annotated = [](Value v) {
    return llvm::any_of(v.getUsers(),
                        [](Operation *u) { return llvm::isa<StatsOp>(u); });
  };
  auto add = [&](Value v) {
    if (isFloatTensor(v) && !annotated(v) && chosen.insert(v).second)
      points.push_back(v);
  };
  // An argument that only feeds layout changes (the importer's NCHW to NHWC
  // transpose) is quantized after them: the layout change stays in float
  // before the input quantize instead of becoming a float island.
  for (BlockArgument arg : func.getArguments()) {
    bool layoutOnly = !arg.use_empty() &&
                      llvm::all_of(arg.getUsers(), [](Operation *u) {
                        return llvm::isa<tosa::TransposeOp, tosa::ReshapeOp>(u);
                      });
    if (!layoutOnly)
      add(arg);
  }
  func.walk([&](Operation *op) {
    if (llvm::isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::MatMulOp>(
            op)) {
      SmallVector<Value> chain = computeChain(op);
      for (Value v : llvm::ArrayRef(chain).drop_back())
        internal.insert(v);
    }
  });
  func.walk([&](Operation *op) {
    if (op->hasTrait<OpTrait::ConstantLike>() || llvm::isa<StatsOp>(op) ||
        op->getNumResults() != 1)
      return;
    Value r = op->getResult(0);
    if (!internal.contains(r))
      add(r);
  });
  return points;
}

void intq::RangeObserver::observe(const float *data, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    float v = data[i];
    if (!std::isfinite(v))
      continue;
    if (samples == 0 && i == 0) {
      min = max = v;
    } else {
      min = std::min(min, double(v));
      max = std::max(max, double(v));
    }
  }
  ++samples;
}

void intq::annotateRanges(ArrayRef<Value> points,
                          ArrayRef<RangeObserver> ranges) {
  if (!points.empty())
    points.front().getContext()->getOrLoadDialect<IntQDialect>();
  for (auto [point, r] : llvm::zip(points, ranges)) {
    Value v = point;
    OpBuilder b(v.getContext());
    if (auto arg = llvm::dyn_cast<BlockArgument>(v))
      b.setInsertionPointToStart(arg.getOwner());
    else
      b.setInsertionPointAfter(v.getDefiningOp());
    auto stats = StatsOp::create(b, v.getLoc(), v, b.getF64FloatAttr(r.min),
                                 b.getF64FloatAttr(r.max));
    v.replaceAllUsesExcept(stats.getResult(), stats);
  }
}
