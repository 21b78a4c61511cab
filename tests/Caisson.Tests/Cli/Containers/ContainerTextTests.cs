using Caisson.Api.Cri;
using Caisson.Cli.Containers;

namespace Caisson.Tests.Cli.Containers;

public sealed class ContainerTextTests
{
    private static readonly DateTimeOffset Now = CliHarness.Now;

    [Theory]
    [InlineData("created", ContainerState.ContainerCreated, 0, 0, 0, "Created")]
    [InlineData("running for seconds", ContainerState.ContainerRunning, 5, 0, 0, "Up 5 seconds")]
    [InlineData("running for minutes", ContainerState.ContainerRunning, 180, 0, 0, "Up 3 minutes")]
    [InlineData("just started", ContainerState.ContainerRunning, 0.2, 0, 0, "Up Less than a second")]
    [InlineData("exited", ContainerState.ContainerExited, 100, 2, 0, "Exited (0) 2 seconds ago")]
    [InlineData("killed an hour ago", ContainerState.ContainerExited, 7200, 3600, 137, "Exited (137) About an hour ago")]
    [InlineData("unknown", ContainerState.ContainerUnknown, 0, 0, 0, "Unknown")]
    public void Status(string description, ContainerState state, double startedSecondsAgo, double finishedSecondsAgo, int exitCode, string expected)
    {
        var status = new ContainerStatus
        {
            State = state,
            StartedAt = startedSecondsAgo > 0 ? Nanoseconds(Now.AddSeconds(-startedSecondsAgo)) : 0,
            FinishedAt = finishedSecondsAgo > 0 ? Nanoseconds(Now.AddSeconds(-finishedSecondsAgo)) : 0,
            ExitCode = exitCode,
        };

        Assert.True(ContainerText.Status(status, Now) == expected, $"{description}: got {ContainerText.Status(status, Now)}");
    }

    [Theory]
    [InlineData("short command", "sleep|1000", false, "\"sleep 1000\"")]
    [InlineData("cut at 20 characters", "/docker-entrypoint.sh|nginx|-g|daemon off;", false, "\"/docker-entrypoint.…\"")]
    [InlineData("exactly 20 characters is not cut", "12345678901234567890", false, "\"12345678901234567890\"")]
    [InlineData("--no-trunc keeps it whole", "/docker-entrypoint.sh|nginx", true, "\"/docker-entrypoint.sh nginx\"")]
    [InlineData("unknown command", "", false, "")]
    public void Command(string description, string argv, bool full, string expected)
    {
        var text = ContainerText.Command(argv.Split('|', StringSplitOptions.RemoveEmptyEntries), full);

        Assert.True(text == expected, $"{description}: got {text}");
    }

    [Theory]
    [InlineData("a JSON array", "[\"sh\",\"-c\",\"echo hi\"]", "sh|-c|echo hi")]
    [InlineData("not an array", "{\"a\":1}", "")]
    [InlineData("not JSON", "sh -c", "")]
    [InlineData("non-strings are skipped", "[\"a\",1,\"b\"]", "a|b")]
    public void CommandAnnotation(string description, string annotation, string expected)
    {
        var argv = ContainerText.CommandOf(new Dictionary<string, string> { ["io.caisson.cli.command"] = annotation });

        Assert.True(string.Join('|', argv) == expected, description);
    }

    [Fact]
    public void NoAnnotationMeansNoCommand()
    {
        Assert.Empty(ContainerText.CommandOf(new Dictionary<string, string>()));
    }

    [Fact]
    public void AgoAndShortIds()
    {
        Assert.Equal("5 seconds ago", ContainerText.Ago(Nanoseconds(Now.AddSeconds(-5)), Now));
        Assert.Equal("N/A", ContainerText.Ago(0, Now));
        Assert.Equal("0123456789ab", ContainerText.ShortId("0123456789abcdef"));
        Assert.Equal("abc", ContainerText.ShortId("abc"));
    }

    private static long Nanoseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() * 1_000_000;
}
