#pragma once

#include <string>
#include <string_view>

namespace mha::http {

/// A label value escaped for Prometheus's text exposition format 0.0.4: backslash, double
/// quote and newline (the agent's and the manager's /metrics).
std::string escape_label_value(std::string_view text);

}  // namespace mha::http
