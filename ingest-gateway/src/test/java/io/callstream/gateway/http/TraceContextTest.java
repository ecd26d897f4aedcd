package io.callstream.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceContextTest {
  @Test
  void continuesAValidTraceWithANewSpan() {
    String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    String child = TraceContext.childOf(parent);
    assertThat(child)
        .matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01")
        .isNotEqualTo(parent);
  }

  @Test
  void startsANewTraceForMissingOrInvalidParents() {
    for (String parent :
        new String[] {
          null,
          "",
          "garbage",
          "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
          "01-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"
        }) {
      String child = TraceContext.childOf(parent);
      assertThat(child).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
      assertThat(child.substring(3, 35)).isNotEqualTo("0".repeat(32));
    }
  }
}
