#include "agent/mysqld/pid_file.hpp"

#include <cstdio>
#include <fstream>
#include <mutex>

#include "agent/mysqld/sql.hpp"
#include "common/log/log.hpp"

namespace mha::agent {
namespace {

constexpr const char* kCacheName = "/mysqld-pid-file";

struct Learned {
    std::mutex mutex;
    std::string path;
};

Learned& learned() {
    static Learned l;
    return l;
}

std::string cache_path(const config::AgentConfig& config) { return config.workdir + kCacheName; }

std::string read_cache(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line.empty() || line.front() != '/' ? std::string() : line;
}

void write_cache(const std::string& path, const std::string& pid_file) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << pid_file << '\n';
        if (!out) {
            return;
        }
    }
    std::rename(tmp.c_str(), path.c_str());
}

}  // namespace

std::string resolve_pid_file(const std::string& pid_file, const std::string& datadir) {
    if (pid_file.empty() || pid_file.front() == '/' || datadir.empty()) {
        return pid_file;
    }
    return datadir.back() == '/' ? datadir + pid_file : datadir + "/" + pid_file;
}

PidFileLocation known_pid_file(const config::AgentConfig& config) {
    if (!config.mysqld_pid_file.empty()) {
        return {config.mysqld_pid_file, "agent.cnf"};
    }
    {
        auto& l = learned();
        std::lock_guard lock(l.mutex);
        if (!l.path.empty()) {
            return {l.path, "@@pid_file"};
        }
    }
    auto cached = read_cache(cache_path(config));
    return {cached, cached.empty() ? "" : "cache"};
}

Result<void> learn_pid_file(const config::AgentConfig& config, mysql::Session& session) {
    if (!config.mysqld_pid_file.empty()) {
        return {};
    }
    auto rows = session.query("SELECT @@pid_file AS p, @@datadir AS d");
    if (!rows) {
        return tl::unexpected(rows.error());
    }
    if (rows->empty() || rows->value(0, "p").empty()) {
        return make_error(ErrorCode::NotFound, "mysqld reports no @@pid_file");
    }
    const auto path = resolve_pid_file(rows->value(0, "p"), rows->value(0, "d"));
    auto& l = learned();
    std::lock_guard lock(l.mutex);
    if (path == l.path) {
        return {};
    }
    l.path = path;
    const auto cache = cache_path(config);
    if (read_cache(cache) != path) {
        write_cache(cache, path);
    }
    mha::log::get("agent")->info(
        "mysqld's pid file is {} (its @@pid_file: agent.cnf sets no pid_file)", path);
    return {};
}

Result<void> learn_pid_file(const config::AgentConfig& config) {
    if (!config.mysqld_pid_file.empty()) {
        return {};
    }
    auto session = connect_local_socket(config, config.connect_timeout);
    if (!session) {
        return tl::unexpected(session.error());
    }
    return learn_pid_file(config, **session);
}

}  // namespace mha::agent
