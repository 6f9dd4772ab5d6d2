// The compiled parts of the header-only Boost libraries we use, in exactly
// one translation unit.
#include <boost/json/src.hpp>
#include <boost/url/src.hpp>
