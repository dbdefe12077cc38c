#include "manager/rejoin/auto_rejoin.hpp"

#include "common/log/log.hpp"
#include "manager/rejoin/rejoin.hpp"

namespace mha::manager {

AutoRejoin::AutoRejoin(const config::AppConfig& config, config::ServerConfig old)
    : config_(config), old_(std::move(old)) {}

void AutoRejoin::tick() {
    const auto now = std::chrono::steady_clock::now();
    if (done_ || now < next_try_) {
        return;
    }
    next_try_ = now + kInterval;
    auto log = log::get("manager");
    auto joined = rejoin_old_master(config_, old_, 60, [&log](const std::string& line) {
        log->info("auto_rejoin: {}", line);
    });
    if (joined) {
        log->info("auto_rejoin: {}", *joined);
        done_ = true;
        return;
    }
    if (joined.error().code == ErrorCode::FailedPrecondition) {
        log->error("auto_rejoin: {}. No more tries: an operator must look (mhactl rejoin).",
                   joined.error().message);
        done_ = true;
        return;
    }
    if (joined.error().code == ErrorCode::Unavailable) {
        if (!said_waiting_) {
            log->info("auto_rejoin: waiting for the old master {} to answer ({}).",
                      old_.hostname, joined.error().message);
            said_waiting_ = true;
        }
        return;
    }
    log->warn("auto_rejoin: {}; trying again in {} s.", joined.error().message,
              std::chrono::seconds(kInterval).count());
}

}  // namespace mha::manager
