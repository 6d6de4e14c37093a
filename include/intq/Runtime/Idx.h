//===- Idx.h - IDX dataset files (MNIST, Fashion-MNIST) ---------*- C++ -*-===//
//
// Reads the IDX format (big-endian header, gzip-compressed or not) of the
// MNIST family of datasets, e.g. Debian's dataset-fashion-mnist under
// /usr/share/datasets/fashion-mnist, and raw float32 sample files. Plain
// C++ (zlib), no MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef INTQ_RUNTIME_IDX_H
#define INTQ_RUNTIME_IDX_H

#include <cstdint>
#include <string>
#include <vector>

namespace intq {

struct IdxImages {
  int64_t count = 0, rows = 0, cols = 0;
  std::vector<uint8_t> pixels; // count x rows x cols, row major
};

/// Reads an idx3-ubyte image file. Returns false and sets `error` on failure.
bool readIdxImages(const std::string &path, IdxImages &images,
                   std::string &error);

/// Reads an idx1-ubyte label file.
bool readIdxLabels(const std::string &path, std::vector<uint8_t> &labels,
                   std::string &error);

/// Reads a raw float32 file (native byte order) into `values`; trailing
/// bytes that do not make a whole float are dropped. Returns the file's size
/// in bytes, or -1 with `error` set when it cannot be read.
int64_t readRawFloats(const std::string &path, std::vector<float> &values,
                      std::string &error);

} // namespace intq

#endif // INTQ_RUNTIME_IDX_H
