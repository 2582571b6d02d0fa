#pragma once
// CRC-32C (Castagnoli), the checksum every stored record carries.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace trader::persistence {

/// Continues a CRC-32C over data; start with crc = 0. Uses SSE4.2 when the CPU has it.
std::uint32_t crc32c(std::uint32_t crc, const void* data, std::size_t len);
/// The table-driven version (any CPU); same results as crc32c().
std::uint32_t crc32c_portable(std::uint32_t crc, const void* data, std::size_t len);

/// CRC-32C of a byte string.
inline std::uint32_t crc32c(std::string_view bytes) { return crc32c(0, bytes.data(), bytes.size()); }

} // namespace trader::persistence
