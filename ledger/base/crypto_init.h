// libsodium's one-time start-up, for every part of the core that calls it.
#ifndef AILEDGER_LEDGER_BASE_CRYPTO_INIT_H_
#define AILEDGER_LEDGER_BASE_CRYPTO_INIT_H_

namespace ailedger {

// Initialises libsodium. Safe to call from several threads and several times;
// aborts if libsodium cannot run, since nothing is safe then.
void InitCrypto();

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_BASE_CRYPTO_INIT_H_
