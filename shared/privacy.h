// What public screens may show of a person: never a full name, ID number or
// phone number.
#pragma once

#include <string>

namespace hall {

std::string mask_name(const std::string& utf8_name);  // 张三明 → 张*明, 张三 → 张*, 欧阳娜娜 → 欧**娜
std::string mask_digits(const std::string& text);     // keeps the first 3 and last 4 of a long digit run: 138****5678

}  // namespace hall
