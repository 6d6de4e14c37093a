// RUN: intq-opt %s -split-input-file -verify-diagnostics --intq-plan-workspace=caller-provided=1 | FileCheck %s
// A second run leaves the functions that already take a workspace alone:
// RUN: intq-opt %s -split-input-file -verify-diagnostics --intq-plan-workspace=caller-provided=1 --intq-plan-workspace=caller-provided=1 > %t
// RUN: FileCheck %s < %t
// RUN: FileCheck %s --check-prefix=TWICE < %t
// TWICE-NOT: _workspace_size_workspace_size
// TWICE-NOT: memref<0xi8>, %{{[^:]+}}: memref<0xi8>

// The caller's workspace: the public function takes it as a new last
// argument (after its inputs and outputs) and allocates nothing; the two
// buffers are views of it at the offsets the heap plan would use
// (plan-workspace.mlir, @chain); @chain_workspace_size returns its size.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%{{[^:]+}}: memref<16x64xi32>, %{{[^:]+}}: memref<1024xi32>, %[[WS:[^:]+]]: memref<8192xi8>)
// CHECK-NOT: memref.alloc
// CHECK: %[[OA:.+]] = arith.constant 0 : index
// CHECK: memref.view %[[WS]][%[[OA]]][] : memref<8192xi8> to memref<16x64xi32>
// CHECK: %[[OB:.+]] = arith.constant 4096 : index
// CHECK: memref.view %[[WS]][%[[OB]]][] : memref<8192xi8> to memref<16x64xi32>
// CHECK-NOT: memref.alloc
// CHECK: return
// CHECK: func.func @chain_workspace_size() -> i64 attributes {intq.workspace_size}
// CHECK-NEXT: %[[N:.+]] = arith.constant 8192 : i64
// CHECK-NEXT: return %[[N]] : i64
func.func @chain(%in: memref<16x64xi32>, %out: memref<1024xi32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<16x64xi32>
  memref.copy %in, %a : memref<16x64xi32> to memref<16x64xi32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<16x64xi32>
  memref.copy %a, %b : memref<16x64xi32> to memref<16x64xi32>
  %c = memref.alloc() {alignment = 64 : i64} : memref<1024xi32>
  %bf = memref.collapse_shape %b [[0, 1]] : memref<16x64xi32> into memref<1024xi32>
  memref.copy %bf, %c : memref<1024xi32> to memref<1024xi32>
  memref.copy %c, %out : memref<1024xi32> to memref<1024xi32>
  return
}

// -----

// One buffer is planned too (no allocation is left), and a function
// without buffers still takes a (zero-byte) workspace: every entry point
// has the same signature shape. Private functions keep their allocations.
// CHECK-LABEL: func.func @single
// CHECK-SAME: %[[WS:[^:]+]]: memref<64xi8>)
// CHECK-NOT: memref.alloc
// CHECK: memref.view %[[WS]]
// CHECK: func.func @single_workspace_size() -> i64
// CHECK-NEXT: arith.constant 64 : i64
// CHECK-LABEL: func.func @none
// CHECK-SAME: (%{{[^:]+}}: memref<64xi8>, %{{[^:]+}}: memref<64xi8>, %{{[^:]+}}: memref<0xi8>)
// CHECK: func.func @none_workspace_size() -> i64
// CHECK-NEXT: arith.constant 0 : i64
// CHECK-LABEL: func.func private @helper
// CHECK-SAME: (%{{[^,]+}}: memref<64xi8>)
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<128xi8>
// CHECK-NOT: helper_workspace_size
func.func @single(%in: memref<64xi8>, %out: memref<64xi8>) {
  %a = memref.alloc() : memref<64xi8>
  memref.copy %in, %a : memref<64xi8> to memref<64xi8>
  memref.copy %a, %out : memref<64xi8> to memref<64xi8>
  return
}
func.func @none(%in: memref<64xi8>, %out: memref<64xi8>) {
  memref.copy %in, %out : memref<64xi8> to memref<64xi8>
  return
}
func.func private @helper(%in: memref<64xi8>) {
  %a = memref.alloc() : memref<64xi8>
  memref.copy %in, %a : memref<64xi8> to memref<64xi8>
  %b = memref.alloc() : memref<64xi8>
  memref.copy %a, %b : memref<64xi8> to memref<64xi8>
  return
}

// -----

// A buffer that cannot live in the workspace stays on the heap, and says
// so.
// CHECK-LABEL: func.func @in_loop
// CHECK-SAME: memref<0xi8>
// CHECK: scf.for
// CHECK: memref.alloc() : memref<64xi8>
func.func @in_loop(%in: memref<64xi8>, %out: memref<64xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c1 step %c1 {
    // expected-warning @+1 {{this buffer stays a heap allocation (not in the caller-provided workspace): it is allocated inside a loop or region}}
    %l = memref.alloc() : memref<64xi8>
    memref.copy %in, %l : memref<64xi8> to memref<64xi8>
    memref.copy %l, %out : memref<64xi8> to memref<64xi8>
  }
  return
}

// -----

// An entry point called inside the module cannot take a workspace its
// callers do not pass.
// expected-error @+1 {{entry point @callee is called inside the module: a caller-provided workspace needs entry points that are only called from outside}}
func.func @callee(%in: memref<64xi8>) {
  return
}
func.func @caller(%in: memref<64xi8>) {
  call @callee(%in) : (memref<64xi8>) -> ()
  return
}

// -----

// The size function's name is taken.
// expected-error @+1 {{cannot add @f_workspace_size for the caller-provided workspace: the module already has a symbol of that name}}
func.func @f(%in: memref<64xi8>) {
  return
}
func.func private @f_workspace_size() -> i64
