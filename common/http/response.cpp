#include "common/http/response.hpp"

#include "common/proto/agent_api.hpp"

namespace mha::http {

Response Response::json(int status, const nlohmann::json& value) {
    Response response;
    response.status = status;
    response.body = value.dump();
    response.body.push_back('\n');
    return response;
}

Response Response::error(int status, std::string_view code, std::string_view message) {
    const proto::ErrorBody body{std::string(code), std::string(message)};
    return json(status, nlohmann::json(body));
}

Response Response::from_error(const Error& error) {
    return Response::error(http_status(error.code), error_code_name(error.code), error.message);
}

Response Response::stream(int status, std::string content_type, BodyProducer producer) {
    Response response;
    response.status = status;
    response.content_type = std::move(content_type);
    response.producer = std::move(producer);
    return response;
}

int http_status(ErrorCode code) {
    switch (code) {
        case ErrorCode::InvalidArgument: return 400;
        case ErrorCode::NotFound: return 404;
        case ErrorCode::PermissionDenied: return 403;
        case ErrorCode::AlreadyExists:
        case ErrorCode::FailedPrecondition:
        case ErrorCode::Aborted: return 409;
        case ErrorCode::Unavailable: return 503;
        case ErrorCode::DeadlineExceeded: return 504;
        case ErrorCode::DataLoss:
        case ErrorCode::Internal: break;
    }
    return 500;
}

}  // namespace mha::http
