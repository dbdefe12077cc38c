#include "common/util/result.hpp"

namespace mha {

std::string_view error_code_name(ErrorCode code) {
    switch (code) {
        case ErrorCode::InvalidArgument: return "invalid_argument";
        case ErrorCode::NotFound: return "not_found";
        case ErrorCode::AlreadyExists: return "already_exists";
        case ErrorCode::PermissionDenied: return "permission_denied";
        case ErrorCode::FailedPrecondition: return "failed_precondition";
        case ErrorCode::Unavailable: return "unavailable";
        case ErrorCode::DeadlineExceeded: return "deadline_exceeded";
        case ErrorCode::Aborted: return "aborted";
        case ErrorCode::DataLoss: return "data_loss";
        case ErrorCode::Internal: return "internal";
    }
    return "internal";
}

}  // namespace mha
