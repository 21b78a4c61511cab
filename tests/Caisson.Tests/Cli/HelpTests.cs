using Caisson.Cli;
using Caisson.Cli.Commands;

namespace Caisson.Tests.Cli;

public sealed class HelpTests
{
    public static TheoryData<string> Verbs() => [.. CommandCatalog.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task EveryVerbHasHelpNamingItsUsageFlagsAndExamples(string verb)
    {
        var command = CommandCatalog.Find(verb)!;

        var result = await new CliHarness().RunAsync("help", verb);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"Usage: caisson {verb}", result.Out, StringComparison.Ordinal);
        Assert.Contains(command.Description[..40], result.Out.ReplaceLineEndings(" "), StringComparison.Ordinal);
        foreach (var flag in command.Flags.Concat(CliApp.GlobalFlags))
            Assert.Contains($"--{flag.Name}", result.Out, StringComparison.Ordinal);
        Assert.Contains("Examples:", result.Out, StringComparison.Ordinal);
        Assert.InRange(command.Examples.Count, 1, 3);
        foreach (var example in command.Examples)
            Assert.Contains(example.CommandLine, result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task HelpFlagAfterOrBeforeTheVerbPrintsTheSameHelp(string verb)
    {
        var viaHelpVerb = await new CliHarness().RunAsync("help", verb);
        var viaFlag = await new CliHarness().RunAsync(verb, "--help");
        var viaShortFlagFirst = await new CliHarness().RunAsync("-h", verb);

        Assert.Equal(viaHelpVerb.Out, viaFlag.Out);
        Assert.Equal(viaHelpVerb.Out, viaShortFlagFirst.Out);
        Assert.Equal(0, viaFlag.ExitCode);
    }

    [Fact]
    public void FlagsWithDefaultsShowThem()
    {
        var writer = new StringWriter();

        HelpWriter.WriteCommand(writer, PullCommand.Spec);

        Assert.Contains("--progress MODE", writer.ToString(), StringComparison.Ordinal);
        Assert.Contains("(default: auto)", writer.ToString(), StringComparison.Ordinal);
        Assert.Contains("(default: /run/caisson/caisson.sock)", writer.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no arguments at all")]
    [InlineData("--help")]
    [InlineData("help")]
    public async Task OverviewListsEveryVerb(string commandLine)
    {
        var args = commandLine == "no arguments at all" ? [] : commandLine.Split(' ');

        var result = await new CliHarness().RunAsync(args);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Usage: caisson", result.Out, StringComparison.Ordinal);
        foreach (var command in CommandCatalog.All)
            Assert.Contains($"  {command.Name}", result.Out, StringComparison.Ordinal);
    }
}
