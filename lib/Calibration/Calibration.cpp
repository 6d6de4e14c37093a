//===- Calibration.cpp - observation points and range annotation ----------===//

#include "intq/Calibration/Calibration.h"

#include "mlir/IR/IRMapping.h"

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
    if (!std::isfinite(v)) {
      ++nonFinite;
      continue;
    }
    if (!seenFinite) {
      min = max = v;
      seenFinite = true;
    } else {
      min = std::min(min, double(v));
      max = std::max(max, double(v));
    }
  }
  if (!channelSum.empty()) {
    int64_t c = channelSum.size();
    for (int64_t i = 0; i < n; ++i)
      if (std::isfinite(data[i])) {
        channelSum[i % c] += data[i];
        ++channelCount[i % c];
      }
  }
  ++samples;
}

std::vector<double> intq::RangeObserver::channelMeans() const {
  std::vector<double> means;
  for (size_t c = 0; c < channelSum.size(); ++c) {
    if (channelCount[c] == 0)
      return {};
    means.push_back(channelSum[c] / channelCount[c]);
  }
  return means;
}

OwningOpRef<ModuleOp> intq::buildProbeModule(func::FuncOp entry,
                                             ArrayRef<Value> points) {
  OwningOpRef<ModuleOp> probe = ModuleOp::create(entry.getLoc());
  IRMapping mapping;
  OpBuilder b(entry.getContext());
  b.setInsertionPointToEnd(probe->getBody());
  auto clone = llvm::cast<func::FuncOp>(b.clone(*entry, mapping));
  auto ret =
      llvm::cast<func::ReturnOp>(clone.getBody().back().getTerminator());
  SmallVector<Value> results(ret.getOperands());
  for (Value p : points)
    results.push_back(mapping.lookup(p));
  b.setInsertionPoint(ret);
  func::ReturnOp::create(b, ret.getLoc(), results);
  ret.erase();
  clone.setType(b.getFunctionType(clone.getArgumentTypes(),
                                  ValueRange(results).getTypes()));
  return probe;
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
    std::vector<double> means = r.channelMeans();
    auto stats = StatsOp::create(
        b, v.getLoc(), v, b.getF64FloatAttr(r.min), b.getF64FloatAttr(r.max),
        means.empty() ? DenseF64ArrayAttr() : b.getDenseF64ArrayAttr(means));
    v.replaceAllUsesExcept(stats.getResult(), stats);
  }
}

void intq::Histogram::reset(double min, double max, int bins) {
  lo = min;
  hi = max > min ? max : min + 1e-6;
  counts.assign(bins, 0.0);
}

void intq::Histogram::observe(const float *data, int64_t n) {
  double scale = counts.size() / (hi - lo);
  int64_t last = counts.size() - 1;
  for (int64_t i = 0; i < n; ++i) {
    float v = data[i];
    if (!std::isfinite(v))
      continue;
    int64_t b = int64_t((double(v) - lo) * scale);
    counts[std::clamp<int64_t>(b, 0, last)] += 1;
  }
}

/// Expected squared error of quantizing the histogram's mass to 255 steps
/// over [a, b] (clipping outside, uniform rounding noise inside).
static double quantError(const intq::Histogram &h, double a, double b) {
  double step = (b - a) / 255.0, noise = step * step / 12.0, err = 0;
  double w = h.binWidth();
  for (size_t i = 0; i < h.counts.size(); ++i) {
    if (h.counts[i] == 0)
      continue;
    double x = h.lo + (i + 0.5) * w;
    double e = x < a ? (a - x) * (a - x) : x > b ? (x - b) * (x - b) : noise;
    err += h.counts[i] * e;
  }
  return err;
}

/// KL(p || q) over bins where p > 0; q is smoothed so that it has no zero
/// where p has mass (the usual epsilon shift of TensorRT / MXNet).
static double klDivergence(const std::vector<double> &p,
                           std::vector<double> q) {
  const double eps = 1e-4;
  double pSum = 0, qSum = 0;
  int64_t zeros = 0, nonZeros = 0;
  for (double v : q)
    (v == 0 ? zeros : nonZeros) += 1;
  if (nonZeros == 0)
    return INFINITY;
  double take = eps * zeros / nonZeros;
  for (double &v : q)
    v = v == 0 ? eps : std::max(v - take, eps);
  for (size_t i = 0; i < p.size(); ++i) {
    pSum += p[i];
    qSum += q[i];
  }
  double kl = 0;
  for (size_t i = 0; i < p.size(); ++i)
    if (p[i] > 0)
      kl += p[i] / pSum * std::log((p[i] / pSum) / (q[i] / qSum));
  return kl;
}

