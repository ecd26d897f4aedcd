package io.callstream.gateway.provider;

/**
 * Why an adapter refuses a request: its signature or secret does not hold, its body does not parse,
 * or a field is missing or malformed. The gateway's own exception, with no HTTP in it; the HTTP
 * edge answers each kind as {@code application/problem+json} (401, 400 and 422).
 */
public abstract sealed class WebhookRejected extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private WebhookRejected(String detail) {
    super(detail, null, false, false);
  }

  /** The signature, secret or timestamp does not prove the platform sent this body. */
  public static final class BadSignature extends WebhookRejected {
    private static final long serialVersionUID = 1L;

    BadSignature(String detail) {
      super(detail);
    }
  }

  /** The body does not parse as what the platform sends. */
  public static final class Malformed extends WebhookRejected {
    private static final long serialVersionUID = 1L;

    Malformed(String detail) {
      super(detail);
    }
  }

  /** A well-formed body that lacks a required field or has one of the wrong shape. */
  public static final class InvalidField extends WebhookRejected {
    private static final long serialVersionUID = 1L;
    private final String field;

    InvalidField(String field, String detail) {
      super(detail);
      this.field = field;
    }

    /** The field at fault, as a dotted path. */
    public String field() {
      return field;
    }
  }

  public static WebhookRejected badSignature(String detail) {
    return new BadSignature(detail);
  }

  public static WebhookRejected malformed(String detail) {
    return new Malformed(detail);
  }

  public static WebhookRejected invalidField(String field, String detail) {
    return new InvalidField(field, detail);
  }
}
