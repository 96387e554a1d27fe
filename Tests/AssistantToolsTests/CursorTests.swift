import AssistantTools
import Testing

@Suite("Cursor")
struct CursorTests {
    @Test("a cursor reads back in its own listing", arguments: ["0", "12", "vm/pve-a/101\u{1F}name", ""])
    func roundTrip(_ position: String) throws {
        let cursor = Cursor(listing: "tools/list", position: position)
        let decoded = try #require(Cursor(token: cursor.token, listing: "tools/list"))
        #expect(decoded == cursor)
        #expect(!cursor.token.contains("="))
        #expect(!cursor.token.contains("/"))
    }

    @Test("a cursor is refused by another listing")
    func otherListing() {
        let cursor = Cursor(listing: "tools/list", position: "3")
        #expect(Cursor(token: cursor.token, listing: "resources/list") == nil)
    }

    @Test("strings that are not cursors are refused", arguments: ["", "!!!", "Zm9v", String(repeating: "A", count: 5000)])
    func garbage(_ token: String) {
        #expect(Cursor(token: token, listing: "tools/list") == nil)
    }
}
