using Caisson.Core.Errors;
using Caisson.Runtime.Shim;

namespace Caisson.Tests.Shim;

public sealed class ShimStatusTests
{
    [Theory]
    [InlineData("created", "state=created pid=12", ShimContainerState.Created, 12, null)]
    [InlineData("running with a start time", "state=running pid=7 started_at=2026-11-25T21:00:00.123456789Z", ShimContainerState.Running, 7, null)]
    [InlineData("exited, unknown keys ignored", "state=exited pid=7 exit_code=143 future=1", ShimContainerState.Exited, 7, 143)]
    public void Parses_status_words(string description, string words, ShimContainerState state, int pid, int? exitCode)
    {
        var status = ShimStatus.Parse(words);
        Assert.True(status.State == state && status.Pid == pid && status.ExitCode == exitCode, description);
    }

    [Theory]
    [InlineData("an OOM kill", "state=exited pid=7 exit_code=137 oom_killed=true", true)]
    [InlineData("said false", "state=exited pid=7 exit_code=137 oom_killed=false", false)]
    [InlineData("not said (an older shim)", "state=exited pid=7 exit_code=137", false)]
    public void Parses_the_oom_kill_flag(string description, string words, bool oomKilled)
    {
        Assert.True(ShimStatus.Parse(words).OomKilled == oomKilled, description);
    }

    [Fact]
    public void Keeps_the_time_to_100ns()
    {
        var status = ShimStatus.Parse("state=exited pid=1 exit_code=0 finished_at=2026-11-25T21:00:00.123456789Z");
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 21, 0, 0, TimeSpan.Zero).AddTicks(1234567), status.FinishedAt);
    }

    [Theory]
    [InlineData("no state", "pid=1")]
    [InlineData("no pid", "state=running")]
    [InlineData("unknown state", "state=paused pid=1")]
    [InlineData("not a number", "state=running pid=x")]
    [InlineData("not a word pair", "state=running pid=1 garbage")]
    [InlineData("bad time", "state=running pid=1 started_at=yesterday")]
    [InlineData("bad oom flag", "state=exited pid=1 oom_killed=maybe")]
    public void Rejects_unreadable_status(string description, string words)
    {
        var error = Assert.Throws<CaissonException>(() => ShimStatus.Parse(words));
        Assert.True(error.Message.Contains(words, StringComparison.Ordinal), description);
    }
}
