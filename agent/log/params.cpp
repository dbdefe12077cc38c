#include "agent/log/params.hpp"

#include <climits>
#include <cstdlib>
#include <memory>

namespace mha::agent {
namespace {

tl::unexpected<Error> invalid(std::string_view name, std::string what) {
    return make_error(ErrorCode::InvalidArgument, std::string(name) + ": " + std::move(what));
}

bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

std::string real_path(const std::string& path) {
    std::unique_ptr<char, decltype(&std::free)> resolved(realpath(path.c_str(), nullptr),
                                                         &std::free);
    return resolved ? std::string(resolved.get()) : std::string();
}

std::string last_component(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

Result<std::uint64_t> parse_position(std::string_view name, std::string_view text) {
    if (text.empty() || text.size() > 18) {
        return invalid(name, "expected a byte position (decimal digits)");
    }
    std::uint64_t value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return invalid(name, "expected a byte position (decimal digits)");
        }
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (value < 4) {
        return invalid(name, "a binlog position is at least 4 (after the magic header)");
    }
    return value;
}

Result<bool> parse_flag(std::string_view name, std::string_view text) {
    if (text == "1" || text == "true" || text == "yes") {
        return true;
    }
    if (text == "0" || text == "false" || text == "no") {
        return false;
    }
    return invalid(name, "expected 1 or 0");
}

Result<std::string> validate_log_name(std::string_view name, std::string_view text) {
    if (text.empty() || text.size() > 255) {
        return invalid(name, "expected a log file name");
    }
    if (text.front() == '.') {
        return invalid(name, "a log file name does not start with '.'");
    }
    for (const char c : text) {
        if (!name_char(c)) {
            return invalid(name, "a log file name is a base name of [A-Za-z0-9._-]");
        }
    }
    return std::string(text);
}

Result<std::optional<std::string>> optional_param(const QueryParams& query, std::string_view name) {
    const auto [first, last] = query.equal_range(std::string(name));
    if (first == last) {
        return std::optional<std::string>();
    }
    if (std::next(first) != last) {
        return invalid(name, "given more than once");
    }
    return std::optional<std::string>(first->second);
}

Result<std::string> required_param(const QueryParams& query, std::string_view name) {
    auto value = optional_param(query, name);
    if (!value) {
        return tl::unexpected(value.error());
    }
    if (!*value) {
        return invalid(name, "missing");
    }
    return std::move(**value);
}

Result<MasterCoordinates> parse_master_coordinates(const QueryParams& query) {
    auto file = required_param(query, "master_file");
    auto pos_text = required_param(query, "master_pos");
    if (!file || !pos_text) {
        return tl::unexpected(!file ? file.error() : pos_text.error());
    }
    auto name = validate_log_name("master_file", *file);
    auto pos = parse_position("master_pos", *pos_text);
    if (!name || !pos) {
        return tl::unexpected(!name ? name.error() : pos.error());
    }
    return MasterCoordinates{std::move(*name), *pos};
}

Result<BinlogStreamParams> parse_binlog_stream(std::string_view rest, const QueryParams& query) {
    auto file = validate_log_name("file", rest);
    auto from = optional_param(query, "from");
    if (!file || !from) {
        return tl::unexpected(!file ? file.error() : from.error());
    }
    BinlogStreamParams params{std::move(*file), 4};
    if (*from) {
        auto pos = parse_position("from", **from);
        if (!pos) {
            return tl::unexpected(pos.error());
        }
        params.from = *pos;
    }
    return params;
}

Result<ApplyParams> parse_apply(const QueryParams& query) {
    ApplyParams params;
    for (const auto& [key, value] : query) {
        if (key == "include_relay_log" || key == "disable_log_bin" || key == "sql_thread") {
            auto flag = parse_flag(key, value);
            if (!flag) {
                return tl::unexpected(flag.error());
            }
            (key == "include_relay_log" ? params.include_relay_log
             : key == "sql_thread"      ? params.sql_thread
                                        : params.disable_log_bin) = *flag;
        } else if (key == "progress_ms") {
            const bool digits = !value.empty() && value.size() <= 5 &&
                                value.find_first_not_of("0123456789") == std::string::npos;
            const int ms = digits ? std::stoi(value) : -1;
            if (ms != 0 && (ms < 100 || ms > 60000)) {
                return invalid(key, "expected 0 or milliseconds 100..60000");
            }
            params.progress_ms = ms;
        } else if (key == "master_file") {
            auto name = validate_log_name(key, value);
            if (!name) {
                return tl::unexpected(name.error());
            }
            params.master_file = std::move(*name);
        } else {
            return invalid(key, "unknown parameter");
        }
    }
    return params;
}

Result<PurgeParams> parse_purge(const QueryParams& query) {
    PurgeParams params;
    for (const auto& [key, value] : query) {
        if (key == "disable_relay_log_purge") {
            auto flag = parse_flag(key, value);
            if (!flag) {
                return tl::unexpected(flag.error());
            }
            params.disable_relay_log_purge = *flag;
        } else if (key == "wait") {
            if (value.empty() || value.size() > 5 ||
                value.find_first_not_of("0123456789") != std::string::npos) {
                return invalid(key, "expected seconds (0-99999)");
            }
            params.wait_seconds = std::atoi(value.c_str());
        } else {
            return invalid(key, "unknown parameter");
        }
    }
    return params;
}

bool inside_dir(const std::string& path, const std::string& dir) {
    const std::string real = real_path(path);
    std::string root = real_path(dir);
    if (real.empty() || root.empty()) {
        return false;
    }
    if (root.back() != '/') {
        root += '/';
    }
    return real.size() > root.size() && real.compare(0, root.size(), root) == 0;
}

Result<std::string> resolve_listed_log(std::string_view name,
                                       const std::vector<std::string>& index_files,
                                       const std::string& dir) {
    auto valid = validate_log_name("file", name);
    if (!valid) {
        return tl::unexpected(valid.error());
    }
    for (const auto& listed : index_files) {
        if (last_component(listed) != *valid) {
            continue;
        }
        if (!inside_dir(listed, dir)) {
            return invalid("file", *valid + " is not inside the log directory " + dir);
        }
        return listed;
    }
    return invalid("file", *valid + " is not listed in the log index");
}

}  // namespace mha::agent