/// The entropy method's threshold over a histogram of |x| with `bins` bins
/// of width `w`, quantized to `levels` levels.
static double entropyThreshold(const std::vector<double> &hist, double w,
                               int levels) {
  int64_t n = hist.size();
  if (n <= levels)
    return n * w;
  double bestKl = INFINITY;
  int64_t best = n;
  for (int64_t i = levels; i <= n; ++i) {
    // Reference: the first i bins, the clipped mass added to the last.
    std::vector<double> p(hist.begin(), hist.begin() + i);
    for (int64_t j = i; j < n; ++j)
      p[i - 1] += hist[j];
    // Candidate: the first i bins merged into `levels` groups, each group's
    // mass spread evenly over its bins that had mass.
    std::vector<double> q(i, 0.0);
    for (int l = 0; l < levels; ++l) {
      int64_t start = l * i / levels, stop = (l + 1) * i / levels;
      double mass = 0;
      int64_t used = 0;
      for (int64_t j = start; j < stop; ++j) {
        mass += hist[j];
        used += hist[j] != 0;
      }
      for (int64_t j = start; j < stop; ++j)
        if (hist[j] != 0)
          q[j] = mass / used;
    }
    double kl = klDivergence(p, q);
    if (kl < bestKl) {
      bestKl = kl;
      best = i;
    }
  }
  return (best + 0.5) * w;
}

std::pair<double, double> intq::chooseRange(const Histogram &h,
                                            CalibrationMethod method,
                                            double percentile) {
  if (method == CalibrationMethod::Max || h.counts.empty())
    return {h.lo, h.hi};
  double total = 0;
  for (double c : h.counts)
    total += c;
  if (total == 0)
    return {h.lo, h.hi};
  double w = h.binWidth();
  if (method == CalibrationMethod::Percentile) {
    double tail = total * (100.0 - percentile) / 100.0;
    double acc = 0, a = h.lo, b = h.hi;
    for (size_t i = 0; i < h.counts.size(); ++i) {
      acc += h.counts[i];
      if (acc > tail) {
        a = h.lo + i * w;
        break;
      }
    }
    acc = 0;
    for (size_t i = h.counts.size(); i-- > 0;) {
      acc += h.counts[i];
      if (acc > tail) {
        b = h.lo + (i + 1) * w;
        break;
      }
    }
    // Keep exact zero lower bounds (ReLU outputs) and never widen.
    if (h.lo >= 0)
      a = h.lo;
    return {std::max(a, h.lo), std::min(b, h.hi)};
  }
  if (method == CalibrationMethod::Entropy) {
    // The distribution of |x| over [0, max |x|], same bin count.
    double m = std::max(std::abs(h.lo), std::abs(h.hi));
    if (!(m > 0))
      return {h.lo, h.hi};
    int64_t n = h.counts.size();
    std::vector<double> abs(n, 0.0);
    for (int64_t i = 0; i < n; ++i) {
      double x = std::abs(h.lo + (i + 0.5) * w);
      abs[std::min<int64_t>(int64_t(x / m * n), n - 1)] += h.counts[i];
    }
    bool nonNegative = h.lo >= 0;
    double t = entropyThreshold(abs, m / n, nonNegative ? 255 : 128);
    if (nonNegative)
      return {h.lo, std::min(h.hi, t)};
    return {std::max(h.lo, -t), std::min(h.hi, t)};
  }
  // MSE: shrink the observed range towards 0 by a common factor.
  double bestErr = quantError(h, std::min(h.lo, 0.0), std::max(h.hi, 0.0));
  std::pair<double, double> best = {h.lo, h.hi};
  for (int step = 1; step < 100; ++step) {
    double t = 1.0 - step * 0.008; // down to 0.2
    double a = std::min(h.lo, 0.0) * t, b = std::max(h.hi, 0.0) * t;
    // Non-negative data keep their lower bound: the range may not end
    // below it (the candidates only shrink from here).
    if (h.lo >= 0 && b < h.lo)
      break;
    double err = quantError(h, a, b);
    if (err < bestErr) {
      bestErr = err;
      best = {h.lo >= 0 ? h.lo : a, b};
    }
  }
  return best;
}
