//===- TosaRangeModels.cpp - range behaviour of upstream TOSA ops ---------===//
//
// External models of intq::RealRangeOpInterface for the TOSA ops range
// propagation understands. Adding an op here (or implementing the interface
// on an op of one's own) is all it takes for --intq-propagate-ranges to see
// through it.
//
//===----------------------------------------------------------------------===//

#include "intq/Dialect/IntQ/IntQ.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace intq;

namespace {

using Ranges = ArrayRef<std::optional<RealRange>>;

double attrValue(Attribute a, double fallback) {
  if (auto f = llvm::dyn_cast_or_null<FloatAttr>(a))
    return f.getValueAsDouble();
  if (auto i = llvm::dyn_cast_or_null<IntegerAttr>(a))
    return double(i.getInt());
  return fallback;
}

/// Clamp: the operand's range (or everything) intersected with [min, max];
/// ReLU6 is [0, 6] whatever its input.
struct ClampModel
    : RealRangeOpInterface::ExternalModel<ClampModel, tosa::ClampOp> {
  std::optional<RealRange> inferRealRange(Operation *op, Ranges in) const {
    auto clamp = llvm::cast<tosa::ClampOp>(op);
    double lo = attrValue(clamp.getMinValAttr(), -INFINITY);
    double hi = attrValue(clamp.getMaxValAttr(), INFINITY);
    if (in[0]) {
      lo = std::max(lo, in[0]->lo);
      hi = std::min(hi, in[0]->hi);
      if (lo > hi)
        lo = hi;
    }
    RealRange r{lo, hi};
    return r.isFinite() ? std::optional<RealRange>(r) : std::nullopt;
  }
};

/// Fixed output ranges.
template <typename OpT>
struct FixedModel
    : RealRangeOpInterface::ExternalModel<FixedModel<OpT>, OpT> {
  std::optional<RealRange> inferRealRange(Operation *op, Ranges in) const {
    if (llvm::isa<tosa::SigmoidOp>(op))
      return RealRange{0.0, 1.0};
    return RealRange{-1.0, 1.0}; // tanh
  }
};

/// Ops that move or select values of operand 0 (and, for concat, of every
/// operand): the hull of their ranges, and the same scale.
template <typename OpT>
struct PreservingModel
    : RealRangeOpInterface::ExternalModel<PreservingModel<OpT>, OpT> {
  std::optional<RealRange> inferRealRange(Operation *op, Ranges in) const {
    unsigned n = llvm::isa<tosa::ConcatOp>(op) ? in.size() : 1;
    std::optional<RealRange> r;
    for (unsigned i = 0; i < n; ++i) {
      if (!in[i])
        return std::nullopt;
      r = r ? RealRange::hull(*r, *in[i]) : *in[i];
    }
    // Padding adds its constant (0 for the pads the importer writes).
    if (auto pad = llvm::dyn_cast<tosa::PadOp>(op)) {
      DenseFPElementsAttr v;
      double p = 0;
      if (matchPattern(pad.getPadConst(), m_Constant(&v)) && v.getNumElements())
        p = (*v.getValues<APFloat>().begin()).convertToDouble();
      r = RealRange::hull(*r, {p, p});
    }
    return r;
  }
  bool preservesScale(Operation *) const { return true; }
};

/// Average pooling: averages stay in the operand's range, but the result is
/// a new value (its own scale).
struct AvgPoolModel
    : RealRangeOpInterface::ExternalModel<AvgPoolModel, tosa::AvgPool2dOp> {
  std::optional<RealRange> inferRealRange(Operation *, Ranges in) const {
    return in[0];
  }
};

/// Interval arithmetic for the elementwise sum and difference.
template <typename OpT>
struct AddSubModel
    : RealRangeOpInterface::ExternalModel<AddSubModel<OpT>, OpT> {
  std::optional<RealRange> inferRealRange(Operation *op, Ranges in) const {
    if (!in[0] || !in[1])
      return std::nullopt;
    if (llvm::isa<tosa::SubOp>(op))
      return RealRange{in[0]->lo - in[1]->hi, in[0]->hi - in[1]->lo};
    return RealRange{in[0]->lo + in[1]->lo, in[0]->hi + in[1]->hi};
  }
};

} // namespace

void intq::registerTosaRangeModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, tosa::TosaDialect *) {
    tosa::ClampOp::attachInterface<ClampModel>(*ctx);
    tosa::SigmoidOp::attachInterface<FixedModel<tosa::SigmoidOp>>(*ctx);
    tosa::TanhOp::attachInterface<FixedModel<tosa::TanhOp>>(*ctx);
    tosa::ReshapeOp::attachInterface<PreservingModel<tosa::ReshapeOp>>(*ctx);
    tosa::TransposeOp::attachInterface<PreservingModel<tosa::TransposeOp>>(
        *ctx);
    tosa::SliceOp::attachInterface<PreservingModel<tosa::SliceOp>>(*ctx);
    tosa::PadOp::attachInterface<PreservingModel<tosa::PadOp>>(*ctx);
    tosa::ConcatOp::attachInterface<PreservingModel<tosa::ConcatOp>>(*ctx);
    tosa::MaxPool2dOp::attachInterface<PreservingModel<tosa::MaxPool2dOp>>(
        *ctx);
    tosa::AvgPool2dOp::attachInterface<AvgPoolModel>(*ctx);
    tosa::AddOp::attachInterface<AddSubModel<tosa::AddOp>>(*ctx);
    tosa::SubOp::attachInterface<AddSubModel<tosa::SubOp>>(*ctx);
  });
}
