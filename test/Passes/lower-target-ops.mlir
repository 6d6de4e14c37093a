// RUN: intq-opt %s --intq-lower-target-ops | FileCheck %s
// RUN: intq-opt %s --intq-lower-target-ops=emulate-vnni | FileCheck %s --check-prefix=EMU

// CHECK-LABEL: func.func @dot
// emulate-vnni: u8 x s8 products in i32, the four of each lane gathered
// by stride-4 shuffles and added to the accumulator.
// EMU-LABEL: func.func @dot
// EMU-NOT: llvm.call_intrinsic
// EMU-DAG: %[[A:.+]] = arith.extui %arg1 : vector<64xi8> to vector<64xi32>
// EMU-DAG: %[[B:.+]] = arith.extsi %arg2 : vector<64xi8> to vector<64xi32>
// EMU: %[[P:.+]] = arith.muli %[[A]], %[[B]] : vector<64xi32>
// EMU: %[[P0:.+]] = vector.shuffle %[[P]], %[[P]] [0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60]
// EMU: %[[S0:.+]] = arith.addi %arg0, %[[P0]] : vector<16xi32>
// EMU: %[[P1:.+]] = vector.shuffle %[[P]], %[[P]] [1, 5, 9, 13, 17, 21, 25, 29, 33, 37, 41, 45, 49, 53, 57, 61]
// EMU: %[[S1:.+]] = arith.addi %[[S0]], %[[P1]] : vector<16xi32>
// EMU: %[[P2:.+]] = vector.shuffle %[[P]], %[[P]] [2, 6, 10, 14, 18, 22, 26, 30, 34, 38, 42, 46, 50, 54, 58, 62]
// EMU: %[[S2:.+]] = arith.addi %[[S1]], %[[P2]] : vector<16xi32>
// EMU: %[[P3:.+]] = vector.shuffle %[[P]], %[[P]] [3, 7, 11, 15, 19, 23, 27, 31, 35, 39, 43, 47, 51, 55, 59, 63]
// EMU: %[[S3:.+]] = arith.addi %[[S2]], %[[P3]] : vector<16xi32>
// EMU: return %[[S3]]
// CHECK: %[[R:.+]] = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%arg0, %arg1, %arg2) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// CHECK: return %[[R]]
// CHECK-NOT: intq.x86.vpdpbusd
func.func @dot(%acc: vector<16xi32>, %a: vector<64xi8>, %b: vector<64xi8>) -> vector<16xi32> {
  %r = intq.x86.vpdpbusd %acc, %a, %b : vector<64xi8> -> vector<16xi32>
  return %r : vector<16xi32>
}

// sdot on the four 128-bit quarters.
// CHECK-LABEL: func.func @sdot
// CHECK-COUNT-4: llvm.call_intrinsic "llvm.aarch64.neon.sdot.v4i32.v16i8"(%{{.+}}, %{{.+}}, %{{.+}}) : (vector<4xi32>, vector<16xi8>, vector<16xi8>) -> vector<4xi32>
// CHECK-NOT: intq.aarch64.sdot
func.func @sdot(%acc: vector<16xi32>, %a: vector<64xi8>, %b: vector<64xi8>) -> vector<16xi32> {
  %r = intq.aarch64.sdot %acc, %a, %b : vector<64xi8> -> vector<16xi32>
  return %r : vector<16xi32>
}

