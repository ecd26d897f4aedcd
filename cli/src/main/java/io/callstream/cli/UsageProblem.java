package io.callstream.cli;

/** A command was given something it cannot use (a bad time, an unknown id); exit code 2. */
public final class UsageProblem extends RuntimeException {
  public UsageProblem(String message) {
    super(message);
  }
}
