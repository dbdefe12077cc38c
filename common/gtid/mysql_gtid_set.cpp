#include "common/gtid/mysql_gtid_set.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace mha::gtid {
namespace {

std::string strip_blanks(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (!std::isspace(static_cast<unsigned char>(c))) {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    while (true) {
        auto at = s.find(sep);
        out.push_back(s.substr(0, at));
        if (at == std::string_view::npos) {
            return out;
        }
        s.remove_prefix(at + 1);
    }
}

bool is_uuid(std::string_view s) {
    if (s.size() != 36) {
        return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) {
            return false;
        }
    }
    return true;
}

bool parse_u64(std::string_view s, std::uint64_t& out) {
    if (s.empty()) {
        return false;
    }
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && ptr == s.data() + s.size();
}

bool parse_interval(std::string_view s, GtidSet::Interval& out) {
    auto dash = s.find('-');
    if (dash == std::string_view::npos) {
        return parse_u64(s, out.first) && (out.last = out.first, out.first > 0);
    }
    return parse_u64(s.substr(0, dash), out.first) && parse_u64(s.substr(dash + 1), out.last) &&
           out.first > 0 && out.first <= out.last;
}

tl::unexpected<Error> bad(std::string_view part, std::string_view why) {
    return make_error(ErrorCode::InvalidArgument,
                      "MySQL GTID set: '" + std::string(part) + "': " + std::string(why));
}

}  // namespace

Result<GtidSet> GtidSet::parse(std::string_view text) {
    GtidSet set;
    const std::string compact = strip_blanks(text);
    if (compact.empty()) {
        return set;
    }
    for (auto item : split(compact, ',')) {
        if (item.empty()) {
            continue;
        }
        auto parts = split(item, ':');
        if (!is_uuid(parts[0])) {
            return bad(item, "expected a server UUID first");
        }
        std::string source(parts[0]);
        std::size_t i = 1;
        bool any = false;
        for (; i < parts.size(); ++i) {
            Interval in;
            if (parse_interval(parts[i], in)) {
                set.add(source, in);
                any = true;
            } else if (!parts[i].empty() &&
                       std::isalpha(static_cast<unsigned char>(parts[i][0])) != 0) {
                source = std::string(parts[0]) + ":" + std::string(parts[i]);  // a tag
            } else {
                return bad(item, "'" + std::string(parts[i]) + "' is not an interval N or N-M");
            }
        }
        if (!any) {
            return bad(item, "no interval after the server UUID");
        }
    }
    return set;
}

bool GtidSet::contains(std::string_view source, std::uint64_t gno) const {
    auto it = sources_.find(std::string(source));
    if (it == sources_.end()) {
        return false;
    }
    for (const auto& in : it->second) {
        if (gno >= in.first && gno <= in.last) {
            return true;
        }
    }
    return false;
}

bool GtidSet::is_subset_of(const GtidSet& other) const { return subtract(other).empty(); }

void GtidSet::add(std::string_view source, Interval interval) {
    auto& list = sources_[std::string(source)];
    list.push_back(interval);
    std::sort(list.begin(), list.end(),
              [](const Interval& a, const Interval& b) { return a.first < b.first; });
    std::vector<Interval> merged;
    for (const auto& in : list) {
        if (!merged.empty() && in.first <= merged.back().last + 1) {
            merged.back().last = std::max(merged.back().last, in.last);
        } else {
            merged.push_back(in);
        }
    }
    list = std::move(merged);
}

void GtidSet::add(const GtidSet& other) {
    for (const auto& [source, list] : other.sources_) {
        for (const auto& in : list) {
            add(source, in);
        }
    }
}

GtidSet GtidSet::subtract(const GtidSet& other) const {
    GtidSet out;
    for (const auto& [source, list] : sources_) {
        auto it = other.sources_.find(source);
        for (auto in : list) {
            std::vector<Interval> rest{in};
            if (it != other.sources_.end()) {
                for (const auto& cut : it->second) {
                    std::vector<Interval> next;
                    for (const auto& r : rest) {
                        if (cut.last < r.first || cut.first > r.last) {
                            next.push_back(r);
                            continue;
                        }
                        if (cut.first > r.first) {
                            next.push_back({r.first, cut.first - 1});
                        }
                        if (cut.last < r.last) {
                            next.push_back({cut.last + 1, r.last});
                        }
                    }
                    rest = std::move(next);
                }
            }
            for (const auto& r : rest) {
                out.add(source, r);
            }
        }
    }
    return out;
}

GtidSet GtidSet::without_source(std::string_view source) const {
    GtidSet out = *this;
    out.sources_.erase(std::string(source));
    return out;
}

std::uint64_t GtidSet::count() const {
    std::uint64_t n = 0;
    for (const auto& [source, list] : sources_) {
        for (const auto& in : list) {
            n += in.last - in.first + 1;
        }
    }
    return n;
}

std::string GtidSet::str() const {
    std::string out;
    for (const auto& [source, list] : sources_) {
        out += (out.empty() ? "" : ",") + source;
        for (const auto& in : list) {
            out += ":" + std::to_string(in.first);
            if (in.last != in.first) {
                out += "-" + std::to_string(in.last);
            }
        }
    }
    return out;
}

}  // namespace mha::gtid
