package io.callstream.enrichment.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.Document;
import io.callstream.enrichment.DocumentWriter;
import io.callstream.enrichment.outcome.Outcome;
import java.util.concurrent.CompletionStage;

/**
 * The document writer over an OpenAI-compatible chat model, with a versioned prompt and a strict
 * schema.
 */
public final class OpenAiDocumentWriter implements DocumentWriter {
  public static final String PROMPT_VERSION = "document-v1";
  private static final JsonNode SCHEMA =
      StructuredChat.json(
          "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"title\",\"markdown\"],"
              + "\"properties\":{\"title\":{\"type\":\"string\"},\"markdown\":{\"type\":\"string\"}}}");

  private final StructuredChat chat;
  private final String model;
  private final String prompt = StructuredChat.resource("/prompts/" + PROMPT_VERSION + ".txt");

  public OpenAiDocumentWriter(
      OpenAiClient client,
      String model,
      double inputPricePerMillion,
      double outputPricePerMillion) {
    this.chat = new StructuredChat(client, model, inputPricePerMillion, outputPricePerMillion);
    this.model = model;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public String promptVersion() {
    return PROMPT_VERSION;
  }

  @Override
  public CompletionStage<Outcome<Document>> write(Conversation conversation) {
    String transcript = conversation.asPrompt();
    return chat.ask(prompt, transcript, "call_document", SCHEMA, json -> document(json));
  }

  private Document document(JsonNode json) {
    String title = json.path("title").asText("");
    String markdown = json.path("markdown").asText("");
    if (title.isBlank() || markdown.isBlank()) {
      throw new IllegalArgumentException("title and markdown must not be empty");
    }
    return new Document(title, markdown, model, PROMPT_VERSION);
  }
}
