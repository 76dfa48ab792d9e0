// Base64 (the standard alphabet, with padding) for the bytes the bus carries
// as text: screen pictures. One place, on libsodium's codec.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hall {

std::string to_base64(std::string_view bytes);
std::optional<std::string> from_base64(std::string_view text);  // nullopt: not base64

}  // namespace hall
