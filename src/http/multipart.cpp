#include "http/multipart.hpp"

#include "common/text.hpp"

namespace goji::http {

namespace {

Error Malformed(std::string internal) {
    Error e = Error::Make(ErrorKind::kBadInput, "malformed_multipart", std::move(internal));
    return e;
}

// The value of `param` in a header value like `form-data; name="image"; filename="a.jpg"`.
std::string Param(std::string_view header, std::string_view param) {
    std::size_t pos = 0;
    while (pos < header.size()) {
        const std::size_t semi = header.find(';', pos);
        std::string_view item = text::Trim(header.substr(pos, semi == std::string_view::npos ? semi : semi - pos));
        pos = semi == std::string_view::npos ? header.size() : semi + 1;
        const std::size_t eq = item.find('=');
        if (eq == std::string_view::npos || !text::IEquals(text::Trim(item.substr(0, eq)), param)) continue;
        std::string_view v = text::Trim(item.substr(eq + 1));
        if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
        return std::string(v);
    }
    return {};
}

}  // namespace

Result<std::vector<FormPart>> ParseMultipart(std::string_view content_type, std::string_view body) {
    const std::string_view media = text::Trim(content_type.substr(0, content_type.find(';')));
    if (!text::IEquals(media, "multipart/form-data")) {
        return Error::Make(ErrorKind::kUnsupportedMedia, "unsupported_media_type");
    }
    const std::string boundary = Param(content_type, "boundary");
    if (boundary.empty() || boundary.size() > 70) return Malformed("boundary");
    const std::string delimiter = "--" + boundary;
    std::vector<FormPart> parts;
    std::size_t pos = body.find(delimiter);
    if (pos == std::string_view::npos) return Malformed("no first boundary");
    pos += delimiter.size();
    for (;;) {
        if (body.substr(pos, 2) == "--") return parts;  // closing delimiter
        if (body.substr(pos, 2) != "\r\n") return Malformed("boundary line");
        pos += 2;
        const std::size_t head_end = body.find("\r\n\r\n", pos);
        if (head_end == std::string_view::npos) return Malformed("part headers");
        FormPart part;
        std::string_view headers = body.substr(pos, head_end - pos);
        while (!headers.empty()) {
            const std::size_t eol = headers.find("\r\n");
            const std::string_view line = headers.substr(0, eol);
            headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 2);
            const std::size_t colon = line.find(':');
            if (colon == std::string_view::npos) return Malformed("part header line");
            const std::string_view name = text::Trim(line.substr(0, colon));
            const std::string_view value = text::Trim(line.substr(colon + 1));
            if (text::IEquals(name, "content-disposition")) {
                part.name = Param(value, "name");
                part.filename = Param(value, "filename");
            } else if (text::IEquals(name, "content-type")) {
                part.content_type = std::string(value);
            }
        }
        const std::size_t data_start = head_end + 4;
        const std::size_t next = body.find("\r\n" + delimiter, data_start);
        if (next == std::string_view::npos) return Malformed("unterminated part");
        part.data = body.substr(data_start, next - data_start);
        if (parts.size() >= kMaxFormParts) return Malformed("too many parts");
        parts.push_back(std::move(part));
        pos = next + 2 + delimiter.size();
    }
}

}  // namespace goji::http
