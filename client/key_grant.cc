#include "client/key_grant.h"

#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ledger/base/base64.h"
#include "ledger/base/terminal_escape.h"
#include "ledger/governance/roles.h"

namespace ailedger {

std::string ShownString(absl::string_view s) {
  return absl::StrCat("\"", EscapeForTerminal(s), "\"");
}

namespace {

std::string KindName(v1::KeyKind kind) {
  switch (kind) {
    case v1::KEY_KIND_PERSON:
      return "person";
    case v1::KEY_KIND_SERVICE_ACCOUNT:
      return "service";
    default:
      return absl::StrCat("unspecified (", static_cast<int>(kind), ")");
  }
}

std::string RoleLabel(int role) {
  absl::string_view name = RoleName(static_cast<v1::Role>(role));
  return name == "unspecified" ? absl::StrCat("unspecified (", role, ")")
                               : std::string(name);
}

// "publisher, auditor" or "none".
template <typename Set, typename Label>
std::string List(const Set& set, Label label) {
  if (set.empty()) return "none";
  std::vector<std::string> names;
  for (const auto& x : set) names.push_back(label(x));
  return absl::StrJoin(names, ", ");
}

// Refuses a request whose set of `what` (roles, functions) is not exactly the
// set the admin's `--flag`s grant, naming the first difference.
template <typename T, typename Label>
absl::Status SameSet(absl::string_view what, absl::string_view flag,
                     const std::set<T>& asked, const std::set<T>& granted,
                     Label label) {
  for (const T& x : asked) {
    if (!granted.count(x)) {
      return absl::FailedPreconditionError(
          absl::StrCat("request asks for ", what, " ", label(x), "; --", flag,
                       " grants ", List(granted, label), "; not granting"));
    }
  }
  for (const T& x : granted) {
    if (!asked.count(x)) {
      return absl::FailedPreconditionError(
          absl::StrCat("--", flag, " grants ", what, " ", label(x),
                       ", which the request does not ask for (it asks for ",
                       List(asked, label), "); not granting"));
    }
  }
  return absl::OkStatus();
}

absl::Status SameScope(absl::string_view what, const std::string& asked,
                       const std::string& granted) {
  if (asked == granted) return absl::OkStatus();
  const auto show = [](const std::string& s) {
    return s.empty() ? std::string("none (unscoped)") : ShownString(s);
  };
  return absl::FailedPreconditionError(absl::StrCat(
      "request asks for scope-", what, " ", show(asked), "; --scope-", what,
      " grants ", show(granted), "; not granting"));
}

}  // namespace

// The request must ask for exactly what the admin grants: an edited request
// asking for more (admin, auditor, a wider scope) or for something else is
// refused instead of being signed unseen.
absl::Status CheckGrantRequest(const v1::KeyGranted& asked,
                               const v1::KeyGranted& granted) {
  const auto role = [](int r) { return RoleLabel(r); };
  if (asked.organisation() != granted.organisation()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "request asks for organisation ", ShownString(asked.organisation()),
        "; --organisation grants ", ShownString(granted.organisation()),
        "; not granting"));
  }
  const auto fn = [](const std::string& f) { return ShownString(f); };
  if (auto s = SameSet<int>(
          "role", "role", {asked.roles().begin(), asked.roles().end()},
          {granted.roles().begin(), granted.roles().end()}, role);
      !s.ok()) {
    return s;
  }
  if (asked.kind() != granted.kind()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "request asks for kind ", KindName(asked.kind()), "; --kind grants ",
        KindName(granted.kind()), "; not granting"));
  }
  if (auto s = SameSet<std::string>(
          "function", "function",
          {asked.functions().begin(), asked.functions().end()},
          {granted.functions().begin(), granted.functions().end()}, fn);
      !s.ok()) {
    return s;
  }
  if (auto s = SameScope("organisation", asked.scope_organisation(),
                         granted.scope_organisation());
      !s.ok()) {
    return s;
  }
  return SameScope("system", asked.scope_system(), granted.scope_system());
}

std::string DescribeGrant(const v1::KeyGranted& g) {
  std::set<int> roles(g.roles().begin(), g.roles().end());
  std::set<std::string> fns(g.functions().begin(), g.functions().end());
  const auto scope = [](const std::string& s) {
    return s.empty() ? std::string("any") : ShownString(s);
  };
  return absl::StrCat(
      "granting:\n  public key          ", Base64Encode(g.public_key()),
      "\n  display name        ", ShownString(g.display_name()),
      "\n  organisation        ", ShownString(g.organisation()),
      "\n  kind                ", KindName(g.kind()),
      "\n  roles               ",
      List(roles, [](int r) { return RoleLabel(r); }),
      "\n  functions           ",
      List(fns, [](const std::string& f) { return ShownString(f); }),
      "\n  scope organisation  ", scope(g.scope_organisation()),
      "\n  scope system        ", scope(g.scope_system()), "\n");
}

}  // namespace ailedger
