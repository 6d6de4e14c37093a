// RUN: intq-opt %s -split-input-file --intq-expand-memref-copy | FileCheck %s

// A copy into the interior of a padded buffer (unit innermost stride on
// both sides): loops with one vector load/store per innermost row.
// CHECK-LABEL: func.func @into_padded
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for %[[L:.+]] = %{{.+}} to %{{.+}} step %c4
// CHECK: %[[V:.+]] = vector.load %arg0[%{{.+}}, %{{.+}}, %{{.+}}, %[[L]]] : memref<1x8x8x4xi8>, vector<4xi8>
// CHECK: vector.store %[[V]], %arg1[%{{.+}}, %{{.+}}, %{{.+}}, %[[L]]] : memref<1x8x8x4xi8, strided<[400, 40, 4, 1], offset: 44>>, vector<4xi8>
// CHECK-NOT: memref.copy
func.func @into_padded(%src: memref<1x8x8x4xi8>, %dst: memref<1x8x8x4xi8, strided<[400, 40, 4, 1], offset: 44>>) {
  memref.copy %src, %dst : memref<1x8x8x4xi8> to memref<1x8x8x4xi8, strided<[400, 40, 4, 1], offset: 44>>
  return
}

// -----

// A long innermost row goes 16 elements per step.
// CHECK-LABEL: func.func @long_rows
// CHECK: scf.for %{{.+}} = %{{.+}} to %c96 step %c16
// CHECK: vector.load %arg0[%{{.+}}, %{{.+}}] : memref<3x96xf32>, vector<16xf32>
func.func @long_rows(%src: memref<3x96xf32>, %dst: memref<3x96xf32, strided<[100, 1], offset: 2>>) {
  memref.copy %src, %dst : memref<3x96xf32> to memref<3x96xf32, strided<[100, 1], offset: 2>>
  return
}

// -----

// A non-unit innermost stride (or a dynamic shape) stays a scalar
// linalg.copy.
// CHECK-LABEL: func.func @strided
// CHECK: linalg.copy ins(%arg0 : memref<4x4xf32, strided<[1, 4]>>) outs(%arg1 : memref<4x4xf32>)
func.func @strided(%src: memref<4x4xf32, strided<[1, 4]>>, %dst: memref<4x4xf32>) {
  memref.copy %src, %dst : memref<4x4xf32, strided<[1, 4]>> to memref<4x4xf32>
  return
}
