"""Round-trip driver for the Python SDK (package rt_sdk): python driver.py BASE_URL OUT.json"""
from __future__ import annotations

import base64
import json
import sys
from typing import Any, Callable

import rt_sdk
from rt_sdk import _runtime, models


def case(name: str) -> dict[str, Any]:
    return {"extra_headers": {"x-apictl-case": name}}


def variant(value: Any) -> str:
    root = value.root if hasattr(value, "root") else value
    return "unknown" if isinstance(root, dict) else type(root).__name__


def main() -> None:
    client = rt_sdk.Client(sys.argv[1], max_retries=0)
    message = models.SdkMessageRequest(content="hi", sticker_ids=["11", "22"], flags=4,
                                       embeds=[models.RichEmbed(title="T", color=255)])
    calls: dict[str, Callable[[], dict[str, Any]]] = {
        "box_file": lambda: facts(client.get_files_id(
            "12 34/5", fields=["name", "size", "item_status"], if_none_match='"1"',
            boxapi="shared_link=https://app.box.com/s/abc", **case("box_file")),
            lambda f: {"item_status_known": f.item_status.is_known}),
        "box_problem": lambda: facts(client.get_files_id("999", **case("box_problem"))),
        "box_content": lambda: {"bytes": base64.b64encode(client.get_files_id_content(
            "f1", range="bytes=0-7", **case("box_content"))).decode()},
        "box_upload": lambda: facts(client.post_files_content(body=models.PostFilesContentRequest(
            attributes=models.PostFilesContentRequestAttributes(
                name="a.txt", parent=models.PostFilesContentRequestAttributesParent(id="0")),
            file=b"hello"), fields=["id", "name"], **case("box_upload"))),
        "es_alias": lambda: facts(client.indices_delete_alias(["logs-1", "logs 2"], "current", master_timeout="30s",
                                                              **case("es_alias"))),
        "discord_json": lambda: facts(client.create_lobby_message("l1", body=message, **case("discord_json"))),
        "discord_form": lambda: facts(client.create_lobby_message(
            "l1", body=message, content_type="application/x-www-form-urlencoded", **case("discord_form"))),
        "discord_multipart": lambda: facts(client.create_lobby_message(
            "l1", body=message, content_type="multipart/form-data", **case("discord_multipart"))),
        "discord_sticker": lambda: facts(client.create_guild_sticker("g1", body=models.CreateGuildStickerRequest(
            name="cat", tags="cat,kitty", description="d", file=b"\x89PNG"), **case("discord_sticker"))),
        "letta_messages": lambda: facts(client.list_messages(
            "agent-1", limit=3, include_return_message_types=["assistant_message", "reasoning_message"],
            **case("letta_messages")), lambda items: {"variants": [variant(i) for i in items]}),
        "letta_block": lambda: facts(client.modify_block("block-1", body=models.BlockUpdate(value="v2", label=None),
                                                         **case("letta_block"))),
        "spotify_queue": lambda: facts(client.get_queue(**case("spotify_queue")), lambda q: {
            "variants": [variant(q.currently_playing)] + [variant(i) for i in q.queue]}),
        "styles": lambda: facts(client.get_styles(
            ["a", "b c"], ["x", "y"], filter={"owner": "me", "size": 2}, pipes=[1, 2], spaces=["a", "b"],
            point=models.GetStylesPoint(x=1.5, y=2), x_ids=[1, 2], session="abc;def", **case("styles"))),
        "spotify_search": lambda: facts(client.search(q="abba", type_=["album", "artist"], limit=2,
                                                      include_external="audio", **case("spotify_search"))),
    }
    results = {}
    for name, call in calls.items():
        try:
            results[name] = call()
        except rt_sdk.ApiError as error:
            results[name] = {"error": {"status": error.status, "message": error.message}}
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        json.dump(results, out)


def facts(value: Any, more: Callable[[Any], dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"value": json.loads(_runtime.json_text(value)), **(more(value) if more else {})}


if __name__ == "__main__":
    main()
