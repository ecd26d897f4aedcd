package io.callstream.topology.support;

import io.callstream.enrichment.Analysis;
import io.callstream.enrichment.AnalysisPlan;
import io.callstream.enrichment.Analyzer;
import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.Document;
import io.callstream.enrichment.DocumentWriter;
import io.callstream.enrichment.Embedder;
import io.callstream.enrichment.Enrichers;
import io.callstream.enrichment.Transcriber;
import io.callstream.enrichment.Transcription;
import io.callstream.enrichment.callback.CallbackRequest;
import io.callstream.enrichment.local.LocalAnalyzer;
import io.callstream.enrichment.local.LocalDocumentWriter;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.outcome.Usage;
import io.callstream.enrichment.text.TextSpan;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * AI for topology tests: the offline heuristics for analysis and documents, a fixed transcript, and
 * four-number embeddings, with failures scripted per stage, answers that can be held back until the
 * test releases them, and a log of every call made, in order.
 */
public final class ScriptedAi implements Transcriber, Analyzer, DocumentWriter, Embedder {
  public static final String TRANSCRIPT =
      "Hello, this is Dana from Acme. Could you call me back tomorrow at 3 pm about my order?";

  private final LocalAnalyzer analyzer = new LocalAnalyzer(Duration.ofHours(1));
  private final LocalDocumentWriter documents = new LocalDocumentWriter();
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final List<String> texts = Collections.synchronizedList(new ArrayList<>());
  private final Deque<Outcome<?>> analyzeFailures = new ArrayDeque<>();
  private final List<Runnable> held = new ArrayList<>();
  private volatile String promptVersion = "test-prompt-v1";
  private volatile boolean holding;
  private volatile UnaryOperator<CallbackRequest> reviseCallback = UnaryOperator.identity();

  public Enrichers enrichers() {
    return new Enrichers(this, this, this, this);
  }

  /** What was asked, in order: "transcribe", "analyze:<call id>", "document", "embed:<n>". */
  public List<String> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** Every text sent to the AI: conversations as prompts, and texts to embed. */
  public List<String> texts() {
    synchronized (texts) {
      return List.copyOf(texts);
    }
  }

  public long count(String prefix) {
    return calls().stream().filter(call -> call.startsWith(prefix)).count();
  }

  /** The next analyses fail this way, one per failure given. */
  public synchronized void failAnalyses(Outcome<?>... failures) {
    analyzeFailures.addAll(List.of(failures));
  }

  public void promptVersion(String version) {
    this.promptVersion = version;
  }

  /** From now on analyses change the callback found this way (null: none), as a new prompt may. */
  public void reviseCallbacks(UnaryOperator<CallbackRequest> revise) {
    this.reviseCallback = revise;
  }

  /** From now on answers wait until {@link #release()}. */
  public synchronized void hold() {
    holding = true;
  }

  /** Answers everything held back, in order, and stops holding. */
  public void release() {
    List<Runnable> answers;
    synchronized (this) {
      holding = false;
      answers = List.copyOf(held);
      held.clear();
    }
    answers.forEach(Runnable::run);
  }

  @Override
  public String model() {
    return "scripted";
  }

  @Override
  public String promptVersion() {
    return promptVersion;
  }

  @Override
  public int dimensions() {
    return 4;
  }

  @Override
  public CompletionStage<Outcome<Transcription>> transcribe(URI audio) {
    calls.add("transcribe");
    List<TextSpan.Word> words = new ArrayList<>();
    long at = 0;
    for (String word : TRANSCRIPT.split(" ")) {
      words.add(new TextSpan.Word(word, at, at + 300));
      at += 350;
    }
    Transcription transcription =
        new Transcription(
            TRANSCRIPT,
            List.of(new Transcription.Segment(0, TRANSCRIPT, 0, at, 0.9, words)),
            "en-US",
            at,
            "scripted-stt");
    long audioMillis = at;
    return answer(() -> Outcome.success(transcription, new Usage(0, 0, audioMillis, 0.01)));
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletionStage<Outcome<Analysis>> analyze(Conversation conversation, AnalysisPlan plan) {
    calls.add("analyze:" + conversation.callId() + (plan == null ? "" : "@" + plan.version()));
    texts.add(conversation.asPrompt());
    Outcome<?> failure;
    synchronized (this) {
      failure = analyzeFailures.poll();
    }
    if (failure != null) {
      Outcome<Analysis> failed = (Outcome<Analysis>) failure;
      return answer(() -> failed);
    }
    Analysis local = analyzer.analyzeNow(conversation);
    Analysis analysis =
        new Analysis(
            local.title(),
            local.summary(),
            local.sentiment(),
            local.sentimentScore(),
            local.speakerScores(),
            local.success(),
            local.successReason(),
            local.callback() == null ? null : reviseCallback.apply(local.callback()),
            local.topics(),
            local.actionItems(),
            plan == null || !plan.extracts() ? null : "{\"plan\": \"" + plan.version() + "\"}",
            plan == null
                ? List.of()
                : plan.evaluationCriteria().stream()
                    .map(
                        c ->
                            new Analysis.CriterionResult(
                                c.name(), Analysis.Verdict.SUCCESS, "scripted: " + c.description()))
                    .toList(),
            "scripted",
            model(),
            promptVersion);
    return answer(() -> Outcome.success(analysis, new Usage(100, 20, 0, 0.002)));
  }

  @Override
  public CompletionStage<Outcome<Document>> write(Conversation conversation) {
    calls.add("document");
    return documents.write(conversation);
  }

  @Override
  public CompletionStage<Outcome<List<float[]>>> embed(List<String> texts) {
    calls.add("embed:" + texts.size());
    this.texts.addAll(texts);
    List<float[]> vectors = new ArrayList<>();
    for (String text : texts) {
      vectors.add(new float[] {text.length(), 1, 0, 0});
    }
    return answer(() -> Outcome.success(vectors, new Usage(texts.size() * 10L, 0, 0, 0.0001)));
  }

  private <T> CompletionStage<Outcome<T>> answer(Supplier<Outcome<T>> outcome) {
    CompletableFuture<Outcome<T>> answer = new CompletableFuture<>();
    synchronized (this) {
      if (holding) {
        held.add(() -> answer.complete(outcome.get()));
        return answer;
      }
    }
    answer.complete(outcome.get());
    return answer;
  }
}
