package io.callstream.gateway;

import io.callstream.schemas.trace.CallTracing;
import java.time.Clock;

/** Runs the gateway from environment variables until the process is stopped. */
public final class GatewayMain {
  private GatewayMain() {}

  public static void main(String[] args) {
    GatewayApp app;
    CallTracing.installFromEnvironment(System::getenv, "callstream-gateway");
    try {
      app =
          GatewayApp.start(
              GatewayConfig.fromEnv(System::getenv), System::getenv, Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "gateway-shutdown"));
  }
}
