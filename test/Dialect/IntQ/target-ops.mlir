// The target micro-ops of the --intq-codegen kernels (lowered to LLVM
// intrinsics by --intq-lower-target-ops).
// RUN: intq-opt %s -split-input-file | FileCheck %s
// Round trip: print, parse again, print the same.
// RUN: intq-opt %s -split-input-file | intq-opt -split-input-file | FileCheck %s
// Generic form round trip.
// RUN: intq-opt %s -split-input-file -mlir-print-op-generic | intq-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @x86_dots
// CHECK: intq.x86.vpdpbusd %{{.+}}, %{{.+}}, %{{.+}} : vector<64xi8> -> vector<16xi32>
// CHECK: intq.x86.vpdpwssd %{{.+}}, %{{.+}}, %{{.+}} : vector<32xi16> -> vector<16xi32>
func.func @x86_dots(%acc: vector<16xi32>, %a: vector<64xi8>, %b: vector<64xi8>,
                    %c: vector<32xi16>, %d: vector<32xi16>) -> vector<16xi32> {
  %r = intq.x86.vpdpbusd %acc, %a, %b : vector<64xi8> -> vector<16xi32>
  %s = intq.x86.vpdpwssd %r, %c, %d : vector<32xi16> -> vector<16xi32>
  return %s : vector<16xi32>
}

// -----

// CHECK-LABEL: func.func @x86_maddwd
// CHECK: intq.x86.vpmaddwd %{{.+}}, %{{.+}} : vector<32xi16> -> vector<16xi32>
func.func @x86_maddwd(%a: vector<32xi16>, %b: vector<32xi16>) -> vector<16xi32> {
  %r = intq.x86.vpmaddwd %a, %b : vector<32xi16> -> vector<16xi32>
  return %r : vector<16xi32>
}

// -----

// CHECK-LABEL: func.func @x86_maddubsw
// CHECK: intq.x86.vpmaddubsw %{{.+}}, %{{.+}} : vector<64xi8> -> vector<32xi16>
func.func @x86_maddubsw(%a: vector<64xi8>, %b: vector<64xi8>) -> vector<32xi16> {
  %r = intq.x86.vpmaddubsw %a, %b : vector<64xi8> -> vector<32xi16>
  return %r : vector<32xi16>
}

// -----

// CHECK-LABEL: func.func @x86_pack_bytes
// CHECK: intq.x86.pack_bytes %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}} : vector<16xi32> -> vector<64xi8>
// CHECK: intq.x86.pack_bytes %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}} {isUnsigned} : vector<16xi32> -> vector<64xi8>
func.func @x86_pack_bytes(%a: vector<16xi32>, %b: vector<16xi32>, %c: vector<16xi32>, %d: vector<16xi32>) -> (vector<64xi8>, vector<64xi8>) {
  %s = intq.x86.pack_bytes %a, %b, %c, %d : vector<16xi32> -> vector<64xi8>
  %u = intq.x86.pack_bytes %a, %b, %c, %d {isUnsigned} : vector<16xi32> -> vector<64xi8>
  return %s, %u : vector<64xi8>, vector<64xi8>
}

// -----

// CHECK-LABEL: func.func @aarch64_dots
// CHECK: intq.aarch64.sdot %{{.+}}, %{{.+}}, %{{.+}} : vector<64xi8> -> vector<16xi32>
// CHECK: intq.aarch64.smmla %{{.+}}, %{{.+}}, %{{.+}} : vector<16xi8> -> vector<4xi32>
func.func @aarch64_dots(%acc: vector<16xi32>, %a: vector<64xi8>, %b: vector<64xi8>,
                        %t: vector<4xi32>, %c: vector<16xi8>, %d: vector<16xi8>)
    -> (vector<16xi32>, vector<4xi32>) {
  %r = intq.aarch64.sdot %acc, %a, %b : vector<64xi8> -> vector<16xi32>
  %s = intq.aarch64.smmla %t, %c, %d : vector<16xi8> -> vector<4xi32>
  return %r, %s : vector<16xi32>, vector<4xi32>
}

// -----

// The AArch64 output stage: sqrdmulh, then srshl by minus the right shift.
// CHECK-LABEL: func.func @aarch64_requantize
// CHECK: %[[H:.+]] = intq.aarch64.sqrdmulh %arg0, %arg1 : vector<16xi32>
// CHECK: intq.aarch64.srshl %[[H]], %arg2 : vector<16xi32>
// CHECK: intq.aarch64.sqrdmulh %{{.+}}, %{{.+}} : vector<4xi32>
// CHECK: intq.aarch64.srshl %{{.+}}, %{{.+}} : vector<8xi32>
// CHECK: intq.aarch64.sqdmulh %{{.+}}, %{{.+}} : vector<16xi32>
func.func @aarch64_requantize(%x: vector<16xi32>, %m: vector<16xi32>, %s: vector<16xi32>,
                              %x4: vector<4xi32>, %x8: vector<8xi32>)
    -> (vector<16xi32>, vector<4xi32>, vector<8xi32>) {
  %h = intq.aarch64.sqrdmulh %x, %m : vector<16xi32>
  %r = intq.aarch64.srshl %h, %s : vector<16xi32>
  %h4 = intq.aarch64.sqrdmulh %x4, %x4 : vector<4xi32>
  %r8 = intq.aarch64.srshl %x8, %x8 : vector<8xi32>
  %d = intq.aarch64.sqdmulh %x, %m : vector<16xi32>
  return %d, %h4, %r8 : vector<16xi32>, vector<4xi32>, vector<8xi32>
}
