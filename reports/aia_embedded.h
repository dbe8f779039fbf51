// The Canada AIA reference files the AIA report uses, embedded at build time
// (cmake/embed_files.cmake writes the definition from data/canada-aia/):
// the requirement tables by level and their evidence mapping. Internal to
// reports/aia_reference.cc.
#ifndef AILEDGER_REPORTS_AIA_EMBEDDED_H_
#define AILEDGER_REPORTS_AIA_EMBEDDED_H_

#include <cstddef>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace ailedger::reports::internal {

struct AiaEmbeddedFile {
  const char* name;  // file name in data/canada-aia/
  const unsigned char* data;
  size_t size;

  absl::string_view bytes() const {
    return absl::string_view(reinterpret_cast<const char*>(data), size);
  }
};

// Every embedded file, in the order reports/CMakeLists.txt lists them.
absl::Span<const AiaEmbeddedFile> AiaReferenceFiles();

}  // namespace ailedger::reports::internal

#endif  // AILEDGER_REPORTS_AIA_EMBEDDED_H_
