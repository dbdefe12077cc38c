#pragma once

#include <string>
#include <string_view>

namespace mha::log {

/// Text from a request (paths, parameters, header values, certificate names) made safe for one
/// log line: control characters (0x00–0x1f, 0x7f) become \n, \r, \t or \xNN and a backslash
/// becomes \\, so a client cannot end the line and forge another one.
std::string escape(std::string_view text);

}  // namespace mha::log
