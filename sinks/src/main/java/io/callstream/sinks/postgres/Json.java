package io.callstream.sinks.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.events.CallbackRequest;
import io.callstream.events.CriterionResult;
import io.callstream.events.Party;
import io.callstream.events.SpeakerSentiment;
import io.callstream.events.StageError;
import java.util.List;

/** The JSONB columns' shapes, built from the Avro records. */
final class Json {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Json() {}

  static String parties(List<Party> parties) {
    ArrayNode array = JSON.createArrayNode();
    for (Party party : parties) {
      array
          .addObject()
          .put("role", party.getRole().name())
          .put("phone_number", party.getPhoneNumber())
          .put("name", party.getName());
    }
    return array.toString();
  }

  static String speakerSentiments(List<SpeakerSentiment> sentiments) {
    ArrayNode array = JSON.createArrayNode();
    for (SpeakerSentiment s : sentiments) {
      ObjectNode item =
          array
              .addObject()
              .put("role", s.getRole().name())
              .put("sentiment", s.getSentiment().name());
      if (s.getScore() != null) {
        item.put("score", s.getScore());
      }
    }
    return array.toString();
  }

  static String evaluation(List<CriterionResult> results) {
    ArrayNode array = JSON.createArrayNode();
    for (CriterionResult result : results) {
      array
          .addObject()
          .put("name", result.getName())
          .put("verdict", result.getVerdict().name())
          .put("rationale", result.getRationale());
    }
    return array.toString();
  }

  static String callback(CallbackRequest callback) {
    if (callback == null) {
      return null;
    }
    return JSON.createObjectNode()
        .put("due_at", callback.getDueAt().toString())
        .put("time_zone", callback.getTimeZone())
        .put("reason", callback.getReason())
        .put("phrase", callback.getPhrase())
        .put("phone_number", callback.getPhoneNumber())
        .toString();
  }

  /** A dead letter's error history, oldest first. */
  static String errors(List<StageError> errors) {
    ArrayNode array = JSON.createArrayNode();
    for (StageError error : errors) {
      array
          .addObject()
          .put("stage", error.getStage().name())
          .put("attempt", error.getAttempt())
          .put("at", error.getAt().toString())
          .put("class", error.getErrorClass().name())
          .put("reason", error.getReason())
          .put("message", error.getMessage());
    }
    return array.toString();
  }
}
