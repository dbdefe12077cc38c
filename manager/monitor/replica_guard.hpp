#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/config/app_config.hpp"
#include "common/mysql/session.hpp"

namespace mha::manager {

/// Issue 30: while the master answers, every ping interval the manager reads each other
/// server's read_only and replication threads over one kept admin connection per server. A
/// server found writable is set back to read_only=1 (super_read_only=1 where it exists) and
/// logged; replication found stopped (or failing) is reported once per change and never
/// restarted; a server that cannot be read is reported once until it answers again.
class ReplicaGuard {
public:
    ReplicaGuard(const config::AppConfig& config, const config::ServerConfig& master);

    /// One round over every server, in parallel, each step bounded by the agents' timeout.
    void check();

private:
    struct Watched {
        const config::ServerConfig* server = nullptr;
        std::unique_ptr<mysql::Session> session;
        std::string replication;  ///< what was last reported of its threads
        std::string unreachable;  ///< why it could not be read, as last reported
    };
    static void check_one(Watched& w);

    std::vector<Watched> watched_;
};

}  // namespace mha::manager
