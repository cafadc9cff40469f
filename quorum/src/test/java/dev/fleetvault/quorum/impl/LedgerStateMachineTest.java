package dev.fleetvault.quorum.impl;

import dev.fleetvault.quorum.CommandOutcome;
import dev.fleetvault.quorum.LedgerCommand;
import dev.fleetvault.quorum.LedgerResult;
import dev.fleetvault.quorum.QuorumMember;
import dev.fleetvault.quorum.RejectReason;
import dev.fleetvault.quorum.RowState;
import dev.fleetvault.quorum.SignedCommand;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The deterministic state machine: signatures, ownership, sequence numbers, idempotence, the guess limit. */
class LedgerStateMachineTest {
    private static final SecureRandom RND = new SecureRandom();
    private static final byte[] D = rnd(32);
    private final KeyPair k1 = key(), k2 = key();
    private final List<QuorumMember> members = List.of(
            new QuorumMember(1, "127.0.0.1", 1, 2, k1.getPublic()), new QuorumMember(2, "127.0.0.1", 3, 4, k2.getPublic()),
            new QuorumMember(3, "127.0.0.1", 5, 6, key().getPublic()));

    private LedgerStateMachine fresh() {
        return new LedgerStateMachine(CommandVerifier.forEpoch(7, members));
    }

