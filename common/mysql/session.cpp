// The one file that includes <mysql.h> (MariaDB Connector/C): everything else sees
// mha::mysql::Session only.
#include "common/mysql/session.hpp"

#include <mysql.h>

#include <mutex>
#include <utility>

namespace mha::mysql {
namespace {

/// mysql_library_init is not thread-safe; mysql_init calls it implicitly, so do it once.
void library_init_once() {
    static std::once_flag once;
    std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

unsigned int seconds_ceil(std::chrono::milliseconds ms) {
    auto s = (ms.count() + 999) / 1000;
    return static_cast<unsigned int>(s < 1 ? 1 : s);
}

ErrorCode classify(unsigned int err) {
    switch (err) {
        case errc::kAccessDenied:
        case errc::kHostNotPrivileged:
        case 1044:  // ER_DBACCESS_DENIED_ERROR
        case 1142:  // ER_TABLEACCESS_DENIED_ERROR
        case 1227:  // ER_SPECIFIC_ACCESS_DENIED_ERROR
            return ErrorCode::PermissionDenied;
        case errc::kCantConnect:
        case errc::kConnHostError:
        case errc::kServerGone:
        case errc::kServerLost:
        case 2001:  // CR_SOCKET_CREATE_ERROR
        case 2005:  // CR_UNKNOWN_HOST
        case 2055:  // CR_SERVER_LOST_EXTENDED
        case errc::kTooManyConnections:
        case errc::kHostIsBlocked:
            return ErrorCode::Unavailable;
        case 1290:  // ER_OPTION_PREVENTS_STATEMENT (read_only)
        case 1792:  // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
            return ErrorCode::FailedPrecondition;
        case 1205:  // ER_LOCK_WAIT_TIMEOUT
        case 3024:  // ER_QUERY_TIMEOUT (MySQL)
        case 1969:  // ER_STATEMENT_TIMEOUT (MariaDB)
            return ErrorCode::DeadlineExceeded;
        default:
            return err >= 2000 && err < 3000 ? ErrorCode::Unavailable : ErrorCode::Aborted;
    }
}

/// A read or connect that ran out of time shows as "lost connection ... (110)" or
/// "... timeout"; report it as a deadline so callers can tell it from a refusal.
bool looks_like_timeout(std::string_view message) {
    return message.find("timeout") != std::string_view::npos ||
           message.find("Timeout") != std::string_view::npos ||
           message.find("(110)") != std::string_view::npos ||
           message.find("timed out") != std::string_view::npos;
}

class SessionImpl final : public Session {
public:
    explicit SessionImpl(ConnectOptions options) : options_(std::move(options)) {}
    ~SessionImpl() override {
        if (handle_ != nullptr) {
            mysql_close(handle_);
        }
    }
    SessionImpl(const SessionImpl&) = delete;
    SessionImpl& operator=(const SessionImpl&) = delete;

    Result<void> open() {
        library_init_once();
        handle_ = mysql_init(nullptr);
        if (handle_ == nullptr) {
            return make_error(ErrorCode::Internal, options_.peer() + ": mysql_init failed");
        }
        unsigned int connect_s = seconds_ceil(options_.connect_timeout);
        unsigned int read_s = seconds_ceil(options_.read_timeout);
        unsigned int write_s = seconds_ceil(options_.write_timeout);
        mysql_options(handle_, MYSQL_OPT_CONNECT_TIMEOUT, &connect_s);
        mysql_options(handle_, MYSQL_OPT_READ_TIMEOUT, &read_s);
        mysql_options(handle_, MYSQL_OPT_WRITE_TIMEOUT, &write_s);
        // No option files: what the caller passed is all there is.
        mysql_optionsv(handle_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
        my_bool off = 0;
        mysql_options(handle_, MYSQL_OPT_RECONNECT, &off);
        mysql_optionsv(handle_, MYSQL_OPT_SSL_ENFORCE, &off);
        mysql_optionsv(handle_, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &off);
        unsigned int protocol =
            options_.socket.empty() ? MYSQL_PROTOCOL_TCP : MYSQL_PROTOCOL_SOCKET;
        mysql_options(handle_, MYSQL_OPT_PROTOCOL, &protocol);

        const char* host = options_.socket.empty() ? options_.host.c_str() : "localhost";
        const char* db = options_.database.empty() ? nullptr : options_.database.c_str();
        const char* sock = options_.socket.empty() ? nullptr : options_.socket.c_str();
        if (mysql_real_connect(handle_, host, options_.user.c_str(), options_.password.c_str(),
                               db, options_.port, sock, CLIENT_MULTI_RESULTS) == nullptr) {
            return last_error("connect");
        }
        return {};
    }

    Result<ResultSet> query(std::string_view sql) override {
        if (mysql_real_query(handle_, sql.data(), sql.size()) != 0) {
            return last_error("query");
        }
        ResultSet first;
        bool have_first = false;
        do {
            MYSQL_RES* res = mysql_store_result(handle_);
            if (res == nullptr) {
                if (mysql_field_count(handle_) != 0) {
                    return last_error("reading result");
                }
            } else {
                ResultSet rs = convert(res);
                mysql_free_result(res);
                if (!have_first) {
                    first = std::move(rs);
                    have_first = true;
                }
            }
            int next = mysql_next_result(handle_);
            if (next > 0) {
                return last_error("query");
            }
            if (next < 0) {
                break;
            }
        } while (true);
        return first;
    }

    Result<void> execute(std::string_view sql) override {
        auto r = query(sql);
        if (!r) {
            return tl::unexpected(r.error());
        }
        return {};
    }

    [[nodiscard]] std::string server_version() const override {
        const char* v = mysql_get_server_info(handle_);
        return v != nullptr ? v : "";
    }

    [[nodiscard]] std::uint64_t connection_id() const override {
        return mysql_thread_id(handle_);
    }

    [[nodiscard]] std::string escape(std::string_view text) const override {
        std::string out(text.size() * 2 + 1, '\0');
        auto n = mysql_real_escape_string(handle_, out.data(), text.data(), text.size());
        out.resize(n);
        return out;
    }

    [[nodiscard]] const ConnectOptions& options() const override { return options_; }

private:
    static ResultSet convert(MYSQL_RES* res) {
        unsigned int n = mysql_num_fields(res);
        MYSQL_FIELD* fields = mysql_fetch_fields(res);
        std::vector<std::string> columns;
        columns.reserve(n);
        for (unsigned int i = 0; i < n; ++i) {
            columns.emplace_back(fields[i].name, fields[i].name_length);
        }
        std::vector<std::vector<std::optional<std::string>>> rows;
        rows.reserve(mysql_num_rows(res));
        while (MYSQL_ROW row = mysql_fetch_row(res)) {
            unsigned long* lengths = mysql_fetch_lengths(res);
            auto& out = rows.emplace_back();
            out.reserve(n);
            for (unsigned int i = 0; i < n; ++i) {
                if (row[i] == nullptr) {
                    out.emplace_back(std::nullopt);
                } else {
                    out.emplace_back(std::string(row[i], lengths[i]));
                }
            }
        }
        return ResultSet(std::move(columns), std::move(rows));
    }

    /// The server's error, naming the peer and the step. Connector/C never puts the
    /// password in its messages, but a server's syntax error quotes the statement, which may
    /// hold it: every occurrence is masked (passwords under 4 characters would mask ordinary
    /// words, and hide nothing worth hiding).
    tl::unexpected<Error> last_error(std::string_view step) const {
        unsigned int err = mysql_errno(handle_);
        std::string text = mysql_error(handle_);
        const auto& password = options_.password;
        for (auto at = text.find(password); password.size() >= 4 && at != std::string::npos;
             at = text.find(password, at + 3)) {
            text.replace(at, password.size(), "***");
        }
        ErrorCode code = classify(err);
        if (code == ErrorCode::Unavailable && err != errc::kCantConnect &&
            err != errc::kTooManyConnections && looks_like_timeout(text)) {
            code = ErrorCode::DeadlineExceeded;
        }
        std::string message = "mysql " + options_.peer() + ": " + std::string(step) + ": " +
                              text + " (errno " + std::to_string(err) + ")";
        return tl::unexpected<Error>(Error{code, std::move(message), static_cast<int>(err)});
    }

    ConnectOptions options_;
    MYSQL* handle_ = nullptr;
};

}  // namespace

Result<std::unique_ptr<Session>> connect(const ConnectOptions& options) {
    auto session = std::make_unique<SessionImpl>(options);
    if (auto opened = session->open(); !opened) {
        return tl::unexpected(opened.error());
    }
    return std::unique_ptr<Session>(std::move(session));
}

}  // namespace mha::mysql
