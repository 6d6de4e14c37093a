//===- Idx.cpp - IDX dataset files ----------------------------------------===//

#include "intq/Runtime/Idx.h"

#include <zlib.h>

#include <cstring>
#include <fstream>
#include <iterator>

namespace {

/// Reads all of a (possibly gzip-compressed) file.
bool readAll(const std::string &path, std::vector<uint8_t> &out,
             std::string &error) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) {
    error = "cannot open " + path;
    return false;
  }
  uint8_t buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0)
    out.insert(out.end(), buf, buf + n);
  bool ok = n == 0;
  gzclose(f);
  if (!ok)
    error = "cannot read " + path + " (corrupt gzip data?)";
  return ok;
}

uint32_t be32(const uint8_t *p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) |
         (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

} // namespace

bool intq::readIdxImages(const std::string &path, IdxImages &images,
                         std::string &error) {
  std::vector<uint8_t> data;
  if (!readAll(path, data, error))
    return false;
  if (data.size() < 16 || be32(data.data()) != 0x00000803) {
    error = path + " is not an IDX image file (magic 0x00000803)";
    return false;
  }
  images.count = be32(data.data() + 4);
  images.rows = be32(data.data() + 8);
  images.cols = be32(data.data() + 12);
  uint64_t size = uint64_t(images.count) * images.rows * images.cols;
  if (data.size() - 16 != size) {
    error = path + " is truncated: the header announces " +
            std::to_string(size) + " pixels";
    return false;
  }
  images.pixels.assign(data.begin() + 16, data.end());
  return true;
}

bool intq::readIdxLabels(const std::string &path, std::vector<uint8_t> &labels,
                         std::string &error) {
  std::vector<uint8_t> data;
  if (!readAll(path, data, error))
    return false;
  if (data.size() < 8 || be32(data.data()) != 0x00000801) {
    error = path + " is not an IDX label file (magic 0x00000801)";
    return false;
  }
  uint32_t count = be32(data.data() + 4);
  if (data.size() - 8 != count) {
    error = path + " is truncated";
    return false;
  }
  labels.assign(data.begin() + 8, data.end());
  return true;
}

int64_t intq::readRawFloats(const std::string &path,
                            std::vector<float> &values, std::string &error) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    error = "cannot open " + path;
    return -1;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(f)), {});
  values.resize(bytes.size() / sizeof(float));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
  return bytes.size();
}
