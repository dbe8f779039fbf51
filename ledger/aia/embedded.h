// The survey files embedded at build time (cmake/embed_files.cmake
// writes the definition from data/canada-aia/). Internal to ledger/aia.
#ifndef AILEDGER_LEDGER_AIA_EMBEDDED_H_
#define AILEDGER_LEDGER_AIA_EMBEDDED_H_

#include <cstddef>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace ailedger::aia::internal {

struct EmbeddedFile {
  const char* name;  // file name in data/canada-aia/
  const unsigned char* data;
  size_t size;

  absl::string_view bytes() const {
    return absl::string_view(reinterpret_cast<const char*>(data), size);
  }
};

// Every shipped survey file, in the order CMakeLists.txt lists them.
absl::Span<const EmbeddedFile> EmbeddedSurveyFiles();

}  // namespace ailedger::aia::internal

#endif  // AILEDGER_LEDGER_AIA_EMBEDDED_H_
