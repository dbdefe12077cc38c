#pragma once

#include <string>
#include <string_view>

#include "manager/checks/repl_check.hpp"

namespace mha::manager {

/// Prints one line as MHA's log does ("Wed Nov 25 02:29:58 2026 - [info] text") to stdout.
void print_line(CheckLine::Level level, std::string_view text);
inline void print_info(std::string_view text) { print_line(CheckLine::Level::Info, text); }
inline void print_warning(std::string_view text) { print_line(CheckLine::Level::Warning, text); }
inline void print_error(std::string_view text) { print_line(CheckLine::Level::Error, text); }

}  // namespace mha::manager