// CHECK-LABEL: func.func @dot_words
// EMU-LABEL: func.func @dot_words
// EMU-NOT: llvm.call_intrinsic
// EMU-DAG: %[[A:.+]] = arith.extsi %arg1 : vector<32xi16> to vector<32xi32>
// EMU-DAG: %[[B:.+]] = arith.extsi %arg2 : vector<32xi16> to vector<32xi32>
// EMU: %[[P:.+]] = arith.muli %[[A]], %[[B]] : vector<32xi32>
// EMU: %[[P0:.+]] = vector.shuffle %[[P]], %[[P]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// EMU: %[[S0:.+]] = arith.addi %arg0, %[[P0]] : vector<16xi32>
// EMU: %[[P1:.+]] = vector.shuffle %[[P]], %[[P]] [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]
// EMU: %[[S1:.+]] = arith.addi %[[S0]], %[[P1]] : vector<16xi32>
// EMU: return %[[S1]]
// CHECK: %[[R:.+]] = llvm.call_intrinsic "llvm.x86.avx512.vpdpwssd.512"(%arg0, %arg1, %arg2) : (vector<16xi32>, vector<32xi16>, vector<32xi16>) -> vector<16xi32>
// CHECK: return %[[R]]
// CHECK-NOT: intq.x86.vpdpwssd
func.func @dot_words(%acc: vector<16xi32>, %a: vector<32xi16>, %b: vector<32xi16>) -> vector<16xi32> {
  %r = intq.x86.vpdpwssd %acc, %a, %b : vector<32xi16> -> vector<16xi32>
  return %r : vector<16xi32>
}

// The byte pack: two vpackssdw, one vpacksswb (vpackuswb when unsigned),
// then the dwords gathered back into operand order (dword 4l + j of the
// packs holds operand j's lanes [4l, 4l + 4)). emulate-vnni: each operand
// clamped to the byte range, truncated, concatenated.
// CHECK-LABEL: func.func @pack_bytes
// CHECK: %[[AB:.+]] = llvm.call_intrinsic "llvm.x86.avx512.packssdw.512"(%arg0, %arg1) : (vector<16xi32>, vector<16xi32>) -> vector<32xi16>
// CHECK: %[[CD:.+]] = llvm.call_intrinsic "llvm.x86.avx512.packssdw.512"(%arg2, %arg3) : (vector<16xi32>, vector<16xi32>) -> vector<32xi16>
// CHECK: %[[P:.+]] = llvm.call_intrinsic "llvm.x86.avx512.packsswb.512"(%[[AB]], %[[CD]]) : (vector<32xi16>, vector<32xi16>) -> vector<64xi8>
// CHECK: %[[D:.+]] = vector.bitcast %[[P]] : vector<64xi8> to vector<16xi32>
// CHECK: %[[S:.+]] = vector.shuffle %[[D]], %[[D]] [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15] : vector<16xi32>, vector<16xi32>
// CHECK: %[[R:.+]] = vector.bitcast %[[S]] : vector<16xi32> to vector<64xi8>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.packuswb.512"
// CHECK-NOT: intq.x86.pack_bytes
// EMU-LABEL: func.func @pack_bytes
// EMU-NOT: llvm.call_intrinsic
// EMU-DAG: %[[LO:.+]] = arith.constant dense<-128> : vector<16xi32>
// EMU-DAG: %[[HI:.+]] = arith.constant dense<127> : vector<16xi32>
// EMU: %[[M0:.+]] = arith.maxsi %arg0, %[[LO]] : vector<16xi32>
// EMU: %[[C0:.+]] = arith.minsi %[[M0]], %[[HI]] : vector<16xi32>
// EMU: %[[T0:.+]] = arith.trunci %[[C0]] : vector<16xi32> to vector<16xi8>
// EMU-COUNT-3: arith.trunci %{{.+}} : vector<16xi32> to vector<16xi8>
// EMU: vector.shuffle %[[T0]], %{{.+}} [0, 1, {{.+}}, 31] : vector<16xi8>, vector<16xi8>
// EMU: vector.shuffle %{{.+}}, %{{.+}} [0, 1, {{.+}}, 31] : vector<16xi8>, vector<16xi8>
// EMU: vector.shuffle %{{.+}}, %{{.+}} [0, 1, {{.+}}, 63] : vector<32xi8>, vector<32xi8>
// EMU-DAG: arith.constant dense<0> : vector<16xi32>
// EMU-DAG: arith.constant dense<255> : vector<16xi32>
// EMU-NOT: intq.x86.pack_bytes
func.func @pack_bytes(%a: vector<16xi32>, %b: vector<16xi32>, %c: vector<16xi32>, %d: vector<16xi32>) -> (vector<64xi8>, vector<64xi8>) {
  %s = intq.x86.pack_bytes %a, %b, %c, %d : vector<16xi32> -> vector<64xi8>
  %u = intq.x86.pack_bytes %a, %b, %c, %d {isUnsigned} : vector<16xi32> -> vector<64xi8>
  return %s, %u : vector<64xi8>, vector<64xi8>
}

