#include "domain/stats/stats.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace goji::stats {

namespace {

// Growth figures multiply money by 10 000; 128 bits keep that exact.
__extension__ using Wide = __int128;

constexpr Millis kShanghaiOffsetMs = 8LL * 3600 * 1000;

int Yyyymmdd(int y, int m, int d) { return y * 10000 + m * 100 + d; }

int DaysInMonth(int y, int m) {
    using namespace std::chrono;
    const year_month_day_last last{year{y} / month{static_cast<unsigned>(m)} / std::chrono::last};
    return static_cast<int>(static_cast<unsigned>(last.day()));
}

// Digits only, exactly `text`'s length; nothing otherwise.
std::optional<int> Digits(std::string_view text) {
    if (text.empty()) return std::nullopt;
    int v = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

}  // namespace

std::string_view PriceTier(std::int64_t max_unit_price_fen) {
    if (max_unit_price_fen < kLowTierBelowFen) return "low";
    if (max_unit_price_fen < kMediumTierBelowFen) return "medium";
    return "high";
}

int ShanghaiDay(Millis utc_ms) {
    using namespace std::chrono;
    const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(utc_ms + kShanghaiOffsetMs)));
    const year_month_day ymd(day);
    return Yyyymmdd(static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                    static_cast<int>(static_cast<unsigned>(ymd.day())));
}

std::string Period::Name() const {
    char buf[16];
    switch (kind) {
        case PeriodKind::kYear:
            std::snprintf(buf, sizeof buf, "%04d", year);
            break;
        case PeriodKind::kQuarter:
            std::snprintf(buf, sizeof buf, "%04dQ%d", year, index);
            break;
        case PeriodKind::kMonth:
            std::snprintf(buf, sizeof buf, "%04d-%02d", year, index);
            break;
    }
    return buf;
}

int Period::FirstDay() const {
    switch (kind) {
        case PeriodKind::kYear:
            return Yyyymmdd(year, 1, 1);
        case PeriodKind::kQuarter:
            return Yyyymmdd(year, (index - 1) * 3 + 1, 1);
        case PeriodKind::kMonth:
            return Yyyymmdd(year, index, 1);
    }
    return 0;
}

int Period::LastDay() const {
    switch (kind) {
        case PeriodKind::kYear:
            return Yyyymmdd(year, 12, 31);
        case PeriodKind::kQuarter:
            return Yyyymmdd(year, index * 3, DaysInMonth(year, index * 3));
        case PeriodKind::kMonth:
            return Yyyymmdd(year, index, DaysInMonth(year, index));
    }
    return 0;
}

Period Period::PreviousYear() const { return {kind, year - 1, index}; }

Period Period::Previous() const {
    switch (kind) {
        case PeriodKind::kYear:
            return {kind, year - 1, 0};
        case PeriodKind::kQuarter:
            return index == 1 ? Period{kind, year - 1, 4} : Period{kind, year, index - 1};
        case PeriodKind::kMonth:
            return index == 1 ? Period{kind, year - 1, 12} : Period{kind, year, index - 1};
    }
    return *this;
}

std::optional<Period> ParsePeriod(std::string_view text) {
    if (text.size() < 4) return std::nullopt;
    const auto y = Digits(text.substr(0, 4));
    if (!y || *y < kMinYear || *y > kMaxYear) return std::nullopt;
    const std::string_view rest = text.substr(4);
    if (rest.empty()) return Period{PeriodKind::kYear, *y, 0};
    if (rest.size() == 2 && (rest[0] == 'Q' || rest[0] == 'q')) {
        const auto q = Digits(rest.substr(1));
        if (!q || *q < 1 || *q > 4) return std::nullopt;
        return Period{PeriodKind::kQuarter, *y, *q};
    }
    if (rest.size() == 3 && rest[0] == '-') {
        const auto m = Digits(rest.substr(1));
        if (!m || *m < 1 || *m > 12) return std::nullopt;
        return Period{PeriodKind::kMonth, *y, *m};
    }
    return std::nullopt;
}

