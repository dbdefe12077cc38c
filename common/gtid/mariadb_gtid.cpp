#include "common/gtid/mariadb_gtid.hpp"

#include <cctype>
#include <charconv>

namespace mha::gtid {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return s;
}

template <class T>
bool parse_number(std::string_view s, T& out) {
    if (s.empty()) {
        return false;
    }
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

std::string MariadbGtid::str() const {
    return std::to_string(domain_id) + "-" + std::to_string(server_id) + "-" +
           std::to_string(seq_no);
}

Result<MariadbGtid> MariadbGtid::parse(std::string_view text) {
    const auto t = trim(text);
    const auto a = t.find('-');
    const auto b = a == std::string_view::npos ? a : t.find('-', a + 1);
    MariadbGtid g;
    if (b == std::string_view::npos || !parse_number(t.substr(0, a), g.domain_id) ||
        !parse_number(t.substr(a + 1, b - a - 1), g.server_id) ||
        !parse_number(t.substr(b + 1), g.seq_no)) {
        return make_error(
            ErrorCode::InvalidArgument,
            "MariaDB GTID '" + std::string(t) + "': expected domain-server-sequence, e.g. 0-1-100");
    }
    return g;
}

Result<std::vector<MariadbGtid>> parse_gtid_list(std::string_view text) {
    std::vector<MariadbGtid> out;
    while (!trim(text).empty()) {
        const auto comma = text.find(',');
        auto item = trim(text.substr(0, comma));
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
        if (item.empty()) {
            continue;
        }
        auto g = MariadbGtid::parse(item);
        if (!g) {
            return tl::unexpected(g.error());
        }
        out.push_back(*g);
    }
    return out;
}

Result<GtidPos> GtidPos::parse(std::string_view text) {
    auto list = parse_gtid_list(text);
    if (!list) {
        return tl::unexpected(list.error());
    }
    GtidPos pos;
    for (const auto& g : *list) {
        pos.merge(g);
    }
    return pos;
}

std::optional<MariadbGtid> GtidPos::get(std::uint32_t domain) const {
    auto it = by_domain_.find(domain);
    return it == by_domain_.end() ? std::nullopt : std::optional<MariadbGtid>(it->second);
}

void GtidPos::merge(const MariadbGtid& g) {
    auto [it, fresh] = by_domain_.emplace(g.domain_id, g);
    if (!fresh && g.seq_no > it->second.seq_no) {
        it->second = g;
    }
}

void GtidPos::merge(const GtidPos& other) {
    for (const auto& [d, g] : other.by_domain_) {
        merge(g);
    }
}

bool GtidPos::covers(const MariadbGtid& g) const {
    auto it = by_domain_.find(g.domain_id);
    return it != by_domain_.end() && it->second.seq_no >= g.seq_no;
}

bool GtidPos::covers(const GtidPos& other) const {
    for (const auto& [d, g] : other.by_domain_) {
        if (!covers(g)) {
            return false;
        }
    }
    return true;
}

std::string GtidPos::str() const {
    std::string out;
    for (const auto& [d, g] : by_domain_) {
        out += (out.empty() ? "" : ",") + g.str();
    }
    return out;
}

Result<GtidState> GtidState::parse(std::string_view text) {
    auto list = parse_gtid_list(text);
    if (!list) {
        return tl::unexpected(list.error());
    }
    GtidState state;
    for (const auto& g : *list) {
        state.merge(g);
    }
    return state;
}

std::optional<std::uint64_t> GtidState::last(std::uint32_t domain, std::uint32_t server_id) const {
    auto it = last_.find({domain, server_id});
    return it == last_.end() ? std::nullopt : std::optional<std::uint64_t>(it->second);
}

void GtidState::merge(const MariadbGtid& g) {
    auto [it, fresh] = last_.emplace(std::pair{g.domain_id, g.server_id}, g.seq_no);
    if (!fresh && g.seq_no > it->second) {
        it->second = g.seq_no;
    }
}

void GtidState::merge(const GtidState& other) {
    for (const auto& [key, seq] : other.last_) {
        merge(MariadbGtid{key.first, key.second, seq});
    }
}

void GtidState::merge(const GtidPos& pos) {
    for (const auto& [d, g] : pos.domains()) {
        merge(g);
    }
}

bool GtidState::covers(const MariadbGtid& g) const {
    auto seq = last(g.domain_id, g.server_id);
    return seq && *seq >= g.seq_no;
}

GtidPos GtidState::position() const {
    GtidPos pos;
    for (const auto& [key, seq] : last_) {
        pos.merge(MariadbGtid{key.first, key.second, seq});
    }
    return pos;
}

std::string GtidState::str() const {
    std::string out;
    for (const auto& [key, seq] : last_) {
        out += (out.empty() ? "" : ",") + MariadbGtid{key.first, key.second, seq}.str();
    }
    return out;
}

PosOrder compare(const GtidPos& a, const GtidPos& b) {
    const bool a_covers = a.covers(b);
    const bool b_covers = b.covers(a);
    if (a_covers && b_covers) {
        return PosOrder::Equal;
    }
    if (a_covers) {
        return PosOrder::Ahead;
    }
    return b_covers ? PosOrder::Behind : PosOrder::Diverged;
}

}  // namespace mha::gtid