    private static KeyPair key() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] rnd(int n) {
        byte[] b = new byte[n];
        RND.nextBytes(b);
        return b;
    }

    private static byte[] sign(KeyPair k, LedgerCommand c) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(k.getPrivate());
            s.update(c.canonicalBytes());
            return Entries.memberCommand(SignedCommand.of(c, s.sign()).encode());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static LedgerResult<CommandOutcome> apply(LedgerStateMachine sm, byte[] entry) {
        return Results.decodeCommand(sm.apply(entry, 0, entry.length, true));
    }

    private static RejectReason reason(LedgerResult<?> r) {
        assertThat(r).isInstanceOf(LedgerResult.Rejected.class);
        return ((LedgerResult.Rejected<?>) r).reason();
    }

    @Test
    void register_signedByOwner_applied() {
        LedgerStateMachine sm = fresh();
        LedgerResult<CommandOutcome> r = apply(sm, sign(k1, LedgerCommand.register(7, 1, "u", 1, rnd(16), 1, D, 3)));
        assertThat(r.value().row().state()).isEqualTo(RowState.REGISTERED);
        assertThat(r.value().row().sequence()).isEqualTo(1);
    }

    @Test
    void command_signedByAnotherMember_rejectedNoEffect() {
        LedgerStateMachine sm = fresh();
        byte[] before = sm.stateDigest();
        // member 2's node proposes a command for member 1's row, signed with its own key
        LedgerResult<CommandOutcome> r = apply(sm, sign(k2, LedgerCommand.register(7, 1, "u", 1, rnd(16), 1, D, 3)));
        assertThat(reason(r)).isEqualTo(RejectReason.BAD_SIGNATURE);
        assertThat(sm.stateDigest()).isEqualTo(before);
    }

    @Test
    void command_tamperedAfterSigning_rejected() {
        LedgerStateMachine sm = fresh();
        byte[] e = sign(k1, LedgerCommand.register(7, 1, "u", 1, rnd(16), 1, D, 3));
        e[e.length - 80] ^= 1; // inside the canonical bytes
        assertThat(reason(apply(sm, e))).isIn(RejectReason.BAD_SIGNATURE, RejectReason.MALFORMED);
        assertThat(sm.rowCount()).isZero();
    }

    @Test
    void command_unknownEpochOrMember_rejected() {
        LedgerStateMachine sm = fresh();
        assertThat(reason(apply(sm, sign(k1, LedgerCommand.register(8, 1, "u", 1, rnd(16), 1, rnd(32), 3)))))
                .isEqualTo(RejectReason.UNKNOWN_EPOCH);
        assertThat(reason(apply(sm, sign(k1, LedgerCommand.register(7, 9, "u", 1, rnd(16), 1, rnd(32), 3)))))
                .isEqualTo(RejectReason.UNKNOWN_MEMBER);
        assertThat(reason(apply(sm, new byte[] {1, 0, 3, 1, 2, 3}))).isEqualTo(RejectReason.MALFORMED);
    }

    @Test
    void replay_sameCommand_answeredAgainNotCountedTwice() {
        LedgerStateMachine sm = fresh();
        apply(sm, sign(k1, LedgerCommand.register(7, 1, "u", 1, rnd(16), 1, D, 5)));
        byte[] attempt = sign(k1, LedgerCommand.attempt(7, 1, "u", 2, rnd(16), 1, D, 1, rnd(32)));
        LedgerResult<CommandOutcome> first = apply(sm, attempt);
        LedgerResult<CommandOutcome> again = apply(sm, attempt);
        assertThat(again).isEqualTo(first);
        assertThat(sm.localRow("u", 1).fleetAttempts()).isEqualTo(1);
    }

    @Test
    void replay_oldSucceedAfterCacheEvicted_staleSequenceNoReset() {
        LedgerStateMachine sm = fresh();
        apply(sm, sign(k1, LedgerCommand.register(7, 1, "u", 1, rnd(16), 1, D, 100)));
        byte[] aid = rnd(32);
        apply(sm, sign(k1, LedgerCommand.attempt(7, 1, "u", 2, rnd(16), 1, D, 1, aid)));
        byte[] succeed = sign(k1, LedgerCommand.succeed(7, 1, "u", 3, rnd(16), 1, D, 1, aid));
        assertThat(apply(sm, succeed).value().row().fleetAttempts()).isZero();
        long seq = 3;
        for (int i = 0; i < LedgerStateMachine.RECENT + 2; i++)
            apply(sm, sign(k1, LedgerCommand.attempt(7, 1, "u", ++seq, rnd(16), 1, D, 1, rnd(32))));
        int attempts = sm.localRow("u", 1).fleetAttempts();
        byte[] digest = sm.stateDigest();
        assertThat(reason(apply(sm, succeed))).isEqualTo(RejectReason.STALE_SEQUENCE);
        assertThat(sm.localRow("u", 1).fleetAttempts()).isEqualTo(attempts);
        assertThat(sm.stateDigest()).isEqualTo(digest);
    }

    @Test
    void attempt_atLimit_noGuessesAndDestroyed_thenRefused() {
        LedgerStateMachine sm = fresh();
        apply(sm, sign(k1, LedgerCommand.register(7, 1, "u", 1, rnd(16), 1, D, 2)));
        CommandOutcome a1 = apply(sm, sign(k1, LedgerCommand.attempt(7, 1, "u", 2, rnd(16), 1, D, 1, rnd(32)))).value();
        assertThat(a1.allowed()).isTrue();
        assertThat(a1.row().guessesRemaining()).isEqualTo(1);
        CommandOutcome a2 = apply(sm, sign(k1, LedgerCommand.attempt(7, 1, "u", 3, rnd(16), 1, D, 1, rnd(32)))).value();
        assertThat(a2.allowed()).isTrue();
        assertThat(a2.destroyed()).isTrue();
        assertThat(a2.row().state()).isEqualTo(RowState.NO_GUESSES);
        CommandOutcome a3 = apply(sm, sign(k1, LedgerCommand.attempt(7, 1, "u", 4, rnd(16), 1, D, 1, rnd(32)))).value();
        assertThat(a3.allowed()).isFalse();
        assertThat(a3.row().fleetAttempts()).isEqualTo(2);
    }

    @Test
    void register_olderVersion_rejected() {
        LedgerStateMachine sm = fresh();
        apply(sm, sign(k1, LedgerCommand.register(7, 1, "u", 1, rnd(16), 5, rnd(32), 2)));
        assertThat(reason(apply(sm, sign(k1, LedgerCommand.register(7, 1, "u", 2, rnd(16), 5, rnd(32), 9)))))
                .isEqualTo(RejectReason.VERSION_NOT_NEWER);
    }

    @Test
    void snapshot_roundTrip_identicalDigestAndBehaviour() throws Exception {
        LedgerStateMachine sm = fresh();
        byte[] rid = rnd(16);
        apply(sm, sign(k1, LedgerCommand.register(7, 1, "u", 1, rid, 1, D, 2)));
        apply(sm, sign(k2, LedgerCommand.register(7, 2, "u", 1, rnd(16), 1, rnd(32), 2)));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        sm.writeContentTo(new DataOutputStream(bos));
        LedgerStateMachine copy = fresh();
        copy.readContentFrom(new DataInputStream(new ByteArrayInputStream(bos.toByteArray())));
        assertThat(copy.stateDigest()).isEqualTo(sm.stateDigest());
        assertThat(copy.localRow("u", 2)).isEqualTo(sm.localRow("u", 2));
    }
}
