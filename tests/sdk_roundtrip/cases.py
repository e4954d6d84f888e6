"""The cross-language round trip: operations chosen from the corpus specs, what the recording server answers, and
what every SDK must send.

Each driver (driver.py, driver.mjs, RoundTrip.swift, RoundTrip.java) makes the same calls, one per case, with the
header ``x-apictl-case: <id>``, and writes what it decoded as JSON: ``{"value": <the result encoded again by the
SDK's own encoder>, ...}`` or ``{"error": {"status": ..., "message": ...}}``.
"""
from __future__ import annotations

import json
from pathlib import Path

from tests.sdk_roundtrip.server import Canned

CORPUS_PARTS = [
    # (spec, path prefix, operations): every construct the issue lists, from real specs
    ("box-openapi.json", "/box", [("get", "/files/{file_id}"), ("get", "/files/{file_id}/content"),
                                  ("post", "/files/content")]),
    ("elasticsearch-serverless-openapi.json", "/es", [("delete", "/{index}/_alias/{name}")]),
    ("discord-openapi.json", "/discord", [("post", "/lobbies/{lobby_id}/messages"),
                                          ("post", "/guilds/{guild_id}/stickers")]),
    ("letta-openapi.json", "/letta", [("get", "/v1/agents/{agent_id}/messages"), ("patch", "/v1/blocks/{block_id}")]),
    ("spotify-web-api.yml", "/spotify", [("get", "/me/player/queue"), ("get", "/search")]),
]
# Styles no corpus spec uses (label, matrix, deepObject...): a small spec of this folder.
EXTRA_PARTS = [(Path(__file__).with_name("styles.yaml"), "/styles", [("get", "/{label}/{matrix}")])]


def _json(status: int, value: object, content_type: str = "application/json") -> Canned:
    return Canned(status, content_type, json.dumps(value, separators=(",", ":")).encode())


USER = {"id": "u1", "username": "ann", "avatar": None, "discriminator": "0", "public_flags": 0, "flags": 0,
        "global_name": None, "primary_guild": None}
LOBBY_MESSAGE = {"id": "m1", "type": 0, "content": "hi", "lobby_id": "l1", "channel_id": "c1", "author": USER,
                 "flags": 0, "metadata": {"k": "v"}}
IMAGE = {"url": "https://i.scdn.co/image/1", "height": 640, "width": None}
EPISODE = {
    "type": "episode", "id": "e1", "name": "Episode", "audio_preview_url": None, "description": "d",
    "html_description": "<p>d</p>", "duration_ms": 1000, "explicit": False, "external_urls": {"spotify": "https://x"},
    "href": "https://api.spotify.com/v1/episodes/e1", "images": [IMAGE], "is_externally_hosted": False,
    "is_playable": True, "languages": ["en"], "release_date": "2024-01-31", "release_date_precision": "day",
    "uri": "spotify:episode:e1",
    "show": {"available_markets": ["DE"], "copyrights": [], "description": "s", "html_description": "s",
             "explicit": False, "external_urls": {}, "href": "https://api.spotify.com/v1/shows/s1", "id": "s1",
             "images": [], "is_externally_hosted": False, "languages": ["en"], "media_type": "audio",
             "name": "Show", "publisher": "P", "type": "show", "uri": "spotify:show:s1", "total_episodes": 3},
}

RESPONSES = {
    # query array with explode false, header parameters, an enum value the spec does not list, nullable fields
    "box_file": _json(200, {"id": "12345", "type": "file", "etag": None, "name": "report.pdf", "size": 629644,
                            "item_status": "quarantined", "trashed_at": None, "comment_count": 3,
                            "extension": "pdf", "created_at": "2024-01-31T12:00:00Z"}),
    # an RFC 9457 problem as the error body
    "box_problem": _json(404, {"type": "https://example.com/probs/not-found", "title": "Not Found", "status": 404,
                               "detail": "File 999 does not exist"}, "application/problem+json"),
    # a binary response
    "box_content": Canned(200, "application/octet-stream", b"\x00\x01\xfe\xffPK\x03\x04"),
    # multipart: a JSON part (an object property) and a file part
    "box_upload": _json(201, {"total_count": 1, "entries": [{"id": "99", "type": "file", "name": "a.txt",
                                                             "size": 5}]}),
    # anyOf(string, array) path parameters sent as plain values
    "es_alias": _json(200, {"acknowledged": True}),
    # one body, three media types: JSON, form (arrays exploded: name=a&name=b) and multipart (a part per item)
    "discord_json": _json(200, LOBBY_MESSAGE),
    "discord_form": _json(200, LOBBY_MESSAGE),
    "discord_multipart": _json(200, LOBBY_MESSAGE),
    # multipart with a file (3.1 contentEncoding / format binary)
    "discord_sticker": _json(200, {"id": "s1", "name": "cat", "tags": "cat,kitty", "type": 2, "format_type": 1,
                                   "description": None, "available": True, "guild_id": "g1"}),
    # discriminator with mapping, plus a tag the spec does not list
    "letta_messages": _json(200, [
        {"id": "m1", "date": "2024-01-31T12:00:00Z", "message_type": "assistant_message", "content": "Hello"},
        {"id": "m2", "date": "2024-01-31T12:00:01Z", "message_type": "reasoning_message", "reasoning": "hmm",
         "source": "reasoner_model", "name": None},
        {"id": "m3", "date": "2024-01-31T12:00:02Z", "message_type": "future_message", "payload": {"x": 1}},
    ]),
    # explicit null vs missing, going out and coming back
    "letta_block": _json(200, {"value": "v2", "id": "block-1", "limit": 5000, "label": None, "description": "notes",
                               "metadata": {"a": 1}, "tags": ["x"], "read_only": False}),
    # discriminator without mapping (tags from the variants' enum), plus a tag the spec does not list
    "spotify_queue": _json(200, {
        "currently_playing": {"type": "track", "id": "t1", "name": "Song", "duration_ms": 1000, "is_local": False},
        "queue": [EPISODE, {"type": "track", "id": "t2", "name": "Other"},
                  {"type": "audiobook_chapter", "id": "c1"}]}),
    "styles": Canned(204, None, b""),
    "spotify_search": _json(200, {"artists": {"href": "https://api.spotify.com/v1/search", "limit": 2, "next": None,
                                              "offset": 0, "previous": None, "total": 0, "items": []}}),
}

