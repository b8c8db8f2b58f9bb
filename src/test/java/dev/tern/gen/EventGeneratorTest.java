package dev.tern.gen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EventGeneratorTest {
    private static byte[] generate(long seed, int threads) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new EventGenerator(2_500, seed, 7, threads).write(out);
        return out.toByteArray();
    }

    @Test
    void theSameSeedGivesTheSameBytesWhateverTheThreadCount() throws IOException {
        byte[] one = generate(5, 1);
        assertArrayEquals(one, generate(5, 3));
        assertFalse(Arrays.equals(one, generate(6, 2)));
    }
}
