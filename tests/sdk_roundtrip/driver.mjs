// Round-trip driver for the JS SDK: node driver.mjs path/to/index.js BASE_URL OUT.json
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [sdkIndex, baseUrl, outFile] = process.argv.slice(2);
const sdk = await import(pathToFileURL(sdkIndex).href);
const client = new sdk.Client({ baseUrl, maxRetries: 0 });
const opts = (name) => ({ headers: { "x-apictl-case": name } });

function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted(value[k])]));
  }
  return value;
}

const facts = (value) => ({ value: value === undefined ? null : sorted(value) });
const message = { content: "hi", sticker_ids: ["11", "22"], flags: 4, embeds: [{ title: "T", color: 255 }] };

const calls = {
  box_file: async () => facts(await client.getFilesId({
    fileId: "12 34/5", fields: ["name", "size", "item_status"], ifNoneMatch: '"1"',
    boxapi: "shared_link=https://app.box.com/s/abc" }, opts("box_file"))),
  box_problem: async () => facts(await client.getFilesId({ fileId: "999" }, opts("box_problem"))),
  box_content: async () => ({ bytes: Buffer.from(await client.getFilesIdContent({ fileId: "f1", range: "bytes=0-7" },
    opts("box_content"))).toString("base64") }),
  box_upload: async () => facts(await client.postFilesContent({
    body: { attributes: { name: "a.txt", parent: { id: "0" } }, file: new TextEncoder().encode("hello") },
    fields: ["id", "name"] }, opts("box_upload"))),
  es_alias: async () => facts(await client.indicesDeleteAlias({ index: ["logs-1", "logs 2"], name: "current",
    masterTimeout: "30s" }, opts("es_alias"))),
  discord_json: async () => facts(await client.createLobbyMessage({ lobbyId: "l1", body: message }, opts("discord_json"))),
  discord_form: async () => facts(await client.createLobbyMessage({ lobbyId: "l1", body: message,
    contentType: "application/x-www-form-urlencoded" }, opts("discord_form"))),
  discord_multipart: async () => facts(await client.createLobbyMessage({ lobbyId: "l1", body: message,
    contentType: "multipart/form-data" }, opts("discord_multipart"))),
  discord_sticker: async () => facts(await client.createGuildSticker({ guildId: "g1", body: {
    name: "cat", tags: "cat,kitty", description: "d", file: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) } },
  opts("discord_sticker"))),
  letta_messages: async () => facts(await client.listMessages({ agentId: "agent-1", limit: 3,
    includeReturnMessageTypes: ["assistant_message", "reasoning_message"] }, opts("letta_messages"))),
  letta_block: async () => facts(await client.modifyBlock({ blockId: "block-1", body: { value: "v2", label: null } },
    opts("letta_block"))),
  spotify_queue: async () => facts(await client.getQueue({}, opts("spotify_queue"))),
  styles: async () => facts(await client.getStyles({ label: ["a", "b c"], matrix: ["x", "y"],
    filter: { owner: "me", size: 2 }, pipes: [1, 2], spaces: ["a", "b"], point: { x: 1.5, y: 2 }, xIds: [1, 2],
    session: "abc;def" }, opts("styles"))),
  spotify_search: async () => facts(await client.search({ q: "abba", type_: ["album", "artist"], limit: 2,
    includeExternal: "audio" }, opts("spotify_search"))),
};

const results = {};
for (const [name, call] of Object.entries(calls)) {
  try {
    results[name] = await call();
  } catch (error) {
    if (!(error instanceof sdk.ApiError)) throw error;
    results[name] = { error: { status: error.status, message: error.errorMessage ?? null } };
  }
}
writeFileSync(outFile, JSON.stringify(results));
