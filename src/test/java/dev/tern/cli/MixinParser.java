package dev.tern.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Parses command-line arguments into one options mixin alone, as the commands that use it would. */
final class MixinParser {
    private MixinParser() {}

    static <T> T parse(T mixin, String... args) {
        CommandSpec spec = CommandSpec.create().addMixin("options", CommandSpec.forAnnotatedObject(mixin));
        CommandLine cl = new CommandLine(spec);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.parseArgs(args);
        return mixin;
    }
}
