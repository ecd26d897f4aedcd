package io.callstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.callstream.devstack.Speech;
import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.enrichment.Enrichers;
import io.callstream.events.Transcript;
import io.callstream.events.TranscriptSegment;
import io.callstream.events.WorkItem;
import io.callstream.gateway.GatewayApp;
import io.callstream.gateway.provider.twilio.TwilioSignature;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.TopicReader;
import io.callstream.schemas.topics.Topics;
import io.callstream.testkit.LocalServices;
import io.callstream.topology.TopologyApp;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Recordings as the platforms send them, through the gateway and the topology with the offline
 * transcriber: flite speech as MP3 inline in an ElevenLabs {@code post_call_audio} webhook, and as
 * OGG/Opus, WEBM, M4A/AAC and 8 kHz stereo WAV at the URL of a Twilio recording callback, each
 * decoded by ffmpeg and transcribed with word times; a truncated MP3 is dead-lettered saying why.
 */
@ExtendWith(LocalServices.class)
class RecordingFormatsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ELEVENLABS_SECRET = "formats-elevenlabs-secret-7d2a";
  private static final String TWILIO_TOKEN = "formats-twilio-token-3f81";
  private static final String SPEECH =
      "Hello, my dishwasher is broken and the kitchen floor is wet. Please call me back on"
          + " Friday morning.";

  /** The Twilio recordings: file name, and how ffmpeg encodes the speech into it. */
  private static final Map<String, String> TWILIO_FORMATS = new LinkedHashMap<>();

  static {
    TWILIO_FORMATS.put("call.ogg", "-c:a libopus -b:a 32k");
    TWILIO_FORMATS.put("call.webm", "-c:a libopus -b:a 32k");
    TWILIO_FORMATS.put("call.m4a", "-c:a aac -b:a 64k");
    TWILIO_FORMATS.put("call-8k-stereo.wav", "-ar 8000 -ac 2");
  }

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void everyCommonFormatIsTranscribedAndATruncatedMp3IsDeadLettered(
      KafkaService kafka, SchemaRegistryService registry) throws Exception {
    String bootstrap = kafka.bootstrapServers();
    EndToEndIT.createTopics(bootstrap);
    Path dir = Files.createTempDirectory("formats-");
    Path speech = Speech.speak(SPEECH, dir.resolve("speech.wav"));
    Path mp3 = Speech.encode(speech, dir.resolve("call.mp3"), "-c:a libmp3lame -b:a 64k");
    byte[] whole = Files.readAllBytes(mp3);
    byte[] truncated = Arrays.copyOf(whole, whole.length / 2 + 7);
    for (var format : TWILIO_FORMATS.entrySet()) {
      Speech.encode(speech, dir.resolve(format.getKey()), format.getValue());
    }

    HttpServer media = serve(dir);
    try (GatewayApp gateway = startGateway(bootstrap, registry.url(), dir);
        TopologyApp topology = startTopology(bootstrap, registry.url(), dir)) {
      String run = UUID.randomUUID().toString().substring(0, 8);
      Map<UUID, String> expected = new LinkedHashMap<>();
      expected.put(elevenLabsAudio(gateway, "conv_mp3_" + run, whole), "call.mp3");
      for (String file : TWILIO_FORMATS.keySet()) {
        String url = "http://127.0.0.1:" + media.getAddress().getPort() + "/" + file;
        expected.put(twilioRecording(gateway, "CA" + run + file.hashCode(), url), file);
      }
      UUID broken = elevenLabsAudio(gateway, "conv_truncated_" + run, truncated);

      Map<UUID, Transcript> transcripts = new HashMap<>();
      Map<UUID, WorkItem> deadLetters = new HashMap<>();
      SchemaRegistryClient client = new SchemaRegistryClient(registry.url());
      Deserializer<Transcript> transcriptValues =
          TopicCatalog.CALLS_TRANSCRIBED.valueSerde(client).deserializer();
      Deserializer<WorkItem> deadLetterValues =
          TopicCatalog.CALLS_DLT.valueSerde(client).deserializer();
      try (TopicReader reader = new TopicReader(Map.of("bootstrap.servers", bootstrap))) {
        Map<org.apache.kafka.common.TopicPartition, Long> from = new HashMap<>();
        from.putAll(reader.beginning(Topics.CALLS_TRANSCRIBED));
        from.putAll(reader.beginning(Topics.CALLS_DLT));
        boolean done =
            reader.follow(
                from,
                record -> {
                  UUID call = UUID.fromString(new String(record.key(), StandardCharsets.UTF_8));
                  if (record.topic().equals(Topics.CALLS_TRANSCRIBED)
                      && expected.containsKey(call)) {
                    transcripts.put(
                        call, transcriptValues.deserialize(record.topic(), record.value()));
                  } else if (record.topic().equals(Topics.CALLS_DLT) && call.equals(broken)) {
                    deadLetters.put(
                        call, deadLetterValues.deserialize(record.topic(), record.value()));
                  }
                },
                () -> transcripts.size() == expected.size() && deadLetters.containsKey(broken),
                Duration.ofMinutes(3));
        assertThat(done)
            .as("transcripts of %s, dead letters %s", transcripts.keySet(), deadLetters.keySet())
            .isTrue();
      }

      for (var call : expected.entrySet()) {
        Transcript transcript = transcripts.get(call.getKey());
        assertThat(transcript.getModel()).as(call.getValue()).isEqualTo("pocketsphinx-en-us");
        assertThat(transcript.getText())
            .as(call.getValue() + " heard")
            .containsIgnoringCase("dishwasher");
        List<TranscriptSegment> segments = transcript.getSegments();
        assertThat(segments).as(call.getValue()).isNotEmpty();
        assertThat(segments.get(0).getWords()).as(call.getValue()).isNotEmpty();
        assertThat(segments.get(0).getWords().get(0).getEndMs())
            .isGreaterThan(segments.get(0).getWords().get(0).getStartMs());
      }
      WorkItem deadLetter = deadLetters.get(broken);
      assertThat(deadLetter.getDeadLetterReason()).isEqualTo("undecodable_audio");
      assertThat(deadLetter.getErrors().get(deadLetter.getErrors().size() - 1).getMessage())
          .contains("the recording is cut short");
    } finally {
      media.stop(0);
    }
  }

  private UUID elevenLabsAudio(GatewayApp gateway, String conversation, byte[] audio)
      throws Exception {
    long now = Instant.now().getEpochSecond();
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "post_call_audio");
    body.put("event_timestamp", now);
    ObjectNode data = body.putObject("data");
    data.put("agent_id", "agent_formats");
    data.put("conversation_id", conversation);
    data.put("full_audio", Base64.getEncoder().encodeToString(audio));
    return accepted(
        EndToEndIT.send(gateway, "el-formats", JSON.writeValueAsBytes(body), ELEVENLABS_SECRET));
  }

  /** A Twilio recording status callback for {@code callSid}, signed as Twilio signs. */
  private UUID twilioRecording(GatewayApp gateway, String callSid, String url) throws Exception {
    Map<String, String> params = new TreeMap<>();
    params.put("AccountSid", "ACformats000000000000000000000000000");
    params.put("CallSid", callSid);
    params.put("RecordingSid", "RE" + callSid.substring(2));
    params.put("RecordingStatus", "completed");
    params.put("RecordingChannels", "1");
    params.put("RecordingUrl", url);
    String target = "http://127.0.0.1:" + gateway.port() + "/v1/webhooks/twilio-formats";
    List<String> form = new ArrayList<>();
    for (var param : params.entrySet()) {
      form.add(
          URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8)
              + "="
              + URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
    }
    String signature = TwilioSignature.of(TWILIO_TOKEN, target, params);
    return accepted(
        http.send(
            HttpRequest.newBuilder(URI.create(target))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(String.join("&", form)))
                .build(),
            HttpResponse.BodyHandlers.ofString()));
  }

  private static UUID accepted(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return UUID.fromString(JSON.readTree(response.body()).path("call_id").asText());
  }

  private static GatewayApp startGateway(String bootstrap, String registryUrl, Path dir)
      throws Exception {
    return EndToEndIT.startGateway(
        bootstrap,
        registryUrl,
        dir,
        """
        {"sources": [
          {"id": "el-formats", "provider": "elevenlabs", "secret_env": "FORMATS_EL_SECRET", "tenant": "formats"},
          {"id": "twilio-formats", "provider": "twilio", "secret_env": "FORMATS_TWILIO_TOKEN", "tenant": "formats"}
        ]}
        """,
        Map.of("FORMATS_EL_SECRET", ELEVENLABS_SECRET, "FORMATS_TWILIO_TOKEN", TWILIO_TOKEN));
  }

  /** The topology with the offline models: pocketsphinx (after ffmpeg) transcribes. */
  private static TopologyApp startTopology(String bootstrap, String registryUrl, Path dir) {
    return EndToEndIT.startTopology(
        bootstrap, registryUrl, dir, "formats-topology", Enrichers.local(1, Duration.ofHours(1)));
  }

  /** Serves the files of {@code dir} by name, as a platform's media host would. */
  private static HttpServer serve(Path dir) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1));
          byte[] bytes = Files.readAllBytes(file);
          exchange.sendResponseHeaders(200, bytes.length);
          try (var body = exchange.getResponseBody()) {
            body.write(bytes);
          }
        });
    server.start();
    return server;
  }
}
