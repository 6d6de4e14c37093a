//===- InitAll.h - register everything intq ---------------------*- C++ -*-===//

#ifndef INTQ_INITALL_H
#define INTQ_INITALL_H

#include "mlir/IR/DialectRegistry.h"

namespace intq {

/// Registers the intq dialect and every upstream dialect (and external
/// interface model) intq's inputs and pipelines use.
void registerAllIntQDialects(mlir::DialectRegistry &registry);

/// Registers every intq pass and pipeline, and the upstream passes the
/// pipelines are built from.
void registerAllIntQPasses();

/// Registers intq's own passes and pipelines only, for a host that registers
/// the upstream passes itself (mlir-opt loading the intq plugin).
void registerIntQPassesAndPipelines();

} // namespace intq

#endif // INTQ_INITALL_H
