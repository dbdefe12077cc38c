#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.hpp"

namespace mha::mysql {

/// Where and as whom to connect. A non-empty `socket` wins over host/port.
struct ConnectOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 3306;
    std::string socket;
    std::string user;
    std::string password;  ///< never logged, never in an error message
    std::string database;
    std::chrono::milliseconds connect_timeout{2000};
    std::chrono::milliseconds read_timeout{5000};
    std::chrono::milliseconds write_timeout{5000};

    /// "host:port" or "socket PATH", for messages.
    [[nodiscard]] std::string peer() const;
};

/// The rows of one result set; values are text as the server sent them, NULL as nullopt.
class ResultSet {
public:
    ResultSet() = default;
    ResultSet(std::vector<std::string> columns,
              std::vector<std::vector<std::optional<std::string>>> rows);

    [[nodiscard]] const std::vector<std::string>& columns() const { return columns_; }
    [[nodiscard]] std::size_t size() const { return rows_.size(); }
    [[nodiscard]] bool empty() const { return rows_.empty(); }

    /// Index of a column by name (case-insensitive), or nullopt.
    [[nodiscard]] std::optional<std::size_t> column_index(std::string_view name) const;

    /// Value of `column` in row `row`; nullopt when NULL or when the column does not exist.
    [[nodiscard]] std::optional<std::string> get(std::size_t row, std::string_view column) const;

    /// Like get(), with `fallback` for NULL or a missing column.
    [[nodiscard]] std::string value(std::size_t row, std::string_view column,
                                    std::string_view fallback = "") const;

    [[nodiscard]] const std::vector<std::optional<std::string>>& row(std::size_t i) const {
        return rows_[i];
    }

private:
    std::vector<std::string> columns_;
    std::vector<std::vector<std::optional<std::string>>> rows_;
};

/// One connection to a MySQL/MariaDB server. Errors carry the server's error number in
/// Error::native_code and name the peer, never the password. Not thread-safe: one session,
/// one thread at a time.
class Session {
public:
    virtual ~Session() = default;

    /// Runs one statement and returns its (first) result set; empty for statements
    /// without one. Remaining result sets are drained.
    virtual Result<ResultSet> query(std::string_view sql) = 0;

    /// Runs one statement and discards any result.
    virtual Result<void> execute(std::string_view sql) = 0;

    /// The server's version string from the greeting, e.g. "10.11.6-MariaDB-0+deb12u1-log".
    [[nodiscard]] virtual std::string server_version() const = 0;

    /// The connection id (what KILL takes).
    [[nodiscard]] virtual std::uint64_t connection_id() const = 0;

    /// Escapes a string for use inside single quotes in SQL.
    [[nodiscard]] virtual std::string escape(std::string_view text) const = 0;

    [[nodiscard]] virtual const ConnectOptions& options() const = 0;
};

/// Opens a session with the timeouts of `options`. Errors: Unavailable (cannot connect,
/// server gone), DeadlineExceeded (no greeting in time), PermissionDenied (access denied),
/// with the server's errno in native_code.
Result<std::unique_ptr<Session>> connect(const ConnectOptions& options);

/// MySQL client error numbers the callers decide on (MHA's "alive but erroring" list etc.).
namespace errc {
inline constexpr int kAccessDenied = 1045;
inline constexpr int kTooManyConnections = 1040;
inline constexpr int kConnCountError = 1040;
inline constexpr int kHostIsBlocked = 1129;
inline constexpr int kHostNotPrivileged = 1130;
inline constexpr int kUnknownError = 2000;
inline constexpr int kCantConnect = 2002;  ///< socket
inline constexpr int kConnHostError = 2003;
inline constexpr int kServerGone = 2006;
inline constexpr int kServerLost = 2013;
/// The client could not reach the server, or lost it: no answer (an error the server sent,
/// such as 1045 or 1236, is an answer).
inline constexpr bool no_answer(int code) {
    return code == kCantConnect || code == kConnHostError || code == kServerGone ||
           code == kServerLost;
}
}  // namespace errc

}  // namespace mha::mysql
