//===- intq-opt.cpp - intq optimizer driver -------------------------------===//
//
// mlir-opt with the intq dialect, every intq pass and pipeline, and the
// upstream dialects and passes intq builds on.
//
//===----------------------------------------------------------------------===//

#include "intq/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  intq::registerAllIntQPasses();
  mlir::DialectRegistry registry;
  intq::registerAllIntQDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "intq optimizer driver\n", registry));
}
