package io.callstream.schemas.registry;

/**
 * A schema registry refused a request or could not be reached. {@link #status()} is the HTTP status
 * (0 when no answer came) and {@link #errorCode()} the registry's own error code (for example 40401
 * subject not found, 40403 schema not found, 409 incompatible), or 0 when it gave none.
 */
public class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final int errorCode;

  public SchemaRegistryException(int status, int errorCode, String message) {
    this(status, errorCode, message, null);
  }

  public SchemaRegistryException(int status, int errorCode, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  public int status() {
    return status;
  }

  public int errorCode() {
    return errorCode;
  }

  /** True for a 404: the subject, version or schema does not exist. */
  public boolean isNotFound() {
    return status == 404;
  }

  /** True for a 409: the schema breaks the subject's compatibility rule. */
  public boolean isIncompatible() {
    return status == 409;
  }
}
