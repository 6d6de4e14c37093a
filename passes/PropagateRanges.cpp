//===- PropagateRanges.cpp - derive and share activation ranges -----------===//
//
// Implements --intq-propagate-ranges (see Passes.td): a sparse forward
// dataflow analysis over real intervals, driven by RealRangeOpInterface,
// then annotation of the quantization points that have no range and scale
// sharing through the ops that only move values.
//
//===----------------------------------------------------------------------===//

#include "QuantUtils.h"

#include "intq/Calibration/Calibration.h"
#include "intq/Dialect/IntQ/IntQ.h"
#include "intq/Passes/Passes.h"

#include "mlir/Analysis/DataFlow/ConstantPropagationAnalysis.h"
#include "mlir/Analysis/DataFlow/DeadCodeAnalysis.h"
#include "mlir/Analysis/DataFlow/SparseAnalysis.h"
#include "mlir/Analysis/DataFlowFramework.h"
#include "mlir/IR/Builders.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"

namespace intq {
#define GEN_PASS_DEF_PROPAGATERANGES
#include "intq/Passes/Passes.h.inc"
} // namespace intq

using namespace mlir;
using namespace intq;

namespace {

/// The lattice value: not yet known (bottom), a finite range, or unbounded
/// (top: no range can be derived).
class RangeValue {
public:
  RangeValue() = default;
  explicit RangeValue(std::optional<RealRange> r) : init(true), range(r) {}
  static RangeValue unbounded() { return RangeValue(std::nullopt); }
  bool isUninitialized() const { return !init; }
  const std::optional<RealRange> &getRange() const { return range; }

  static RangeValue join(const RangeValue &a, const RangeValue &b) {
    if (a.isUninitialized())
      return b;
    if (b.isUninitialized())
      return a;
    if (!a.range || !b.range)
      return unbounded();
    return RangeValue(RealRange::hull(*a.range, *b.range));
  }
  bool operator==(const RangeValue &o) const {
    return init == o.init && range == o.range;
  }
  void print(raw_ostream &os) const {
    if (!init)
      os << "<uninitialized>";
    else if (!range)
      os << "<unbounded>";
    else
      range->print(os);
  }

private:
  bool init = false;
  std::optional<RealRange> range;
};

class RangeLattice : public dataflow::Lattice<RangeValue> {
public:
  using Lattice::Lattice;
};

class RangeAnalysis
    : public dataflow::SparseForwardDataFlowAnalysis<RangeLattice> {
public:
  using SparseForwardDataFlowAnalysis::SparseForwardDataFlowAnalysis;

  LogicalResult visitOperation(Operation *op,
                               ArrayRef<const RangeLattice *> operands,
                               ArrayRef<RangeLattice *> results) override {
    if (op->getNumResults() != 1) {
      setAllToEntryStates(results);
      return success();
    }
    // Constants: their own extent.
    if (op->hasTrait<OpTrait::ConstantLike>()) {
      std::optional<RealRange> r;
      if (DenseFPElementsAttr c = getConstantFloats(op->getResult(0)))
        for (const APFloat &x : c.getValues<APFloat>()) {
          double v = x.convertToDouble();
          if (!std::isfinite(v)) {
            r.reset();
            break;
          }
          r = r ? RealRange::hull(*r, {v, v}) : RealRange{v, v};
        }
      propagateIfChanged(results[0], results[0]->join(RangeValue(r)));
      return success();
    }
    auto iface = llvm::dyn_cast<RealRangeOpInterface>(op);
    if (!iface) {
      setAllToEntryStates(results);
      return success();
    }
    SmallVector<std::optional<RealRange>> in;
    for (const RangeLattice *o : operands) {
      if (o->getValue().isUninitialized())
        return success(); // visited again once the operand is known
      in.push_back(o->getValue().getRange());
    }
    std::optional<RealRange> r = iface.inferRealRange(in);
    if (r && !r->isFinite())
      r.reset();
    propagateIfChanged(results[0], results[0]->join(RangeValue(r)));
    return success();
  }

  void setToEntryState(RangeLattice *lattice) override {
    propagateIfChanged(lattice, lattice->join(RangeValue::unbounded()));
  }
};

StatsOp statsOf(Value v) {
  if (!v)
    return {};
  return v.getDefiningOp<StatsOp>();
}

struct PropagateRangesPass
    : public intq::impl::PropagateRangesBase<PropagateRangesPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // Nothing calibrated or annotated: nothing to propagate (a model the
    // user has not calibrated, or a pre-quantized one).
    if (!func.walk([](StatsOp) { return WalkResult::interrupt(); })
             .wasInterrupted())
      return;
    DataFlowSolver solver;
    solver.load<dataflow::DeadCodeAnalysis>();
    solver.load<dataflow::SparseConstantPropagation>();
    solver.load<RangeAnalysis>();
    if (failed(solver.initializeAndRun(func)))
      return signalPassFailure();

