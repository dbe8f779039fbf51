#include "ledger/base/crypto_init.h"

#include <sodium.h>

#include <cstdlib>
#include <mutex>

namespace ailedger {

void InitCrypto() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();
  });
}

}  // namespace ailedger
