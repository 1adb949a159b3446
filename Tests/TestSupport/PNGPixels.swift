import Foundation

/// What a PNG shows, counted by Python's zlib (no imaging library): its size, how many pixels
/// differ from the page background, and how many have each of some exact colours.
public struct PNGPixels: Sendable {
    public let width: Int
    public let height: Int
    /// Pixels that are not the most common colour (the background).
    public let nonBackground: Int
    /// Pixels per asked colour (`#rrggbb`).
    public let counts: [String: Int]

    /// Decodes 8-bit RGB or RGBA non-interlaced PNGs (what Chromium writes).
    public static func count(_ png: String, colours: [String]) async throws -> PNGPixels {
        let result = try await Shell.runDetached(["/usr/bin/python3", "-c", program, png] + colours)
        guard result.status == 0, let data = result.stdout.data(using: .utf8),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TestSupportError("cannot decode \(png): \(result.output)")
        }
        return PNGPixels(width: object["width"] as? Int ?? 0, height: object["height"] as? Int ?? 0,
                         nonBackground: object["non_background"] as? Int ?? 0,
                         counts: object["counts"] as? [String: Int] ?? [:])
    }

    private static let program = #"""
    import json, struct, sys, zlib
    from collections import Counter
    data = open(sys.argv[1], "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unsupported PNG: depth {depth} colour {colour}"
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    pixels = Counter()
    offset = 0
    for _ in range(height):
        kind = raw[offset]
        line = bytearray(raw[offset + 1:offset + 1 + stride])
        offset += 1 + stride
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1: line[i] = (line[i] + a) & 255
            elif kind == 2: line[i] = (line[i] + b) & 255
            elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        pixels.update(bytes(line[i:i + 3]) for i in range(0, stride, channels))
        previous = line
    background, _ = pixels.most_common(1)[0]
    counts = {colour: pixels[bytes.fromhex(colour.lstrip("#"))] for colour in sys.argv[2:]}
    print(json.dumps({"width": width, "height": height, "counts": counts,
                      "non_background": sum(n for rgb, n in pixels.items() if rgb != background)}))
    """#
}
