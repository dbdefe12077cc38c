#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/util/result.hpp"

namespace mha::gtid {

/// One MariaDB GTID, domain-server-sequence ("0-1-100").
struct MariadbGtid {
    std::uint32_t domain_id = 0;
    std::uint32_t server_id = 0;
    std::uint64_t seq_no = 0;

    auto operator<=>(const MariadbGtid&) const = default;
    [[nodiscard]] std::string str() const;
    /// Errors: InvalidArgument naming the text when it is not three numbers joined by '-'.
    static Result<MariadbGtid> parse(std::string_view text);
};

/// A GTID list as MariaDB prints it ("0-1-100,1-2-7"; blanks and newlines allowed).
Result<std::vector<MariadbGtid>> parse_gtid_list(std::string_view text);

/// A MariaDB GTID *position* (gtid_slave_pos, Gtid_IO_Pos, gtid_binlog_pos): the last GTID
/// per domain. MariaDB keeps no more than that, so "A has everything B has" can only be
/// decided per domain, by sequence number (DESIGN.md §8).
class GtidPos {
public:
    GtidPos() = default;
    /// Parses a list; when a domain appears twice (a binlog state), the highest seq_no wins.
    static Result<GtidPos> parse(std::string_view text);

    [[nodiscard]] bool empty() const { return by_domain_.empty(); }
    [[nodiscard]] const std::map<std::uint32_t, MariadbGtid>& domains() const { return by_domain_; }
    [[nodiscard]] std::optional<MariadbGtid> get(std::uint32_t domain) const;
    /// Keeps `g` for its domain when its seq_no is higher than what is there.
    void merge(const MariadbGtid& g);
    void merge(const GtidPos& other);
    /// This position has reached `g`: same domain, seq_no at least g's.
    [[nodiscard]] bool covers(const MariadbGtid& g) const;
    /// Every domain of `other` is here with at least its seq_no.
    [[nodiscard]] bool covers(const GtidPos& other) const;
    /// "0-1-100,1-2-7", domains in order: what SET GLOBAL gtid_slave_pos takes.
    [[nodiscard]] std::string str() const;
    friend bool operator==(const GtidPos&, const GtidPos&) = default;

private:
    std::map<std::uint32_t, MariadbGtid> by_domain_;
};

/// A MariaDB binlog *state* (gtid_binlog_state): the last seq_no per (domain, server_id).
/// Finer than a position: a replica's own local writes keep their own entry.
class GtidState {
public:
    GtidState() = default;
    static Result<GtidState> parse(std::string_view text);

    [[nodiscard]] bool empty() const { return last_.empty(); }
    /// (domain, server_id) -> last seq_no.
    [[nodiscard]] const std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint64_t>& entries()
        const {
        return last_;
    }
    [[nodiscard]] std::optional<std::uint64_t> last(std::uint32_t domain,
                                                    std::uint32_t server_id) const;
    void merge(const MariadbGtid& g);
    void merge(const GtidState& other);
    /// Entries of a position join the state too (a position names its last server).
    void merge(const GtidPos& pos);
    /// The server `g.server_id` wrote up to at least `g` in its domain here.
    [[nodiscard]] bool covers(const MariadbGtid& g) const;
    /// The highest GTID per domain.
    [[nodiscard]] GtidPos position() const;
    [[nodiscard]] std::string str() const;

private:
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint64_t> last_;
};

/// How two received positions relate.
enum class PosOrder { Equal, Ahead, Behind, Diverged };

/// `a` against `b`: Ahead when a covers b and differs, Diverged when each has a domain where
/// it is further than the other.
PosOrder compare(const GtidPos& a, const GtidPos& b);

}  // namespace mha::gtid
