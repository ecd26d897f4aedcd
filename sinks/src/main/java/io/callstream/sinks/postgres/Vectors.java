package io.callstream.sinks.postgres;

import com.pgvector.PGhalfvec;
import org.jdbi.v3.core.argument.Argument;

/**
 * Binds embeddings as pgvector half-precision values, the type of {@code call_chunks.embedding}.
 */
public final class Vectors {
  private Vectors() {}

  public static Argument of(float[] vector) {
    PGhalfvec value = new PGhalfvec(vector);
    return (position, statement, context) -> statement.setObject(position, value);
  }
}
