#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.hpp"

namespace mha::config {

/// One `key = value` line of an INI file, with its line number for error messages.
struct IniEntry {
    std::string key;
    std::string value;
    int line = 0;
};

/// One `[name]` block and its entries in file order. Entries before the first header
/// land in a section with an empty name and line 0.
struct IniSection {
    std::string name;
    int line = 0;
    std::vector<IniEntry> entries;

    /// The entry for `key`, or nullptr.
    [[nodiscard]] const IniEntry* find(std::string_view key) const;
};

/// A tokenized INI file: sections in file order (duplicates kept, callers decide).
struct IniDocument {
    std::string path;
    std::vector<IniSection> sections;
};

/// Tokenizes INI text the way Config::Tiny (MHA's parser) reads it: a line whose first
/// non-blank character is `#` or `;` is a comment, `[ name ]` opens a section, `key = value`
/// with blanks around both trimmed; there are no end-of-line comments, so `#` inside a
/// value is kept. A value wrapped in matching single or double quotes loses them (MHA strips
/// them after parsing). Any other line is an error "PATH:LINE: syntax error". A key repeated
/// inside one section is an error naming the first line. `path` is used in messages only.
Result<IniDocument> parse_ini(std::string_view text, const std::string& path);

/// Reads a whole file; NotFound when it does not exist, error text "PATH: <strerror>".
Result<std::string> read_text_file(const std::string& path);

/// "PATH:LINE: KEY: what" as an InvalidArgument error.
tl::unexpected<Error> config_error(const std::string& path, int line, std::string_view key,
                                   std::string_view what);

/// Parses a whole decimal number in [min, max]; false when `text` is anything else.
bool parse_int(std::string_view text, long long min, long long max, long long& out);

/// Trims blanks (space, tab, CR, LF, FF, VT) at both ends.
std::string_view trim(std::string_view text);

}  // namespace mha::config
