package dev.fleetvault.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Request ids are unique, and a request's handlers see theirs in the MDC, nothing left behind. */
class RequestIdsTest {

  @Test
  void next_manyCalls_unique() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(ids.add(RequestIds.next())).isTrue();
    }
  }

  @Test
  void wrap_interleavedRequests_eachHandlerSeesItsOwnIdAndMdcRestored() {
    String a = RequestIds.next();
    String b = RequestIds.next();
    List<String> seen = new ArrayList<>();
    var ha = RequestIds.<Integer>wrap(a, x -> seen.add(MDC.get(RequestIds.MDC_KEY) + ":" + x));
    var hb = RequestIds.<Integer>wrap(b, x -> seen.add(MDC.get(RequestIds.MDC_KEY) + ":" + x));
    ha.handle(1);
    hb.handle(2);
    ha.handle(3);
    assertThat(seen).containsExactly(a + ":1", b + ":2", a + ":3");
    assertThat(MDC.get(RequestIds.MDC_KEY)).as("cleared after each handler").isNull();
  }

  @Test
  void run_nested_restoresOuterId() {
    RequestIds.run(
        "outer",
        () -> {
          RequestIds.run("inner", () -> assertThat(MDC.get(RequestIds.MDC_KEY)).isEqualTo("inner"));
          assertThat(MDC.get(RequestIds.MDC_KEY)).isEqualTo("outer");
        });
    assertThat(MDC.get(RequestIds.MDC_KEY)).isNull();
  }
}