    // 1. Points quantization needs that calibration did not annotate.
    OpBuilder b(func.getContext());
    for (Value v : selectCalibrationPoints(func)) {
      // Values the model quantizes itself (QDQ form) have their types.
      if (v.getDefiningOp<mlir::quant::DequantizeCastOp>() ||
          llvm::any_of(v.getUsers(), [](Operation *u) {
            return llvm::isa<mlir::quant::QuantizeCastOp>(u);
          }))
        continue;
      auto *state = solver.lookupState<RangeLattice>(v);
      std::optional<RealRange> r;
      if (state && !state->getValue().isUninitialized())
        r = state->getValue().getRange();
      Location loc = v.getLoc();
      if (!r) {
        emitRemark(loc, "no range could be derived here: calibrate this "
                        "value or annotate it with intq.stats");
        continue;
      }
      if (auto arg = llvm::dyn_cast<BlockArgument>(v))
        b.setInsertionPointToStart(arg.getOwner());
      else
        b.setInsertionPointAfter(v.getDefiningOp());
      auto stats = StatsOp::create(b, loc, v, b.getF64FloatAttr(r->lo),
                                   b.getF64FloatAttr(r->hi),
                                   DenseF64ArrayAttr());
      v.replaceAllUsesExcept(stats.getResult(), stats);
    }

    // 2. Scale-preserving ops keep their operands' scale: the result's
    // range becomes the hull of the annotated operands' ranges, written
    // back to every operand (concat) so that all of them share it.
    bool changed = true;
    for (int sweep = 0; changed && sweep < 8; ++sweep) {
      changed = false;
      func.walk([&](RealRangeOpInterface op) {
        if (!op.preservesScale() || op->getNumResults() != 1 ||
            !op->getResult(0).hasOneUse())
          return;
        auto out = llvm::dyn_cast<StatsOp>(*op->getResult(0).user_begin());
        if (!out)
          return;
        SmallVector<StatsOp> ins;
        unsigned n = llvm::isa<tosa::ConcatOp>(op) ? op->getNumOperands() : 1;
        for (unsigned i = 0; i < n; ++i) {
          StatsOp s = statsOf(op->getOperand(i));
          if (!s)
            return;
          ins.push_back(s);
        }
        RealRange hull{ins[0].getMin().convertToDouble(),
                       ins[0].getMax().convertToDouble()};
        for (StatsOp s : ins)
          hull = RealRange::hull(hull, {s.getMin().convertToDouble(),
                                        s.getMax().convertToDouble()});
        auto assign = [&](StatsOp s) {
          if (s.getMin().convertToDouble() == hull.lo &&
              s.getMax().convertToDouble() == hull.hi)
            return;
          OpBuilder sb(s);
          s.setMinAttr(sb.getF64FloatAttr(hull.lo));
          s.setMaxAttr(sb.getF64FloatAttr(hull.hi));
          changed = true;
        };
        assign(out);
        if (ins.size() > 1)
          for (StatsOp s : ins)
            assign(s);
      });
    }
  }
};

} // namespace
