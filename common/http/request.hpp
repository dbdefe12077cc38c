#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/config/agent_config.hpp"
#include "common/util/result.hpp"

namespace mha::http {

/// The request methods the router dispatches on; anything else is Other (405).
enum class Method { Get, Head, Post, Put, Delete, Other };

/// "GET", "POST", … ("OTHER" for Other).
std::string_view method_name(Method method);

/// Who is calling: the certificate name that matched the allow-list, and its role.
struct ClientIdentity {
    std::string name;
    config::ClientRole role = config::ClientRole::Monitor;
};

/// Pulls a streamed request body in pieces (routes registered with stream_request_body).
/// Blocking: call it from the handler (which runs on the worker pool), never from the I/O thread.
class BodyReader {
public:
    virtual ~BodyReader() = default;

    /// Reads up to `buffer.size()` bytes; 0 means the body is complete. Errors:
    /// DeadlineExceeded (the client stalled), Unavailable (connection lost), InvalidArgument
    /// (malformed chunk encoding).
    virtual Result<std::size_t> read(std::span<char> buffer) = 0;
};

/// A request as handlers see it. `body` holds the whole body for ordinary routes; for
/// streaming routes it is empty and `body_stream` reads it.
struct Request {
    Method method = Method::Other;
    std::string target;                          ///< as sent: path and query
    std::string path;                            ///< URL-decoded path
    std::multimap<std::string, std::string> query;  ///< URL-decoded query parameters
    std::string content_type;
    std::string body;
    BodyReader* body_stream = nullptr;  ///< non-null only on streaming routes
    ClientIdentity client;

    /// The first value of query parameter `name`, or nullopt.
    [[nodiscard]] std::optional<std::string> param(std::string_view name) const;
};

/// Path and query of a request target.
struct Target {
    std::string path;
    std::multimap<std::string, std::string> query;
};

/// Decodes %XX escapes (and '+' as space when `plus_is_space`). InvalidArgument on a bad escape.
Result<std::string> url_decode(std::string_view text, bool plus_is_space);

/// Splits "/path?a=1&b=x%20y" into its URL-decoded path and parameters. InvalidArgument when
/// the target is not origin-form ("/…") or has a bad escape.
Result<Target> parse_target(std::string_view target);

}  // namespace mha::http
