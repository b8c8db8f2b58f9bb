package dev.tern.event.bench;

import dev.tern.event.KeyPair;
import dev.tern.event.Schnorr;
import fr.acinq.secp256k1.Secp256k1;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * One signature check, secp256k1-kmp's JNI call (which parses the public key on every call) against
 * {@link Schnorr#verify} (the C library through FFM, parsed keys cached), on one thread, with authors repeating as in
 * an archive (each key signs 20 of the messages, in random order) and with every key new (the cache cut to one set,
 * so each check parses as for a key seen the first time). The two calls alternate in blocks of 2,000 checks so
 * that the shared machine's drift falls on both alike; it prints each call's rate and the thread's CPU time per check.
 * Run through bench/verify.sh; args: [seconds per key set and call, default 10] [cache MB, default 8: the 512 MB
 * budget's].
 */
public final class VerifyBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final int BLOCK = 2_000;

    private record Input(byte[][] sigs, byte[][] msgs, byte[][] keys) {}

    private interface Verifier {
        boolean verify(byte[] sig, byte[] msg, byte[] key);
    }

    /** Checks, wall and CPU nanoseconds of one call so far. */
    private static final class Tally {
        long checks, wallNanos, cpuNanos;

        void print(String keys, String call) {
            System.out.printf("%-22s %-26s %10d %12.0f %12.2f%n", keys, call, checks, checks / (wallNanos / 1e9), cpuNanos / 1e3 / checks);
        }
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        int cacheMb = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Random r = new Random(1);
        int count = 20_000;
        Input repeating = generate(count, count / 20, r);
        Input unique = generate(count, count, r);
        Verifier jni = Secp256k1.Companion.get()::verifySchnorr;
        Verifier ffm = Schnorr::verify;
        System.out.printf("%d signatures per set, %.0f s per set and call, key cache %d MB, %s%n", count, seconds, cacheMb,
                System.getProperty("java.vm.version"));
        System.out.printf("%-22s %-26s %10s %12s %12s%n", "keys", "call", "checks", "checks/s", "CPU us/check");
        for (boolean repeat : new boolean[] {true, false}) {
            Input in = repeat ? repeating : unique;
            Schnorr.cachePublicKeys(repeat ? cacheMb : 0);
            Tally[] tallies = {new Tally(), new Tally()};
            run(in, jni, new Tally(), BLOCK * 5); // warm-up
            run(in, ffm, new Tally(), BLOCK * 5);
            long deadline = System.nanoTime() + (long) (2 * seconds * 1e9);
            for (int b = 0; System.nanoTime() < deadline; b++) run(in, b % 2 == 0 ? jni : ffm, tallies[b % 2], BLOCK);
            String keys = repeat ? "20 events per author" : "every key new";
            tallies[0].print(keys, "kmp JNI (parses each key)");
            tallies[1].print(keys, "Schnorr.verify (FFM)");
        }
    }

    private static int next;

    private static void run(Input in, Verifier v, Tally tally, int checks) {
        long wall = System.nanoTime();
        long cpu = CPU.getCurrentThreadCpuTime();
        for (int i = 0; i < checks; i++) {
            int k = next;
            next = (next + 1) % in.sigs.length;
            if (!v.verify(in.sigs[k], in.msgs[k], in.keys[k])) throw new IllegalStateException("a valid signature failed");
        }
        tally.cpuNanos += CPU.getCurrentThreadCpuTime() - cpu;
        tally.wallNanos += System.nanoTime() - wall;
        tally.checks += checks;
    }

    /** {@code count} messages signed by {@code authors} keys, each key signing count / authors of them, shuffled. */
    private static Input generate(int count, int authors, Random r) {
        KeyPair[] keys = new KeyPair[authors];
        for (int i = 0; i < authors; i++) keys[i] = KeyPair.generate(r);
        byte[][] sigs = new byte[count][], msgs = new byte[count][], pubs = new byte[count][];
        for (int i = 0; i < count; i++) {
            KeyPair k = keys[i % authors];
            msgs[i] = new byte[32];
            r.nextBytes(msgs[i]);
            sigs[i] = Schnorr.sign(msgs[i], k.secretKey(), null);
            pubs[i] = k.publicKey();
        }
        for (int i = count - 1; i > 0; i--) { // the same shuffle of the three arrays
            int j = r.nextInt(i + 1);
            byte[] t = sigs[i]; sigs[i] = sigs[j]; sigs[j] = t;
            t = msgs[i]; msgs[i] = msgs[j]; msgs[j] = t;
            t = pubs[i]; pubs[i] = pubs[j]; pubs[j] = t;
        }
        return new Input(sigs, msgs, pubs);
    }
}
