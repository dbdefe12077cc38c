#include "common/config/ini.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

namespace mha::config {
namespace {

constexpr std::string_view kBlanks = " \t\r\n\f\v";

// MHA applies s/^['"]?(.*)['"]$/$1/ to every value; we strip only a matching pair, so a
// value that merely ends in a quote keeps it.
std::string unquote(std::string_view value) {
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
        value = value.substr(1, value.size() - 2);
    }
    return std::string(value);
}

// Returns false when the line is neither a header nor key=value.
bool parse_header(std::string_view line, std::string& name) {
    if (line.size() < 2 || line.front() != '[' || line.back() != ']') {
        return false;
    }
    name = std::string(trim(line.substr(1, line.size() - 2)));
    return !name.empty();
}

}  // namespace

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(kBlanks);
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(kBlanks);
    return text.substr(first, last - first + 1);
}

const IniEntry* IniSection::find(std::string_view key) const {
    for (const auto& entry : entries) {
        if (entry.key == key) {
            return &entry;
        }
    }
    return nullptr;
}

tl::unexpected<Error> config_error(const std::string& path, int line, std::string_view key,
                                   std::string_view what) {
    std::string message = path + ":" + std::to_string(line) + ": ";
    if (!key.empty()) {
        message.append(key).append(": ");
    }
    message.append(what);
    return make_error(ErrorCode::InvalidArgument, std::move(message));
}

bool parse_int(std::string_view text, long long min, long long max, long long& out) {
    long long value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end || value < min || value > max) {
        return false;
    }
    out = value;
    return true;
}

Result<IniDocument> parse_ini(std::string_view text, const std::string& path) {
    IniDocument doc{path, {}};
    int line_no = 0;
    while (!text.empty()) {
        const auto eol = text.find('\n');
        const auto raw = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        ++line_no;
        const auto line = trim(raw);
        if (line.empty() || line.front() == '#' || line.front() == ';') {
            continue;
        }
        std::string name;
        if (parse_header(line, name)) {
            doc.sections.push_back(IniSection{std::move(name), line_no, {}});
            continue;
        }
        const auto eq = line.find('=');
        if (eq == std::string_view::npos || eq == 0) {
            // Never quote the line: it may hold a password.
            return config_error(path, line_no, "",
                                "syntax error: expected [section] or key = value");
        }
        if (doc.sections.empty()) {
            doc.sections.push_back(IniSection{"", 0, {}});
        }
        auto& section = doc.sections.back();
        std::string key(trim(line.substr(0, eq)));
        if (const auto* first = section.find(key)) {
            return config_error(
                path, line_no, key,
                "duplicate key (first set at line " + std::to_string(first->line) + ")");
        }
        section.entries.push_back(
            IniEntry{std::move(key), unquote(trim(line.substr(eq + 1))), line_no});
    }
    return doc;
}

Result<std::string> read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int err = errno;
        auto code = err == ENOENT ? ErrorCode::NotFound : ErrorCode::FailedPrecondition;
        Error error{code, path + ": " + std::strerror(err), err};
        return tl::unexpected<Error>(std::move(error));
    }
    std::ostringstream out;
    out << in.rdbuf();
    if (in.bad()) {
        return make_error(ErrorCode::FailedPrecondition, path + ": read failed");
    }
    return out.str();
}

}  // namespace mha::config
