#include "agent/mysqld/sql.hpp"

#include <charconv>

namespace mha::agent {

Result<mysql::ConnectOptions> options_with_credentials(const std::string& credentials_file,
                                                       std::chrono::milliseconds timeout) {
    mysql::ConnectOptions options;
    options.connect_timeout = timeout;
    options.read_timeout = timeout;
    options.write_timeout = timeout;
    if (!credentials_file.empty()) {
        auto credentials = config::load_credentials(credentials_file);
        if (!credentials) {
            return tl::unexpected(credentials.error());
        }
        options.user = std::move(credentials->user);
        options.password = std::move(credentials->password);
    }
    return options;
}

Result<std::unique_ptr<mysql::Session>> connect_local_socket(const config::AgentConfig& config,
                                                             std::chrono::milliseconds timeout) {
    auto options = options_with_credentials(config.credentials_file, timeout);
    if (!options) {
        return tl::unexpected(options.error());
    }
    options->socket = config.mysqld_socket;
    return mysql::connect(*options);
}

Result<void> select_one(mysql::Session& session) {
    auto rows = session.query("SELECT 1 AS one");
    if (!rows) {
        return tl::unexpected(rows.error());
    }
    if (rows->empty() || rows->value(0, "one") != "1") {
        return make_error(ErrorCode::Internal,
                          "mysqld " + session.options().peer() + ": SELECT 1 returned no row");
    }
    return {};
}

std::chrono::milliseconds remaining(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    return left.count() < 1 ? std::chrono::milliseconds(1) : left;
}

std::int64_t elapsed_ms(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start)
        .count();
}

Result<std::chrono::milliseconds> parse_timeout_ms(const std::optional<std::string>& text,
                                                   std::chrono::milliseconds fallback) {
    if (!text) {
        return fallback;
    }
    long value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (text->empty() || ec != std::errc() || end != text->data() + text->size() || value < 1 ||
        value > 60000) {
        return make_error(
            ErrorCode::InvalidArgument,
            "timeout_ms: expected milliseconds 1..60000, got '" + text->substr(0, 32) + "'");
    }
    return std::chrono::milliseconds(value);
}

}  // namespace mha::agent
