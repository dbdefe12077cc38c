#include "manager/monitor/advisory_lock.hpp"

#include <string>

namespace mha::manager {

Result<bool> get_lock(mysql::Session& session, std::string_view name, int timeout_seconds) {
    auto rs = session.query("SELECT GET_LOCK('" + std::string(name) + "', " +
                            std::to_string(timeout_seconds) + ") AS value");
    if (!rs) {
        return tl::unexpected(rs.error());
    }
    return rs->value(0, "value") == "1";
}

Result<void> release_lock(mysql::Session& session, std::string_view name) {
    return session.execute("DO RELEASE_LOCK('" + std::string(name) + "')");
}

}  // namespace mha::manager
