// What public screens may show of a person: never a full name, ID number or
// phone number. The hall server passes every free text a person typed
// through mask_personal() before it enters the hall state, so nothing the
// bus publishes (updates, snapshots, get, stats) holds such a number.
#pragma once

#include <string>

namespace hall {

std::string mask_name(const std::string& utf8_name);  // 张三明 → 张*明, 张三 → 张*, 欧阳娜娜 → 欧**娜

// Masks every phone-like or ID-like number in a text: a run of digits
// (ASCII or full-width), joined by at most two separators (- space . ( ) and
// their full-width forms), possibly led by '+' and ended by an ID's X, that
// holds 7 digits or more. Of 11 or more digits the first 3 and last 4 stay
// (138****5678, 0571-****-1234, 110***********123X); of 9–10 the first 3 and
// last 2 (400-***-**34); of 7–8 the last 2 (******78). A calendar date
// (2026-12-01, 2026.12.01) is not a number to mask. The mask never leaves
// more than 4 digits side by side.
std::string mask_personal(const std::string& utf8_text);

// True when a text still holds a run that mask_personal() would mask.
bool holds_personal_number(const std::string& utf8_text);

}  // namespace hall
