/*===- consumer-c.c - intq from C, in another project ---------------------===*\
|*                                                                            *|
|* Built against the installed package (IntQ::IntQ-C, libIntQ-C.so, which     *|
|* carries the upstream MLIR C API too): registers what intq needs, parses a  *|
|* file, runs an intq pass and an upstream one (or the pipeline given)        *|
|* through the upstream C pass manager, prints the result.                    *|
|*                                                                            *|
|*   consumer-c model.mlir [pipeline]                                         *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "intq-c/IntQ.h"

#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/Support.h"

#include <stdio.h>

static void printToStdout(MlirStringRef s, void *userData) {
  (void)userData;
  fwrite(s.data, 1, s.length, stdout);
}

static void printToStderr(MlirStringRef s, void *userData) {
  (void)userData;
  fwrite(s.data, 1, s.length, stderr);
}

/* Runs `pipeline` on `module` and prints it; 0 on success. */
static int run(MlirContext context, MlirModule module, const char *pipeline) {
  int status = 1;
  MlirPassManager pm = mlirPassManagerCreate(context);
  if (mlirLogicalResultIsFailure(mlirParsePassPipeline(
          mlirPassManagerGetAsOpPassManager(pm),
          mlirStringRefCreateFromCString(pipeline), printToStderr, NULL))) {
    fprintf(stderr, "\n");
  } else if (mlirLogicalResultIsSuccess(
                 mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module)))) {
    mlirOperationPrint(mlirModuleGetOperation(module), printToStdout, NULL);
    printf("\n");
    status = 0;
  }
  mlirPassManagerDestroy(pm);
  return status;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: %s <input .mlir> [pass pipeline]\n", argv[0]);
    return 2;
  }
  const char *pipeline =
      argc == 3 ? argv[2]
                : "builtin.module(func.func(intq-fold-batchnorm),canonicalize)";

  /* Everything intq-opt registers, and intq's passes and pipelines. */
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  intqRegisterAllDialects(registry);
  MlirContext context = mlirContextCreateWithRegistry(registry, false);
  mlirDialectRegistryDestroy(registry);
  intqRegisterPasses();

  int status = 1;
  MlirModule module = mlirModuleCreateParseFromFile(
      context, mlirStringRefCreateFromCString(argv[1]));
  if (!mlirModuleIsNull(module)) { /* else the parser said why on stderr */
    status = run(context, module, pipeline);
    mlirModuleDestroy(module);
  }
  mlirContextDestroy(context);
  return status;
}
