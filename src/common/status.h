// Status and Result<T>: the one error type of maas. A Status carries a stable code, which maps to one HTTP
// status, and a message a person can act on.
//
// Error policy (written once, here): exceptions never cross the request path; library calls that throw are
// wrapped where they are made and turned into a Status. Bad input is a Status, never a crash. Programmer
// errors (broken invariants) assert.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace maas {

enum class StatusCode {
  kOk,
  kInvalidArgument,      // 400: the request is malformed or a value is out of range
  kUnauthenticated,      // 401
  kPermissionDenied,     // 403
  kNotFound,             // 404
  kMethodNotAllowed,     // 405
  kAlreadyExists,        // 409: a create collides with an existing object
  kFailedPrecondition,   // 409: the object is in a state that forbids the operation
  kPayloadTooLarge,      // 413
  kUnsupportedMediaType, // 415
  kResourceExhausted,    // 429: a limit or quota was hit
  kInternal,             // 500
  kUnavailable,          // 503: try again later
  kDeadlineExceeded,     // 504
};

// The stable wire name of a code, e.g. "NOT_FOUND". Clients may switch on it.
std::string_view status_code_name(StatusCode code);
// The error code with that stable wire name ("NOT_FOUND"); nullopt for "OK" and for names it does not know.
std::optional<StatusCode> status_code_from_name(std::string_view name);
// The HTTP status that a code maps to.
int http_status_for(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok_status() { return {}; }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "NOT_FOUND: model 'x' does not exist"
  std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status invalid_argument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
inline Status permission_denied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }
inline Status resource_exhausted(std::string m) { return {StatusCode::kResourceExhausted, std::move(m)}; }
inline Status not_found(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status already_exists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status failed_precondition(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
inline Status payload_too_large(std::string m) { return {StatusCode::kPayloadTooLarge, std::move(m)}; }
inline Status internal_error(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
inline Status unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status deadline_exceeded(std::string m) { return {StatusCode::kDeadlineExceeded, std::move(m)}; }

// A value or the Status saying why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).ok() && "a Result holding a Status must hold an error");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { assert(ok()); return std::get<T>(v_); }
  const T& value() const& { assert(ok()); return std::get<T>(v_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace maas

#define MAAS_CONCAT_INNER_(a, b) a##b
#define MAAS_CONCAT_(a, b) MAAS_CONCAT_INNER_(a, b)

// Returns the Status from the enclosing function when `expr` (a Status) is an error.
#define MAAS_RETURN_IF_ERROR(expr)              \
  do {                                          \
    ::maas::Status maas_status_ = (expr);       \
    if (!maas_status_.ok()) return maas_status_; \
  } while (0)

// `MAAS_ASSIGN_OR_RETURN(auto x, f());` binds the value of a Result or returns its Status.
#define MAAS_ASSIGN_OR_RETURN(lhs, expr) MAAS_ASSIGN_OR_RETURN_IMPL_(MAAS_CONCAT_(maas_result_, __LINE__), lhs, expr)
#define MAAS_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