std::vector<Period> MonthsBetween(const Period& from, const Period& to) {
    std::vector<Period> out;
    int y = from.year;
    int m = from.FirstDay() / 100 % 100;
    const int end = to.LastDay() / 100;  // YYYYMM
    while (y * 100 + m <= end && out.size() <= kMaxSeriesMonths) {
        out.push_back({PeriodKind::kMonth, y, m});
        if (++m == 13) {
            m = 1;
            ++y;
        }
    }
    return out;
}

std::optional<std::int64_t> GrowthHundredths(std::int64_t current, std::int64_t previous) {
    if (previous == 0) return std::nullopt;
    // Hundredths of a percent: (current − previous) × 10 000 / previous.
    const Wide num = static_cast<Wide>(current - previous) * 10000;
    const Wide den = previous;
    Wide q = num / den;
    const Wide r = num % den;
    // Half away from zero: |r| × 2 ≥ |den| moves q one step away from zero.
    const Wide abs_r = r < 0 ? -r : r;
    const Wide abs_den = den < 0 ? -den : den;
    if (abs_r * 2 >= abs_den) q += ((num < 0) != (den < 0)) ? -1 : 1;
    return static_cast<std::int64_t>(q);
}

std::optional<Millis> ParseTimestamp(std::string_view text) {
    using namespace std::chrono;
    if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    const auto y = Digits(text.substr(0, 4));
    const auto mo = Digits(text.substr(5, 2));
    const auto d = Digits(text.substr(8, 2));
    if (!y || !mo || !d) return std::nullopt;
    const year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
    if (!ymd.ok() || *y < 1970 || *y > kMaxYear) return std::nullopt;
    Millis local = duration_cast<milliseconds>(sys_days(ymd).time_since_epoch()).count();
    Millis offset = kShanghaiOffsetMs;
    std::string_view rest = text.substr(10);
    if (!rest.empty()) {
        if (rest.size() < 9 || (rest[0] != 'T' && rest[0] != ' ') || rest[3] != ':' || rest[6] != ':') {
            return std::nullopt;
        }
        const auto h = Digits(rest.substr(1, 2));
        const auto mi = Digits(rest.substr(4, 2));
        const auto s = Digits(rest.substr(7, 2));
        if (!h || !mi || !s || *h > 23 || *mi > 59 || *s > 59) return std::nullopt;
        local += ((*h * 60LL + *mi) * 60 + *s) * 1000;
        rest = rest.substr(9);
        if (!rest.empty() && rest[0] == '.') {
            std::size_t n = 1;
            while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
            if (n == 1 || n > 10) return std::nullopt;
            const std::string_view frac = rest.substr(1, n - 1);
            int ms = 0;
            for (std::size_t i = 0; i < 3; ++i) ms = ms * 10 + (i < frac.size() ? frac[i] - '0' : 0);
            local += ms;
            rest = rest.substr(n);
        }
        if (rest == "Z") {
            offset = 0;
        } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
            const auto oh = Digits(rest.substr(1, 2));
            const auto om = Digits(rest.substr(4, 2));
            if (!oh || !om || *oh > 14 || *om > 59) return std::nullopt;
            offset = (*oh * 60LL + *om) * 60 * 1000 * (rest[0] == '-' ? -1 : 1);
        } else if (!rest.empty()) {
            return std::nullopt;
        }
    }
    return local - offset;
}

std::optional<GroupBy> ParseGroupBy(std::string_view text) {
    if (text == "category") return GroupBy::kCategory;
    if (text == "township") return GroupBy::kTownship;
    if (text == "seller_kind") return GroupBy::kSellerKind;
    if (text == "channel") return GroupBy::kChannel;
    if (text == "poverty_relief") return GroupBy::kPovertyRelief;
    return std::nullopt;
}

}  // namespace goji::stats
