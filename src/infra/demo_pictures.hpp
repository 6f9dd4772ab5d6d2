#pragma once

#include <cstdint>
#include <string>

namespace goji::infra {

struct Rgb {
    std::uint8_t r = 0;
    std::uint8_t g = 0;
    std::uint8_t b = 0;
};

// A generated "product photo" for the demo county: a warm backdrop with a
// heap of round fruit (berries, dates, nuts) in `fruit` colour, as PNG bytes.
// Deterministic for a seed.
std::string DemoPicture(std::uint32_t seed, Rgb backdrop, Rgb fruit, int fruit_radius);

}  // namespace goji::infra