// AVX2 vpmaddwd: one llvm.x86.avx2.pmadd.wd per 8 result lanes.
// CHECK-LABEL: func.func @maddwd
// CHECK: %[[A0:.+]] = vector.extract_strided_slice %arg0 {offsets = [0], sizes = [16], strides = [1]} : vector<32xi16> to vector<16xi16>
// CHECK: %[[B0:.+]] = vector.extract_strided_slice %arg1 {offsets = [0], sizes = [16], strides = [1]} : vector<32xi16> to vector<16xi16>
// CHECK: %[[R0:.+]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%[[A0]], %[[B0]]) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// CHECK: %[[I0:.+]] = vector.insert_strided_slice %[[R0]], %{{.+}} {offsets = [0], strides = [1]} : vector<8xi32> into vector<16xi32>
// CHECK: %[[A1:.+]] = vector.extract_strided_slice %arg0 {offsets = [16], sizes = [16], strides = [1]} : vector<32xi16> to vector<16xi16>
// CHECK: %[[B1:.+]] = vector.extract_strided_slice %arg1 {offsets = [16], sizes = [16], strides = [1]} : vector<32xi16> to vector<16xi16>
// CHECK: %[[R1:.+]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%[[A1]], %[[B1]]) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// CHECK: %[[I1:.+]] = vector.insert_strided_slice %[[R1]], %[[I0]] {offsets = [8], strides = [1]} : vector<8xi32> into vector<16xi32>
// CHECK: return %[[I1]]
// CHECK-NOT: intq.x86.vpmaddwd
func.func @maddwd(%a: vector<32xi16>, %b: vector<32xi16>) -> vector<16xi32> {
  %r = intq.x86.vpmaddwd %a, %b : vector<32xi16> -> vector<16xi32>
  return %r : vector<16xi32>
}

// AVX2 vpmaddubsw: one llvm.x86.avx2.pmadd.ub.sw per 16 result lanes (u8
// operand first).
// CHECK-LABEL: func.func @maddubsw
// CHECK: %[[A0:.+]] = vector.extract_strided_slice %arg0 {offsets = [0], sizes = [32], strides = [1]} : vector<64xi8> to vector<32xi8>
// CHECK: %[[B0:.+]] = vector.extract_strided_slice %arg1 {offsets = [0], sizes = [32], strides = [1]} : vector<64xi8> to vector<32xi8>
// CHECK: %[[R0:.+]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"(%[[A0]], %[[B0]]) : (vector<32xi8>, vector<32xi8>) -> vector<16xi16>
// CHECK: %[[I0:.+]] = vector.insert_strided_slice %[[R0]], %{{.+}} {offsets = [0], strides = [1]} : vector<16xi16> into vector<32xi16>
// CHECK: %[[A1:.+]] = vector.extract_strided_slice %arg0 {offsets = [32], sizes = [32], strides = [1]} : vector<64xi8> to vector<32xi8>
// CHECK: %[[B1:.+]] = vector.extract_strided_slice %arg1 {offsets = [32], sizes = [32], strides = [1]} : vector<64xi8> to vector<32xi8>
// CHECK: %[[R1:.+]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"(%[[A1]], %[[B1]]) : (vector<32xi8>, vector<32xi8>) -> vector<16xi16>
// CHECK: %[[I1:.+]] = vector.insert_strided_slice %[[R1]], %[[I0]] {offsets = [16], strides = [1]} : vector<16xi16> into vector<32xi16>
// CHECK: return %[[I1]]
// CHECK-NOT: intq.x86.vpmaddubsw
func.func @maddubsw(%a: vector<64xi8>, %b: vector<64xi8>) -> vector<32xi16> {
  %r = intq.x86.vpmaddubsw %a, %b : vector<64xi8> -> vector<32xi16>
  return %r : vector<32xi16>
}

