package io.callstream.sinks.postgres;

import com.pgvector.PGvector;
import org.jdbi.v3.core.argument.Argument;

/** Binds embeddings as pgvector values. */
public final class Vectors {
  private Vectors() {}

  public static Argument of(float[] vector) {
    PGvector value = new PGvector(vector);
    return (position, statement, context) -> statement.setObject(position, value);
  }
}
