// RUN: intq-opt %s --intq-lower-target-ops | FileCheck %s

// CHECK-LABEL: func.func @dot
// CHECK: %[[R:.+]] = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%arg0, %arg1, %arg2) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// CHECK: return %[[R]]
// CHECK-NOT: intq.x86.vpdpbusd
func.func @dot(%acc: vector<16xi32>, %a: vector<64xi8>, %b: vector<64xi8>) -> vector<16xi32> {
  %r = intq.x86.vpdpbusd %acc, %a, %b : vector<64xi8> -> vector<16xi32>
  return %r : vector<16xi32>
}
