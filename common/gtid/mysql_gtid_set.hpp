#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.hpp"

namespace mha::gtid {

/// A MySQL GTID set ("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7,…" as gtid_executed,
/// Retrieved_Gtid_Set and Executed_Gtid_Set print it, newlines included). Tagged GTIDs
/// (8.3+, "uuid:tag:1-5") keep "uuid:tag" as their source. Intervals are kept merged.
class GtidSet {
public:
    /// An inclusive interval of transaction numbers.
    struct Interval {
        std::uint64_t first = 0;
        std::uint64_t last = 0;
        friend bool operator==(const Interval&, const Interval&) = default;
    };

    GtidSet() = default;
    /// Errors: InvalidArgument naming the bad part ("no interval after uuid", "5-3").
    static Result<GtidSet> parse(std::string_view text);

    [[nodiscard]] bool empty() const { return sources_.empty(); }
    [[nodiscard]] const std::map<std::string, std::vector<Interval>>& sources() const {
        return sources_;
    }
    [[nodiscard]] bool contains(std::string_view source, std::uint64_t gno) const;
    /// Every GTID of this set is in `other` (GTID_SUBSET).
    [[nodiscard]] bool is_subset_of(const GtidSet& other) const;
    void add(std::string_view source, Interval interval);
    void add(const GtidSet& other);
    /// This set without the GTIDs of `other` (GTID_SUBTRACT).
    [[nodiscard]] GtidSet subtract(const GtidSet& other) const;
    /// Only the GTIDs whose source is not `source`.
    [[nodiscard]] GtidSet without_source(std::string_view source) const;
    /// Number of transactions in the set.
    [[nodiscard]] std::uint64_t count() const;
    /// MySQL's text form, sources in order, no blanks.
    [[nodiscard]] std::string str() const;
    friend bool operator==(const GtidSet&, const GtidSet&) = default;

private:
    std::map<std::string, std::vector<Interval>> sources_;
};

}  // namespace mha::gtid
