#include "manager/monitor/monitor_lock.hpp"

#include <charconv>
#include <thread>

#include "common/log/log.hpp"
#include "manager/monitor/advisory_lock.hpp"

namespace mha::manager {
namespace {

/// The connection holding the lock (IS_USED_LOCK); 0 when it is free.
Result<std::uint64_t> lock_holder(mysql::Session& session) {
    auto rs = session.query("SELECT IS_USED_LOCK('" + std::string(kMonitorLock) + "') AS id");
    if (!rs) {
        return tl::unexpected(rs.error());
    }
    const auto text = rs->empty() ? std::string() : rs->value(0, "id");
    std::uint64_t id = 0;
    std::from_chars(text.data(), text.data() + text.size(), id);
    return id;
}

}  // namespace

std::string describe_connection(mysql::Session& session, std::uint64_t id) {
    const std::string name = "connection " + std::to_string(id);
    auto rs = session.query(
        "SELECT USER AS u, HOST AS h, COMMAND AS c, TIME AS t FROM "
        "information_schema.PROCESSLIST WHERE ID = " +
        std::to_string(id));
    if (!rs || rs->empty()) {
        return name;
    }
    return name + " (" + rs->value(0, "u") + "@" + rs->value(0, "h") + ", " + rs->value(0, "c") +
           " for " + rs->value(0, "t") + " s)";
}

Result<void> take_monitor_lock(mysql::Session& session, std::uint64_t previous_connection,
                               std::chrono::milliseconds wait,
                               const std::function<bool()>& take_over) {
    const auto until = std::chrono::steady_clock::now() + wait;
    bool killed_previous = false;
    while (true) {
        auto locked = get_lock(session, kMonitorLock, 0);
        if (!locked) {
            return tl::unexpected(locked.error());
        }
        if (*locked) {
            return {};
        }
        auto holder = lock_holder(session);
        if (!holder) {
            return tl::unexpected(holder.error());
        }
        if (*holder != 0 && *holder == previous_connection && !killed_previous) {
            // Our own session from before the reconnect (a stalled network): end it.
            log::get("manager")->info(
                "The monitor lock is still held by this manager's previous "
                "connection {}: killing it.",
                *holder);
            (void)session.execute("KILL " + std::to_string(*holder));
            killed_previous = true;
            continue;
        }
        if (*holder != 0 && take_over && !killed_previous && take_over()) {
            log::get("manager")->warn(
                "The monitor lock is held by {}: this manager holds the cluster's etcd lease, so "
                "that holder is a manager that lost it (paused or cut off from etcd): killing "
                "it.",
                describe_connection(session, *holder));
            (void)session.execute("KILL " + std::to_string(*holder));
            killed_previous = true;
            continue;
        }
        if (std::chrono::steady_clock::now() >= until) {
            return make_error(
                ErrorCode::FailedPrecondition,
                "the monitor advisory lock is held by " + describe_connection(session, *holder));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

}  // namespace mha::manager
