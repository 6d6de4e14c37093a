// RUN: not intq-compile %s --target=riscv64 -o %t.o 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not intq-compile %s --header=%t.h -o %t.o 2>&1 | FileCheck %s --check-prefix=DYN
// RUN: not intq-compile %t.does-not-exist.mlir -o %t.o 2>&1 | FileCheck %s --check-prefix=FILE
// RUN: echo "func.func @f(" > %t.bad.mlir
// RUN: not intq-compile %t.bad.mlir -o %t.o 2>&1 | FileCheck %s --check-prefix=PARSE

// TARGET: intq-compile: unsupported target 'riscv64' (supported: x86_64, aarch64)
// DYN: error: 'func.func' op entry point in 0 must be a statically shaped tensor, got 'tensor<?x4xf32>'
// FILE: intq-compile: cannot open input file
// PARSE: bad.mlir:1:14: error: expected non-function type

func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %x : tensor<?x4xf32>
}
