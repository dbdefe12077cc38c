#include "manager/ha/manual_lease.hpp"

#include "common/log/log.hpp"

namespace mha::manager::ha {

ManualLease::ManualLease(EtcdSettings settings, std::string identity)
    : client_(std::move(settings)), election_(client_, std::move(identity)), mirror_(election_) {}

ManualLease::~ManualLease() {
    if (election_.leader()) {
        log::get("ha")->info("{} gives the etcd key {} back.", election_.identity(),
                             client_.settings().leader_key());
    }
    election_.resign();
}

Result<std::unique_ptr<ManualLease>> ManualLease::acquire(const config::AppConfig& config,
                                                          const std::string& what) {
    auto settings = etcd_settings(config);
    if (!settings) {
        return tl::unexpected(settings.error());
    }
    if (!*settings) {
        return std::unique_ptr<ManualLease>();
    }
    const auto key = (*settings)->leader_key();
    auto lease = std::make_unique<ManualLease>(std::move(**settings), what + " on " +
                                                                          manager_identity());
    auto won = lease->election_.campaign();
    if (!won) {
        return make_error(ErrorCode::Unavailable,
                          "etcd does not answer (" + won.error().message +
                              "): whether a manager is active for " + config.app_name +
                              " cannot be told, so the cluster is left as it is. Bring etcd "
                              "back, or stop every manager and take etcd_endpoints out of "
                              "the config to change the cluster without them.");
    }
    if (!won->leader) {
        return make_error(ErrorCode::FailedPrecondition,
                          "the manager " + won->holder + " is active for " + config.app_name +
                              " (etcd key " + key + "): it monitors and fails over this "
                              "cluster. Stop it, or switch through its API, before changing "
                              "the cluster by hand.");
    }
    return lease;
}

}  // namespace mha::manager::ha
