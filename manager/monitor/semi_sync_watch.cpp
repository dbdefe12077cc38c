#include "manager/monitor/semi_sync_watch.hpp"

#include "common/log/log.hpp"
#include "manager/topology/connect_options.hpp"

namespace mha::manager {
namespace {

constexpr auto kTimeout = std::chrono::milliseconds(800);

std::string counters(const mysql::SemiSyncState& s) {
    const auto n = s.names();
    return n.master_status + "=" + (s.master_status.value_or(false) ? "ON" : "OFF") + ", " +
           n.master_clients + "=" + std::to_string(s.master_clients.value_or(0));
}

}  // namespace

std::string semi_sync_condition(const mysql::SemiSyncState& state) {
    if (!state.master_available) {
        return "unavailable";
    }
    if (!state.master_enabled) {
        return "disabled";
    }
    return state.master_status.value_or(false) ? "on" : "fallen back";
}

std::optional<SemiSyncChange> semi_sync_change(const std::string& host, const std::string& before,
                                               const mysql::SemiSyncState& now) {
    const auto condition = semi_sync_condition(now);
    if (condition == before) {
        return std::nullopt;
    }
    const auto n = now.names();
    if (condition == "on") {
        return SemiSyncChange{
            "Semi-sync: the master " + host + (before.empty() ? " is" : " is again") +
                " semi-synchronous (" + counters(now) + ", " + n.wait_point + "=" + now.wait_point +
                ", " + n.timeout + "=" + std::to_string(now.timeout_ms.value_or(0)) + " ms).",
            false};
    }
    if (condition == "fallen back") {
        return SemiSyncChange{"Semi-sync: the master " + host +
                                  " has fallen back to asynchronous replication (" + counters(now) +
                                  "): commits acknowledged now may exist only on the master.",
                              true};
    }
    if (condition == "disabled") {
        return SemiSyncChange{"Semi-sync: the master " + host + " has " + n.master_enabled +
                                  "=OFF: commits do not wait for any replica (durability="
                                  "semi_sync).",
                              true};
    }
    return SemiSyncChange{"Semi-sync: the master " + host + " has no " + n.master_enabled +
                              " (no semi-sync on it; durability=semi_sync).",
                          true};
}

SemiSyncWatch::SemiSyncWatch(const config::ServerConfig& master)
    : master_(master), enabled_(master.durability == config::Durability::SemiSync) {}

void SemiSyncWatch::check() {
    if (!enabled_) {
        return;
    }
    auto log = log::get("manager");
    if (!session_) {
        auto s = mysql::connect(admin_connect_options(master_, kTimeout, kTimeout));
        if (!s) {
            if (unreadable_ != s.error().message) {
                log->warn("Semi-sync of the master {} cannot be read: {}", master_.hostname,
                          s.error().message);
                unreadable_ = s.error().message;
            }
            return;
        }
        session_ = std::move(*s);
        unreadable_.clear();
    }
    auto state = mysql::read_semi_sync(*session_);
    if (!state) {
        session_.reset();
        if (unreadable_ != state.error().message) {
            log->warn("Semi-sync of the master {} cannot be read: {}", master_.hostname,
                      state.error().message);
            unreadable_ = state.error().message;
        }
        return;
    }
    if (state->timeout_ms) {
        timeout_ms_ = state->timeout_ms;
    }
    if (auto change = semi_sync_change(master_.hostname, condition_, *state)) {
        if (change->warn) {
            log->warn("{}", change->text);
        } else {
            log->info("{}", change->text);
        }
        condition_ = semi_sync_condition(*state);
        note_ = condition_ == "on" ? "" : change->text;
    }
}

}  // namespace mha::manager
