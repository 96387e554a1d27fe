import Foundation

/// An opaque pagination cursor: where the next page of one listing starts.
///
/// On the wire it is base64url text; inside, the listing's name and a
/// position. A cursor from another listing, an edited cursor, or any other
/// string decodes to nil, which the caller answers with `-32602`.
package struct Cursor: Sendable, Equatable {
    /// The listing the cursor belongs to, e.g. `tools/list`.
    package var listing: String
    /// Where the next page starts: an offset, or a keyset position.
    package var position: String

    package init(listing: String, position: String) {
        self.listing = listing
        self.position = position
    }

    private static let version = "c1"

    /// The opaque wire form.
    package var token: String {
        let plain = [Self.version, listing, position].joined(separator: "\n")
        // base64url without padding, mapped byte by byte: Foundation's replacingOccurrences costs more
        // than the encoding.
        var url: [UInt8] = []
        url.reserveCapacity((plain.utf8.count + 2) / 3 * 4)
        for byte in Data(plain.utf8).base64EncodedData() {
            switch byte {
            case UInt8(ascii: "+"): url.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): url.append(UInt8(ascii: "_"))
            case UInt8(ascii: "="): continue
            default: url.append(byte)
            }
        }
        return String(decoding: url, as: UTF8.self)
    }

    /// Reads a cursor for `listing`; nil when `token` is not one.
    package init?(token: String, listing: String) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard token.count <= 4096,
              let data = Data(base64Encoded: base64),
              let plain = String(data: data, encoding: .utf8)
        else { return nil }
        let parts = plain.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Self.version, parts[1] == listing else { return nil }
        self.init(listing: listing, position: String(parts[2]))
    }
}
