#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace mha {

/// Error codes in the spirit of absl::StatusCode: what kind of failure, not where.
enum class ErrorCode {
    InvalidArgument,
    NotFound,
    AlreadyExists,
    PermissionDenied,
    FailedPrecondition,
    Unavailable,
    DeadlineExceeded,
    Aborted,
    DataLoss,
    Internal,
};

/// Short lower-case name of a code ("invalid_argument"), used in JSON error bodies.
std::string_view error_code_name(ErrorCode code);

/// An expected failure: a code and a message that names the peer/file and the cause.
struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
    int native_code = 0;  ///< underlying number where there is one: server errno, OS errno


    /// Returns a copy whose message is "<context>: <message>".
    [[nodiscard]] Error wrap(std::string_view context) const {
        return Error{code, std::string(context) + ": " + message, native_code};
    }
};

template <class T>
using Result = tl::expected<T, Error>;

/// Builds the unexpected value of a Result.
inline tl::unexpected<Error> make_error(ErrorCode code, std::string message) {
    return tl::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace mha
