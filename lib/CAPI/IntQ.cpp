//===- IntQ.cpp - C API: the intq dialect and passes ----------------------===//

#include "intq-c/IntQ.h"

#include "intq/Dialect/IntQ/IntQ.h"
#include "intq/InitAll.h"
#include "intq/Target/Compile.h"

#include "mlir/CAPI/Registration.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(IntQ, intq, intq::IntQDialect)

void intqRegisterAllDialects(MlirDialectRegistry registry) {
  mlir::DialectRegistry &r = *unwrap(registry);
  intq::registerAllIntQDialects(r);
  // The builtin and LLVM dialect translations (and LLVM's targets), so that
  // a context made from this registry can be compiled.
  intq::initializeCompiler(r);
}

void intqRegisterPasses(void) {
  // Once: a pipeline registered twice is an error in an MLIR built with
  // assertions. The upstream passes too: intq-codegen-pipeline parses
  // upstream pass names (tosa-to-linalg, ...) when it is built.
  static const bool registered = [] {
    intq::registerAllIntQPasses();
    return true;
  }();
  (void)registered;
}
