//===- IntQDialect.cpp - intq dialect -------------------------------------===//

#include "intq/Dialect/IntQ/IntQ.h"

using namespace mlir;
using namespace intq;

#include "intq/Dialect/IntQ/IntQOpsDialect.cpp.inc"

void IntQDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "intq/Dialect/IntQ/IntQOps.cpp.inc"
      >();
}
