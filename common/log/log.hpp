#pragma once

#include <spdlog/spdlog.h>

#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace mha::log {

/// Where and how the process logs. Set once in main before any logger is used.
struct Options {
    std::string file;           ///< empty: stderr
    std::string level = "info"; ///< debug, info, notice, warning, error (MHA's log_level)
    bool json = false;          ///< one JSON object a line (--log-format json)
};

/// Configures every named logger made after and before this call.
void init(const Options& options);

/// The named logger of one component ("agent", "http", "failover" …), created on first use.
/// Inside a Scope (see below) the scope's logger of that component.
std::shared_ptr<spdlog::logger> get(const std::string& component);

/// The loggers of one part of a process that logs to its own place: one watched cluster of a
/// manager that watches many (issue 31), each with its manager_log. Thread-safe.
class Scope {
public:
    /// Logs to options.file, or to the process's log when it is empty. `label`, when not
    /// empty, is put before every message ("[app1] ", a "cluster" field in JSON): for clusters
    /// that share the service's log. It must hold no '%' nor '"'.
    Scope(const Options& options, std::string label);
    std::shared_ptr<spdlog::logger> get(const std::string& component);

private:
    std::mutex mutex_;
    std::vector<spdlog::sink_ptr> sinks_;
    spdlog::level::level_enum level_;
    bool json_;
    std::string label_;
    std::map<std::string, std::shared_ptr<spdlog::logger>> loggers_;
};

/// The scope the calling thread logs into (nullptr: the process's loggers).
std::shared_ptr<Scope> current_scope();

/// Makes `scope` the calling thread's for its lifetime, then restores the one before.
class ScopeGuard {
public:
    explicit ScopeGuard(std::shared_ptr<Scope> scope);
    ~ScopeGuard();
    ScopeGuard(const ScopeGuard&) = delete;
    ScopeGuard& operator=(const ScopeGuard&) = delete;

private:
    std::shared_ptr<Scope> previous_;
};

/// std::async(std::launch::async, f) whose thread logs into the caller's scope: the parallel
/// reads of a cluster's failover log where the cluster logs.
template <class F>
auto async(F&& f) {
    return std::async(std::launch::async,
                      [scope = current_scope(), f = std::forward<F>(f)]() mutable {
                          ScopeGuard guard(std::move(scope));
                          return f();
                      });
}

}  // namespace mha::log
