package dev.fleetvault.gateway.member.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.config.yaml.ConfigException;
import dev.fleetvault.driver.soft.SoftDriverProvider;
import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.Drivers;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.driver.spi.P256Points;
import dev.fleetvault.gateway.config.MemberKeyMode;
import dev.fleetvault.gateway.support.TestFleet;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wrapped member keys on a real (soft) driver as the sealing HSM: keys survive a reopen, ECDH and
 * ECDSA agree with the JDK, and a tampered, re-bound or orphaned sealed file stops the node.
 */
class WrappedKeyStoreTest {
  @TempDir Path dir;
  HsmDriver hsm;

  @AfterEach
  void close() {
    if (hsm != null) {
      hsm.close();
    }
  }

  HsmDriver soft(String name) throws Exception {
    Path pass = TestFleet.repo().resolve("config/dev-soft-hsm-passphrase.DEVELOPMENT-ONLY.txt");
    return Drivers.of(List.of(new SoftDriverProvider()))
        .open(
            "soft",
            DriverSettings.of(
                "test",
                Map.of(
                    "key_file",
                    dir.resolve(name).toString(),
                    "passphrase_file",
                    pass.toString(),
                    "kdf_memory_kib",
                    8192,
                    "kdf_iterations",
                    1),
                dir));
  }

  WrappedKeyStore store(String fleet) {
    return new WrappedKeyStore(hsm, fleet, "dc1", dir.resolve("data"));
  }

  static KeyPair peer() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  @Test
  void find_afterReopen_sameKeyAndEcdhAgreesWithPeer() throws Exception {
    hsm = soft("a.keys");
    KeyHandle k = store("f").generate("fleetvault.dc1.hpke");
    WrappedKeyStore reopened = store("f");
    KeyHandle again = reopened.find("fleetvault.dc1.hpke").orElseThrow();
    assertThat(again).isEqualTo(k);
    ECPublicKey mine = (ECPublicKey) reopened.publicKey(again);
    KeyPair p = peer();
    byte[] dh = reopened.ecdh(again, P256Points.encodeUncompressed((ECPublicKey) p.getPublic()));
    KeyAgreement ka = KeyAgreement.getInstance("ECDH");
    ka.init(p.getPrivate());
    ka.doPhase(mine, true);
    assertThat(dh).hasSize(32).isEqualTo(ka.generateSecret());
  }

  @Test
  void sign_wrappedKey_verifiesWithItsPublicKey() throws Exception {
    hsm = soft("b.keys");
    WrappedKeyStore s = store("f");
    KeyHandle k = s.generate("fleetvault.dc1.sign");
    byte[] msg = "ledger command".getBytes(StandardCharsets.UTF_8);
    WrappedKeyStore reopened = store("f");
    byte[] sig = reopened.sign(reopened.find(k.label()).orElseThrow(), msg);
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(s.publicKey(k));
    v.update(msg);
    assertThat(v.verify(sig)).isTrue();
  }

  @Test
  void generate_existing_keyExists() throws Exception {
    hsm = soft("c.keys");
    store("f").generate("fleetvault.dc1.sign");
    assertThatThrownBy(() -> store("f").generate("fleetvault.dc1.sign"))
        .isInstanceOfSatisfying(
            HsmException.class, e -> assertThat(e.kind()).isEqualTo(HsmException.Kind.KEY_EXISTS));
  }

  @Test
  void find_tamperedBlob_integrity() throws Exception {
    hsm = soft("d.keys");
    WrappedKeyStore s = store("f");
    s.generate("fleetvault.dc1.hpke");
    Path f = s.file("fleetvault.dc1.hpke");
    JsonObject j = new JsonObject(Files.readString(f));
    byte[] sealed = Base64.getDecoder().decode(j.getString("sealed"));
    sealed[sealed.length / 2] ^= 1;
    Files.writeString(f, j.put("sealed", Base64.getEncoder().encodeToString(sealed)).encode());
    assertThatThrownBy(() -> store("f").find("fleetvault.dc1.hpke"))
        .isInstanceOfSatisfying(
            HsmException.class, e -> assertThat(e.kind()).isEqualTo(HsmException.Kind.INTEGRITY));
  }

  @Test
  void find_fileReboundToOtherFleet_integrity() throws Exception {
    hsm = soft("e.keys");
    WrappedKeyStore s = store("fleet-a");
    s.generate("fleetvault.dc1.hpke");
    Path f = s.file("fleetvault.dc1.hpke");
    Files.writeString(f, new JsonObject(Files.readString(f)).put("fleet", "fleet-b").encode());
    assertThatThrownBy(() -> store("fleet-b").find("fleetvault.dc1.hpke"))
        .isInstanceOfSatisfying(
            HsmException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(HsmException.Kind.INTEGRITY);
              assertThat(e.getMessage()).contains("does not open");
            });
    assertThatThrownBy(() -> store("fleet-a").find("fleetvault.dc1.hpke"))
        .as("the file's own binding no longer matches fleet-a either")
        .isInstanceOf(HsmException.class);
  }

  @Test
  void find_sealKeyMissingFromHsm_refusesInsteadOfRekeying() throws Exception {
    hsm = soft("f1.keys");
    store("f").generate("fleetvault.dc1.hpke");
    hsm.close();
    hsm = soft("f2.keys");
    assertThatThrownBy(() -> store("f").find("fleetvault.dc1.hpke"))
        .isInstanceOfSatisfying(
            HsmException.class,
            e -> assertThat(e.kind()).isEqualTo(HsmException.Kind.KEY_NOT_FOUND));
    assertThatThrownBy(() -> store("f").generate("fleetvault.dc1.sign"))
        .isInstanceOf(HsmException.class);
  }

  @Test
  void driver_otherEcLabelOrBadPoint_refused() throws Exception {
    hsm = soft("g.keys");
    WrappedKeysDriver d = new WrappedKeysDriver(hsm, store("f"));
    assertThat(d.capabilities()).contains(Capability.ECDH_P256, Capability.SIGN_ECDSA_P256);
    assertThat(d.describe().details()).containsKey("member_keys");
    assertThatThrownBy(() -> d.generateKey(KeySpec.EC_P256, "someone.else"))
        .isInstanceOfSatisfying(
            HsmException.class, e -> assertThat(e.kind()).isEqualTo(HsmException.Kind.UNSUPPORTED));
    KeyHandle k = d.generateKey(KeySpec.EC_P256, "fleetvault.dc1.hpke");
    assertThat(d.findKey("fleetvault.dc1.hpke")).contains(k);
    byte[] offCurve = new byte[65];
    offCurve[0] = 4;
    offCurve[64] = 1;
    assertThatThrownBy(() -> d.ecdh(k, offCurve))
        .isInstanceOfSatisfying(
            HsmException.class,
            e -> assertThat(e.kind()).isEqualTo(HsmException.Kind.INVALID_INPUT));
    assertThat(d.findKey("fleetvault.dc1.seal"))
        .as("the sealing key is the real HSM's")
        .hasValueSatisfying(h -> assertThat(h.spec()).isEqualTo(KeySpec.AES_256));
  }

  @Test
  void policy_wrappedOnEcCapableHsm_refused() throws Exception {
    hsm = soft("h.keys");
    assertThatThrownBy(() -> MemberKeyPolicy.check(hsm, MemberKeyMode.WRAPPED, "node.yaml: x"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("only for HSMs without EC")
        .hasMessageContaining("in_hsm");
    MemberKeyPolicy.check(hsm, MemberKeyMode.IN_HSM, "node.yaml: x");
  }
}
