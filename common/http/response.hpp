#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/util/result.hpp"

namespace mha::http {

/// Pushes pieces of a streamed response body to the client (sent chunked). Blocking: used from
/// the handler's producer on the worker pool, never from the I/O thread.
class BodyWriter {
public:
    virtual ~BodyWriter() = default;

    /// Sends one piece (empty pieces are skipped). Errors: DeadlineExceeded (the client does not
    /// read), Unavailable (connection lost); the producer should stop and return the error.
    virtual Result<void> write(std::string_view piece) = 0;
};

/// Produces a streamed body by calling writer.write() as often as it likes. An error after the
/// first piece cuts the connection (the status line is already sent), so the client sees a
/// truncated chunked body rather than a clean end.
using BodyProducer = std::function<Result<void>(BodyWriter& writer)>;

/// A handler's answer: status, content type and either a body or a producer.
struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    BodyProducer producer;  ///< when set, `body` is ignored and the body is streamed

    /// A JSON answer.
    static Response json(int status, const nlohmann::json& value);

    /// A JSON error body {"error": code, "message": message}.
    static Response error(int status, std::string_view code, std::string_view message);

    /// An error body for `error`, with the status that fits its code (http_status()).
    static Response from_error(const Error& error);

    /// A streamed answer.
    static Response stream(int status, std::string content_type, BodyProducer producer);
};

/// The HTTP status for an error code: InvalidArgument 400, NotFound 404, PermissionDenied 403,
/// FailedPrecondition/AlreadyExists/Aborted 409, Unavailable 503, DeadlineExceeded 504, else 500.
int http_status(ErrorCode code);

}  // namespace mha::http
