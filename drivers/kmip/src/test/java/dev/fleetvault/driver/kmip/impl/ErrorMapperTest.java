package dev.fleetvault.driver.kmip.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.driver.kmip.client.KmipException;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.Operation;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.ResultReason;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmException.Kind;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import org.junit.jupiter.api.Test;

/** KMIP failures map into the SPI's error family as documented; key ids parse strictly. */
class ErrorMapperTest {
  private static HsmException server(ResultReason r, boolean decrypt) {
    return ErrorMapper.map(
        new KmipException(decrypt ? Operation.DECRYPT : Operation.GET, r.code(), "x"), decrypt);
  }

  @Test
  void map_serverReasons_kindAndVendorName() {
    HsmException e = server(ResultReason.ITEM_NOT_FOUND, false);
    assertThat(e.kind()).isEqualTo(Kind.KEY_NOT_FOUND);
    assertThat(e.vendorName()).contains("KMIP_ITEM_NOT_FOUND");
    assertThat(e.vendorCode()).hasValue(1);
    assertThat(e.isRetryable()).isFalse();
    assertThat(server(ResultReason.AUTHENTICATION_NOT_SUCCESSFUL, false).kind())
        .isEqualTo(Kind.AUTHENTICATION);
    assertThat(server(ResultReason.OPERATION_NOT_SUPPORTED, false).kind())
        .isEqualTo(Kind.UNSUPPORTED);
    assertThat(server(ResultReason.GENERAL_FAILURE, false).kind()).isEqualTo(Kind.DEVICE_ERROR);
    assertThat(server(ResultReason.GENERAL_FAILURE, true).kind()).isEqualTo(Kind.INTEGRITY);
    assertThat(server(ResultReason.CRYPTOGRAPHIC_FAILURE, true).kind()).isEqualTo(Kind.INTEGRITY);
    assertThat(server(ResultReason.PERMISSION_DENIED, true).kind()).isEqualTo(Kind.DEVICE_ERROR);
  }

  @Test
  void map_transportKinds_retryableOrFatal() {
    assertThat(
            ErrorMapper.map(
                new KmipException(KmipException.Kind.TIMEOUT, Operation.ENCRYPT, "t", null), false))
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
              assertThat(e.isRetryable()).isTrue();
            });
    assertThat(
            ErrorMapper.map(new KmipException(KmipException.Kind.BUSY, null, "b", null), false)
                .kind())
        .isEqualTo(Kind.BUSY);
    HsmException tls =
        ErrorMapper.map(new KmipException(KmipException.Kind.TLS, null, "h", null), false);
    assertThat(tls.kind()).isEqualTo(Kind.AUTHENTICATION);
    assertThat(tls.vendorName()).contains("TLS_HANDSHAKE_FAILURE");
    assertThat(
            ErrorMapper.map(new KmipException(KmipException.Kind.PROTOCOL, null, "p", null), false)
                .kind())
        .isEqualTo(Kind.DEVICE_ERROR);
  }

  @Test
  void keyIds_foreignOrMalformed_keyNotFound() throws Exception {
    for (KeyHandle h :
        new KeyHandle[] {
          KeyHandle.of("a", KeySpec.AES_256, "00112233"),
          KeyHandle.of("a", KeySpec.AES_256, "kmip:1|2"),
          KeyHandle.of("a", KeySpec.RSA_2048, "kmip:1"),
          KeyHandle.of("a", KeySpec.RSA_2048, "kmip:1|"),
          KeyHandle.of("a", KeySpec.RSA_2048, "kmip:1|2|3")
        }) {
      assertThatThrownBy(() -> KeyIds.of(h))
          .as(h.keyId())
          .isInstanceOfSatisfying(
              HsmException.class, e -> assertThat(e.kind()).isEqualTo(Kind.KEY_NOT_FOUND));
    }
    assertThat(KeyIds.of(KeyHandle.of("a", KeySpec.RSA_2048, KeyIds.encode("7", "8"))))
        .isEqualTo(new KeyIds("7", "8"));
    assertThat(KeyIds.of(KeyHandle.of("a", KeySpec.AES_256, KeyIds.encode("7", null))))
        .isEqualTo(new KeyIds("7", null));
  }
}
