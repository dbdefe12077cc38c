#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/config/app_config.hpp"

namespace mha::manager {

/// The continuous manager's `auto_rejoin=1` (issue 30): after a failover, the old master is
/// rejoined as soon as it answers fenced (read_only), with every check of `mhactl rejoin`.
/// tick() runs after each good ping and tries at most every kInterval; a success or a refusal
/// (it holds transactions the master lacks) ends the tries, both logged; a failure to join is
/// tried again.
class AutoRejoin {
public:
    static constexpr auto kInterval = std::chrono::seconds(5);

    AutoRejoin(const config::AppConfig& config, config::ServerConfig old);
    void tick();
    [[nodiscard]] bool done() const { return done_; }

private:
    const config::AppConfig& config_;
    config::ServerConfig old_;
    std::chrono::steady_clock::time_point next_try_{};
    bool done_ = false;
    bool said_waiting_ = false;
};

}  // namespace mha::manager
