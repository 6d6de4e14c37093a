// RUN: intq-opt %s -split-input-file --intq-plan-workspace | FileCheck %s

// Three buffers in a chain: %a dies at the copy into %b, so %c (allocated
// after that copy) reuses %a's bytes; %b (live across both, also through
// its collapsed view) gets its own: one 64-byte-aligned allocation of
// 2 x 4096 bytes instead of three.
// CHECK-LABEL: func.func @chain
// CHECK: %[[WS:.+]] = memref.alloc() {alignment = 64 : i64} : memref<8192xi8>
// CHECK-NOT: memref.alloc
// CHECK: %[[OA:.+]] = arith.constant 0 : index
// CHECK: %[[A:.+]] = memref.view %[[WS]][%[[OA]]][] : memref<8192xi8> to memref<16x64xi32>
// CHECK: %[[OB:.+]] = arith.constant 4096 : index
// CHECK: %[[B:.+]] = memref.view %[[WS]][%[[OB]]][] : memref<8192xi8> to memref<16x64xi32>
// CHECK: memref.copy %[[A]], %[[B]]
// CHECK: %[[OC:.+]] = arith.constant 0 : index
// CHECK: %[[C:.+]] = memref.view %[[WS]][%[[OC]]][] : memref<8192xi8> to memref<1024xi32>
// CHECK: memref.copy %{{.+}}, %[[C]]
// CHECK: memref.copy %[[C]], %arg1
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

// A view keeps its buffer alive: %b is used through %av after %b's
// allocation, so the two cannot share bytes. A loop is one operation: %a,
// used inside it, lives until the loop ends. Offsets are 64-byte aligned
// (%a is 100 bytes).
// CHECK-LABEL: func.func @views_and_loops
// CHECK: %[[WS:.+]] = memref.alloc() {alignment = 64 : i64} : memref<228xi8>
// CHECK: arith.constant 0 : index
// CHECK: memref.view %[[WS]]
// CHECK-SAME: to memref<100xi8>
// CHECK: arith.constant 128 : index
// CHECK: memref.view %[[WS]]
// CHECK-SAME: to memref<100xi8>
// CHECK: scf.for
func.func @views_and_loops(%in: memref<100xi8>, %out: memref<100xi8>) {
  %a = memref.alloc() : memref<100xi8>
  memref.copy %in, %a : memref<100xi8> to memref<100xi8>
  %av = memref.subview %a[0] [50] [1] : memref<100xi8> to memref<50xi8, strided<[1]>>
  %b = memref.alloc() : memref<100xi8>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c50 = arith.constant 50 : index
  scf.for %i = %c0 to %c50 step %c1 {
    %v = memref.load %av[%i] : memref<50xi8, strided<[1]>>
    memref.store %v, %b[%i] : memref<100xi8>
  }
  memref.copy %b, %out : memref<100xi8> to memref<100xi8>
  return
}

// -----

// Left alone: a single buffer (nothing to share), buffers allocated inside
// a loop, dynamic shapes, and buffers already freed.
// CHECK-LABEL: func.func @single
// CHECK: memref.alloc() : memref<64xi8>
// CHECK-NOT: memref.view
func.func @single(%in: memref<64xi8>, %out: memref<64xi8>) {
  %a = memref.alloc() : memref<64xi8>
  memref.copy %in, %a : memref<64xi8> to memref<64xi8>
  memref.copy %a, %out : memref<64xi8> to memref<64xi8>
  return
}

// CHECK-LABEL: func.func @unplannable
// CHECK: memref.alloc(%{{.+}}) : memref<?xi8>
// CHECK: memref.alloc() : memref<64xi8>
// CHECK: scf.for
// CHECK: memref.alloc() : memref<64xi8>
// CHECK-NOT: memref.view
func.func @unplannable(%n: index, %in: memref<64xi8>, %out: memref<64xi8>) {
  %d = memref.alloc(%n) : memref<?xi8>
  %f = memref.alloc() : memref<64xi8>
  memref.copy %in, %f : memref<64xi8> to memref<64xi8>
  memref.dealloc %f : memref<64xi8>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c1 step %c1 {
    %l = memref.alloc() : memref<64xi8>
    memref.copy %in, %l : memref<64xi8> to memref<64xi8>
    memref.copy %l, %out : memref<64xi8> to memref<64xi8>
  }
  return
}
