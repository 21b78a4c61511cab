using Caisson.Cli.Arguments;

namespace Caisson.Tests.Cli;

public sealed class ArgumentParserTests
{
    private static readonly FlagSpec[] Flags =
    [
        FlagSpec.Boolean("quiet", 'q', "quiet"),
        FlagSpec.Boolean("all", 'a', "all"),
        FlagSpec.Value("output", 'o', "FORMAT", "output"),
        FlagSpec.Value("platform", null, "PLATFORM", "platform"),
    ];

    [Theory]
    [InlineData("long flag, value in the next word", "--platform linux/amd64 img", "platform=linux/amd64", "img")]
    [InlineData("long flag, value after =", "--platform=linux/arm64/v8 img", "platform=linux/arm64/v8", "img")]
    [InlineData("= with an empty value", "--output= img", "output=", "img")]
    [InlineData("value may contain =", "--output=a=b", "output=a=b", "")]
    [InlineData("short boolean", "-q img", "quiet=true", "img")]
    [InlineData("long boolean", "--all", "all=true", "")]
    [InlineData("boolean set to false explicitly", "--quiet=false", "quiet=false", "")]
    [InlineData("clustered booleans", "-qa", "all=true;quiet=true", "")]
    [InlineData("cluster ending in a value flag takes the next word", "-qo json", "output=json;quiet=true", "")]
    [InlineData("short flag with its value attached", "-ojson", "output=json", "")]
    [InlineData("short flag with =value attached", "-o=json", "output=json", "")]
    [InlineData("flags after positionals", "img1 -q img2", "quiet=true", "img1|img2")]
    [InlineData("-- ends the flags", "-q -- -a --output", "quiet=true", "-a|--output")]
    [InlineData("a lone dash is a positional (stdin)", "-o - -", "output=-", "-")]
    [InlineData("the last of a repeated flag wins", "-o table --output json", "output=json", "")]
    [InlineData("a value may start with a dash", "--output -q", "output=-q", "")]
    [InlineData("nothing at all", "", "", "")]
    public void Parses(string description, string commandLine, string expectedFlags, string expectedPositionals)
    {
        var parsed = ArgumentParser.Parse(Split(commandLine), Flags);

        var flags = Flags.Where(f => parsed.Has(f.Name)).Select(f => $"{f.Name}={parsed.Value(f.Name)}").Order(StringComparer.Ordinal);
        Assert.True(string.Join(';', flags) == expectedFlags, $"{description}: flags were {string.Join(';', flags)}");
        Assert.Equal(expectedPositionals, string.Join('|', parsed.Positionals));
    }

    [Theory]
    [InlineData("unknown long flag", "--nope", "unknown flag: --nope")]
    [InlineData("unknown long flag with a value", "--nope=1", "unknown flag: --nope")]
    [InlineData("unknown short flag", "-x", "unknown flag: -x")]
    [InlineData("unknown letter inside a cluster", "-qx", "unknown flag: -x")]
    [InlineData("long value flag at the end", "img --platform", "flag --platform needs a value (PLATFORM)")]
    [InlineData("short value flag ending a cluster at the end", "-qo", "flag -o needs a value (FORMAT)")]
    [InlineData("boolean given a value", "--quiet=yes", "flag --quiet is a switch and takes no value (got \"yes\")")]
    public void RefusesWithOneClearMessage(string description, string commandLine, string expectedMessage)
    {
        var error = Assert.Throws<UsageException>(() => ArgumentParser.Parse(Split(commandLine), Flags, "images"));

        Assert.True(error.Message == expectedMessage, $"{description}: got \"{error.Message}\"");
        Assert.Equal("images", error.Verb);
    }

    [Fact]
    public void BooleanFlagReadsAsOnOnlyWhenTrue()
    {
        var on = ArgumentParser.Parse(["-q"], Flags);
        var off = ArgumentParser.Parse(["--quiet=false"], Flags);

        Assert.True(on.Flag("quiet"));
        Assert.False(off.Flag("quiet"));
        Assert.False(off.Flag("all"));
    }

    [Fact]
    public void StopAtFirstPositionalLeavesTheVerbAndItsFlagsUnparsed()
    {
        var parsed = ArgumentParser.Parse(["--platform", "x", "images", "-q", "--nope"], Flags, stopAtFirstPositional: true);

        Assert.Equal("x", parsed.Value("platform"));
        Assert.Equal(["images", "-q", "--nope"], parsed.Positionals);
    }

    [Fact]
    public void ARepeatableFlagKeepsEveryValueInOrder()
    {
        FlagSpec[] flags = [FlagSpec.List("env", 'e', "NAME=VALUE", "env"), .. Flags];

        var parsed = ArgumentParser.Parse(["-e", "A=1", "--env=B=2", "-eC=3", "-o", "x", "img"], flags);

        Assert.Equal(["A=1", "B=2", "C=3"], parsed.Values("env"));
        Assert.Equal("C=3", parsed.Value("env"));
        Assert.Equal(["x"], parsed.Values("output"));
        Assert.Empty(parsed.Values("platform"));
    }

    [Fact]
    public void FlagsEndingAtTheFirstArgumentLeaveTheContainersCommandAlone()
    {
        var parsed = ArgumentParser.Parse(["-q", "busybox", "ls", "-l", "--all", "-o"], Flags, "run", stopAtFirstPositional: true);

        Assert.True(parsed.Flag("quiet"));
        Assert.False(parsed.Flag("all"));
        Assert.Equal(["busybox", "ls", "-l", "--all", "-o"], parsed.Positionals);
    }

    private static string[] Split(string commandLine) => commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
