package dev.tern.cli;

import dev.tern.ingest.Compression;
import dev.tern.gen.EventGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `tern gen`: a deterministic JSONL file of signed, web-of-trust-like events (same seed, same bytes). */
@Command(name = "gen", description = "Generate a deterministic file of signed test events.")
final class GenCommand implements Callable<Integer> {
    @Option(names = "--events", paramLabel = "N", defaultValue = "${env:TERN_GEN_EVENTS:-10000}",
            description = "Number of valid events (env TERN_GEN_EVENTS, default 10000).")
    long events;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "${env:TERN_GEN_SEED:-1}",
            description = "Seed; the same seed gives a byte-identical file (env TERN_GEN_SEED, default 1).")
    long seed;

    @Option(names = "--bad", paramLabel = "M", defaultValue = "${env:TERN_GEN_BAD:-0}",
            description = "Invalid lines to mix in, cycling through malformed JSON, bad id, bad signature, bad field, "
                    + "too long, invalid UTF-8 and empty lines (env TERN_GEN_BAD, default 0).")
    int bad;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "${env:TERN_GEN_OUTPUT:--}",
            description = "Output file, - for stdout; a .gz or .zst name is compressed (env TERN_GEN_OUTPUT, default -).")
    String output;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "${env:TERN_GEN_THREADS:-0}",
            description = "Signing threads; 0 = one per core (env TERN_GEN_THREADS, default 0).")
    int threads;

    @Override
    public Integer call() throws IOException {
        if (events < 0 || bad < 0 || threads < 0) {
            throw new CliFailure(CliFailure.USAGE, "--events, --bad and --threads must not be negative");
        }
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        EventGenerator gen = new EventGenerator(events, seed, bad, n);
        boolean stdout = output.equals("-");
        OutputStream raw = stdout ? System.out : Files.newOutputStream(Path.of(output));
        EventGenerator.Summary s;
        try (OutputStream out = Compression.compressing(new BufferedOutputStream(raw, 1 << 16), output)) {
            s = gen.write(out);
        }
        System.err.printf("tern gen: %,d events, %,d bad lines, %,d bytes (%.1f bytes/line average)%n",
                s.events(), java.util.Arrays.stream(s.badLines()).sum(), s.bytes(),
                (double) s.bytes() / (s.events() + java.util.Arrays.stream(s.badLines()).sum()));
        return 0;
    }
}
