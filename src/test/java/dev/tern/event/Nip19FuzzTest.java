package dev.tern.event;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;

/** Fuzz target: every NIP-19 decoder either decodes or throws IllegalArgumentException, nothing else. */
class Nip19FuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decode(@NotNull String s) {
        decodeOrRefuse(() -> Nip19.decodeNpub(s));
        decodeOrRefuse(() -> Nip19.decodeNsec(s));
        decodeOrRefuse(() -> Nip19.decodeNote(s));
        decodeOrRefuse(() -> Nip19.decodeNprofile(s));
        decodeOrRefuse(() -> Nip19.decodeNevent(s));
        decodeOrRefuse(() -> Nip19.decodeNaddr(s));
        decodeOrRefuse(() -> Nip19.publicKeyFromNpubOrHex(s));
    }

    private static void decodeOrRefuse(Runnable decode) {
        try {
            decode.run();
        } catch (IllegalArgumentException expected) {
            // the one documented way to refuse
        }
    }
}
