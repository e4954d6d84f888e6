// Round-trip driver for the Java (Android) SDK: java RoundTrip BASE_URL OUT.json
import com.example.rt.ApiClient;
import com.example.rt.ApiException;
import com.example.rt.Configuration;
import com.example.rt.Json;
import com.example.rt.RequestOptions;
import com.example.rt.model.*;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class RoundTrip {
    interface Call {
        JsonObject run() throws Exception;
    }

    static RequestOptions opts(String name) {
        return new RequestOptions().header("x-apictl-case", name);
    }

    static JsonObject facts(Object value) {
        JsonObject out = new JsonObject();
        out.add("value", JsonParser.parseString(Json.canonical(value)));
        return out;
    }

    static String variant(Object union) throws Exception {
        boolean unknown = (Boolean) union.getClass().getMethod("isUnknown").invoke(union);
        return unknown ? "unknown" : union.getClass().getMethod("getValue").invoke(union).getClass().getSimpleName();
    }

    static JsonElement names(List<String> names) {
        return JsonParser.parseString(Json.gson().toJson(names));
    }

    public static void main(String[] args) throws Exception {
        final ApiClient client = new ApiClient(new Configuration().baseUrl(args[0]).maxRetries(0));
        final SdkMessageRequest message = new SdkMessageRequest().setContent("hi")
                .setStickerIds(Arrays.asList("11", "22")).setFlags(4L)
                .setEmbeds(Arrays.asList(new RichEmbed().setTitle("T").setColor(255L)));
        Map<String, Call> calls = new LinkedHashMap<String, Call>();
        calls.put("box_file", new Call() {
            public JsonObject run() throws Exception {
                FileFull file = client.getFilesId("12 34/5", Arrays.asList("name", "size", "item_status"), "\"1\"",
                        "shared_link=https://app.box.com/s/abc", null, opts("box_file"));
                JsonObject out = facts(file);
                out.addProperty("item_status_known", file.getItemStatus().isKnown());
                return out;
            }
        });
        calls.put("box_problem", new Call() {
            public JsonObject run() throws Exception {
                return facts(client.getFilesId("999", null, null, null, null, opts("box_problem")));
            }
        });
        calls.put("box_content", new Call() {
            public JsonObject run() throws Exception {
                JsonObject out = new JsonObject();
                out.addProperty("bytes", Json.base64(client.getFilesIdContent("f1", null, null, "bytes=0-7", null,
                        opts("box_content"))));
                return out;
            }
        });
        calls.put("box_upload", new Call() {
            public JsonObject run() throws Exception {
                PostFilesContentRequest body = new PostFilesContentRequest()
                        .setAttributes(new PostFilesContentRequestAttributes().setName("a.txt")
                                .setParent(new PostFilesContentRequestAttributesParent().setId("0")))
                        .setFile("hello".getBytes(Charset.forName("UTF-8")));
                return facts(client.postFilesContent(body, Arrays.asList("id", "name"), null, opts("box_upload")));
            }
        });
        calls.put("es_alias", new Call() {
            public JsonObject run() throws Exception {
                return facts(client.indicesDeleteAlias(TypesIndices.ofStringList(Arrays.asList("logs-1", "logs 2")),
                        TypesNames.ofString("current"), TypesDuration.ofString("30s"), null, opts("es_alias")));
            }
        });
        for (final String[] choice : new String[][] {{"discord_json", "application/json"},
                {"discord_form", "application/x-www-form-urlencoded"}, {"discord_multipart", "multipart/form-data"}}) {
            calls.put(choice[0], new Call() {
                public JsonObject run() throws Exception {
                    return facts(client.createLobbyMessage("l1", message, choice[1], opts(choice[0])));
                }
            });
        }
        calls.put("discord_sticker", new Call() {
            public JsonObject run() throws Exception {
                CreateGuildStickerRequest body = new CreateGuildStickerRequest().setName("cat").setTags("cat,kitty")
                        .setDescription("d").setFile(new byte[] {(byte) 0x89, 0x50, 0x4e, 0x47});
                return facts(client.createGuildSticker("g1", body, opts("discord_sticker")));
            }
        });
        calls.put("letta_messages", new Call() {
            public JsonObject run() throws Exception {
                List<LettaMessageUnion> items = client.listMessages("agent-1", null, null, 3L, null, null, null, null,
                        null, null, null, null, Arrays.asList(LettaMessageType.of("assistant_message"),
                                LettaMessageType.of("reasoning_message")), opts("letta_messages"));
                List<String> variants = new ArrayList<String>();
                for (LettaMessageUnion item : items) {
                    variants.add(variant(item));
                }
                JsonObject out = facts(items);
                out.add("variants", names(variants));
                return out;
            }
        });
        calls.put("letta_block", new Call() {
            public JsonObject run() throws Exception {
                return facts(client.modifyBlock("block-1", new BlockUpdate().setValue("v2").setLabel(null),
                        opts("letta_block")));
            }
        });
        calls.put("spotify_queue", new Call() {
            public JsonObject run() throws Exception {
                QueueObject queue = client.getQueue(opts("spotify_queue"));
                List<String> variants = new ArrayList<String>();
                variants.add(variant(queue.getCurrentlyPlaying()));
                for (Object item : queue.getQueue()) {
                    variants.add(variant(item));
                }
                JsonObject out = facts(queue);
                out.add("variants", names(variants));
                return out;
            }
        });
        calls.put("styles", new Call() {
            public JsonObject run() throws Exception {
                client.getStyles(Arrays.asList("a", "b c"), Arrays.asList("x", "y"),
                        new GetStylesFilter().setOwner("me").setSize(2L), Arrays.asList(1L, 2L), Arrays.asList("a", "b"),
                        new GetStylesPoint().setX(1.5).setY(2.0), Arrays.asList(1L, 2L), "abc;def", opts("styles"));
                return facts(null);
            }
        });
        calls.put("spotify_search", new Call() {
            public JsonObject run() throws Exception {
                return facts(client.search("abba", Arrays.asList(SearchTypeItem.of("album"), SearchTypeItem.of("artist")),
                        null, 2L, null, SearchIncludeExternal.of("audio"), opts("spotify_search")));
            }
        });
        JsonObject results = new JsonObject();
        for (Map.Entry<String, Call> call : calls.entrySet()) {
            try {
                results.add(call.getKey(), call.getValue().run());
            } catch (ApiException.Http e) {
                JsonObject error = new JsonObject();
                error.addProperty("status", e.getStatus());
                error.addProperty("message", e.getErrorMessage());
                JsonObject out = new JsonObject();
                out.add("error", error);
                results.add(call.getKey(), out);
            }
        }
        Writer out = new OutputStreamWriter(new FileOutputStream(args[1]), Charset.forName("UTF-8"));
        out.write(results.toString());
        out.close();
    }
}
