/*===- compile.c - the intq C API from a C program ------------------------===*\
|*                                                                            *|
|* Plain C against libIntQ-C.so: register the dialects, parse a float TOSA    *|
|* fully connected layer with range annotations, quantize it with             *|
|* intq-ptq-pipeline through the upstream C pass manager, compile it to an    *|
|* x86-64 object in memory and as files, and check the error paths. The      *|
|* object is then linked with a C harness and run (Inputs/main.c), and       *|
|* compared with intq-compile's.                                              *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

// RUN: intq-capi-test %t 2>&1 | FileCheck %s
// The object defines the entry point, the header declares it, and linked
// with a C harness it computes the layer (int8 inside) close to float.
// RUN: llvm-nm %t.o | FileCheck %s --check-prefix=SYMBOLS
// SYMBOLS: T fully_connected
// RUN: FileCheck %s --check-prefix=ASM < %t.s
// ASM: fully_connected:
// RUN: FileCheck %s --check-prefix=HEADER < %t.h
// HEADER: #define FULLY_CONNECTED_IN0_ELEMENTS 12
// HEADER: void fully_connected(const float *in0, float *out0);
// RUN: %cc-x86_64 -include %t.h %S/Inputs/main.c %t.o -o %t.exe -lm
// RUN: %t.exe | FileCheck %s --check-prefix=EXEC
// RUN: %cc-x86_64 -include %t.h %S/Inputs/main.c %t.file.o -o %t.file.exe -lm
// RUN: %t.file.exe | FileCheck %s --check-prefix=EXEC
// EXEC: max abs error {{[0-9.]+}}: ok
// The C API builds the same objects as intq-compile: the PTQ pipeline run
// through the C pass manager then compiled, or run inside the compilation.
// RUN: intq-compile %t.mlir --ptq -o %t.ref.o
// RUN: cmp %t.ref.o %t.o
// RUN: cmp %t.ref.o %t.file.o
// RUN: intq-compile %t.mlir --ptq --target=aarch64 --cpu=neoverse-v1 -o %t.ref-a64.o
// RUN: cmp %t.ref-a64.o %t.a64.o
// RUN: intq-compile %t.mlir --ptq --caller-workspace -o %t.ref-ws.o
// RUN: cmp %t.ref-ws.o %t.ws.o
// RUN: FileCheck %s --check-prefix=WSHEADER < %t.ws.h
// WSHEADER: int64_t fully_connected_workspace_size(void);
// WSHEADER: void fully_connected(const float *in0, float *out0, void *workspace);

#include "intq-c/Compile.h"
#include "intq-c/IntQ.h"

#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/RegisterEverything.h"
#include "mlir-c/Support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* test/Passes/assign-scales.mlir @fully_connected: y = x W + b. */
static const char *kModel =
    "func.func @fully_connected(%arg0: tensor<1x4x3xf32>) -> "
    "tensor<1x4x2xf32> {\n"
    "  %x = intq.stats %arg0 {min = -1.0 : f64, max = 3.0 : f64} : "
    "tensor<1x4x3xf32>\n"
    "  %w = \"tosa.const\"() {values = dense<[[[1.0, 0.5], [-3.0, 0.0], "
    "[2.0, 0.25]]]> : tensor<1x3x2xf32>} : () -> tensor<1x3x2xf32>\n"
    "  %b = \"tosa.const\"() {values = dense<[[[0.5, -0.5]]]> : "
    "tensor<1x1x2xf32>} : () -> tensor<1x1x2xf32>\n"
    "  %zp = \"tosa.const\"() {values = dense<0.0> : tensor<1xf32>} : () -> "
    "tensor<1xf32>\n"
    "  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x4x3xf32>, "
    "tensor<1x3x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x2xf32>\n"
    "  %a = tosa.add %y, %b : (tensor<1x4x2xf32>, tensor<1x1x2xf32>) -> "
    "tensor<1x4x2xf32>\n"
    "  %z = intq.stats %a {min = -10.0 : f64, max = 10.0 : f64} : "
    "tensor<1x4x2xf32>\n"
    "  return %z : tensor<1x4x2xf32>\n"
    "}\n";

