//===- Runner.h - run a float model over samples and record ranges -*- C++ -*-===//
//
// The driver shared by the `intq-calibrate` tool and the `--intq-calibrate`
// pass: compile the float model with its observation points as extra
// results (buildProbeModule), run it over calibration samples, and annotate
// the model with the ranges a calibration method derives (two streamed
// passes for the histogram methods: memory does not grow with the number of
// samples).
//
// The probe is compiled in a private MLIRContext (through bytecode), so the
// caller's context is never mutated by the JIT pipeline: calling this from
// inside a pass is safe.
//
//===----------------------------------------------------------------------===//

#ifndef INTQ_CALIBRATION_RUNNER_H
#define INTQ_CALIBRATION_RUNNER_H

#include "intq/Calibration/Calibration.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <optional>
#include <string>

namespace intq {

struct CalibrationConfig {
  /// Exactly one source: a Fashion-MNIST directory (training images scaled
  /// to [0, 1]) or a raw float32 file of whole model inputs.
  std::string fashionMnist, rawInput;
  CalibrationMethod method = CalibrationMethod::Max;
  double percentile = 99.99; // for CalibrationMethod::Percentile
  int64_t images = 512;      // at most this many samples (whole batches)
  bool progress = false;     // sample counts on stderr
};

/// Parses max | percentile | mse | entropy.
std::optional<CalibrationMethod> parseCalibrationMethod(llvm::StringRef name);

/// Runs the float function `entry` (one static f32 input) over the samples
/// of `config` and inserts intq.stats with the observed ranges (and channel
/// means) at every calibration point (selectCalibrationPoints). Problems
/// (bad source, no samples, a model that cannot be compiled) are emitted as
/// errors at `entry`'s location; NaN / inf observations as warnings at the
/// tensor's location.
mlir::LogicalResult calibrateFunction(mlir::func::FuncOp entry,
                                      const CalibrationConfig &config);

/// Registers the `intq-calibrate` pass (declared in
/// intq/Calibration/Passes.td; it lives apart from the other passes because
/// it needs the JIT, which is built on them).
void registerCalibrationPasses();

} // namespace intq

#endif // INTQ_CALIBRATION_RUNNER_H