# What every SDK must send: (method, request target, body or None, {header: value}); None: checked across
# languages only (multipart boundaries are derived from the parts, so they are the same bytes everywhere too).
EXPECTED = {
    "box_file": ("GET", "/box/files/12%2034%2F5?fields=name%2Csize%2Citem_status", b"",
                 {"if-none-match": '"1"', "boxapi": "shared_link=https://app.box.com/s/abc"}),
    "box_problem": ("GET", "/box/files/999", b"", {}),
    "box_content": ("GET", "/box/files/f1/content", b"", {"range": "bytes=0-7"}),
    "box_upload": ("POST", "/box/files/content?fields=id%2Cname", None, {}),
    "es_alias": ("DELETE", "/es/logs-1,logs%202/_alias/current?master_timeout=30s", b"", {}),
    "discord_json": ("POST", "/discord/lobbies/l1/messages",
                     b'{"content":"hi","embeds":[{"color":255,"title":"T"}],"flags":4,"sticker_ids":["11","22"]}',
                     {"content-type": "application/json"}),
    "discord_form": ("POST", "/discord/lobbies/l1/messages",
                     b"content=hi&embeds=%7B%22color%22%3A255%2C%22title%22%3A%22T%22%7D&flags=4"
                     b"&sticker_ids=11&sticker_ids=22", {"content-type": "application/x-www-form-urlencoded"}),
    "discord_multipart": ("POST", "/discord/lobbies/l1/messages", None, {}),
    "discord_sticker": ("POST", "/discord/guilds/g1/stickers", None, {}),
    "letta_messages": ("GET", "/letta/v1/agents/agent-1/messages?limit=3&include_return_message_types="
                              "assistant_message&include_return_message_types=reasoning_message", b"", {}),
    "letta_block": ("PATCH", "/letta/v1/blocks/block-1", b'{"label":null,"value":"v2"}',
                    {"content-type": "application/json"}),
    "spotify_queue": ("GET", "/spotify/me/player/queue", b"", {}),
    "spotify_search": ("GET", "/spotify/search?q=abba&type=album%2Cartist&limit=2&include_external=audio", b"", {}),
    "styles": ("GET", "/styles/.a,b%20c/;matrix=x;matrix=y?filter%5Bowner%5D=me&filter%5Bsize%5D=2&pipes=1%7C2"
                      "&spaces=a%20b&point=x%2C1.5%2Cy%2C2", b"", {"x-ids": "1,2", "cookie": "session=abc%3Bdef"}),
}

# Parts every SDK's multipart body must hold, in order: (name, filename or None, content type or None, content).
MULTIPART = {
    "box_upload": [("attributes", None, "application/json", b'{"name":"a.txt","parent":{"id":"0"}}'),
                   ("file", "file", "application/octet-stream", b"hello")],
    "discord_multipart": [("content", None, None, b"hi"), ("embeds", None, "application/json",
                                                           b'{"color":255,"title":"T"}'),
                          ("flags", None, None, b"4"), ("sticker_ids", None, None, b"11"),
                          ("sticker_ids", None, None, b"22")],
    "discord_sticker": [("description", None, None, b"d"), ("file", "file", "application/octet-stream",
                                                             b"\x89PNG"),
                        ("name", None, None, b"cat"), ("tags", None, None, b"cat,kitty")],
}

# Facts each driver reports next to the decoded values (JS has no classes for union variants: it reports none).
VARIANTS = {
    "letta_messages": ["AssistantMessage", "ReasoningMessage", "unknown"],
    "spotify_queue": ["TrackObject", "EpisodeObject", "TrackObject", "unknown"],
}


def write_spec(corpus: Path, target: Path) -> Path:
    from tests.sdk_roundtrip.slice import slice_specs

    spec = slice_specs([(corpus / name, prefix, ops) for name, prefix, ops in CORPUS_PARTS] + EXTRA_PARTS)
    target.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return target