/* An undefined value on line 2. */
static const char *kBadModel =
    "func.func @bad(%arg0: tensor<4xf32>) -> tensor<4xf32> {\n"
    "  return %nope : tensor<4xf32>\n"
    "}\n";

static const char *prefix;

/* prefix + suffix; the last four results stay valid. */
static const char *path(const char *suffix) {
  static char bufs[4][4096];
  static unsigned next;
  char *buf = bufs[next++ % 4];
  snprintf(buf, sizeof bufs[0], "%s%s", prefix, suffix);
  return buf;
}

static void writeFile(const char *name, const char *data, size_t length) {
  FILE *f = fopen(name, "wb");
  if (!f || fwrite(data, 1, length, f) != length || fclose(f) != 0) {
    fprintf(stderr, "cannot write %s\n", name);
    exit(1);
  }
}

static void printToStdout(MlirStringRef s, void *userData) {
  (void)userData;
  fwrite(s.data, 1, s.length, stdout);
}

/* Prints the result of a call that must fail, and its message. */
static void expectFailure(const char *what, MlirLogicalResult result,
                          IntQBuffer *error) {
  printf("%s: %s\n%s", what,
         mlirLogicalResultIsFailure(result) ? "failure" : "success",
         error->data ? error->data : "(no message)\n");
  intqBufferDestroy(error);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <output prefix>\n", argv[0]);
    return 2;
  }
  prefix = argv[1];
  /* stdout and stderr interleave in the order they are written. */
  setvbuf(stdout, NULL, _IONBF, 0);

  /* The dialect handle, and a context with everything intq needs. */
  MlirDialectHandle intq = mlirGetDialectHandle__intq__();
  MlirStringRef ns = mlirDialectHandleGetNamespace(intq);
  printf("dialect: %.*s\n", (int)ns.length, ns.data);
  // CHECK: dialect: intq

  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  intqRegisterAllDialects(registry);
  MlirContext ctx = mlirContextCreateWithRegistry(registry, false);
  mlirDialectRegistryDestroy(registry);
  MlirDialect loaded = mlirDialectHandleLoadDialect(intq, ctx);
  MlirStringRef loadedNs = mlirDialectGetNamespace(loaded);
  printf("loaded: %.*s\n", (int)loadedNs.length, loadedNs.data);
  // CHECK-NEXT: loaded: intq

  /* intq's passes, and the upstream ones again: harmless. */
  intqRegisterPasses();
  intqRegisterPasses();
  mlirRegisterAllPasses();

  MlirModule module =
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(kModel));
  if (mlirModuleIsNull(module)) {
    fprintf(stderr, "parse failed\n");
    return 1;
  }
  writeFile(path(".mlir"), kModel, strlen(kModel));

  /* The header, while the entry point still has its tensor signature. */
  IntQBuffer header = {NULL, 0}, error = {NULL, 0};
  if (mlirLogicalResultIsFailure(
          intqGenerateHeader(module, "FULLY_CONNECTED_H", &header, &error))) {
    fprintf(stderr, "header: %s", error.data);
    return 1;
  }
  writeFile(path(".h"), header.data, header.length);
  printf("header: %s\n",
         strstr(header.data, "void fully_connected(") ? "ok" : "wrong");
  // CHECK-NEXT: header: ok
  intqBufferDestroy(&header);

  /* An unknown pass: the upstream parser's message. */
  MlirPassManager pm = mlirPassManagerCreate(ctx);
  MlirOpPassManager opm = mlirPassManagerGetAsOpPassManager(pm);
  MlirLogicalResult parsed = mlirParsePassPipeline(
      opm, mlirStringRefCreateFromCString("builtin.module(intq-no-such-pass)"),
      printToStdout, NULL);
  printf("\nunknown pass: %s\n",
         mlirLogicalResultIsFailure(parsed) ? "failure" : "success");
  // CHECK-NEXT: 'intq-no-such-pass' does not refer to a registered pass or pass pipeline
  // CHECK: unknown pass: failure
  mlirPassManagerDestroy(pm);

  /* intq passes through the upstream C pass manager: a function pass on a
   * nested pass manager, then intq-ptq-pipeline. Float TOSA with ranges
   * becomes the quantized intq level. */
  pm = mlirPassManagerCreateOnOperation(
      ctx, mlirStringRefCreateFromCString("builtin.module"));
  opm = mlirPassManagerGetAsOpPassManager(pm);
  MlirOpPassManager funcPm = mlirPassManagerGetNestedUnder(
      pm, mlirStringRefCreateFromCString("func.func"));
  if (mlirLogicalResultIsFailure(mlirOpPassManagerAddPipeline(
          funcPm, mlirStringRefCreateFromCString("intq-fold-batchnorm"),
          printToStdout, NULL)) ||
      mlirLogicalResultIsFailure(mlirOpPassManagerAddPipeline(
          opm, mlirStringRefCreateFromCString("intq-ptq-pipeline"),
          printToStdout, NULL))) {
    fprintf(stderr, "cannot build the pipeline\n");
    return 1;
  }
  printf("pipeline: ");
  mlirPrintPassPipeline(opm, printToStdout, NULL);
  printf("\n");
  // CHECK: pipeline: builtin.module(func.func(intq-fold-batchnorm{{.*}}intq-assign-scales{{.*}}intq-quantize{{.*}}cse
  if (mlirLogicalResultIsFailure(
          mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module)))) {
    fprintf(stderr, "intq-ptq-pipeline failed\n");
    return 1;
  }
  mlirPassManagerDestroy(pm);
  mlirOperationDump(mlirModuleGetOperation(module));
  // CHECK-LABEL: func.func @fully_connected
  // CHECK: intq.qconst dense<{{\[\[}}42, -127, 85], [127, 0, 64]]> : tensor<2x3xi8>
  // CHECK: quant.qcast %arg0
  // CHECK: intq.matmul
  // CHECK: quant.dcast
  // CHECK-NOT: tosa.

  /* Bad options fail before the module is touched, with a message. */
  IntQCompileOptions options = intqCompileOptionsDefault();
  options.kernels = "sse9";
  expectFailure("bad kernels",
                intqCompileModule(module, &options, NULL, &error), &error);
  // CHECK: bad kernels: failure
  // CHECK-NEXT: error: unknown kernels 'sse9' (auto, none, generic, x86-avx2, x86-avx512vnni, x86-amx, aarch64-dotprod or aarch64-i8mm)
  options.kernels = "x86-avx512vnni";
  expectFailure("vnni on generic",
                intqCompileModule(module, &options, NULL, &error), &error);
  // CHECK-NEXT: vnni on generic: failure
  // CHECK-NEXT: error: kernels 'x86-avx512vnni' need an x86-64 CPU with AVX512-VNNI and AVX512BW; cpu 'generic' has not
  options = intqCompileOptionsDefault();
  options.target = "riscv64";
  expectFailure("bad target", intqCompileModule(module, &options, NULL, &error),
                &error);
  // CHECK-NEXT: bad target: failure
  // CHECK-NEXT: error: unsupported target 'riscv64' (supported: x86_64, aarch64)
  expectFailure("null module",
                intqCompileModule(mlirModuleCreateParse(
                                      ctx, mlirStringRefCreateFromCString("}")),
                                  NULL, NULL, &error),
                &error);
  // CHECK: null module: failure
  // CHECK-NEXT: error: intqCompileModule: null module
  /* Without an error buffer, the context's handler prints the message. */
  options = intqCompileOptionsDefault();
  options.kernels = "sse9";
  printf("no error buffer: %s\n", mlirLogicalResultIsFailure(intqCompileModule(
                                      module, &options, NULL, NULL))
                                      ? "failure"
                                      : "success");
  // CHECK: error: unknown kernels 'sse9'
  // CHECK-NEXT: no error buffer: failure

  /* The object in memory, then as a file: the ELF magic, 64-bit. */
  options = intqCompileOptionsDefault();
  IntQBuffer object = {NULL, 0};
  if (mlirLogicalResultIsFailure(
          intqCompileModule(module, &options, &object, &error))) {
    fprintf(stderr, "compile failed:\n%s", error.data);
    return 1;
  }
  int elf = object.length > 16 && memcmp(object.data, "\177ELF", 4) == 0 &&
            object.data[4] == 2 /* ELFCLASS64 */;
  printf("object: %s\n", elf ? "ELF64" : "not ELF");
  // CHECK: object: ELF64
  writeFile(path(".o"), object.data, object.length);
  intqBufferDestroy(&object);
  intqBufferDestroy(&object); /* emptied: a second destroy is fine */
  mlirModuleDestroy(module);

  /* File in, file out, from the text written above, with PTQ in the
   * compilation; and for AArch64. */
  options = intqCompileOptionsDefault();
  options.ptq = true;
  MlirLogicalResult fromFile =
      intqCompileFile(path(".mlir"), path(".file.o"), &options, &error);
  printf("file: %s\n",
         mlirLogicalResultIsSuccess(fromFile) ? "success" : error.data);
  // CHECK-NEXT: file: success
  options.target = "aarch64";
  options.cpu = "neoverse-v1";
  fromFile = intqCompileFile(path(".mlir"), path(".a64.o"), &options, &error);
  printf("aarch64 file: %s\n",
         mlirLogicalResultIsSuccess(fromFile) ? "success" : error.data);
  // CHECK-NEXT: aarch64 file: success

  /* The caller-provided workspace: the object (compared with
   * intq-compile --caller-workspace's by the RUN lines) and its header. */
  options = intqCompileOptionsDefault();
  options.ptq = true;
  options.callerWorkspace = true;
  fromFile = intqCompileFile(path(".mlir"), path(".ws.o"), &options, &error);
  printf("workspace file: %s\n",
         mlirLogicalResultIsSuccess(fromFile) ? "success" : error.data);
  // CHECK-NEXT: workspace file: success
  module = mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(kModel));
  if (mlirLogicalResultIsFailure(intqGenerateHeaderForOptions(
          module, "FULLY_CONNECTED_WS_H", &options, &header, &error))) {
    fprintf(stderr, "workspace header: %s", error.data);
    return 1;
  }
  writeFile(path(".ws.h"), header.data, header.length);
  intqBufferDestroy(&header);
  mlirModuleDestroy(module);

  /* Assembly, for the RUN lines. */
  options = intqCompileOptionsDefault();
  options.emit = IntQEmitAssembly;
  fromFile = intqCompileFile(path(".mlir"), path(".s"), &options, &error);
  printf("assembly file: %s\n",
         mlirLogicalResultIsSuccess(fromFile) ? "success" : error.data);
  // CHECK-NEXT: assembly file: success
  options.emit = 42;
  expectFailure(
      "bad emit kind",
      intqCompileFile(path(".mlir"), path(".bad.o"), &options, &error), &error);
  // CHECK-NEXT: bad emit kind: failure
  // CHECK-NEXT: error: unknown emit kind 42

  /* Bad IR: the parser's error with its location. */
  writeFile(path(".bad.mlir"), kBadModel, strlen(kBadModel));
  options = intqCompileOptionsDefault();
  expectFailure(
      "bad IR",
      intqCompileFile(path(".bad.mlir"), path(".bad.o"), &options, &error),
      &error);
  // CHECK-NEXT: bad IR: failure
  // CHECK-NEXT: .bad.mlir:2:10: error: use of undeclared SSA value name
  expectFailure(
      "missing input",
      intqCompileFile(path(".missing.mlir"), path(".bad.o"), &options, &error),
      &error);
  // CHECK-NEXT: missing input: failure
  // CHECK-NEXT: error: cannot open input file '{{.*}}.missing.mlir': No such file or directory

  /* A module that fails to compile: a scalar result stays a return value,
   * which the C ABI of intq's objects does not allow. The error and its
   * note, located in the source. */
  module =
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(
                                     "func.func @scalar(%x: f32) -> f32 {\n"
                                     "  return %x : f32\n}\n"));
  expectFailure("scalar result",
                intqCompileModule(module, NULL, &object, &error), &error);
  // CHECK: scalar result: failure
  // CHECK-NEXT: -:1:1: error: entry point @scalar still returns a value after lowering; results must become output parameters
  // CHECK-NEXT: -:1:1: note: see current operation:
  printf("output: %s\n", object.data ? "set" : "empty");
  // CHECK: output: empty
  mlirModuleDestroy(module);

  mlirContextDestroy(ctx);
  printf("done\n");
  // CHECK: done
  return 0;
}