// CHECK-LABEL: func.func @smmla
// CHECK: %[[R:.+]] = llvm.call_intrinsic "llvm.aarch64.neon.smmla.v4i32.v16i8"(%arg0, %arg1, %arg2) : (vector<4xi32>, vector<16xi8>, vector<16xi8>) -> vector<4xi32>
// CHECK: return %[[R]]
// CHECK-NOT: intq.aarch64.smmla
func.func @smmla(%acc: vector<4xi32>, %a: vector<16xi8>, %b: vector<16xi8>) -> vector<4xi32> {
  %r = intq.aarch64.smmla %acc, %a, %b : vector<16xi8> -> vector<4xi32>
  return %r : vector<4xi32>
}

// sqrdmulh and srshl: one intrinsic per 128-bit quarter.
// CHECK-LABEL: func.func @requantize_neon
// CHECK-COUNT-4: llvm.call_intrinsic "llvm.aarch64.neon.sqrdmulh.v4i32"(%{{.+}}, %{{.+}}) : (vector<4xi32>, vector<4xi32>) -> vector<4xi32>
// CHECK-COUNT-4: llvm.call_intrinsic "llvm.aarch64.neon.srshl.v4i32"(%{{.+}}, %{{.+}}) : (vector<4xi32>, vector<4xi32>) -> vector<4xi32>
// CHECK-NOT: intq.aarch64
func.func @requantize_neon(%x: vector<16xi32>, %m: vector<16xi32>, %s: vector<16xi32>) -> vector<16xi32> {
  %h = intq.aarch64.sqrdmulh %x, %m : vector<16xi32>
  %r = intq.aarch64.srshl %h, %s : vector<16xi32>
  return %r : vector<16xi32>
}

// CHECK-LABEL: func.func @sqdmulh
// CHECK-COUNT-2: llvm.call_intrinsic "llvm.aarch64.neon.sqdmulh.v4i32"(%{{.+}}, %{{.+}}) : (vector<4xi32>, vector<4xi32>) -> vector<4xi32>
// CHECK-NOT: intq.aarch64
func.func @sqdmulh(%x: vector<8xi32>, %m: vector<8xi32>) -> vector<8xi32> {
  %h = intq.aarch64.sqdmulh %x, %m : vector<8xi32>
  return %h : vector<8xi32>
}

// The quarters are put back in order.
// CHECK-LABEL: func.func @srshl_8
// CHECK: %[[A:.+]] = vector.extract_strided_slice %arg0 {offsets = [0], sizes = [4], strides = [1]}
// CHECK: %[[B:.+]] = vector.extract_strided_slice %arg1 {offsets = [0], sizes = [4], strides = [1]}
// CHECK: %[[R0:.+]] = llvm.call_intrinsic "llvm.aarch64.neon.srshl.v4i32"(%[[A]], %[[B]])
// CHECK: %[[P:.+]] = vector.insert_strided_slice %[[R0]], %{{.+}} {offsets = [0], strides = [1]}
// CHECK: vector.extract_strided_slice %arg0 {offsets = [4], sizes = [4], strides = [1]}
// CHECK: %[[R1:.+]] = llvm.call_intrinsic "llvm.aarch64.neon.srshl.v4i32"
// CHECK: %[[Q:.+]] = vector.insert_strided_slice %[[R1]], %[[P]] {offsets = [4], strides = [1]}
// CHECK: return %[[Q]]
func.func @srshl_8(%x: vector<8xi32>, %s: vector<8xi32>) -> vector<8xi32> {
  %r = intq.aarch64.srshl %x, %s : vector<8xi32>
  return %r : vector<8xi32>
}
