//===- IntQDialect.cpp - intq dialect -------------------------------------===//

#include "intq/Dialect/IntQ/IntQ.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace intq;

#include "intq/Dialect/IntQ/IntQOpsDialect.cpp.inc"
#include "intq/Dialect/IntQ/IntQOpsEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "intq/Dialect/IntQ/IntQOpsAttrs.cpp.inc"

void IntQDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "intq/Dialect/IntQ/IntQOpsAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "intq/Dialect/IntQ/IntQOps.cpp.inc"
      >();
}
