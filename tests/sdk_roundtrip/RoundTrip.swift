// Round-trip driver for the Swift SDK (module RtSdk), run as an XCTest case: RT_URL=... RT_OUT=... swift test
import Foundation
import XCTest
@testable import RtSdk

final class RoundTrip: XCTestCase {
    let client = Client(configuration: Configuration(
        baseURL: URL(string: ProcessInfo.processInfo.environment["RT_URL"] ?? "http://127.0.0.1:9")!, maxRetries: 0))

    func opts(_ name: String) -> RequestOptions {
        return RequestOptions(headers: ["x-apictl-case": name])
    }

    func facts<T: Encodable>(_ value: T, _ more: [String: Any] = [:]) throws -> [String: Any] {
        let json = try JSONSerialization.jsonObject(with: try Coding.encode(value), options: [.fragmentsAllowed])
        return more.merging(["value": json], uniquingKeysWith: { $1 })
    }

    /// The model name of a union's case, or "unknown".
    func variant(_ union: Any?) -> String {
        guard let union = union, let child = Mirror(reflecting: union).children.first else { return "none" }
        return child.label == "unknown" ? "unknown" : String(describing: type(of: child.value))
    }

    func testRoundTrip() async throws {
        let message = SdkMessageRequest(content: "hi", embeds: [RichEmbed(title: "T", color: 255)],
                                        stickerIds: ["11", "22"], flags: 4)
        let calls: [(String, () async throws -> [String: Any])] = [
            ("box_file", {
                let file = try await self.client.getFilesId(fileId: "12 34/5", fields: ["name", "size", "item_status"],
                                                            ifNoneMatch: "\"1\"", boxapi: "shared_link=https://app.box.com/s/abc",
                                                            options: self.opts("box_file"))
                return try self.facts(file, ["item_status_known": file.itemStatus?.isKnown ?? true])
            }),
            ("box_problem", { try self.facts(try await self.client.getFilesId(fileId: "999", options: self.opts("box_problem"))) }),
            ("box_content", {
                let data = try await self.client.getFilesIdContent(fileId: "f1", range: "bytes=0-7", options: self.opts("box_content"))
                return ["bytes": data.base64EncodedString()]
            }),
            ("box_upload", {
                let body = PostFilesContentRequest(
                    attributes: PostFilesContentRequestAttributes(name: "a.txt", parent: PostFilesContentRequestAttributesParent(id: "0")),
                    file: Data("hello".utf8))
                return try self.facts(try await self.client.postFilesContent(body: body, fields: ["id", "name"], options: self.opts("box_upload")))
            }),
            ("es_alias", {
                try self.facts(try await self.client.indicesDeleteAlias(index: .stringList(["logs-1", "logs 2"]), name: .string2("current"),
                                                                        masterTimeout: .string2("30s"), options: self.opts("es_alias")))
            }),
            ("discord_json", { try self.facts(try await self.client.createLobbyMessage(lobbyId: "l1", body: message, options: self.opts("discord_json"))) }),
            ("discord_form", {
                try self.facts(try await self.client.createLobbyMessage(lobbyId: "l1", body: message, contentType: "application/x-www-form-urlencoded",
                                                                        options: self.opts("discord_form")))
            }),
            ("discord_multipart", {
                try self.facts(try await self.client.createLobbyMessage(lobbyId: "l1", body: message, contentType: "multipart/form-data",
                                                                        options: self.opts("discord_multipart")))
            }),
            ("discord_sticker", {
                let body = CreateGuildStickerRequest(name: "cat", tags: "cat,kitty", description: "d", file: Data([0x89, 0x50, 0x4e, 0x47]))
                return try self.facts(try await self.client.createGuildSticker(guildId: "g1", body: body, options: self.opts("discord_sticker")))
            }),
            ("letta_messages", {
                let items = try await self.client.listMessages(agentId: "agent-1", limit: 3,
                                                               includeReturnMessageTypes: [.assistantMessage, .reasoningMessage],
                                                               options: self.opts("letta_messages"))
                return try self.facts(items, ["variants": items.map { self.variant($0) }])
            }),
            ("letta_block", {
                try self.facts(try await self.client.modifyBlock(blockId: "block-1", body: BlockUpdate(value: "v2", explicitNulls: ["label"]),
                                                                 options: self.opts("letta_block")))
            }),
            ("spotify_queue", {
                let queue = try await self.client.getQueue(options: self.opts("spotify_queue"))
                return try self.facts(queue, ["variants": [self.variant(queue.currentlyPlaying)] + (queue.queue ?? []).map { self.variant($0) }])
            }),
            ("styles", {
                try await self.client.getStyles(label: ["a", "b c"], matrix: ["x", "y"], filter: GetStylesFilter(owner: "me", size: 2),
                                                pipes: [1, 2], spaces: ["a", "b"], point: GetStylesPoint(x: 1.5, y: 2), xIds: [1, 2],
                                                session: "abc;def", options: self.opts("styles"))
                return ["value": NSNull()]
            }),
            ("spotify_search", {
                try self.facts(try await self.client.search(q: "abba", type: [.album, .artist], limit: 2, includeExternal: .audio,
                                                            options: self.opts("spotify_search")))
            }),
        ]
        var results: [String: Any] = [:]
        for (name, call) in calls {
            do {
                results[name] = try await call()
            } catch ApiError.http(let error) {
                results[name] = ["error": ["status": error.status, "message": error.message as Any]]
            }
        }
        let out = ProcessInfo.processInfo.environment["RT_OUT"] ?? "roundtrip-swift.json"
        try JSONSerialization.data(withJSONObject: results).write(to: URL(fileURLWithPath: out))
    }
}
