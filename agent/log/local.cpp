#include "agent/log/local.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "agent/log/params.hpp"
#include "common/binlog/log_index.hpp"

namespace mha::agent {
namespace {

constexpr const char* kCacheName = "/log-locations.json";

std::string dir_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

bool same_dir(const std::string& a, const std::string& b) {
    std::unique_ptr<char, decltype(&std::free)> ra(realpath(a.c_str(), nullptr), &std::free);
    std::unique_ptr<char, decltype(&std::free)> rb(realpath(b.c_str(), nullptr), &std::free);
    return ra && rb && std::string(ra.get()) == std::string(rb.get());
}

bool complete(const LogLocations& l) {
    return !l.binlog_dir.empty() && !l.binlog_index.empty() && !l.relay_log_dir.empty() &&
           !l.relay_log_index.empty();
}

// Fills the gaps of `into` from `from`.
void fill(LogLocations& into, const LogLocations& from) {
    for (auto [dst, src] : {std::pair{&into.binlog_dir, &from.binlog_dir},
                            std::pair{&into.binlog_index, &from.binlog_index},
                            std::pair{&into.relay_log_dir, &from.relay_log_dir},
                            std::pair{&into.relay_log_index, &from.relay_log_index}}) {
        if (dst->empty()) {
            *dst = *src;
        }
    }
}

Result<LogLocations> ask_mysqld(const config::AgentConfig& config) {
    auto session = connect_local(config, std::chrono::milliseconds(5000));
    if (!session) {
        return tl::unexpected(session.error());
    }
    auto rows = (*session)->query(
        "SELECT @@log_bin_basename AS b, @@log_bin_index AS bi, @@relay_log_basename AS r, "
        "@@relay_log_index AS ri");
    if (!rows) {
        return tl::unexpected(rows.error());
    }
    LogLocations l;
    if (!rows->empty()) {
        const std::string b = rows->value(0, "b");
        const std::string r = rows->value(0, "r");
        l.binlog_dir = b.empty() ? "" : dir_of(b);
        l.binlog_index = rows->value(0, "bi");
        l.relay_log_dir = r.empty() ? "" : dir_of(r);
        l.relay_log_index = rows->value(0, "ri");
    }
    return l;
}

LogLocations read_cache(const std::string& path) {
    LogLocations l;
    std::ifstream in(path);
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return l;
    }
    l.binlog_dir = j.value("binlog_dir", "");
    l.binlog_index = j.value("binlog_index", "");
    l.relay_log_dir = j.value("relay_log_dir", "");
    l.relay_log_index = j.value("relay_log_index", "");
    return l;
}

void write_cache(const std::string& path, const LogLocations& l) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << nlohmann::json{{"binlog_dir", l.binlog_dir},
                              {"binlog_index", l.binlog_index},
                              {"relay_log_dir", l.relay_log_dir},
                              {"relay_log_index", l.relay_log_index}}
                   .dump();
        if (!out) {
            return;
        }
    }
    std::rename(tmp.c_str(), path.c_str());
}

}  // namespace

Result<mysql::ConnectOptions> local_connect_options(const config::AgentConfig& config,
                                                    std::chrono::milliseconds read_timeout) {
    mysql::ConnectOptions options;
    options.socket = config.mysqld_socket;
    options.connect_timeout = config.connect_timeout;
    options.read_timeout = read_timeout;
    options.write_timeout = std::chrono::milliseconds(30000);
    if (!config.credentials_file.empty()) {
        auto credentials = config::load_credentials(config.credentials_file);
        if (!credentials) {
            return tl::unexpected(credentials.error());
        }
        options.user = std::move(credentials->user);
        options.password = std::move(credentials->password);
    }
    return options;
}

Result<std::unique_ptr<mysql::Session>> connect_local(const config::AgentConfig& config,
                                                      std::chrono::milliseconds read_timeout) {
    auto options = local_connect_options(config, read_timeout);
    if (!options) {
        return tl::unexpected(options.error());
    }
    return mysql::connect(*options);
}

Result<LogLocations> log_locations(const config::AgentConfig& config) {
    LogLocations l{config.binlog_dir, config.binlog_index, config.relay_log_dir,
                   config.relay_log_index};
    if (complete(l)) {
        return l;
    }
    const std::string cache = config.workdir + kCacheName;
    if (auto asked = ask_mysqld(config)) {
        fill(l, *asked);
        write_cache(cache, *asked);
        return l;
    }
    fill(l, read_cache(cache));
    if (l.binlog_index.empty() && l.relay_log_index.empty()) {
        return make_error(ErrorCode::Unavailable,
                          "log locations unknown: mysqld does not answer and " + cache +
                              " holds none (set binlog_dir/binlog_index in agent.cnf)");
    }
    return l;
}

Result<LogFiles> list_logs(const config::AgentConfig& config, LogKind kind) {
    auto l = log_locations(config);
    if (!l) {
        return tl::unexpected(l.error());
    }
    const bool bin = kind == LogKind::Binlog;
    LogFiles out{
        bin ? l->binlog_dir : l->relay_log_dir, bin ? l->binlog_index : l->relay_log_index, {}};
    const char* what = bin ? "binlog" : "relay-log";
    if (out.index.empty() || out.dir.empty()) {
        return make_error(ErrorCode::Unavailable,
                          std::string(what) + " location unknown (is it enabled on mysqld?)");
    }
    auto files = binlog::read_index(out.index);
    if (!files) {
        return tl::unexpected(files.error());
    }
    for (const auto& f : *files) {
        // Each entry must be in the directory; one that exists must not lead out of it
        // (a symlink); one that does not exist (any more) reads nothing.
        struct stat st {};
        const bool exists = ::lstat(f.c_str(), &st) == 0;
        if (!same_dir(dir_of(f), out.dir) || (exists && !inside_dir(f, out.dir))) {
            return make_error(
                ErrorCode::InvalidArgument,
                out.index + ": " + f + " is outside the " + what + " directory " + out.dir);
        }
    }
    out.files = std::move(*files);
    return out;
}

}  // namespace mha::agent
