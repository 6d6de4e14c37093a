//===- Calibration.h - where ranges are observed, and recording them ------===//
//
// Calibration runs the float model over sample inputs and records the range
// of the tensors that scale assignment needs. This file holds the parts that
// are independent of how the model is run: choosing the observation points,
// and writing the observed ranges into the IR as intq.stats ops.
//
//===----------------------------------------------------------------------===//

#ifndef INTQ_CALIBRATION_CALIBRATION_H
#define INTQ_CALIBRATION_CALIBRATION_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace intq {

/// Values of `func` whose range quantization needs: the arguments, the end
/// of each compute chain that --intq-quantize fuses (conv / depthwise conv /
/// matmul, then optionally a bias add, a reshape and a clamp), and the
/// results of every other float tensor op. Values already annotated with
/// intq.stats are skipped. Deterministic order.
llvm::SmallVector<mlir::Value> selectCalibrationPoints(mlir::func::FuncOp func);

/// A streaming min/max observer (the "max" calibration method).
struct RangeObserver {
  double min = 0, max = 0;
  int64_t samples = 0;
  int64_t nonFinite = 0; // NaN / inf values seen (and ignored)
  bool seenFinite = false;
  /// Per-channel sums and counts of the finite values, channels being the
  /// innermost dimension (`channels` values apart); empty when not asked.
  std::vector<double> channelSum;
  std::vector<int64_t> channelCount;
  void trackChannels(int64_t channels) {
    channelSum.assign(channels, 0.0);
    channelCount.assign(channels, 0);
  }
  void observe(const float *data, int64_t n);
  /// The per-channel means (empty when channels were not tracked or a
  /// channel saw no finite value).
  std::vector<double> channelMeans() const;
};

/// A fixed-range histogram (second calibration pass, over the [min, max]
/// the first pass observed): memory does not grow with the number of
/// samples.
struct Histogram {
  double lo = 0, hi = 0;
  std::vector<double> counts;
  void reset(double min, double max, int bins = 2048);
  void observe(const float *data, int64_t n);
  double binWidth() const { return (hi - lo) / counts.size(); }
};

enum class CalibrationMethod { Max, Percentile, Mse, Entropy };

/// The range a method derives from a histogram: Percentile keeps the
/// central `percentile` % of the mass on each side (e.g. 99.99), Mse picks
/// the clipping range that minimises the expected squared quantization error
/// of an 8-bit asymmetric quantizer over the histogram, Entropy the clipping
/// threshold T of |x| whose 8-bit quantized distribution is closest to the
/// observed one in KL divergence (TensorRT's method: outliers folded into
/// the last bin, smoothed, 255 levels over [0, T] for non-negative tensors,
/// 128 per side for signed ones).
std::pair<double, double> chooseRange(const Histogram &h,
                                      CalibrationMethod method,
                                      double percentile);

/// A new module holding a copy of `entry` that also returns the values
/// `points` of `entry`, in that order, after its own results: the model
/// that calibration and the per-layer report run to observe them.
mlir::OwningOpRef<mlir::ModuleOp>
buildProbeModule(mlir::func::FuncOp entry, llvm::ArrayRef<mlir::Value> points);

/// Inserts `intq.stats` for every point with its observed range.
void annotateRanges(llvm::ArrayRef<mlir::Value> points,
                    llvm::ArrayRef<RangeObserver> ranges);

} // namespace intq

#endif // INTQ_CALIBRATION_CALIBRATION_H
