//===- InitAll.cpp - register everything intq -----------------------------===//

#include "intq/InitAll.h"

#include "intq/Calibration/Runner.h"
#include "intq/Dialect/IntQ/IntQ.h"
#include "intq/Passes/Passes.h"
#include "intq/Passes/Pipelines.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

void intq::registerAllIntQDialects(mlir::DialectRegistry &registry) {
  registry.insert<intq::IntQDialect>();
  // intq consumes TOSA/linalg/arith/tensor and lowers through bufferization,
  // scf, memref and LLVM; registering the full upstream set (with its
  // interface models) keeps intq-opt usable like mlir-opt on any input.
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  intq::registerTosaRangeModels(registry);
}

void intq::registerAllIntQPasses() {
  mlir::registerAllPasses();
  intq::registerIntQPassesAndPipelines();
}

void intq::registerIntQPassesAndPipelines() {
  intq::registerIntQPasses();
  intq::registerIntQPipelines();
  intq::registerCalibrationPasses();
}
