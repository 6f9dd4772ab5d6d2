#pragma once

#include <atomic>
#include <cstdint>

namespace goji {

// UTC epoch milliseconds, the one time representation in storage and domain.
using Millis = std::int64_t;

class Clock {
public:
    virtual ~Clock() = default;
    virtual Millis NowMs() const = 0;
};

class SystemClock final : public Clock {
public:
    Millis NowMs() const override;
};

// A clock the tests move by hand.
class ManualClock final : public Clock {
public:
    explicit ManualClock(Millis start) : now_(start) {}
    Millis NowMs() const override { return now_.load(); }
    void Advance(Millis ms) { now_ += ms; }
    void Set(Millis ms) { now_ = ms; }

private:
    std::atomic<Millis> now_;
};

}  // namespace goji
