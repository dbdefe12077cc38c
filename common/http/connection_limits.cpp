#include "common/http/detail/connection.hpp"
#include "common/log/escape.hpp"

// Where a connection stands in the server's limits (ServerOptions: max_pending,
// max_pending_per_address, max_connections, manager_reserved).

namespace mha::http::detail {

void Connection::leave_pending() {
    if (pending_it_ == state_->pending.end()) {
        return;
    }
    state_->pending.erase(pending_it_);
    pending_it_ = state_->pending.end();
    if (const auto it = state_->pending_by_address.find(address_);
        it != state_->pending_by_address.end() && --it->second <= 0) {
        state_->pending_by_address.erase(it);
    }
}

void Connection::drop_pending() {
    leave_pending();
    beast::get_lowest_layer(stream_).cancel();
}

// After the handshake: the connection counts as the manager's or another's, within the
// limits (ServerOptions::max_connections, manager_reserved).
bool Connection::admit() {
    leave_pending();
    const bool manager = identity_ && identity_->role == config::ClientRole::Manager;
    if (!state_->admit_identified(manager)) {
        state_->warn_refused(
            state_->reserve_refusals,
            "closing a connection from " + peer_ + " (" + log::escape(names_) +
                "): " + std::to_string(state_->managers + state_->others) +
                " open (max_connections " + std::to_string(state_->options.max_connections) + ", " +
                std::to_string(state_->options.manager_reserved) + " kept for managers)");
        return false;
    }
    admission_ = manager ? Admission::Manager : Admission::Other;
    ++(manager ? state_->managers : state_->others);
    return true;
}

}  // namespace mha::http::detail
